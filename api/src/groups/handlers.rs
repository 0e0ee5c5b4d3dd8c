//! `/groups`: the partnership's groups and their members; `/organizations/{id}/memberships`:
//! the groups an organization belongs to.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use harbour_types::{CoChairInput, Group, GroupInput, MemberInput, Membership, Problem};

use super::service;
use crate::auth::Principal;
use crate::error::{validate, ApiError};
use crate::http::{expected_version, with_etag};
use crate::state::AppState;

/// Every group — the core group, working, regional, cultural and survivor advisories —
/// with its members where the caller may see who belongs (a private group's only to its
/// members and coordinators).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    responses(
        (status = 200, description = "The groups", body = Vec<Group>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/groups")]
pub async fn list_groups(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<Vec<Group>>, ApiError> {
    Ok(web::Json(service::list(&state, principal).await?))
}

/// Creates a group (coordinators). A regional group names its region; the survivor
/// advisory's membership is private.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, the first answer comes back")),
    request_body = GroupInput,
    responses(
        (status = 201, description = "The group", body = Group, headers(("ETag" = String, description = "The group's version"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/groups")]
pub async fn create_group(state: web::Data<AppState>, principal: Principal, body: web::Json<GroupInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let group = service::create(&state, principal, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), group.version, &group))
}

/// One group.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The group's id")),
    responses(
        (status = 200, description = "The group", body = Group, headers(("ETag" = String, description = "The group's version, for If-Match"))),
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/groups/{id}")]
pub async fn get_group(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let group = service::get(&state, principal, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), group.version, &group))
}

/// Rewrites a group (coordinators). Send its ETag in If-Match.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group's id"), ("If-Match" = String, Header, description = "The group's ETag")),
    request_body = GroupInput,
    responses(
        (status = 200, description = "The group", body = Group, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/groups/{id}")]
pub async fn update_group(state: web::Data<AppState>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<GroupInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let expected = expected_version(&req)?;
    let group = service::update(&state, principal, id.into_inner(), expected, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), group.version, &group))
}

/// Adds an organization or a person to a group (coordinators and the group's co-chairs;
/// only coordinators name co-chairs).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group's id"), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, the first answer comes back")),
    request_body = MemberInput,
    responses(
        (status = 201, description = "The group, with its new member", body = Group, headers(("ETag" = String, description = "The group's version"))),
        (status = 403, description = "Neither a coordinator nor a co-chair; or a co-chair naming a co-chair", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a member", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body: an organization or a person, exactly one, active", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/groups/{id}/members")]
pub async fn add_member(state: web::Data<AppState>, principal: Principal, id: web::Path<String>, body: web::Json<MemberInput>) -> Result<HttpResponse, ApiError> {
    let group = service::add_member(&state, principal, id.into_inner(), body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), group.version, &group))
}

/// Names a member co-chair of the group, or no longer (coordinators).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group's id"), ("member" = String, Path, description = "The membership's id")),
    request_body = CoChairInput,
    responses(
        (status = 200, description = "The group", body = Group, headers(("ETag" = String, description = "The group's version"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group or member", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/groups/{id}/members/{member}")]
pub async fn set_co_chair(state: web::Data<AppState>, principal: Principal, path: web::Path<(String, String)>, body: web::Json<CoChairInput>) -> Result<HttpResponse, ApiError> {
    let (id, member) = path.into_inner();
    let group = service::set_co_chair(&state, principal, id, member, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), group.version, &group))
}

/// Removes a member from a group: coordinators and co-chairs, the person themself, and
/// the agency admins of the member's organization.
#[utoipa::path(
    tag = "groups",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The group's id"), ("member" = String, Path, description = "The membership's id")),
    responses(
        (status = 200, description = "The group, without that member", body = Group, headers(("ETag" = String, description = "The group's version"))),
        (status = 403, description = "Not allowed to remove this member", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such group, or no member by this id the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/groups/{id}/members/{member}")]
pub async fn remove_member(state: web::Data<AppState>, principal: Principal, path: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let (id, member) = path.into_inner();
    let group = service::remove_member(&state, principal, id, member).await?;
    Ok(with_etag(HttpResponse::Ok(), group.version, &group))
}

/// The groups an organization belongs to, itself or through its people: its
/// involvement in the partnership, for its profile (a private group's only to those who
/// may see who belongs to it).
#[utoipa::path(
    tag = "groups",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses(
        (status = 200, description = "Its memberships", body = Vec<Membership>),
        (status = 404, description = "No such organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}/memberships")]
pub async fn memberships(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<web::Json<Vec<Membership>>, ApiError> {
    Ok(web::Json(service::memberships(&state, principal, id.into_inner().into()).await?))
}
