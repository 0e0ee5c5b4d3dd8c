//! Health, request ids, migrations, configuration and the committed OpenAPI document.

use harbour::config::{Mode, Settings};
use harbour_tests::{on_both_backends, TestApp};
use reqwest::Method;
use serde_json::Value;

on_both_backends!(health_and_request_ids, migrations_are_applied_once, served_openapi_matches_the_code, instance_info_is_public);

async fn health_and_request_ids(app: TestApp) {
    let live = app.request(Method::GET, "/health/live").send().await.unwrap();
    assert_eq!(live.status(), 200);
    assert!(live.headers().get("x-request-id").is_some());
    let ready = app.request(Method::GET, "/health/ready").header("x-request-id", "trace-from-proxy-42").send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.headers()["x-request-id"], "trace-from-proxy-42");
    let hostile = app.request(Method::GET, "/health/live").header("x-request-id", "<script>").send().await.unwrap();
    assert_ne!(hostile.headers()["x-request-id"], "<script>", "an ill-formed id is replaced");
    for (name, value) in [("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer")] {
        assert_eq!(ready.headers()[name], value);
    }
}

async fn migrations_are_applied_once(app: TestApp) {
    let db = app.db.clone();
    let again = tokio::task::spawn_blocking(move || db.migrate()).await.unwrap().expect("migrate");
    assert!(again.is_empty(), "nothing left to apply: {again:?}");
}

async fn served_openapi_matches_the_code(app: TestApp) {
    let served: Value = app.request(Method::GET, "/api/v1/openapi.json").send().await.unwrap().json().await.unwrap();
    let generated: Value = serde_json::from_str(&harbour::openapi::to_committed_json()).unwrap();
    assert_eq!(served, generated);
    assert_eq!(served["openapi"], "3.1.0");
    let docs = app.request(Method::GET, "/docs/").send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(docs.text().await.unwrap().contains("swagger"), "interactive docs from local assets");
}

async fn instance_info_is_public(app: TestApp) {
    let info: Value = app.request(Method::GET, "/api/v1/instance").send().await.unwrap().json().await.unwrap();
    assert_eq!(info["locales"], serde_json::json!(["en", "fr"]));
    assert_eq!(info["quick_exit_url"], "about:blank");
    assert_eq!(info["time_zone"], "America/Halifax", "the app shows opening times in the partnership's zone");
}

#[test]
fn committed_openapi_is_current() {
    let path = harbour_tests::tests_dir().join("../openapi/openapi.json");
    let committed = std::fs::read_to_string(path).expect("openapi/openapi.json is committed");
    assert!(
        committed == harbour::openapi::to_committed_json(),
        "openapi/openapi.json is stale: run `cargo xtask openapi` and commit the result"
    );
    assert!(!committed.contains(": null"), "the document holds no stray nulls");
}

#[test]
fn both_backends_have_the_same_migrations() {
    let (sqlite, postgres) = harbour::db::migration_names();
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[test]
fn production_refuses_development_secrets() {
    let dev = Settings { mode: Mode::Production, ..Settings::default() };
    assert!(dev.check().unwrap_err().to_string().contains("signing secret"));
    let mut with_secret = Settings { mode: Mode::Production, ..Settings::default() };
    with_secret.apply_env(|name| (name == "HARBOUR_JWT_SECRET").then(|| "x".repeat(48))).unwrap();
    assert!(with_secret.check().unwrap_err().to_string().contains("encryption key"));
    with_secret.apply_env(|name| (name == "HARBOUR_ENCRYPTION_KEY").then(|| "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=".into())).unwrap();
    assert!(with_secret.check().is_ok());
    let mut short = Settings::default();
    short.apply_env(|name| (name == "HARBOUR_JWT_SECRET").then(|| "short".into())).unwrap();
    assert!(short.check().is_err());
    assert!(Settings::default().apply_env(|name| (name == "HARBOUR_WORKERS").then(|| "many".into())).is_err());
}

mod bootstrap {
    use harbour::bootstrap::{bootstrap, BootstrapError};
    use harbour::db::Backend;
    use harbour_tests::EmptyDatabase;

    async fn first_admin_once(backend: Backend) {
        let empty = EmptyDatabase::create(backend).await;
        let db = empty.db.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            let first = bootstrap(&db, "Test Partnership", "test-partnership", "Admin@Example.org");
            let second = bootstrap(&db, "Other", "other-org", "other@example.org");
            (first, second)
        })
        .await
        .unwrap();
        assert!(outcome.0.is_ok_and(|temporary| temporary.len() >= 12));
        assert!(matches!(outcome.1, Err(BootstrapError::AlreadyBootstrapped)));
    }

    #[tokio::test]
    async fn sqlite() {
        first_admin_once(Backend::Sqlite).await;
    }

    #[tokio::test]
    async fn postgres() {
        first_admin_once(Backend::Postgres).await;
    }
}
