-- Case conferences (`api/src/conferences`): partners at one table around one
-- participant, each organization invited named in an active consent of theirs that
-- covers `case_conference`. The agenda (titles, notes, decisions) and the participant's
-- voice are sealed under the participant's key, bound to the conference; the time, the
-- place or link (they go in calendar invitations, so the form says never to write the
-- person there), the status and attendance are not, for invitations and aggregates.
CREATE TABLE case_conferences (
    id TEXT PRIMARY KEY NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    starts_at TIMESTAMP NOT NULL,
    minutes INTEGER NOT NULL,
    place TEXT,
    link TEXT,
    status TEXT NOT NULL,
    agenda_sealed TEXT NOT NULL,
    voice_sealed TEXT NOT NULL,
    presence TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX case_conferences_by_participant ON case_conferences (participant_id, starts_at);
CREATE INDEX case_conferences_by_organization ON case_conferences (organization_id, starts_at);
CREATE TABLE conference_invitations (
    conference_id TEXT NOT NULL REFERENCES case_conferences (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    attendance TEXT NOT NULL,
    PRIMARY KEY (conference_id, organization_id)
);
CREATE INDEX conference_invitations_by_organization ON conference_invitations (organization_id);
-- `done_on`: the day (in the partnership's zone) it was marked done, to tell on time
-- from late; `reminded_at`: the due date's reminder went out (a new date clears it).
CREATE TABLE conference_actions (
    id TEXT PRIMARY KEY NOT NULL,
    conference_id TEXT NOT NULL REFERENCES case_conferences (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    description_sealed TEXT NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    user_id TEXT REFERENCES users (id),
    due_on TEXT NOT NULL,
    status TEXT NOT NULL,
    done_on TEXT,
    reminded_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX conference_actions_by_conference ON conference_actions (conference_id, created_at);
CREATE INDEX conference_actions_due ON conference_actions (due_on) WHERE reminded_at IS NULL;
-- Webhook deliveries announce conferences too: the id they are about is a referral's
-- or a conference's, as the event type says.
ALTER TABLE webhook_deliveries RENAME COLUMN referral_id TO subject_id;
