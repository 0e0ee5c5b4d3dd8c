-- Nothing here: on PostgreSQL this migration rewrites the audit chain head function in
-- PL/pgSQL. Kept so both backends list the same migrations.
SELECT 1;
