//! `/consents` and `/consent-statements`: recording, reading and revoking consent.

use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use harbour_types::{Consent, ConsentInput, ConsentStatement, ConsentStatementRequest, Problem, RevocationInput};

use super::service;
use crate::audit::Accessor;
use crate::error::{validate, ApiError};
use crate::state::AppState;

/// The plain-language statement for a consent's scope, in English or French, exactly as
/// a consent with that scope will store it: read it back to the participant first.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    request_body = ConsentStatementRequest,
    responses(
        (status = 200, description = "The statement", body = ConsentStatement),
        (status = 422, description = "Invalid scope", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/consent-statements")]
pub async fn consent_statement(state: web::Data<AppState>, accessor: Accessor, body: web::Json<ConsentStatementRequest>) -> Result<web::Json<ConsentStatement>, ApiError> {
    validate(&*body)?;
    Ok(web::Json(service::preview(&state, accessor, body.into_inner()).await?))
}

/// Records a consent given by a participant of the caller's organization, with its
/// evidence (up to 5 MB). To change a consent, record a new one naming it in `supersedes_id`.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    request_body = ConsentInput,
    responses(
        (status = 201, description = "Recorded", body = Consent),
        (status = 404, description = "No such participant in the caller's organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The consent to supersede is not active", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid: no recipients or purposes, an expiry in the past, evidence of the wrong type…", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn create_consent(state: web::Data<AppState>, accessor: Accessor, body: web::Json<ConsentInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    Ok(HttpResponse::Created().json(service::create(&state, accessor, body.into_inner()).await?))
}

/// One consent: fully for the owning organization, its scope for a named recipient.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The consent's id")),
    responses(
        (status = 200, description = "The consent", body = Consent),
        (status = 404, description = "No such consent, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}")]
pub async fn get_consent(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<web::Json<Consent>, ApiError> {
    Ok(web::Json(service::get(&state, accessor, id.into_inner().into()).await?))
}

/// The evidence file (the owning organization). Never cached.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The consent's id")),
    responses(
        (status = 200, description = "The file", content((Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "application/pdf"))),
        (status = 403, description = "A recipient organization", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consent, or no file", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/{id}/evidence")]
pub async fn get_consent_evidence(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (media_type, bytes) = service::evidence_file(&state, accessor, id.into_inner().into()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, media_type))
        .insert_header((header::CONTENT_DISPOSITION, "inline; filename=\"consent-evidence\""))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// Records that the participant withdrew this consent. Recipients lose access on their
/// very next request.
#[utoipa::path(
    tag = "consents",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The consent's id")),
    request_body = RevocationInput,
    responses(
        (status = 200, description = "Revoked", body = Consent),
        (status = 403, description = "A recipient organization", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such consent", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already revoked, superseded or expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/{id}/revoke")]
pub async fn revoke_consent(state: web::Data<AppState>, copies: web::Data<service::SharedCopies>, accessor: Accessor, id: web::Path<String>, body: web::Json<RevocationInput>) -> Result<web::Json<Consent>, ApiError> {
    validate(&*body)?;
    Ok(web::Json(service::revoke(&state, &copies, accessor, id.into_inner().into(), body.into_inner()).await?))
}
