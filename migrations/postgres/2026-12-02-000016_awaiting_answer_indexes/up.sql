-- An inbox lists the referrals overdue for an answer first. The (organization, status)
-- indexes found every referral awaiting an answer and the database then read each row
-- for its due time: a busy organization paid for all its waiting referrals on every
-- page. These indexes hold only the referrals awaiting an answer, by due time, so only
-- the overdue ones are read. The condition is written exactly as
-- `referrals::repo::AwaitingAnswer` writes it, constants and all (a test compares them):
-- otherwise the database cannot tell that a query's rows are all in the index. (Putting
-- the due time into the (organization, status) indexes instead made every entry unique:
-- they lost their deduplication, grew 7-fold, and counting an inbox got 3.6 times slower.)
CREATE INDEX referrals_awaiting_by_receiver ON referrals (to_organization_id, due_at) WHERE status IN ('sent', 'received');
CREATE INDEX referrals_awaiting_by_sender ON referrals (from_organization_id, due_at) WHERE status IN ('sent', 'received');
