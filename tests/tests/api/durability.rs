//! Crash durability: the real `harbour` binary creates referrals under load and is killed
//! with SIGKILL at moments that vary from cycle to cycle, many times. After each kill,
//! every referral that got a 201 is there with its timeline, its audit event and its
//! webhook outbox row; no referral is half-written; the audit chain verifies; and the
//! server starts again on the same database. On SQLite and PostgreSQL.

use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use harbour::db::schema::{audit_events, referral_events, referrals, services, webhook_deliveries};
use harbour::db::{Backend, Db};
use harbour_tests::{harbour_binary, SpareDatabase};
use serde_json::{json, Value};

/// Kill cycles per backend.
const CYCLES: u64 = 16;
/// Clients writing referrals at once.
const CLIENTS: usize = 4;
const PASSWORD: &str = "durability-demo-password";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn harbour(url: &str) -> Command {
    let mut command = Command::new(harbour_binary());
    command
        .env("DATABASE_URL", url)
        .env("HARBOUR_DEMO_PASSWORD", PASSWORD)
        .env("HARBOUR_LOG", "error")
        .env("HARBOUR_WEB_DIR", "/nonexistent")
        .env("HARBOUR_WEBHOOK_POLL_MS", "60000")
        // The load is the point here: no per-caller limit.
        .env("HARBOUR_RATE_LIMIT_PER_MINUTE", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// Starts the server and waits until it answers.
async fn start(url: &str, port: u16, client: &reqwest::Client) -> Child {
    let mut child = harbour(url).env("HARBOUR_LISTEN", format!("127.0.0.1:{port}")).spawn().expect("harbour starts");
    for _ in 0..200 {
        if client.get(format!("http://127.0.0.1:{port}/health/live")).send().await.is_ok_and(|r| r.status() == 200) {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("harbour did not come up on port {port}");
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str) -> String {
    let body: Value = client.post(format!("{base}/api/v1/auth/sign-in")).json(&json!({"email": email, "password": PASSWORD})).send().await.unwrap().json().await.unwrap();
    body["access_token"].as_str().unwrap_or_else(|| panic!("sign-in of {email}: {body}")).to_owned()
}

/// What the database holds about the referrals of `participant` and the acknowledged ids.
fn check(db: &Db, participant: &str, acknowledged: &[String]) -> usize {
    let mut conn = db.get().unwrap();
    let ours: Vec<String> = referrals::table.filter(referrals::participant_id.eq(participant)).select(referrals::id).load(&mut conn).unwrap();
    for id in acknowledged {
        assert!(ours.contains(id), "referral {id} was acknowledged with a 201 and is gone");
    }
    // All of a referral or none of it: its row, both timeline steps, its audit event, its webhook.
    let mut timelines: HashMap<String, Vec<String>> = HashMap::new();
    for (id, kind) in referral_events::table
        .inner_join(referrals::table)
        .filter(referrals::participant_id.eq(participant))
        .order((referral_events::referral_id, referral_events::ordinal))
        .select((referral_events::referral_id, referral_events::kind))
        .load::<(String, String)>(&mut conn)
        .unwrap()
    {
        timelines.entry(id).or_default().push(kind);
    }
    let per_referral = |rows: Vec<(String, i64)>| rows.into_iter().collect::<HashMap<String, i64>>();
    let audited = per_referral(
        audit_events::table
            .inner_join(referrals::table.on(referrals::id.eq(audit_events::entity_id)))
            .filter(referrals::participant_id.eq(participant))
            .group_by(audit_events::entity_id)
            .select((audit_events::entity_id, diesel::dsl::count_star()))
            .load(&mut conn)
            .unwrap(),
    );
    let announced = per_referral(
        webhook_deliveries::table
            .inner_join(referrals::table.on(referrals::id.eq(webhook_deliveries::subject_id)))
            .filter(referrals::participant_id.eq(participant))
            .group_by(webhook_deliveries::subject_id)
            .select((webhook_deliveries::subject_id, diesel::dsl::count_star()))
            .load(&mut conn)
            .unwrap(),
    );
    for id in &ours {
        assert_eq!(timelines.get(id).map(Vec::as_slice), Some(&["created".to_owned(), "sent".to_owned()][..]), "referral {id} is half-written");
        assert_eq!(audited.get(id), Some(&1), "referral {id} has its audit event");
        assert_eq!(announced.get(id), Some(&1), "referral {id} has its outbox row");
    }
    let verification = harbour::audit::verify(&mut conn, &harbour::crypto::Keyring::from_settings(&harbour::config::Settings::default())).unwrap();
    assert!(verification.intact, "the audit chain verifies after a kill: {verification:?}");
    ours.len()
}

async fn referrals_survive_being_killed(backend: Backend) {
    let spare = SpareDatabase::create(backend).await;
    let url = spare.url.clone();
    let seeded = tokio::task::spawn_blocking(move || harbour(&url).args(["seed", "--demo"]).status()).await.unwrap().unwrap();
    assert!(seeded.success());
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = start(&spare.url, port, &client).await;

    // A participant of Youth Outreach Halifax with a consent for a shelter elsewhere, which
    // subscribes to referral webhooks (to a port nobody listens on: deliveries stay queued).
    let worker = sign_in(&client, &base, "outreach_worker@youth-outreach-halifax.demo").await;
    let db = Db::connect(&spare.url, 2).unwrap();
    let lookup = db.clone();
    let (service, receiver): (String, String) = tokio::task::spawn_blocking(move || {
        use harbour::db::schema::organizations;
        services::table
            .inner_join(organizations::table)
            .filter(organizations::slug.eq("safe-harbour-house"))
            .filter(services::accepts_referrals.eq(true))
            .select((services::id, services::organization_id))
            .first(&mut lookup.get().unwrap())
            .unwrap()
    })
    .await
    .unwrap();
    let admin = sign_in(&client, &base, "agency_admin@safe-harbour-house.demo").await;
    let hook = client.post(format!("{base}/api/v1/webhooks")).bearer_auth(&admin).json(&json!({"url": "http://127.0.0.1:9/hook", "event_types": ["referral.sent"]})).send().await.unwrap();
    assert_eq!(hook.status(), 201);
    let participant: Value = client.post(format!("{base}/api/v1/participants")).bearer_auth(&worker).json(&json!({"alias": "Durable"})).send().await.unwrap().json().await.unwrap();
    let participant = participant["id"].as_str().unwrap().to_owned();
    let consent = json!({
        "participant_id": participant, "method": "verbal", "witness_name": "Dana Witness", "purposes": ["referral"],
        "data_categories": ["needs"], "recipient_ids": [receiver], "statement_language": "en"
    });
    assert_eq!(client.post(format!("{base}/api/v1/consents")).bearer_auth(&worker).json(&consent).send().await.unwrap().status(), 201);
    let body = json!({"participant_id": participant, "service_id": service, "urgency": "soon", "needs": {"note": "a bed"}, "participant_confirmed": true, "send": true});

    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut checked = 0;
    for cycle in 0..CYCLES {
        let writers: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (client, base, worker, body, acknowledged) = (client.clone(), base.clone(), worker.clone(), body.clone(), Arc::clone(&acknowledged));
                tokio::spawn(async move {
                    // Until the server dies under it.
                    while let Ok(response) = client.post(format!("{base}/api/v1/referrals")).bearer_auth(&worker).json(&body).send().await {
                        if response.status() == 201 {
                            if let Ok(created) = response.json::<Value>().await {
                                acknowledged.lock().unwrap().push(created["id"].as_str().unwrap_or_default().to_owned());
                            }
                        }
                    }
                })
            })
            .collect();
        // A different moment each cycle: from 150 ms to about a second into the load.
        tokio::time::sleep(Duration::from_millis(150 + (cycle * 337) % 900)).await;
        server.kill().expect("SIGKILL");
        server.wait().unwrap();
        for writer in writers {
            writer.await.unwrap();
        }
        let (db, participant, ids) = (db.clone(), participant.clone(), acknowledged.lock().unwrap().clone());
        checked = tokio::task::spawn_blocking(move || check(&db, &participant, &ids)).await.unwrap();
        server = start(&spare.url, port, &client).await;
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() as u64 > CYCLES, "the load wrote referrals between kills: {}", acknowledged.len());
    // The restarted server serves what was acknowledged before the last kill.
    let worker = sign_in(&client, &base, "outreach_worker@youth-outreach-halifax.demo").await;
    let last = acknowledged.last().unwrap();
    assert_eq!(client.get(format!("{base}/api/v1/referrals/{last}")).bearer_auth(&worker).send().await.unwrap().status(), 200);
    server.kill().unwrap();
    server.wait().unwrap();
    println!("{CYCLES} kill cycles: {} referrals acknowledged, {checked} in the database, each whole", acknowledged.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_referrals_survive_sigkill() {
    referrals_survive_being_killed(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_referrals_survive_sigkill() {
    referrals_survive_being_killed(Backend::Postgres).await;
}
