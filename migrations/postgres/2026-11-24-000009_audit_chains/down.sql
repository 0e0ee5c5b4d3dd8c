DROP INDEX audit_events_by_chain;
ALTER TABLE audit_events DROP COLUMN chain;
