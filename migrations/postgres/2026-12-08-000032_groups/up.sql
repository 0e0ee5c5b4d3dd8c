-- The partnership's groups (`api/src/groups`): its core group, working groups, regional
-- groups (each tied to a region), cultural advisories, the survivor advisory, and any
-- other it names. Members are organizations and people (users), some of them co-chairs.
-- `private_membership`: who belongs is shown only to the group's members and the
-- partnership's coordinators (the survivor advisory's always is).
CREATE TABLE partner_groups (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    description TEXT NOT NULL,
    description_fr TEXT NOT NULL,
    region_id TEXT REFERENCES regions (id),
    private_membership BOOLEAN NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_by TEXT REFERENCES users (id),
    updated_at TIMESTAMP NOT NULL
);
-- A member is an organization or a person, never both (`organization_id` or `user_id`).
CREATE TABLE group_members (
    id TEXT PRIMARY KEY NOT NULL,
    group_id TEXT NOT NULL REFERENCES partner_groups (id),
    organization_id TEXT REFERENCES organizations (id),
    user_id TEXT REFERENCES users (id),
    co_chair BOOLEAN NOT NULL,
    added_by TEXT REFERENCES users (id),
    added_at TIMESTAMP NOT NULL,
    CHECK ((organization_id IS NULL) <> (user_id IS NULL))
);
CREATE UNIQUE INDEX group_members_organization ON group_members (group_id, organization_id) WHERE organization_id IS NOT NULL;
CREATE UNIQUE INDEX group_members_user ON group_members (group_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX group_members_by_organization ON group_members (organization_id);
CREATE INDEX group_members_by_user ON group_members (user_id);
