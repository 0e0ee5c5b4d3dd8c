//! `/organizations/{id}/users` and `/users/{id}`: an organization's staff accounts.

use actix_web::{get, post, web, HttpResponse};
use harbour_types::{NewUser, Page, PageRequest, Problem, User, UserWithTemporaryPassword};

use super::service;
use crate::auth::{AccountCache, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// Lists an organization's users (its agency admins, or system admins).
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id"), PageRequest),
    responses(
        (status = 200, description = "A page of users", body = Page<User>),
        (status = 403, description = "Not an admin of this organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/users")]
pub async fn list_users(state: web::Data<AppState>, principal: Principal, id: web::Path<String>, page: web::Query<PageRequest>) -> Result<web::Json<Page<User>>, ApiError> {
    Ok(web::Json(service::list(&state, &principal, id.into_inner().into(), crate::http::checked_page(page.into_inner())?).await?))
}

/// Creates a user in an organization, with a temporary password shown once.
///
/// Agency admins may grant outreach_worker, intake_worker and agency_admin;
/// coordinator and system_admin are granted by system admins.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = NewUser,
    responses(
        (status = 201, description = "Created", body = UserWithTemporaryPassword),
        (status = 403, description = "Not an admin of this organization, or a role you may not grant", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The e-mail address is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/users")]
pub async fn create_user(state: web::Data<AppState>, principal: Principal, id: web::Path<String>, body: web::Json<NewUser>) -> Result<HttpResponse, ApiError> {
    let created = service::create(&state, &principal, id.into_inner().into(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Deactivates a user: they can no longer sign in and their sessions end at once.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Deactivated", body = User),
        (status = 404, description = "No such user in an organization you manage", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "You cannot deactivate yourself", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/deactivate")]
pub async fn deactivate_user(state: web::Data<AppState>, recent: web::Data<AccountCache>, principal: Principal, id: web::Path<String>) -> Result<web::Json<User>, ApiError> {
    Ok(web::Json(service::deactivate(&state, &recent, &principal, id.into_inner()).await?))
}

/// Resets a user's password to a temporary one, shown once; their sessions end.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The user's id")),
    responses(
        (status = 200, description = "Reset", body = UserWithTemporaryPassword),
        (status = 404, description = "No such user in an organization you manage", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/reset-password")]
pub async fn reset_password(state: web::Data<AppState>, recent: web::Data<AccountCache>, principal: Principal, id: web::Path<String>) -> Result<web::Json<UserWithTemporaryPassword>, ApiError> {
    Ok(web::Json(service::reset_password(&state, &recent, &principal, id.into_inner()).await?))
}
