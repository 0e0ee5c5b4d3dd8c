-- Idempotency keys: a POST sent again with the same `Idempotency-Key` (a retry on a
-- phone that lost its signal) gets the stored response instead of acting twice. Keys
-- belong to the caller that sent them; stored bodies are sealed, since they may hold
-- participant data. Records older than a day are removed.
CREATE TABLE idempotency_records (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    -- 0 while the first request is still being handled.
    status INTEGER NOT NULL,
    content_type TEXT,
    etag TEXT,
    body_sealed TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);
CREATE INDEX idempotency_records_by_age ON idempotency_records (created_at);
