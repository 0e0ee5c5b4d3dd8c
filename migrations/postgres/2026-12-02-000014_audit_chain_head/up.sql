-- The newest hash of an audit chain, read under the chain's lock in one round trip
-- (see api/src/audit/repo.rs): appending an event took three (lock, read, insert) in
-- every audited write. A VOLATILE SQL function takes a fresh snapshot for each of its
-- statements, so the read, made after the lock is granted, sees what the previous
-- holder committed.
CREATE FUNCTION harbour_audit_chain_head(lock_key BIGINT, chain_number SMALLINT) RETURNS TEXT
LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(lock_key);
    SELECT hash FROM audit_events WHERE chain = chain_number ORDER BY seq DESC LIMIT 1;
$$;
