-- What the retention sweep (`api/src/erasure/retention.rs`) looks for, without reading
-- every row: a participant's referrals (their last activity), referrals closed with a
-- snapshot still kept, and participants not erased by when their record last changed.
CREATE INDEX referrals_by_participant ON referrals (participant_id, created_at);
CREATE INDEX referrals_closed_with_snapshot ON referrals (closed_at) WHERE snapshot_sealed IS NOT NULL;
CREATE INDEX participants_by_last_change ON participants (updated_at) WHERE erased_at IS NULL;
