ALTER TABLE regions DROP COLUMN updated_by;
ALTER TABLE regions DROP COLUMN updated_at;
ALTER TABLE regions DROP COLUMN version;
ALTER TABLE taxonomy_terms DROP COLUMN updated_by;
ALTER TABLE taxonomy_terms DROP COLUMN updated_at;
ALTER TABLE taxonomy_terms DROP COLUMN version;
