DROP TABLE audit_events;
DROP FUNCTION audit_events_append_only();
DROP TABLE consent_evidence;
DROP TABLE consent_recipients;
DROP TABLE consents;
DROP TABLE participants;
