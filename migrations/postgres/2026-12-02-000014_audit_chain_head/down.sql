DROP FUNCTION harbour_audit_chain_head(BIGINT, SMALLINT);
