//! `/audit`: the audit trail, for system admins.

use actix_web::{get, web};
use harbour_types::{AccessPurpose, AuditAction, AuditEvent, AuditVerification, DataCategory, Page, PageRequest, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

use super::repo::{self, AuditRow};
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// Walks the whole hash chain and names the first event altered or following a deleted one.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The result", body = AuditVerification),
        (status = 403, description = "Not a system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit/verify")]
pub async fn verify_audit(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<AuditVerification>, ApiError> {
    principal.authorize(Permission::ReadAudit)?;
    Ok(web::Json(state.db.run(|conn| super::verify(conn).map_err(ApiError::from)).await?))
}

/// Which events to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only events about this participant.
    participant_id: Option<String>,
    /// The page, from 1.
    page: Option<u64>,
    /// Items per page, 1 to 100.
    per_page: Option<u64>,
}

/// Audit events, newest first.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    params(AuditQuery),
    responses(
        (status = 200, description = "A page of events", body = Page<AuditEvent>),
        (status = 403, description = "Not a system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit/events")]
pub async fn list_audit_events(state: web::Data<AppState>, principal: Principal, query: web::Query<AuditQuery>) -> Result<web::Json<Page<AuditEvent>>, ApiError> {
    principal.authorize(Permission::ReadAudit)?;
    let query = query.into_inner();
    let request = PageRequest { page: query.page, per_page: query.per_page };
    let (offset, limit) = crate::db::page_bounds(request);
    let (rows, total) = state.db.run(move |conn| repo::page(conn, query.participant_id.as_deref(), offset, limit).map_err(ApiError::from)).await?;
    Ok(web::Json(Page::new(rows.into_iter().filter_map(to_dto).collect(), total.unsigned_abs(), request)))
}

fn to_dto(row: AuditRow) -> Option<AuditEvent> {
    Some(AuditEvent {
        seq: row.seq,
        occurred_at: row.occurred_at.and_utc(),
        action: AuditAction::from_code(&row.action)?,
        purpose: AccessPurpose::from_code(&row.purpose)?,
        data_categories: crate::db::codes_from_json(&row.data_categories, DataCategory::from_code),
        id: row.id,
        actor_kind: row.actor_kind,
        actor_id: row.actor_id,
        organization_id: row.organization_id,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        participant_id: row.participant_id,
        consent_id: row.consent_id,
        request_id: row.request_id,
        prev_hash: row.prev_hash,
        hash: row.hash,
    })
}
