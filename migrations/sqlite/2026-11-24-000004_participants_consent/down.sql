DROP TABLE audit_events;
DROP TABLE consent_evidence;
DROP TABLE consent_recipients;
DROP TABLE consents;
DROP TABLE participants;
