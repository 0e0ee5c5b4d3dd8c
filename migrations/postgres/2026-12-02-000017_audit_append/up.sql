-- Appends an event to its audit chain in one round trip, where every audited write took
-- two (the locked head, then the insert): takes the chain's lock, reads its newest hash
-- and hashes the event as `audit::hash_of` does, SHA-256 (hex) over the event's canonical
-- JSON array, whose last element is the previous hash. The caller passes the array's
-- text up to that element (`canonical_head`). `audit::verify` recomputes every hash in
-- Rust, so the two must agree: the audit tests verify chains written here. VOLATILE, and
-- PL/pgSQL: each statement takes a fresh snapshot, so the read after the lock sees what
-- the previous holder committed. Replaces the head function of migrations 14 and 15.
DROP FUNCTION harbour_audit_chain_head(BIGINT, SMALLINT);
CREATE FUNCTION harbour_audit_append(
    lock_key BIGINT, chain_number SMALLINT, genesis TEXT, canonical_head TEXT,
    event_id TEXT, event_occurred_at TIMESTAMP, event_actor_kind TEXT, event_actor_id TEXT,
    event_organization_id TEXT, event_action TEXT, event_entity_type TEXT, event_entity_id TEXT,
    event_participant_id TEXT, event_consent_id TEXT, event_purpose TEXT, event_data_categories TEXT,
    event_request_id TEXT
) RETURNS VOID
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    prev TEXT;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT hash INTO prev FROM audit_events WHERE chain = chain_number ORDER BY seq DESC LIMIT 1;
    prev := COALESCE(prev, genesis);
    INSERT INTO audit_events (id, occurred_at, actor_kind, actor_id, organization_id, action, entity_type, entity_id,
                              participant_id, consent_id, purpose, data_categories, request_id, prev_hash, hash, chain)
    VALUES (event_id, event_occurred_at, event_actor_kind, event_actor_id, event_organization_id, event_action,
            event_entity_type, event_entity_id, event_participant_id, event_consent_id, event_purpose,
            event_data_categories, event_request_id, prev,
            encode(sha256(convert_to(canonical_head || '"' || prev || '"]', 'UTF8')), 'hex'), chain_number);
END
$$;
