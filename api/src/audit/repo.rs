//! Audit events in the database: append and read, never update or delete.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{AccessPurpose, AuditAction, ConsentId, OrganizationId, ParticipantId};

use crate::db::schema::{audit_anchors, audit_events};
use crate::db::{Bind, DbConn, HandWritten};

/// A row of `audit_events`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditRow {
    pub seq: i64,
    pub id: String,
    pub occurred_at: NaiveDateTime,
    pub actor_kind: String,
    pub actor_id: String,
    pub organization_id: OrganizationId,
    pub action: AuditAction,
    pub entity_type: String,
    pub entity_id: String,
    pub participant_id: Option<ParticipantId>,
    pub consent_id: Option<ConsentId>,
    pub purpose: AccessPurpose,
    pub data_categories: String,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
    pub chain: i16,
}

/// An arbitrary constant naming the audit chains' advisory locks (one per chain after it).
const AUDIT_CHAIN_LOCK: i64 = 0x4841_5242_4155_4400; // "HARBAUD"

/// Serializes appends to one chain until the transaction ends, so two writers never
/// take the same previous hash. SQLite needs nothing: a write transaction there holds
/// the database's one write lock from its start (see [`crate::db::transaction`]).
pub fn lock_chain(conn: &mut DbConn, chain: i16) -> QueryResult<()> {
    if let DbConn::Postgresql(pg) = conn {
        HandWritten { sql: "SELECT pg_advisory_xact_lock(?)".into(), binds: vec![Bind::BigInt(AUDIT_CHAIN_LOCK + i64::from(chain))].into() }.execute(pg)?;
    }
    Ok(())
}

/// The hash of a chain's newest event. For SQLite, whose write transaction already holds
/// the database's one write lock; PostgreSQL reads it in [`append_hashed_by_database`].
pub fn head(conn: &mut DbConn, chain: i16) -> QueryResult<Option<String>> {
    audit_events::table.filter(audit_events::chain.eq(chain)).order(audit_events::seq.desc()).select(audit_events::hash).first(conn).optional()
}

/// The statement appending an event on PostgreSQL in one round trip (the function of
/// migration 17): the database locks the chain as [`lock_chain`] does, takes its newest
/// hash (or `genesis`) as the event's `prev_hash`, and hashes the event from
/// `canonical_head`, the text of its canonical array up to that hash. `row.prev_hash`
/// and `row.hash` are not read.
pub fn append_hashed_by_database(row: &AuditRow, genesis: &str, canonical_head: String) -> HandWritten<'static> {
    let text = |value: &str| Bind::Text(value.to_owned());
    let binds = vec![
        Bind::BigInt(AUDIT_CHAIN_LOCK + i64::from(row.chain)),
        Bind::SmallInt(row.chain),
        text(genesis),
        Bind::Text(canonical_head),
        text(&row.id),
        Bind::Time(row.occurred_at),
        text(&row.actor_kind),
        text(&row.actor_id),
        text(row.organization_id.as_str()),
        text(row.action.code()),
        text(&row.entity_type),
        text(&row.entity_id),
        Bind::OptionalText(row.participant_id.clone().map(String::from)),
        Bind::OptionalText(row.consent_id.clone().map(String::from)),
        text(row.purpose.code()),
        text(&row.data_categories),
        Bind::OptionalText(row.request_id.clone()),
    ];
    HandWritten { sql: "SELECT harbour_audit_append(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)".into(), binds: binds.into() }
}

/// Appends an event (its `seq` is assigned by the database).
pub fn insert(conn: &mut DbConn, row: &AuditRow) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::id.eq(&row.id),
            audit_events::occurred_at.eq(row.occurred_at),
            audit_events::actor_kind.eq(&row.actor_kind),
            audit_events::actor_id.eq(&row.actor_id),
            audit_events::organization_id.eq(&row.organization_id),
            audit_events::action.eq(row.action),
            audit_events::entity_type.eq(&row.entity_type),
            audit_events::entity_id.eq(&row.entity_id),
            audit_events::participant_id.eq(&row.participant_id),
            audit_events::consent_id.eq(&row.consent_id),
            audit_events::purpose.eq(row.purpose),
            audit_events::data_categories.eq(&row.data_categories),
            audit_events::request_id.eq(&row.request_id),
            audit_events::prev_hash.eq(&row.prev_hash),
            audit_events::hash.eq(&row.hash),
            audit_events::chain.eq(row.chain),
        ))
        .execute(conn)
        .map(drop)
}

/// Each chain that has events: its number, how many it has, and its newest event's hash —
/// in one statement, so all of it is of one moment.
pub fn chain_heads(conn: &mut DbConn) -> QueryResult<Vec<(i16, i64, String)>> {
    #[derive(QueryableByName)]
    struct Head {
        #[diesel(sql_type = diesel::sql_types::SmallInt)]
        chain: i16,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        events: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        hash: String,
    }
    // A pruned chain counts its pruned events too: positions in a chain never change.
    let sql = "SELECT e.chain AS chain, c.events + COALESCE(a.pruned_events, 0) AS events, e.hash AS hash FROM audit_events e \
               JOIN (SELECT chain, COUNT(*) AS events, MAX(seq) AS newest FROM audit_events GROUP BY chain) c ON e.seq = c.newest \
               LEFT JOIN audit_anchors a ON a.chain = e.chain ORDER BY e.chain";
    let heads: Vec<Head> = crate::db::load_sql(conn, sql, &[])?;
    Ok(heads.into_iter().map(|h| (h.chain, h.events, h.hash)).collect())
}

/// A row of `audit_anchors`: what was pruned from the start of one chain.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = audit_anchors)]
pub struct AnchorRow {
    pub chain: i16,
    pub pruned_events: i64,
    pub last_seq: i64,
    pub last_hash: String,
    pub pruned_at: NaiveDateTime,
    pub key_id: String,
    pub signature: String,
}

/// Every chain's anchor.
pub fn anchors(conn: &mut DbConn) -> QueryResult<Vec<AnchorRow>> {
    audit_anchors::table.order(audit_anchors::chain.asc()).select(AnchorRow::as_select()).load(conn)
}

/// Writes a chain's anchor, over the one before, then deletes the events it covers
/// (the triggers allow deleting those only): returns how many were deleted.
pub fn prune_to(conn: &mut DbConn, anchor: &AnchorRow) -> QueryResult<usize> {
    diesel::delete(audit_anchors::table.find(anchor.chain)).execute(conn)?;
    diesel::insert_into(audit_anchors::table).values(anchor).execute(conn)?;
    diesel::delete(audit_events::table.filter(audit_events::chain.eq(anchor.chain)).filter(audit_events::seq.le(anchor.last_seq))).execute(conn)
}

/// Up to `limit` events of one chain after `seq`, oldest first.
pub fn chain_after(conn: &mut DbConn, chain: i16, seq: i64, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_events::table
        .filter(audit_events::chain.eq(chain))
        .filter(audit_events::seq.gt(seq))
        .order(audit_events::seq.asc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}

/// Up to `limit` events after `seq`, oldest first.
pub fn batch_after(conn: &mut DbConn, seq: i64, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_events::table.filter(audit_events::seq.gt(seq)).order(audit_events::seq.asc()).limit(limit).select(AuditRow::as_select()).load(conn)
}

/// Every event about one participant, oldest first.
pub fn for_participant(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<AuditRow>> {
    audit_events::table
        .filter(audit_events::participant_id.eq(participant_id))
        .order(audit_events::seq.asc())
        .select(AuditRow::as_select())
        .load(conn)
}

/// A page of events, newest first, optionally about one participant.
pub fn page(conn: &mut DbConn, participant_id: Option<&ParticipantId>, offset: i64, limit: i64) -> QueryResult<(Vec<AuditRow>, i64)> {
    let filtered = || {
        let mut query = audit_events::table.into_boxed();
        if let Some(id) = participant_id {
            query = query.filter(audit_events::participant_id.eq(id.to_owned()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered().order(audit_events::seq.desc()).offset(offset).limit(limit).select(AuditRow::as_select()).load(conn)?;
    Ok((rows, total))
}
