//! HSDS API objects in one file, as publishers hand them over: a single object (what
//! `/services/{id}`, `/organizations/{id}` or `/service_at_locations/{id}` serves), a
//! page of them (`contents`), a JSON array, or one object per line (ndjson). Each object
//! is sorted by its shape into the records an import loads: a service's nested
//! organization loads before it, an organization's nested services after it, and a
//! service at location becomes its service at that location (several links of one
//! service make one service at each of their locations).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value};

use super::{Batch, ImportReport, Record, Records, Skipped};

/// The names the report gives the records of a file, by what they are.
pub const ORGANIZATIONS_IN_FILE: &str = "organizations in the file";
pub const SERVICES_IN_FILE: &str = "services in the file";
const FILE: &str = "the file";

/// What an object of the file is, by its shape.
enum Shape {
    Organization,
    Service,
    ServiceAtLocation,
}

fn shape_of(object: &Map<String, Value>) -> Shape {
    let has = |key: &str| object.get(key).is_some_and(|v| !v.is_null());
    if (has("location") || has("location_id")) && (has("service") || has("service_id")) && !has("name") {
        Shape::ServiceAtLocation
    } else if has("status") || has("organization_id") || has("service_at_locations") || has("organization") {
        Shape::Service
    } else {
        Shape::Organization
    }
}

/// The objects of the file's text, each with its position (a line for ndjson).
fn objects(text: &str, report: &mut ImportReport) -> Vec<(usize, Value)> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut page)) if page.get("contents").is_some_and(Value::is_array) => {
            let Some(Value::Array(items)) = page.remove("contents") else { unreachable!("checked to be an array") };
            items.into_iter().enumerate().collect()
        }
        Ok(Value::Array(items)) => items.into_iter().enumerate().collect(),
        Ok(object @ Value::Object(_)) => vec![(0, object)],
        Ok(_) => {
            report.skipped.push(Skipped { file: FILE, index: None, id: None, reason: "the file holds neither an HSDS object, a page, an array nor ndjson".into() });
            Vec::new()
        }
        // Not one JSON document: one object per line.
        Err(_) => text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .filter_map(|(number, line)| match serde_json::from_str::<Value>(line) {
                Ok(object) => Some((number, object)),
                Err(e) => {
                    report.skipped.push(Skipped { file: FILE, index: Some(number), id: None, reason: format!("line {} is not valid JSON: {e}", number + 1) });
                    None
                }
            })
            .collect(),
    }
}

/// Reads the file at `path` into the records an import loads.
pub fn read(path: &Path, report: &mut ImportReport) -> Records {
    let mut organizations: BTreeMap<String, Value> = BTreeMap::new();
    let mut services: Vec<(String, Value)> = Vec::new();
    let mut unnamed = Vec::new();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            for (index, object) in objects(&text, report) {
                let Value::Object(object) = object else {
                    report.skipped.push(Skipped { file: FILE, index: Some(index), id: None, reason: "not a JSON object".into() });
                    continue;
                };
                sort(object, &mut organizations, &mut services, &mut unnamed);
            }
        }
        Err(e) => report.skipped.push(Skipped { file: FILE, index: None, id: None, reason: format!("cannot read {}: {e}", path.display()) }),
    }
    let services = merged(services).into_iter().map(Record::of).chain(unnamed.into_iter().map(Record::of)).collect();
    Records {
        regions: Batch { file: super::REGIONS, records: Vec::new() },
        terms: Batch { file: super::TAXONOMY_TERMS, records: Vec::new() },
        organizations: Batch { file: ORGANIZATIONS_IN_FILE, records: organizations.into_values().map(Record::of).collect() },
        services: Batch { file: SERVICES_IN_FILE, records: services },
    }
}

/// Files one object of the file under what it is.
fn sort(mut object: Map<String, Value>, organizations: &mut BTreeMap<String, Value>, services: &mut Vec<(String, Value)>, unnamed: &mut Vec<Value>) {
    match shape_of(&object) {
        Shape::Organization => {
            let nested = object.remove("services");
            let id = object.get("id").cloned();
            for service in nested.into_iter().flat_map(array) {
                if let Value::Object(mut service) = service {
                    if let Some(id) = &id {
                        service.entry("organization_id").or_insert_with(|| id.clone());
                    }
                    sort(service, organizations, services, unnamed);
                }
            }
            add_organization(organizations, object);
        }
        Shape::Service => {
            if let Some(Value::Object(organization)) = object.remove("organization") {
                if let Some(id) = organization.get("id") {
                    object.entry("organization_id").or_insert_with(|| id.clone());
                }
                add_organization(organizations, organization);
            }
            match object.get("id").and_then(Value::as_str) {
                Some(id) => services.push((id.to_owned(), Value::Object(object))),
                None => unnamed.push(Value::Object(object)),
            }
        }
        Shape::ServiceAtLocation => {
            let location = object.remove("location");
            let mut service = match object.remove("service") {
                Some(Value::Object(service)) => service,
                _ => {
                    let mut service = Map::new();
                    service.insert("id".into(), object.get("service_id").cloned().unwrap_or(Value::Null));
                    service
                }
            };
            if let Some(location) = location {
                service.insert("service_at_locations".into(), Value::Array(vec![serde_json::json!({ "location": location })]));
            }
            sort(service, organizations, services, unnamed);
        }
    }
}

fn array(value: Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        _ => Vec::new(),
    }
}

/// An organization once, however many of its services name it: the fullest copy.
fn add_organization(organizations: &mut BTreeMap<String, Value>, organization: Map<String, Value>) {
    let Some(id) = organization.get("id").and_then(Value::as_str).map(str::to_owned) else { return };
    let fuller = organizations.get(&id).and_then(Value::as_object).is_none_or(|kept| kept.len() < organization.len());
    if fuller {
        organizations.insert(id, Value::Object(organization));
    }
}

/// Services in file order, one record per id: a service met again (one of its links)
/// adds its locations to the first.
fn merged(services: Vec<(String, Value)>) -> Vec<Value> {
    let mut order: Vec<String> = Vec::new();
    let mut by_id: BTreeMap<String, Value> = BTreeMap::new();
    for (id, service) in services {
        match by_id.get_mut(&id) {
            None => {
                order.push(id.clone());
                by_id.insert(id, service);
            }
            Some(kept) => {
                let more = service.get("service_at_locations").cloned().map(array).unwrap_or_default();
                let Some(kept) = kept.as_object_mut() else { continue };
                let links = kept.entry("service_at_locations").or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(links) = links {
                    links.extend(more);
                }
                for (key, value) in service.as_object().into_iter().flatten() {
                    kept.entry(key.clone()).or_insert_with(|| value.clone());
                }
            }
        }
    }
    order.into_iter().filter_map(|id| by_id.remove(&id)).collect()
}
