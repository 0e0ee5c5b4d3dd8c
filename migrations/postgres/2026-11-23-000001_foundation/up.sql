-- Foundation: the partnership's organizations, its regions and categories, a minimal
-- service listing (grown by the directory work), users with roles, refresh tokens and
-- API clients. Ids are UUIDs kept as text so one query serves SQLite and PostgreSQL.
-- Times are UTC.

CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sector TEXT NOT NULL,
    website TEXT,
    email TEXT,
    phone TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    verified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE regions (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_fr TEXT NOT NULL
);

CREATE TABLE organization_regions (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL REFERENCES regions (id),
    PRIMARY KEY (organization_id, region_id)
);

CREATE TABLE taxonomy_terms (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    parent_id TEXT REFERENCES taxonomy_terms (id),
    name TEXT NOT NULL,
    name_fr TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);

CREATE TABLE services (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'active',
    accepts_referrals BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX services_organization_id ON services (organization_id);

CREATE TABLE service_taxonomy_terms (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    taxonomy_term_id TEXT NOT NULL REFERENCES taxonomy_terms (id),
    PRIMARY KEY (service_id, taxonomy_term_id)
);

CREATE TABLE service_regions (
    service_id TEXT NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    region_id TEXT NOT NULL REFERENCES regions (id),
    PRIMARY KEY (service_id, region_id)
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    last_sign_in_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_organization_id ON users (organization_id);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Rotating refresh tokens. Only a SHA-256 of each token is kept. Tokens issued from
-- one sign-in share a family: presenting a used token revokes the whole family.
CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    issued_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    revoked_at TIMESTAMP
);
CREATE INDEX refresh_tokens_family_id ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    scopes TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX api_clients_organization_id ON api_clients (organization_id);
