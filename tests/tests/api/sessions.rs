//! Password sign-in, refresh rotation with reuse detection, sign-out, throttling.

use harbour_tests::{on_both_backends, problem, refresh_cookie, Fixture, TestApp, PASSWORD};
use harbour_types::Role;
use reqwest::Method;
use serde_json::Value;
use std::time::{Duration, Instant};

on_both_backends!(
    sign_in_returns_a_token_and_me_describes_the_user,
    wrong_password_and_unknown_email_get_the_same_401,
    repeated_failures_are_throttled,
    refresh_rotates_and_reuse_ends_the_family,
    sign_out_ends_the_session,
    deactivated_account_loses_access_at_once,
    another_instance_refuses_a_deactivated_account_within_the_account_cache_time,
    concurrent_refreshes_of_different_sessions_all_succeed,
);

async fn sign_in_returns_a_token_and_me_describes_the_user(app: TestApp) {
    let response = app.sign_in_response("Outreach_Worker@ORG-A.test", PASSWORD).await;
    assert_eq!(response.status(), 200);
    let cookie = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(part), "refresh cookie has {part}: {cookie}");
    }
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert!(body.get("refresh_token").is_none(), "the refresh token never travels in a body");
    let me: Value = app.get("/api/v1/me", body["access_token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(me["email"], "outreach_worker@org-a.test");
    assert_eq!(me["roles"], serde_json::json!(["outreach_worker"]));
    assert_eq!(me["organization"]["id"], app.fixture.org_a.as_str());
    assert_eq!(me["organization"]["name"], "Organization A");
}

async fn wrong_password_and_unknown_email_get_the_same_401(app: TestApp) {
    let wrong = problem(app.sign_in_response(&Fixture::email(Role::IntakeWorker, 'a'), "not the password").await, 401).await;
    let unknown = problem(app.sign_in_response("nobody@nowhere.test", "not the password").await, 401).await;
    assert_eq!(wrong["code"], "invalid_credentials");
    assert_eq!(wrong["detail"], unknown["detail"], "no account enumeration");
}

async fn repeated_failures_are_throttled(app: TestApp) {
    let email = Fixture::email(Role::IntakeWorker, 'b');
    for _ in 0..5 {
        problem(app.sign_in_response(&email, "wrong").await, 401).await;
    }
    let response = app.sign_in_response(&email, PASSWORD).await;
    let retry_after: u64 = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    assert!(retry_after >= 1, "Retry-After is set");
    let body = problem(response, 429).await;
    assert_eq!(body["code"], "too_many_requests");
    // Another account from the same address is not locked out by this one.
    assert_eq!(app.sign_in_response(&Fixture::email(Role::OutreachWorker, 'b'), PASSWORD).await.status(), 200);
}

async fn refresh(app: &TestApp, cookie: &str) -> reqwest::Response {
    app.request(Method::POST, "/api/v1/auth/refresh").header("cookie", format!("harbour_refresh={cookie}")).send().await.unwrap()
}

async fn refresh_rotates_and_reuse_ends_the_family(app: TestApp) {
    let first = refresh_cookie(&app.sign_in_response(&Fixture::email(Role::OutreachWorker, 'a'), PASSWORD).await).expect("cookie");
    let response = refresh(&app, &first).await;
    assert_eq!(response.status(), 200);
    let second = refresh_cookie(&response).expect("rotated cookie");
    assert_ne!(first, second, "the refresh token rotates");
    let body: Value = response.json().await.unwrap();
    assert_eq!(app.get("/api/v1/me", body["access_token"].as_str().unwrap()).await.status(), 200);

    // The first token again: a replay. The whole family ends, the newest token too.
    let reused = problem(refresh(&app, &first).await, 401).await;
    assert_eq!(reused["code"], "refresh_reused");
    let after = problem(refresh(&app, &second).await, 401).await;
    assert_eq!(after["code"], "session_ended");
    // Without a cookie there is nothing to refresh.
    let none = problem(app.request(Method::POST, "/api/v1/auth/refresh").send().await.unwrap(), 401).await;
    assert_eq!(none["code"], "session_ended");
}

async fn sign_out_ends_the_session(app: TestApp) {
    let cookie = refresh_cookie(&app.sign_in_response(&Fixture::email(Role::OutreachWorker, 'a'), PASSWORD).await).expect("cookie");
    let response = app.request(Method::POST, "/api/v1/auth/sign-out").header("cookie", format!("harbour_refresh={cookie}")).send().await.unwrap();
    assert_eq!(response.status(), 204);
    assert_eq!(refresh_cookie(&response).as_deref(), Some(""), "the cookie is cleared");
    problem(refresh(&app, &cookie).await, 401).await;
}

async fn deactivated_account_loses_access_at_once(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let worker_email = Fixture::email(Role::OutreachWorker, 'a');
    let sign_in = app.sign_in_response(&worker_email, PASSWORD).await;
    let cookie = refresh_cookie(&sign_in).expect("cookie");
    let worker: Value = sign_in.json().await.unwrap();
    let token = worker["access_token"].as_str().unwrap();
    let id = worker["user"]["id"].as_str().unwrap();
    // The account is read once, so this instance holds it in its account cache.
    assert_eq!(app.get("/api/v1/me", token).await.status(), 200);

    let response = app.post(&format!("/api/v1/users/{id}/deactivate"), &admin, &Value::Null).await;
    assert_eq!(response.status(), 200);
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["active"], false);

    let body = problem(app.get("/api/v1/me", token).await, 401).await;
    assert_eq!(body["code"], "unauthenticated");
    problem(refresh(&app, &cookie).await, 401).await;
    problem(app.sign_in_response(&worker_email, PASSWORD).await, 401).await;
}

async fn another_instance_refuses_a_deactivated_account_within_the_account_cache_time(app: TestApp) {
    // The default bound (HARBOUR_ACCOUNT_CACHE_MS, 1 s) between instances.
    const BOUND: Duration = Duration::from_millis(1000);
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let me: Value = app.get("/api/v1/me", &worker).await.json().await.unwrap();
    let other = app.second_instance().await;
    let on_other = || app.client.get(format!("{other}/api/v1/me")).bearer_auth(&worker).send();
    assert_eq!(on_other().await.unwrap().status(), 200, "the other instance now holds the account");

    let response = app.post(&format!("/api/v1/users/{}/deactivate", me["id"].as_str().unwrap()), &admin, &Value::Null).await;
    assert_eq!(response.status(), 200);
    let deactivated = Instant::now();
    while on_other().await.unwrap().status() == 200 {
        assert!(deactivated.elapsed() < BOUND + Duration::from_millis(250), "the other instance still serves the account after {:?}", deactivated.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(on_other().await.unwrap().status(), 401);
}

async fn concurrent_refreshes_of_different_sessions_all_succeed(app: TestApp) {
    // Each refresh reads, then writes, in one transaction: on SQLite that must wait
    // for the write lock instead of failing with "database is locked".
    let mut cookies = Vec::new();
    for &role in Role::ALL {
        for org in ['a', 'b'] {
            for _ in 0..2 {
                cookies.push(refresh_cookie(&app.sign_in_response(&Fixture::email(role, org), PASSWORD).await).expect("cookie"));
            }
        }
    }
    let refreshes = cookies.iter().map(|cookie| refresh(&app, cookie));
    let statuses: Vec<u16> = futures_util::future::join_all(refreshes).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, vec![200; cookies.len()]);
}
