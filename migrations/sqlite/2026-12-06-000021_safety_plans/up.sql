-- A participant's safety plan, one row per revision: a change is a new revision, so
-- every earlier one stays as it was written (who, when, and what). The plan's words are
-- sealed like a participant's identity (`api/src/safety_plans`), bound to the
-- participant and the revision; the review date is not, so that reminders can be found,
-- and `reminded_at` says the current revision's reminder went out (once, whichever
-- instance claimed it).
CREATE TABLE safety_plan_revisions (
    id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    revision INTEGER NOT NULL,
    content_sealed TEXT NOT NULL,
    review_on TEXT,
    written_by TEXT NOT NULL REFERENCES users (id),
    written_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP,
    UNIQUE (participant_id, revision)
);
