//! Abuse limits: requests per caller per minute (429 with Retry-After), the largest page,
//! and bodies nested too deep.

use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use reqwest::Method;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_caller_has_a_quota_per_minute() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.rate_limit_per_minute = 5).await;
    // Two sign-ins: two requests from this address without a token.
    let (a, b) = (app.token(Role::OutreachWorker, 'a').await, app.token(Role::OutreachWorker, 'b').await);
    for _ in 0..5 {
        assert_eq!(app.get("/api/v1/referrals", &a).await.status(), 200);
    }
    let refused = app.get("/api/v1/referrals", &a).await;
    let retry_after: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(problem(refused, 429).await["code"], "too_many_requests");
    assert_eq!(app.get("/api/v1/referrals", &b).await.status(), 200, "another caller has its own quota");
    // Without a token, the address is the caller: three more, then no.
    for _ in 0..3 {
        assert_eq!(app.request(Method::GET, "/api/v1/instance").send().await.unwrap().status(), 200);
    }
    problem(app.request(Method::GET, "/api/v1/instance").send().await.unwrap(), 429).await;
    assert_eq!(app.request(Method::GET, "/health/live").send().await.unwrap().status(), 200, "health checks are never limited");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_bounded_and_deep_bodies_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let admin = app.token(Role::AgencyAdmin, 'b').await;
    for n in 0..101 {
        let service = serde_json::json!({"name": format!("Service {n}"), "description": "A service.", "category_ids": [app.fixture.housing]});
        assert_eq!(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin, &service).await.status(), 201);
    }
    let refused = problem(app.get("/api/v1/services?per_page=100000", &worker).await, 422).await;
    assert_eq!(refused["errors"][0]["pointer"], "/per_page", "a page holds 100 at most: more is refused, not clamped");
    let page: serde_json::Value = app.get("/api/v1/services?per_page=100", &worker).await.json().await.unwrap();
    assert_eq!(page["size"], 100);
    assert_eq!(page["total_pages"], 2);
    // 5,000 nested arrays (within the body limit): past the parser's depth limit (128),
    // refused as a body that does not fit, without exhausting the stack.
    let deep = format!("{}{}", "[".repeat(5_000), "]".repeat(5_000));
    let refused = app.request(Method::POST, "/api/v1/participants/search").bearer_auth(&worker).header("content-type", "application/json").body(deep).send().await.unwrap();
    problem(refused, 422).await;
    assert_eq!(app.request(Method::GET, "/health/live").send().await.unwrap().status(), 200, "the server is still up");
}

/// What schemathesis found once, kept as plain tests: a page number past any list, and a
/// NUL character (which PostgreSQL cannot store), are the caller's mistakes, never a 500.
async fn absurd_pages_and_nul_characters_are_not_server_errors(app: TestApp) {
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let far: serde_json::Value = app.get("/api/v1/services?page=18446744073709551615&per_page=100", &worker).await.json().await.unwrap();
    assert_eq!(far["size"], 0);
    let nul = app.post("/api/v1/participants", &worker, &serde_json::json!({"alias": "a\u{0}b"})).await;
    assert!(nul.status().is_client_error() || nul.status().is_success(), "{}", nul.status());
    let nul = app.post("/api/v1/referrals", &worker, &serde_json::json!({"participant_id": "\u{0}", "service_id": "x", "urgency": "soon", "needs": {}, "participant_confirmed": true})).await;
    assert!(nul.status().is_client_error(), "{}", nul.status());
}

on_both_backends!(absurd_pages_and_nul_characters_are_not_server_errors);
