//! The outbox: deliveries written in the same transaction as the referral change they
//! announce, so an event is sent if and only if the change committed.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use harbour_types::{DeliveryStatus, WebhookEvent};

use crate::db::schema::{webhook_deliveries, webhook_subscriptions};
use crate::db::DbConn;

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

/// What an event says: ids, its type and the referral's status — never participant data.
#[derive(Debug, Clone)]
pub struct Announcement<'a> {
    pub event: WebhookEvent,
    pub referral_id: &'a str,
    pub status: &'a str,
    pub organizations: [&'a str; 2],
}

/// Queues the event for every active subscription of the two organizations that wants it.
pub fn enqueue(conn: &mut DbConn, announcement: &Announcement<'_>) -> QueryResult<usize> {
    let subscriptions: Vec<(String, String, String)> = webhook_subscriptions::table
        .filter(webhook_subscriptions::organization_id.eq_any(announcement.organizations))
        .filter(webhook_subscriptions::active.eq(true))
        .select((webhook_subscriptions::id, webhook_subscriptions::organization_id, webhook_subscriptions::event_types))
        .load(conn)?;
    let now = Utc::now();
    let mut queued = 0;
    for (subscription_id, organization_id, wanted) in subscriptions {
        let wants: Vec<String> = serde_json::from_str(&wanted).unwrap_or_default();
        if !wants.iter().any(|w| w == announcement.event.code()) {
            continue;
        }
        let id = format!("msg_{}", uuid::Uuid::new_v4().simple());
        let payload = serde_json::json!({
            "type": announcement.event.code(),
            "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "data": {
                "referral_id": announcement.referral_id,
                "status": announcement.status,
                "organization_id": organization_id,
            },
        });
        diesel::insert_into(webhook_deliveries::table)
            .values(DeliveryRow {
                id,
                subscription_id,
                event_type: announcement.event.code().to_owned(),
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
            })
            .execute(conn)?;
        queued += 1;
    }
    Ok(queued)
}
