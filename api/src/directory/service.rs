//! Reading and keeping the directory current: rules, reference checks, transactions.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use harbour_types::{
    Address, Capacity, CapacityInput, CapacityStatus, Language, Location, LocationInput, Organization, Page, PageRequest, Phone, Region, Schedule, OrganizationId,
    ScheduleException, Service, ServiceAtLocation, ServiceInput, ServiceStamp, Taxonomy, TaxonomyTerm, TermRef, Weekday,
};

use super::nearby::{stored_postcode, PostcodeArea};
use super::repo::{self, ExceptionRow, LocationRow, PhoneRow, RegionRow, ScheduleRow, ServiceAggregate, ServiceChanges, ServiceChildren, ServiceFilter, ServiceRow, TermRow};
use super::search::{self, hours::{self, Hours}, DirectorySearch};
use super::details;
use super::visibility::{redact, Viewer};
use crate::auth::{Permission, Principal};
use crate::db::DbConn;
use super::error::DirectoryError;
use crate::http::ndjson::{self, Chunks};
use crate::state::AppState;

/// The taxonomy Harbour's categories belong to: its name, and a fixed id.
pub const CATEGORY_TAXONOMY: &str = "harbour-categories";
/// The id of [`CATEGORY_TAXONOMY`].
pub const CATEGORY_TAXONOMY_ID: &str = "8f0e4a5c-2f1d-4b8e-9a63-5d0c7e1b2a44";

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn service_not_found() -> DirectoryError {
    DirectoryError::NotFound("service")
}

/// A location as stored, before any redaction.
pub fn location_dto(row: &LocationRow) -> Location {
    let addresses = match (&row.address_1, &row.city) {
        (Some(street), Some(city)) => vec![Address {
            id: row.id.clone(),
            location_id: row.id.clone(),
            address_1: street.clone(),
            city: city.clone(),
            state_province: row.state_province.clone().unwrap_or_else(|| "NS".into()),
            postal_code: row.postal_code.clone().unwrap_or_default(),
            country: row.country.clone(),
            address_type: "physical".into(),
        }],
        _ => Vec::new(),
    };
    Location {
        id: row.id.clone(),
        location_type: "physical".into(),
        organization_id: row.organization_id.to_string(),
        name: row.name.clone(),
        description: row.description.clone(),
        visibility: row.visibility(),
        latitude: row.latitude,
        longitude: row.longitude,
        addresses,
        intake_instructions: row.intake_instructions.clone(),
        accessibility: details::accessibility_of(&row.id, row.accessibility.as_deref()),
        version: row.version,
    }
}

/// Open now, and when a closed service next opens ("opens Tuesday 09:00"), by its hours
/// read at this moment in the partnership's time zone.
fn clock_readings(hours: &Hours, time_zone: &str) -> (bool, Option<chrono::DateTime<chrono::FixedOffset>>) {
    let Ok(zone) = time_zone.parse::<chrono_tz::Tz>() else { return (false, None) };
    let now = Utc::now();
    if hours::open_at(hours, zone, now) {
        (true, None)
    } else {
        (false, hours::next_opening(hours, zone, now))
    }
}

/// A language row has no id of its own; HSDS wants a UUID, so derive a stable one.
fn language_id(service_id: &str, code: &str) -> String {
    let namespace = uuid::Uuid::parse_str(service_id).unwrap_or(uuid::Uuid::NAMESPACE_OID);
    uuid::Uuid::new_v5(&namespace, code.as_bytes()).to_string()
}

fn term_ref(link: &repo::TermLink) -> TermRef {
    TermRef { id: link.1.clone(), code: link.2.clone(), name: link.3.clone(), name_fr: link.4.clone() }
}

/// A service as this viewer may see it.
pub fn service_dto(aggregate: &ServiceAggregate, viewer: Viewer<'_>, time_zone: &str) -> Service {
    let row = &aggregate.row;
    let schedules: Vec<Schedule> = aggregate
        .schedules
        .iter()
        .filter_map(|s| {
            Some(Schedule {
                id: s.id.clone(),
                service_id: s.service_id.clone(),
                freq: "WEEKLY".into(),
                byday: Weekday::from_code(&s.weekday)?,
                opens_at: s.opens_at.clone(),
                closes_at: s.closes_at.clone(),
                time_zone: time_zone.to_owned(),
                description: s.description.clone(),
            })
        })
        .collect();
    let schedule_exceptions: Vec<ScheduleException> = aggregate
        .exceptions
        .iter()
        .filter_map(|e| Some(ScheduleException { date: e.date.parse().ok()?, opens_at: e.opens_at.clone(), closes_at: e.closes_at.clone(), description: e.description.clone() }))
        .collect();
    let (open_now, opens_next_at) = clock_readings(&Hours::of(&schedules, &schedule_exceptions, row.open_24_7), time_zone);
    Service {
        id: row.id.clone(),
        organization_id: row.organization_id.to_string(),
        name: row.name.clone(),
        alternate_name: row.alternate_name.clone(),
        description: row.description.clone(),
        url: row.url.clone(),
        email: row.email.clone(),
        status: row.status,
        interpretation_services: row.interpretation_services.clone(),
        application_process: row.application_process.clone(),
        fees_description: row.fees_description.clone(),
        eligibility_description: row.eligibility_description.clone(),
        minimum_age: row.minimum_age,
        maximum_age: row.maximum_age,
        last_modified: row.updated_at.and_utc(),
        phones: aggregate
            .phones
            .iter()
            .map(|p| Phone {
                id: p.id.clone(),
                number: p.number.clone(),
                kind: p.kind,
                after_hours: p.after_hours,
                description: p.description.clone(),
            })
            .collect(),
        schedules,
        schedule_exceptions,
        service_at_locations: aggregate
            .locations
            .iter()
            .map(|(link, location)| ServiceAtLocation {
                id: link.clone(),
                service_id: row.id.clone(),
                location_id: location.id.clone(),
                location: redact(location_dto(location), viewer),
            })
            .collect(),
        languages: aggregate
            .languages
            .iter()
            .map(|code| Language { id: language_id(&row.id, code), service_id: row.id.clone(), code: code.clone() })
            .collect(),
        free: row.free,
        required_documents: details::documents_of(&row.id, row.required_documents.as_deref()),
        open_24_7: row.open_24_7,
        open_now,
        opens_next_at,
        accepts_referrals: row.accepts_referrals,
        capacity: Capacity {
            status: row.capacity_status,
            available: row.capacity_available,
            maximum: row.capacity_maximum,
            unit: row.capacity_unit.clone(),
            updated: row.capacity_updated_at.map(|t| t.and_utc()),
        },
        harbour_attributes: aggregate.attributes.clone(),
        categories: aggregate.categories.iter().map(term_ref).collect(),
        regions: aggregate.regions.iter().map(term_ref).collect(),
        verified_at: row.verified_at.map(|t| t.and_utc()),
        version: row.version,
    }
}

/// Brings search up to date after a committed write (see `DirectorySearch::catch_up`).
/// The write stands even if this fails (the next poll catches up), so a failure is logged,
/// not returned.
pub(crate) async fn reindex(state: &AppState, search: &DirectorySearch) {
    if let Err(e) = search.catch_up(&state.db, &state.settings.time_zone).await {
        tracing::error!(error = %e, "bringing the directory search index up to date failed");
    }
}

fn load_one(conn: &mut DbConn, id: &str) -> Result<ServiceAggregate, DirectoryError> {
    repo::load_services(conn, &[id.to_owned()])?.pop().ok_or_else(service_not_found)
}

/// One page of services, as this viewer may see them.
pub async fn list(state: &AppState, viewer: Viewer<'_>, filter: ServiceFilter, request: PageRequest) -> Result<Page<Service>, DirectoryError> {
    let (offset, limit) = crate::db::page_bounds(request);
    let (aggregates, total) = state
        .db
        .run(move |conn| -> Result<_, DirectoryError> {
            let (ids, total) = repo::list_service_ids(conn, &filter, offset, limit)?;
            Ok((repo::load_services(conn, &ids)?, total))
        })
        .await?;
    let services = aggregates.iter().map(|a| service_dto(a, viewer, &state.settings.time_zone)).collect();
    Ok(Page::new(services, total.unsigned_abs(), request))
}

/// Every matching service's id and last change (HSDS `minimal=true`): directory data
/// with no address in it, the same for every viewer.
pub async fn stamps(state: &AppState, filter: ServiceFilter) -> Result<Vec<ServiceStamp>, DirectoryError> {
    let rows = state.db.run(move |conn| repo::service_stamps(conn, &filter).map_err(DirectoryError::from)).await?;
    Ok(rows.into_iter().map(|(id, at)| ServiceStamp { id, last_modified: at.and_utc() }).collect())
}

/// Full services for ids already chosen and ordered (by a search), as one page.
pub async fn load_page(state: &AppState, viewer: Viewer<'_>, ids: Vec<String>, total: u64, request: PageRequest) -> Result<Page<Service>, DirectoryError> {
    let aggregates = state.db.run(move |conn| repo::load_services(conn, &ids).map_err(DirectoryError::from)).await?;
    Ok(Page::new(aggregates.iter().map(|a| service_dto(a, viewer, &state.settings.time_zone)).collect(), total, request))
}

/// One service, as this viewer may see it.
pub async fn get(state: &AppState, viewer: Viewer<'_>, id: String) -> Result<Service, DirectoryError> {
    let aggregate = state.db.run(move |conn| load_one(conn, &id)).await?;
    Ok(service_dto(&aggregate, viewer, &state.settings.time_zone))
}

/// Checks what `validator` cannot: ages in order, language codes, and that locations,
/// categories and regions exist (and locations are the organization's own).
fn check_references(conn: &mut DbConn, organization_id: &OrganizationId, input: &ServiceInput) -> Result<(), DirectoryError> {
    let dates = &input.schedule_exceptions;
    if let Some(index) = (0..dates.len()).find(|&i| dates[..i].iter().any(|earlier| earlier.date == dates[i].date)) {
        return Err(DirectoryError::DuplicateException { index });
    }
    if let (Some(min), Some(max)) = (input.minimum_age, input.maximum_age) {
        if min > max {
            return Err(DirectoryError::AgesReversed);
        }
    }
    if let Some(index) = input.languages.iter().position(|c| !(2..=3).contains(&c.len()) || !c.bytes().all(|b| b.is_ascii_lowercase())) {
        return Err(DirectoryError::UnknownLanguage { index });
    }
    let locations = distinct(&input.location_ids);
    if repo::count_own_locations(conn, organization_id, &locations)? != locations.len() as i64 {
        return Err(DirectoryError::UnknownLocation);
    }
    let categories = distinct(&input.category_ids);
    if repo::count_terms(conn, &categories)? != categories.len() as i64 {
        return Err(DirectoryError::UnknownCategory);
    }
    let regions = distinct(&input.region_ids);
    if repo::count_regions(conn, &regions)? != regions.len() as i64 {
        return Err(DirectoryError::UnknownRegion);
    }
    Ok(())
}

/// The ids or codes once each, sorted: a list sent twice over is stored once.
fn distinct<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    items.sort();
    items.dedup();
    items
}

fn children(service_id: &str, input: &ServiceInput) -> ServiceChildren {
    ServiceChildren {
        phones: input
            .phones
            .iter()
            .enumerate()
            .map(|(position, p)| PhoneRow {
                id: uuid::Uuid::new_v4().to_string(),
                service_id: service_id.to_owned(),
                number: p.number.trim().to_owned(),
                kind: p.kind,
                after_hours: p.after_hours,
                description: p.description.clone(),
                position: i32::try_from(position).unwrap_or(i32::MAX),
            })
            .collect(),
        schedules: input
            .schedules
            .iter()
            .map(|s| ScheduleRow {
                id: uuid::Uuid::new_v4().to_string(),
                service_id: service_id.to_owned(),
                weekday: s.byday.code().to_owned(),
                opens_at: s.opens_at.clone(),
                closes_at: s.closes_at.clone(),
                description: s.description.clone(),
            })
            .collect(),
        exceptions: input
            .schedule_exceptions
            .iter()
            .map(|e| ExceptionRow {
                id: uuid::Uuid::new_v4().to_string(),
                service_id: service_id.to_owned(),
                date: e.date.to_string(),
                opens_at: e.opens_at.clone(),
                closes_at: e.closes_at.clone(),
                description: e.description.clone(),
            })
            .collect(),
        location_ids: distinct(&input.location_ids),
        languages: distinct(&input.languages),
        attributes: distinct(&input.harbour_attributes),
        category_ids: distinct(&input.category_ids),
        region_ids: distinct(&input.region_ids),
    }
}

fn changes(service_id: &str, input: &ServiceInput) -> ServiceChanges {
    let text = |s: &Option<String>| s.as_ref().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    ServiceChanges {
        name: input.name.trim().to_owned(),
        description: input.description.trim().to_owned(),
        status: input.status,
        accepts_referrals: input.accepts_referrals,
        alternate_name: text(&input.alternate_name),
        url: text(&input.url),
        email: text(&input.email),
        interpretation_services: text(&input.interpretation_services),
        application_process: input.application_process.trim().to_owned(),
        fees_description: text(&input.fees_description),
        free: input.free,
        eligibility_description: text(&input.eligibility_description),
        minimum_age: input.minimum_age,
        maximum_age: input.maximum_age,
        required_documents: details::kept(&details::documents_typed(service_id, &input.required_documents)),
        open_24_7: input.open_24_7,
    }
}

pub(crate) fn acting_user(principal: &Principal) -> Result<String, DirectoryError> {
    principal.user_id().map(str::to_owned).ok_or(DirectoryError::PeopleOnly)
}

/// Creates a service for an organization.
pub async fn create(state: &AppState, search: &DirectorySearch, principal: &Principal, organization_id: OrganizationId, input: ServiceInput) -> Result<Service, DirectoryError> {
    principal.authorize(Permission::EditDirectoryOf(&organization_id))?;
    let user = acting_user(principal)?;
    let viewer_org = principal.organization_id.clone();
    let aggregate = state
        .db
        .transaction(move |conn| {
            check_references(conn, &organization_id, &input)?;
            let id = uuid::Uuid::new_v4().to_string();
            let at = now();
            let c = changes(&id, &input);
            let row = ServiceRow {
                id: id.clone(),
                organization_id,
                name: c.name,
                description: c.description,
                status: c.status,
                accepts_referrals: c.accepts_referrals,
                created_at: at,
                updated_at: at,
                alternate_name: c.alternate_name,
                url: c.url,
                email: c.email,
                interpretation_services: c.interpretation_services,
                application_process: c.application_process,
                fees_description: c.fees_description,
                free: c.free,
                eligibility_description: c.eligibility_description,
                minimum_age: c.minimum_age,
                maximum_age: c.maximum_age,
                required_documents: c.required_documents,
                open_24_7: c.open_24_7,
                capacity_status: CapacityStatus::Accepting,
                capacity_available: None,
                capacity_maximum: None,
                capacity_unit: None,
                capacity_updated_at: None,
                verified_at: None,
                version: 1,
                updated_by: Some(user),
            };
            repo::insert_service(conn, &row)?;
            repo::replace_children(conn, &id, &children(&id, &input))?;
            load_one(conn, &id)
        })
        .await?;
    reindex(state, search).await;
    Ok(service_dto(&aggregate, Viewer::Partner(viewer_org.as_str()), &state.settings.time_zone))
}

/// Loads a service for an edit and checks that the principal may edit it.
fn editable(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<ServiceRow, DirectoryError> {
    let row = repo::find_service(conn, id)?.ok_or_else(service_not_found)?;
    principal.authorize(Permission::EditDirectoryOf(&row.organization_id))?;
    Ok(row)
}

/// Replaces a service whole, if it is still at `expected_version`.
pub async fn update(state: &AppState, search: &DirectorySearch, principal: &Principal, id: String, expected_version: i32, input: ServiceInput) -> Result<Service, DirectoryError> {
    let user = acting_user(principal)?;
    let principal_for_tx = principal.clone();
    let aggregate = state
        .db
        .transaction(move |conn| {
            let row = editable(conn, &principal_for_tx, &id)?;
            check_references(conn, &row.organization_id, &input)?;
            if !repo::update_service(conn, &id, expected_version, &changes(&id, &input), &user, now())? {
                return Err(DirectoryError::Stale);
            }
            repo::replace_children(conn, &id, &children(&id, &input))?;
            load_one(conn, &id)
        })
        .await?;
    reindex(state, search).await;
    Ok(service_dto(&aggregate, Viewer::Partner(principal.organization_id.as_str()), &state.settings.time_zone))
}

/// The one-tap capacity update, if the service is still at `expected_version`.
pub async fn set_capacity(state: &AppState, search: &DirectorySearch, principal: &Principal, id: String, expected_version: i32, input: CapacityInput) -> Result<Service, DirectoryError> {
    let user = acting_user(principal)?;
    if let (Some(available), Some(maximum)) = (input.available, input.maximum) {
        if available > maximum {
            return Err(DirectoryError::AvailableAboveMaximum);
        }
    }
    let principal_for_tx = principal.clone();
    let (aggregate, revision) = state
        .db
        .transaction(move |conn| {
            editable(conn, &principal_for_tx, &id)?;
            let unit = input.unit.as_deref().map(str::trim).filter(|u| !u.is_empty());
            if !repo::update_capacity(conn, &id, expected_version, input.status.code(), input.available, input.maximum, unit, &user, now())? {
                return Err(DirectoryError::Stale);
            }
            Ok((load_one(conn, &id)?, repo::revision(conn)?))
        })
        .await?;
    let service = service_dto(&aggregate, Viewer::Partner(principal.organization_id.as_str()), &state.settings.time_zone);
    search.capacity_changed(revision, &service.id, service.capacity.clone());
    Ok(service)
}

/// The row for a location saved from `input`, over the `previous` one when it is replaced.
fn location_row(id: String, organization_id: OrganizationId, input: &LocationInput, version: i32, created_at: NaiveDateTime, by: String, previous: Option<&LocationRow>) -> LocationRow {
    let text = |s: &Option<String>| s.as_ref().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let accessibility = details::kept(&details::accessibility_typed(&id, &input.accessibility));
    LocationRow {
        id,
        organization_id,
        name: input.name.trim().to_owned(),
        description: input.description.trim().to_owned(),
        visibility: input.visibility,
        address_1: text(&input.address_1),
        city: text(&input.city),
        state_province: text(&input.state_province),
        postal_code: text(&input.postal_code).map(|code| stored_postcode(&code)),
        country: "CA".into(),
        latitude: input.latitude,
        longitude: input.longitude,
        accessibility,
        intake_instructions: text(&input.intake_instructions),
        version,
        created_at,
        updated_at: now(),
        updated_by: Some(by),
        coarse_latitude: None,
        coarse_longitude: None,
    }
    .placed(previous)
}

/// Creates a location for an organization.
pub async fn create_location(state: &AppState, principal: &Principal, organization_id: OrganizationId, input: LocationInput) -> Result<Location, DirectoryError> {
    principal.authorize(Permission::EditDirectoryOf(&organization_id))?;
    let row = location_row(uuid::Uuid::new_v4().to_string(), organization_id, &input, 1, now(), acting_user(principal)?, None);
    let dto = location_dto(&row);
    state.db.run(move |conn| repo::insert_location(conn, &row).map_err(DirectoryError::from)).await?;
    Ok(dto)
}

/// Replaces a location whole, if it is still at `expected_version`.
pub async fn update_location(state: &AppState, search: &DirectorySearch, principal: &Principal, id: String, expected_version: i32, input: LocationInput) -> Result<Location, DirectoryError> {
    let user = acting_user(principal)?;
    let principal = principal.clone();
    let updated = state
        .db
        .transaction(move |conn| {
            let current = repo::find_location(conn, &id)?.ok_or(DirectoryError::NotFound("location"))?;
            principal.authorize_owned(Permission::EditDirectoryOf(&current.organization_id), &current.organization_id, "location")?;
            let row = location_row(id, current.organization_id.clone(), &input, expected_version + 1, current.created_at, user, Some(&current));
            if !repo::update_location(conn, &row, expected_version)? {
                return Err(DirectoryError::Stale);
            }
            Ok(location_dto(&row))
        })
        .await?;
    reindex(state, search).await;
    Ok(updated)
}

/// An organization's locations, as this viewer may see them.
pub async fn list_locations(state: &AppState, viewer: Viewer<'_>, organization_id: OrganizationId) -> Result<Vec<Location>, DirectoryError> {
    let rows = state.db.run(move |conn| repo::list_locations(conn, &organization_id).map_err(DirectoryError::from)).await?;
    Ok(rows.iter().map(|r| redact(location_dto(r), viewer)).collect())
}

/// A category as the API shows it.
pub(crate) fn term_dto(row: TermRow) -> TaxonomyTerm {
    TaxonomyTerm {
        id: row.id,
        code: row.code,
        name: row.name,
        name_fr: row.name_fr,
        description: row.description,
        parent_id: row.parent_id,
        taxonomy: CATEGORY_TAXONOMY.into(),
        taxonomy_id: CATEGORY_TAXONOMY_ID.into(),
        version: row.version,
    }
}

/// A region as the API shows it.
pub(crate) fn region_dto(row: RegionRow) -> Region {
    Region { id: row.id, slug: row.slug, name: row.name, name_fr: row.name_fr, version: row.version }
}

/// Which categories a list holds (HSDS's `taxonomy_terms` parameters).
#[derive(Debug, Clone, Default)]
pub struct TermFilter {
    /// Words of the term's names, code or description (forgiving as the search is).
    pub search: Option<String>,
    /// Only this taxonomy's terms.
    pub taxonomy_id: Option<String>,
    /// Only this term's children.
    pub parent_id: Option<String>,
    /// Only terms without a parent.
    pub top_only: bool,
}

impl TermFilter {
    fn keeps(&self, term: &TermRow, words: &[String]) -> bool {
        self.parent_id.as_ref().is_none_or(|p| term.parent_id.as_ref() == Some(p))
            && (!self.top_only || term.parent_id.is_none())
            && search::text::finds(words, &format!("{} {} {} {}", term.name, term.name_fr, term.code, term.description))
    }
}

/// One page of categories by code. The tree is small: it is filtered in memory, with the
/// search's folding of case and accents, the same on both databases.
pub async fn list_terms(state: &AppState, filter: &TermFilter, request: PageRequest) -> Result<Page<TaxonomyTerm>, DirectoryError> {
    Ok(Page::slice(all_terms(state, filter).await?, request))
}

/// Every category `filter` keeps, by code.
pub async fn all_terms(state: &AppState, filter: &TermFilter) -> Result<Vec<TaxonomyTerm>, DirectoryError> {
    if filter.taxonomy_id.as_deref().is_some_and(|t| t != CATEGORY_TAXONOMY_ID) {
        return Ok(Vec::new());
    }
    let rows = state.db.run(|conn| repo::all_terms(conn).map_err(DirectoryError::from)).await?;
    let words: Vec<String> = filter.search.as_deref().map(|w| search::text::words(w).collect()).unwrap_or_default();
    Ok(rows.into_iter().filter(|t| filter.keeps(t, &words)).map(term_dto).collect())
}

/// One category.
pub async fn get_term(state: &AppState, id: String) -> Result<TaxonomyTerm, DirectoryError> {
    let row = state.db.run(move |conn| repo::find_term(conn, &id).map_err(DirectoryError::from)).await?;
    row.map(term_dto).ok_or(DirectoryError::NotFound("taxonomy term"))
}

/// The partnership's regions.
pub async fn list_regions(state: &AppState) -> Result<Vec<Region>, DirectoryError> {
    let rows = state.db.run(|conn| repo::list_regions(conn).map_err(DirectoryError::from)).await?;
    Ok(rows.into_iter().map(region_dto).collect())
}

/// The taxonomy of the partnership's categories.
pub fn category_taxonomy() -> Taxonomy {
    Taxonomy {
        id: CATEGORY_TAXONOMY_ID.into(),
        name: CATEGORY_TAXONOMY.into(),
        description: "The partnership's category tree (English and French names), edited by its coordinators.".into(),
    }
}

/// One page of services at their locations, as this viewer may see them; in `area`
/// (HSDS's postcode and proximity) when given.
pub async fn list_service_at_locations(
    state: &AppState,
    viewer: Viewer<'_>,
    filter: ServiceFilter,
    area: Option<PostcodeArea>,
    request: PageRequest,
) -> Result<Page<ServiceAtLocation>, DirectoryError> {
    if let Some(area) = area {
        let organization = viewer.organization().map(str::to_owned);
        let rows = state.db.run(move |conn| area.links(conn, &filter, Viewer::of(organization.as_deref()))).await?;
        return Ok(Page::slice(rows.into_iter().map(|row| link_dto(row, viewer)).collect(), request));
    }
    let (offset, limit) = crate::db::page_bounds(request);
    let (rows, total) = state
        .db
        .run(move |conn| Ok::<_, DirectoryError>((repo::service_at_locations(conn, &filter, repo::LinksFrom::Offset(offset), limit)?, repo::count_service_at_locations(conn, &filter)?)))
        .await?;
    Ok(Page::new(rows.into_iter().map(|row| link_dto(row, viewer)).collect(), total.unsigned_abs(), request))
}

/// Which found services one page of their links draws on, and how many links of the
/// first of them come before the page: `found` is search's order with each service's
/// number of links, so the links before the page are counted, never read.
fn services_on_page(found: &[(String, u32)], offset: u64, limit: u64) -> (Vec<String>, u64) {
    let (mut start, mut skip, mut ids) = (0_u64, 0_u64, Vec::new());
    for (id, links) in found {
        let end = start + u64::from(*links);
        if *links > 0 && end > offset && start < offset.saturating_add(limit) {
            if ids.is_empty() {
                skip = offset - start;
            }
            ids.push(id.clone());
        }
        if end >= offset.saturating_add(limit) {
            break;
        }
        start = end;
    }
    (ids, skip)
}

/// The links of these services in the order of `ids`, each service's by link id.
fn links_in_order(conn: &mut DbConn, ids: &[String]) -> Result<Vec<repo::LinkRow>, DirectoryError> {
    let position: HashMap<&str, usize> = ids.iter().enumerate().map(|(n, id)| (id.as_str(), n)).collect();
    let mut rows = repo::links_of_services(conn, ids)?;
    // Stable: each service's links stay in id order.
    rows.sort_by_key(|(_, service_id, _)| position.get(service_id.as_str()).copied());
    Ok(rows)
}

/// One page of the links of the services a search found (HSDS `search` on
/// `/service_at_locations`), in the search's order.
pub async fn found_service_at_locations(state: &AppState, viewer: Viewer<'_>, found: Vec<(String, u32)>, request: PageRequest) -> Result<Page<ServiceAtLocation>, DirectoryError> {
    let total = found.iter().map(|(_, links)| u64::from(*links)).sum();
    let (ids, skip) = services_on_page(&found, request.offset(), request.per_page());
    let rows = state.db.run(move |conn| links_in_order(conn, &ids)).await?;
    let page = rows.into_iter().skip(usize::try_from(skip).unwrap_or(usize::MAX)).take(usize::try_from(request.per_page()).unwrap_or(usize::MAX));
    Ok(Page::new(page.map(|row| link_dto(row, viewer)).collect(), total, request))
}

fn link_dto((id, service_id, location): repo::LinkRow, viewer: Viewer<'_>) -> ServiceAtLocation {
    ServiceAtLocation { id, service_id, location_id: location.id.clone(), location: redact(location_dto(&location), viewer) }
}

/// One service at one location, as this viewer may see it.
pub async fn get_service_at_location(state: &AppState, viewer: Viewer<'_>, id: String) -> Result<ServiceAtLocation, DirectoryError> {
    let row = state.db.run(move |conn| repo::find_service_at_location(conn, &id).map_err(DirectoryError::from)).await?;
    row.map(|row| link_dto(row, viewer)).ok_or(DirectoryError::NotFound("service at location"))
}

/// Each organization's services, by name, as this viewer may see them.
fn services_of(conn: &mut DbConn, viewer: Viewer<'_>, organization_ids: &[String], time_zone: &str) -> Result<Vec<Vec<Service>>, DirectoryError> {
    let mut lists = Vec::with_capacity(organization_ids.len());
    for id in organization_ids {
        let filter = ServiceFilter { organization_id: Some(id.clone()), ..ServiceFilter::default() };
        let (ids, _) = repo::list_service_ids(conn, &filter, 0, i64::MAX)?;
        lists.push(repo::load_services(conn, &ids)?.iter().map(|aggregate| service_dto(aggregate, viewer, time_zone)).collect());
    }
    Ok(lists)
}

fn nest(organizations: impl IntoIterator<Item = Organization>, lists: Vec<Vec<Service>>) -> impl Iterator<Item = Organization> {
    organizations.into_iter().zip(lists).map(|(mut organization, services)| {
        organization.services = Some(services);
        organization
    })
}

/// Organizations with their services nested (HSDS's `full_service`), as this viewer may see them.
pub async fn with_services(state: &AppState, viewer: Viewer<'_>, organizations: Vec<Organization>) -> Result<Vec<Organization>, DirectoryError> {
    let ids: Vec<String> = organizations.iter().map(|o| o.id.clone()).collect();
    let (organization, time_zone) = (viewer.organization().map(str::to_owned), state.settings.time_zone.clone());
    let lists = state.db.run(move |conn| services_of(conn, Viewer::of(organization.as_deref()), &ids, &time_zone)).await?;
    Ok(nest(organizations, lists).collect())
}

/// How many organizations a streamed list with their services reads at a time.
const ORGANIZATION_CHUNK: usize = 20;

/// Organizations with their services nested, one per line: read a few organizations at
/// a time, since all of them with every service would not fit in memory at scale.
pub fn stream_with_services(
    state: &AppState,
    reader: &super::reader::Reader,
    organizations: Vec<Organization>,
) -> Chunks {
    let time_zone = state.settings.time_zone.clone();
    stream_chunks(state, reader, move |conn, viewer, send| {
        for chunk in organizations.chunks(ORGANIZATION_CHUNK) {
            let ids: Vec<String> = chunk.iter().map(|o| o.id.clone()).collect();
            let lists = services_of(conn, viewer, &ids, &time_zone)?;
            if !send(ndjson::lines(nest(chunk.to_vec(), lists))?) {
                break; // the client went away
            }
        }
        Ok(())
    })
}

/// How many objects a streamed list reads from the database at a time.
const STREAM_CHUNK: usize = 200;

/// Lines made on the blocking pool chunk by chunk, so a large directory is never held
/// in memory whole: `produce` hands each chunk to `send`, which says false once the
/// client has gone. A failure midway ends the stream early (and is logged).
fn stream_chunks<F>(state: &AppState, reader: &super::reader::Reader, produce: F) -> Chunks
where
    F: FnOnce(&mut DbConn, Viewer<'_>, &mut dyn FnMut(Vec<u8>) -> bool) -> Result<(), DirectoryError> + Send + 'static,
{
    let (sender, receiver) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let organization = reader.viewer().organization().map(str::to_owned);
    let db = state.db.clone();
    tokio::task::spawn_blocking(move || {
        let viewer = Viewer::of(organization.as_deref());
        let outcome = db.get().map_err(DirectoryError::from).and_then(|mut conn| produce(&mut conn, viewer, &mut |lines| sender.blocking_send(lines).is_ok()));
        if let Err(e) = outcome {
            tracing::error!(error = %e, "streaming the directory stopped early");
        }
    });
    receiver
}

/// Every service matching `filter`, as this reader may see them, one JSON object per line.
pub fn stream_ndjson(
    state: &AppState,
    reader: &super::reader::Reader,
    filter: ServiceFilter,
) -> Chunks {
    let time_zone = state.settings.time_zone.clone();
    stream_chunks(state, reader, move |conn, viewer, send| {
        let (ids, _) = repo::list_service_ids(conn, &filter, 0, i64::MAX)?;
        for chunk in ids.chunks(STREAM_CHUNK) {
            let services = repo::load_services(conn, chunk)?;
            if !send(ndjson::lines(services.iter().map(|aggregate| service_dto(aggregate, viewer, &time_zone)))?) {
                break; // the client went away
            }
        }
        Ok(())
    })
}

/// Every link of the services a search found, one per line, in the search's order.
pub fn stream_found_service_at_locations(
    state: &AppState,
    reader: &super::reader::Reader,
    found: Vec<(String, u32)>,
) -> Chunks {
    stream_chunks(state, reader, move |conn, viewer, send| {
        for chunk in found.chunks(STREAM_CHUNK) {
            let ids: Vec<String> = chunk.iter().map(|(id, _)| id.clone()).collect();
            if !send(ndjson::lines(links_in_order(conn, &ids)?.into_iter().map(|row| link_dto(row, viewer)))?) {
                break;
            }
        }
        Ok(())
    })
}

/// Every service-at-location link matching `filter` (in `area` when given), as this
/// reader may see it, one per line.
pub fn stream_service_at_locations(
    state: &AppState,
    reader: &super::reader::Reader,
    filter: ServiceFilter,
    area: Option<PostcodeArea>,
) -> Chunks {
    stream_chunks(state, reader, move |conn, viewer, send| {
        if let Some(area) = area {
            // An area is read whole (it is bounded: see `nearby`), then sent in chunks.
            let mut rows = area.links(conn, &filter, viewer)?.into_iter().peekable();
            while rows.peek().is_some() {
                if !send(ndjson::lines(rows.by_ref().take(STREAM_CHUNK).map(|row| link_dto(row, viewer)))?) {
                    break;
                }
            }
            return Ok(());
        }
        let chunk = i64::try_from(STREAM_CHUNK).unwrap_or(i64::MAX);
        let mut after: Option<String> = None;
        loop {
            let from = after.as_deref().map_or(repo::LinksFrom::Offset(0), repo::LinksFrom::After);
            let rows = repo::service_at_locations(conn, &filter, from, chunk)?;
            let last = rows.len() < STREAM_CHUNK;
            after = rows.last().map(|(id, ..)| id.clone());
            if !send(ndjson::lines(rows.into_iter().map(|row| link_dto(row, viewer)))?) || last {
                break;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::services_on_page;

    fn found(links: &[u32]) -> Vec<(String, u32)> {
        links.iter().enumerate().map(|(n, links)| (format!("s{n}"), *links)).collect()
    }

    #[test]
    fn a_page_of_links_reads_only_the_services_it_draws_on() {
        // Links: s0 has 2, s1 none, s2 3, s3 1.
        let found = found(&[2, 0, 3, 1]);
        assert_eq!(services_on_page(&found, 0, 2), (vec!["s0".to_owned()], 0));
        assert_eq!(services_on_page(&found, 1, 2), (vec!["s0".to_owned(), "s2".to_owned()], 1));
        assert_eq!(services_on_page(&found, 2, 3), (vec!["s2".to_owned()], 0));
        assert_eq!(services_on_page(&found, 4, 10), (vec!["s2".to_owned(), "s3".to_owned()], 2));
        assert_eq!(services_on_page(&found, 6, 10), (Vec::<String>::new(), 0));
    }
}
