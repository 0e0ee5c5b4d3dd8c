//! Case conferences in the database: the conference (its agenda and the participant's
//! voice sealed), who was invited and came, and the action items (their words sealed).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{ActionStatus, Attendance, ConferenceId, ConferenceStatus, OrganizationId, ParticipantId, Presence};

use crate::db::schema::{case_conferences, conference_actions, conference_invitations, organizations};
use crate::db::DbConn;

/// A row of `case_conferences`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = case_conferences, treat_none_as_null = true)]
pub struct ConferenceRow {
    pub id: ConferenceId,
    pub participant_id: ParticipantId,
    /// The convener: the organization that recorded the participant.
    pub organization_id: OrganizationId,
    pub starts_at: NaiveDateTime,
    pub minutes: i32,
    pub place: Option<String>,
    pub link: Option<String>,
    pub status: ConferenceStatus,
    /// The agenda as JSON (titles, notes, decisions), sealed.
    pub agenda_sealed: String,
    /// What the participant wants said, sealed (an empty text when nothing).
    pub voice_sealed: String,
    pub presence: Presence,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

/// A row of `conference_invitations`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = conference_invitations)]
pub struct InvitationRow {
    pub conference_id: ConferenceId,
    pub organization_id: OrganizationId,
    pub attendance: Attendance,
}

/// A row of `conference_actions`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = conference_actions, treat_none_as_null = true)]
pub struct ActionRow {
    pub id: String,
    pub conference_id: ConferenceId,
    pub participant_id: ParticipantId,
    pub description_sealed: String,
    pub organization_id: OrganizationId,
    pub user_id: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub status: ActionStatus,
    /// `YYYY-MM-DD`, in the partnership's zone.
    pub done_on: Option<String>,
    pub reminded_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &ConferenceRow, invitations: &[InvitationRow]) -> QueryResult<()> {
    diesel::insert_into(case_conferences::table).values(row).execute(conn)?;
    invite(conn, invitations)
}

/// One statement per row: the backends' multi-row INSERT is not one diesel can write for both.
fn invite(conn: &mut DbConn, invitations: &[InvitationRow]) -> QueryResult<()> {
    for invitation in invitations {
        diesel::insert_into(conference_invitations::table).values(invitation).execute(conn)?;
    }
    Ok(())
}

/// Rewrites the conference and its invitations if it is still at `expected`; false when
/// someone else wrote first.
pub fn update(conn: &mut DbConn, row: &ConferenceRow, invitations: &[InvitationRow], expected: i32) -> QueryResult<bool> {
    let target = case_conferences::table.find(&row.id).filter(case_conferences::version.eq(expected));
    if diesel::update(target).set(row).execute(conn)? != 1 {
        return Ok(false);
    }
    diesel::delete(conference_invitations::table.filter(conference_invitations::conference_id.eq(&row.id))).execute(conn)?;
    invite(conn, invitations)?;
    Ok(true)
}

pub fn find(conn: &mut DbConn, id: &ConferenceId) -> QueryResult<Option<ConferenceRow>> {
    case_conferences::table.find(id).select(ConferenceRow::as_select()).first(conn).optional()
}

/// The invitations of these conferences, with the organizations' names.
pub fn invitations(conn: &mut DbConn, ids: &[ConferenceId]) -> QueryResult<Vec<(InvitationRow, String)>> {
    conference_invitations::table
        .inner_join(organizations::table)
        .filter(conference_invitations::conference_id.eq_any(ids))
        .order((conference_invitations::conference_id, organizations::name, organizations::id))
        .select((InvitationRow::as_select(), organizations::name))
        .load(conn)
}

/// A participant's conferences, latest first.
pub fn of_participant(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<ConferenceRow>> {
    case_conferences::table
        .filter(case_conferences::participant_id.eq(participant_id))
        .order((case_conferences::starts_at.desc(), case_conferences::id.desc()))
        .select(ConferenceRow::as_select())
        .load(conn)
}

/// The conferences an organization convened or is invited to, latest first.
pub fn of_organization(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<ConferenceRow>> {
    let invited = conference_invitations::table.filter(conference_invitations::organization_id.eq(organization_id.clone())).select(conference_invitations::conference_id);
    case_conferences::table
        .filter(case_conferences::organization_id.eq(organization_id).or(case_conferences::id.eq_any(invited)))
        .order((case_conferences::starts_at.desc(), case_conferences::id.desc()))
        .select(ConferenceRow::as_select())
        .load(conn)
}

/// The conferences about this participant an organization is invited to.
pub fn invited_to(conn: &mut DbConn, organization_id: &OrganizationId, participant_id: &ParticipantId) -> QueryResult<Vec<ConferenceId>> {
    conference_invitations::table
        .inner_join(case_conferences::table)
        .filter(conference_invitations::organization_id.eq(organization_id))
        .filter(case_conferences::participant_id.eq(participant_id))
        .select(conference_invitations::conference_id)
        .load(conn)
}

pub fn insert_action(conn: &mut DbConn, row: &ActionRow) -> QueryResult<()> {
    diesel::insert_into(conference_actions::table).values(row).execute(conn).map(drop)
}

/// Rewrites an action item if it is still at `expected`.
pub fn update_action(conn: &mut DbConn, row: &ActionRow, expected: i32) -> QueryResult<bool> {
    let target = conference_actions::table.find(&row.id).filter(conference_actions::version.eq(expected));
    Ok(diesel::update(target).set(row).execute(conn)? == 1)
}

pub fn action(conn: &mut DbConn, conference_id: &ConferenceId, action_id: &str) -> QueryResult<Option<ActionRow>> {
    conference_actions::table
        .filter(conference_actions::conference_id.eq(conference_id))
        .filter(conference_actions::id.eq(action_id))
        .select(ActionRow::as_select())
        .first(conn)
        .optional()
}

/// The action items of these conferences, oldest first.
pub fn actions(conn: &mut DbConn, ids: &[ConferenceId]) -> QueryResult<Vec<ActionRow>> {
    conference_actions::table
        .filter(conference_actions::conference_id.eq_any(ids))
        .order((conference_actions::created_at, conference_actions::id))
        .select(ActionRow::as_select())
        .load(conn)
}

/// How many action items of each of these conferences are open.
pub fn open_actions(conn: &mut DbConn, ids: &[ConferenceId]) -> QueryResult<Vec<(ConferenceId, i64)>> {
    conference_actions::table
        .filter(conference_actions::conference_id.eq_any(ids))
        .filter(conference_actions::status.eq(ActionStatus::Open))
        .group_by(conference_actions::conference_id)
        .select((conference_actions::conference_id, diesel::dsl::count_star()))
        .load(conn)
}

/// Open action items due on or before `today` (`YYYY-MM-DD`) whose reminder has not gone
/// out, of conferences not called off.
pub fn due_actions(conn: &mut DbConn, today: &str) -> QueryResult<Vec<ActionRow>> {
    conference_actions::table
        .inner_join(case_conferences::table)
        .filter(conference_actions::due_on.le(today))
        .filter(conference_actions::reminded_at.is_null())
        .filter(conference_actions::status.eq(ActionStatus::Open))
        .filter(case_conferences::status.ne(ConferenceStatus::Cancelled))
        .select(ActionRow::as_select())
        .load(conn)
}

/// Marks an action item's reminder sent, unless another instance did first.
pub fn mark_reminded(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(conference_actions::table.find(id).filter(conference_actions::reminded_at.is_null()))
        .set(conference_actions::reminded_at.eq(at))
        .execute(conn)
        .map(|n| n == 1)
}

/// Deletes a participant's conferences, their invitations and action items (an erasure).
pub fn erase(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<usize> {
    let theirs = case_conferences::table.filter(case_conferences::participant_id.eq(participant_id.clone())).select(case_conferences::id);
    let actions = diesel::delete(conference_actions::table.filter(conference_actions::participant_id.eq(participant_id))).execute(conn)?;
    let invitations = diesel::delete(conference_invitations::table.filter(conference_invitations::conference_id.eq_any(theirs))).execute(conn)?;
    let conferences = diesel::delete(case_conferences::table.filter(case_conferences::participant_id.eq(participant_id))).execute(conn)?;
    Ok(actions + invitations + conferences)
}
