DROP TRIGGER referral_tallies_delete ON referrals;
DROP TRIGGER referral_tallies_update ON referrals;
DROP TRIGGER referral_tallies_insert ON referrals;
DROP FUNCTION harbour_tally_referrals();
DROP FUNCTION harbour_tally(referrals[], referrals[]);
DROP TABLE referral_tallies;
