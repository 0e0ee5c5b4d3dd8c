//! Webhooks: signed notifications of referral events to partner systems.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

code_enum! {
    /// An event a subscriber can receive. Payloads carry ids, the event type and the
    /// status only, never participant data.
    WebhookEvent {
        /// Sent to the receiving organization.
        Sent = "referral.sent",
        /// Opened by the receiving organization.
        Received = "referral.received",
        /// Accepted.
        Accepted = "referral.accepted",
        /// Declined.
        Declined = "referral.declined",
        /// Work started.
        Started = "referral.started",
        /// Closed with an outcome.
        Completed = "referral.completed",
        /// Withdrawn by the sender.
        Withdrawn = "referral.withdrawn",
        /// Never answered in time.
        Expired = "referral.expired",
        /// The participant part was removed after a consent was withdrawn.
        Redacted = "referral.redacted",
        /// Assigned at the receiving organization.
        Assigned = "referral.assigned",
        /// A message was written on it.
        Message = "referral.message",
        /// A case conference the organization is invited to was scheduled, moved or
        /// called off (sent to the convener and to each organization invited).
        ConferenceScheduled = "conference.scheduled",
        /// An action item of a case conference was given to the organization.
        ActionAssigned = "conference.action_assigned",
    }
}

code_enum! {
    /// Where a delivery stands.
    DeliveryStatus {
        /// Waiting for its next attempt.
        Pending = "pending",
        /// Acknowledged with a 2xx.
        Delivered = "delivered",
        /// Given up after the last retry.
        Failed = "failed",
    }
}

/// A subscription to create.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct WebhookSubscriptionInput {
    /// Where to POST events (https, or http on a private network).
    #[cfg_attr(feature = "server", validate(url, length(max = 2000)))]
    pub url: String,
    /// The events wanted (at least one).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 20)))]
    pub event_types: Vec<WebhookEvent>,
}

/// A subscription of an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookSubscription {
    /// Its id.
    pub id: String,
    /// The subscribing organization.
    pub organization_id: String,
    /// Where events go.
    pub url: String,
    /// The events wanted.
    pub event_types: Vec<WebhookEvent>,
    /// Still receiving.
    pub active: bool,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// The signing secret (`whsec_…`, Standard Webhooks): shown once, when created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// One delivery of one event to one subscription, with its attempts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// The message id (`webhook-id`).
    pub id: String,
    /// The event.
    pub event_type: WebhookEvent,
    /// The referral it is about (`referral.*` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_id: Option<String>,
    /// The case conference it is about (`conference.*` events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conference_id: Option<String>,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: i32,
    /// When the next attempt is due (pending ones).
    pub next_attempt_at: DateTime<Utc>,
    /// The HTTP status of the last attempt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_status_code: Option<i32>,
    /// Why the last attempt failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When the event happened.
    pub created_at: DateTime<Utc>,
    /// When it was acknowledged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<DateTime<Utc>>,
}
