//! The directory: agency admins keep their own listings, with ETag / If-Match;
//! confidential locations keep their address inside their organization.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

on_both_backends!(
    admins_edit_only_their_own_listings,
    writes_need_the_current_etag,
    confidential_addresses_stay_inside_their_organization,
    references_are_checked,
    services_are_listed_and_filtered,
);

fn shelter(location_ids: &[&str], fixture: &harbour_tests::Fixture) -> Value {
    json!({
        "name": "Night shelter",
        "description": "Beds for youth, any night.",
        "application_process": "Call the intake line.",
        "open_24_7": true,
        "minimum_age": 16,
        "maximum_age": 24,
        "phones": [{"number": "902-555-0199", "type": "voice", "after_hours": true}],
        "schedules": [{"byday": "FR", "opens_at": "20:00", "closes_at": "04:00"}],
        "languages": ["en", "fr", "en"],
        "harbour_attributes": ["fit:no_id_required", "fit:youth_specific"],
        "category_ids": [fixture.emergency_shelter],
        "region_ids": [fixture.halifax],
        "location_ids": location_ids,
    })
}

async fn created(response: reqwest::Response) -> (Value, String) {
    assert_eq!(response.status(), 201);
    let etag = response.headers()["etag"].to_str().unwrap().to_owned();
    (response.json().await.unwrap(), etag)
}

async fn location(app: &TestApp, token: &str, org: &str, visibility: &str) -> Value {
    let body = json!({
        "name": "The house", "visibility": visibility, "address_1": "12 Hidden Lane", "city": "Halifax",
        "postal_code": "B3H 0A0", "latitude": 44.64, "longitude": -63.57,
        "intake_instructions": "Call the intake line; staff will meet the youth."
    });
    created(app.post(&format!("/api/v1/organizations/{org}/locations"), token, &body).await).await.0
}

async fn admins_edit_only_their_own_listings(app: TestApp) {
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let org_a = app.fixture.org_a.clone();
    let (service, etag) = created(app.post(&format!("/api/v1/organizations/{org_a}/services"), &admin_a, &shelter(&[], &app.fixture)).await).await;
    assert_eq!(etag, "\"1\"");
    assert_eq!(service["languages"].as_array().unwrap().len(), 2, "a language sent twice is kept once");
    assert_eq!(service["schedules"][0]["byday"], "FR");
    assert_eq!(service["schedules"][0]["time_zone"], "America/Halifax");
    assert_eq!(service["phones"][0]["after_hours"], true);
    assert_eq!(service["categories"][0]["code"], "housing.emergency");
    let id = service["id"].as_str().unwrap();

    // Another organization's admin: refused, and nothing changes.
    let mut renamed = shelter(&[], &app.fixture);
    renamed["name"] = json!("Taken over");
    problem(app.put(&format!("/api/v1/services/{id}"), &admin_b, Some(&etag), &renamed).await, 403).await;
    problem(app.put(&format!("/api/v1/services/{id}/capacity"), &admin_b, Some(&etag), &json!({"status": "full"})).await, 403).await;
    problem(app.post(&format!("/api/v1/organizations/{org_a}/services"), &admin_b, &shelter(&[], &app.fixture)).await, 403).await;
    problem(app.post(&format!("/api/v1/organizations/{org_a}/locations"), &admin_b, &json!({"name": "X place"})).await, 403).await;
    // Workers read the directory but do not edit it.
    let worker_a = app.token(Role::OutreachWorker, 'a').await;
    problem(app.put(&format!("/api/v1/services/{id}"), &worker_a, Some(&etag), &renamed).await, 403).await;
    let unchanged: Value = app.get(&format!("/api/v1/services/{id}"), &worker_a).await.json().await.unwrap();
    assert_eq!(unchanged["name"], "Night shelter");
    assert_eq!(unchanged["version"], 1);

    // The organization's own admin may.
    let response = app.put(&format!("/api/v1/services/{id}"), &admin_a, Some(&etag), &renamed).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["name"], "Taken over");
    // So may a system admin, for any organization.
    let system = app.token(Role::SystemAdmin, 'b').await;
    created(app.post(&format!("/api/v1/organizations/{org_a}/services"), &system, &shelter(&[], &app.fixture)).await).await;
}

async fn writes_need_the_current_etag(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let (service, first) = created(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &shelter(&[], &app.fixture)).await).await;
    let path = format!("/api/v1/services/{}", service["id"].as_str().unwrap());
    let body = shelter(&[], &app.fixture);

    assert_eq!(problem(app.put(&path, &admin, None, &body).await, 428).await["code"], "if_match_required");
    let response = app.put(&path, &admin, Some(&first), &body).await;
    assert_eq!(response.status(), 200);
    let second = response.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(second, "\"2\"");
    // A colleague still holding the first version loses nothing silently: 412.
    assert_eq!(problem(app.put(&path, &admin, Some(&first), &body).await, 412).await["code"], "stale_version");

    let capacity = json!({"status": "waitlist", "available": 0, "maximum": 12, "unit": "beds"});
    let response = app.put(&format!("{path}/capacity"), &admin, Some(&second), &capacity).await;
    assert_eq!(response.status(), 200);
    let updated: Value = response.json().await.unwrap();
    assert_eq!(updated["capacity"]["status"], "waitlist");
    assert_eq!(updated["capacity"]["unit"], "beds");
    assert!(updated["capacity"]["updated"].is_string());
    assert_eq!(updated["version"], 3);
    problem(app.put(&format!("{path}/capacity"), &admin, Some(&second), &capacity).await, 412).await;
    problem(app.put(&format!("{path}/capacity"), &admin, Some("\"3\""), &json!({"status": "full", "available": 5, "maximum": 2})).await, 422).await;

    let got = app.get(&path, &admin).await;
    assert_eq!(got.headers()["etag"], "\"3\"");
}

async fn confidential_addresses_stay_inside_their_organization(app: TestApp) {
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let org_a = app.fixture.org_a.clone();
    let safe_house = location(&app, &admin_a, &org_a, "confidential").await;
    assert_eq!(safe_house["addresses"][0]["address_1"], "12 Hidden Lane", "the owner sees its own address");
    let (service, _) = created(app.post(&format!("/api/v1/organizations/{org_a}/services"), &admin_a, &shelter(&[safe_house["id"].as_str().unwrap()], &app.fixture)).await).await;
    let id = service["id"].as_str().unwrap();

    let worker_a = app.token(Role::OutreachWorker, 'a').await;
    let own: Value = app.get(&format!("/api/v1/services/{id}"), &worker_a).await.json().await.unwrap();
    assert_eq!(own["service_at_locations"][0]["location"]["latitude"], 44.64);

    let worker_b = app.token(Role::OutreachWorker, 'b').await;
    for body in [
        app.get(&format!("/api/v1/services/{id}"), &worker_b).await.text().await.unwrap(),
        app.get(&format!("/api/v1/services?organization_id={org_a}"), &worker_b).await.text().await.unwrap(),
        app.get(&format!("/api/v1/organizations/{org_a}/locations"), &worker_b).await.text().await.unwrap(),
    ] {
        for secret in ["Hidden Lane", "B3H", "44.64", "-63.57"] {
            assert!(!body.contains(secret), "{secret} leaked to another organization: {body}");
        }
        assert!(body.contains("Call the intake line"), "the way to reach it stays: {body}");
    }
}

async fn references_are_checked(app: TestApp) {
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let path = format!("/api/v1/organizations/{}/services", app.fixture.org_a);
    let theirs = location(&app, &admin_b, &app.fixture.org_b, "public").await;
    let cases = [
        ("location_ids", json!([theirs["id"]]), "/location_ids"),
        ("category_ids", json!(["no-such-term"]), "/category_ids"),
        ("region_ids", json!(["no-such-region"]), "/region_ids"),
        ("languages", json!(["en", "English"]), "/languages/1"),
        ("minimum_age", json!(30), "/maximum_age"),
    ];
    for (field, value, pointer) in cases {
        let mut body = shelter(&[], &app.fixture);
        body[field] = value;
        let answer = problem(app.post(&path, &admin_a, &body).await, 422).await;
        assert_eq!(answer["errors"][0]["pointer"], pointer, "{field}");
    }
    let mut bad_time = shelter(&[], &app.fixture);
    bad_time["schedules"] = json!([{"byday": "MO", "opens_at": "9am", "closes_at": "17:00"}]);
    let answer = problem(app.post(&path, &admin_a, &bad_time).await, 422).await;
    assert_eq!(answer["errors"][0]["pointer"], "/schedules/0/opens_at");
    let listed: Value = app.get(&format!("/api/v1/services?organization_id={}", app.fixture.org_a), &admin_a).await.json().await.unwrap();
    assert_eq!(listed["total_items"], 0, "nothing half-written");
}

async fn services_are_listed_and_filtered(app: TestApp) {
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    created(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin_a, &shelter(&[], &app.fixture)).await).await;
    let mut other = shelter(&[], &app.fixture);
    other["name"] = json!("Advocacy");
    other["category_ids"] = json!([app.fixture.housing]);
    created(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin_b, &other).await).await;

    let worker = app.token(Role::OutreachWorker, 'a').await;
    let all: Value = app.get("/api/v1/services", &worker).await.json().await.unwrap();
    assert_eq!(all["total_items"], 2);
    assert_eq!(all["contents"][0]["name"], "Advocacy", "by name");
    let of_b: Value = app.get(&format!("/api/v1/services?organization_id={}", app.fixture.org_b), &worker).await.json().await.unwrap();
    assert_eq!(of_b["total_items"], 1);
    let filed: Value = app.get(&format!("/api/v1/services?taxonomy_term_id={}", app.fixture.emergency_shelter), &worker).await.json().await.unwrap();
    assert_eq!(filed["contents"][0]["name"], "Night shelter");
    let later: Value = app.get("/api/v1/services?modified_after=2999-01-01T00:00:00Z", &worker).await.json().await.unwrap();
    assert_eq!(later["total_items"], 0);

    let terms: Value = app.get("/api/v1/taxonomy_terms", &worker).await.json().await.unwrap();
    assert_eq!(terms["total_items"], 2);
    assert_eq!(terms["contents"][1]["parent_id"], app.fixture.housing.as_str());
    let regions: Value = app.get("/api/v1/regions", &worker).await.json().await.unwrap();
    assert_eq!(regions[0]["slug"], "halifax");
    problem(app.get("/api/v1/services/no-such-service", &worker).await, 404).await;
}
