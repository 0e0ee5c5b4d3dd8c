ALTER TABLE participants DROP COLUMN retention_notice_at;
ALTER TABLE participants DROP COLUMN erased_at;
DROP TABLE erasures;
DROP TABLE participant_keys;
