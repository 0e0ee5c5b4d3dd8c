-- Nothing here: on PostgreSQL this migration has the database append audit events
-- (one round trip each). Kept so both backends list the same migrations.
SELECT 1;
