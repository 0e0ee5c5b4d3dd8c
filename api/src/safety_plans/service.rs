//! Reading and writing safety plans. Who may see one is the consent policy's answer for
//! the participant's `safety` category (`consent::policy`, through
//! `participants::service::readable`); each read and write is audited in its transaction.

use chrono::Utc;
use harbour_types::{AuditAction, DataCategory, ParticipantId, SafetyPlan, SafetyPlanContent, SafetyPlanInput, SafetyPlanRevision};

use super::error::SafetyPlanError;
use super::repo::{self, RevisionRow};
use crate::audit::{self, Accessor, AuditEntry};
use crate::consent::policy::{self, Access};
use crate::crypto::Keyring;
use crate::data_keys::{self, ParticipantKey};
use crate::db::{ordered_id, read_date, stored_date, DbConn};
use crate::error::ApiError;
use crate::participants::repo::ParticipantRecord;
use crate::participants::service::readable;
use crate::state::AppState;

/// The place a revision's words are sealed for: this participant, this revision.
fn aad(participant_id: &ParticipantId, revision: i32) -> String {
    format!("participants/{participant_id}/safety_plan/{revision}")
}

/// What the caller may do with this participant's plan: the participant and the
/// `Access` when it may read it (the owner, or a recipient whose active consent covers
/// `safety`).
fn plan_access(conn: &mut DbConn, accessor: &Accessor, participant_id: &ParticipantId) -> Result<(ParticipantRecord, Access), SafetyPlanError> {
    let (record, access) = readable(conn, &accessor.principal, participant_id)?;
    if !access.categories().contains(&DataCategory::Safety) {
        return Err(SafetyPlanError::NotFound);
    }
    Ok((record, access))
}

/// Like [`plan_access`], for what only the owning organization does.
fn owner_access(conn: &mut DbConn, accessor: &Accessor, participant_id: &ParticipantId) -> Result<ParticipantRecord, SafetyPlanError> {
    match plan_access(conn, accessor, participant_id)? {
        (record, Access::Owner) => Ok(record),
        (_, Access::Recipient { .. }) => Err(SafetyPlanError::OwnerOnly),
    }
}

/// The audit entry of an access to the plan: its words are `safety` data.
fn audited<'a>(action: AuditAction, participant_id: &'a ParticipantId, access: &'a Access) -> AuditEntry<'a> {
    AuditEntry {
        action,
        entity_type: "safety_plan",
        entity_id: participant_id.as_str(),
        participant_id: Some(participant_id),
        consent_id: access.consent_id(),
        purpose: access.purpose(),
        categories: vec![DataCategory::Safety],
    }
}

fn opened(key: &ParticipantKey, row: &RevisionRow) -> Result<SafetyPlanContent, SafetyPlanError> {
    let json = key.open(&row.content_sealed, &aad(&row.participant_id, row.revision))?;
    serde_json::from_slice(&json).map_err(|e| ApiError::Internal(format!("a sealed safety plan does not read: {e}")).into())
}


/// A revision as `access` shows it: the writer's name for the owner only.
fn shown(key: &ParticipantKey, (row, writer): (RevisionRow, String), access: &Access) -> Result<SafetyPlan, SafetyPlanError> {
    Ok(SafetyPlan {
        content: opened(key, &row)?,
        review_on: read_date(row.review_on.as_deref()),
        participant_id: row.participant_id.to_string(),
        revision: row.revision,
        written_at: row.written_at.and_utc(),
        written_by_name: matches!(access, Access::Owner).then_some(writer),
    })
}

/// A revision of the plan (the current one with none given), as the caller may see it:
/// the owner any revision, a recipient the current one.
pub async fn get(state: &AppState, accessor: Accessor, participant_id: ParticipantId, number: Option<i32>) -> Result<SafetyPlan, SafetyPlanError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (record, access) = plan_access(conn, &accessor, &participant_id)?;
            if number.is_some() && access != Access::Owner {
                return Err(SafetyPlanError::OwnerOnly);
            }
            let missing = if number.is_some() { SafetyPlanError::NoSuchRevision } else { SafetyPlanError::NotFound };
            let found = repo::revision(conn, &participant_id, number)?.ok_or(missing)?;
            audit::record(conn, &accessor, &audited(AuditAction::SafetyPlanRead, &participant_id, &access))?;
            shown(&record.key(&keyring)?, found, &access)
        })
        .await
}

/// Writes the plan's next revision, if `expected` is still the current one (0 before the
/// first): a revision is never overwritten, and two workers saving at once do not lose
/// each other's words silently.
pub async fn write(state: &AppState, accessor: Accessor, participant_id: ParticipantId, expected: i32, input: SafetyPlanInput) -> Result<SafetyPlan, SafetyPlanError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let key = owner_access(conn, &accessor, &participant_id)?.key_for_writing(conn, &keyring)?;
            if repo::current_revision(conn, &participant_id)? != expected {
                return Err(SafetyPlanError::Stale);
            }
            let revision = expected + 1;
            let json = serde_json::to_vec(&input.content).map_err(|e| ApiError::Internal(e.to_string()))?;
            let row = RevisionRow {
                id: ordered_id(),
                content_sealed: key.seal(&json, &aad(&participant_id, revision))?,
                participant_id: participant_id.clone(),
                revision,
                review_on: stored_date(input.review_on),
                written_by: accessor.principal.user_id().unwrap_or_default().to_owned(),
                written_at: Utc::now().naive_utc(),
                reminded_at: None,
            };
            if !repo::insert(conn, &row)? {
                return Err(SafetyPlanError::Stale);
            }
            audit::record(conn, &accessor, &audited(AuditAction::SafetyPlanWrite, &participant_id, &Access::Owner))?;
            Ok(SafetyPlan {
                participant_id: participant_id.to_string(),
                revision,
                content: input.content,
                review_on: input.review_on,
                written_at: row.written_at.and_utc(),
                written_by_name: Some(accessor.principal.name.clone()),
            })
        })
        .await
}

/// Who wrote each revision and when, newest first (the owning organization).
pub async fn history(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<Vec<SafetyPlanRevision>, SafetyPlanError> {
    policy::require_frontline(&accessor.principal)?;
    state
        .db
        .transaction(move |conn| {
            owner_access(conn, &accessor, &participant_id)?;
            let revisions = repo::history(conn, &participant_id)?;
            // The history shows no words of the plan: it is audited as a read that disclosed none.
            let entry = AuditEntry { categories: Vec::new(), ..audited(AuditAction::SafetyPlanRead, &participant_id, &Access::Owner) };
            audit::record(conn, &accessor, &entry)?;
            Ok(revisions
                .into_iter()
                .map(|row| SafetyPlanRevision {
                    review_on: read_date(row.review_on.as_deref()),
                    revision: row.revision,
                    written_at: row.written_at.and_utc(),
                    written_by_name: row.written_by_name,
                })
                .collect())
        })
        .await
}

/// The current plan for the participant's own copy, and the name of the organization
/// that wrote it with them (the copy shows it only if they choose).
pub async fn for_copy(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<(SafetyPlan, String), SafetyPlanError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let record = owner_access(conn, &accessor, &participant_id)?;
            let found = repo::revision(conn, &participant_id, None)?.ok_or(SafetyPlanError::NotFound)?;
            audit::record(conn, &accessor, &audited(AuditAction::SafetyPlanCopy, &participant_id, &Access::Owner))?;
            Ok((shown(&record.key(&keyring)?, found, &Access::Owner)?, record.organization_name))
        })
        .await
}

/// Every revision of the plan, oldest first, as the owner sees it, for the participant's
/// own records (`own_records`, which has checked that the caller is the owner).
pub fn for_owner_copy(conn: &mut DbConn, keyring: &Keyring, participant_id: &ParticipantId) -> Result<Vec<SafetyPlan>, SafetyPlanError> {
    let key = data_keys::for_reading(conn, keyring, participant_id)?;
    let mut revisions = Vec::new();
    for number in repo::history(conn, participant_id)?.into_iter().map(|h| h.revision) {
        if let Some(found) = repo::revision(conn, participant_id, Some(number))? {
            revisions.push(shown(&key, found, &Access::Owner)?);
        }
    }
    revisions.sort_by_key(|r| r.revision);
    Ok(revisions)
}

/// Moves every revision sealed by the keyring itself (written before participants had
/// keys) under its participant's key (`harbour keys rotate`); returns how many.
pub fn reseal_all(conn: &mut DbConn, keyring: &Keyring) -> Result<usize, SafetyPlanError> {
    let mut count = 0;
    for (id, participant_id, revision, sealed) in repo::all_sealed(conn)? {
        let key = data_keys::for_writing(conn, keyring, &participant_id)?;
        if let Some(resealed) = key.resealed(&sealed, &aad(&participant_id, revision))? {
            repo::reseal(conn, &id, &resealed)?;
            count += 1;
        }
    }
    Ok(count)
}
