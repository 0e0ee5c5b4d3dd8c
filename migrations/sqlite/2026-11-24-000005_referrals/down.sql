DROP TABLE referral_messages;
DROP TABLE referral_events;
DROP TABLE referrals;
