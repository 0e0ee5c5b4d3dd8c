-- The request that first used a key: the audit trail names the participants each request
-- read or wrote, so an erasure finds, through it, the kept responses that may hold their
-- data and deletes them (`api/src/erasure/repo.rs`) rather than leaving them for a day.
ALTER TABLE idempotency_records ADD COLUMN request_id TEXT;
CREATE INDEX idempotency_records_by_request ON idempotency_records (request_id);
