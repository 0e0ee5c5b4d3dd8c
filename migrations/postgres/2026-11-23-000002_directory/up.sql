-- The directory, aligned with Open Referral HSDS 3.0: services grow their HSDS fields
-- and Harbour's own (capacity, 24/7, barrier and cultural attributes); locations with a
-- visibility (a safe house's address is never shown outside its organization),
-- service_at_locations, phones, weekly schedules and languages. Each service carries a
-- version for ETag / If-Match, and who changed it last.

ALTER TABLE services ADD COLUMN alternate_name TEXT;
ALTER TABLE services ADD COLUMN url TEXT;
ALTER TABLE services ADD COLUMN email TEXT;
ALTER TABLE services ADD COLUMN interpretation_services TEXT;
ALTER TABLE services ADD COLUMN application_process TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN fees_description TEXT;
ALTER TABLE services ADD COLUMN free BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE services ADD COLUMN eligibility_description TEXT;
ALTER TABLE services ADD COLUMN minimum_age INTEGER;
ALTER TABLE services ADD COLUMN maximum_age INTEGER;
ALTER TABLE services ADD COLUMN required_documents TEXT;
ALTER TABLE services ADD COLUMN open_24_7 BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE services ADD COLUMN capacity_status TEXT NOT NULL DEFAULT 'accepting';
ALTER TABLE services ADD COLUMN capacity_available INTEGER;
ALTER TABLE services ADD COLUMN capacity_maximum INTEGER;
ALTER TABLE services ADD COLUMN capacity_unit TEXT;
ALTER TABLE services ADD COLUMN capacity_updated_at TIMESTAMP;
ALTER TABLE services ADD COLUMN verified_at TIMESTAMP;
ALTER TABLE services ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE services ADD COLUMN updated_by TEXT REFERENCES users (id);

-- Harbour's attributes of a service: barrier and fit (no ID required, walk-in …),
-- cultural supports, stages of change, pillars, genders served. Codes from one vocabulary.
CREATE TABLE service_attributes (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (service_id, code)
);
CREATE INDEX service_attributes_code ON service_attributes (code);

CREATE TABLE service_languages (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (service_id, code)
);

CREATE TABLE locations (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    visibility TEXT NOT NULL DEFAULT 'public',
    address_1 TEXT,
    city TEXT,
    state_province TEXT,
    postal_code TEXT,
    country TEXT NOT NULL DEFAULT 'CA',
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    accessibility TEXT,
    intake_instructions TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by TEXT REFERENCES users (id)
);
CREATE INDEX locations_organization_id ON locations (organization_id);

CREATE TABLE service_at_locations (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    location_id TEXT NOT NULL REFERENCES locations (id),
    UNIQUE (service_id, location_id)
);
CREATE INDEX service_at_locations_location_id ON service_at_locations (location_id);

CREATE TABLE phones (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'voice',
    after_hours BOOLEAN NOT NULL DEFAULT FALSE,
    description TEXT,
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX phones_service_id ON phones (service_id);

-- Weekly opening hours in the partnership's time zone: one row per day and span.
-- closes_at before opens_at means the span runs past midnight.
CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    weekday TEXT NOT NULL,
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    description TEXT
);
CREATE INDEX schedules_service_id ON schedules (service_id);
