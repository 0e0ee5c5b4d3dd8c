-- Each participant's own data key (`api/src/data_keys`): their sealed columns (identity,
-- safety notes, safety plans, consent evidence, referral snapshots) are sealed under it,
-- and it is sealed by the instance's keyring. Erasing the participant deletes this row:
-- what was sealed under it cannot be opened again, wherever a copy of it went.
CREATE TABLE participant_keys (
    participant_id TEXT PRIMARY KEY REFERENCES participants (id),
    key_sealed TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- The erasure ledger (`api/src/erasure`): which participant was erased, when, how the
-- request came and why, by whom (null: Harbour's retention sweep). Ids and codes only,
-- never participant data. `harbour restore` re-applies every entry a restored backup
-- lacks; `reapplied_at` says a restore did so.
CREATE TABLE erasures (
    participant_id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    erased_at TIMESTAMP NOT NULL,
    method TEXT NOT NULL,
    reason TEXT NOT NULL,
    erased_by TEXT,
    reapplied_at TIMESTAMP
);
CREATE INDEX erasures_by_organization ON erasures (organization_id, erased_at);

-- An erased participant keeps only this row's id, owner and dates (referrals, consents
-- and audit events still name the id); `retention_notice_at` is when the primary
-- contact was told the record would be erased for inactivity.
ALTER TABLE participants ADD COLUMN erased_at TIMESTAMP;
ALTER TABLE participants ADD COLUMN retention_notice_at TIMESTAMP;
