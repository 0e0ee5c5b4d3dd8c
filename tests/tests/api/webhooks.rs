//! Webhooks: subscriptions, deliveries from the outbox signed the Standard Webhooks way,
//! retries with backoff, the delivery log, and exactly one attempt per delivery with two
//! instances on one database.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::participants::{consent, record_participant, verbal, CANARY};

/// One request the receiver got.
#[derive(Debug, Clone)]
pub(crate) struct Received {
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: String,
}

/// A plain HTTP endpoint on a free port that records what it receives and answers 500
/// to the first `fail_first` requests, 200 after.
pub(crate) struct Receiver {
    pub(crate) url: String,
    got: Arc<Mutex<Vec<Received>>>,
}

pub(crate) async fn receiver(fail_first: usize) -> Receiver {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&got);
    tokio::spawn(async move {
        let mut served = 0usize;
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut buffer = Vec::new();
            let mut chunk = [0u8; 4096];
            let (head, body_start) = loop {
                let n = stream.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break (String::new(), 0);
                }
                buffer.extend_from_slice(&chunk[..n]);
                if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                    break (String::from_utf8_lossy(&buffer[..end]).into_owned(), end + 4);
                }
            };
            let headers: HashMap<String, String> =
                head.lines().skip(1).filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned())).collect();
            let length: usize = headers.get("content-length").and_then(|v| v.parse().ok()).unwrap_or(0);
            while buffer.len() < body_start + length {
                let n = stream.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..n]);
            }
            let body = String::from_utf8_lossy(&buffer[body_start..]).into_owned();
            served += 1;
            let status = if served <= fail_first { "500 Internal Server Error" } else { "200 OK" };
            seen.lock().unwrap().push(Received { headers, body });
            let _ = stream.write_all(format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes()).await;
        }
    });
    Receiver { url, got }
}

pub(crate) async fn wait_for(receiver: &Receiver, count: usize) -> Vec<Received> {
    for _ in 0..100 {
        let got = receiver.got.lock().unwrap().clone();
        if got.len() >= count {
            return got;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the receiver got {} of {count} deliveries", receiver.got.lock().unwrap().len());
}

pub(crate) fn verify(secret: &str, received: &Received) -> bool {
    let key = base64::engine::general_purpose::STANDARD.decode(secret.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", received.headers["webhook-id"], received.headers["webhook-timestamp"], received.body).as_bytes());
    let expected = format!("v1,{}", base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()));
    received.headers["webhook-signature"].split(' ').any(|s| s == expected)
}

async fn service_of_b(app: &TestApp) -> String {
    let admin = app.token(Role::AgencyAdmin, 'b').await;
    let body = json!({"name": "Youth housing", "description": "Rooms for youth.", "category_ids": [app.fixture.housing]});
    app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin, &body).await.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

async fn subscribe(app: &TestApp, url: &str, events: Value) -> Value {
    let admin = app.token(Role::AgencyAdmin, 'b').await;
    let response = app.post("/api/v1/webhooks", &admin, &json!({"url": url, "event_types": events})).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn referral_events_arrive_signed_and_retried(app: TestApp) {
    let hook = receiver(1).await;
    let subscription = subscribe(&app, &hook.url, json!(["referral.sent", "referral.accepted"])).await;
    let secret = subscription["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let service = service_of_b(&app).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Atlas").await;
    consent(&app, &worker, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs", "identity"])).await;
    let body = json!({"participant_id": participant, "service_id": service, "urgency": "soon", "participant_confirmed": true, "send": true});
    let sent: Value = app.post("/api/v1/referrals", &worker, &body).await.json().await.unwrap();
    let id = sent["id"].as_str().unwrap();

    // The first attempt gets a 500; the retry, after a short backoff, succeeds.
    let got = wait_for(&hook, 2).await;
    assert_eq!(got[0].headers["webhook-id"], got[1].headers["webhook-id"], "the retry is the same message");
    for received in &got {
        assert!(verify(&secret, received), "signed with the subscription's secret");
        assert!(!received.body.contains("Atlas") && !received.body.contains(CANARY), "no participant data: {}", received.body);
    }
    let payload: Value = serde_json::from_str(&got[1].body).unwrap();
    assert_eq!(payload["type"], "referral.sent");
    assert_eq!(payload["data"]["referral_id"], id);
    assert_eq!(payload["data"]["status"], "sent");
    assert_eq!(payload["data"]["organization_id"], app.fixture.org_b.as_str(), "the subscriber's organization");

    // Opening is not subscribed; accepting is.
    let intake = app.token(Role::IntakeWorker, 'b').await;
    let opened = app.get(&format!("/api/v1/referrals/{id}"), &intake).await;
    let version = opened.headers()["etag"].to_str().unwrap().to_owned();
    let accept = app.request(reqwest::Method::POST, &format!("/api/v1/referrals/{id}/transitions")).bearer_auth(&intake).header("if-match", version).json(&json!({"action": "accept"})).send().await.unwrap();
    assert_eq!(accept.status(), 200);
    let got = wait_for(&hook, 3).await;
    let accepted: Value = serde_json::from_str(&got[2].body).unwrap();
    assert_eq!(accepted["type"], "referral.accepted");

    let admin = app.token(Role::AgencyAdmin, 'b').await;
    let log: Vec<Value> = app.get(&format!("/api/v1/webhooks/{}/deliveries", subscription["id"].as_str().unwrap()), &admin).await.json().await.unwrap();
    assert_eq!(log.len(), 2);
    let first = log.iter().find(|d| d["event_type"] == "referral.sent").unwrap();
    assert_eq!(first["status"], "delivered");
    assert_eq!(first["attempts"], 2);
    let listed: Vec<Value> = app.get("/api/v1/webhooks", &admin).await.json().await.unwrap();
    assert!(listed[0].get("secret").is_none(), "the secret is shown once");

    // Only the organization's admins (or its clients with webhooks:manage) manage them.
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    problem(app.post("/api/v1/webhooks", &intake_b, &json!({"url": hook.url, "event_types": ["referral.sent"]})).await, 403).await;
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    problem(app.get(&format!("/api/v1/webhooks/{}/deliveries", subscription["id"].as_str().unwrap()), &admin_a).await, 404).await;
    problem(app.post("/api/v1/webhooks", &admin, &json!({"url": "not a url", "event_types": ["referral.sent"]})).await, 422).await;
}

async fn two_instances_attempt_each_delivery_once(app: TestApp) {
    let _second = app.second_instance().await;
    let hook = receiver(0).await;
    subscribe(&app, &hook.url, json!(["referral.sent"])).await;
    let service = service_of_b(&app).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Hydra").await;
    consent(&app, &worker, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let body = json!({"participant_id": participant, "service_id": service, "urgency": "routine", "participant_confirmed": true, "send": true});
    for _ in 0..12 {
        assert_eq!(app.post("/api/v1/referrals", &worker, &body).await.status(), 201);
    }
    let got = wait_for(&hook, 12).await;
    // Give a duplicate the time to arrive, if one were coming.
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let got_now = hook.got.lock().unwrap().clone();
    assert_eq!(got_now.len(), got.len().max(12));
    let mut ids: Vec<&str> = got_now.iter().map(|r| r.headers["webhook-id"].as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 12, "each delivery attempted exactly once");
    assert_eq!(got_now.len(), 12);
}

on_both_backends!(referral_events_arrive_signed_and_retried, two_instances_attempt_each_delivery_once);
