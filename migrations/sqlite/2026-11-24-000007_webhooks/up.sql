-- Webhooks: organizations (through their admins or API clients) subscribe to referral
-- events. Deliveries are a transactional outbox: written in the transaction of the
-- change they announce, then sent by any instance that claims them with a lease.
CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    -- The signing secret, sealed.
    secret_sealed TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_subscriptions_by_organization ON webhook_subscriptions (organization_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_type TEXT NOT NULL,
    referral_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_by TEXT,
    locked_until TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at);
