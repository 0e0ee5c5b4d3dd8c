//! Every error is an RFC 9457 problem: ours, the framework's, and failures.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use reqwest::Method;
use serde_json::json;

on_both_backends!(malformed_requests_get_problems, validation_problems_point_at_fields, internal_errors_leak_nothing);

async fn malformed_requests_get_problems(app: TestApp) {
    let sign_in = |body: &'static str, content_type: &'static str| {
        app.request(Method::POST, "/api/v1/auth/sign-in").header("content-type", content_type).body(body).send()
    };
    assert_eq!(problem(sign_in("{\"email\": ", "application/json").await.unwrap(), 400).await["code"], "bad_request");
    assert_eq!(problem(sign_in("{}", "text/plain").await.unwrap(), 415).await["code"], "unsupported_media_type");
    let huge = format!("{{\"email\": \"{}\", \"password\": \"x\"}}", "a".repeat(64 * 1024));
    let response = app.request(Method::POST, "/api/v1/auth/sign-in").header("content-type", "application/json").body(huge).send().await.unwrap();
    assert_eq!(problem(response, 413).await["code"], "payload_too_large");
    let missing = problem(sign_in("{\"email\": \"a@b.test\"}", "application/json").await.unwrap(), 422).await;
    assert_eq!(missing["errors"][0]["pointer"], "/password");

    let unknown = problem(app.request(Method::GET, "/api/v1/no-such-thing").send().await.unwrap(), 404).await;
    assert_eq!(unknown["instance"], "/api/v1/no-such-thing");
    // A 405 says which methods the path takes (RFC 9110): every route it matches.
    for (method, path, allow) in [
        (Method::DELETE, "/api/v1/auth/sign-in", "POST"),
        (Method::PUT, "/health/live", "GET"),
        (Method::PATCH, "/api/v1/participants/search", "GET, POST, PUT"),
        (Method::DELETE, &format!("/api/v1/organizations/{}/services", app.fixture.org_a), "POST"),
    ] {
        let response = app.request(method.clone(), path).send().await.unwrap();
        assert_eq!(response.headers().get("allow").map(|v| v.to_str().unwrap().to_owned()).as_deref(), Some(allow), "{method} {path}");
        assert_eq!(problem(response, 405).await["code"], "method_not_allowed");
    }
}

async fn validation_problems_point_at_fields(app: TestApp) {
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let body = json!({"name": "", "slug": "Not A Slug", "sector": "health", "website": "notaurl", "email": "nope"});
    let problem_body = problem(app.post("/api/v1/organizations", &admin, &body).await, 422).await;
    let pointers: Vec<&str> = problem_body["errors"].as_array().unwrap().iter().map(|e| e["pointer"].as_str().unwrap()).collect();
    assert_eq!(pointers, ["/email", "/name", "/slug", "/website"]);

    // Paging outside its documented range is refused, not quietly clamped, on every list.
    let outreach = app.token(Role::OutreachWorker, 'a').await;
    let users = format!("/api/v1/organizations/{}/users", app.fixture.org_a);
    for (list, token) in [("/api/v1/services", &outreach), ("/api/v1/referrals", &outreach), ("/api/v1/organizations", &admin), ("/api/v1/audit/events", &admin), (users.as_str(), &admin)] {
        for (query, pointer) in [("per_page=101", "/per_page"), ("per_page=0", "/per_page"), ("page=0", "/page")] {
            let refused = problem(app.get(&format!("{list}?{query}"), token).await, 422).await;
            assert_eq!(refused["errors"][0]["pointer"], pointer, "{list}?{query}");
        }
    }
    assert_eq!(app.get("/api/v1/services?per_page=100&page=3", &admin).await.status(), 200);
    let slug = problem_body["errors"].as_array().unwrap().iter().find(|e| e["pointer"] == "/slug").unwrap();
    assert_eq!(slug["code"], "slug");
    let wrong_type = problem(app.post("/api/v1/organizations", &admin, &json!({"name": "X", "slug": "x-y", "sector": "unknown-sector"})).await, 422).await;
    assert!(!wrong_type.to_string().contains("unknown-sector"), "input values are not echoed: {wrong_type}");
}

async fn internal_errors_leak_nothing(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    // Referrals and their events refer to API clients: PostgreSQL drops those links too.
    let drop = if app.backend == harbour::db::Backend::Postgres { "DROP TABLE api_clients CASCADE" } else { "DROP TABLE api_clients" };
    app.execute_sql(drop).await;
    let body = problem(app.get(&format!("/api/v1/organizations/{}/api-clients", app.fixture.org_a), &admin).await, 500).await;
    assert_eq!(body["code"], "internal");
    let text = body.to_string().to_lowercase();
    for secret in ["api_clients", "table", "sql", "relation"] {
        assert!(!text.contains(secret), "the 500 body mentions {secret}: {text}");
    }
}
