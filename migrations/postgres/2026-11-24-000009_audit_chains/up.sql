-- The audit trail becomes 16 hash chains, each event in the chain of its participant
-- (see api/src/audit): writers about different participants no longer wait for one
-- another's commit. Every earlier event was in the one chain, now chain 0.
ALTER TABLE audit_events ADD COLUMN chain SMALLINT NOT NULL DEFAULT 0;
CREATE INDEX audit_events_by_chain ON audit_events (chain, seq);
