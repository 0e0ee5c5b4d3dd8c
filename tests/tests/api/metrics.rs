//! `/metrics`: request latency by route pattern, pool, outbox lag and overdue referrals,
//! in Prometheus' text format — and nothing about any participant in it.

use harbour_tests::{on_both_backends, TestApp};
use harbour_types::Role;
use reqwest::Method;
use serde_json::Value;

use crate::participants::{consent, record_participant, verbal, CANARY};
use crate::referrals::{referral, service_of_b};

fn value(metrics: &str, series: &str) -> f64 {
    metrics.lines().find_map(|l| l.strip_prefix(series).and_then(|rest| rest.trim().parse().ok())).unwrap_or_else(|| panic!("{series} in\n{metrics}"))
}

async fn metrics_count_requests_by_route_and_name_no_one(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Nova").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    for _ in 0..3 {
        assert_eq!(app.get(&format!("/api/v1/participants/{participant}"), &outreach_a).await.status(), 200);
    }
    app.execute_sql(format!("UPDATE referrals SET due_at = '2020-01-01 00:00:00' WHERE id = '{}'", sent["id"].as_str().unwrap())).await;

    let response = app.request(Method::GET, "/metrics").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let metrics = response.text().await.unwrap();
    assert_eq!(value(&metrics, "harbour_http_request_duration_seconds_count{route=\"/api/v1/participants/{id}\",method=\"GET\",status=\"2xx\"}"), 3.0);
    assert_eq!(value(&metrics, "harbour_http_request_duration_seconds_bucket{route=\"/api/v1/participants/{id}\",method=\"GET\",status=\"2xx\",le=\"+Inf\"}"), 3.0);
    assert!(metrics.contains("# TYPE harbour_http_request_duration_seconds histogram"));
    assert_eq!(value(&metrics, "harbour_referrals_overdue"), 1.0);
    assert!(value(&metrics, "harbour_db_pool_connections") >= 1.0);
    assert!(value(&metrics, "harbour_webhook_outbox_lag_seconds") >= 0.0);
    for secret in [participant.as_str(), "Nova", CANARY, sent["id"].as_str().unwrap()] {
        assert!(!metrics.contains(secret), "{secret} must not appear in the metrics");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configured_token_guards_the_metrics() {
    let app = TestApp::spawn_with(harbour::db::Backend::Sqlite, |s| s.metrics_token = Some("scrape-secret-for-tests".to_owned().into())).await;
    assert_eq!(app.request(Method::GET, "/metrics").send().await.unwrap().status(), 401);
    assert_eq!(app.request(Method::GET, "/metrics").bearer_auth("wrong").send().await.unwrap().status(), 401);
    assert_eq!(app.request(Method::GET, "/metrics").bearer_auth("scrape-secret-for-tests").send().await.unwrap().status(), 200);
}

on_both_backends!(metrics_count_requests_by_route_and_name_no_one);
