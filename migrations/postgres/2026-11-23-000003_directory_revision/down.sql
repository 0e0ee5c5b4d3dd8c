DROP TABLE directory_revision;
