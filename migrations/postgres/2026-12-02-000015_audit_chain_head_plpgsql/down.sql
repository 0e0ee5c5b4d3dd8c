CREATE OR REPLACE FUNCTION harbour_audit_chain_head(lock_key BIGINT, chain_number SMALLINT) RETURNS TEXT
LANGUAGE sql VOLATILE AS $$
    SELECT pg_advisory_xact_lock(lock_key);
    SELECT hash FROM audit_events WHERE chain = chain_number ORDER BY seq DESC LIMIT 1;
$$;
