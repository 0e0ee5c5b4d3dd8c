-- What coordinators count, kept on each referral so the dashboards aggregate one table
-- (its timeline would need a join per measure): where it falls — the region and the
-- top-level category of its main need, fixed when it is written so a referral counts in
-- one cell only — and when it reached each milestone.
ALTER TABLE referrals ADD COLUMN region_id TEXT REFERENCES regions (id);
ALTER TABLE referrals ADD COLUMN category_id TEXT REFERENCES taxonomy_terms (id);
ALTER TABLE referrals ADD COLUMN received_at TIMESTAMP;
ALTER TABLE referrals ADD COLUMN accepted_at TIMESTAMP;
ALTER TABLE referrals ADD COLUMN closed_at TIMESTAMP;

-- Referrals written before: milestones from their timelines; region and category from
-- the service (the lowest id where it has several).
UPDATE referrals SET
    received_at = (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = referrals.id AND e.kind IN ('received', 'accepted', 'declined')),
    accepted_at = (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = referrals.id AND e.kind = 'accepted'),
    closed_at = (SELECT MIN(e.at) FROM referral_events e WHERE e.referral_id = referrals.id AND e.kind IN ('declined', 'completed', 'withdrawn', 'expired')),
    region_id = (SELECT MIN(r.region_id) FROM service_regions r WHERE r.service_id = referrals.service_id),
    category_id = (SELECT MIN(t.taxonomy_term_id) FROM service_taxonomy_terms t WHERE t.service_id = referrals.service_id);

-- Each dashboard reads one period of one milestone.
CREATE INDEX referrals_by_sent_at ON referrals (sent_at);
CREATE INDEX referrals_by_accepted_at ON referrals (accepted_at);
CREATE INDEX referrals_by_closed_at ON referrals (closed_at);
