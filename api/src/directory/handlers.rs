//! Directory endpoints: services, locations, categories and regions.

use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use harbour_types::{CapacityInput, Location, LocationInput, Page, PageRequest, Problem, Region, Service, ServiceInput, TaxonomyTerm};
use serde::Deserialize;
use utoipa::IntoParams;

use super::repo::ServiceFilter;
use super::service;
use crate::auth::{Permission, Principal};
use crate::error::{validate, ApiError};
use crate::http::{etag, expected_version};
use crate::state::AppState;

/// Query parameters of the service list (HSDS 3.0 names).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceListQuery {
    /// The page to return, from 1.
    page: Option<u64>,
    /// Items per page, 1 to 100 (default 25).
    per_page: Option<u64>,
    /// Only this organization's services.
    organization_id: Option<String>,
    /// Only services filed under this category.
    taxonomy_term_id: Option<String>,
    /// Only services changed after this time (RFC 3339), for incremental sync.
    modified_after: Option<chrono::DateTime<chrono::Utc>>,
}

fn with_etag<T: serde::Serialize>(mut response: actix_web::HttpResponseBuilder, version: i32, body: &T) -> HttpResponse {
    response.insert_header((header::ETAG, etag(version))).json(body)
}

/// Lists services, by name (HSDS 3.0 paging).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(ServiceListQuery),
    responses(
        (status = 200, description = "A page of services", body = Page<Service>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A client without directory:read", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services")]
pub async fn list_services(state: web::Data<AppState>, principal: Principal, query: web::Query<ServiceListQuery>) -> Result<web::Json<Page<Service>>, ApiError> {
    principal.authorize(Permission::ReadDirectory)?;
    let query = query.into_inner();
    let filter = ServiceFilter {
        organization_id: query.organization_id,
        taxonomy_term_id: query.taxonomy_term_id,
        modified_after: query.modified_after.map(|t| t.naive_utc()),
    };
    let page = PageRequest { page: query.page, per_page: query.per_page };
    Ok(web::Json(service::list(&state, &principal, filter, page).await?))
}

/// One service with its locations, phones, hours, languages and capacity. A
/// confidential location shows no address or coordinates outside its organization.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The service's id")),
    responses(
        (status = 200, description = "The service", body = Service, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{id}")]
pub async fn get_service(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    principal.authorize(Permission::ReadDirectory)?;
    let found = service::get(&state, &principal, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), found.version, &found))
}

/// Adds a service to an organization's listings (its agency admins, or system admins).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = ServiceInput,
    responses(
        (status = 201, description = "Created", body = Service, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 403, description = "Not an admin of this organization", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body or unknown references", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/services")]
pub async fn create_service(state: web::Data<AppState>, principal: Principal, id: web::Path<String>, body: web::Json<ServiceInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let created = service::create(&state, &principal, id.into_inner(), body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), created.version, &created))
}

/// Replaces a service whole. Send the ETag you read in `If-Match`: a stale one gets
/// 412 and changes nothing, so no one's edit is silently lost.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The service's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = ServiceInput,
    responses(
        (status = 200, description = "Updated", body = Service, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not an admin of the service's organization", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body or unknown references", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/services/{id}")]
pub async fn update_service(state: web::Data<AppState>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<ServiceInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::update(&state, &principal, id.into_inner(), version, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// Updates a service's capacity in one tap: accepting, waitlist or full, and spots.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The service's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = CapacityInput,
    responses(
        (status = 200, description = "Updated", body = Service, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not an admin of the service's organization", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/services/{id}/capacity")]
pub async fn set_capacity(state: web::Data<AppState>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<CapacityInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::set_capacity(&state, &principal, id.into_inner(), version, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// An organization's locations. A confidential one shows no address outside the organization.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The organization's id")),
    responses((status = 200, description = "The locations", body = Vec<Location>))
)]
#[get("/organizations/{id}/locations")]
pub async fn list_locations(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<web::Json<Vec<Location>>, ApiError> {
    principal.authorize(Permission::ReadDirectory)?;
    Ok(web::Json(service::list_locations(&state, &principal, id.into_inner()).await?))
}

/// Adds a location to an organization (its agency admins, or system admins).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The organization's id")),
    request_body = LocationInput,
    responses(
        (status = 201, description = "Created", body = Location, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 403, description = "Not an admin of this organization", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/organizations/{id}/locations")]
pub async fn create_location(state: web::Data<AppState>, principal: Principal, id: web::Path<String>, body: web::Json<LocationInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let created = service::create_location(&state, &principal, id.into_inner(), body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), created.version, &created))
}

/// Replaces a location whole, with `If-Match`.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The location's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = LocationInput,
    responses(
        (status = 200, description = "Updated", body = Location, headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such location in an organization you manage", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/locations/{id}")]
pub async fn update_location(state: web::Data<AppState>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<LocationInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::update_location(&state, &principal, id.into_inner(), version, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// The category tree, flattened (HSDS `taxonomy_term`, with `parent_id`).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(PageRequest),
    responses((status = 200, description = "A page of categories", body = Page<TaxonomyTerm>))
)]
#[get("/taxonomy_terms")]
pub async fn list_taxonomy_terms(state: web::Data<AppState>, principal: Principal, page: web::Query<PageRequest>) -> Result<web::Json<Page<TaxonomyTerm>>, ApiError> {
    principal.authorize(Permission::ReadDirectory)?;
    Ok(web::Json(service::list_terms(&state, page.into_inner()).await?))
}

/// One category.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The term's id")),
    responses(
        (status = 200, description = "The category", body = TaxonomyTerm),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/taxonomy_terms/{id}")]
pub async fn get_taxonomy_term(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<web::Json<TaxonomyTerm>, ApiError> {
    principal.authorize(Permission::ReadDirectory)?;
    Ok(web::Json(service::get_term(&state, id.into_inner()).await?))
}

/// The partnership's regions.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    responses((status = 200, description = "The regions", body = Vec<Region>))
)]
#[get("/regions")]
pub async fn list_regions(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<Vec<Region>>, ApiError> {
    principal.authorize(Permission::ReadDirectory)?;
    Ok(web::Json(service::list_regions(&state).await?))
}
