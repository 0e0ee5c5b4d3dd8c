//! Access tokens: expired, forged, `alg: none`, wrong audience or key id are refused.

use base64::Engine;
use harbour::config::DEVELOPMENT_JWT_SECRET;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

on_both_backends!(tampered_tokens_are_refused);

fn claims(sub: &str, org: &str, exp_offset: i64, aud: &str) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": "harbour", "aud": aud, "sub": sub, "kind": "user", "org": org, "iat": now, "exp": now + exp_offset, "jti": "t"})
}

fn sign(claims: &Value, secret: &str, kid: &str) -> String {
    let header = Header { kid: Some(kid.into()), ..Header::new(Algorithm::HS256) };
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_secret(secret.as_bytes())).unwrap()
}

async fn tampered_tokens_are_refused(app: TestApp) {
    let genuine = app.token(Role::SystemAdmin, 'a').await;
    let me: Value = app.get("/api/v1/me", &genuine).await.json().await.unwrap();
    let (sub, org) = (me["id"].as_str().unwrap(), me["organization"]["id"].as_str().unwrap());

    // The same claims, correctly signed, are accepted: the cases below fail for their flaw alone.
    assert_eq!(app.get("/api/v1/me", &sign(&claims(sub, org, 600, "harbour"), DEVELOPMENT_JWT_SECRET, "dev-1")).await.status(), 200);

    let expired = sign(&claims(sub, org, -600, "harbour"), DEVELOPMENT_JWT_SECRET, "dev-1");
    assert_eq!(problem(app.get("/api/v1/me", &expired).await, 401).await["code"], "token_expired");

    let forged = sign(&claims(sub, org, 600, "harbour"), "a-different-secret-that-is-long-enough-to-use", "dev-1");
    problem(app.get("/api/v1/me", &forged).await, 401).await;

    let wrong_audience = sign(&claims(sub, org, 600, "someone-else"), DEVELOPMENT_JWT_SECRET, "dev-1");
    problem(app.get("/api/v1/me", &wrong_audience).await, 401).await;

    let unknown_key = sign(&claims(sub, org, 600, "harbour"), DEVELOPMENT_JWT_SECRET, "retired-key");
    problem(app.get("/api/v1/me", &unknown_key).await, 401).await;

    let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let alg_none = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT", "kid": "dev-1"})), b64(&claims(sub, org, 600, "harbour")));
    problem(app.get("/api/v1/me", &alg_none).await, 401).await;

    // A token claiming another organization than the user's own is refused.
    let other_org = sign(&claims(sub, &app.fixture.org_b, 600, "harbour"), DEVELOPMENT_JWT_SECRET, "dev-1");
    problem(app.get("/api/v1/me", &other_org).await, 401).await;

    let no_token = problem(app.request(reqwest::Method::GET, "/api/v1/me").send().await.unwrap(), 401).await;
    assert_eq!(no_token["code"], "unauthenticated");
}
