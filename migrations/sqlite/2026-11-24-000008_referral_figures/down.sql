DROP INDEX referrals_by_closed_at;
DROP INDEX referrals_by_accepted_at;
DROP INDEX referrals_by_sent_at;
ALTER TABLE referrals DROP COLUMN closed_at;
ALTER TABLE referrals DROP COLUMN accepted_at;
ALTER TABLE referrals DROP COLUMN received_at;
ALTER TABLE referrals DROP COLUMN category_id;
ALTER TABLE referrals DROP COLUMN region_id;
