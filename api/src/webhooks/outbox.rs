//! The outbox: deliveries written in the same transaction as the referral change they
//! announce, so an event is sent if and only if the change committed.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use harbour_types::{DeliveryStatus, WebhookEvent};

use crate::db::schema::{webhook_deliveries, webhook_subscriptions};
use crate::db::{insert_all, DbConn};

/// A row of `webhook_deliveries`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
// NULL rather than DEFAULT for `None`: one prepared INSERT (see referrals::repo::ReferralRow).
#[diesel(table_name = webhook_deliveries, treat_none_as_default_value = false)]
pub struct DeliveryRow {
    pub id: String,
    pub subscription_id: String,
    pub event_type: String,
    pub referral_id: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// What a change of a referral says, in one or more events (written and sent at once,
/// say): ids, the events' types and the referral's status — never participant data.
#[derive(Debug, Clone)]
pub struct Announcement<'a> {
    pub events: Vec<WebhookEvent>,
    pub referral_id: &'a str,
    pub status: &'a str,
    pub organizations: [&'a str; 2],
}

/// Queues each event for every active subscription of the two organizations that wants
/// it: one read of the subscriptions and one insert, whatever the number of events.
pub fn enqueue(conn: &mut DbConn, announcement: &Announcement<'_>) -> QueryResult<usize> {
    if announcement.events.is_empty() {
        return Ok(0);
    }
    let subscriptions: Vec<(String, String, String)> = webhook_subscriptions::table
        .filter(webhook_subscriptions::organization_id.eq_any(announcement.organizations))
        .filter(webhook_subscriptions::active.eq(true))
        .select((webhook_subscriptions::id, webhook_subscriptions::organization_id, webhook_subscriptions::event_types))
        .load(conn)?;
    let now = Utc::now();
    let mut deliveries = Vec::new();
    for (subscription_id, organization_id, wanted) in subscriptions {
        let wants: Vec<String> = serde_json::from_str(&wanted).unwrap_or_default();
        for event in announcement.events.iter().filter(|e| wants.iter().any(|w| w == e.code())) {
            let payload = serde_json::json!({
                "type": event.code(),
                "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "data": {
                    "referral_id": announcement.referral_id,
                    "status": announcement.status,
                    "organization_id": organization_id,
                },
            });
            deliveries.push(DeliveryRow {
                id: format!("msg_{}", uuid::Uuid::new_v4().simple()),
                subscription_id: subscription_id.clone(),
                event_type: event.code().to_owned(),
                referral_id: announcement.referral_id.to_owned(),
                payload: payload.to_string(),
                status: DeliveryStatus::Pending.code().to_owned(),
                attempts: 0,
                next_attempt_at: now.naive_utc(),
                locked_by: None,
                locked_until: None,
                last_status_code: None,
                last_error: None,
                created_at: now.naive_utc(),
                delivered_at: None,
            });
        }
    }
    if !deliveries.is_empty() {
        insert_all!(conn, webhook_deliveries::table, &deliveries)?;
    }
    Ok(deliveries.len())
}
