DROP INDEX referrals_inbox_sent;
DROP INDEX referrals_inbox_received;
