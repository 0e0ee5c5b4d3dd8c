DROP FUNCTION harbour_audit_append(BIGINT, SMALLINT, TEXT, TEXT, TEXT, TIMESTAMP, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT);
CREATE FUNCTION harbour_audit_chain_head(lock_key BIGINT, chain_number SMALLINT) RETURNS TEXT
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    head TEXT;
BEGIN
    PERFORM pg_advisory_xact_lock(lock_key);
    SELECT hash INTO head FROM audit_events WHERE chain = chain_number ORDER BY seq DESC LIMIT 1;
    RETURN head;
END
$$;
