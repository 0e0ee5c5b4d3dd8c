//! Safety plan revisions in the database: written once each, never changed.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::ParticipantId;

use crate::db::schema::{safety_plan_revisions, users};
use crate::db::{DbConn, MultiBackend};
use crate::participants::repo::reminder_address;

/// A row of `safety_plan_revisions`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = safety_plan_revisions)]
pub struct RevisionRow {
    pub id: String,
    pub participant_id: ParticipantId,
    pub revision: i32,
    pub content_sealed: String,
    /// `YYYY-MM-DD`.
    pub review_on: Option<String>,
    pub written_by: String,
    pub written_at: NaiveDateTime,
    /// When the primary contact was reminded of its review date.
    pub reminded_at: Option<NaiveDateTime>,
}

/// The number of the participant's latest revision; 0 before the first.
pub fn current_revision(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<i32> {
    let latest: Option<i32> = safety_plan_revisions::table.filter(safety_plan_revisions::participant_id.eq(participant_id)).select(diesel::dsl::max(safety_plan_revisions::revision)).first(conn)?;
    Ok(latest.unwrap_or(0))
}

/// One revision (the latest with none given), with its writer's name.
pub fn revision(conn: &mut DbConn, participant_id: &ParticipantId, number: Option<i32>) -> QueryResult<Option<(RevisionRow, String)>> {
    let mut query = safety_plan_revisions::table
        .inner_join(users::table)
        .filter(safety_plan_revisions::participant_id.eq(participant_id))
        .select((RevisionRow::as_select(), users::display_name))
        .order(safety_plan_revisions::revision.desc())
        .into_boxed();
    if let Some(number) = number {
        query = query.filter(safety_plan_revisions::revision.eq(number));
    }
    query.first(conn).optional()
}

/// A revision in the plan's history, without its words.
#[derive(Debug, Clone, Queryable)]
pub struct HistoryRow {
    pub revision: i32,
    pub written_at: NaiveDateTime,
    pub review_on: Option<String>,
    pub written_by_name: String,
}

/// Every revision, newest first, without their content: who wrote each, and when.
pub fn history(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<HistoryRow>> {
    safety_plan_revisions::table
        .inner_join(users::table)
        .filter(safety_plan_revisions::participant_id.eq(participant_id))
        .order(safety_plan_revisions::revision.desc())
        .select((safety_plan_revisions::revision, safety_plan_revisions::written_at, safety_plan_revisions::review_on, users::display_name))
        .load(conn)
}

/// Stores a revision; false when another writer stored one with the same number first
/// (PostgreSQL lets two transactions read the same current revision; the unique key
/// decides, and the loser's transaction keeps nothing).
pub fn insert(conn: &mut DbConn, row: &RevisionRow) -> QueryResult<bool> {
    match diesel::insert_into(safety_plan_revisions::table).values(row).execute(conn) {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A current revision whose review date has come and whose reminder has not gone out:
/// the participant, its number, and where to write (the primary contact, else the writer).
#[derive(Debug, Clone)]
pub struct DueReview {
    pub participant_id: ParticipantId,
    pub revision_id: String,
    pub address: Option<String>,
}

/// Every plan's current revision: the one no later revision of the same plan replaced.
fn current() -> safety_plan_revisions::BoxedQuery<'static, MultiBackend> {
    let newer = diesel::alias!(safety_plan_revisions as newer);
    let replaced = newer
        .filter(newer.field(safety_plan_revisions::participant_id).eq(safety_plan_revisions::participant_id))
        .filter(newer.field(safety_plan_revisions::revision).gt(safety_plan_revisions::revision));
    safety_plan_revisions::table.filter(diesel::dsl::not(diesel::dsl::exists(replaced))).into_boxed()
}

/// The reviews due on or before `today` (`YYYY-MM-DD`) not yet reminded, each plan's
/// current revision only (a later revision brings its own date).
pub fn due_reviews(conn: &mut DbConn, today: &str) -> QueryResult<Vec<DueReview>> {
    // Revisions replaced before their date are never reminded: they are left out here,
    // not read and passed over at every sweep for ever.
    let due: Vec<RevisionRow> = current()
        .filter(safety_plan_revisions::review_on.le(today.to_owned()))
        .filter(safety_plan_revisions::reminded_at.is_null())
        .select(RevisionRow::as_select())
        .load(conn)?;
    let mut out = Vec::new();
    for row in due {
        let address = reminder_address(conn, &row.participant_id, &row.written_by)?;
        out.push(DueReview { participant_id: row.participant_id, revision_id: row.id, address });
    }
    Ok(out)
}

/// How many plans' current revision is not past its review date on `today` (none set
/// counts as not past): the coordinators' "current safety plans".
pub fn current_in_review(conn: &mut DbConn, today: &str) -> QueryResult<i64> {
    current()
        .filter(safety_plan_revisions::review_on.is_null().or(safety_plan_revisions::review_on.ge(today.to_owned())))
        .count()
        .get_result(conn)
}

/// Marks a revision's reminder as sent; false when another instance did first.
pub fn mark_reminded(conn: &mut DbConn, revision_id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    let changed = diesel::update(safety_plan_revisions::table.find(revision_id).filter(safety_plan_revisions::reminded_at.is_null())).set(safety_plan_revisions::reminded_at.eq(at)).execute(conn)?;
    Ok(changed == 1)
}

/// Every revision's sealed words, for re-sealing under a new key.
pub fn all_sealed(conn: &mut DbConn) -> QueryResult<Vec<(String, ParticipantId, i32, String)>> {
    safety_plan_revisions::table
        .select((safety_plan_revisions::id, safety_plan_revisions::participant_id, safety_plan_revisions::revision, safety_plan_revisions::content_sealed))
        .load(conn)
}

/// Replaces a revision's sealed words by the same words sealed under another key: the
/// one change a revision ever gets, and it changes no word.
pub fn reseal(conn: &mut DbConn, id: &str, sealed: &str) -> QueryResult<()> {
    diesel::update(safety_plan_revisions::table.find(id)).set(safety_plan_revisions::content_sealed.eq(sealed)).execute(conn).map(drop)
}

/// Deletes every revision of a participant's plan (their erasure); returns how many.
pub fn delete_for(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<usize> {
    diesel::delete(safety_plan_revisions::table.filter(safety_plan_revisions::participant_id.eq(participant_id))).execute(conn)
}
