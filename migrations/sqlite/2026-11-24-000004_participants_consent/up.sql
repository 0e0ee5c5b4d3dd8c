-- Participants, their consents, and the audit trail.
--
-- A participant is a pseudonymous record owned by the organization that recorded it.
-- Fields that identify someone (legal name, date of birth, phone) and safety notes are
-- stored sealed: `kid:base64(nonce || ciphertext)`, XChaCha20-Poly1305, bound to the
-- row and field, so a copy of the database alone reveals none of them.

CREATE TABLE participants (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    alias TEXT NOT NULL,
    -- Lower-cased, accents removed: what alias search matches against.
    alias_folded TEXT NOT NULL,
    age_band TEXT,
    birth_year INTEGER,
    pronouns TEXT,
    languages TEXT NOT NULL,
    self_description_sealed TEXT,
    legal_name_sealed TEXT,
    date_of_birth_sealed TEXT,
    phone_sealed TEXT,
    safety_notes_sealed TEXT,
    contact_method TEXT,
    contact_times TEXT,
    contact_instructions TEXT,
    no_voicemail BOOLEAN NOT NULL,
    primary_contact_id TEXT REFERENCES users (id),
    need_category_ids TEXT NOT NULL,
    needs_note TEXT,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX participants_by_alias ON participants (organization_id, alias_folded);

-- A consent is never edited: its content is written once. What happens to it later is
-- recorded once each, in its own columns: superseded (by a newer consent) or revoked.
CREATE TABLE consents (
    id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    recorded_by TEXT NOT NULL REFERENCES users (id),
    method TEXT NOT NULL,
    witness_name TEXT,
    given_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    purposes TEXT NOT NULL,
    data_categories TEXT NOT NULL,
    statement_language TEXT NOT NULL,
    statement_text TEXT NOT NULL,
    evidence_media_type TEXT,
    evidence_sha256 TEXT,
    evidence_size BIGINT,
    supersedes_id TEXT REFERENCES consents (id),
    superseded_by_id TEXT REFERENCES consents (id),
    revoked_at TIMESTAMP,
    revoked_by TEXT REFERENCES users (id),
    revocation_method TEXT,
    revocation_note TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX consents_by_participant ON consents (participant_id, given_at);

CREATE TABLE consent_recipients (
    consent_id TEXT NOT NULL REFERENCES consents (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (consent_id, organization_id)
);
CREATE INDEX consent_recipients_by_organization ON consent_recipients (organization_id);

-- The evidence file, sealed like identity fields, kept apart so listing consents never
-- loads it.
CREATE TABLE consent_evidence (
    consent_id TEXT PRIMARY KEY REFERENCES consents (id),
    sealed TEXT NOT NULL
);

-- The audit trail: append-only and hash-chained. Each event holds the previous event's
-- hash and its own hash over its fields, so `harbour audit verify` finds any altered
-- or deleted row. Nothing in Harbour updates or deletes these rows, and the triggers
-- below refuse it to anyone who tries.
CREATE TABLE audit_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    occurred_at TIMESTAMP NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    organization_id TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    participant_id TEXT,
    consent_id TEXT,
    purpose TEXT NOT NULL,
    data_categories TEXT NOT NULL,
    request_id TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_events_by_participant ON audit_events (participant_id, seq);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only: DELETE refused');
END;
