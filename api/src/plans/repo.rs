//! Individualized plans in the database: the plan's settings, its goals and steps (their
//! words sealed), the stages of change recorded, and the timeline.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{GoalDomain, GoalStatus, OrganizationId, ParticipantId, PlanEventKind, StageOfChange, StepOwnerKind, StepStatus};

use crate::db::schema::{individual_plans, plan_events, plan_goals, plan_stages, plan_steps, users};
use crate::db::DbConn;
use crate::participants::repo::reminder_address;

/// A row of `individual_plans`: the plan's own settings.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = individual_plans)]
#[diesel(treat_none_as_null = true)]
pub struct PlanRow {
    pub participant_id: ParticipantId,
    /// `YYYY-MM-DD`.
    pub review_on: Option<String>,
    pub version: i32,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    /// When the review date's reminder went out.
    pub reminded_at: Option<NaiveDateTime>,
}

/// A row of `plan_goals`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_goals)]
pub struct GoalRow {
    pub id: String,
    pub participant_id: ParticipantId,
    pub domain: GoalDomain,
    pub title_sealed: String,
    pub status: GoalStatus,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A row of `plan_steps`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_steps)]
pub struct StepRow {
    pub id: String,
    pub goal_id: String,
    pub participant_id: ParticipantId,
    pub description_sealed: String,
    pub owner_kind: StepOwnerKind,
    pub owner_user_id: Option<String>,
    pub owner_organization_id: Option<OrganizationId>,
    /// `YYYY-MM-DD`.
    pub due_on: Option<String>,
    pub status: StepStatus,
    pub referral_id: Option<harbour_types::ReferralId>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A row of `plan_stages`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_stages)]
pub struct StageRow {
    pub id: String,
    pub participant_id: ParticipantId,
    pub stage: StageOfChange,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// A row of `plan_events`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_events)]
pub struct EventRow {
    pub id: String,
    pub participant_id: ParticipantId,
    pub kind: PlanEventKind,
    pub goal_id: Option<String>,
    pub step_id: Option<String>,
    pub status: Option<String>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// The plan's settings, if they were ever set.
pub fn plan(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Option<PlanRow>> {
    individual_plans::table.find(participant_id).select(PlanRow::as_select()).first(conn).optional()
}

/// Writes the plan's settings if they are still at `expected` (0: never set); false
/// when someone else wrote first.
pub fn save_plan(conn: &mut DbConn, row: &PlanRow, expected: i32) -> QueryResult<bool> {
    if expected == 0 {
        return match diesel::insert_into(individual_plans::table).values(row).execute(conn) {
            Ok(_) => Ok(true),
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
            Err(e) => Err(e),
        };
    }
    let target = individual_plans::table.find(&row.participant_id).filter(individual_plans::version.eq(expected));
    Ok(diesel::update(target).set(row).execute(conn)? == 1)
}

/// The plans whose review date has come (on or before `today`, `YYYY-MM-DD`) and whose
/// reminder has not gone out: the participant, and where to write (their primary
/// contact, else whoever set the date), if that account is active.
pub fn due_reviews(conn: &mut DbConn, today: &str) -> QueryResult<Vec<(ParticipantId, Option<String>)>> {
    let due: Vec<(ParticipantId, String)> = individual_plans::table
        .filter(individual_plans::review_on.le(today))
        .filter(individual_plans::reminded_at.is_null())
        .select((individual_plans::participant_id, individual_plans::updated_by))
        .load(conn)?;
    let mut out = Vec::new();
    for (participant_id, set_by) in due {
        let address = reminder_address(conn, &participant_id, &set_by)?;
        out.push((participant_id, address));
    }
    Ok(out)
}

/// Marks a plan's review reminder as sent; false when another instance did first.
pub fn mark_reminded(conn: &mut DbConn, participant_id: &ParticipantId, at: NaiveDateTime) -> QueryResult<bool> {
    let target = individual_plans::table.find(participant_id).filter(individual_plans::reminded_at.is_null());
    Ok(diesel::update(target).set(individual_plans::reminded_at.eq(at)).execute(conn)? == 1)
}

/// The participant's goals, oldest first.
pub fn goals(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<GoalRow>> {
    plan_goals::table
        .filter(plan_goals::participant_id.eq(participant_id))
        .order((plan_goals::created_at, plan_goals::id))
        .select(GoalRow::as_select())
        .load(conn)
}

/// One goal of this participant's.
pub fn goal(conn: &mut DbConn, participant_id: &ParticipantId, goal_id: &str) -> QueryResult<Option<GoalRow>> {
    plan_goals::table
        .find(goal_id)
        .filter(plan_goals::participant_id.eq(participant_id))
        .select(GoalRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_goal(conn: &mut DbConn, row: &GoalRow) -> QueryResult<()> {
    diesel::insert_into(plan_goals::table).values(row).execute(conn).map(drop)
}

/// Replaces a goal's domain, words and status if it is still at `expected`.
pub fn update_goal(conn: &mut DbConn, row: &GoalRow, expected: i32) -> QueryResult<bool> {
    let target = plan_goals::table.find(&row.id).filter(plan_goals::version.eq(expected));
    let changed = diesel::update(target)
        .set((
            plan_goals::domain.eq(row.domain),
            plan_goals::title_sealed.eq(&row.title_sealed),
            plan_goals::status.eq(row.status),
            plan_goals::version.eq(row.version),
            plan_goals::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The participant's steps, oldest first.
pub fn steps(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<StepRow>> {
    plan_steps::table
        .filter(plan_steps::participant_id.eq(participant_id))
        .order((plan_steps::created_at, plan_steps::id))
        .select(StepRow::as_select())
        .load(conn)
}

/// One step of this goal's.
pub fn step(conn: &mut DbConn, goal_id: &str, step_id: &str) -> QueryResult<Option<StepRow>> {
    plan_steps::table.find(step_id).filter(plan_steps::goal_id.eq(goal_id)).select(StepRow::as_select()).first(conn).optional()
}

pub fn insert_step(conn: &mut DbConn, row: &StepRow) -> QueryResult<()> {
    diesel::insert_into(plan_steps::table).values(row).execute(conn).map(drop)
}

/// Replaces a step's words, owner, date, status and referral if it is still at `expected`.
pub fn update_step(conn: &mut DbConn, row: &StepRow, expected: i32) -> QueryResult<bool> {
    let target = plan_steps::table.find(&row.id).filter(plan_steps::version.eq(expected));
    let changed = diesel::update(target)
        .set((
            plan_steps::description_sealed.eq(&row.description_sealed),
            plan_steps::owner_kind.eq(row.owner_kind),
            plan_steps::owner_user_id.eq(&row.owner_user_id),
            plan_steps::owner_organization_id.eq(&row.owner_organization_id),
            plan_steps::due_on.eq(&row.due_on),
            plan_steps::status.eq(row.status),
            plan_steps::referral_id.eq(&row.referral_id),
            plan_steps::version.eq(row.version),
            plan_steps::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The stages recorded, newest first, with who recorded each.
pub fn stages(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<(StageRow, String)>> {
    plan_stages::table
        .inner_join(users::table)
        .filter(plan_stages::participant_id.eq(participant_id))
        .order((plan_stages::recorded_at.desc(), plan_stages::id.desc()))
        .select((StageRow::as_select(), users::display_name))
        .load(conn)
}

pub fn insert_stage(conn: &mut DbConn, row: &StageRow) -> QueryResult<()> {
    diesel::insert_into(plan_stages::table).values(row).execute(conn).map(drop)
}

pub fn insert_event(conn: &mut DbConn, row: &EventRow) -> QueryResult<()> {
    diesel::insert_into(plan_events::table).values(row).execute(conn).map(drop)
}

/// The timeline, newest first, with who did each.
pub fn events(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<(EventRow, String)>> {
    plan_events::table
        .inner_join(users::table)
        .filter(plan_events::participant_id.eq(participant_id))
        .order((plan_events::recorded_at.desc(), plan_events::id.desc()))
        .select((EventRow::as_select(), users::display_name))
        .load(conn)
}

/// The display names of these users.
/// Deletes everything of a participant's plan (their erasure); returns how many goals went.
pub fn delete_for(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<usize> {
    diesel::delete(plan_events::table.filter(plan_events::participant_id.eq(participant_id))).execute(conn)?;
    diesel::delete(plan_steps::table.filter(plan_steps::participant_id.eq(participant_id))).execute(conn)?;
    diesel::delete(plan_stages::table.filter(plan_stages::participant_id.eq(participant_id))).execute(conn)?;
    diesel::delete(individual_plans::table.filter(individual_plans::participant_id.eq(participant_id))).execute(conn)?;
    diesel::delete(plan_goals::table.filter(plan_goals::participant_id.eq(participant_id))).execute(conn)
}
