//! The outbox: deliveries written in the same transaction as the change they announce,
//! so an event is sent if and only if the change committed.

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use harbour_types::{DeliveryStatus, WebhookEvent};

use crate::db::schema::webhook_deliveries;
use crate::db::{Bind, HandWritten, Statement};

/// A row of `webhook_deliveries`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_deliveries)]
pub struct DeliveryRow {
    pub id: String,
    pub subscription_id: String,
    pub event_type: WebhookEvent,
    /// The referral's or conference's id, as the event type says.
    pub subject_id: String,
    pub payload: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
}

/// What an announcement is about.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A referral, and the status it is in.
    Referral { id: &'a str, status: &'a str },
    /// A case conference, and the action item concerned, if one is.
    Conference { id: &'a str, action_id: Option<&'a str> },
}

impl Subject<'_> {
    fn id(&self) -> &str {
        match self {
            Subject::Referral { id, .. } | Subject::Conference { id, .. } => id,
        }
    }

    /// The payload's `data` for `organization_id`: ids and a status, nothing else.
    fn data(&self, organization_id: &str) -> serde_json::Value {
        match self {
            Subject::Referral { id, status } => serde_json::json!({ "referral_id": id, "status": status, "organization_id": organization_id }),
            Subject::Conference { id, action_id: None } => serde_json::json!({ "conference_id": id, "organization_id": organization_id }),
            Subject::Conference { id, action_id: Some(action) } => serde_json::json!({ "conference_id": id, "action_id": action, "organization_id": organization_id }),
        }
    }
}

/// What a change says, in one or more events (written and sent at once, say), to each
/// of the organizations concerned: ids, the events' types and a status — never
/// participant data.
#[derive(Debug, Clone)]
pub struct Announcement<'a> {
    pub events: Vec<WebhookEvent>,
    pub subject: Subject<'a>,
    pub organizations: Vec<&'a str>,
}

/// Queues each event for every active subscription of the organizations that wants it,
/// in one statement whatever the number of events: the events' payloads, one per event
/// and organization, go in as a list the subscriptions are joined with. Where a
/// subscription wants an event, reading the subscriptions first cost a round trip more.
/// The statement, to write with the change ([`crate::db::write_together`]); none
/// without events or organizations.
pub fn deliveries(announcement: &Announcement<'_>) -> Option<Statement<HandWritten<'static>>> {
    if announcement.events.is_empty() || announcement.organizations.is_empty() {
        return None;
    }
    let now = Utc::now();
    let timestamp = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut binds = vec![
        Bind::Text(format!("msg_{}_", uuid::Uuid::now_v7().simple())),
        Bind::Text(announcement.subject.id().to_owned()),
        Bind::Text(DeliveryStatus::Pending.code().to_owned()),
        Bind::Time(now.naive_utc()),
        Bind::Time(now.naive_utc()),
    ];
    let mut rows = Vec::new();
    for event in &announcement.events {
        for organization_id in &announcement.organizations {
            let payload = serde_json::json!({
                "type": event.code(),
                "timestamp": timestamp,
                "data": announcement.subject.data(organization_id),
            });
            binds.extend([Bind::Text(event.code().to_owned()), Bind::Text((*organization_id).to_owned()), Bind::Text(payload.to_string())]);
            rows.push("(?, ?, ?)");
        }
    }
    // VALUES names its columns column1… on both backends. A subscription's event types
    // are a JSON list of codes: `replace` finds a quoted code in it exactly on both
    // (LIKE would read the `_` in a code as a wildcard). Each delivery's id is the
    // announcement's with the row's number; time-ordered, see `db::ordered_id`.
    let sql = format!(
        "INSERT INTO webhook_deliveries (id, subscription_id, event_type, subject_id, payload, status, attempts, next_attempt_at, created_at) \
         SELECT ? || row_number() OVER (), s.id, e.column1, ?, e.column3, ?, 0, ?, ? \
         FROM webhook_subscriptions s JOIN (VALUES {}) AS e ON s.organization_id = e.column2 \
         WHERE s.active AND replace(s.event_types, '\"' || e.column1 || '\"', '') <> s.event_types",
        rows.join(", ")
    );
    Some(Statement(HandWritten { sql: sql.into(), binds: binds.into() }))
}

/// Queues the announcement's deliveries now, in the caller's transaction (for a change
/// that has no other statement to write them with).
pub fn queue(conn: &mut crate::db::DbConn, announcement: &Announcement<'_>) -> QueryResult<()> {
    match deliveries(announcement) {
        Some(statement) => crate::db::write_together(conn, &[&statement]),
        None => Ok(()),
    }
}

/// How many deliveries wait to be made, and when the oldest of them was queued.
pub fn backlog(conn: &mut crate::db::DbConn) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    webhook_deliveries::table
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.code()))
        .select((diesel::dsl::count_star(), diesel::dsl::min(webhook_deliveries::created_at)))
        .first(conn)
}
