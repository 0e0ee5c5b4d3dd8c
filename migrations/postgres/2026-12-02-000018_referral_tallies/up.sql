-- How many referrals each organization has sent and received, by status, kept by the
-- database as referrals are written: an inbox page showed its exact total by counting
-- the organization's whole history (an index-only scan, ~2.5 ms at 48,000 received, on
-- every page), where it now adds up at most a few hundred tallies whatever the history.
-- Kept by triggers, so no code path that writes referrals can forget them (a restore by
-- pg_restore loads the tallies as saved: triggers are made after the data).
-- Each count is split over sixteen stripes (by the last character of the referral's
-- id): a tally row stays locked until the writing transaction commits, and every
-- referral sent to one organization would otherwise queue on one row.
CREATE TABLE referral_tallies (
    organization_id TEXT NOT NULL,
    box TEXT NOT NULL CHECK (box IN ('sent', 'received')),
    status TEXT NOT NULL,
    stripe TEXT NOT NULL,
    referrals BIGINT NOT NULL,
    PRIMARY KEY (organization_id, box, status, stripe)
);

-- Moves referrals between tallies: each `removed` one counts one less, each `added` one
-- one more, in one statement that takes the tally rows in key order, so two writers
-- touching the same tallies never wait for each other crosswise.
CREATE FUNCTION harbour_tally(removed referrals[], added referrals[]) RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO referral_tallies AS t (organization_id, box, status, stripe, referrals)
    SELECT b.organization_id, b.box, c.status, right(c.id, 1), sum(c.change)
    FROM (SELECT id, from_organization_id, to_organization_id, status, -1 AS change FROM unnest(removed)
          UNION ALL SELECT id, from_organization_id, to_organization_id, status, 1 FROM unnest(added)) AS c
    CROSS JOIN LATERAL (VALUES (c.from_organization_id, 'sent'), (c.to_organization_id, 'received')) AS b (organization_id, box)
    GROUP BY 1, 2, 3, 4 HAVING sum(c.change) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (organization_id, box, status, stripe) DO UPDATE SET referrals = t.referrals + excluded.referrals
$$;

-- Statement-level, with transition tables: a seed inserting thousands of referrals in
-- one statement adds to each tally once. Only a change of status moves an updated
-- referral (its organizations never change).
CREATE FUNCTION harbour_tally_referrals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM harbour_tally(NULL, ARRAY(SELECT n::referrals FROM new_referrals n));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM harbour_tally(ARRAY(SELECT o::referrals FROM old_referrals o), NULL);
    ELSE
        PERFORM harbour_tally(ARRAY(SELECT o::referrals FROM old_referrals o JOIN new_referrals n USING (id) WHERE o.status <> n.status),
                              ARRAY(SELECT n::referrals FROM old_referrals o JOIN new_referrals n USING (id) WHERE o.status <> n.status));
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER referral_tallies_insert AFTER INSERT ON referrals REFERENCING NEW TABLE AS new_referrals
    FOR EACH STATEMENT EXECUTE FUNCTION harbour_tally_referrals();
CREATE TRIGGER referral_tallies_update AFTER UPDATE ON referrals REFERENCING OLD TABLE AS old_referrals NEW TABLE AS new_referrals
    FOR EACH STATEMENT EXECUTE FUNCTION harbour_tally_referrals();
CREATE TRIGGER referral_tallies_delete AFTER DELETE ON referrals REFERENCING OLD TABLE AS old_referrals
    FOR EACH STATEMENT EXECUTE FUNCTION harbour_tally_referrals();

-- The referrals already there. No referral is written meanwhile: an instance still on
-- the previous release would write one the tallies miss.
LOCK TABLE referrals IN SHARE MODE;
INSERT INTO referral_tallies (organization_id, box, status, stripe, referrals)
SELECT organization_id, box, status, stripe, count(*) FROM (
    SELECT from_organization_id, 'sent', status, right(id, 1) FROM referrals
    UNION ALL SELECT to_organization_id, 'received', status, right(id, 1) FROM referrals
) AS c (organization_id, box, status, stripe)
GROUP BY 1, 2, 3, 4;
