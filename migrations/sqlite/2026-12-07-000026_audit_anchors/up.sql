-- What was pruned from each audit chain (`api/src/audit/pruning.rs`): how many events,
-- and the seq and hash of the last one, signed by the keyring. Verification starts each
-- chain from its anchor, so a chain pruned from its start still verifies, and an anchor
-- not signed by the instance's keys (one written to cover a deletion) is reported.
CREATE TABLE audit_anchors (
    chain SMALLINT PRIMARY KEY,
    pruned_events BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    last_hash TEXT NOT NULL,
    pruned_at TIMESTAMP NOT NULL,
    key_id TEXT NOT NULL,
    signature TEXT NOT NULL
);

-- Events stay append-only, except those an anchor covers: pruning writes the anchor,
-- then deletes what it covers, in one transaction.
DROP TRIGGER audit_events_no_delete;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
WHEN OLD.seq > COALESCE((SELECT last_seq FROM audit_anchors WHERE chain = OLD.chain), 0)
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
END;
