//! Response headers every client relies on: no sniffing, no referrer, no framing, a
//! strict Content-Security-Policy for the app, HSTS over TLS, no-store where participant
//! data travels, and CORS only for the configured partner origins.

use harbour::db::Backend;
use harbour_tests::TestApp;
use harbour_types::Role;
use reqwest::Method;
use serde_json::json;

const PARTNER: &str = "https://partner.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_every_kind_of_response() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = app.post("/api/v1/participants", &worker, &json!({"alias": "Wren"})).await;
    let id = participant.json::<serde_json::Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let responses = [
        ("a health check", app.request(Method::GET, "/health/live").send().await.unwrap()),
        ("an app route", app.request(Method::GET, "/participants").send().await.unwrap()),
        ("a problem", app.request(Method::GET, "/api/v1/referrals").send().await.unwrap()),
        ("a participant", app.get(&format!("/api/v1/participants/{id}"), &worker).await),
    ];
    for (what, response) in &responses {
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{what}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{what}");
        assert_eq!(headers["x-frame-options"], "DENY", "{what}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"), "{what}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{what}: no inline script or style");
        assert!(headers.get("strict-transport-security").is_none(), "{what}: no HSTS over plain HTTP");
    }
    assert_eq!(responses[3].1.status(), 200);
    assert_eq!(responses[3].1.headers()["cache-control"], "no-store", "participant data is never stored by a cache");

    // Behind a TLS-terminating proxy, browsers are told to stay on HTTPS.
    let over_tls = app.request(Method::GET, "/health/live").header("x-forwarded-proto", "https").send().await.unwrap();
    assert_eq!(over_tls.headers()["strict-transport-security"], "max-age=63072000; includeSubDomains");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_only_the_configured_origins() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.cors_origins = vec![PARTNER.into()]).await;
    let preflight = |origin: &'static str| {
        app.request(Method::OPTIONS, "/api/v1/referrals")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "authorization, content-type, idempotency-key")
            .send()
    };
    let allowed = preflight(PARTNER).await.unwrap();
    assert!(allowed.status().is_success(), "{}", allowed.status());
    assert_eq!(allowed.headers()["access-control-allow-origin"], PARTNER);
    let methods = allowed.headers()["access-control-allow-methods"].to_str().unwrap().to_owned();
    assert!(methods.contains("POST"), "{methods}");
    let refused = preflight("https://elsewhere.example").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none(), "another origin gets no CORS grant");

    // Actual requests: the partner's page may read the answer, problems included; another's may not.
    let token = app.token(Role::OutreachWorker, 'a').await;
    let read = app.request(Method::GET, "/api/v1/referrals").bearer_auth(&token).header("origin", PARTNER).send().await.unwrap();
    assert_eq!(read.status(), 200);
    assert_eq!(read.headers()["access-control-allow-origin"], PARTNER);
    let problem = app.request(Method::GET, "/api/v1/referrals").header("origin", PARTNER).send().await.unwrap();
    assert_eq!(problem.status(), 401);
    assert_eq!(problem.headers()["access-control-allow-origin"], PARTNER, "a partner's page can read the problem too");
    let other = app.request(Method::GET, "/api/v1/referrals").bearer_auth(&token).header("origin", "https://elsewhere.example").send().await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
    let same_origin = app.request(Method::GET, "/api/v1/referrals").bearer_auth(&token).header("origin", app.base.as_str()).send().await.unwrap();
    assert_eq!(same_origin.status(), 200, "the app's own requests are untouched");
}

#[test]
fn cors_origins_must_be_origins() {
    for bad in ["partner.example", "https://partner.example/", "https://*.example"] {
        let settings = harbour::config::Settings { cors_origins: vec![bad.into()], ..harbour::config::Settings::default() };
        assert!(settings.check().is_err(), "{bad} is refused");
    }
}
