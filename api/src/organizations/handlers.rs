//! `/organizations`: the partners of the partnership.

use actix_web::{get, post, put, web, HttpResponse};
use harbour_types::{Organization, OrganizationInput, Page, PageRequest, Problem};

use super::service;
use crate::auth::{AccountCache, Principal};
use crate::directory::caching::services_cache_policy;
use crate::directory::reader::Reader;
use crate::directory::service as directory;
use crate::error::ApiError;
use crate::http::ndjson;
use crate::state::AppState;

/// Query parameters of the organization list (HSDS 3.0 names).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationListQuery {
    /// The page to return, from 1.
    page: Option<u64>,
    /// Items per page, 1 to 100 (default 25).
    per_page: Option<u64>,
    /// Words of the organization's name or description; case, accents and typos forgiven.
    search: Option<String>,
    /// `json` (default, paged) or `ndjson`: every matching organization, one per line.
    format: Option<String>,
    /// `true`: each organization with its services, fully nested, by name.
    full_service: Option<bool>,
    /// The same as `full_service`: services are all an organization nests in Harbour.
    full: Option<bool>,
}

/// Query parameters of one organization (HSDS 3.0 names).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationQuery {
    /// `true`: with its services, fully nested, by name.
    full_service: Option<bool>,
}

/// A response of organizations, nesting their services when asked: kept for offline use
/// only if no safe house's address is in it.
fn organizations_response<T: serde::Serialize>(body: &T, organizations: &[Organization]) -> HttpResponse {
    let services = organizations.iter().flat_map(|o| o.services.iter().flatten());
    HttpResponse::Ok().insert_header(services_cache_policy(services)).json(body)
}

/// Lists the partnership's organizations, by name.
#[utoipa::path(
    tag = "organizations",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(OrganizationListQuery),
    responses(
        (status = 200, description = "A page of organizations", body = Page<Organization>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A client without directory:read", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations")]
pub async fn list_organizations(state: web::Data<AppState>, reader: Reader, query: web::Query<OrganizationListQuery>) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?;
    let streamed = ndjson::wanted(query.format.as_deref())?;
    let nested = query.full_service.or(query.full).unwrap_or(false);
    let mut found = match (query.search.filter(|w| !w.trim().is_empty()), streamed) {
        (None, false) => service::list(&state, page).await?,
        (words, _) => {
            let all = service::find(&state, words.as_deref().unwrap_or_default()).await?;
            match (streamed, nested) {
                (true, true) => return Ok(ndjson::streamed(directory::stream_with_services(&state, &reader, all))),
                (true, false) => return Ok(ndjson::response().body(ndjson::lines(all)?)),
                (false, _) => Page::slice(all, page),
            }
        }
    };
    if nested {
        found.contents = directory::with_services(&state, reader.viewer(), found.contents).await?;
    }
    Ok(organizations_response(&found, &found.contents))
}

/// One organization.
#[utoipa::path(
    tag = "organizations",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The organization's id"), OrganizationQuery),
    responses(
        (status = 200, description = "The organization", body = Organization),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organizations/{id}")]
pub async fn get_organization(state: web::Data<AppState>, reader: Reader, id: web::Path<String>, query: web::Query<OrganizationQuery>) -> Result<HttpResponse, ApiError> {
    let mut found = vec![service::get(&state, id.into_inner().into()).await?];
    if query.full_service == Some(true) {
        found = directory::with_services(&state, reader.viewer(), found).await?;
    }
    Ok(organizations_response(&found[0], &found))
}

/// Adds an organization to the partnership (system admins).
#[utoipa::path(
    tag = "organizations",
    security(("bearer" = [])),
    request_body = OrganizationInput,
    responses(
        (status = 201, description = "Created", body = Organization),
        (status = 403, description = "Not a system admin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations")]
pub async fn create_organization(state: web::Data<AppState>, principal: Principal, body: web::Json<OrganizationInput>) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Created().json(service::create(&state, &principal, body.into_inner()).await?))
}

/// Replaces an organization's details (its agency admins, or system admins).
#[utoipa::path(
    tag = "organizations",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = OrganizationInput,
    responses(
        (status = 200, description = "Updated", body = Organization),
        (status = 403, description = "Not an admin of this organization", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organizations/{id}")]
pub async fn update_organization(state: web::Data<AppState>, recent: web::Data<AccountCache>, principal: Principal, id: web::Path<String>, body: web::Json<OrganizationInput>) -> Result<web::Json<Organization>, ApiError> {
    Ok(web::Json(service::update(&state, &recent, &principal, id.into_inner().into(), body.into_inner()).await?))
}
