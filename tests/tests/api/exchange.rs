//! HSDS import and export, as JSON files and as the tabular data package (CSV): a round
//! trip gives identical files; broken files and records are reported one by one and
//! leave nothing half-written.

use std::path::{Path, PathBuf};

use harbour::db::Db;
use harbour::exchange::{export, import, Format};
use harbour_tests::{on_both_backends, EmptyDatabase, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

on_both_backends!(
    export_import_export_is_identical,
    bad_records_are_skipped_with_reasons,
    tabular_round_trip_is_identical,
    broken_tabular_rows_are_reported,
    hsds_objects_as_publishers_serve_them_import,
);

pub(crate) fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("harbour-hsds-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub(crate) async fn run_export(db: &Db, dir: &Path) {
    export_as(db, dir, Format::Json).await;
}

async fn export_as(db: &Db, dir: &Path, format: Format) {
    let (db, dir) = (db.clone(), dir.to_owned());
    tokio::task::spawn_blocking(move || export(&db, &dir, "America/Halifax", format).expect("export")).await.unwrap();
}

async fn run_import(db: &Db, dir: &Path) -> harbour::exchange::ImportReport {
    let (db, dir) = (db.clone(), dir.to_owned());
    tokio::task::spawn_blocking(move || import(&db, &dir).expect("import")).await.unwrap()
}

/// Two services of organization A, one at a public place and one at a confidential
/// one, with everything a service can carry.
async fn two_services(app: &TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    for visibility in ["public", "confidential"] {
        let place = json!({"name": format!("{visibility} place"), "visibility": visibility, "address_1": format!("{visibility} 9 Quiet Lane"), "city": "Truro",
            "latitude": 45.36, "longitude": -63.28, "intake_instructions": "Call first.",
            "accessibility": [{"description": "Step-free, \"ramp\", lift", "details": "Ring at the side door;\nstaff come out.", "url": "https://example.org/access"}, {"details": "Quiet room"}]});
        let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
        let service = json!({"name": format!("{visibility} service"), "description": "Support,\nday and night.", "minimum_age": 12,
            "required_documents": [{"document": "Health card, if you have one"}, {"document": "A letter, \"any\" kind", "uri": "https://example.org/letter"}],
            "phones": [{"number": "902-555-0111", "type": "text", "after_hours": true}, {"number": "902-555-0112"}],
            "schedules": [{"byday": "SA", "opens_at": "21:00", "closes_at": "02:00"}],
            "schedule_exceptions": [{"date": "2026-12-25", "description": "Christmas Day"}, {"date": "2026-12-31", "opens_at": "18:00", "closes_at": "01:00"}],
            "languages": ["fr", "mic"], "harbour_attributes": ["culture:indigenous", "fit:walk_in"],
            "category_ids": [app.fixture.emergency_shelter], "region_ids": [app.fixture.halifax], "location_ids": [place["id"]]});
        let created: Value = app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &service).await.json().await.unwrap();
        let capacity = json!({"status": "waitlist", "available": 0, "maximum": 8, "unit": "beds"});
        assert_eq!(app.put(&format!("/api/v1/services/{}/capacity", created["id"].as_str().unwrap()), &admin, Some("\"1\""), &capacity).await.status(), 200);
    }
}

async fn export_import_export_is_identical(app: TestApp) {
    two_services(&app).await;
    let first = scratch();
    run_export(&app.db, &first).await;
    let services = std::fs::read_to_string(first.join("services.json")).unwrap();
    assert!(services.contains("public 9 Quiet Lane"));
    assert!(services.contains("\"2026-12-31\"") && services.contains("\"Christmas Day\""), "holiday hours travel");
    assert!(!services.contains("confidential 9 Quiet Lane"), "an export never carries a safe house's address");
    // Saturday-night hours: at any moment of the week the next opening is within it, so
    // the field would be there if the export read the clock.
    assert!(!services.contains("opens_next_at") && !services.contains("\"open_now\":true"), "an export holds data, not readings of the clock");

    let empty = EmptyDatabase::create(app.backend).await;
    let report = run_import(&empty.db, &first).await;
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(report.loaded["services.json"], 2);
    let second = scratch();
    run_export(&empty.db, &second).await;
    for file in ["organizations.json", "taxonomy_terms.json", "regions.json", "services.json"] {
        let (a, b) = (std::fs::read_to_string(first.join(file)).unwrap(), std::fs::read_to_string(second.join(file)).unwrap());
        assert!(a == b, "{file} differs after a round trip");
    }
    // Importing the same files again changes nothing.
    let again = run_import(&empty.db, &first).await;
    assert!(again.skipped.is_empty());
    let third = scratch();
    run_export(&empty.db, &third).await;
    assert_eq!(std::fs::read_to_string(second.join("services.json")).unwrap(), std::fs::read_to_string(third.join("services.json")).unwrap());
}

async fn bad_records_are_skipped_with_reasons(app: TestApp) {
    let dir = scratch();
    std::fs::write(dir.join("regions.json"), "{ not json").unwrap();
    std::fs::write(dir.join("organizations.json"), json!([{"id": "org-1", "name": "Imported Org", "description": "From elsewhere"}, {"id": "org-2"}]).to_string()).unwrap();
    // An attribute under the publisher's own taxonomy is not a category of Harbour's.
    let good = json!({"id": "svc-good", "organization_id": "org-1", "name": "Good", "status": "active",
        "attributes": [{"id": "a1", "link_id": "svc-good", "link_type": "service", "taxonomy_term_id": "211-code-BD-1800"}],
        "schedules": [{"byday": "MO,TU", "opens_at": "09:00:00", "closes_at": "17:00"}],
        "required_documents": [{"id": "5b0e3c36-8f0e-4f43-a6a1-7c1b8f9e2d10", "service_id": "svc-good", "document": "Any ID", "uri": "https://example.org/id"}],
        "service_at_locations": [{"location": {"id": "loc-good", "name": "Good place",
            "accessibility": [{"id": "0f8c2a4e-3b7d-4c55-9e61-2d4a6b8c0e12", "location_id": "loc-good", "details": "Lift to every floor"}]}}]});
    // Harbour's own exports wrote each as one text before they were HSDS objects.
    let older = json!({"id": "svc-older", "organization_id": "org-1", "name": "Older", "status": "active", "required_documents": "none",
        "service_at_locations": [{"location": {"id": "loc-older", "name": "Older place", "accessibility": "Step-free"}}]});
    let services = json!([
        good,
        older,
        {"id": "svc-no-name", "organization_id": "org-1", "status": "active"},
        {"id": "svc-unknown-term", "organization_id": "org-1", "name": "X", "status": "active", "categories": [{"id": "no-such-term"}]},
        {"id": "svc-bad-day", "organization_id": "org-1", "name": "Y", "status": "active",
         "service_at_locations": [{"location": {"id": "loc-half-written", "name": "Should not exist"}}],
         "schedules": [{"byday": "XX", "opens_at": "09:00", "closes_at": "17:00"}]},
        {"id": "svc-no-org", "organization_id": "org-missing", "name": "Z", "status": "active"},
        {"id": "svc-half-holiday", "organization_id": "org-1", "name": "H", "status": "active", "schedule_exceptions": [{"date": "2026-12-25", "opens_at": "10:00"}]},
    ]);
    std::fs::write(dir.join("services.json"), services.to_string()).unwrap();

    let report = run_import(&app.db, &dir).await;
    assert_eq!(report.loaded["services.json"], 2);
    assert_eq!(report.loaded["organizations.json"], 1);
    let reasons: Vec<(String, String)> = report.skipped.iter().map(|s| (s.id.clone().unwrap_or_else(|| s.file.to_owned()), s.reason.clone())).collect();
    let reason_of = |id: &str| reasons.iter().find(|(i, _)| i == id).map(|(_, r)| r.clone()).unwrap_or_else(|| panic!("{id} not reported: {reasons:?}"));
    assert!(reason_of("regions.json").contains("not valid JSON"));
    assert!(reason_of("org-2").contains("missing field `name`"));
    assert!(reason_of("svc-no-name").contains("missing field `name`"));
    assert!(reason_of("svc-unknown-term").contains("unknown taxonomy term no-such-term"));
    assert!(reason_of("svc-bad-day").contains("unknown day XX"));
    assert!(reason_of("svc-no-org").contains("org-missing"));
    assert!(reason_of("svc-half-holiday").contains("one time of two"));

    // The good record is served; the failed one left no location behind.
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let good: Value = app.get("/api/v1/services/svc-good", &worker).await.json().await.unwrap();
    assert_eq!(good["schedules"].as_array().unwrap().len(), 2, "MO,TU become two days");
    assert_eq!(good["schedules"][0]["opens_at"], "09:00");
    // HSDS objects keep their ids; the older single texts become lists of one.
    assert_eq!(good["required_documents"], json!([{"id": "5b0e3c36-8f0e-4f43-a6a1-7c1b8f9e2d10", "service_id": "svc-good", "document": "Any ID", "uri": "https://example.org/id"}]));
    assert_eq!(good["service_at_locations"][0]["location"]["accessibility"], json!([{"id": "0f8c2a4e-3b7d-4c55-9e61-2d4a6b8c0e12", "location_id": "loc-good", "details": "Lift to every floor"}]));
    let older: Value = app.get("/api/v1/services/svc-older", &worker).await.json().await.unwrap();
    assert_eq!(older["required_documents"][0]["document"], "none");
    assert_eq!(older["service_at_locations"][0]["location"]["accessibility"][0]["description"], "Step-free");
    let db = app.db.clone();
    let leftover = tokio::task::spawn_blocking(move || harbour::directory::repo::find_location(&mut db.get().unwrap(), "loc-half-written").unwrap()).await.unwrap();
    assert!(leftover.is_none(), "a skipped record leaves nothing behind");
}

fn files_of(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

async fn tabular_round_trip_is_identical(app: TestApp) {
    two_services(&app).await;
    let first = scratch();
    export_as(&app.db, &first, Format::Tabular).await;
    let services = std::fs::read_to_string(first.join("services.csv")).unwrap();
    assert!(services.contains("\"Support,\nday and night.\""), "commas and line breaks are quoted: {services}");
    let locations = std::fs::read_to_string(first.join("locations.csv")).unwrap() + &std::fs::read_to_string(first.join("addresses.csv")).unwrap();
    assert!(locations.contains("public 9 Quiet Lane") && locations.contains("-63.28"), "{locations}");
    assert!(!locations.contains("confidential 9 Quiet Lane"), "the tabular export never carries a safe house's address either");
    assert!(std::fs::read_to_string(first.join("attributes.csv")).unwrap().contains(&app.fixture.emergency_shelter), "categories are HSDS attributes");

    // The descriptor names every CSV; HSDS's tables keep HSDS's file and column names,
    // and whatever Harbour adds is named harbour_…
    let package: Value = serde_json::from_str(&std::fs::read_to_string(first.join("datapackage.json")).unwrap()).unwrap();
    let hsds: Value = serde_json::from_str(&std::fs::read_to_string(harbour_tests::tests_dir().join("hsds/datapackage.json")).unwrap()).unwrap();
    let resources = package["resources"].as_array().unwrap();
    let mut listed: Vec<String> = resources.iter().map(|r| r["path"].as_str().unwrap().to_owned()).chain(["datapackage.json".to_owned()]).collect();
    listed.sort();
    assert_eq!(listed, files_of(&first));
    for resource in resources {
        let name = resource["name"].as_str().unwrap();
        let fields: Vec<&str> = resource["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        let header = std::fs::read_to_string(first.join(resource["path"].as_str().unwrap())).unwrap().lines().next().unwrap().to_owned();
        assert_eq!(header, fields.join(","), "{name}: the CSV's header is the descriptor's fields");
        if name.starts_with("harbour_") {
            continue;
        }
        let official = hsds["resources"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name} is not an HSDS table"));
        assert_eq!(resource["path"], official["path"], "{name}: HSDS's file name");
        let official: Vec<&str> = official["schema"]["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
        for field in fields {
            assert!(official.contains(&field) || field.starts_with("harbour_"), "{name}.{field} is neither HSDS's nor marked as Harbour's");
        }
    }

    let empty = EmptyDatabase::create(app.backend).await;
    let report = run_import(&empty.db, &first).await;
    assert!(report.skipped.is_empty(), "{:?}", report.skipped);
    assert_eq!(report.loaded["services.csv"], 2);
    let second = scratch();
    export_as(&empty.db, &second, Format::Tabular).await;
    assert_eq!(files_of(&first), files_of(&second));
    for file in files_of(&first) {
        let (a, b) = (std::fs::read_to_string(first.join(&file)).unwrap(), std::fs::read_to_string(second.join(&file)).unwrap());
        assert!(a == b, "{file} differs after a round trip:\n{a}\n---\n{b}");
    }
    // The two formats carry the same directory.
    let (json_first, json_second) = (scratch(), scratch());
    run_export(&app.db, &json_first).await;
    run_export(&empty.db, &json_second).await;
    for file in ["organizations.json", "taxonomy_terms.json", "regions.json", "services.json"] {
        assert_eq!(std::fs::read_to_string(json_first.join(file)).unwrap(), std::fs::read_to_string(json_second.join(file)).unwrap(), "{file} after a tabular round trip");
    }
}

async fn broken_tabular_rows_are_reported(app: TestApp) {
    let dir = scratch();
    let write = |file: &str, text: &str| std::fs::write(dir.join(file), text).unwrap();
    write("datapackage.json", "{}");
    write("organizations.csv", "id,name,description\norg-1,Imported Org,From elsewhere\norg-2,,No name\n");
    write("services.csv", "id,organization_id,name,status,minimum_age\nsvc-good,org-1,Good,active,14\nsvc-bad-age,org-1,Bad age,active,fourteen\n\
        svc-lost-place,org-1,Lost place,active,\nsvc-bad-phone-row,org-1,Phone,active,\n");
    write("phones.csv", "id,service_id,number,type\nph-1,svc-good,902-555-0100,voice\nph-2,svc-nowhere,902-555-0101,voice\nph-3,svc-bad-phone-row\n");
    write("schedules.csv", "id,service_id,byday,opens_at,closes_at\nsch-1,svc-good,MO,09:00,17:00\n");
    write("locations.csv", "id,name,latitude,longitude\nloc-good,Good place,44.65,-63.57\n");
    write("addresses.csv", "id,location_id,address_1,city\nloc-good,loc-good,1 Main St,Halifax\n");
    write("service_at_location.csv", "id,service_id,location_id\nsal-1,svc-good,loc-good\nsal-2,svc-lost-place,loc-missing\n");
    write("attributes.csv", "id,link_id,taxonomy_term_id,link_entity\na-1,org-1,x,organization\n");

    let report = run_import(&app.db, &dir).await;
    assert_eq!(report.loaded["services.csv"], 2, "{:?}", report.skipped);
    assert_eq!(report.loaded["organizations.csv"], 1);
    let reason_of = |file: &str, id: Option<&str>| {
        report.skipped.iter().find(|s| s.file == file && s.id.as_deref() == id).map(|s| s.reason.clone()).unwrap_or_else(|| panic!("{file} {id:?} not reported: {:?}", report.skipped))
    };
    assert!(reason_of("organizations.csv", Some("org-2")).contains("missing field `name`"));
    assert!(reason_of("services.csv", Some("svc-bad-age")).contains("expected i32"), "a wrong type names what was expected");
    assert!(reason_of("services.csv", Some("svc-lost-place")).contains("location loc-missing is not in locations.csv"));
    assert!(reason_of("phones.csv", Some("ph-2")).contains("service_id names nothing in services.csv"));
    assert!(reason_of("phones.csv", None).contains("not a valid CSV row"), "a short row is reported");
    assert!(reason_of("attributes.csv", Some("a-1")).contains("names nothing"));

    let worker = app.token(Role::OutreachWorker, 'a').await;
    let good: Value = app.get("/api/v1/services/svc-good", &worker).await.json().await.unwrap();
    assert_eq!(good["minimum_age"], 14);
    assert_eq!(good["phones"][0]["number"], "902-555-0100");
    assert_eq!(good["schedules"][0]["opens_at"], "09:00");
    assert_eq!(good["service_at_locations"][0]["location"]["addresses"][0]["address_1"], "1 Main St");
    assert_eq!(app.get("/api/v1/services/svc-lost-place", &worker).await.status(), 404, "a service whose place is missing is not loaded without it");
    assert_eq!(app.get("/api/v1/services/svc-bad-phone-row", &worker).await.status(), 200, "a broken phone row is reported; its service loads");
}

/// Fields whose text Harbour reads (days, times, phone kinds, language codes, addresses):
/// generated from the schema's own example, as a publisher would fill them.
const READ_AS_WRITTEN: [&str; 12] = ["byday", "opens_at", "closes_at", "type", "code", "address_1", "city", "state_province", "postal_code", "country", "wkst", "freq"];

/// An instance of an HSDS schema with every property set, every list holding one or two
/// entries: formats and enums honoured, text either the schema's example or varied words.
fn generated(schema: &Value, key: &str, rng: &mut rand::rngs::StdRng) -> Value {
    use rand::Rng as _;
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        return choices[rng.gen_range(0..choices.len())].clone();
    }
    let example = schema.get("example");
    match schema.get("type").and_then(Value::as_str) {
        Some("object") => {
            let properties = schema.get("properties").and_then(Value::as_object).into_iter().flatten();
            Value::Object(properties.map(|(name, property)| (name.clone(), generated(property, name, rng))).collect())
        }
        Some("array") => {
            let items = schema.get("items").cloned().unwrap_or(Value::Null);
            Value::Array((0..rng.gen_range(1..=2)).map(|_| generated(&items, key, rng)).collect())
        }
        Some("number") | Some("integer") => match key {
            "latitude" => json!(rng.gen_range(43.5..47.0)),
            "longitude" => json!(rng.gen_range(-66.3..-59.8)),
            "minimum_age" => json!(rng.gen_range(0..16)),
            "maximum_age" => json!(rng.gen_range(16..=120)),
            _ => json!(rng.gen_range(1..100)),
        },
        Some("boolean") => json!(rng.gen_bool(0.5)),
        _ => match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => json!(uuid::Uuid::from_u128(rng.r#gen()).to_string()),
            Some("uri") => json!(format!("https://example.org/{key}/{}", rng.gen_range(0..10_000))),
            Some("email") => json!(format!("{key}{}@example.org", rng.gen_range(0..10_000))),
            Some("date-time") => json!(format!("2026-{:02}-{:02}T{:02}:30:00Z", rng.gen_range(1..=12), rng.gen_range(1..=28), rng.gen_range(0..24))),
            _ if READ_AS_WRITTEN.contains(&key) => example.cloned().unwrap_or_else(|| json!(key)),
            _ => {
                let pieces = ["Café à l'école", "\"quoted\"", "line\nbreak", "مرحبا", "🏠 beds", "a, b; c", "<b>&amp;</b>", "Mi'kmaw"];
                let varied = pieces[rng.gen_range(0..pieces.len())].to_owned();
                match example.and_then(Value::as_str) {
                    Some(example) if rng.gen_bool(0.5) => json!(format!("{example} {varied}")),
                    _ => json!(format!("{key} {varied}")),
                }
            }
        },
    }
}

fn official(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(harbour_tests::tests_dir().join("hsds/schema/compiled").join(name)).unwrap()).unwrap()
}

/// A service as an HSDS API serves it, every property set, its references consistent
/// (which no schema can say): its organization, its links' locations.
fn generated_service(rng: &mut rand::rngs::StdRng) -> Value {
    let mut service = generated(&official("service.json"), "service", rng);
    service["organization"]["id"] = service["organization_id"].clone();
    let id = service["id"].clone();
    for link in service["service_at_locations"].as_array_mut().unwrap() {
        link["service_id"] = id.clone();
        link["location_id"] = link["location"]["id"].clone();
    }
    service
}

/// What publishers hand over, generated from the official schemas with every property
/// set: one service as `/services/{id}` serves it, a page, ndjson, an organization with
/// its services nested, a service at location with its service nested. Each file loads,
/// each service is served as valid HSDS with what Harbour keeps of it, and a record with
/// a bad field is reported by that field's path and leaves nothing behind.
async fn hsds_objects_as_publishers_serve_them_import(app: TestApp) {
    use rand::SeedableRng as _;
    let seed: u64 = std::env::var("HARBOUR_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let dir = scratch();
    let mut expected = Vec::new();

    let one = generated_service(&mut rng);
    expected.push(one.clone());
    std::fs::write(dir.join("one.json"), one.to_string()).unwrap();
    let page: Vec<Value> = (0..3).map(|_| generated_service(&mut rng)).collect();
    expected.extend(page.iter().cloned());
    std::fs::write(dir.join("page.json"), json!({"total_items": 3, "total_pages": 1, "page_number": 1, "size": 3, "first_page": true, "last_page": true, "empty": false, "contents": page}).to_string()).unwrap();
    let lines: Vec<Value> = (0..3).map(|_| generated_service(&mut rng)).collect();
    expected.extend(lines.iter().cloned());
    let mut broken = generated_service(&mut rng);
    broken["service_at_locations"][0]["location"]["addresses"][0].as_object_mut().unwrap().remove("city");
    let ndjson: String = lines.iter().chain([&broken]).map(|l| l.to_string() + "\n").collect();
    std::fs::write(dir.join("lines.ndjson"), ndjson).unwrap();
    let mut nested = generated_service(&mut rng);
    let mut organization = nested.as_object_mut().unwrap().remove("organization").unwrap();
    organization["services"] = json!([nested.clone()]);
    nested["organization"] = organization.clone();
    expected.push(nested);
    std::fs::write(dir.join("organization.json"), organization.to_string()).unwrap();
    let mut link = generated(&official("service_at_location.json"), "service_at_location", &mut rng);
    let mut linked = generated_service(&mut rng);
    linked.as_object_mut().unwrap().remove("service_at_locations");
    link["service"] = linked.clone();
    link["service_id"] = linked["id"].clone();
    link["location_id"] = link["location"]["id"].clone();
    linked["service_at_locations"] = json!([{"location": link["location"].clone()}]);
    expected.push(linked);
    std::fs::write(dir.join("link.json"), link.to_string()).unwrap();

    for file in ["one.json", "page.json", "lines.ndjson", "organization.json", "link.json"] {
        let report = run_import(&app.db, &dir.join(file)).await;
        if file == "lines.ndjson" {
            assert_eq!(report.skipped.len(), 1, "seed {seed}: {:?}", report.skipped);
            let skipped = &report.skipped[0];
            assert_eq!(skipped.id.as_deref(), broken["id"].as_str());
            assert!(skipped.reason.starts_with("/service_at_locations/0/location/addresses/0: missing field `city`"), "seed {seed}: {}", skipped.reason);
        } else {
            assert!(report.skipped.is_empty(), "seed {seed}, {file}: {:?}", report.skipped);
        }
        assert!(report.loaded.values().sum::<usize>() >= 1, "{file}: {:?}", report.loaded);
    }
    let db = app.db.clone();
    let broken_place = broken["service_at_locations"][0]["location"]["id"].as_str().unwrap().to_owned();
    let leftover = tokio::task::spawn_blocking(move || harbour::directory::repo::find_location(&mut db.get().unwrap(), &broken_place).unwrap()).await.unwrap();
    assert!(leftover.is_none(), "a skipped record leaves nothing behind");

    let validator = jsonschema::options().should_validate_formats(true).build(&official("service.json")).unwrap();
    let reader = app.token(Role::OutreachWorker, 'b').await;
    for sent in &expected {
        let id = sent["id"].as_str().unwrap();
        let served: Value = app.get(&format!("/api/v1/services/{id}"), &reader).await.json().await.unwrap();
        let errors: Vec<String> = validator.iter_errors(&served).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "seed {seed}: {errors:?}");
        for field in ["name", "description", "organization_id", "url", "email", "application_process", "eligibility_description", "minimum_age", "maximum_age"] {
            assert_eq!(served[field], sent[field], "seed {seed}: {field} of {id}");
        }
        let numbers = |service: &Value| service["phones"].as_array().unwrap().iter().map(|p| p["number"].clone()).collect::<Vec<_>>();
        assert_eq!(numbers(&served), numbers(sent), "seed {seed}: phones");
        let documents = |service: &Value| service["required_documents"].as_array().unwrap().iter().map(|d| (d["id"].clone(), d["document"].clone(), d["uri"].clone())).collect::<Vec<_>>();
        assert_eq!(documents(&served), documents(sent), "seed {seed}: required documents");
        let places = |service: &Value| {
            let mut places: Vec<(Value, Value)> = service["service_at_locations"].as_array().unwrap().iter().map(|l| (l["location"]["id"].clone(), l["location"]["accessibility"].as_array().unwrap().iter().map(|a| a["id"].clone()).collect())).collect();
            places.sort_by_key(|(id, _)| id.to_string());
            places
        };
        assert_eq!(places(&served), places(sent), "seed {seed}: locations and their accessibility");
    }
    std::fs::remove_dir_all(dir).unwrap();
}
