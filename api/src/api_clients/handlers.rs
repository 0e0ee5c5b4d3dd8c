//! `/organizations/{id}/api-clients` and `/api-clients/{id}`.

use actix_web::{delete, get, post, web, HttpResponse};
use harbour_types::{ApiClient, ApiClientWithSecret, NewApiClient, Problem};

use super::service;
use crate::auth::{AccountCache, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// Lists an organization's API clients (its agency admins, or system admins).
#[utoipa::path(
    tag = "api-clients",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "The clients", body = Vec<ApiClient>),
        (status = 403, description = "Not an admin of this organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/api-clients")]
pub async fn list_api_clients(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<web::Json<Vec<ApiClient>>, ApiError> {
    Ok(web::Json(service::list(&state, &principal, id.into_inner().into()).await?))
}

/// Creates an API client for an organization; the secret is shown once.
#[utoipa::path(
    tag = "api-clients",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = NewApiClient,
    responses(
        (status = 201, description = "Created", body = ApiClientWithSecret),
        (status = 403, description = "Not an admin of this organization", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/api-clients")]
pub async fn create_api_client(state: web::Data<AppState>, principal: Principal, id: web::Path<String>, body: web::Json<NewApiClient>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(service::create(&state, &principal, id.into_inner().into(), body.into_inner()).await?))
}

/// Revokes an API client: it can no longer obtain tokens, and its tokens stop working.
#[utoipa::path(
    tag = "api-clients",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The API client's record id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such client in an organization you manage", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/api-clients/{id}")]
pub async fn revoke_api_client(state: web::Data<AppState>, recent: web::Data<AccountCache>, principal: Principal, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    service::revoke(&state, &recent, &principal, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
