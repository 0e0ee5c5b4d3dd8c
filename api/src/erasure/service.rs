//! Erasing a participant: at an agency admin's hand, by the retention sweep, or again
//! after a restore — the same transaction each time ([`erase_in`]).

use chrono::{NaiveDateTime, Utc};
use harbour_types::{AccessPurpose, AuditAction, DataCategory, Erasure, ErasureInput, ErasureMethod, ErasureReason, ErasureReceipt, OrganizationId, Page, PageRequest, ParticipantId, Role};

use super::error::ErasureError;
use super::repo::{self, ErasureRow};
use crate::audit::{self, Accessor, AuditEntry};
use crate::auth::{Actor, Permission};
use crate::consent::repo as consents_repo;
use crate::data_keys;
use crate::db::DbConn;
use crate::participants::repo as participants_repo;
use crate::safety_plans::repo as safety_plans_repo;
use crate::state::AppState;

/// Who erases: an agency admin in a request, or Harbour itself (`task`: `retention`,
/// `restore`).
#[derive(Debug, Clone, Copy)]
pub enum ErasedBy<'a> {
    Admin(&'a Accessor),
    Harbour(&'static str),
}

impl ErasedBy<'_> {
    fn actor(&self) -> Option<&Actor> {
        match self {
            ErasedBy::Admin(accessor) => Some(&accessor.principal.actor),
            ErasedBy::Harbour(_) => None,
        }
    }
}

/// Erases one of the caller's organization's participants, on their request.
pub async fn erase(state: &AppState, accessor: Accessor, participant_id: ParticipantId, input: ErasureInput) -> Result<ErasureReceipt, ErasureError> {
    if input.method == ErasureMethod::Retention {
        return Err(ErasureError::MethodForHarbourOnly);
    }
    if input.reason == ErasureReason::RetentionPeriod {
        return Err(ErasureError::ReasonForHarbourOnly);
    }
    let receipt = state
        .db
        .transaction(move |conn| {
            let owner = participants_repo::find(conn, &participant_id)?.map(|record| record.row.organization_id).ok_or(ErasureError::NotFound)?;
            accessor.principal.authorize_owned(Permission::EraseParticipantsOf(&owner), &owner, "participant")?;
            let entry = ErasureRow {
                participant_id: participant_id.clone(),
                organization_id: owner,
                erased_at: Utc::now().naive_utc(),
                method: input.method,
                reason: input.reason,
                erased_by: accessor.principal.user_id().map(str::to_owned),
                reapplied_at: None,
            };
            let mut receipt = erase_in(conn, &entry, ErasedBy::Admin(&accessor))?.ok_or(ErasureError::NotFound)?;
            receipt.erasure.erased_by_name = Some(accessor.principal.name.clone());
            Ok::<_, ErasureError>((receipt, entry))
        })
        .await?;
    super::ledger::append_configured(state, &receipt.1);
    Ok(receipt.0)
}

/// Erases a participant, in the caller's transaction: `entry` is the ledger's line for
/// it. `None` when they were erased already (by another instance's sweep, or before the
/// backup a restore put back), so every erasure happens once.
pub fn erase_in(conn: &mut DbConn, entry: &ErasureRow, by: ErasedBy<'_>) -> Result<Option<ErasureReceipt>, ErasureError> {
    let id = &entry.participant_id;
    let now = Utc::now().naive_utc();
    if !participants_repo::erase(conn, id, now)? {
        return Ok(None);
    }
    data_keys::destroy(conn, id)?;
    let plan_revisions = safety_plans_repo::delete_for(conn, id)?;
    crate::plans::repo::delete_for(conn, id)?;
    crate::conferences::repo::erase(conn, id)?;
    let (consents_ended, evidence_files) = consents_repo::erase_for(conn, id, now, entry.erased_by.as_deref(), entry.method.as_revocation())?;
    let referrals = crate::referrals::service::redact_for_erasure(conn, id, by.actor(), &entry.organization_id)?;
    repo::forget_replays_about(conn, id)?;
    crate::participants::handover::forget(conn, id)?;
    let audited = AuditEntry {
        action: AuditAction::ParticipantErase,
        entity_type: "participant",
        entity_id: id.as_str(),
        participant_id: Some(id),
        consent_id: None,
        purpose: AccessPurpose::DirectCare,
        categories: DataCategory::ALL.to_vec(),
    };
    match by {
        ErasedBy::Admin(accessor) => audit::record(conn, accessor, &audited)?,
        ErasedBy::Harbour(task) => audit::record_by_harbour(conn, &entry.organization_id, task, &audited)?,
    }
    if !repo::contains(conn, id)? {
        repo::insert(conn, entry)?;
    }
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Ok(Some(ErasureReceipt {
        erasure: shown(entry.clone(), None),
        referrals_redacted: count(referrals),
        consents_ended: count(consents_ended),
        plan_revisions_destroyed: count(plan_revisions),
        evidence_files_destroyed: count(evidence_files),
    }))
}

/// Re-applies ledger entries to a database restored from a backup: each participant the
/// backup still holds is erased again, an erasure of its own transaction, recorded as
/// re-applied; entries it has already are skipped. Returns how many were re-applied.
pub fn reapply(conn: &mut DbConn, entries: &[ErasureRow]) -> Result<usize, ErasureError> {
    let mut reapplied = 0;
    for entry in entries {
        let done = crate::db::transaction(conn, |conn| {
            if repo::contains(conn, &entry.participant_id)? || !repo::organization_exists(conn, &entry.organization_id)? {
                return Ok::<_, ErasureError>(false);
            }
            // Who erased may be a user the backup predates: the ledger keeps the id, the
            // consents it ends name no one.
            let mut again = ErasureRow { reapplied_at: Some(Utc::now().naive_utc()), ..entry.clone() };
            if again.erased_by.as_deref().is_some_and(|user| !repo::user_exists(conn, user).unwrap_or(false)) {
                again.erased_by = None;
            }
            if erase_in(conn, &again, ErasedBy::Harbour("restore"))?.is_none() {
                // Not in the backup at all (recorded after it): the ledger still keeps it,
                // for a restore of an older backup.
                repo::insert(conn, &again)?;
                return Ok(false);
            }
            Ok(true)
        })?;
        reapplied += usize::from(done);
    }
    Ok(reapplied)
}

/// The ledger, newest first: an agency admin's organization's, or (system admins) all.
pub async fn list(state: &AppState, accessor: Accessor, request: PageRequest) -> Result<Page<Erasure>, ErasureError> {
    accessor.principal.authorize(Permission::ReadErasures)?;
    let request = crate::http::checked_page(request)?;
    let (offset, limit) = crate::db::page_bounds(request);
    let everyone = matches!(&accessor.principal.actor, Actor::User { roles, .. } if roles.contains(&Role::SystemAdmin));
    let organization_id: Option<OrganizationId> = (!everyone).then(|| accessor.principal.organization_id.clone());
    let (rows, total) = state.db.run(move |conn| repo::page(conn, organization_id.as_ref(), offset, limit).map_err(ErasureError::from)).await?;
    Ok(Page::new(rows.into_iter().map(|(row, name)| shown(row, name)).collect(), total.unsigned_abs(), request))
}

fn shown(row: ErasureRow, erased_by_name: Option<String>) -> Erasure {
    let utc = |t: NaiveDateTime| t.and_utc();
    Erasure {
        participant_id: row.participant_id.into(),
        organization_id: row.organization_id.into(),
        erased_at: utc(row.erased_at),
        method: row.method,
        reason: row.reason,
        erased_by_name,
        reapplied_at: row.reapplied_at.map(utc),
    }
}
