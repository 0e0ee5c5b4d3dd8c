//! The public directory: off by default; when on, anyone reads listings without signing
//! in, but sees no confidential or partners-only place, and a bad token is still refused.

use harbour::db::Backend;
use harbour_tests::{problem, TestApp};
use harbour_types::Role;
use reqwest::Method;
use serde_json::{json, Value};

async fn public_reads(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.public_directory = true).await;
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    for (visibility, street) in [("confidential", "1 Secret Rd"), ("partners", "2 Partner Rd"), ("public", "3 Open Rd")] {
        let place = json!({"name": visibility, "visibility": visibility, "address_1": street, "city": "Halifax", "latitude": 44.64, "longitude": -63.57});
        let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
        let service = json!({"name": format!("{visibility} service"), "location_ids": [place["id"]]});
        assert_eq!(app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &service).await.status(), 201);
    }
    let anonymous = |path: &str| app.request(Method::GET, path).send();
    let listed = anonymous("/api/v1/services").await.unwrap();
    assert_eq!(listed.status(), 200);
    let text = listed.text().await.unwrap();
    assert!(text.contains("3 Open Rd"));
    for hidden in ["1 Secret Rd", "2 Partner Rd"] {
        assert!(!text.contains(hidden), "{hidden} shown to the public");
    }
    let found: Value = anonymous("/api/v1/services/search?near=44.64,-63.57&sort=distance").await.unwrap().json().await.unwrap();
    let rough: Vec<bool> = found["contents"].as_array().unwrap().iter().map(|h| h["distance_approximate"].as_bool().unwrap()).collect();
    assert_eq!(rough, [false, true, true], "only the public place gets an exact distance: {found}");
    assert_eq!(anonymous("/api/v1/organizations").await.unwrap().status(), 200);
    assert_eq!(anonymous("/api/v1/taxonomy_terms").await.unwrap().status(), 200);

    // Partners still see partners-only places; a bad token is refused, not read as public.
    let worker_b = app.token(Role::OutreachWorker, 'b').await;
    let as_partner = app.get("/api/v1/services", &worker_b).await.text().await.unwrap();
    assert!(as_partner.contains("2 Partner Rd") && !as_partner.contains("1 Secret Rd"));
    problem(app.get("/api/v1/services", "not-a-token").await, 401).await;
    // Writing still needs a sign-in.
    problem(app.request(Method::POST, &format!("/api/v1/organizations/{org}/services")).json(&json!({"name": "x y"})).send().await.unwrap(), 401).await;
}

async fn private_by_default(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for path in ["/api/v1/services", "/api/v1/services/search?q=x", "/api/v1/organizations", "/api/v1/regions"] {
        problem(app.request(Method::GET, path).send().await.unwrap(), 401).await;
    }
    let root: Value = app.request(Method::GET, "/api/v1/").send().await.unwrap().json().await.unwrap();
    assert_eq!(root["version"], "3.0");
    assert!(root["openapi_url"].as_str().unwrap().ends_with("/api/v1/openapi.json"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_public_reads() {
    public_reads(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_public_reads() {
    public_reads(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_private_by_default() {
    private_by_default(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_private_by_default() {
    private_by_default(Backend::Postgres).await;
}
