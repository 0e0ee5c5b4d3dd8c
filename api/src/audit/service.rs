//! Reading the audit trail: for system admins only.

use harbour_types::{AuditCheckpoint, AuditEvent, AuditVerification, DataCategory, Page, PageRequest, ParticipantId};

use super::repo::{self, AuditRow};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// Walks the whole hash chain (see [`super::verify`]).
pub async fn verify(state: &AppState, principal: &Principal) -> Result<AuditVerification, ApiError> {
    principal.authorize(Permission::ReadAudit)?;
    let keyring = state.keyring.clone();
    state.db.run(move |conn| super::verify(conn, &keyring).map_err(ApiError::from)).await
}

/// Walks the whole hash chain against `checkpoint` (see [`super::verify_against`]).
pub async fn verify_against(state: &AppState, principal: &Principal, checkpoint: AuditCheckpoint) -> Result<AuditVerification, ApiError> {
    principal.authorize(Permission::ReadAudit)?;
    let signed = super::checkpoint::is_signed(&state.keyring, &checkpoint);
    let keyring = state.keyring.clone();
    state.db.run(move |conn| super::verify_against(conn, &keyring, Some((&checkpoint, signed))).map_err(ApiError::from)).await
}

/// Takes a checkpoint now and hands it to the witnesses (a witness that fails is logged:
/// the checkpoint is still returned, to be kept by the caller).
pub async fn checkpoint(state: &AppState, principal: &Principal) -> Result<AuditCheckpoint, ApiError> {
    principal.authorize(Permission::ReadAudit)?;
    let keyring = state.keyring.clone();
    let checkpoint = state.db.run(move |conn| super::checkpoint::take(conn, &keyring).map_err(ApiError::from)).await?;
    for failure in super::checkpoint::witness(state, &checkpoint).await {
        tracing::warn!(%failure, "an audit checkpoint did not reach its witness");
    }
    Ok(checkpoint)
}

/// A page of events, newest first, about one participant or all.
pub async fn events(state: &AppState, principal: &Principal, participant_id: Option<ParticipantId>, request: PageRequest) -> Result<Page<AuditEvent>, ApiError> {
    principal.authorize(Permission::ReadAudit)?;
    let (offset, limit) = crate::db::page_bounds(request);
    let (rows, total) = state.db.run(move |conn| repo::page(conn, participant_id.as_ref(), offset, limit).map_err(ApiError::from)).await?;
    let events = rows.into_iter().map(to_dto).collect::<Result<Vec<_>, _>>()?;
    Ok(Page::new(events, total.unsigned_abs(), request))
}

fn to_dto(row: AuditRow) -> Result<AuditEvent, ApiError> {
    Ok(AuditEvent {
        seq: row.seq,
        occurred_at: row.occurred_at.and_utc(),
        action: row.action,
        purpose: row.purpose,
        data_categories: crate::db::codes_from_json(&row.data_categories, DataCategory::from_code)?,
        id: row.id,
        actor_kind: row.actor_kind,
        actor_id: row.actor_id,
        organization_id: row.organization_id.into(),
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        participant_id: row.participant_id.map(String::from),
        consent_id: row.consent_id.map(String::from),
        request_id: row.request_id,
        prev_hash: row.prev_hash,
        hash: row.hash,
    })
}
