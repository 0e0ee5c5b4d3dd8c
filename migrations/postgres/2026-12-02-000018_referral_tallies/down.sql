DROP TRIGGER referral_tallies_delete ON referrals;
DROP TRIGGER referral_tallies_update ON referrals;
DROP TRIGGER referral_tallies_insert ON referrals;
DROP FUNCTION harbour_tally_referral();
DROP TABLE referral_tallies;
