-- Which interval's audit checkpoint has been taken (`api/src/audit/checkpoint.rs`): the
-- first instance to claim a slot takes it and hands it to the witnesses. The checkpoint
-- itself is not kept here: a copy in the database it vouches for would prove nothing.
CREATE TABLE audit_checkpoints (
    slot BIGINT PRIMARY KEY,
    taken_at TIMESTAMP NOT NULL
);
