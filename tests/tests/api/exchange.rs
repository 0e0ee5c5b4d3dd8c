//! HSDS import and export: a round trip gives identical files; broken files and records
//! are reported one by one and leave nothing half-written.

use std::path::{Path, PathBuf};

use harbour::db::Db;
use harbour::directory::exchange::{export, import};
use harbour_tests::{on_both_backends, EmptyDatabase, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

on_both_backends!(export_import_export_is_identical, bad_records_are_skipped_with_reasons);

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("harbour-hsds-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn run_export(db: &Db, dir: &Path) {
    let (db, dir) = (db.clone(), dir.to_owned());
    tokio::task::spawn_blocking(move || export(&db, &dir, "America/Halifax").expect("export")).await.unwrap();
}

async fn run_import(db: &Db, dir: &Path) -> harbour::directory::exchange::ImportReport {
    let (db, dir) = (db.clone(), dir.to_owned());
    tokio::task::spawn_blocking(move || import(&db, &dir).expect("import")).await.unwrap()
}

async fn export_import_export_is_identical(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    for visibility in ["public", "confidential"] {
        let place = json!({"name": format!("{visibility} place"), "visibility": visibility, "address_1": format!("{visibility} 9 Quiet Lane"), "city": "Truro",
            "latitude": 45.36, "longitude": -63.28, "intake_instructions": "Call first."});
        let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
        let service = json!({"name": format!("{visibility} service"), "description": "Support.", "minimum_age": 12,
            "phones": [{"number": "902-555-0111", "type": "text", "after_hours": true}],
            "schedules": [{"byday": "SA", "opens_at": "21:00", "closes_at": "02:00"}],
            "schedule_exceptions": [{"date": "2026-12-25", "description": "Christmas Day"}, {"date": "2026-12-31", "opens_at": "18:00", "closes_at": "01:00"}],
            "languages": ["fr", "mic"], "harbour_attributes": ["culture:indigenous"],
            "category_ids": [app.fixture.emergency_shelter], "region_ids": [app.fixture.halifax], "location_ids": [place["id"]]});
        let created: Value = app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &service).await.json().await.unwrap();
        let capacity = json!({"status": "waitlist", "available": 0, "maximum": 8, "unit": "beds"});
        assert_eq!(app.put(&format!("/api/v1/services/{}/capacity", created["id"].as_str().unwrap()), &admin, Some("\"1\""), &capacity).await.status(), 200);
    }
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
    let good = json!({"id": "svc-good", "organization_id": "org-1", "name": "Good", "status": "active",
        "schedules": [{"byday": "MO,TU", "opens_at": "09:00:00", "closes_at": "17:00"}],
        "service_at_locations": [{"location": {"id": "loc-good", "name": "Good place"}}]});
    let services = json!([
        good,
        {"id": "svc-no-name", "organization_id": "org-1", "status": "active"},
        {"id": "svc-unknown-term", "organization_id": "org-1", "name": "X", "status": "active", "attributes": [{"taxonomy_term_id": "no-such-term"}]},
        {"id": "svc-bad-day", "organization_id": "org-1", "name": "Y", "status": "active",
         "service_at_locations": [{"location": {"id": "loc-half-written", "name": "Should not exist"}}],
         "schedules": [{"byday": "XX", "opens_at": "09:00", "closes_at": "17:00"}]},
        {"id": "svc-no-org", "organization_id": "org-missing", "name": "Z", "status": "active"},
        {"id": "svc-half-holiday", "organization_id": "org-1", "name": "H", "status": "active", "schedule_exceptions": [{"date": "2026-12-25", "opens_at": "10:00"}]},
    ]);
    std::fs::write(dir.join("services.json"), services.to_string()).unwrap();

    let report = run_import(&app.db, &dir).await;
    assert_eq!(report.loaded["services.json"], 1);
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
    let db = app.db.clone();
    let leftover = tokio::task::spawn_blocking(move || harbour::directory::repo::find_location(&mut db.get().unwrap(), "loc-half-written").unwrap()).await.unwrap();
    assert!(leftover.is_none(), "a skipped record leaves nothing behind");
}
