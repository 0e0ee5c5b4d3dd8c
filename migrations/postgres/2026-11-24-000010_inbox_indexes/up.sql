-- Inboxes list overdue referrals first (few, found by the (organization, status)
-- indexes), then the rest by urgency, newest first: these indexes hold that order, so a
-- page is read from the top of the index instead of sorting all of an organization's
-- referrals. The expression is written exactly as `referrals::repo::urgency_rank_sql`
-- writes it (a test compares them); otherwise the database cannot use the index.
CREATE INDEX referrals_inbox_received ON referrals (to_organization_id, (CASE urgency WHEN 'routine' THEN 0 WHEN 'soon' THEN 1 WHEN 'same_day' THEN 2 WHEN 'emergency' THEN 3 ELSE 0 END) DESC, created_at DESC, id DESC);
CREATE INDEX referrals_inbox_sent ON referrals (from_organization_id, (CASE urgency WHEN 'routine' THEN 0 WHEN 'soon' THEN 1 WHEN 'same_day' THEN 2 WHEN 'emergency' THEN 3 ELSE 0 END) DESC, created_at DESC, id DESC);
