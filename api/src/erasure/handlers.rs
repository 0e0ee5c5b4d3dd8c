//! `/participants/{id}/erasure` and `/erasures`.

use actix_web::{get, post, web, HttpResponse};
use harbour_types::{Erasure, ErasureInput, ErasureReceipt, Page, PageRequest, Problem};

use super::service;
use crate::audit::Accessor;
use crate::error::ApiError;
use crate::state::AppState;

/// Erases a participant of the caller's organization, on their request (agency admins):
/// their key is destroyed, so nothing sealed under it opens again from the database or
/// any backup; their record is emptied, their safety plans and consent evidence deleted,
/// their consents ended, and every referral made for them loses its participant part and
/// the messages written on it (both sides' webhooks hear `referral.redacted`). The
/// erasure ledger keeps the id, the date, how it was asked for and why.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    request_body = ErasureInput,
    responses(
        (status = 201, description = "Erased", body = ErasureReceipt),
        (status = 403, description = "Not an agency admin of the participant's organization", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant of the caller's organization (or erased already)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A method or reason only Harbour's retention sweep records", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/participants/{id}/erasure")]
pub async fn erase_participant(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, body: web::Json<ErasureInput>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(service::erase(&state, accessor, id.into_inner().into(), body.into_inner()).await?))
}

/// The erasure ledger, newest first: ids, dates and codes, never participant data. An
/// agency admin sees their organization's, a system admin everyone's.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(PageRequest),
    responses(
        (status = 200, description = "Erasures, newest first", body = Page<Erasure>),
        (status = 403, description = "Not an agency or system admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "page or per_page out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/erasures")]
pub async fn list_erasures(state: web::Data<AppState>, accessor: Accessor, page: web::Query<PageRequest>) -> Result<web::Json<Page<Erasure>>, ApiError> {
    Ok(web::Json(service::list(&state, accessor, page.into_inner()).await?))
}
