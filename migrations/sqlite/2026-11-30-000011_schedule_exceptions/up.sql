-- Dated exceptions to a service's weekly hours (holidays): closed that day when the
-- times are NULL, else open only then. The date is local to the partnership's time zone,
-- as ISO text (YYYY-MM-DD), so both backends compare and sort it alike.
CREATE TABLE schedule_exceptions (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    opens_at TEXT,
    closes_at TEXT,
    description TEXT,
    UNIQUE (service_id, date)
);
