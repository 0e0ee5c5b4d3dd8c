//! The audit trail: every read and write of participant data leaves an event, in the
//! same transaction as the work it records, so there is no access without its event.
//!
//! Events are hash-chained: each holds the previous event's hash and its own SHA-256
//! over its fields and that previous hash. [`verify`] walks the chain and names the first
//! event that was altered, or that follows a deleted one. Nothing here updates or deletes
//! an event, and database triggers refuse it to anyone else.

pub mod disclosure;
pub mod handlers;
pub mod repo;

use chrono::{NaiveDateTime, SubsecRound as _, Utc};
use harbour_types::{AccessPurpose, AuditAction, AuditBreak, AuditVerification, DataCategory};
use sha2::{Digest, Sha256};

use crate::auth::{Actor, Principal};
use crate::db::DbConn;
use repo::AuditRow;

/// The `prev_hash` of the first event.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, to record.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// What was done.
    pub action: AuditAction,
    /// The kind of record: `participant` or `consent`.
    pub entity_type: &'static str,
    /// Its id.
    pub entity_id: &'a str,
    /// The participant concerned.
    pub participant_id: Option<&'a str>,
    /// The consent the access relied on, or the consent acted on.
    pub consent_id: Option<&'a str>,
    /// Why.
    pub purpose: AccessPurpose,
    /// The categories of participant data seen, received or written.
    pub categories: Vec<DataCategory>,
}

/// Who is acting, and in which request: what every audited service call needs.
#[derive(Debug, Clone)]
pub struct Accessor {
    /// The caller.
    pub principal: Principal,
    /// The request id, tying the event to the request's log line.
    pub request_id: Option<String>,
}

/// Appends one event to the chain. Call inside the transaction of the work it records.
pub fn record(conn: &mut DbConn, accessor: &Accessor, entry: &AuditEntry<'_>) -> Result<(), diesel::result::Error> {
    repo::lock_chain(conn)?;
    let prev_hash = repo::head_hash(conn)?.unwrap_or_else(|| GENESIS_HASH.to_owned());
    let (actor_kind, actor_id) = match &accessor.principal.actor {
        Actor::User { id, .. } => ("user", id.clone()),
        Actor::Client { id, .. } => ("client", id.clone()),
    };
    let mut row = AuditRow {
        seq: 0,
        id: uuid::Uuid::new_v4().to_string(),
        // Microseconds are what both databases keep: the hash must survive the round trip.
        occurred_at: Utc::now().naive_utc().trunc_subsecs(6),
        actor_kind: actor_kind.to_owned(),
        actor_id,
        organization_id: accessor.principal.organization_id.clone(),
        action: entry.action.code().to_owned(),
        entity_type: entry.entity_type.to_owned(),
        entity_id: entry.entity_id.to_owned(),
        participant_id: entry.participant_id.map(str::to_owned),
        consent_id: entry.consent_id.map(str::to_owned),
        purpose: entry.purpose.code().to_owned(),
        data_categories: categories_json(&entry.categories),
        request_id: accessor.request_id.clone(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    repo::insert(conn, &row)
}

/// Records the same entry for several participants (a list or search result).
pub fn record_each<'a>(conn: &mut DbConn, accessor: &Accessor, entries: impl IntoIterator<Item = AuditEntry<'a>>) -> Result<(), diesel::result::Error> {
    entries.into_iter().try_for_each(|entry| record(conn, accessor, &entry))
}

fn categories_json(categories: &[DataCategory]) -> String {
    let mut codes: Vec<&str> = categories.iter().map(|c| c.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into())
}

/// The hash of an event: SHA-256 (hex) over a JSON array of its fields and the previous hash.
fn hash_of(row: &AuditRow) -> String {
    let timestamp = |t: &NaiveDateTime| t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
    let canonical = serde_json::json!([
        row.id,
        timestamp(&row.occurred_at),
        row.actor_kind,
        row.actor_id,
        row.organization_id,
        row.action,
        row.entity_type,
        row.entity_id,
        row.participant_id,
        row.consent_id,
        row.purpose,
        row.data_categories,
        row.request_id,
        row.prev_hash,
    ]);
    let digest = Sha256::digest(canonical.to_string().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Walks the whole chain, oldest first, in batches.
pub fn verify(conn: &mut DbConn) -> Result<AuditVerification, diesel::result::Error> {
    const BATCH: i64 = 2000;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut checked = 0u64;
    let mut after = 0i64;
    loop {
        let rows = repo::batch_after(conn, after, BATCH)?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in &rows {
            let broken = |reason: &str| AuditBreak { seq: row.seq, id: row.id.clone(), reason: reason.to_owned() };
            let fault = if row.prev_hash != expected_prev {
                Some(broken("it does not follow the event before it: an earlier event was deleted, altered or reordered"))
            } else if hash_of(row) != row.hash {
                Some(broken("its content does not match its hash: it was altered"))
            } else {
                None
            };
            if fault.is_some() {
                return Ok(AuditVerification { intact: false, events_checked: checked + 1, head_hash: None, first_broken: fault });
            }
            checked += 1;
            expected_prev = row.hash.clone();
        }
    }
    let head_hash = (checked > 0).then_some(expected_prev);
    Ok(AuditVerification { intact: true, events_checked: checked, head_hash, first_broken: None })
}

impl actix_web::FromRequest for Accessor {
    type Error = crate::error::ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Accessor, crate::error::ApiError>>>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        use actix_web::HttpMessage as _;
        let request_id = req.extensions().get::<crate::http::RequestId>().map(|id| id.0.clone());
        let principal = <Principal as actix_web::FromRequest>::from_request(req, payload);
        Box::pin(async move { Ok(Accessor { principal: principal.await?, request_id }) })
    }
}
