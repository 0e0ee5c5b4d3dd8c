//! `/referrals`: sending, the inbox, and each step of the life cycle.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use harbour_types::{AssigneeInput, Page, Problem, Referral, ReferralCounts, ReferralInput, ReferralMessage, ReferralMessageInput, ReferralTransition};

use super::service::{self, ReferralQuery};
use crate::audit::Accessor;
use crate::error::{validate, ApiError};
use crate::http::{expected_version, with_etag};
use crate::state::AppState;

/// Writes a referral of a participant of the caller's organization to another
/// organization's service; with `send`, sends it at once. Sending needs the worker's
/// confirmation that the participant wants it, and an active consent naming the
/// receiving organization for "referral": the receiver gets a snapshot of only the
/// consented categories.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])),
    request_body = ReferralInput,
    responses(
        (status = 201, description = "Written (a draft, or sent)", body = Referral, headers(("ETag" = String, description = "The version"))),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No active consent names the receiving organization for referral (`consent_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid: unknown participant or service, not confirmed with the participant…", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals")]
pub async fn create_referral(state: web::Data<AppState>, accessor: Accessor, body: web::Json<ReferralInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let created = service::create(&state, accessor, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), created.version, &created))
}

/// The caller's organization's referrals, sent or received: overdue first, then the
/// most urgent, then the newest. Lists carry no participant details.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])),
    params(ReferralQuery),
    responses(
        (status = 200, description = "A page of referrals", body = Page<Referral>),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals")]
pub async fn list_referrals(state: web::Data<AppState>, accessor: Accessor, query: web::Query<ReferralQuery>) -> Result<web::Json<Page<Referral>>, ApiError> {
    Ok(web::Json(service::list(&state, accessor, query.into_inner()).await?))
}

/// One referral with its timeline, for the sending or the receiving organization (404
/// for anyone else). The receiving side's first opening marks it received.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])),
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The referral", body = Referral, headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such referral, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}")]
pub async fn get_referral(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let found = service::get(&state, accessor, id.into_inner().into()).await?;
    Ok(with_etag(HttpResponse::Ok(), found.version, &found))
}

/// Takes one step: send, withdraw (sending side); accept, decline with a reason, start,
/// complete with an outcome (receiving side).
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])),
    params(("id" = String, Path, description = "The referral's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = ReferralTransition,
    responses(
        (status = 200, description = "Done", body = Referral, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "A step of the other side", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed from the current state (`illegal_transition`, naming the state and the allowed steps), or no consent to send", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A reason, outcome or note is missing", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/transitions")]
pub async fn transition_referral(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, id: web::Path<String>, body: web::Json<ReferralTransition>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::transition(&state, accessor, id.into_inner().into(), version, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// What waits for the caller's organization: unopened and overdue referrals, for badges.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])),
    responses(
        (status = 200, description = "The counts", body = ReferralCounts),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/counts")]
pub async fn referral_counts(state: web::Data<AppState>, accessor: Accessor) -> Result<web::Json<ReferralCounts>, ApiError> {
    Ok(web::Json(service::counts(&state, accessor).await?))
}

/// Gives a received referral to a user of the receiving organization, or to nobody.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = []), ("client_credentials" = ["referrals:write"])),
    params(("id" = String, Path, description = "The referral's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = AssigneeInput,
    responses(
        (status = 200, description = "Assigned", body = Referral, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "The sending side", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such referral", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a user of the receiving organization", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/referrals/{id}/assignee")]
pub async fn assign_referral(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, id: web::Path<String>, body: web::Json<AssigneeInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::assign(&state, accessor, id.into_inner().into(), version, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// The messages between the sending and the receiving organization, oldest first.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "The messages", body = Vec<ReferralMessage>),
        (status = 404, description = "No such referral, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}/messages")]
pub async fn list_referral_messages(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<web::Json<Vec<ReferralMessage>>, ApiError> {
    Ok(web::Json(service::messages(&state, accessor, id.into_inner().into()).await?))
}

/// Writes a message to the other side of a referral. Nobody else reads it.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The referral's id")),
    request_body = ReferralMessageInput,
    responses(
        (status = 201, description = "Sent", body = ReferralMessage),
        (status = 404, description = "No such referral, or none the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An empty message", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/referrals/{id}/messages")]
pub async fn post_referral_message(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, body: web::Json<ReferralMessageInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    Ok(HttpResponse::Created().json(service::post_message(&state, accessor, id.into_inner().into(), body.into_inner()).await?))
}

/// The referral as an HL7 FHIR R4 Task with its ServiceRequest contained, for
/// health-system partners (`application/fhir+json`). Same access as the referral.
#[utoipa::path(
    tag = "referrals",
    security(("bearer" = []), ("client_credentials" = ["referrals:read"])),
    params(("id" = String, Path, description = "The referral's id")),
    responses(
        (status = 200, description = "A FHIR R4 Task", body = Object, content_type = "application/fhir+json"),
        (status = 404, description = "No such referral, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/referrals/{id}/fhir")]
pub async fn get_referral_fhir(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let referral = service::get(&state, accessor, id.into_inner().into()).await?;
    Ok(HttpResponse::Ok().content_type("application/fhir+json").json(super::fhir::task(&referral)))
}
