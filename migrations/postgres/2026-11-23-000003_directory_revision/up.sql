-- One counter, bumped by every directory write in the same transaction: each API
-- instance polls it and rebuilds its search index when another process (a second
-- instance, an HSDS import) changed the directory.
CREATE TABLE directory_revision (
    id INTEGER PRIMARY KEY,
    revision BIGINT NOT NULL
);
INSERT INTO directory_revision (id, revision) VALUES (1, 0);
