DROP INDEX referrals_by_sender;
DROP INDEX referrals_by_receiver;
CREATE INDEX referrals_by_sender ON referrals (from_organization_id, status);
CREATE INDEX referrals_by_receiver ON referrals (to_organization_id, status);
