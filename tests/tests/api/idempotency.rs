//! `Idempotency-Key`: a retried POST acts once; a reused key with another body is a 422;
//! keys are per caller; a refused request frees its key; kept responses are sealed.

use diesel::prelude::*;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::CANARY;

async fn post_with_key(app: &TestApp, token: &str, key: &str, body: &Value) -> reqwest::Response {
    app.request(reqwest::Method::POST, "/api/v1/participants").bearer_auth(token).header("idempotency-key", key).json(body).send().await.unwrap()
}

async fn count(app: &TestApp, token: &str) -> u64 {
    let found: Value = app.post("/api/v1/participants/search", token, &json!({})).await.json().await.unwrap();
    found["total_items"].as_u64().unwrap()
}

async fn a_retried_post_acts_once(app: TestApp) {
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let body = json!({"alias": "Ember", "identity": {"legal_name": CANARY}});
    let first = post_with_key(&app, &worker, "retry-1", &body).await;
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let etag = first.headers()["etag"].clone();
    let first: Value = first.json().await.unwrap();

    let again = post_with_key(&app, &worker, "retry-1", &body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.headers()["etag"], etag);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"], "the same participant, not a second one");
    assert_eq!(count(&app, &worker).await, 1);

    // The same key for another request is refused; another caller's key is its own.
    let reused = problem(post_with_key(&app, &worker, "retry-1", &json!({"alias": "Other"})).await, 422).await;
    assert_eq!(reused["errors"][0]["code"], "idempotency_key_reused");
    let colleague = app.token(Role::IntakeWorker, 'a').await;
    let theirs = post_with_key(&app, &colleague, "retry-1", &body).await;
    assert_eq!(theirs.status(), 201);
    assert!(theirs.headers().get("idempotent-replayed").is_none());
    assert_eq!(count(&app, &worker).await, 2);

    // A refused request keeps nothing: corrected, it goes through with the same key.
    problem(post_with_key(&app, &worker, "retry-2", &json!({"alias": ""})).await, 422).await;
    assert_eq!(post_with_key(&app, &worker, "retry-2", &json!({"alias": "Fixed"})).await.status(), 201);
    problem(post_with_key(&app, &worker, &"k".repeat(201), &body).await, 400).await;

    // The kept response holds the legal name: it is sealed at rest.
    let db = app.db.clone();
    let kept: Vec<Option<String>> = tokio::task::spawn_blocking(move || {
        use harbour::db::schema::idempotency_records;
        idempotency_records::table.select(idempotency_records::body_sealed).load(&mut db.get().unwrap()).unwrap()
    })
    .await
    .unwrap();
    assert!(!kept.is_empty());
    assert!(kept.iter().flatten().all(|b| b.starts_with("dev-1:") && !b.contains("Zebulon")));
}

on_both_backends!(a_retried_post_acts_once);
