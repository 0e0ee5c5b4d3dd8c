//! Reading and writing individualized plans. Who may see one is the consent policy's
//! answer for the participant (`participants::service::readable`): `case_notes` shows the
//! whole plan, `needs` alone its goals' domains and titles, neither nothing. Each read
//! and write is audited in its transaction, naming what it disclosed.

use std::collections::HashMap;

use chrono::Utc;
use harbour_types::{
    AuditAction, DataCategory, GoalInput, GoalStatus, IndividualPlan, OrganizationId, ParticipantId, PlanEvent, PlanEventKind, PlanGoal, PlanInput, PlanReferral, PlanStep, ReferralId, StageInput, StageRecord, StepInput,
    StepOwner, StepOwnerKind, StepStatus,
};

use super::error::PlanError;
use super::repo::{self, EventRow, GoalRow, PlanRow, StageRow, StepRow};
use crate::audit::{self, Accessor, AuditEntry};
use crate::consent::policy::{self, Access};
use crate::crypto::Keyring;
use crate::data_keys::ParticipantKey;
use crate::db::{ordered_id, read_date, stored_date, DbConn};
use crate::participants::repo::{is_frontline_colleague, ParticipantRecord};
use crate::participants::service::readable;
use crate::safety_plans::sweep::Reminder;
use crate::state::AppState;

/// How much of the plan a caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    /// Everything (`case_notes`, and the owner).
    Whole,
    /// Goals' domains and titles (`needs` without `case_notes`).
    Titles,
}

impl Shown {
    fn of(access: &Access) -> Option<Shown> {
        let categories = access.categories();
        if categories.contains(&DataCategory::CaseNotes) {
            Some(Shown::Whole)
        } else if categories.contains(&DataCategory::Needs) {
            Some(Shown::Titles)
        } else {
            None
        }
    }

    /// What an answer of this much discloses, for the audit trail and the answer itself.
    fn categories(self, access: &Access) -> Vec<DataCategory> {
        match (self, access) {
            (Shown::Whole, Access::Owner) => vec![DataCategory::Needs, DataCategory::CaseNotes],
            (Shown::Whole, _) => vec![DataCategory::CaseNotes],
            (Shown::Titles, _) => vec![DataCategory::Needs],
        }
    }
}

/// The places a goal's and a step's words are sealed for.
fn goal_aad(participant_id: &ParticipantId, goal_id: &str) -> String {
    format!("participants/{participant_id}/plan/goals/{goal_id}")
}

fn step_aad(participant_id: &ParticipantId, step_id: &str) -> String {
    format!("participants/{participant_id}/plan/steps/{step_id}")
}

fn audited<'a>(action: AuditAction, participant_id: &'a ParticipantId, access: &'a Access, categories: Vec<DataCategory>) -> AuditEntry<'a> {
    AuditEntry {
        action,
        entity_type: "individual_plan",
        entity_id: participant_id.as_str(),
        participant_id: Some(participant_id),
        consent_id: access.consent_id(),
        purpose: access.purpose(),
        categories,
    }
}

/// The participant, if the caller may see some of their plan, and how much.
fn plan_access(conn: &mut DbConn, accessor: &Accessor, participant_id: &ParticipantId) -> Result<(ParticipantRecord, Access, Shown), PlanError> {
    let (record, access) = readable(conn, &accessor.principal, participant_id)?;
    let shown = Shown::of(&access).ok_or(PlanError::NotFound)?;
    Ok((record, access, shown))
}

/// The participant and their key for writing, when the caller's organization owns them.
fn for_writing(conn: &mut DbConn, accessor: &Accessor, keyring: &Keyring, participant_id: &ParticipantId) -> Result<(ParticipantRecord, ParticipantKey), PlanError> {
    match plan_access(conn, accessor, participant_id)? {
        (record, Access::Owner, _) => {
            let key = record.key_for_writing(conn, keyring)?;
            Ok((record, key))
        }
        _ => Err(PlanError::OwnerOnly),
    }
}

/// What a write is given: the connection, the caller, the participant and their key.
struct Writing<'a> {
    conn: &'a mut DbConn,
    accessor: &'a Accessor,
    record: &'a ParticipantRecord,
    key: &'a ParticipantKey,
}

impl Writing<'_> {
    fn participant_id(&self) -> &ParticipantId {
        &self.record.row.id
    }

    /// Keeps an event of the timeline.
    fn happened(&mut self, kind: PlanEventKind, (goal_id, step_id): (Option<&str>, Option<&str>), status: Option<String>) -> Result<(), PlanError> {
        let row = EventRow {
            id: ordered_id(),
            participant_id: self.participant_id().clone(),
            kind,
            goal_id: goal_id.map(str::to_owned),
            step_id: step_id.map(str::to_owned),
            status,
            recorded_by: writer(self.accessor),
            recorded_at: Utc::now().naive_utc(),
        };
        Ok(repo::insert_event(self.conn, &row)?)
    }

    /// What the owner gets back: the plan, whole, audited as the write.
    fn written(&mut self) -> Result<IndividualPlan, PlanError> {
        let participant_id = self.participant_id().clone();
        let plan = assemble(self.conn, self.key, &participant_id, &self.accessor.principal.organization_id, &Access::Owner, Shown::Whole)?;
        audit::record(self.conn, self.accessor, &audited(AuditAction::PlanWrite, &participant_id, &Access::Owner, Shown::Whole.categories(&Access::Owner)))?;
        Ok(plan)
    }
}

/// Runs one of the owning organization's writes to a participant's plan in its own
/// transaction; anyone else is refused before `work` runs.
async fn owner_writes<T, F>(state: &AppState, accessor: Accessor, participant_id: ParticipantId, work: F) -> Result<T, PlanError>
where
    F: FnOnce(Writing<'_>) -> Result<T, PlanError> + Send + 'static,
    T: Send + 'static,
{
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (record, key) = for_writing(conn, &accessor, &keyring, &participant_id)?;
            work(Writing { conn, accessor: &accessor, record: &record, key: &key })
        })
        .await
}

fn writer(accessor: &Accessor) -> String {
    accessor.principal.user_id().unwrap_or_default().to_owned()
}


/// The words of a field, trimmed: a field of spaces alone is refused, not kept empty.
fn words<'a>(text: &'a str, pointer: &'static str) -> Result<&'a str, PlanError> {
    Some(text.trim()).filter(|t| !t.is_empty()).ok_or(PlanError::Blank(pointer))
}

fn text(bytes: Vec<u8>) -> Result<String, PlanError> {
    String::from_utf8(bytes).map_err(|e| crate::error::ApiError::Internal(format!("sealed plan words do not read: {e}")).into())
}

/// The steps as `viewer` sees them: a step that is a referral shows it to the owner, and
/// to a recipient only when it is the referral made to them (others' referrals are
/// theirs to see, not the plan's to tell).
fn steps_shown(conn: &mut DbConn, key: &ParticipantKey, rows: Vec<StepRow>, viewer: &OrganizationId, owner: bool) -> Result<Vec<PlanStep>, PlanError> {
    let user_ids: Vec<String> = rows.iter().filter_map(|s| s.owner_user_id.clone()).collect();
    let organization_ids: Vec<OrganizationId> = rows.iter().filter_map(|s| s.owner_organization_id.clone()).collect();
    let users = crate::users::repo::names(conn, &user_ids)?;
    let organizations = crate::organizations::repo::names(conn, &organization_ids)?;
    let mut referrals: HashMap<ReferralId, PlanReferral> = HashMap::new();
    let linked: std::collections::HashSet<&ReferralId> = rows.iter().filter_map(|s| s.referral_id.as_ref()).collect();
    if let Some(participant_id) = rows.iter().find(|s| s.referral_id.is_some()).map(|s| s.participant_id.clone()) {
        let made = crate::referrals::repo::of_participant(conn, &participant_id)?;
        // Only the referrals steps are, and of those only what the viewer may see.
        let visible: Vec<_> = made.into_iter().filter(|r| linked.contains(&r.id) && (owner || r.to_organization_id == *viewer)).collect();
        let names = crate::referrals::repo::names_of(conn, &visible)?;
        for (referral, names) in visible.into_iter().zip(names) {
            let shown = PlanReferral { id: referral.id.to_string(), status: referral.status, service_name: names.service, organization_name: names.to_organization };
            referrals.insert(referral.id, shown);
        }
    }
    rows.into_iter()
        .map(|row| {
            let name = match row.owner_kind {
                StepOwnerKind::Participant => None,
                StepOwnerKind::User => row.owner_user_id.as_ref().and_then(|id| users.get(id).cloned()),
                StepOwnerKind::Organization => row.owner_organization_id.as_ref().and_then(|id| organizations.get(id).cloned()),
            };
            Ok(PlanStep {
                description: text(key.open(&row.description_sealed, &step_aad(&row.participant_id, &row.id))?)?,
                owner: StepOwner { kind: row.owner_kind, id: row.owner_user_id.clone().or_else(|| row.owner_organization_id.as_ref().map(ToString::to_string)), name },
                due_on: read_date(row.due_on.as_deref()),
                status: row.status,
                referral: row.referral_id.as_ref().and_then(|id| referrals.get(id).cloned()),
                version: row.version,
                updated_at: row.updated_at.and_utc(),
                goal_id: row.goal_id,
                id: row.id,
            })
        })
        .collect()
}

/// The plan as `access` shows `shown` of it.
fn assemble(conn: &mut DbConn, key: &ParticipantKey, participant_id: &ParticipantId, viewer: &OrganizationId, access: &Access, shown: Shown) -> Result<IndividualPlan, PlanError> {
    let owner = *access == Access::Owner;
    let settings = repo::plan(conn, participant_id)?;
    let mut steps: HashMap<String, Vec<PlanStep>> = HashMap::new();
    let mut stages = Vec::new();
    if shown == Shown::Whole {
        let rows = repo::steps(conn, participant_id)?;
        for step in steps_shown(conn, key, rows, viewer, owner)? {
            steps.entry(step.goal_id.clone()).or_default().push(step);
        }
        stages = repo::stages(conn, participant_id)?
            .into_iter()
            .map(|(row, name)| StageRecord { stage: row.stage, recorded_at: row.recorded_at.and_utc(), recorded_by_name: owner.then_some(name) })
            .collect();
    }
    let goals = repo::goals(conn, participant_id)?
        .into_iter()
        .map(|row| {
            let whole = shown == Shown::Whole;
            Ok(PlanGoal {
                title: text(key.open(&row.title_sealed, &goal_aad(participant_id, &row.id))?)?,
                domain: row.domain,
                status: whole.then_some(row.status),
                steps: steps.remove(&row.id).unwrap_or_default(),
                version: owner.then_some(row.version),
                created_at: row.created_at.and_utc(),
                id: row.id,
            })
        })
        .collect::<Result<Vec<_>, PlanError>>()?;
    let whole = shown == Shown::Whole;
    Ok(IndividualPlan {
        participant_id: participant_id.to_string(),
        categories: shown.categories(access),
        // How often the settings changed is the owner's to know, like the goals' versions.
        version: settings.as_ref().filter(|_| owner).map_or(0, |s| s.version),
        review_on: settings.and_then(|s| read_date(s.review_on.as_deref())).filter(|_| whole),
        stages,
        goals,
    })
}

/// The plan, as the caller may see it.
pub async fn get(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<IndividualPlan, PlanError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (record, access, shown) = plan_access(conn, &accessor, &participant_id)?;
            let plan = assemble(conn, &record.key(&keyring)?, &participant_id, &accessor.principal.organization_id, &access, shown)?;
            audit::record(conn, &accessor, &audited(AuditAction::PlanRead, &participant_id, &access, shown.categories(&access)))?;
            Ok(plan)
        })
        .await
}


/// Sets the plan's review date, if its settings are still at `expected` (0 before the first).
pub async fn set(state: &AppState, accessor: Accessor, participant_id: ParticipantId, expected: i32, input: PlanInput) -> Result<IndividualPlan, PlanError> {
    owner_writes(state, accessor, participant_id, move |mut w| {
        // A date set again is reminded again.
        let row = PlanRow { participant_id: w.participant_id().clone(), review_on: stored_date(input.review_on), version: expected + 1, updated_by: writer(w.accessor), updated_at: Utc::now().naive_utc(), reminded_at: None };
        if !repo::save_plan(w.conn, &row, expected)? {
            return Err(PlanError::Stale);
        }
        w.happened(PlanEventKind::ReviewSet, (None, None), row.review_on.clone())?;
        w.written()
    })
    .await
}

/// Sets a goal with the participant.
pub async fn add_goal(state: &AppState, accessor: Accessor, participant_id: ParticipantId, input: GoalInput) -> Result<PlanGoal, PlanError> {
    owner_writes(state, accessor, participant_id, move |mut w| {
        let now = Utc::now().naive_utc();
        let id = ordered_id();
        let row = GoalRow {
            title_sealed: w.key.seal(words(&input.title, "/title")?.as_bytes(), &goal_aad(w.participant_id(), &id))?,
            id,
            participant_id: w.participant_id().clone(),
            domain: input.domain,
            status: input.status.unwrap_or(GoalStatus::Active),
            version: 1,
            created_by: writer(w.accessor),
            created_at: now,
            updated_at: now,
        };
        repo::insert_goal(w.conn, &row)?;
        w.happened(PlanEventKind::GoalAdded, (Some(&row.id), None), Some(row.status.code().to_owned()))?;
        goal_of(w.written()?, &row.id)
    })
    .await
}

fn goal_of(plan: IndividualPlan, goal_id: &str) -> Result<PlanGoal, PlanError> {
    plan.goals.into_iter().find(|g| g.id == goal_id).ok_or(PlanError::NoSuchGoal)
}

/// Rewords a goal, moves it to another domain or changes its status (kept as it was
/// when `status` is left out), if it is still at `expected`.
pub async fn update_goal(state: &AppState, accessor: Accessor, participant_id: ParticipantId, goal_id: String, expected: i32, input: GoalInput) -> Result<PlanGoal, PlanError> {
    owner_writes(state, accessor, participant_id, move |mut w| {
        let current = repo::goal(w.conn, &w.record.row.id, &goal_id)?.ok_or(PlanError::NoSuchGoal)?;
        if expected != current.version {
            return Err(PlanError::Stale);
        }
        let row = GoalRow {
            title_sealed: w.key.seal(words(&input.title, "/title")?.as_bytes(), &goal_aad(w.participant_id(), &goal_id))?,
            domain: input.domain,
            status: input.status.unwrap_or(current.status),
            version: current.version + 1,
            updated_at: Utc::now().naive_utc(),
            ..current
        };
        if !repo::update_goal(w.conn, &row, expected)? {
            return Err(PlanError::Stale);
        }
        w.happened(PlanEventKind::GoalUpdated, (Some(&goal_id), None), Some(row.status.code().to_owned()))?;
        goal_of(w.written()?, &goal_id)
    })
    .await
}

/// A step as it is stored: its owner checked (a frontline colleague of the owning
/// organization, an active partner organization, or the participant) and its referral
/// one the owning organization made for this participant.
fn checked_step(w: &mut Writing<'_>, id: String, goal_id: String, input: &StepInput) -> Result<StepRow, PlanError> {
    let owner_organization = &w.record.row.organization_id;
    let (user, organization) = match (input.owner.kind, input.owner.id.clone()) {
        (StepOwnerKind::Participant, None) => (None, None),
        (StepOwnerKind::Participant, Some(_)) => return Err(PlanError::OwnerIdNotWanted),
        (StepOwnerKind::User, Some(user)) if is_frontline_colleague(w.conn, &user, owner_organization)? => (Some(user), None),
        (StepOwnerKind::User, _) => return Err(PlanError::OwnerNotColleague),
        (StepOwnerKind::Organization, Some(organization)) => {
            let organization = OrganizationId::from(organization);
            match crate::organizations::repo::find(w.conn, &organization)? {
                Some(found) if found.active => (None, Some(organization)),
                _ => return Err(PlanError::OwnerNotOrganization),
            }
        }
        (StepOwnerKind::Organization, None) => return Err(PlanError::OwnerNotOrganization),
    };
    let referral_id = match &input.referral_id {
        Some(referral_id) => {
            let referral_id = ReferralId::from(referral_id.as_str());
            let referral = crate::referrals::repo::find(w.conn, &referral_id)?;
            if !referral.is_some_and(|r| r.participant_id == w.record.row.id && r.from_organization_id == *owner_organization) {
                return Err(PlanError::NotTheirReferral);
            }
            Some(referral_id)
        }
        None => None,
    };
    let now = Utc::now().naive_utc();
    Ok(StepRow {
        description_sealed: w.key.seal(words(&input.description, "/description")?.as_bytes(), &step_aad(w.participant_id(), &id))?,
        id,
        goal_id,
        participant_id: w.participant_id().clone(),
        owner_kind: input.owner.kind,
        owner_user_id: user,
        owner_organization_id: organization,
        due_on: stored_date(input.due_on),
        status: input.status.unwrap_or(StepStatus::Planned),
        referral_id,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

fn step_of(plan: IndividualPlan, goal_id: &str, step_id: &str) -> Result<PlanStep, PlanError> {
    goal_of(plan, goal_id)?.steps.into_iter().find(|s| s.id == step_id).ok_or(PlanError::NoSuchStep)
}

/// Adds a step to a goal.
pub async fn add_step(state: &AppState, accessor: Accessor, participant_id: ParticipantId, goal_id: String, input: StepInput) -> Result<PlanStep, PlanError> {
    owner_writes(state, accessor, participant_id, move |mut w| {
        repo::goal(w.conn, &w.record.row.id, &goal_id)?.ok_or(PlanError::NoSuchGoal)?;
        let row = checked_step(&mut w, ordered_id(), goal_id.clone(), &input)?;
        repo::insert_step(w.conn, &row)?;
        w.happened(PlanEventKind::StepAdded, (Some(&goal_id), Some(&row.id)), Some(row.status.code().to_owned()))?;
        step_of(w.written()?, &goal_id, &row.id)
    })
    .await
}

/// Changes a step (its status kept as it was when left out), if it is still at `expected`.
pub async fn update_step(state: &AppState, accessor: Accessor, participant_id: ParticipantId, (goal_id, step_id): (String, String), expected: i32, input: StepInput) -> Result<PlanStep, PlanError> {
    owner_writes(state, accessor, participant_id, move |mut w| {
        repo::goal(w.conn, &w.record.row.id, &goal_id)?.ok_or(PlanError::NoSuchGoal)?;
        let current = repo::step(w.conn, &goal_id, &step_id)?.ok_or(PlanError::NoSuchStep)?;
        if expected != current.version {
            return Err(PlanError::Stale);
        }
        let changed = checked_step(&mut w, step_id.clone(), goal_id.clone(), &input)?;
        let row = StepRow { status: input.status.unwrap_or(current.status), version: current.version + 1, created_at: current.created_at, ..changed };
        if !repo::update_step(w.conn, &row, expected)? {
            return Err(PlanError::Stale);
        }
        w.happened(PlanEventKind::StepUpdated, (Some(&goal_id), Some(&step_id)), Some(row.status.code().to_owned()))?;
        step_of(w.written()?, &goal_id, &step_id)
    })
    .await
}

/// Records the stage of change the participant says they are at (never required: a
/// plan is whole without one).
pub async fn record_stage(state: &AppState, accessor: Accessor, participant_id: ParticipantId, input: StageInput) -> Result<StageRecord, PlanError> {
    owner_writes(state, accessor, participant_id, move |mut w| {
        let row = StageRow { id: ordered_id(), participant_id: w.participant_id().clone(), stage: input.stage, recorded_by: writer(w.accessor), recorded_at: Utc::now().naive_utc() };
        repo::insert_stage(w.conn, &row)?;
        w.happened(PlanEventKind::StageRecorded, (None, None), Some(row.stage.code().to_owned()))?;
        audit::record(w.conn, w.accessor, &audited(AuditAction::PlanWrite, &row.participant_id, &Access::Owner, vec![DataCategory::CaseNotes]))?;
        Ok(StageRecord { stage: row.stage, recorded_at: row.recorded_at.and_utc(), recorded_by_name: Some(w.accessor.principal.name.clone()) })
    })
    .await
}

/// The plan's timeline, newest first: for the owner and under `case_notes`.
pub async fn timeline(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<Vec<PlanEvent>, PlanError> {
    policy::require_frontline(&accessor.principal)?;
    state
        .db
        .transaction(move |conn| {
            let (_, access, shown) = plan_access(conn, &accessor, &participant_id)?;
            if shown != Shown::Whole {
                return Err(PlanError::NotFound);
            }
            let owner = access == Access::Owner;
            let events = repo::events(conn, &participant_id)?
                .into_iter()
                .map(|(row, name)| PlanEvent { kind: row.kind, recorded_at: row.recorded_at.and_utc(), goal_id: row.goal_id, step_id: row.step_id, status: row.status, recorded_by_name: owner.then_some(name) })
                .collect();
            audit::record(conn, &accessor, &audited(AuditAction::PlanRead, &participant_id, &access, vec![DataCategory::CaseNotes]))?;
            Ok(events)
        })
        .await
}

/// Claims the plans' review reminders due on `today` (`YYYY-MM-DD`), once each (for
/// `safety_plans::sweep`, which sends them with the safety plans').
pub fn claim_due_reviews(conn: &mut DbConn, today: &str, now: chrono::NaiveDateTime) -> Result<Vec<Reminder>, crate::error::ApiError> {
    let mut claimed = Vec::new();
    for (participant_id, address) in repo::due_reviews(conn, today)? {
        // A plan whose contact has no active account is marked too, as a safety plan's is.
        if repo::mark_reminded(conn, &participant_id, now)? {
            claimed.extend(address.map(|a| Reminder::review(participant_id.as_str(), a)));
        }
    }
    Ok(claimed)
}

/// The whole plan, as the owner sees it, for the participant's own records (`own_records`,
/// which has checked that the caller is the owner); none when nothing was ever written.
pub fn for_owner_copy(conn: &mut DbConn, keyring: &Keyring, record: &ParticipantRecord) -> Result<Option<IndividualPlan>, PlanError> {
    let plan = assemble(conn, &record.key(keyring)?, &record.row.id, &record.row.organization_id, &Access::Owner, Shown::Whole)?;
    Ok(Some(plan).filter(|p| p.version > 0 || !p.goals.is_empty() || !p.stages.is_empty()))
}
