//! Open Referral HSDS 3.0 exchange: `harbour export-hsds DIR` writes the directory as
//! HSDS JSON (one file per object type, in id order, so two exports of the same data
//! are identical), or with `--tabular` as HSDS's tabular data package (CSV tables and a
//! `datapackage.json`, see [`tabular`]); `harbour import-hsds DIR` loads either, upserting
//! by id.
//!
//! Import takes each record on its own: a record that does not parse, names an unknown
//! organization, category or region, or breaks a rule is reported with its reason and
//! skipped, in its own transaction, so nothing of it is half-written; the rest loads.
//! Both formats are read into the same JSON records, so one set of rules loads them.
//! Exports are for partners: a confidential location's address is left out, as on
//! every endpoint.

pub mod objects;
pub mod tabular;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use harbour_types::{
    CapacityStatus, Organization, OrganizationId, OrganizationInput, PhoneKind, Region, Sector, Service, ServiceAttribute, ServiceStatus, Taxonomy, TaxonomyTerm, Visibility, Weekday,
};
use serde::Deserialize;
use serde_json::Value;

use crate::directory::details::{self, KeptAccessibility, KeptDocument};
use crate::directory::nearby::stored_postcode;
use crate::directory::repo::{self, ExceptionRow, LocationRow, PhoneRow, RegionRow, ScheduleRow, ServiceChildren, ServiceRow, TermRow};
use crate::directory::service::{category_taxonomy, region_dto, service_dto, term_dto};
use crate::directory::visibility::Viewer;
use crate::db::{self, Db, DbConn, DbError};
use crate::organizations::repo::{self as organizations_repo, OrganizationRow};

const ORGANIZATIONS: &str = "organizations.json";
const TAXONOMY_TERMS: &str = "taxonomy_terms.json";
const REGIONS: &str = "regions.json";
const SERVICES: &str = "services.json";

/// Why an exchange could not run at all (record problems are reported, not raised).
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A file could not be read or written.
    #[error("{0}")]
    Io(String),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ExchangeError {
    fn from(e: diesel::result::Error) -> Self {
        ExchangeError::Db(e.into())
    }
}

impl ExchangeError {
    /// A file problem, naming the file.
    fn file(path: &Path, e: impl std::fmt::Display) -> ExchangeError {
        ExchangeError::Io(format!("{}: {e}", path.display()))
    }
}

/// One record that was not imported, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The file it came from.
    pub file: &'static str,
    /// Its position in the file (none when the whole file was unusable).
    pub index: Option<usize>,
    /// Its id, when it had one.
    pub id: Option<String>,
    /// Why it was skipped.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Records loaded, per file.
    pub loaded: BTreeMap<&'static str, usize>,
    /// Records skipped.
    pub skipped: Vec<Skipped>,
}

/// The two shapes HSDS gives a directory on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON array per object type, objects nested as the HSDS API serves them.
    Json,
    /// The tabular data package: one CSV table per object type, linked by ids.
    Tabular,
}

/// The whole directory as partners may see it, in the API's shapes.
pub struct Directory {
    /// Organizations, by id.
    pub organizations: Vec<Organization>,
    /// The taxonomies terms belong to.
    pub taxonomies: Vec<Taxonomy>,
    /// Categories, by id.
    pub terms: Vec<TaxonomyTerm>,
    /// Regions, by id.
    pub regions: Vec<Region>,
    /// Services with their locations, phones and hours, by id.
    pub services: Vec<Service>,
}

/// One record as read from a file: its fields, or why they could not be read.
pub struct Record {
    /// Its id, when it could be read.
    pub id: Option<String>,
    /// Its fields as a JSON object.
    pub fields: Result<Value, String>,
}

impl Record {
    fn of(fields: Value) -> Record {
        Record { id: fields.get("id").and_then(Value::as_str).map(str::to_owned), fields: Ok(fields) }
    }
}

/// The records of one file, with the file's name for the report.
pub struct Batch {
    /// The file they came from.
    pub file: &'static str,
    /// Its records, in file order.
    pub records: Vec<Record>,
}

/// Everything an import loads, in load order.
pub struct Records {
    /// Regions first: services name them.
    pub regions: Batch,
    /// Then categories, parents before children.
    pub terms: Batch,
    /// Then organizations: services belong to them.
    pub organizations: Batch,
    /// Then services with their children.
    pub services: Batch,
}

fn write_json<T: serde::Serialize>(dir: &Path, file: &str, items: &[T]) -> Result<(), ExchangeError> {
    let mut text = serde_json::to_string_pretty(items).map_err(|e| ExchangeError::Io(e.to_string()))?;
    text.push('\n');
    std::fs::write(dir.join(file), text).map_err(|e| ExchangeError::file(&dir.join(file), e))
}

/// Reads the directory as a partner of no organization sees it: partners-only places
/// shown, confidential ones without their address.
fn read_directory(db: &Db, time_zone: &str) -> Result<Directory, ExchangeError> {
    let mut conn = db.get()?;
    let (organizations, _) = organizations_repo::list(&mut conn, 0, i64::MAX)?;
    let mut organizations: Vec<Organization> = organizations.iter().map(OrganizationRow::to_dto).collect();
    organizations.sort_by(|a, b| a.id.cmp(&b.id));
    let mut terms: Vec<TaxonomyTerm> = repo::all_terms(&mut conn)?.into_iter().map(term_dto).collect();
    terms.sort_by(|a, b| a.id.cmp(&b.id));
    let mut regions: Vec<Region> = repo::list_regions(&mut conn)?.into_iter().map(region_dto).collect();
    regions.sort_by(|a, b| a.id.cmp(&b.id));
    let ids = repo::all_service_ids(&mut conn)?;
    let mut services: Vec<Service> = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        services.extend(repo::load_services(&mut conn, chunk)?.iter().map(|a| service_dto(a, Viewer::Partner(""), time_zone)));
    }
    for service in &mut services {
        // Open now and the next opening are readings of the clock, not data: they would
        // make two exports of the same directory differ.
        service.open_now = false;
        service.opens_next_at = None;
    }
    Ok(Directory { organizations, taxonomies: vec![category_taxonomy()], terms, regions, services })
}

/// Writes the directory to `dir` in `format`; returns how many records went into each file.
pub fn export(db: &Db, dir: &Path, time_zone: &str, format: Format) -> Result<BTreeMap<&'static str, usize>, ExchangeError> {
    std::fs::create_dir_all(dir).map_err(|e| ExchangeError::file(dir, e))?;
    let directory = read_directory(db, time_zone)?;
    if format == Format::Tabular {
        return tabular::write(dir, &directory);
    }
    write_json(dir, ORGANIZATIONS, &directory.organizations)?;
    write_json(dir, TAXONOMY_TERMS, &directory.terms)?;
    write_json(dir, REGIONS, &directory.regions)?;
    write_json(dir, SERVICES, &directory.services)?;
    Ok(BTreeMap::from([
        (ORGANIZATIONS, directory.organizations.len()),
        (TAXONOMY_TERMS, directory.terms.len()),
        (REGIONS, directory.regions.len()),
        (SERVICES, directory.services.len()),
    ]))
}

#[derive(Debug, Deserialize)]
struct RegionRecord {
    id: String,
    slug: String,
    name: String,
    #[serde(default)]
    name_fr: Option<String>,
    #[serde(default)]
    version: Option<i32>,
}

#[derive(Debug, Deserialize)]
struct TermRecord {
    id: String,
    #[serde(default)]
    code: Option<String>,
    name: String,
    #[serde(default)]
    name_fr: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    parent_id: Option<String>,
    #[serde(default)]
    version: Option<i32>,
}

#[derive(Debug, Deserialize)]
struct OrganizationRecord {
    id: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    sector: Option<Sector>,
    #[serde(default)]
    website: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default = "yes")]
    active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
struct PhoneRecord {
    #[serde(default)]
    id: Option<String>,
    number: String,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    after_hours: bool,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ExceptionRecord {
    date: String,
    #[serde(default)]
    opens_at: Option<String>,
    #[serde(default)]
    closes_at: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ScheduleRecord {
    #[serde(default)]
    id: Option<String>,
    /// One day or several, comma-separated (`MO,TU`).
    byday: String,
    opens_at: String,
    closes_at: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
struct AddressRecord {
    address_1: String,
    city: String,
    #[serde(default)]
    state_province: Option<String>,
    #[serde(default)]
    postal_code: Option<String>,
    #[serde(default)]
    country: Option<String>,
}

#[derive(Debug, Deserialize)]
struct LocationRecord {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    visibility: Option<Visibility>,
    #[serde(default)]
    latitude: Option<f64>,
    #[serde(default)]
    longitude: Option<f64>,
    #[serde(default)]
    addresses: Vec<AddressRecord>,
    #[serde(default)]
    intake_instructions: Option<String>,
    #[serde(default)]
    accessibility: Listed<KeptAccessibility>,
    #[serde(default)]
    version: Option<i32>,
}

/// A list HSDS gives as objects; also a single text, as Harbour's own exports wrote
/// required documents and accessibility before they were objects.
#[derive(Debug, Default, Deserialize)]
#[serde(untagged)]
enum Listed<T> {
    Objects(Vec<T>),
    Text(String),
    #[default]
    None,
}

/// A service's documents as kept.
fn documents_kept(service_id: &str, listed: Listed<KeptDocument>) -> Option<String> {
    let documents = match listed {
        Listed::Objects(records) => details::documents(service_id, records),
        Listed::Text(text) => details::documents(service_id, [KeptDocument { id: String::new(), document: Some(text), uri: None }]),
        Listed::None => Vec::new(),
    };
    details::kept(&documents)
}

/// A location's accessibility as kept.
fn accessibility_kept(location_id: &str, listed: Listed<KeptAccessibility>) -> Option<String> {
    let entries = match listed {
        Listed::Objects(records) => details::accessibility(location_id, records),
        Listed::Text(text) => details::accessibility(location_id, [KeptAccessibility { id: String::new(), description: Some(text), details: None, url: None }]),
        Listed::None => Vec::new(),
    };
    details::kept(&entries)
}

#[derive(Debug, Deserialize)]
struct LinkRecord {
    location: LocationRecord,
}

#[derive(Debug, Deserialize)]
struct CodeRecord {
    code: String,
}

#[derive(Debug, Deserialize)]
struct IdRecord {
    id: String,
}

#[derive(Debug, Deserialize)]
struct AttributeRecord {
    #[serde(default)]
    taxonomy_term_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CapacityRecord {
    status: CapacityStatus,
    #[serde(default)]
    available: Option<i32>,
    #[serde(default)]
    maximum: Option<i32>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    updated: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize)]
struct ServiceRecord {
    id: String,
    organization_id: String,
    name: String,
    status: ServiceStatus,
    #[serde(default)]
    alternate_name: Option<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    interpretation_services: Option<String>,
    #[serde(default)]
    application_process: String,
    #[serde(default)]
    fees_description: Option<String>,
    #[serde(default)]
    eligibility_description: Option<String>,
    #[serde(default)]
    minimum_age: Option<i32>,
    #[serde(default)]
    maximum_age: Option<i32>,
    #[serde(default)]
    last_modified: Option<DateTime<Utc>>,
    #[serde(default)]
    phones: Vec<PhoneRecord>,
    #[serde(default)]
    schedules: Vec<ScheduleRecord>,
    #[serde(default)]
    schedule_exceptions: Vec<ExceptionRecord>,
    #[serde(default)]
    service_at_locations: Vec<LinkRecord>,
    #[serde(default)]
    languages: Vec<CodeRecord>,
    /// HSDS's own way to file a service under a category.
    #[serde(default)]
    attributes: Vec<AttributeRecord>,
    #[serde(default = "yes")]
    free: bool,
    #[serde(default)]
    required_documents: Listed<KeptDocument>,
    #[serde(default)]
    open_24_7: bool,
    #[serde(default = "yes")]
    accepts_referrals: bool,
    #[serde(default)]
    capacity: Option<CapacityRecord>,
    #[serde(default)]
    harbour_attributes: Vec<ServiceAttribute>,
    #[serde(default)]
    categories: Vec<IdRecord>,
    #[serde(default)]
    regions: Vec<IdRecord>,
    #[serde(default)]
    verified_at: Option<DateTime<Utc>>,
    #[serde(default)]
    version: Option<i32>,
}

/// Reads a file's array of records; a missing file is no records, a broken one one problem.
fn json_batch(dir: &Path, file: &'static str, report: &mut ImportReport) -> Batch {
    let path = dir.join(file);
    let problem = |report: &mut ImportReport, reason: String| {
        report.skipped.push(Skipped { file, index: None, id: None, reason });
        Batch { file, records: Vec::new() }
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Batch { file, records: Vec::new() },
        Err(e) => return problem(report, format!("cannot read: {e}")),
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Array(items)) => Batch { file, records: items.into_iter().map(Record::of).collect() },
        Ok(_) => problem(report, "the file must hold a JSON array".into()),
        Err(e) => problem(report, format!("not valid JSON: {e}")),
    }
}

/// Parses and loads each record of a batch in its own transaction.
fn load_each<T: serde::de::DeserializeOwned>(conn: &mut DbConn, batch: Batch, report: &mut ImportReport, mut load: impl FnMut(&mut DbConn, T) -> Result<(), String>) {
    let file = batch.file;
    let mut loaded = 0;
    for (index, record) in batch.records.into_iter().enumerate() {
        let outcome = record.fields.and_then(parsed::<T>).and_then(|parsed| {
            db::transaction(conn, |conn| load(conn, parsed).map_err(RecordError::Rule)).map_err(|e: RecordError| e.to_string())
        });
        match outcome {
            Ok(()) => loaded += 1,
            Err(reason) => report.skipped.push(Skipped { file, index: Some(index), id: record.id, reason }),
        }
    }
    *report.loaded.entry(file).or_default() += loaded;
}

/// A record's fields read as `T`; what does not read is named by its JSON pointer
/// (`/service_at_locations/0/location/addresses/0/city: missing field`).
fn parsed<T: serde::de::DeserializeOwned>(fields: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(fields).map_err(|e| {
        let pointer: String = e.path().iter().map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => format!("/{index}"),
            serde_path_to_error::Segment::Map { key } => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            serde_path_to_error::Segment::Enum { variant } => format!("/{variant}"),
            serde_path_to_error::Segment::Unknown => "/?".to_owned(),
        }).collect();
        let pointer = pointer.trim_end_matches("/?");
        let what = e.into_inner();
        if pointer.is_empty() { what.to_string() } else { format!("{pointer}: {what}") }
    })
}

/// A record's failure inside its transaction: a broken rule, or the database.
#[derive(Debug, thiserror::Error)]
enum RecordError {
    #[error("{0}")]
    Rule(String),
    #[error("{0}")]
    Db(#[from] diesel::result::Error),
}

fn db_reason(e: diesel::result::Error) -> String {
    match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => "another record already has the same code, slug or e-mail".into(),
        other => format!("the database refused it: {other}"),
    }
}

fn slug_of(name: &str, id: &str) -> String {
    // Only what a slug may hold: a name in another script or of symbols leaves the id's part.
    let words: Vec<String> =
        crate::directory::search::text::words(name).map(|w| w.chars().filter(char::is_ascii_alphanumeric).collect::<String>()).filter(|w| !w.is_empty()).take(6).collect();
    let short: String = id.chars().filter(char::is_ascii_alphanumeric).take(6).collect::<String>().to_ascii_lowercase();
    format!("{}-{short}", words.join("-")).trim_matches('-').to_owned()
}

/// Loads an HSDS directory from `dir` (a tabular package when it holds a
/// `datapackage.json`, JSON files otherwise), or the HSDS objects of one file
/// ([`objects`]), upserting by id; see the module comment.
pub fn import(db: &Db, dir: &Path) -> Result<ImportReport, ExchangeError> {
    let mut report = ImportReport::default();
    let records = if dir.is_file() {
        objects::read(dir, &mut report)
    } else if !dir.is_dir() {
        return Err(ExchangeError::Io(format!("{} is neither a file nor a folder", dir.display())));
    } else if tabular::is_package(dir) {
        tabular::read(dir, &mut report)
    } else {
        Records {
            regions: json_batch(dir, REGIONS, &mut report),
            terms: json_batch(dir, TAXONOMY_TERMS, &mut report),
            organizations: json_batch(dir, ORGANIZATIONS, &mut report),
            services: json_batch(dir, SERVICES, &mut report),
        }
    };
    let imported_at = Utc::now().naive_utc();
    let mut conn = db.get()?;
    let conn = &mut *conn;

    load_each(conn, records.regions, &mut report, |conn, r: RegionRecord| {
        let name_fr = r.name_fr.unwrap_or_else(|| r.name.clone());
        let row = RegionRow { name_fr, id: r.id, slug: r.slug, name: r.name, version: r.version.unwrap_or(1), updated_at: Some(imported_at), updated_by: None };
        match repo::find_region(conn, &row.id).map_err(db_reason)? {
            Some(current) => repo::update_region(conn, &row, current.version).map(drop),
            None => repo::insert_region(conn, &row),
        }
        .map_err(db_reason)
    });

    // Parents before children: a term waits until its parent is in.
    let Batch { file: terms_file, records: mut pending } = records.terms;
    let mut known: HashSet<String> = repo::term_parents(conn)?.into_iter().map(|(id, _)| id).collect();
    report.loaded.insert(terms_file, 0);
    loop {
        let (ready, waiting): (Vec<Record>, Vec<Record>) = pending.into_iter().partition(|record| {
            let Ok(fields) = &record.fields else { return true };
            fields.get("parent_id").and_then(Value::as_str).is_none_or(|p| known.contains(p) || record.id.as_deref() == Some(p))
        });
        if ready.is_empty() {
            for record in waiting {
                report.skipped.push(Skipped { file: terms_file, index: None, id: record.id, reason: "its parent_id names no taxonomy term".into() });
            }
            break;
        }
        load_each(conn, Batch { file: terms_file, records: ready }, &mut report, |conn, t: TermRecord| {
            let row = TermRow {
                code: t.code.unwrap_or_else(|| t.id.clone()),
                name_fr: t.name_fr.unwrap_or_else(|| t.name.clone()),
                id: t.id,
                parent_id: t.parent_id,
                name: t.name,
                description: t.description,
                version: t.version.unwrap_or(1),
                updated_at: Some(imported_at),
                updated_by: None,
            };
            match repo::find_term(conn, &row.id).map_err(db_reason)? {
                Some(current) => repo::update_term(conn, &row, current.version).map(drop),
                None => repo::insert_term(conn, &row),
            }
            .map_err(db_reason)?;
            known.insert(row.id);
            Ok(())
        });
        pending = waiting;
    }

    load_each(conn, records.organizations, &mut report, |conn, o: OrganizationRecord| {
        let input = OrganizationInput {
            slug: o.slug.clone().unwrap_or_else(|| slug_of(&o.name, &o.id)),
            name: o.name,
            description: o.description,
            sector: o.sector.unwrap_or(Sector::Community),
            website: o.website,
            email: o.email,
            phone: o.phone,
        };
        validator::Validate::validate(&input).map_err(|e| format!("not valid: {e}"))?;
        let now = Utc::now().naive_utc();
        let mut row = OrganizationRow::new(o.id.clone(), &input, now);
        row.active = o.active;
        if let Some(existing) = organizations_repo::find(conn, &OrganizationId::from(o.id.as_str())).map_err(db_reason)? {
            row.created_at = existing.created_at;
            row.verified_at = existing.verified_at;
        }
        organizations_repo::save(conn, &row).map_err(db_reason)
    });

    load_each(conn, records.services, &mut report, load_service);
    Ok(report)
}

/// `HH:MM` from the times HSDS files carry (`9:00`, `09:00`, `09:00:00`, `09:00-04:00`).
fn normalize_time(time: &str) -> Option<String> {
    let mut parts = time.split([':', '-', '+', 'Z']);
    let hours: u16 = parts.next()?.trim().parse().ok()?;
    let minutes: u16 = parts.next()?.trim().get(..2)?.parse().ok()?;
    let normalized = format!("{hours:02}:{minutes:02}");
    crate::directory::search::hours::minutes(&normalized).map(|_| normalized)
}

fn load_service(conn: &mut DbConn, s: ServiceRecord) -> Result<(), String> {
    if organizations_repo::find(conn, &OrganizationId::from(s.organization_id.as_str())).map_err(db_reason)?.is_none() {
        return Err(format!("organization {} is not in the directory", s.organization_id));
    }
    let mut category_ids: Vec<String> = s.categories.iter().map(|c| c.id.clone()).collect();
    for id in &category_ids {
        if repo::count_terms(conn, std::slice::from_ref(id)).map_err(db_reason)? == 0 {
            return Err(format!("unknown taxonomy term {id}"));
        }
    }
    // An attribute files the service under one of Harbour's categories when its term is
    // one; others belong to the publisher's own taxonomies (a 211's), which Harbour
    // does not keep, and do not stop the service from loading.
    for id in s.attributes.iter().filter_map(|a| a.taxonomy_term_id.clone()) {
        if repo::count_terms(conn, std::slice::from_ref(&id)).map_err(db_reason)? > 0 {
            category_ids.push(id);
        }
    }
    category_ids.sort();
    category_ids.dedup();
    let region_ids: Vec<String> = s.regions.iter().map(|r| r.id.clone()).collect();
    for id in &region_ids {
        if repo::count_regions(conn, std::slice::from_ref(id)).map_err(db_reason)? == 0 {
            return Err(format!("unknown region {id}"));
        }
    }
    let now = Utc::now().naive_utc();
    let modified = s.last_modified.map_or(now, |t| t.naive_utc());
    let mut location_ids = Vec::new();
    for link in s.service_at_locations {
        let l = link.location;
        let address = l.addresses.into_iter().next();
        let row = LocationRow {
            id: l.id.clone(),
            organization_id: s.organization_id.as_str().into(),
            name: l.name.unwrap_or_else(|| s.name.clone()),
            description: l.description,
            visibility: l.visibility.unwrap_or(Visibility::Public),
            address_1: address.as_ref().map(|a| a.address_1.clone()),
            city: address.as_ref().map(|a| a.city.clone()),
            state_province: address.as_ref().and_then(|a| a.state_province.clone()),
            postal_code: address.as_ref().and_then(|a| a.postal_code.as_deref()).map(stored_postcode).filter(|p| !p.is_empty()),
            country: address.and_then(|a| a.country).unwrap_or_else(|| "CA".into()),
            latitude: l.latitude,
            longitude: l.longitude,
            accessibility: accessibility_kept(&l.id, l.accessibility),
            intake_instructions: l.intake_instructions,
            version: l.version.unwrap_or(1),
            created_at: now,
            updated_at: now,
            updated_by: None,
            coarse_latitude: None,
            coarse_longitude: None,
        };
        // A location already held by another organization is not taken over.
        let existing = repo::find_location(conn, &row.id).map_err(db_reason)?;
        if existing.as_ref().is_some_and(|e| e.organization_id != row.organization_id) {
            return Err(format!("location {} belongs to another organization", row.id));
        }
        let row = row.placed(existing.as_ref());
        repo::save_location_row(conn, &row).map_err(db_reason)?;
        location_ids.push(row.id);
    }
    let mut schedules = Vec::new();
    for schedule in &s.schedules {
        for day in schedule.byday.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let weekday = Weekday::from_code(day).ok_or_else(|| format!("unknown day {day} in byday"))?;
            let opens_at = normalize_time(&schedule.opens_at).ok_or_else(|| format!("{} is not a time", schedule.opens_at))?;
            let closes_at = normalize_time(&schedule.closes_at).ok_or_else(|| format!("{} is not a time", schedule.closes_at))?;
            let single_day = !schedule.byday.contains(',');
            schedules.push(ScheduleRow {
                id: schedule.id.clone().filter(|_| single_day).unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
                service_id: s.id.clone(),
                weekday: weekday.code().to_owned(),
                opens_at,
                closes_at,
                description: schedule.description.clone(),
            });
        }
    }
    let mut exceptions: Vec<ExceptionRow> = Vec::new();
    for exception in &s.schedule_exceptions {
        let date: chrono::NaiveDate = exception.date.parse().map_err(|_| format!("{} is not a date (YYYY-MM-DD)", exception.date))?;
        let time = |t: &Option<String>| t.as_deref().map(|t| normalize_time(t).ok_or_else(|| format!("{t} is not a time"))).transpose();
        let (opens_at, closes_at) = (time(&exception.opens_at)?, time(&exception.closes_at)?);
        if opens_at.is_some() != closes_at.is_some() {
            return Err(format!("the exception on {date} has one time of two: give both, or neither for closed"));
        }
        if exceptions.iter().any(|e| e.date == date.to_string()) {
            return Err(format!("two exceptions on {date}"));
        }
        exceptions.push(ExceptionRow { id: uuid::Uuid::new_v4().to_string(), service_id: s.id.clone(), date: date.to_string(), opens_at, closes_at, description: exception.description.clone() });
    }
    let phones = s
        .phones
        .iter()
        .enumerate()
        .map(|(position, p)| PhoneRow {
            id: p.id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            service_id: s.id.clone(),
            number: p.number.clone(),
            kind: PhoneKind::from_code(p.kind.as_deref().unwrap_or("voice")).unwrap_or(PhoneKind::Voice),
            after_hours: p.after_hours,
            description: p.description.clone(),
            position: i32::try_from(position).unwrap_or(i32::MAX),
        })
        .collect();
    let capacity = s.capacity.unwrap_or(CapacityRecord { status: CapacityStatus::Accepting, available: None, maximum: None, unit: None, updated: None });
    let row = ServiceRow {
        id: s.id.clone(),
        organization_id: s.organization_id.into(),
        name: s.name,
        description: s.description,
        status: s.status,
        accepts_referrals: s.accepts_referrals,
        created_at: modified,
        updated_at: modified,
        alternate_name: s.alternate_name,
        url: s.url,
        email: s.email,
        interpretation_services: s.interpretation_services,
        application_process: s.application_process,
        fees_description: s.fees_description,
        free: s.free,
        eligibility_description: s.eligibility_description,
        minimum_age: s.minimum_age,
        maximum_age: s.maximum_age,
        required_documents: documents_kept(&s.id, s.required_documents),
        open_24_7: s.open_24_7,
        capacity_status: capacity.status,
        capacity_available: capacity.available,
        capacity_maximum: capacity.maximum,
        capacity_unit: capacity.unit,
        capacity_updated_at: capacity.updated.map(|t| t.naive_utc()),
        verified_at: s.verified_at.map(|t| t.naive_utc()),
        version: s.version.unwrap_or(1),
        updated_by: None,
    };
    repo::save_service_row(conn, &row).map_err(db_reason)?;
    let children = ServiceChildren {
        phones,
        schedules,
        exceptions,
        location_ids,
        // A language once, however many entries name it (HSDS allows one per note).
        languages: {
            let mut seen = HashSet::new();
            s.languages.into_iter().map(|l| l.code).filter(|code| seen.insert(code.clone())).collect()
        },
        attributes: s.harbour_attributes.clone(),
        category_ids,
        region_ids,
    };
    repo::replace_children(conn, &row.id, &children).map_err(db_reason)
}
