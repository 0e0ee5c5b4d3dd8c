//! Directory rows and queries. Lists load their children in one query per kind
//! (`eq_any` over the page's ids), never one per service.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{CapacityStatus, OrganizationId, PhoneKind, ServiceAttribute, ServiceStatus, Visibility};

use crate::db::schema::{
    directory_changes, directory_revision, locations, phones, regions, schedule_exceptions, schedules, service_at_locations, service_attributes, service_languages, service_regions, service_taxonomy_terms,
    services, taxonomy_terms,
};
use crate::db::DbConn;
use crate::directory::nearby;

/// A row of `services`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = services, treat_none_as_null = true)]
pub struct ServiceRow {
    pub id: String,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: String,
    pub status: ServiceStatus,
    pub accepts_referrals: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub alternate_name: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub interpretation_services: Option<String>,
    pub application_process: String,
    pub fees_description: Option<String>,
    pub free: bool,
    pub eligibility_description: Option<String>,
    pub minimum_age: Option<i32>,
    pub maximum_age: Option<i32>,
    pub required_documents: Option<String>,
    pub open_24_7: bool,
    pub capacity_status: CapacityStatus,
    pub capacity_available: Option<i32>,
    pub capacity_maximum: Option<i32>,
    pub capacity_unit: Option<String>,
    pub capacity_updated_at: Option<NaiveDateTime>,
    pub verified_at: Option<NaiveDateTime>,
    pub version: i32,
    pub updated_by: Option<String>,
}

/// The editable fields of a service, written whole on every update.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = services, treat_none_as_null = true)]
pub struct ServiceChanges {
    pub name: String,
    pub description: String,
    pub status: ServiceStatus,
    pub accepts_referrals: bool,
    pub alternate_name: Option<String>,
    pub url: Option<String>,
    pub email: Option<String>,
    pub interpretation_services: Option<String>,
    pub application_process: String,
    pub fees_description: Option<String>,
    pub free: bool,
    pub eligibility_description: Option<String>,
    pub minimum_age: Option<i32>,
    pub maximum_age: Option<i32>,
    pub required_documents: Option<String>,
    pub open_24_7: bool,
}

/// A row of `locations`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = locations, treat_none_as_null = true)]
pub struct LocationRow {
    pub id: String,
    pub organization_id: OrganizationId,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    pub address_1: Option<String>,
    pub city: Option<String>,
    pub state_province: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub accessibility: Option<String>,
    pub intake_instructions: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<String>,
    /// Where the place is measured from by those who may not see it (`nearby::coarse_point`).
    pub coarse_latitude: Option<f64>,
    pub coarse_longitude: Option<f64>,
}

impl LocationRow {
    /// Fixes the coarse point for the coordinates it now has, keeping the one it had
    /// (`previous`'s) while it stays near it.
    pub fn placed(mut self, previous: Option<&LocationRow>) -> LocationRow {
        let kept = previous.and_then(|p| p.coarse_latitude.zip(p.coarse_longitude));
        let coarse = nearby::coarse_point(self.latitude.zip(self.longitude), kept);
        (self.coarse_latitude, self.coarse_longitude) = (coarse.map(|c| c.0), coarse.map(|c| c.1));
        self
    }

    /// Who may see where it is. (A value this version does not know fails the read: no
    /// answer is made of a place whose visibility is not known.)
    pub fn visibility(&self) -> Visibility {
        self.visibility
    }
}

/// A row of `phones`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = phones)]
pub struct PhoneRow {
    pub id: String,
    pub service_id: String,
    pub number: String,
    pub kind: PhoneKind,
    pub after_hours: bool,
    pub description: Option<String>,
    pub position: i32,
}

/// A row of `schedules`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedules)]
pub struct ScheduleRow {
    pub id: String,
    pub service_id: String,
    pub weekday: String,
    pub opens_at: String,
    pub closes_at: String,
    pub description: Option<String>,
}

/// A row of `schedule_exceptions`: a date (`YYYY-MM-DD`, local) whose hours differ.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = schedule_exceptions, treat_none_as_default_value = false)]
pub struct ExceptionRow {
    pub id: String,
    pub service_id: String,
    pub date: String,
    pub opens_at: Option<String>,
    pub closes_at: Option<String>,
    pub description: Option<String>,
}

/// A category or region as a service refers to it: (service id, id, code, name, French name).
pub type TermLink = (String, String, String, String, String);

/// Everything a service is shown with.
#[derive(Debug, Clone)]
pub struct ServiceAggregate {
    pub row: ServiceRow,
    pub phones: Vec<PhoneRow>,
    pub schedules: Vec<ScheduleRow>,
    /// By date.
    pub exceptions: Vec<ExceptionRow>,
    /// (service_at_location id, location)
    pub locations: Vec<(String, LocationRow)>,
    pub languages: Vec<String>,
    pub attributes: Vec<ServiceAttribute>,
    pub categories: Vec<TermLink>,
    pub regions: Vec<TermLink>,
}

/// The children of a service, written whole on create and update.
#[derive(Debug, Clone, Default)]
pub struct ServiceChildren {
    pub phones: Vec<PhoneRow>,
    pub schedules: Vec<ScheduleRow>,
    pub exceptions: Vec<ExceptionRow>,
    pub location_ids: Vec<String>,
    pub languages: Vec<String>,
    pub attributes: Vec<ServiceAttribute>,
    pub category_ids: Vec<String>,
    pub region_ids: Vec<String>,
}

/// Stores a new service row.
pub fn insert_service(conn: &mut DbConn, row: &ServiceRow) -> QueryResult<()> {
    bump_revision(conn, Changed::Services(std::slice::from_ref(&row.id)))?;
    diesel::insert_into(services::table).values(row).execute(conn).map(drop)
}

/// Updates a service if it is still at `expected_version`; returns whether it was.
pub fn update_service(conn: &mut DbConn, id: &str, expected_version: i32, changes: &ServiceChanges, by: &str, at: NaiveDateTime) -> QueryResult<bool> {
    bump_revision(conn, Changed::Services(&[id.to_owned()]))?;
    let changed = diesel::update(services::table.find(id).filter(services::version.eq(expected_version)))
        .set((changes, services::version.eq(expected_version + 1), services::updated_at.eq(at), services::updated_by.eq(by)))
        .execute(conn)?;
    Ok(changed == 1)
}

/// Sets a service's capacity if it is still at `expected_version`; returns whether it was.
#[expect(clippy::too_many_arguments, reason = "one column each; a struct would only rename them")]
pub fn update_capacity(
    conn: &mut DbConn,
    id: &str,
    expected_version: i32,
    status: &str,
    available: Option<i32>,
    maximum: Option<i32>,
    unit: Option<&str>,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    bump_revision(conn, Changed::Services(&[id.to_owned()]))?;
    let changed = diesel::update(services::table.find(id).filter(services::version.eq(expected_version)))
        .set((
            services::capacity_status.eq(status),
            services::capacity_available.eq(available),
            services::capacity_maximum.eq(maximum),
            services::capacity_unit.eq(unit),
            services::capacity_updated_at.eq(at),
            services::version.eq(expected_version + 1),
            services::updated_at.eq(at),
            services::updated_by.eq(by),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The id of a service's link to a location, derived from both: it stays the same
/// across edits and exports, as HSDS consumers expect of an id.
fn service_at_location_id(service_id: &str, location_id: &str) -> String {
    let namespace = uuid::Uuid::parse_str(service_id).unwrap_or(uuid::Uuid::NAMESPACE_OID);
    uuid::Uuid::new_v5(&namespace, location_id.as_bytes()).to_string()
}

/// Replaces all of a service's children. Call inside a transaction.
pub fn replace_children(conn: &mut DbConn, service_id: &str, children: &ServiceChildren) -> QueryResult<()> {
    bump_revision(conn, Changed::Services(&[service_id.to_owned()]))?;
    diesel::delete(phones::table.filter(phones::service_id.eq(service_id))).execute(conn)?;
    diesel::delete(schedules::table.filter(schedules::service_id.eq(service_id))).execute(conn)?;
    diesel::delete(schedule_exceptions::table.filter(schedule_exceptions::service_id.eq(service_id))).execute(conn)?;
    diesel::delete(service_at_locations::table.filter(service_at_locations::service_id.eq(service_id))).execute(conn)?;
    diesel::delete(service_languages::table.filter(service_languages::service_id.eq(service_id))).execute(conn)?;
    diesel::delete(service_attributes::table.filter(service_attributes::service_id.eq(service_id))).execute(conn)?;
    diesel::delete(service_taxonomy_terms::table.filter(service_taxonomy_terms::service_id.eq(service_id))).execute(conn)?;
    diesel::delete(service_regions::table.filter(service_regions::service_id.eq(service_id))).execute(conn)?;
    for phone in &children.phones {
        diesel::insert_into(phones::table).values(phone).execute(conn)?;
    }
    for schedule in &children.schedules {
        diesel::insert_into(schedules::table).values(schedule).execute(conn)?;
    }
    for exception in &children.exceptions {
        diesel::insert_into(schedule_exceptions::table).values(exception).execute(conn)?;
    }
    for location_id in &children.location_ids {
        diesel::insert_into(service_at_locations::table)
            .values((
                service_at_locations::id.eq(service_at_location_id(service_id, location_id)),
                service_at_locations::service_id.eq(service_id),
                service_at_locations::location_id.eq(location_id),
            ))
            .execute(conn)?;
    }
    for code in &children.languages {
        diesel::insert_into(service_languages::table).values((service_languages::service_id.eq(service_id), service_languages::code.eq(code))).execute(conn)?;
    }
    for code in &children.attributes {
        diesel::insert_into(service_attributes::table).values((service_attributes::service_id.eq(service_id), service_attributes::code.eq(code))).execute(conn)?;
    }
    for term in &children.category_ids {
        diesel::insert_into(service_taxonomy_terms::table)
            .values((service_taxonomy_terms::service_id.eq(service_id), service_taxonomy_terms::taxonomy_term_id.eq(term)))
            .execute(conn)?;
    }
    for region in &children.region_ids {
        diesel::insert_into(service_regions::table).values((service_regions::service_id.eq(service_id), service_regions::region_id.eq(region))).execute(conn)?;
    }
    Ok(())
}

/// The service row with this id.
pub fn find_service(conn: &mut DbConn, id: &str) -> QueryResult<Option<ServiceRow>> {
    services::table.find(id).select(ServiceRow::as_select()).first(conn).optional()
}

/// Filters of the service list.
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    pub organization_id: Option<String>,
    pub taxonomy_term_id: Option<String>,
    /// Services filed under any term of this taxonomy: Harbour has one, its categories.
    pub taxonomy_id: Option<String>,
    pub modified_after: Option<NaiveDateTime>,
}

/// One page of service ids by name, and the total matching.
pub fn list_service_ids(conn: &mut DbConn, filter: &ServiceFilter, offset: i64, limit: i64) -> QueryResult<(Vec<String>, i64)> {
    let total = filtered(filter).count().get_result(conn)?;
    let ids = filtered(filter).order((services::name.asc(), services::id.asc())).offset(offset).limit(limit).select(services::id).load(conn)?;
    Ok((ids, total))
}

/// Every matching service's id and last change, by id: HSDS's `minimal` listing, for a
/// partner system to see what to fetch again.
pub fn service_stamps(conn: &mut DbConn, filter: &ServiceFilter) -> QueryResult<Vec<(String, NaiveDateTime)>> {
    filtered(filter).order(services::id.asc()).select((services::id, services::updated_at)).load(conn)
}

/// The service list's filters, on a boxed query that has `services` in it: the services
/// themselves, or the services at their locations.
macro_rules! filter_services {
    ($query:expr, $filter:expr) => {{
        let (mut query, filter): (_, &ServiceFilter) = ($query, $filter);
        if let Some(org) = &filter.organization_id {
            query = query.filter(services::organization_id.eq(org.clone()));
        }
        if let Some(term) = &filter.taxonomy_term_id {
            let linked = service_taxonomy_terms::table.filter(service_taxonomy_terms::taxonomy_term_id.eq(term.clone())).select(service_taxonomy_terms::service_id);
            query = query.filter(services::id.eq_any(linked));
        }
        if let Some(taxonomy) = &filter.taxonomy_id {
            query = if taxonomy == super::service::CATEGORY_TAXONOMY_ID {
                query.filter(services::id.eq_any(service_taxonomy_terms::table.select(service_taxonomy_terms::service_id)))
            } else {
                // No service is filed under a taxonomy Harbour does not have.
                query.filter(services::id.eq_any(Vec::<String>::new()))
            };
        }
        if let Some(after) = filter.modified_after {
            query = query.filter(services::updated_at.gt(after));
        }
        query
    }};
}

fn filtered(filter: &ServiceFilter) -> services::BoxedQuery<'static, crate::db::MultiBackend> {
    filter_services!(services::table.into_boxed(), filter)
}

/// Loads services with all their children, in the order of `ids`.
pub fn load_services(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<ServiceAggregate>> {
    let rows: Vec<ServiceRow> = services::table.filter(services::id.eq_any(ids)).select(ServiceRow::as_select()).load(conn)?;
    let phones: Vec<PhoneRow> = phones::table.filter(phones::service_id.eq_any(ids)).order((phones::position.asc(), phones::id.asc())).select(PhoneRow::as_select()).load(conn)?;
    let schedules: Vec<ScheduleRow> = schedules::table.filter(schedules::service_id.eq_any(ids)).select(ScheduleRow::as_select()).load(conn)?;
    let exceptions: Vec<ExceptionRow> =
        schedule_exceptions::table.filter(schedule_exceptions::service_id.eq_any(ids)).order(schedule_exceptions::date.asc()).select(ExceptionRow::as_select()).load(conn)?;
    let locations: Vec<(String, String, LocationRow)> = service_at_locations::table
        .inner_join(locations::table)
        .filter(service_at_locations::service_id.eq_any(ids))
        .order(locations::name.asc())
        .select((service_at_locations::service_id, service_at_locations::id, LocationRow::as_select()))
        .load(conn)?;
    let languages: Vec<(String, String)> = service_languages::table.filter(service_languages::service_id.eq_any(ids)).order(service_languages::code.asc()).load(conn)?;
    let attributes: Vec<(String, ServiceAttribute)> = service_attributes::table.filter(service_attributes::service_id.eq_any(ids)).order(service_attributes::code.asc()).load(conn)?;
    let categories: Vec<TermLink> = service_taxonomy_terms::table
        .inner_join(taxonomy_terms::table)
        .filter(service_taxonomy_terms::service_id.eq_any(ids))
        .order(taxonomy_terms::code.asc())
        .select((service_taxonomy_terms::service_id, taxonomy_terms::id, taxonomy_terms::code, taxonomy_terms::name, taxonomy_terms::name_fr))
        .load(conn)?;
    let regions: Vec<TermLink> = service_regions::table
        .inner_join(regions::table)
        .filter(service_regions::service_id.eq_any(ids))
        .order(regions::slug.asc())
        .select((service_regions::service_id, regions::id, regions::slug, regions::name, regions::name_fr))
        .load(conn)?;
    // Each child list grouped by its service once: finding them by a scan per service made
    // loading a few hundred services at a time quadratic (most of a full index build).
    let (mut phones, mut schedules, mut exceptions) = (by_service(phones, |p| &p.service_id), by_service(schedules, |s| &s.service_id), by_service(exceptions, |e| &e.service_id));
    let (mut locations, mut languages, mut attributes) = (by_service(locations, |l| &l.0), by_service(languages, |l| &l.0), by_service(attributes, |a| &a.0));
    let (mut categories, mut regions) = (by_service(categories, |t| &t.0), by_service(regions, |t| &t.0));
    let mut aggregates: Vec<ServiceAggregate> = rows
        .into_iter()
        .map(|row| {
            let id = row.id.as_str();
            ServiceAggregate {
                phones: take(&mut phones, id),
                schedules: take(&mut schedules, id),
                exceptions: take(&mut exceptions, id),
                locations: take(&mut locations, id).into_iter().map(|(_, link, l)| (link, l)).collect(),
                languages: take(&mut languages, id).into_iter().map(|(_, code)| code).collect(),
                attributes: take(&mut attributes, id).into_iter().map(|(_, code)| code).collect(),
                categories: take(&mut categories, id),
                regions: take(&mut regions, id),
                row,
            }
        })
        .collect();
    let order: HashMap<&str, usize> = ids.iter().enumerate().map(|(n, id)| (id.as_str(), n)).collect();
    aggregates.sort_by_key(|a| order.get(a.row.id.as_str()).copied());
    Ok(aggregates)
}

/// Rows grouped by the service they belong to, each group in the rows' order.
fn by_service<T>(rows: Vec<T>, service: impl Fn(&T) -> &String) -> HashMap<String, Vec<T>> {
    let mut groups: HashMap<String, Vec<T>> = HashMap::new();
    for row in rows {
        groups.entry(service(&row).clone()).or_default().push(row);
    }
    groups
}

fn take<T>(groups: &mut HashMap<String, Vec<T>>, service: &str) -> Vec<T> {
    groups.remove(service).unwrap_or_default()
}

/// Stores a new location.
pub fn insert_location(conn: &mut DbConn, row: &LocationRow) -> QueryResult<()> {
    bump_revision(conn, Changed::Services(&[]))?; // a new place has no services yet
    diesel::insert_into(locations::table).values(row).execute(conn).map(drop)
}

/// Replaces a location if it is still at `expected_version`; returns whether it was.
pub fn update_location(conn: &mut DbConn, row: &LocationRow, expected_version: i32) -> QueryResult<bool> {
    let changed = services_at(conn, &row.id)?;
    bump_revision(conn, Changed::Services(&changed))?;
    let changed = diesel::update(locations::table.find(&row.id).filter(locations::version.eq(expected_version))).set(row).execute(conn)?;
    Ok(changed == 1)
}

/// The location with this id.
pub fn find_location(conn: &mut DbConn, id: &str) -> QueryResult<Option<LocationRow>> {
    locations::table.find(id).select(LocationRow::as_select()).first(conn).optional()
}

/// An organization's locations, by name.
pub fn list_locations(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<LocationRow>> {
    locations::table.filter(locations::organization_id.eq(organization_id)).order((locations::name.asc(), locations::id.asc())).select(LocationRow::as_select()).load(conn)
}

/// How many of these location ids belong to this organization.
pub fn count_own_locations(conn: &mut DbConn, organization_id: &OrganizationId, ids: &[String]) -> QueryResult<i64> {
    locations::table.filter(locations::organization_id.eq(organization_id)).filter(locations::id.eq_any(ids)).count().get_result(conn)
}

/// How many of these taxonomy term ids exist.
pub fn count_terms(conn: &mut DbConn, ids: &[String]) -> QueryResult<i64> {
    taxonomy_terms::table.filter(taxonomy_terms::id.eq_any(ids)).count().get_result(conn)
}

/// How many of these region ids exist.
pub fn count_regions(conn: &mut DbConn, ids: &[String]) -> QueryResult<i64> {
    regions::table.filter(regions::id.eq_any(ids)).count().get_result(conn)
}

/// A row of `taxonomy_terms`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = taxonomy_terms, treat_none_as_null = true)]
pub struct TermRow {
    pub id: String,
    pub code: String,
    pub parent_id: Option<String>,
    pub name: String,
    pub name_fr: String,
    pub description: String,
    pub version: i32,
    pub updated_at: Option<NaiveDateTime>,
    /// Who changed it last: none for a seeded or imported category.
    pub updated_by: Option<String>,
}

/// A row of `regions`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = regions, treat_none_as_null = true)]
pub struct RegionRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub name_fr: String,
    pub version: i32,
    pub updated_at: Option<NaiveDateTime>,
    /// Who changed it last: none for a seeded or imported region.
    pub updated_by: Option<String>,
}

/// Every taxonomy term, by code (the tree is small: its lists filter and page in memory).
pub fn all_terms(conn: &mut DbConn) -> QueryResult<Vec<TermRow>> {
    taxonomy_terms::table.order(taxonomy_terms::code.asc()).select(TermRow::as_select()).load(conn)
}

/// The taxonomy term with this id.
pub fn find_term(conn: &mut DbConn, id: &str) -> QueryResult<Option<TermRow>> {
    taxonomy_terms::table.find(id).select(TermRow::as_select()).first(conn).optional()
}

/// Every region, by name.
pub fn list_regions(conn: &mut DbConn) -> QueryResult<Vec<RegionRow>> {
    regions::table.order(regions::name.asc()).select(RegionRow::as_select()).load(conn)
}

/// The region with this id.
pub fn find_region(conn: &mut DbConn, id: &str) -> QueryResult<Option<RegionRow>> {
    regions::table.find(id).select(RegionRow::as_select()).first(conn).optional()
}

/// Marks a service verified now; bumps its version (its representation changed).
pub fn verify_service(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<bool> {
    bump_revision(conn, Changed::Services(&[]))?; // search does not show it; the dashboards' stale list does
    let changed = diesel::update(services::table.find(id)).set((services::verified_at.eq(at), services::version.eq(services::version + 1))).execute(conn)?;
    Ok(changed == 1)
}

/// A stale listing: service id and name, organization id and name, verified at, updated at.
pub type StaleRow = (String, String, String, String, Option<NaiveDateTime>, NaiveDateTime);

/// A service's link to a location: link id, service id, the location.
pub type LinkRow = (String, String, LocationRow);

/// Active services not verified since `before` (never-verified first), and their total.
pub fn stale_services(conn: &mut DbConn, before: NaiveDateTime, offset: i64, limit: i64) -> QueryResult<(Vec<StaleRow>, i64)> {
    use crate::db::schema::organizations;
    let stale = || {
        services::table
            .inner_join(organizations::table)
            .filter(services::status.eq(ServiceStatus::Active))
            .filter(services::verified_at.is_null().or(services::verified_at.lt(before)))
    };
    let total = stale().count().get_result(conn)?;
    let rows = stale()
        .order((services::verified_at.asc(), services::name.asc(), services::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((services::id, services::name, services::organization_id, organizations::name, services::verified_at, services::updated_at))
        .load(conn)?;
    Ok((rows, total))
}

/// Stores a new category.
pub fn insert_term(conn: &mut DbConn, row: &TermRow) -> QueryResult<()> {
    bump_revision(conn, Changed::Everything)?;
    diesel::insert_into(taxonomy_terms::table).values(row).execute(conn).map(drop)
}

/// Replaces a category if it is still at version `expected`; returns whether it was.
pub fn update_term(conn: &mut DbConn, row: &TermRow, expected: i32) -> QueryResult<bool> {
    bump_revision(conn, Changed::Everything)?;
    let changed = diesel::update(taxonomy_terms::table.find(&row.id).filter(taxonomy_terms::version.eq(expected))).set(row).execute(conn)?;
    Ok(changed == 1)
}

/// The parent of every category, to check a change keeps the tree a tree.
pub fn term_parents(conn: &mut DbConn) -> QueryResult<Vec<(String, Option<String>)>> {
    taxonomy_terms::table.select((taxonomy_terms::id, taxonomy_terms::parent_id)).load(conn)
}

/// Stores a new region.
pub fn insert_region(conn: &mut DbConn, row: &RegionRow) -> QueryResult<()> {
    bump_revision(conn, Changed::Everything)?;
    diesel::insert_into(regions::table).values(row).execute(conn).map(drop)
}

/// Replaces a region if it is still at version `expected`; returns whether it was.
pub fn update_region(conn: &mut DbConn, row: &RegionRow, expected: i32) -> QueryResult<bool> {
    bump_revision(conn, Changed::Everything)?;
    let changed = diesel::update(regions::table.find(&row.id).filter(regions::version.eq(expected))).set(row).execute(conn)?;
    Ok(changed == 1)
}

/// Writes a service row whole: updates it when the id exists, inserts it otherwise.
pub fn save_service_row(conn: &mut DbConn, row: &ServiceRow) -> QueryResult<()> {
    bump_revision(conn, Changed::Services(std::slice::from_ref(&row.id)))?;
    if diesel::update(services::table.find(&row.id)).set(row).execute(conn)? == 0 {
        insert_service(conn, row)?;
    }
    Ok(())
}

/// Writes a location row whole: updates it when the id exists, inserts it otherwise.
pub fn save_location_row(conn: &mut DbConn, row: &LocationRow) -> QueryResult<()> {
    let changed = services_at(conn, &row.id)?;
    bump_revision(conn, Changed::Services(&changed))?;
    if diesel::update(locations::table.find(&row.id)).set(row).execute(conn)? == 0 {
        insert_location(conn, row)?;
    }
    Ok(())
}

/// Every service's id, in order: what an export walks through.
pub fn all_service_ids(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    services::table.order(services::id.asc()).select(services::id).load(conn)
}

/// What a directory write changed, for the search indexes to follow (see `search`).
#[derive(Debug, Clone, Copy)]
pub enum Changed<'a> {
    /// These services: their rows, children, places or organization. Indexes patch them in.
    Services(&'a [String]),
    /// What many services show (a category, a region): indexes are rebuilt whole.
    Everything,
}

/// How many revisions the change log keeps: an index further behind is rebuilt whole.
const CHANGES_KEPT: i64 = 10_000;

/// Counts a change to the directory and logs what it changed, inside the writing
/// transaction (the counter's row lock orders concurrent writers).
pub fn bump_revision(conn: &mut DbConn, changed: Changed<'_>) -> QueryResult<()> {
    diesel::update(directory_revision::table.find(1)).set(directory_revision::revision.eq(directory_revision::revision + 1)).execute(conn)?;
    let now = revision(conn)?;
    let services = match changed {
        Changed::Services(ids) => Some(serde_json::to_string(ids).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?),
        Changed::Everything => None,
    };
    diesel::insert_into(directory_changes::table).values((directory_changes::revision.eq(now), directory_changes::services.eq(services))).execute(conn)?;
    // Revisions go up one at a time, so the one revision that falls out of the log is
    // dropped by equality. `<=` would walk the index from its start, over the entries of
    // every revision dropped before that vacuum has not cleared yet: seeding 100,000
    // services on PostgreSQL slowed to a crawl.
    diesel::delete(directory_changes::table.filter(directory_changes::revision.eq(now - CHANGES_KEPT))).execute(conn).map(drop)
}

/// The change log after revision `after`, in order: (revision, services changed, or none for everything).
pub fn changes_since(conn: &mut DbConn, after: i64) -> QueryResult<Vec<(i64, Option<String>)>> {
    directory_changes::table.filter(directory_changes::revision.gt(after)).order(directory_changes::revision.asc()).select((directory_changes::revision, directory_changes::services)).load(conn)
}

/// How many changes the directory has seen.
pub fn revision(conn: &mut DbConn) -> QueryResult<i64> {
    directory_revision::table.find(1).select(directory_revision::revision).first(conn)
}

/// The links of the services the same filters pick for the service list.
macro_rules! links_of {
    ($filter:expr) => {
        filter_services!(service_at_locations::table.inner_join(locations::table).inner_join(services::table).into_boxed(), $filter)
    };
}

/// How many service-at-location links `filter` picks.
pub fn count_service_at_locations(conn: &mut DbConn, filter: &ServiceFilter) -> QueryResult<i64> {
    links_of!(filter).count().get_result(conn)
}

/// Where a list of links starts.
#[derive(Debug, Clone, Copy)]
pub enum LinksFrom<'a> {
    /// After this many (a page).
    Offset(i64),
    /// After the link with this id (a stream reads on from where it stopped, instead of
    /// counting past everything it has sent).
    After(&'a str),
}

/// Service-at-location links `filter` picks, by id, from `from`.
pub fn service_at_locations(conn: &mut DbConn, filter: &ServiceFilter, from: LinksFrom<'_>, limit: i64) -> QueryResult<Vec<LinkRow>> {
    let query = links_of!(filter).order(service_at_locations::id.asc()).limit(limit);
    let query = match from {
        LinksFrom::Offset(offset) => query.offset(offset),
        LinksFrom::After(id) => query.filter(service_at_locations::id.gt(id.to_owned())),
    };
    query.select((service_at_locations::id, service_at_locations::service_id, LocationRow::as_select())).load(conn)
}

/// The links of these services, by id.
pub fn links_of_services(conn: &mut DbConn, service_ids: &[String]) -> QueryResult<Vec<LinkRow>> {
    service_at_locations::table
        .inner_join(locations::table)
        .filter(service_at_locations::service_id.eq_any(service_ids))
        .order(service_at_locations::id.asc())
        .select((service_at_locations::id, service_at_locations::service_id, LocationRow::as_select()))
        .load(conn)
}

/// Where a list of links is narrowed to in the database, before `nearby` makes the exact test.
#[derive(Debug, Clone)]
pub enum PlaceBounds {
    /// Places whose postal code begins with this (a forward sortation area, as written in upper case).
    PostcodeStart(String),
    /// Places within these latitudes and longitudes, or whose coarse point is.
    Box { south: f64, north: f64, west: f64, east: f64 },
}

/// Every link `filter` picks whose place is within `bounds`, by id.
pub fn service_at_locations_placed(conn: &mut DbConn, filter: &ServiceFilter, bounds: &PlaceBounds) -> QueryResult<Vec<LinkRow>> {
    let query = links_of!(filter);
    let query = match bounds {
        // Postal codes are kept as written: "B3J 1A1" and "B3J1A1" both begin with the area.
        PlaceBounds::PostcodeStart(area) => query.filter(locations::postal_code.like(format!("{area}%"))),
        PlaceBounds::Box { south, north, west, east } => query.filter(
            (locations::latitude.between(*south, *north).and(locations::longitude.between(*west, *east)))
                .or(locations::coarse_latitude.between(*south, *north).and(locations::coarse_longitude.between(*west, *east))),
        ),
    };
    query.order(service_at_locations::id.asc()).select((service_at_locations::id, service_at_locations::service_id, LocationRow::as_select())).load(conn)
}

/// (postal code, latitude, longitude) of every public place with coordinates whose postal
/// code begins with `area`: what a postcode's centroid is made of.
pub fn public_points_in(conn: &mut DbConn, area: &str) -> QueryResult<Vec<(Option<String>, f64, f64)>> {
    locations::table
        .filter(locations::visibility.eq(Visibility::Public.code()))
        .filter(locations::postal_code.like(format!("{area}%")))
        .filter(locations::latitude.is_not_null().and(locations::longitude.is_not_null()))
        .select((locations::postal_code, locations::latitude.assume_not_null(), locations::longitude.assume_not_null()))
        .load(conn)
}

/// The services of this organization.
pub fn services_of(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<String>> {
    services::table.filter(services::organization_id.eq(organization_id)).select(services::id).load(conn)
}

/// The services at this location.
pub fn services_at(conn: &mut DbConn, location_id: &str) -> QueryResult<Vec<String>> {
    service_at_locations::table.filter(service_at_locations::location_id.eq(location_id)).select(service_at_locations::service_id).load(conn)
}

/// The service-at-location link with this id.
pub fn find_service_at_location(conn: &mut DbConn, id: &str) -> QueryResult<Option<LinkRow>> {
    service_at_locations::table
        .inner_join(locations::table)
        .filter(service_at_locations::id.eq(id))
        .select((service_at_locations::id, service_at_locations::service_id, LocationRow::as_select()))
        .first(conn)
        .optional()
}

/// The English and French names of these categories, by id (for pages that name a
/// participant's needs in words).
pub fn category_names(conn: &mut DbConn, ids: &[String]) -> QueryResult<std::collections::HashMap<String, (String, String)>> {
    let rows: Vec<(String, String, String)> = taxonomy_terms::table.filter(taxonomy_terms::id.eq_any(ids)).select((taxonomy_terms::id, taxonomy_terms::name, taxonomy_terms::name_fr)).load(conn)?;
    Ok(rows.into_iter().map(|(id, en, fr)| (id, (en, fr))).collect())
}
