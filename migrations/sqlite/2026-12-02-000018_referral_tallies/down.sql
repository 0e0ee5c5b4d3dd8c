DROP TRIGGER referral_tallies_delete;
DROP TRIGGER referral_tallies_update;
DROP TRIGGER referral_tallies_insert;
DROP TABLE referral_tallies;
