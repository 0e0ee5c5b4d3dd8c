//! `/participants`: pseudonymous records of the young people partners work with.
//!
//! No participant data travels in a URL: ids are random, and alias search takes a body.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use harbour_types::{Colleague, Consent, DisclosureReport, Page, Participant, PrimaryContactChange, ParticipantInput, ParticipantSearch, ParticipantSummary, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{handover, service};
use super::disclosure;
use crate::audit::Accessor;
use crate::consent::service as consents;
use crate::error::{validate, ApiError};
use crate::http::{expected_version, with_etag};
use crate::state::AppState;

/// Records a participant for the caller's organization.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    request_body = ParticipantInput,
    responses(
        (status = 201, description = "Recorded", body = Participant, headers(("ETag" = String, description = "The version"))),
        (status = 403, description = "Not a frontline user (coordinators and system admins never handle participant data)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/participants")]
pub async fn create_participant(state: web::Data<AppState>, accessor: Accessor, body: web::Json<ParticipantInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let created = service::create(&state, accessor, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), created.version, &created))
}

/// Finds participants by alias: the caller's organization's own, or those shared with it.
/// A POST, so that an alias never appears in a URL.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    request_body = ParticipantSearch,
    responses(
        (status = 200, description = "A page of participants, by alias", body = Page<ParticipantSummary>),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/participants/search")]
pub async fn search_participants(state: web::Data<AppState>, accessor: Accessor, body: web::Json<ParticipantSearch>) -> Result<web::Json<Page<ParticipantSummary>>, ApiError> {
    validate(&*body)?;
    Ok(web::Json(service::search(&state, accessor, body.into_inner()).await?))
}

/// One participant. The owning organization sees everything; a recipient of an active
/// consent sees the profile and the consented categories; anyone else gets a 404.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The participant, with only the categories the caller may see", body = Participant, headers(("ETag" = String, description = "The version"))),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}")]
pub async fn get_participant(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let found = service::get(&state, accessor, id.into_inner().into()).await?;
    Ok(with_etag(HttpResponse::Ok(), found.version, &found))
}

/// Replaces a participant's details (the owning organization).
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = ParticipantInput,
    responses(
        (status = 200, description = "Changed", body = Participant, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/participants/{id}")]
pub async fn update_participant(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, id: web::Path<String>, body: web::Json<ParticipantInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::update(&state, accessor, id.into_inner().into(), version, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// Who has been the participant's primary contact: each hand-over, oldest first (the
/// owning organization).
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "Hand-overs, oldest first", body = Vec<PrimaryContactChange>),
        (status = 404, description = "No such participant of the caller's organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/primary-contacts")]
pub async fn primary_contact_history(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<web::Json<Vec<PrimaryContactChange>>, ApiError> {
    Ok(web::Json(handover::history(&state, accessor, id.into_inner().into()).await?))
}

/// The caller's colleagues who may be a participant's primary contact, by name.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Active colleagues who handle participants", body = Vec<Colleague>),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/colleagues")]
pub async fn list_colleagues(state: web::Data<AppState>, accessor: Accessor) -> Result<web::Json<Vec<Colleague>>, ApiError> {
    Ok(web::Json(handover::colleagues(&state, accessor).await?))
}

/// A participant's consents: all of them for the owning organization; for a recipient,
/// those naming it, scope only.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "Consents, newest first", body = Vec<Consent>),
        (status = 404, description = "No such participant, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/consents")]
pub async fn list_participant_consents(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<web::Json<Vec<Consent>>, ApiError> {
    Ok(web::Json(consents::list(&state, accessor, id.into_inner().into()).await?))
}

/// The format of a disclosure report.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisclosureQuery {
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// Who saw or received what about this participant, when, and under which consent
/// (the owning organization).
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), DisclosureQuery),
    responses(
        (status = 200, description = "The report (JSON, or CSV with `format=csv`)", content((DisclosureReport = "application/json"), (String = "text/csv"))),
        (status = 403, description = "A recipient organization", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/disclosures")]
pub async fn disclosure_report(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, query: web::Query<DisclosureQuery>) -> Result<HttpResponse, ApiError> {
    let csv = match query.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::BadRequest("format is json or csv".into())),
    };
    let report = disclosure::report(&state, accessor, id.into_inner().into()).await?;
    if csv {
        return Ok(crate::http::csv_download("disclosure-report.csv", disclosure::to_csv(&report)));
    }
    Ok(HttpResponse::Ok().json(report))
}
