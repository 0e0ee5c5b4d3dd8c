//! Partner systems: client credentials, scopes, revocation.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use reqwest::Method;
use serde_json::{json, Value};

on_both_backends!(clients_get_scoped_tokens_and_lose_them_when_revoked);

async fn token_response(app: &TestApp, client_id: &str, secret: &str, scope: Option<&str>) -> reqwest::Response {
    let mut form = vec![("grant_type", "client_credentials"), ("client_id", client_id), ("client_secret", secret)];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    app.request(Method::POST, "/api/v1/auth/token").form(&form).send().await.unwrap()
}

async fn clients_get_scoped_tokens_and_lose_them_when_revoked(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let path = format!("/api/v1/organizations/{}/api-clients", app.fixture.org_a);
    let response = app.post(&path, &admin, &json!({"name": "Case system", "scopes": ["directory:read", "referrals:read"]})).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let (id, client_id, secret) = (
        created["client"]["id"].as_str().unwrap().to_owned(),
        created["client"]["client_id"].as_str().unwrap().to_owned(),
        created["client_secret"].as_str().unwrap().to_owned(),
    );
    let listed: Value = app.get(&path, &admin).await.json().await.unwrap();
    assert_eq!(listed[0]["client_id"], client_id.as_str());
    assert!(listed[0].get("client_secret").is_none() && listed[0].get("secret_hash").is_none());
    problem(app.get(&format!("/api/v1/organizations/{}/api-clients", app.fixture.org_b), &admin).await, 403).await;

    problem(token_response(&app, &client_id, "wrong-secret", None).await, 401).await;
    let too_much = problem(token_response(&app, &client_id, &secret, Some("referrals:write")).await, 403).await;
    assert_eq!(too_much["code"], "invalid_scope");
    let bad_grant = app.request(Method::POST, "/api/v1/auth/token").form(&[("grant_type", "password"), ("client_id", &client_id), ("client_secret", &secret)]).send().await.unwrap();
    problem(bad_grant, 400).await;

    let granted: Value = token_response(&app, &client_id, &secret, None).await.json().await.unwrap();
    assert_eq!(granted["scope"], "directory:read referrals:read");
    let full = granted["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/v1/organizations", &full).await.status(), 200);
    problem(app.get("/api/v1/me", &full).await, 403).await;
    problem(app.post("/api/v1/organizations", &full, &json!({"name": "X", "slug": "x-org", "sector": "health"})).await, 403).await;

    let narrow: Value = token_response(&app, &client_id, &secret, Some("referrals:read")).await.json().await.unwrap();
    let narrow = narrow["access_token"].as_str().unwrap().to_owned();
    problem(app.get("/api/v1/organizations", &narrow).await, 403).await;

    // Another organization's admin cannot revoke it, nor learn that it exists.
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    problem(app.request(Method::DELETE, &format!("/api/v1/api-clients/{id}")).bearer_auth(&admin_b).send().await.unwrap(), 404).await;
    assert_eq!(app.get("/api/v1/organizations", &full).await.status(), 200);

    let revoked = app.request(Method::DELETE, &format!("/api/v1/api-clients/{id}")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(revoked.status(), 204);
    problem(app.get("/api/v1/organizations", &full).await, 401).await;
    problem(token_response(&app, &client_id, &secret, None).await, 401).await;
}
