-- Categories and regions are edited by coordinators like any listing: a version for
-- ETag / If-Match (a stale write gets 412 instead of undoing a colleague's change), and
-- who changed them last and when. Rows seeded or imported before carry version 1 and no
-- author.
ALTER TABLE taxonomy_terms ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE taxonomy_terms ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE taxonomy_terms ADD COLUMN updated_by TEXT REFERENCES users (id);
ALTER TABLE regions ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE regions ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE regions ADD COLUMN updated_by TEXT REFERENCES users (id);
