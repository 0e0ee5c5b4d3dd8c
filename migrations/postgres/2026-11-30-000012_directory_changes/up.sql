-- What each directory revision changed, written by the write that bumped it: an instance
-- patches the services changed since its search index's revision into it, and rebuilds
-- the index whole only when a revision changed what many services show (categories,
-- regions: `services` is NULL) or this log no longer reaches back to its revision.
-- `services` is a JSON array of service ids. Old entries are pruned as new ones come.
CREATE TABLE directory_changes (
    revision BIGINT PRIMARY KEY,
    services TEXT
);
