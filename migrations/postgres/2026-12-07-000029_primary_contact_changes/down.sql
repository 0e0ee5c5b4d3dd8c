DROP TABLE primary_contact_changes;
