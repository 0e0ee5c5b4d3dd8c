-- The audit chain's head, as in migration 14, in PL/pgSQL: a SQL function's statements
-- are parsed and planned again on every call, where PL/pgSQL plans them once per
-- connection. Every audited write calls it. Still VOLATILE: each statement takes a fresh
-- snapshot, so the read after the lock sees what the previous holder committed.
CREATE OR REPLACE FUNCTION harbour_audit_chain_head(lock_key BIGINT, chain_number SMALLINT) RETURNS TEXT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head TEXT;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT hash INTO head FROM audit_events WHERE chain = chain_number ORDER BY seq DESC LIMIT 1;
    RETURN head;
END
$$;
