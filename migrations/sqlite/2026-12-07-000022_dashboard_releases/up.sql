-- The coordinators' referral figures, released once per period and then kept as they
-- are (`api/src/dashboards/release.rs`). A month's figures are counted when the month
-- has ended, each count with its own random noise, and every dashboard over any months
-- adds up these cells: asking again, or for overlapping periods, regions or tables,
-- never draws a new sample, so a difference between two answers is only ever a
-- difference of released cells — nothing a single referral can be read from. A period
-- is a month (`2026-11`) for the referral tables, or a day (`2026-12-07`) for the
-- figures of the moment (overdue referrals, consents about to expire).
CREATE TABLE dashboard_releases (
    period TEXT PRIMARY KEY,
    released_at TIMESTAMP NOT NULL
);

-- One released count: its scope (`*` for every region, else a region's id), the table
-- it belongs to (`measure`), its row and column, and the count with its noise added
-- (which can be below zero: it is kept so, and clamped only when shown).
CREATE TABLE dashboard_cells (
    period TEXT NOT NULL REFERENCES dashboard_releases (period),
    scope TEXT NOT NULL,
    measure TEXT NOT NULL,
    row_key TEXT NOT NULL,
    column_key TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (period, scope, measure, row_key, column_key)
);
