ALTER TABLE webhook_deliveries RENAME COLUMN subject_id TO referral_id;
DROP TABLE conference_actions;
DROP TABLE conference_invitations;
DROP TABLE case_conferences;
