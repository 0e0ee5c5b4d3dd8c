//! The erasure ledger in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{ErasureMethod, ErasureReason, OrganizationId, ParticipantId, Role};
use serde::{Deserialize, Serialize};

use crate::db::schema::{audit_events, case_conferences, conference_actions, consents, erasures, idempotency_records, organizations, participants, plan_events, referrals, safety_plan_revisions, user_roles, users};
use crate::db::DbConn;

/// A row of `erasures`: an entry of the ledger (also a line of its file, [`super::ledger`]).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = erasures)]
pub struct ErasureRow {
    pub participant_id: ParticipantId,
    pub organization_id: OrganizationId,
    pub erased_at: NaiveDateTime,
    pub method: ErasureMethod,
    pub reason: ErasureReason,
    pub erased_by: Option<String>,
    #[serde(skip)]
    pub reapplied_at: Option<NaiveDateTime>,
}

/// Enters an erasure in the ledger.
pub fn insert(conn: &mut DbConn, row: &ErasureRow) -> QueryResult<()> {
    diesel::insert_into(erasures::table).values(row).execute(conn).map(drop)
}

/// An entry with the name of who made it (none: Harbour).
pub type Named = (ErasureRow, Option<String>);

/// A page of the ledger, newest first, and the total: one organization's, or all.
pub fn page(conn: &mut DbConn, organization_id: Option<&OrganizationId>, offset: i64, limit: i64) -> QueryResult<(Vec<Named>, i64)> {
    let filtered = || {
        let mut query = erasures::table.left_join(users::table.on(erasures::erased_by.eq(users::id.nullable()))).into_boxed();
        if let Some(organization_id) = organization_id {
            query = query.filter(erasures::organization_id.eq(organization_id.clone()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((erasures::erased_at.desc(), erasures::participant_id.asc()))
        .offset(offset)
        .limit(limit)
        .select((ErasureRow::as_select(), users::display_name.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

/// The whole ledger, oldest first (for a restore to re-apply).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<ErasureRow>> {
    erasures::table.order(erasures::erased_at.asc()).select(ErasureRow::as_select()).load(conn)
}

/// Deletes the responses kept for replay (`crate::idempotency`) of every request that read
/// or wrote the participant's data — the audit trail names those requests — since such a
/// response (a participant recorded, a search's aliases) would otherwise outlive the
/// erasure by up to a day. Returns how many.
pub fn forget_replays_about(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<usize> {
    let requests = audit_events::table.filter(audit_events::participant_id.eq(participant_id)).filter(audit_events::request_id.is_not_null()).select(audit_events::request_id);
    diesel::delete(idempotency_records::table.filter(idempotency_records::request_id.eq_any(requests))).execute(conn)
}

/// Whether the ledger has this participant.
pub fn contains(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(erasures::table.find(participant_id))).get_result(conn)
}

/// Whether a user exists (a restored backup may predate them).
pub fn user_exists(conn: &mut DbConn, user_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(users::table.find(user_id))).get_result(conn)
}

/// Whether an organization exists (a restored backup may predate it).
pub fn organization_exists(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(organizations::table.find(organization_id))).get_result(conn)
}

/// Which retention notices a search for inactive participants wants.
#[derive(Debug, Clone, Copy)]
pub enum Noticed {
    /// None yet, or one older than this (given before activity since, so void).
    NoneSince(NaiveDateTime),
    /// One given within `after..=before`: after the participant's last activity, and
    /// long enough ago.
    Between { after: NaiveDateTime, before: NaiveDateTime },
}

/// Participants not erased with no activity since `since` — their record written,
/// a consent given or withdrawn, a referral made or closed, a safety plan written, their
/// individualized plan changed, a case conference about them written (reads are not activity) — and notices as `noticed` says, oldest first; `only`: just this one.
pub fn inactive_since(conn: &mut DbConn, since: NaiveDateTime, noticed: Noticed, only: Option<&ParticipantId>, at_most: i64) -> QueryResult<Vec<(ParticipantId, OrganizationId)>> {
    use diesel::dsl::{exists, not};
    let referred = referrals::table.filter(referrals::participant_id.eq(participants::id)).filter(referrals::created_at.ge(since).or(referrals::closed_at.ge(since)));
    let consented = consents::table.filter(consents::participant_id.eq(participants::id)).filter(consents::given_at.ge(since).or(consents::revoked_at.ge(since)));
    let planned = safety_plan_revisions::table.filter(safety_plan_revisions::participant_id.eq(participants::id)).filter(safety_plan_revisions::written_at.ge(since));
    // Every write to an individualized plan leaves an event in its timeline.
    let worked_on = plan_events::table.filter(plan_events::participant_id.eq(participants::id)).filter(plan_events::recorded_at.ge(since));
    // A conference convened or written, or one of its action items changed.
    let conferred = case_conferences::table.filter(case_conferences::participant_id.eq(participants::id)).filter(case_conferences::updated_at.ge(since));
    let acted = conference_actions::table.filter(conference_actions::participant_id.eq(participants::id)).filter(conference_actions::updated_at.ge(since));
    let mut query = participants::table
        .filter(participants::erased_at.is_null())
        .filter(participants::updated_at.lt(since))
        .filter(not(exists(referred)))
        .filter(not(exists(consented)))
        .filter(not(exists(planned)))
        .filter(not(exists(worked_on)))
        .filter(not(exists(conferred)))
        .filter(not(exists(acted)))
        .into_boxed();
    query = match noticed {
        Noticed::NoneSince(void_before) => query.filter(participants::retention_notice_at.is_null().or(participants::retention_notice_at.lt(void_before))),
        Noticed::Between { after, before } => query.filter(participants::retention_notice_at.ge(after)).filter(participants::retention_notice_at.le(before)),
    };
    if let Some(id) = only {
        query = query.filter(participants::id.eq(id.clone()));
    }
    query.order(participants::updated_at.asc()).limit(at_most).select((participants::id, participants::organization_id)).load(conn)
}

/// Records that a participant's retention notice went out now, unless a valid one did
/// already (another instance): returns whether this call recorded it.
pub fn claim_notice(conn: &mut DbConn, id: &ParticipantId, now: NaiveDateTime, void_before: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        participants::table
            .find(id)
            .filter(participants::erased_at.is_null())
            .filter(participants::retention_notice_at.is_null().or(participants::retention_notice_at.lt(void_before))),
    )
    .set(participants::retention_notice_at.eq(now))
    .execute(conn)
    .map(|n| n == 1)
}

/// Who is told a participant's record is due for erasure: their primary contact, or
/// (with none active) their organization's agency admins.
pub fn notice_addresses(conn: &mut DbConn, id: &ParticipantId, organization_id: &OrganizationId) -> QueryResult<Vec<String>> {
    let contact: Option<String> = participants::table
        .inner_join(users::table.on(participants::primary_contact_id.eq(users::id.nullable())))
        .filter(participants::id.eq(id))
        .filter(users::active.eq(true))
        .select(users::email)
        .first(conn)
        .optional()?;
    if let Some(contact) = contact {
        return Ok(vec![contact]);
    }
    users::table
        .inner_join(user_roles::table)
        .filter(users::organization_id.eq(organization_id))
        .filter(users::active.eq(true))
        .filter(user_roles::role.eq(Role::AgencyAdmin))
        .select(users::email)
        .order(users::email.asc())
        .load(conn)
}
