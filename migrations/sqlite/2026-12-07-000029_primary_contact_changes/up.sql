-- Each hand-over of a participant's primary contact (`api/src/participants/handover.rs`):
-- the case's timeline of who coordinated it. An erasure deletes a participant's rows.
CREATE TABLE primary_contact_changes (
    id TEXT PRIMARY KEY NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    from_user_id TEXT REFERENCES users (id),
    to_user_id TEXT REFERENCES users (id),
    changed_by TEXT NOT NULL REFERENCES users (id),
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX primary_contact_changes_by_participant ON primary_contact_changes (participant_id, changed_at);
