//! `/audit`: the audit trail, for system admins.

use actix_web::{get, post, web, HttpResponse};
use harbour_types::{AuditCheckpoint, AuditEvent, AuditVerification, Page, PageRequest, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

use super::service;
use crate::auth::Principal;
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
    Ok(web::Json(service::verify(&state, &principal).await?))
}

/// Walks the whole hash chain against a checkpoint taken earlier: names the first event
/// altered, following a deleted one, or not the one the checkpoint signed at its place,
/// and counts the events the checkpoint counted that are gone (cut from a chain's end).
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    request_body = AuditCheckpoint,
    responses(
        (status = 200, description = "The result; `intact` is false when events are missing or the checkpoint is not this instance's", body = AuditVerification),
        (status = 400, description = "Not a checkpoint", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/audit/verify")]
pub async fn verify_audit_against(state: web::Data<AppState>, principal: Principal, checkpoint: web::Json<AuditCheckpoint>) -> Result<web::Json<AuditVerification>, ApiError> {
    Ok(web::Json(service::verify_against(&state, &principal, checkpoint.into_inner()).await?))
}

/// Takes a checkpoint of the audit trail now, hands it to the configured witnesses, and
/// returns it: keep it outside Harbour.
#[utoipa::path(
    tag = "audit",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The signed checkpoint", body = AuditCheckpoint),
        (status = 403, description = "Not a system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/audit/checkpoints")]
pub async fn take_audit_checkpoint(state: web::Data<AppState>, principal: Principal) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().insert_header(("cache-control", "no-store")).json(service::checkpoint(&state, &principal).await?))
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
    let query = query.into_inner();
    let request = crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?;
    Ok(web::Json(service::events(&state, &principal, query.participant_id.map(Into::into), request).await?))
}
