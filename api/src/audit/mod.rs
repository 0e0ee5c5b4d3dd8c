//! The audit trail: every read and write of participant data leaves an event, in the
//! same transaction as the work it records, so there is no access without its event.
//!
//! Events are hash-chained: each holds the previous event's hash and its own SHA-256
//! over its fields and that previous hash. There are [`CHAINS`] chains, and every event
//! about a participant joins the same one (chosen from the participant's id): appending
//! holds a chain's lock until the transaction commits, so with a single chain every
//! audited write in the partnership waited for the one before it to reach the disk;
//! now only writes whose participants share a chain do, and a participant's events
//! still all link up in one chain. [`verify`] walks the chains and names the first event
//! that was altered, or that follows a deleted one. Nothing here updates or deletes an
//! event, and database triggers refuse it to anyone else.

pub mod checkpoint;
pub mod handlers;
pub mod pruning;
pub mod repo;
pub mod service;

use std::cell::OnceCell;

use chrono::{NaiveDateTime, SubsecRound as _, Utc};
use harbour_types::{AccessPurpose, AuditAction, AuditBreak, AuditCheckpoint, AuditVerification, ChainHead, CheckpointCheck, ConsentId, DataCategory, OrganizationId, ParticipantId};
use sha2::{Digest, Sha256};

use crate::auth::{Actor, Principal};
use crate::crypto::Keyring;
use crate::db::{ordered_id, DbConn, HandWritten, Write};
use repo::AuditRow;

/// The `prev_hash` of the first event of each chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How many chains the trail is split into (see the module's documentation).
pub const CHAINS: i16 = 16;

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
    pub participant_id: Option<&'a ParticipantId>,
    /// The consent the access relied on, or the consent acted on.
    pub consent_id: Option<&'a ConsentId>,
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

/// The chain of an event: its participant's, else its record's.
fn chain_of(entry: &AuditEntry<'_>) -> i16 {
    let key = entry.participant_id.map_or(entry.entity_id, ParticipantId::as_str);
    i16::from(Sha256::digest(key.as_bytes())[0]) % CHAINS
}

/// Appends one event to its chain. Call inside the transaction of the work it records.
pub fn record(conn: &mut DbConn, accessor: &Accessor, entry: &AuditEntry<'_>) -> Result<(), diesel::result::Error> {
    appending(accessor, entry).write(conn)
}

/// The appending of one event to its chain, to do with the writes of the work it records
/// ([`crate::db::write_together`]), in that work's transaction.
pub fn appending(accessor: &Accessor, entry: &AuditEntry<'_>) -> Appending {
    let (actor_kind, actor_id) = match &accessor.principal.actor {
        Actor::User { id, .. } => ("user", id.clone()),
        Actor::Client { id, .. } => ("client", id.clone()),
    };
    appending_as(actor_kind, actor_id, &accessor.principal.organization_id, accessor.request_id.clone(), entry)
}

/// Records what Harbour itself did, not at anyone's request (`task`: the retention
/// sweep, a restore re-applying an erasure), on behalf of `organization_id`.
pub fn record_by_harbour(conn: &mut DbConn, organization_id: &OrganizationId, task: &str, entry: &AuditEntry<'_>) -> Result<(), diesel::result::Error> {
    appending_as(HARBOUR_ACTOR, task.to_owned(), organization_id, None, entry).write(conn)
}

/// The `actor_kind` of what Harbour did by itself.
pub const HARBOUR_ACTOR: &str = "harbour";

fn appending_as(actor_kind: &str, actor_id: String, organization_id: &OrganizationId, request_id: Option<String>, entry: &AuditEntry<'_>) -> Appending {
    let row = AuditRow {
        seq: 0,
        id: ordered_id(),
        // Microseconds are what both databases keep: the hash must survive the round trip.
        occurred_at: Utc::now().naive_utc().trunc_subsecs(6),
        actor_kind: actor_kind.to_owned(),
        actor_id,
        organization_id: organization_id.clone(),
        action: entry.action,
        entity_type: entry.entity_type.to_owned(),
        entity_id: entry.entity_id.to_owned(),
        participant_id: entry.participant_id.cloned(),
        consent_id: entry.consent_id.cloned(),
        purpose: entry.purpose,
        data_categories: categories_json(&entry.categories),
        request_id,
        prev_hash: String::new(),
        hash: String::new(),
        chain: chain_of(entry),
    };
    Appending { row, by_database: OnceCell::new() }
}

/// An event to append ([`appending`]).
pub struct Appending {
    row: AuditRow,
    /// On PostgreSQL, the database reads the chain's head and hashes: one statement where
    /// reading the head and inserting took two. Made when first asked for, so SQLite, which
    /// hashes here, does not write out the canonical text twice.
    by_database: OnceCell<HandWritten<'static>>,
}

impl Appending {
    fn by_database(&self) -> &HandWritten<'static> {
        self.by_database.get_or_init(|| repo::append_hashed_by_database(&self.row, GENESIS_HASH, canonical_head(&self.row)))
    }
}

impl Write for Appending {
    fn statement(&self) -> &dyn diesel::query_builder::QueryFragment<diesel::pg::Pg> {
        self.by_database()
    }

    fn write(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        use diesel::query_dsl::methods::ExecuteDsl;
        if let DbConn::Postgresql(pg) = conn {
            return ExecuteDsl::execute(self.by_database(), pg).map(drop);
        }
        let mut row = self.row.clone();
        row.prev_hash = repo::head(conn, row.chain)?.unwrap_or_else(|| GENESIS_HASH.to_owned());
        row.hash = hash_of(&row);
        repo::insert(conn, &row)
    }

    fn is_select(&self) -> bool {
        true
    }
}

/// Records the same entry for several participants (a list or search result).
pub fn record_each<'a>(conn: &mut DbConn, accessor: &Accessor, entries: impl IntoIterator<Item = AuditEntry<'a>>) -> Result<(), diesel::result::Error> {
    let entries: Vec<AuditEntry<'a>> = entries.into_iter().collect();
    // Every chain this needs, locked in one order: two lists locking their chains as
    // they came would deadlock each other.
    let mut chains: Vec<i16> = entries.iter().map(chain_of).collect();
    chains.sort_unstable();
    chains.dedup();
    chains.into_iter().try_for_each(|chain| repo::lock_chain(conn, chain))?;
    entries.iter().try_for_each(|entry| record(conn, accessor, entry))
}

fn categories_json(categories: &[DataCategory]) -> String {
    let mut codes: Vec<&str> = categories.iter().map(|c| c.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    crate::db::codes_to_json(codes)
}

/// The canonical JSON array of an event's fields and the previous hash, which its hash is
/// taken over, written up to that last element (`[id,…,request_id,`): PostgreSQL appends
/// the previous hash it reads and hashes the whole (migration 17), [`hash_of`] the same here.
fn canonical_head(row: &AuditRow) -> String {
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
        "",
    ])
    .to_string();
    canonical.strip_suffix("\"\"]").unwrap_or(&canonical).to_owned()
}

/// The hash of an event: SHA-256 (hex) over a JSON array of its fields and the previous hash.
fn hash_of(row: &AuditRow) -> String {
    let prev = serde_json::to_string(&row.prev_hash).unwrap_or_default();
    let digest = Sha256::digest(format!("{}{prev}]", canonical_head(row)).as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Walks every chain, oldest event first, in batches, each from its anchor if it was
/// pruned (whose signature `keyring` checks).
pub fn verify(conn: &mut DbConn, keyring: &Keyring) -> Result<AuditVerification, diesel::result::Error> {
    verify_against(conn, keyring, None)
}

/// Walks every chain as [`verify`] does and, given a checkpoint (and whether its
/// signature is this instance's), also finds each chain's event the checkpoint names as
/// its newest, with the hash it signed, and counts the events it counted that are gone.
pub fn verify_against(conn: &mut DbConn, keyring: &Keyring, checkpoint: Option<(&AuditCheckpoint, bool)>) -> Result<AuditVerification, diesel::result::Error> {
    const BATCH: i64 = 2000;
    let mut heads: Vec<Option<String>> = vec![None; CHAINS as usize];
    let mut lengths = [0u64; CHAINS as usize];
    // A pruned chain starts from its anchor; an anchor not signed by these keys was
    // written by someone else, to cover a deletion.
    for anchor in repo::anchors(conn)? {
        let place = usize::try_from(anchor.chain).ok().filter(|&c| c < heads.len());
        let signed = keyring.verify_signature(&anchor.key_id, pruning::anchor_text(&anchor).as_bytes(), &anchor.signature);
        let Some(c) = place.filter(|_| signed) else {
            let reason = format!("the record of the events pruned from chain {} is not signed by this instance's keys: events were deleted", anchor.chain);
            let broken = AuditBreak { seq: anchor.last_seq, id: String::new(), reason };
            return Ok(AuditVerification { intact: false, events_checked: 0, head_hash: None, chain_heads: Vec::new(), first_broken: Some(broken), checkpoint: None });
        };
        heads[c] = Some(anchor.last_hash);
        lengths[c] = anchor.pruned_events.unsigned_abs();
    }
    let expected: std::collections::HashMap<i16, &ChainHead> = checkpoint.map(|(c, _)| c.chains.iter().map(|h| (h.chain, h)).collect()).unwrap_or_default();
    let mut checked = 0u64;
    let mut after = 0i64;
    let mut newest = None;
    loop {
        let rows = repo::batch_after(conn, after, BATCH)?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in &rows {
            let broken = |reason: &str| AuditBreak { seq: row.seq, id: row.id.clone(), reason: reason.to_owned() };
            let chain = usize::try_from(row.chain).ok().filter(|&c| c < heads.len());
            let fault = match chain {
                None => Some(broken("it names no chain: it was altered")),
                Some(c) if row.prev_hash != heads[c].as_deref().unwrap_or(GENESIS_HASH) => {
                    Some(broken("it does not follow the event before it: an earlier event was deleted, altered or reordered"))
                }
                Some(_) if hash_of(row) != row.hash => Some(broken("its content does not match its hash: it was altered")),
                Some(c) => {
                    heads[c] = Some(row.hash.clone());
                    lengths[c] += 1;
                    expected
                        .get(&row.chain)
                        .filter(|head| head.events == lengths[c] && head.head != row.hash)
                        .map(|_| broken("it is not the event the checkpoint signed at this place in its chain: the chain was rewritten"))
                }
            };
            if fault.is_some() {
                return Ok(AuditVerification { intact: false, events_checked: checked + 1, head_hash: None, chain_heads: Vec::new(), first_broken: fault, checkpoint: None });
            }
            checked += 1;
            newest = Some(row.hash.clone());
        }
    }
    let checkpoint = checkpoint.map(|(c, signed)| {
        let length = |chain: i16| usize::try_from(chain).ok().and_then(|c| lengths.get(c)).copied().unwrap_or(0);
        let short: Vec<&ChainHead> = c.chains.iter().filter(|h| length(h.chain) < h.events).collect();
        CheckpointCheck {
            taken_at: c.taken_at.clone(),
            signed,
            missing_events: short.iter().map(|h| h.events - length(h.chain)).sum(),
            short_chains: short.iter().map(|h| h.chain).collect(),
        }
    });
    let intact = checkpoint.as_ref().is_none_or(|c| c.signed && c.missing_events == 0);
    Ok(AuditVerification { intact, events_checked: checked, head_hash: newest, chain_heads: heads.into_iter().flatten().collect(), first_broken: None, checkpoint })
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

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::verify_audit)
        .service(handlers::verify_audit_against)
        .service(handlers::take_audit_checkpoint)
        .service(handlers::list_audit_events);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Chains already written must keep verifying: the hash is SHA-256 over the compact JSON
    /// array `[id, occurred_at, …, request_id, prev_hash]` (worked out here independently).
    #[test]
    fn an_event_hashes_as_its_chain_was_written() -> Result<(), chrono::ParseError> {
        let row = AuditRow {
            seq: 7,
            id: "01900000-0000-7000-8000-000000000001".into(),
            occurred_at: NaiveDateTime::parse_from_str("2026-12-02 10:00:00.123456", "%Y-%m-%d %H:%M:%S%.f")?,
            actor_kind: "user".into(),
            actor_id: "u1".into(),
            organization_id: "o1".into(),
            action: AuditAction::ParticipantRead,
            entity_type: "participant".into(),
            entity_id: "p1".into(),
            participant_id: Some("p1".into()),
            consent_id: None,
            purpose: AccessPurpose::Referral,
            data_categories: "[\"needs\"]".into(),
            request_id: None,
            prev_hash: "ab".repeat(32),
            hash: String::new(),
            chain: 3,
        };
        assert_eq!(
            canonical_head(&row),
            r#"["01900000-0000-7000-8000-000000000001","2026-12-02T10:00:00.123456Z","user","u1","o1","participant.read","participant","p1","p1",null,"referral","[\"needs\"]",null,"#
        );
        assert_eq!(hash_of(&row), "2f1ae1646d7d38677dd45924de4a137efb678c78d818299683f1978d9c8076dc");
        Ok(())
    }
}
