DROP INDEX idempotency_records_by_request;
ALTER TABLE idempotency_records DROP COLUMN request_id;
