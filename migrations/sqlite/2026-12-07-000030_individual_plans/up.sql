-- A participant's individualized plan (`api/src/plans`): goals in their words, each in a
-- domain of life, with steps that someone owns; the stage of change they say they are
-- at, over time; and a timeline of what moved. The words of goals and steps are sealed
-- under the participant's key, bound to the row; domains, statuses, dates and stages
-- are not, so that coordinators' aggregates and the timeline can be read without them.
-- `reminded_at`: the review date's reminder went out (a new date clears it).
CREATE TABLE individual_plans (
    participant_id TEXT PRIMARY KEY NOT NULL REFERENCES participants (id),
    review_on TEXT,
    version INTEGER NOT NULL,
    updated_by TEXT NOT NULL REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL,
    reminded_at TIMESTAMP
);
CREATE TABLE plan_goals (
    id TEXT PRIMARY KEY NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    domain TEXT NOT NULL,
    title_sealed TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_goals_by_participant ON plan_goals (participant_id, created_at);
-- A step's owner is the participant, a colleague (owner_user_id) or an organization
-- (owner_organization_id); a step can be a referral of the same participant.
CREATE TABLE plan_steps (
    id TEXT PRIMARY KEY NOT NULL,
    goal_id TEXT NOT NULL REFERENCES plan_goals (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    description_sealed TEXT NOT NULL,
    owner_kind TEXT NOT NULL,
    owner_user_id TEXT REFERENCES users (id),
    owner_organization_id TEXT REFERENCES organizations (id),
    due_on TEXT,
    status TEXT NOT NULL,
    referral_id TEXT REFERENCES referrals (id),
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_steps_by_participant ON plan_steps (participant_id, created_at);
CREATE INDEX plan_steps_by_referral ON plan_steps (referral_id);
CREATE TABLE plan_stages (
    id TEXT PRIMARY KEY NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    stage TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_stages_by_participant ON plan_stages (participant_id, recorded_at);
-- The timeline: what happened to a goal or a step and the status it left, without words.
CREATE TABLE plan_events (
    id TEXT PRIMARY KEY NOT NULL,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    kind TEXT NOT NULL,
    goal_id TEXT REFERENCES plan_goals (id),
    step_id TEXT REFERENCES plan_steps (id),
    status TEXT,
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMP NOT NULL
);
CREATE INDEX plan_events_by_participant ON plan_events (participant_id, recorded_at);
