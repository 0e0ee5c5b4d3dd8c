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
CREATE FUNCTION audit_events_append_only_but_anchored() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND OLD.seq <= COALESCE((SELECT last_seq FROM audit_anchors WHERE chain = OLD.chain), 0) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER audit_events_no_update ON audit_events;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only_but_anchored();
