-- How many referrals each organization has sent and received, by status, kept by the
-- database as referrals are written: an inbox page showed its exact total by counting
-- the organization's whole history, where it now adds up a few tallies. Kept by
-- triggers, so no code path that writes referrals can forget them. The same table as
-- on PostgreSQL, stripes and all (there they keep concurrent writers apart; SQLite has
-- one writer at a time).
CREATE TABLE referral_tallies (
    organization_id TEXT NOT NULL,
    box TEXT NOT NULL CHECK (box IN ('sent', 'received')),
    status TEXT NOT NULL,
    stripe TEXT NOT NULL,
    referrals BIGINT NOT NULL,
    PRIMARY KEY (organization_id, box, status, stripe)
);

CREATE TRIGGER referral_tallies_insert AFTER INSERT ON referrals BEGIN
    INSERT INTO referral_tallies (organization_id, box, status, stripe, referrals)
    VALUES (NEW.from_organization_id, 'sent', NEW.status, substr(NEW.id, -1), 1),
           (NEW.to_organization_id, 'received', NEW.status, substr(NEW.id, -1), 1)
    ON CONFLICT (organization_id, box, status, stripe) DO UPDATE SET referrals = referrals + excluded.referrals;
END;

-- Only a change of status moves a referral (its organizations never change).
CREATE TRIGGER referral_tallies_update AFTER UPDATE OF status ON referrals WHEN OLD.status <> NEW.status BEGIN
    INSERT INTO referral_tallies (organization_id, box, status, stripe, referrals)
    VALUES (OLD.from_organization_id, 'sent', OLD.status, substr(OLD.id, -1), -1),
           (OLD.to_organization_id, 'received', OLD.status, substr(OLD.id, -1), -1),
           (NEW.from_organization_id, 'sent', NEW.status, substr(NEW.id, -1), 1),
           (NEW.to_organization_id, 'received', NEW.status, substr(NEW.id, -1), 1)
    ON CONFLICT (organization_id, box, status, stripe) DO UPDATE SET referrals = referrals + excluded.referrals;
END;

CREATE TRIGGER referral_tallies_delete AFTER DELETE ON referrals BEGIN
    INSERT INTO referral_tallies (organization_id, box, status, stripe, referrals)
    VALUES (OLD.from_organization_id, 'sent', OLD.status, substr(OLD.id, -1), -1),
           (OLD.to_organization_id, 'received', OLD.status, substr(OLD.id, -1), -1)
    ON CONFLICT (organization_id, box, status, stripe) DO UPDATE SET referrals = referrals + excluded.referrals;
END;

-- The referrals already there (the migration runs in one transaction: nothing is written meanwhile).
INSERT INTO referral_tallies (organization_id, box, status, stripe, referrals)
SELECT organization_id, box, status, stripe, count(*) FROM (
    SELECT from_organization_id AS organization_id, 'sent' AS box, status, substr(id, -1) AS stripe FROM referrals
    UNION ALL SELECT to_organization_id, 'received', status, substr(id, -1) FROM referrals
)
GROUP BY 1, 2, 3, 4;
