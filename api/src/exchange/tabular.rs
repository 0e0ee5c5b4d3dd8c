//! HSDS 3.0's tabular data package: the directory as CSV tables linked by ids, with a
//! `datapackage.json` describing each table's columns (Frictionless Data's format, as
//! HSDS publishes its own). Tables and columns carry HSDS's names wherever HSDS has
//! the concept; what only Harbour has travels in columns and tables whose names start
//! with `harbour_` (capacity, barrier attributes, regions, holiday hours, a location's
//! visibility …), which HSDS readers ignore. Categories are HSDS attributes linking a
//! service to a taxonomy term.
//!
//! Each table is declared once, as columns mapped to paths in the API's JSON objects:
//! export flattens the objects with it, import rebuilds the same objects from the rows
//! (children grouped under their service) and hands them to the loader the JSON files use.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{json, Map, Value};

use super::{Batch, Directory, ExchangeError, ImportReport, Record, Records, Skipped};

/// The package descriptor's file name; its presence marks a folder as a tabular package.
const PACKAGE: &str = "datapackage.json";

/// How a cell's text maps to a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Type {
    Text,
    Integer,
    Number,
    Boolean,
    Date,
    DateTime,
    /// A list of codes, space-separated (`fit:walk_in culture:indigenous`).
    Codes,
    /// A list of references to other records, their ids space-separated.
    Ids,
}

impl Type {
    /// The Frictionless Table Schema type of the column.
    fn table_schema(self) -> &'static str {
        match self {
            Type::Text | Type::Codes | Type::Ids => "string",
            Type::Integer => "integer",
            Type::Number => "number",
            Type::Boolean => "boolean",
            Type::Date => "date",
            Type::DateTime => "datetime",
        }
    }
}

/// A column: its name in the CSV, the dotted path of its value in the JSON object.
struct Column {
    name: &'static str,
    path: &'static str,
    kind: Type,
}

/// A column named as its JSON field.
const fn col(name: &'static str, kind: Type) -> Column {
    Column { name, path: name, kind }
}

/// A column whose name differs from its JSON path (HSDS's or Harbour's `harbour_` name).
const fn at(name: &'static str, path: &'static str, kind: Type) -> Column {
    Column { name, path, kind }
}

/// One CSV table of the package.
struct Table {
    /// The resource's name in `datapackage.json` (HSDS's, or `harbour_…`).
    resource: &'static str,
    file: &'static str,
    primary_key: &'static [&'static str],
    columns: &'static [Column],
}

use Type::{Boolean, Codes, Date, DateTime, Ids, Integer, Number, Text};

const ORGANIZATIONS: Table = Table {
    resource: "organization",
    file: "organizations.csv",
    primary_key: &["id"],
    columns: &[
        col("id", Text),
        col("name", Text),
        col("description", Text),
        col("email", Text),
        col("website", Text),
        at("harbour_slug", "slug", Text),
        at("harbour_sector", "sector", Text),
        at("harbour_phone", "phone", Text),
        at("harbour_active", "active", Boolean),
    ],
};

const TAXONOMIES: Table = Table { resource: "taxonomy", file: "taxonomies.csv", primary_key: &["id"], columns: &[col("id", Text), col("name", Text), col("description", Text)] };

const TAXONOMY_TERMS: Table = Table {
    resource: "taxonomy_term",
    file: "taxonomy_terms.csv",
    primary_key: &["id"],
    columns: &[
        col("id", Text),
        col("code", Text),
        col("name", Text),
        col("description", Text),
        col("parent_id", Text),
        col("taxonomy", Text),
        col("taxonomy_id", Text),
        at("harbour_name_fr", "name_fr", Text),
        at("harbour_version", "version", Integer),
    ],
};

const REGIONS: Table = Table {
    resource: "harbour_region",
    file: "harbour_regions.csv",
    primary_key: &["id"],
    columns: &[col("id", Text), col("slug", Text), col("name", Text), col("name_fr", Text), col("version", Integer)],
};

const SERVICES: Table = Table {
    resource: "service",
    file: "services.csv",
    primary_key: &["id"],
    columns: &[
        col("id", Text),
        col("organization_id", Text),
        col("name", Text),
        col("alternate_name", Text),
        col("description", Text),
        col("url", Text),
        col("email", Text),
        col("status", Text),
        col("interpretation_services", Text),
        col("application_process", Text),
        col("fees_description", Text),
        col("eligibility_description", Text),
        col("minimum_age", Integer),
        col("maximum_age", Integer),
        col("last_modified", DateTime),
        at("harbour_free", "free", Boolean),
        at("harbour_open_24_7", "open_24_7", Boolean),
        at("harbour_accepts_referrals", "accepts_referrals", Boolean),
        at("harbour_capacity_status", "capacity.status", Text),
        at("harbour_capacity_available", "capacity.available", Integer),
        at("harbour_capacity_maximum", "capacity.maximum", Integer),
        at("harbour_capacity_unit", "capacity.unit", Text),
        at("harbour_capacity_updated", "capacity.updated", DateTime),
        col("harbour_attributes", Codes),
        at("harbour_regions", "regions", Ids),
        at("harbour_verified_at", "verified_at", DateTime),
        at("harbour_version", "version", Integer),
    ],
};

const PHONES: Table = Table {
    resource: "phone",
    file: "phones.csv",
    primary_key: &["id"],
    columns: &[col("id", Text), col("service_id", Text), col("number", Text), col("type", Text), col("description", Text), at("harbour_after_hours", "after_hours", Boolean)],
};

const SCHEDULES: Table = Table {
    resource: "schedule",
    file: "schedules.csv",
    primary_key: &["id"],
    columns: &[
        col("id", Text),
        col("service_id", Text),
        col("freq", Text),
        col("byday", Text),
        col("opens_at", Text),
        col("closes_at", Text),
        at("timezone", "time_zone", Text),
        col("description", Text),
    ],
};

const SCHEDULE_EXCEPTIONS: Table = Table {
    resource: "harbour_schedule_exception",
    file: "harbour_schedule_exceptions.csv",
    primary_key: &["service_id", "date"],
    columns: &[col("service_id", Text), col("date", Date), col("opens_at", Text), col("closes_at", Text), col("description", Text)],
};

const LANGUAGES: Table = Table { resource: "language", file: "languages.csv", primary_key: &["id"], columns: &[col("id", Text), col("service_id", Text), col("code", Text)] };

const ATTRIBUTES: Table = Table {
    resource: "attribute",
    file: "attributes.csv",
    primary_key: &["id"],
    columns: &[col("id", Text), col("link_id", Text), col("taxonomy_term_id", Text), col("link_type", Text), col("link_entity", Text)],
};

const REQUIRED_DOCUMENTS: Table =
    Table { resource: "required_document", file: "required_documents.csv", primary_key: &["id"], columns: &[col("id", Text), col("service_id", Text), col("document", Text), col("uri", Text)] };

const SERVICE_AT_LOCATIONS: Table = Table {
    resource: "service_at_location",
    file: "service_at_location.csv",
    primary_key: &["id"],
    columns: &[col("id", Text), col("service_id", Text), col("location_id", Text)],
};

const LOCATIONS: Table = Table {
    resource: "location",
    file: "locations.csv",
    primary_key: &["id"],
    columns: &[
        col("id", Text),
        col("location_type", Text),
        col("organization_id", Text),
        col("name", Text),
        col("description", Text),
        col("latitude", Number),
        col("longitude", Number),
        at("harbour_visibility", "visibility", Text),
        at("harbour_intake_instructions", "intake_instructions", Text),
        at("harbour_version", "version", Integer),
    ],
};

const ADDRESSES: Table = Table {
    resource: "address",
    file: "addresses.csv",
    primary_key: &["id"],
    columns: &[
        col("id", Text),
        col("location_id", Text),
        col("address_1", Text),
        col("city", Text),
        col("state_province", Text),
        col("postal_code", Text),
        col("country", Text),
        col("address_type", Text),
    ],
};

const ACCESSIBILITY: Table =
    Table { resource: "accessibility", file: "accessibility.csv", primary_key: &["id"], columns: &[col("id", Text), col("location_id", Text), col("description", Text), col("details", Text), col("url", Text)] };

/// Every table, in the order `datapackage.json` lists them.
const TABLES: [&Table; 15] = [
    &ORGANIZATIONS,
    &TAXONOMIES,
    &TAXONOMY_TERMS,
    &REGIONS,
    &SERVICES,
    &PHONES,
    &SCHEDULES,
    &SCHEDULE_EXCEPTIONS,
    &LANGUAGES,
    &ATTRIBUTES,
    &REQUIRED_DOCUMENTS,
    &SERVICE_AT_LOCATIONS,
    &LOCATIONS,
    &ADDRESSES,
    &ACCESSIBILITY,
];

/// The attribute type of a service's category: HSDS files services under taxonomy
/// terms with attributes.
const CATEGORY_LINK_TYPE: &str = "category";

/// True when `dir` holds a tabular package rather than JSON files.
pub fn is_package(dir: &Path) -> bool {
    dir.join(PACKAGE).is_file()
}

fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |v, key| v.get(key))
}

/// A value as the text of a cell; absent and null are empty.
fn cell(value: Option<&Value>, kind: Type) -> String {
    match (value, kind) {
        (None | Some(Value::Null), _) => String::new(),
        (Some(Value::String(text)), _) => text.clone(),
        (Some(Value::Array(items)), Type::Ids) => items.iter().filter_map(|i| i.get("id").and_then(Value::as_str)).collect::<Vec<_>>().join(" "),
        (Some(Value::Array(items)), _) => items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "),
        (Some(other), _) => other.to_string(),
    }
}

/// A cell's text as the JSON value of its column. Text that does not fit the type stays
/// text, so the loader refuses the record naming the field and what it expected.
fn typed(text: &str, kind: Type) -> Value {
    let fallback = || Value::String(text.to_owned());
    match kind {
        Type::Text | Type::Date | Type::DateTime => fallback(),
        Type::Integer => text.trim().parse::<i64>().map_or_else(|_| fallback(), Value::from),
        Type::Number => text.trim().parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or_else(fallback, Value::Number),
        Type::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            _ => fallback(),
        },
        Type::Codes => text.split_whitespace().map(|code| Value::String(code.to_owned())).collect(),
        Type::Ids => text.split_whitespace().map(|id| json!({ "id": id })).collect(),
    }
}

/// Sets `value` at a dotted `path` in `object`, making the objects on the way.
fn place(object: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            object.insert(path.to_owned(), value);
        }
        Some((head, rest)) => {
            let inner = object.entry(head).or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = inner {
                place(inner, rest, value);
            }
        }
    }
}

/// The rows of every table as they are written, by resource name.
struct Sheets(BTreeMap<&'static str, Vec<Vec<String>>>);

impl Sheets {
    fn add(&mut self, table: &Table, object: &Value) {
        let row = table.columns.iter().map(|c| cell(lookup(object, c.path), c.kind)).collect();
        self.0.entry(table.resource).or_default().push(row);
    }

    /// Adds each object of `service[array]`, naming its service in `service_id`.
    fn add_children(&mut self, table: &Table, service: &Value, array: &str) {
        for child in service.get(array).and_then(Value::as_array).into_iter().flatten() {
            let mut child = child.clone();
            if let (Value::Object(fields), Some(id)) = (&mut child, service.get("id")) {
                fields.entry("service_id").or_insert_with(|| id.clone());
            }
            self.add(table, &child);
        }
    }

    fn rows(&self, table: &Table) -> &[Vec<String>] {
        self.0.get(table.resource).map_or(&[][..], Vec::as_slice)
    }
}

fn write_table(dir: &Path, table: &Table, rows: &[Vec<String>]) -> Result<(), ExchangeError> {
    let path = dir.join(table.file);
    let fail = |e: csv::Error| ExchangeError::file(&path, e);
    let mut writer = csv::Writer::from_path(&path).map_err(fail)?;
    writer.write_record(table.columns.iter().map(|c| c.name)).map_err(fail)?;
    for row in rows {
        writer.write_record(row).map_err(fail)?;
    }
    writer.flush().map_err(|e| ExchangeError::file(&path, e))
}

fn to_value<T: serde::Serialize>(item: &T) -> Result<Value, ExchangeError> {
    serde_json::to_value(item).map_err(|e| ExchangeError::Io(e.to_string()))
}

/// Writes `directory` to `dir` as a tabular package; returns the rows in each table.
pub fn write(dir: &Path, directory: &Directory) -> Result<BTreeMap<&'static str, usize>, ExchangeError> {
    let mut sheets = Sheets(BTreeMap::new());
    for organization in &directory.organizations {
        sheets.add(&ORGANIZATIONS, &to_value(organization)?);
    }
    for taxonomy in &directory.taxonomies {
        sheets.add(&TAXONOMIES, &to_value(taxonomy)?);
    }
    for term in &directory.terms {
        sheets.add(&TAXONOMY_TERMS, &to_value(term)?);
    }
    for region in &directory.regions {
        sheets.add(&REGIONS, &to_value(region)?);
    }
    // A location serves several services: written once, in id order.
    let mut locations: BTreeMap<String, Value> = BTreeMap::new();
    for service in &directory.services {
        let service = to_value(service)?;
        let id = cell(service.get("id"), Text);
        sheets.add(&SERVICES, &service);
        for (table, array) in [(&PHONES, "phones"), (&SCHEDULES, "schedules"), (&SCHEDULE_EXCEPTIONS, "schedule_exceptions"), (&LANGUAGES, "languages"), (&REQUIRED_DOCUMENTS, "required_documents")] {
            sheets.add_children(table, &service, array);
        }
        for category in service.get("categories").and_then(Value::as_array).into_iter().flatten() {
            let term = cell(category.get("id"), Text);
            let attribute = json!({ "id": format!("{id}/{term}"), "link_id": id, "taxonomy_term_id": term, "link_type": CATEGORY_LINK_TYPE, "link_entity": "service" });
            sheets.add(&ATTRIBUTES, &attribute);
        }
        for link in service.get("service_at_locations").and_then(Value::as_array).into_iter().flatten() {
            sheets.add(&SERVICE_AT_LOCATIONS, link);
            if let Some(location) = link.get("location") {
                locations.insert(cell(location.get("id"), Text), location.clone());
            }
        }
    }
    for location in locations.values() {
        sheets.add(&LOCATIONS, location);
        for address in location.get("addresses").and_then(Value::as_array).into_iter().flatten() {
            sheets.add(&ADDRESSES, address);
        }
        // Served with the location's id in each entry.
        for accessibility in location.get("accessibility").and_then(Value::as_array).into_iter().flatten() {
            sheets.add(&ACCESSIBILITY, accessibility);
        }
    }
    let mut counts = BTreeMap::new();
    for table in TABLES {
        let rows = sheets.rows(table);
        write_table(dir, table, rows)?;
        counts.insert(table.file, rows.len());
    }
    let descriptor = serde_json::to_string_pretty(&package()).map_err(|e| ExchangeError::Io(e.to_string()))? + "\n";
    std::fs::write(dir.join(PACKAGE), descriptor).map_err(|e| ExchangeError::file(&dir.join(PACKAGE), e))
        .map(|()| counts)
}

/// The package descriptor: each table, its columns and their types, and its key.
fn package() -> Value {
    let resources: Vec<Value> = TABLES
        .iter()
        .map(|t| {
            let fields: Vec<Value> = t.columns.iter().map(|c| json!({ "name": c.name, "type": c.kind.table_schema() })).collect();
            json!({
                "name": t.resource, "path": t.file, "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
                "schema": { "fields": fields, "primaryKey": t.primary_key },
            })
        })
        .collect();
    json!({
        "name": "harbour-directory",
        "title": "Harbour service directory (Open Referral HSDS 3.0 tabular data package)",
        "profile": "tabular-data-package",
        "resources": resources,
    })
}

/// Reads one table into JSON objects, in file order; a missing file is no rows, an
/// unreadable one a problem reported once, a broken row a problem of that row.
fn read_table(dir: &Path, table: &'static Table, report: &mut ImportReport) -> Vec<Result<Value, String>> {
    let mut problem = |reason: String| report.skipped.push(Skipped { file: table.file, index: None, id: None, reason });
    let path = dir.join(table.file);
    let mut reader = match csv::Reader::from_path(&path) {
        Ok(reader) => reader,
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound) => return Vec::new(),
        Err(e) => {
            problem(format!("cannot read: {e}"));
            return Vec::new();
        }
    };
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(e) => {
            problem(format!("not a CSV table: {e}"));
            return Vec::new();
        }
    };
    // Where each declared column is; columns the table does not declare are ignored.
    let positions: Vec<(usize, &Column)> = table.columns.iter().filter_map(|c| headers.iter().position(|h| h.trim() == c.name).map(|i| (i, c))).collect();
    reader
        .records()
        .map(|row| {
            let row = row.map_err(|e| format!("not a valid CSV row: {e}"))?;
            let mut object = Map::new();
            for (i, column) in &positions {
                if let Some(text) = row.get(*i).filter(|t| !t.is_empty()) {
                    place(&mut object, column.path, typed(text, column.kind));
                }
            }
            Ok(Value::Object(object))
        })
        .collect()
}

fn record(row: Result<Value, String>) -> Record {
    match row {
        Ok(fields) => Record::of(fields),
        Err(reason) => Record { id: None, fields: Err(reason) },
    }
}

fn batch(table: &'static Table, rows: Vec<Result<Value, String>>) -> Batch {
    Batch { file: table.file, records: rows.into_iter().map(record).collect() }
}

fn push(object: &mut Map<String, Value>, array: &str, item: Value) {
    if let Value::Array(items) = object.entry(array).or_insert_with(|| Value::Array(Vec::new())) {
        items.push(item);
    }
}

fn text_of<'a>(object: &'a Value, key: &str) -> &'a str {
    object.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Records being put together from a parent table and its child tables.
struct Parents {
    file: &'static str,
    records: Vec<Record>,
    by_id: HashMap<String, usize>,
}

impl Parents {
    fn new(table: &'static Table, rows: Vec<Result<Value, String>>) -> Parents {
        let records: Vec<Record> = rows.into_iter().map(record).collect();
        let by_id = records.iter().enumerate().filter_map(|(i, r)| r.id.clone().map(|id| (id, i))).collect();
        Parents { file: table.file, records, by_id }
    }

    /// Joins each row of `table` to the parent its `parent_key` names. A row naming no
    /// parent is reported; a row `join` refuses makes its parent fail, since loading
    /// the parent without it would be loading half of it.
    fn attach(
        &mut self,
        table: &'static Table,
        rows: Vec<Result<Value, String>>,
        parent_key: &str,
        report: &mut ImportReport,
        mut join: impl FnMut(&mut Map<String, Value>, Value) -> Result<(), String>,
    ) {
        for (index, row) in rows.into_iter().enumerate() {
            let skip = |report: &mut ImportReport, id: Option<String>, reason: String| report.skipped.push(Skipped { file: table.file, index: Some(index), id, reason });
            let row = match row {
                Ok(row) => row,
                Err(reason) => {
                    skip(report, None, reason);
                    continue;
                }
            };
            let id = row.get("id").and_then(Value::as_str).map(str::to_owned);
            let Some(&parent) = self.by_id.get(text_of(&row, parent_key)) else {
                skip(report, id, format!("its {parent_key} names nothing in {}", self.file));
                continue;
            };
            let parent = &mut self.records[parent];
            if let Ok(Value::Object(fields)) = &mut parent.fields {
                if let Err(reason) = join(fields, row) {
                    parent.fields = Err(format!("{} row {index}: {reason}", table.file));
                }
            }
        }
    }

    fn into_batch(self) -> Batch {
        Batch { file: self.file, records: self.records }
    }
}

/// Reads the tabular package in `dir` into the records an import loads. Rows that
/// cannot be tied to a service or a location are reported here; the loader judges
/// the rest.
pub fn read(dir: &Path, report: &mut ImportReport) -> Records {
    let regions = batch(&REGIONS, read_table(dir, &REGIONS, report));
    let terms = batch(&TAXONOMY_TERMS, read_table(dir, &TAXONOMY_TERMS, report));
    let organizations = batch(&ORGANIZATIONS, read_table(dir, &ORGANIZATIONS, report));

    let mut locations = Parents::new(&LOCATIONS, read_table(dir, &LOCATIONS, report));
    locations.attach(&ADDRESSES, read_table(dir, &ADDRESSES, report), "location_id", report, |location, address| {
        push(location, "addresses", address);
        Ok(())
    });
    locations.attach(&ACCESSIBILITY, read_table(dir, &ACCESSIBILITY, report), "location_id", report, |location, accessibility| {
        push(location, "accessibility", accessibility);
        Ok(())
    });
    let mut places: HashMap<String, Result<Value, String>> = HashMap::new();
    for (index, location) in locations.records.into_iter().enumerate() {
        match (location.id, location.fields) {
            (Some(id), fields) => {
                places.insert(id, fields);
            }
            (None, fields) => {
                let reason = fields.err().unwrap_or_else(|| "it has no id".into());
                report.skipped.push(Skipped { file: LOCATIONS.file, index: Some(index), id: None, reason });
            }
        }
    }

    let mut services = Parents::new(&SERVICES, read_table(dir, &SERVICES, report));
    for (table, array) in [(&PHONES, "phones"), (&SCHEDULES, "schedules"), (&SCHEDULE_EXCEPTIONS, "schedule_exceptions"), (&LANGUAGES, "languages"), (&REQUIRED_DOCUMENTS, "required_documents")] {
        services.attach(table, read_table(dir, table, report), "service_id", report, |service, child| {
            push(service, array, child);
            Ok(())
        });
    }
    services.attach(&ATTRIBUTES, read_table(dir, &ATTRIBUTES, report), "link_id", report, |service, attribute| {
        match text_of(&attribute, "link_entity") {
            "" | "service" => {
                push(service, "attributes", attribute);
                Ok(())
            }
            other => Err(format!("an attribute of a {other}: Harbour files only services under taxonomy terms")),
        }
    });
    services.attach(&SERVICE_AT_LOCATIONS, read_table(dir, &SERVICE_AT_LOCATIONS, report), "service_id", report, |service, link| {
        let location_id = text_of(&link, "location_id");
        match places.get(location_id) {
            Some(Ok(location)) => {
                push(service, "service_at_locations", json!({ "location": location }));
                Ok(())
            }
            Some(Err(reason)) => Err(format!("its location {location_id} is broken: {reason}")),
            None => Err(format!("location {location_id} is not in {}", LOCATIONS.file)),
        }
    });
    Records { regions, terms, organizations, services: services.into_batch() }
}
