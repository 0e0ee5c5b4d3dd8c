-- Nothing here: on PostgreSQL this migration adds the function that reads an audit
-- chain's head under its lock; SQLite serializes writers with its one write lock and
-- reads the head directly. Kept so both backends list the same migrations.
SELECT 1;
