-- An inbox lists the referrals overdue for an answer first. The (organization, status)
-- indexes found every referral awaiting an answer and the database then read each row
-- for its due time: a busy organization paid for all its waiting referrals on every
-- page. With the due time in these indexes, only the overdue ones are read.
DROP INDEX referrals_by_sender;
DROP INDEX referrals_by_receiver;
CREATE INDEX referrals_by_sender ON referrals (from_organization_id, status, due_at);
CREATE INDEX referrals_by_receiver ON referrals (to_organization_id, status, due_at);
