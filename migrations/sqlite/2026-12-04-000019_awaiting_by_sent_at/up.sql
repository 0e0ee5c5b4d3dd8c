-- The sweep that expires unanswered referrals looks for those awaiting an answer that
-- were sent before a cutoff, the longest waiting first. By the sent time alone
-- (`referrals_by_sent_at`) the database read nearly every referral ever sent to find
-- the few still waiting: 0.44-0.56 s of a core at a million referrals, at every start
-- and every minute, in the tail of every other request's latency. This index holds
-- only the referrals awaiting an answer, in the sweep's order. Its condition is
-- `referrals::repo::AwaitingAnswer`'s text (a test compares them).
CREATE INDEX referrals_awaiting_by_sent_at ON referrals (sent_at, id) WHERE status IN ('sent', 'received');
