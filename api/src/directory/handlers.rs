//! Directory endpoints: services, locations, categories and regions.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use harbour_types::{
    CapacityInput, CapacityStatus, Location, LocationInput, Page, PageRequest, Problem, Region, RegionInput, SearchResults, Service, ServiceAttribute,
    ServiceAtLocation, ServiceInput, ServiceListing, StaleListing, Taxonomy, TaxonomyTerm, TaxonomyTermInput,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::nearby::PostcodeArea;
use super::reader::Reader;
use super::repo::ServiceFilter;
use super::search::{DirectorySearch, SearchQuery};
use super::caching::{offline_cache_policy, reveals_confidential, services_cache_policy};
use super::curation::{self, Curated};
use super::service;
use crate::auth::Principal;
use crate::error::{validate, ApiError};
use crate::http::{expected_version, ndjson, with_etag};
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
    /// Only services filed under this category (with `search`, or under a category below it).
    taxonomy_term_id: Option<String>,
    /// Only services filed under any term of this taxonomy (see `/taxonomies`). Not with `search`.
    taxonomy_id: Option<String>,
    /// Only services changed after this time (RFC 3339), for incremental sync. Not with `search`.
    modified_after: Option<chrono::DateTime<chrono::Utc>>,
    /// Words to look for, as in `/services/search`; results come best first. Combines with
    /// `organization_id` and `taxonomy_term_id`.
    search: Option<String>,
    /// `json` (default, paged) or `ndjson`: every matching service, one per line, streamed.
    format: Option<String>,
    /// `true`: every matching service's id and last change, in one unpaged array.
    /// (HSDS's `full` needs no parameter here: services always come fully nested.)
    minimal: Option<bool>,
}


/// The index search behind an HSDS list's `search`: its words, with the organization
/// and category filters the index knows. What it does not know is refused, not ignored.
fn hsds_search(words: &str, filter: ServiceFilter, page: PageRequest) -> Result<SearchQuery, ApiError> {
    if filter.modified_after.is_some() || filter.taxonomy_id.is_some() {
        let field = if filter.modified_after.is_some() { "/modified_after" } else { "/taxonomy_id" };
        return Err(ApiError::invalid(field, "with_search", "cannot be combined with search"));
    }
    Ok(SearchQuery { text: words.chars().take(200).collect(), organization: filter.organization_id, category: filter.taxonomy_term_id, page, ..SearchQuery::default() })
}

/// Query parameters of the directory search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words to look for in service, organization and category names and descriptions,
    /// English or French; partial words, missing accents and typos are forgiven.
    q: Option<String>,
    /// A category id: that category and everything under it.
    category: Option<String>,
    /// A region id.
    region: Option<String>,
    /// Only services open now, in the partnership's time zone.
    open_now: Option<bool>,
    /// Only services open around the clock.
    open_24_7: Option<bool>,
    /// A point, `latitude,longitude`, to measure distance from.
    near: Option<String>,
    /// Only services within this many km of `near`.
    radius_km: Option<f64>,
    /// `relevance` (default) or `distance` (needs `near`).
    sort: Option<String>,
    /// Only services that serve this age.
    age: Option<i32>,
    /// Only services offered in this language (ISO 639 code).
    language: Option<String>,
    /// Only services with all these attributes, comma-separated (`fit:no_id_required,fit:walk_in`).
    attributes: Option<String>,
    /// Only services that serve this gender: `women`, `men` or `gender_diverse`. Services
    /// marked with no gender serve everyone and stay in the results.
    gender: Option<String>,
    /// Only services that take referrals through Harbour.
    accepts_referrals: Option<bool>,
    /// Only services with this capacity status.
    capacity: Option<CapacityStatus>,
    /// The page to return, from 1.
    page: Option<u64>,
    /// Results per page, 1 to 100 (default 25).
    per_page: Option<u64>,
}

impl SearchParams {
    fn into_query(self) -> Result<SearchQuery, ApiError> {
        let near = match self.near.as_deref() {
            None => None,
            Some(text) => {
                let point = text.split_once(',').and_then(|(lat, lon)| Some((lat.trim().parse::<f64>().ok()?, lon.trim().parse::<f64>().ok()?)));
                match point {
                    Some((lat, lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => Some((lat, lon)),
                    _ => return Err(ApiError::invalid("/near", "point", "must be latitude,longitude in degrees")),
                }
            }
        };
        let by_distance = match self.sort.as_deref() {
            None | Some("relevance") => false,
            Some("distance") if near.is_some() => true,
            Some("distance") => return Err(ApiError::invalid("/sort", "needs_near", "sorting by distance needs a point in near")),
            Some(_) => return Err(ApiError::invalid("/sort", "sort", "must be relevance or distance")),
        };
        if self.radius_km.is_some_and(|r| !(0.0..=2000.0).contains(&r)) {
            return Err(ApiError::invalid("/radius_km", "range", "must be between 0 and 2000"));
        }
        let attributes = self
            .attributes
            .iter()
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(|code| ServiceAttribute::from_code(code).ok_or_else(|| ApiError::invalid("/attributes", "unknown_attribute", "an attribute code is not known")))
            .collect::<Result<_, _>>()?;
        let gender = match self.gender.as_deref() {
            None | Some("") => None,
            Some(g) => Some(ServiceAttribute::from_code(&format!("gender:{g}")).ok_or_else(|| ApiError::invalid("/gender", "gender", "must be women, men or gender_diverse"))?),
        };
        Ok(SearchQuery {
            text: self.q.unwrap_or_default().chars().take(200).collect(),
            category: self.category,
            region: self.region,
            organization: None,
            open_now: self.open_now.unwrap_or(false),
            open_24_7: self.open_24_7.unwrap_or(false),
            near,
            radius_km: self.radius_km,
            by_distance,
            age: self.age,
            language: self.language,
            attributes,
            gender,
            accepts_referrals: self.accepts_referrals.unwrap_or(false),
            capacity: self.capacity,
            page: crate::http::checked_page(PageRequest { page: self.page, per_page: self.per_page })?,
        })
    }
}

/// Searches the directory: ranked words with filters, facet counts and stable paging.
/// A place the reader may not see (a confidential one outside its organization, a
/// partners-only one in the public directory) is measured from its coarse point, the
/// centre of its cell in a grid of about 11 km, and its distance rounded up to a whole km.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(SearchParams),
    responses(
        (status = 200, description = "Results, best or nearest first, with facets", body = SearchResults),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A parameter is not valid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/search")]
pub async fn search_services(search: web::Data<DirectorySearch>, reader: Reader, params: web::Query<SearchParams>) -> Result<HttpResponse, ApiError> {
    let query = params.into_inner().into_query()?;
    // Results carry no address: they may always be kept for offline use.
    Ok(HttpResponse::Ok().insert_header(offline_cache_policy(false)).json(search.search(&query, reader.viewer(), chrono::Utc::now())))
}

/// Lists services, by name (HSDS 3.0 paging).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(ServiceListQuery),
    responses(
        (status = 200, description = "A page of services, or with `minimal=true` every matching id and last change", body = ServiceListing),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A client without directory:read", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services")]
pub async fn list_services(state: web::Data<AppState>, search: web::Data<DirectorySearch>, reader: Reader, query: web::Query<ServiceListQuery>) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let streamed = ndjson::wanted(query.format.as_deref())?;
    let filter = ServiceFilter {
        organization_id: query.organization_id,
        taxonomy_term_id: query.taxonomy_term_id,
        taxonomy_id: query.taxonomy_id,
        modified_after: query.modified_after.map(|t| t.naive_utc()),
    };
    if query.minimal == Some(true) {
        return Ok(HttpResponse::Ok().json(service::stamps(&state, filter).await?));
    }
    if streamed {
        return Ok(ndjson::streamed(service::stream_ndjson(&state, &reader, filter)));
    }
    if let Some(words) = query.search.filter(|w| !w.trim().is_empty()) {
        let wanted = hsds_search(&words, filter, crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?)?;
        let results = search.search(&wanted, reader.viewer(), chrono::Utc::now());
        let ids = results.page.contents.iter().map(|hit| hit.id.clone()).collect();
        let found = service::load_page(&state, reader.viewer(), ids, results.page.total_items, wanted.page).await?;
        return Ok(HttpResponse::Ok().insert_header(services_cache_policy(&found.contents)).json(found));
    }
    let page = crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?;
    let found = service::list(&state, reader.viewer(), filter, page).await?;
    Ok(HttpResponse::Ok().insert_header(services_cache_policy(&found.contents)).json(found))
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
pub async fn get_service(state: web::Data<AppState>, reader: Reader, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let found = service::get(&state, reader.viewer(), id.into_inner()).await?;
    let mut response = HttpResponse::Ok();
    response.insert_header(services_cache_policy([&found]));
    Ok(with_etag(response, found.version, &found))
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
pub async fn create_service(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, id: web::Path<String>, body: web::Json<ServiceInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let created = service::create(&state, &search, &principal, id.into_inner().into(), body.into_inner()).await?;
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
pub async fn update_service(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<ServiceInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::update(&state, &search, &principal, id.into_inner(), version, body.into_inner()).await?;
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
pub async fn set_capacity(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<CapacityInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::set_capacity(&state, &search, &principal, id.into_inner(), version, body.into_inner()).await?;
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
pub async fn list_locations(state: web::Data<AppState>, reader: Reader, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let found = service::list_locations(&state, reader.viewer(), id.into_inner().into()).await?;
    Ok(HttpResponse::Ok().insert_header(offline_cache_policy(reveals_confidential(&found))).json(found))
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
    let created = service::create_location(&state, &principal, id.into_inner().into(), body.into_inner()).await?;
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
pub async fn update_location(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<LocationInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let version = expected_version(&req)?;
    let updated = service::update_location(&state, &search, &principal, id.into_inner(), version, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// Query parameters of the category list (HSDS 3.0 names).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TermListQuery {
    /// The page to return, from 1.
    page: Option<u64>,
    /// Items per page, 1 to 100 (default 25).
    per_page: Option<u64>,
    /// Words the term's names (English or French), code or description start with;
    /// case and accents aside.
    search: Option<String>,
    /// Only terms of this taxonomy (see `/taxonomies`).
    taxonomy_id: Option<String>,
    /// Only the direct children of this term.
    parent_id: Option<String>,
    /// `true`: only the top of the tree, terms without a parent.
    top_only: Option<bool>,
    /// `json` (default, paged) or `ndjson`: every matching term, one per line.
    format: Option<String>,
}

/// The category tree, flattened (HSDS `taxonomy_term`, with `parent_id`), by code.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(TermListQuery),
    responses((status = 200, description = "A page of categories", body = Page<TaxonomyTerm>))
)]
#[get("/taxonomy_terms")]
pub async fn list_taxonomy_terms(state: web::Data<AppState>, _reader: Reader, query: web::Query<TermListQuery>) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let filter = service::TermFilter { search: query.search, taxonomy_id: query.taxonomy_id, parent_id: query.parent_id, top_only: query.top_only.unwrap_or(false) };
    if ndjson::wanted(query.format.as_deref())? {
        return Ok(ndjson::response().body(ndjson::lines(service::all_terms(&state, &filter).await?)?));
    }
    let page = crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?;
    Ok(HttpResponse::Ok().insert_header(offline_cache_policy(false)).json(service::list_terms(&state, &filter, page).await?))
}

/// One category.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The term's id")),
    responses(
        (status = 200, description = "The category", body = TaxonomyTerm, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/taxonomy_terms/{id}")]
pub async fn get_taxonomy_term(state: web::Data<AppState>, _reader: Reader, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let term = service::get_term(&state, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), term.version, &term))
}

/// The partnership's regions.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    responses((status = 200, description = "The regions", body = Vec<Region>))
)]
#[get("/regions")]
pub async fn list_regions(state: web::Data<AppState>, _reader: Reader) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().insert_header(offline_cache_policy(false)).json(service::list_regions(&state).await?))
}

/// Marks a listing verified now (coordinators and system admins).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The service's id")),
    responses(
        (status = 200, description = "Verified", body = Service, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{id}/verify")]
pub async fn verify_service(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let verified = curation::verify(&state, &principal, id.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), verified.version, &verified))
}

/// Listings not verified within `HARBOUR_STALE_AFTER_DAYS` (coordinators and system admins).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(PageRequest),
    responses(
        (status = 200, description = "Stale listings, oldest first", body = Page<StaleListing>),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/directory/stale")]
pub async fn list_stale(state: web::Data<AppState>, principal: Principal, page: web::Query<PageRequest>) -> Result<web::Json<Page<StaleListing>>, ApiError> {
    Ok(web::Json(curation::stale(&state, &principal, crate::http::checked_page(page.into_inner())?).await?))
}

/// Adds a category (coordinators and system admins).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    request_body = TaxonomyTermInput,
    responses(
        (status = 201, description = "Created", body = TaxonomyTerm, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, unknown parent", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/taxonomy_terms")]
pub async fn create_taxonomy_term(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, body: web::Json<TaxonomyTermInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let created = curation::save_term(&state, &search, &principal, Curated::New, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), created.version, &created))
}

/// Replaces a category: its names, code or place in the tree (coordinators and system
/// admins). Send the ETag you read in `If-Match`: a stale one gets 412.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The term's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = TaxonomyTermInput,
    responses(
        (status = 200, description = "Updated", body = TaxonomyTerm, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The code is taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body, unknown parent or a cycle", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/taxonomy_terms/{id}")]
pub async fn update_taxonomy_term(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<TaxonomyTermInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let change = Curated::Replacing { id: id.into_inner(), version: expected_version(&req)? };
    let updated = curation::save_term(&state, &search, &principal, change, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// Adds a region (coordinators and system admins).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    request_body = RegionInput,
    responses(
        (status = 201, description = "Created", body = Region, headers(("ETag" = String, description = "The version, for If-Match"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/regions")]
pub async fn create_region(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, body: web::Json<RegionInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let created = curation::save_region(&state, &search, &principal, Curated::New, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), created.version, &created))
}

/// Replaces a region's slug and names (coordinators and system admins). Send the ETag
/// you read in `If-Match`: a stale one gets 412.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The region's id"), ("If-Match" = String, Header, description = "The ETag read")),
    request_body = RegionInput,
    responses(
        (status = 200, description = "Updated", body = Region, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such region", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The slug is taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/regions/{id}")]
pub async fn update_region(state: web::Data<AppState>, search: web::Data<DirectorySearch>, principal: Principal, req: HttpRequest, id: web::Path<String>, body: web::Json<RegionInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let change = Curated::Replacing { id: id.into_inner(), version: expected_version(&req)? };
    let updated = curation::save_region(&state, &search, &principal, change, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), updated.version, &updated))
}

/// Information about this API (the HSDS 3.0 API root).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ApiRoot {
    /// The HSDS version this API speaks.
    version: String,
    /// Where the HSDS profile is described.
    profile: String,
    /// This API's OpenAPI document.
    openapi_url: String,
}

/// The API root, as HSDS 3.0 defines it: the HSDS version and where the OpenAPI document is.
#[utoipa::path(tag = "directory", responses((status = 200, description = "About this API", body = ApiRoot)))]
#[get("/")]
pub async fn api_root(req: HttpRequest) -> web::Json<ApiRoot> {
    let info = req.connection_info();
    web::Json(ApiRoot {
        version: "3.0".into(),
        profile: "https://docs.openreferral.org/en/latest/hsds/".into(),
        openapi_url: format!("{}://{}/api/v1/openapi.json", info.scheme(), info.host()),
    })
}

/// Query parameters of the taxonomy list (HSDS 3.0 names).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaxonomyListQuery {
    /// The page to return, from 1.
    page: Option<u64>,
    /// Items per page, 1 to 100 (default 25).
    per_page: Option<u64>,
    /// Words of the taxonomy's name or description; case, accents and typos forgiven.
    search: Option<String>,
    /// `json` (default, paged) or `ndjson`: every matching taxonomy, one per line.
    format: Option<String>,
}

/// The taxonomies services are filed under (HSDS): one, the partnership's categories.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(TaxonomyListQuery),
    responses((status = 200, description = "A page of taxonomies", body = Page<Taxonomy>))
)]
#[get("/taxonomies")]
pub async fn list_taxonomies(_reader: Reader, query: web::Query<TaxonomyListQuery>) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let words: Vec<String> = query.search.as_deref().map(|w| super::search::text::words(w).collect()).unwrap_or_default();
    let found: Vec<Taxonomy> = [service::category_taxonomy()].into_iter().filter(|t| super::search::text::finds(&words, &format!("{} {}", t.name, t.description))).collect();
    if ndjson::wanted(query.format.as_deref())? {
        return Ok(ndjson::response().body(ndjson::lines(found)?));
    }
    Ok(HttpResponse::Ok().json(Page::slice(found, crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?)))
}

/// One taxonomy.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The taxonomy's id")),
    responses(
        (status = 200, description = "The taxonomy", body = Taxonomy),
        (status = 404, description = "No such taxonomy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/taxonomies/{id}")]
pub async fn get_taxonomy(_reader: Reader, id: web::Path<String>) -> Result<web::Json<Taxonomy>, ApiError> {
    let taxonomy = service::category_taxonomy();
    if *id != taxonomy.id {
        return Err(ApiError::NotFound("no such taxonomy".into()));
    }
    Ok(web::Json(taxonomy))
}

/// Query parameters of the service-at-location list (HSDS 3.0 names).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceAtLocationQuery {
    /// The page to return, from 1.
    page: Option<u64>,
    /// Items per page, 1 to 100 (default 25).
    per_page: Option<u64>,
    /// Only this organization's services at their locations.
    organization_id: Option<String>,
    /// Only services filed under this category.
    taxonomy_term_id: Option<String>,
    /// Only services filed under any term of this taxonomy (see `/taxonomies`). Not with `search`.
    taxonomy_id: Option<String>,
    /// Only services changed after this time (RFC 3339), for incremental sync. Not with `search`.
    modified_after: Option<chrono::DateTime<chrono::Utc>>,
    /// Words to look for, as in `/services/search`: the links of the services found, best
    /// service first (each service's links by id). Combines with `organization_id` and
    /// `taxonomy_term_id`; not with `taxonomy_id`, `modified_after` or `postcode`.
    search: Option<String>,
    /// `json` (default, paged) or `ndjson`: every matching link, one per line, streamed.
    format: Option<String>,
    /// A postal code, any case or spacing, or its first three characters (a forward
    /// sortation area): only places in it; with `proximity`, the point to measure from.
    postcode: Option<String>,
    /// With `postcode`: only places within this many meters of the postcode's centroid,
    /// nearest first. Harbour has no postcode database: the centroid is the middle of the
    /// public places it knows in that postcode, or else in its first three characters' area.
    /// A place the reader may not see is measured from its coarse point (about 11 km grid).
    proximity: Option<String>,
}

/// Services at their locations (HSDS). A confidential place's address shows only to its organization.
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(ServiceAtLocationQuery),
    responses(
        (status = 200, description = "A page of services at locations", body = Page<ServiceAtLocation>),
        (status = 422, description = "A parameter is not valid, or no known place has the postcode", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/service_at_locations")]
pub async fn list_service_at_locations(state: web::Data<AppState>, search: web::Data<DirectorySearch>, reader: Reader, query: web::Query<ServiceAtLocationQuery>) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?;
    let filter = ServiceFilter {
        organization_id: query.organization_id,
        taxonomy_term_id: query.taxonomy_term_id,
        taxonomy_id: query.taxonomy_id,
        modified_after: query.modified_after.map(|t| t.naive_utc()),
    };
    // A place whose address this reader may not see is never in an area's results.
    let area = PostcodeArea::from_query(query.postcode.as_deref(), query.proximity.as_deref())?;
    let streamed = ndjson::wanted(query.format.as_deref())?;
    if let Some(words) = query.search.filter(|w| !w.trim().is_empty()) {
        if area.is_some() {
            return Err(ApiError::invalid("/postcode", "with_search", "cannot be combined with search"));
        }
        let found = search.found_with_links(&hsds_search(&words, filter, page)?, reader.viewer(), chrono::Utc::now());
        if streamed {
            return Ok(ndjson::streamed(service::stream_found_service_at_locations(&state, &reader, found)));
        }
        let listed = service::found_service_at_locations(&state, reader.viewer(), found, page).await?;
        let confidential = reveals_confidential(listed.contents.iter().map(|sal| &sal.location));
        return Ok(HttpResponse::Ok().insert_header(offline_cache_policy(confidential)).json(listed));
    }
    if streamed {
        return Ok(ndjson::streamed(service::stream_service_at_locations(&state, &reader, filter, area)));
    }
    let found = service::list_service_at_locations(&state, reader.viewer(), filter, area, page).await?;
    let confidential = reveals_confidential(found.contents.iter().map(|sal| &sal.location));
    Ok(HttpResponse::Ok().insert_header(offline_cache_policy(confidential)).json(found))
}

/// One service at one location (HSDS).
#[utoipa::path(
    tag = "directory",
    security(("bearer" = []), ("client_credentials" = ["directory:read"])),
    params(("id" = String, Path, description = "The link's id")),
    responses(
        (status = 200, description = "The service at its location", body = ServiceAtLocation),
        (status = 404, description = "No such link", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/service_at_locations/{id}")]
pub async fn get_service_at_location(state: web::Data<AppState>, reader: Reader, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let found = service::get_service_at_location(&state, reader.viewer(), id.into_inner()).await?;
    Ok(HttpResponse::Ok().insert_header(offline_cache_policy(reveals_confidential([&found.location]))).json(found))
}
