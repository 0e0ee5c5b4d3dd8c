-- Referrals: from a worker of one organization to a service of another, about a
-- participant of the sender, under a consent naming the receiver for "referral". What
-- the receiver may see of the participant is a snapshot taken when sent, sealed like
-- identity fields, and removed when the consent is withdrawn.

CREATE TABLE referrals (
    id TEXT PRIMARY KEY,
    from_organization_id TEXT NOT NULL REFERENCES organizations (id),
    -- Who wrote it: a worker, or a partner system through the API.
    from_user_id TEXT REFERENCES users (id),
    from_client_id TEXT REFERENCES api_clients (id),
    to_organization_id TEXT NOT NULL REFERENCES organizations (id),
    service_id TEXT NOT NULL REFERENCES services (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    consent_id TEXT REFERENCES consents (id),
    need_category_ids TEXT NOT NULL,
    needs_note TEXT,
    urgency TEXT NOT NULL,
    safe_contact_instructions TEXT,
    participant_confirmed BOOLEAN NOT NULL,
    snapshot_sealed TEXT,
    redacted_at TIMESTAMP,
    status TEXT NOT NULL,
    reason TEXT,
    outcome TEXT,
    due_at TIMESTAMP,
    -- When the overdue reminder went out (once per referral).
    reminded_at TIMESTAMP,
    assignee_id TEXT REFERENCES users (id),
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX referrals_by_sender ON referrals (from_organization_id, status);
CREATE INDEX referrals_by_receiver ON referrals (to_organization_id, status);
CREATE INDEX referrals_by_consent ON referrals (consent_id);

-- The timeline: every step, in order.
CREATE TABLE referral_events (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    ordinal INTEGER NOT NULL,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    actor_user_id TEXT REFERENCES users (id),
    -- A partner system acting through the API (with referrals:write).
    actor_client_id TEXT REFERENCES api_clients (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    status TEXT NOT NULL,
    note TEXT,
    UNIQUE (referral_id, ordinal)
);

-- Messages between the two sides of a referral, visible to nobody else.
CREATE TABLE referral_messages (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referrals (id),
    at TIMESTAMP NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    body TEXT NOT NULL
);
CREATE INDEX referral_messages_by_referral ON referral_messages (referral_id, at);
