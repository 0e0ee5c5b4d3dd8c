//! The audit trail: an event for every access, chained so that tampering is found; the
//! disclosure report; key rotation; and a legal name that never reaches a log line or an
//! error body.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use diesel::prelude::*;
use harbour::db::schema::{participants, safety_plan_revisions};
use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal, CANARY};

async fn events_of(app: &TestApp, participant: &str) -> Vec<Value> {
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let page: Value = app.get(&format!("/api/v1/audit/events?participant_id={participant}&per_page=100"), &admin).await.json().await.unwrap();
    let mut events = page["contents"].as_array().unwrap().clone();
    events.reverse();
    events
}

async fn verification(app: &TestApp) -> Value {
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let response = app.get("/api/v1/audit/verify", &admin).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn every_access_leaves_a_chained_event(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let id = record_participant(&app, &outreach_a, "Jay").await;
    let given = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs"])).await;
    app.get(&format!("/api/v1/participants/{id}"), &intake_b).await;
    app.post("/api/v1/participants/search", &outreach_a, &json!({"alias": "jay"})).await;
    let denied = app.token(Role::IntakeWorker, 'a').await; // same org: a read, audited
    app.get(&format!("/api/v1/participants/{id}"), &denied).await;

    let events = events_of(&app, &id).await;
    let actions: Vec<&str> = events.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["participant.create", "consent.create", "participant.read", "participant.list", "participant.read"]);
    let read_by_b = &events[2];
    assert_eq!(read_by_b["organization_id"], app.fixture.org_b.as_str());
    assert_eq!(read_by_b["purpose"], "information_sharing");
    assert_eq!(read_by_b["data_categories"], json!(["needs"]));
    assert_eq!(read_by_b["consent_id"], given["id"]);
    assert!(read_by_b["request_id"].as_str().is_some_and(|r| !r.is_empty()));
    for pair in events.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"], "each event holds the previous one's hash");
    }

    let verified = verification(&app).await;
    assert_eq!(verified["intact"], true);
    assert_eq!(verified["events_checked"], 5);
    assert_eq!(verified["head_hash"], events[4]["hash"]);

    // Only system admins read the trail.
    for (role, org) in [(Role::OutreachWorker, 'a'), (Role::AgencyAdmin, 'a'), (Role::Coordinator, 'a')] {
        let token = app.token(role, org).await;
        problem(app.get("/api/v1/audit/verify", &token).await, 403).await;
        problem(app.get("/api/v1/audit/events", &token).await, 403).await;
    }
}

async fn concurrent_accesses_keep_one_unbroken_chain(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Kit").await;
    let path = format!("/api/v1/participants/{id}");
    let reads = (0..16).map(|_| app.get(&path, &outreach_a));
    for response in futures_util::future::join_all(reads).await {
        assert_eq!(response.status(), 200);
    }
    let verified = verification(&app).await;
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(verified["events_checked"], 17);

    // Writers about different participants extend different chains at the same time.
    let others: Vec<String> = futures_util::future::join_all((0..6).map(|n| record_participant(&app, &outreach_a, ["Ash", "Bo", "Cy", "Di", "Ed", "Fa"][n]))).await;
    let paths: Vec<String> = others.iter().map(|other| format!("/api/v1/participants/{other}")).collect();
    let reads = paths.iter().map(|path| app.get(path, &outreach_a));
    assert!(futures_util::future::join_all(reads).await.iter().all(|r| r.status() == 200));
    let verified = verification(&app).await;
    assert_eq!(verified["intact"], true, "{verified}");
    assert_eq!(verified["events_checked"], 17 + 12);
    // Seven participants in sixteen chains: all in one would be a one-in-16⁶ chance.
    assert!(verified["chain_heads"].as_array().is_some_and(|heads| heads.len() >= 2), "{verified}");
}

async fn tampering_with_the_trail_is_refused_and_found(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Lee").await;
    for _ in 0..3 {
        app.get(&format!("/api/v1/participants/{id}"), &outreach_a).await;
    }
    let events = events_of(&app, &id).await;
    assert_eq!(events.len(), 4);

    // The database itself refuses to change or remove an event.
    assert!(app.try_execute_sql("UPDATE audit_events SET purpose = 'oversight'").await.is_err());
    assert!(app.try_execute_sql("DELETE FROM audit_events").await.is_err());
    if app.backend == Backend::Postgres {
        assert!(app.try_execute_sql("TRUNCATE audit_events").await.is_err());
    }
    assert_eq!(verification(&app).await["intact"], true);

    // Someone with the database's owner rights lifts the guard and alters one event.
    lift_the_guard(&app).await;
    let altered = events[2]["seq"].as_i64().unwrap();
    app.execute_sql(format!("UPDATE audit_events SET organization_id = '{}' WHERE seq = {altered}", app.fixture.org_b)).await;
    let verified = verification(&app).await;
    assert_eq!(verified["intact"], false);
    assert_eq!(verified["first_broken"]["seq"], altered);
    assert!(verified["first_broken"]["reason"].as_str().unwrap().contains("altered"));

    // Put it back, then delete one instead: the event after it no longer follows.
    app.execute_sql(format!("UPDATE audit_events SET organization_id = '{}' WHERE seq = {altered}", app.fixture.org_a)).await;
    assert_eq!(verification(&app).await["intact"], true);
    let deleted = events[1]["seq"].as_i64().unwrap();
    app.execute_sql(format!("DELETE FROM audit_events WHERE seq = {deleted}")).await;
    let verified = verification(&app).await;
    assert_eq!(verified["intact"], false);
    assert_eq!(verified["first_broken"]["seq"], events[2]["seq"]);

    // The command-line check uses the same walk.
    let (db, keyring) = (app.db.clone(), app.keyring());
    let direct = tokio::task::spawn_blocking(move || harbour::audit::verify(&mut db.get().unwrap(), &keyring).unwrap()).await.unwrap();
    assert!(!direct.intact);
}

async fn the_disclosure_report_lists_who_saw_what_and_why(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let id = record_participant(&app, &outreach_a, "Sage").await;
    let given = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs", "contact"])).await;
    app.get(&format!("/api/v1/participants/{id}"), &intake_b).await;

    let report: Value = app.get(&format!("/api/v1/participants/{id}/disclosures"), &outreach_a).await.json().await.unwrap();
    assert_eq!(report["alias"], "Sage");
    let lines = report["disclosures"].as_array().unwrap();
    let by_b = lines.iter().find(|d| d["organization"]["name"] == "Organization B").expect("B's read is reported");
    assert_eq!(by_b["actor_name"], "intake_worker of b");
    assert_eq!(by_b["action"], "participant.read");
    assert_eq!(by_b["data_categories"], json!(["contact", "needs"]));
    assert_eq!(by_b["consent_id"], given["id"]);
    assert_eq!(lines.last().unwrap()["action"], "disclosure_report.read", "producing the report is itself recorded");

    let csv = app.get(&format!("/api/v1/participants/{id}/disclosures?format=csv"), &outreach_a).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = csv.text().await.unwrap();
    let mut rows = text.lines();
    assert_eq!(rows.next(), Some("occurred_at,actor,organization,action,purpose,data_categories,consent_id"));
    assert!(rows.any(|r| r.contains("intake_worker of b,Organization B,participant.read,information_sharing,contact needs,")));

    problem(app.get(&format!("/api/v1/participants/{id}/disclosures"), &intake_b).await, 403).await;
    problem(app.get(&format!("/api/v1/participants/{id}/disclosures?format=xml"), &outreach_a).await, 400).await;
}

async fn keys_rotate_without_losing_a_value(app: TestApp) {
    use base64::Engine as _;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Quinn").await;
    let plan = json!({"content": {"if_found": CANARY}});
    assert_eq!(app.put(&format!("/api/v1/participants/{id}/safety-plan"), &outreach_a, Some("\"0\""), &plan).await.status(), 200);
    let mut settings = harbour::config::Settings {
        encryption_key: base64::engine::general_purpose::STANDARD.encode([42u8; 32]).into(),
        encryption_key_id: "k2".into(),
        encryption_previous_keys: vec![format!("dev-1:{}", harbour::config::DEVELOPMENT_ENCRYPTION_KEY)],
        ..harbour::config::Settings::default()
    };
    settings.check().unwrap();
    let rotating = harbour::crypto::Keyring::from_settings(&settings);
    let db = app.db.clone();
    let (pid, old) = (id.clone(), app.keyring());
    let (keys, count, plans, sealed, plan_sealed) = tokio::task::spawn_blocking(move || {
        let mut conn = db.get().unwrap();
        // A value sealed by the keyring itself, as every one was before participants had keys.
        let legacy = old.seal(b"an older phone number", &format!("participants/{pid}/phone"));
        diesel::update(participants::table.find(&pid)).set(participants::phone_sealed.eq(&legacy)).execute(&mut conn).unwrap();
        let keys = harbour::db::transaction(&mut conn, |conn| harbour::data_keys::reseal_all(conn, &rotating)).unwrap();
        let count = harbour::db::transaction(&mut conn, |conn| harbour::participants::service::reseal_all(conn, &rotating)).unwrap();
        let plans = harbour::db::transaction(&mut conn, |conn| harbour::safety_plans::service::reseal_all(conn, &rotating)).unwrap();
        let sealed: Option<String> = participants::table.find(&pid).select(participants::phone_sealed).first(&mut conn).unwrap();
        let plan_sealed: String = safety_plan_revisions::table.filter(safety_plan_revisions::participant_id.eq(&pid)).select(safety_plan_revisions::content_sealed).first(&mut conn).unwrap();
        (keys, count, plans, sealed.unwrap(), plan_sealed)
    })
    .await
    .unwrap();
    assert_eq!(keys, 1, "the participant's own key is re-sealed, not every value under it");
    assert_eq!(count, 1, "the one value sealed before participants had keys moves under theirs");
    assert_eq!(plans, 0, "the plan is under the participant's key already");
    assert!(sealed.starts_with("pk.1:") && plan_sealed.starts_with("pk.1:"));
    // The new key alone opens the participant's key, and so their values: the old key can go.
    settings.encryption_previous_keys.clear();
    let new_only = harbour::crypto::Keyring::from_settings(&settings);
    let db = app.db.clone();
    let participant = harbour_types::ParticipantId::from(id.as_str());
    let (phone, plan) = tokio::task::spawn_blocking(move || {
        let key = harbour::data_keys::for_reading(&mut db.get().unwrap(), &new_only, &participant).unwrap();
        (key.open_text(Some(&sealed), &format!("participants/{participant}/phone")).unwrap(), key.open(&plan_sealed, &format!("participants/{participant}/safety_plan/1")).unwrap())
    })
    .await
    .unwrap();
    assert_eq!(phone.as_deref(), Some("an older phone number"));
    assert!(String::from_utf8(plan).unwrap().contains(CANARY));
}

/// Everything the process logs, at every level, while the canary test runs.
pub(crate) fn captured_logs() -> &'static Mutex<Vec<u8>> {
    static LOGS: OnceLock<Mutex<Vec<u8>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        struct Capture;
        impl Write for Capture {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                captured_logs().lock().unwrap_or_else(std::sync::PoisonError::into_inner).extend_from_slice(buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let subscriber = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_ansi(false).with_writer(|| Capture).finish();
        // Another test in this process may have set one first; then logs go there and this
        // test's check below (that logging was captured at all) fails loudly.
        let _ = tracing::subscriber::set_global_default(subscriber);
        Mutex::new(Vec::new())
    })
}

async fn a_legal_name_reaches_no_log_line_and_no_error_body(app: TestApp) {
    captured_logs();
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let outreach_b = app.token(Role::OutreachWorker, 'b').await;
    let id = record_participant(&app, &outreach_a, "Canary").await;
    let path = format!("/api/v1/participants/{id}");
    let full: Value = app.get(&path, &outreach_a).await.json().await.unwrap();
    assert_eq!(full["identity"]["legal_name"], CANARY, "the canary went in");

    // Every way a request can go wrong while carrying the name.
    let long_name = format!("{CANARY}{}", "x".repeat(300));
    let bodies = [
        (reqwest::Method::POST, "/api/v1/participants".to_owned(), json!({"alias": "A", "identity": {"legal_name": long_name}})),
        (reqwest::Method::POST, "/api/v1/participants".to_owned(), json!({"alias": "A", "age_band": CANARY})),
        (reqwest::Method::POST, "/api/v1/participants".to_owned(), json!({"alias": CANARY, "identity": {"legal_name": 7}})),
        (reqwest::Method::POST, "/api/v1/participants".to_owned(), json!({"alias": "A", "identity": {"legal_name": CANARY, "date_of_birth": CANARY}})),
        (reqwest::Method::PUT, path.clone(), json!({"alias": "A", "identity": {"legal_name": CANARY}})),
        (reqwest::Method::PUT, path.clone(), json!({"alias": CANARY, "contact": {"method": CANARY}})),
        (reqwest::Method::POST, "/api/v1/participants/search".to_owned(), json!({"alias": long_name})),
    ];
    let mut statuses = Vec::new();
    for (method, target, body) in bodies {
        for token in [&outreach_a, &outreach_b] {
            let response = app.request(method.clone(), &target).bearer_auth(token).json(&body).send().await.unwrap();
            statuses.push(response.status().as_u16());
            let text = response.text().await.unwrap();
            assert!(!text.contains("Zebulon") && !text.contains("Quillfeather"), "an error body carries the name: {text}");
        }
    }
    assert!(statuses.iter().all(|s| (400..500).contains(s)), "every one is refused with a 4xx: {statuses:?}");
    let raw = app.request(reqwest::Method::POST, "/api/v1/participants").bearer_auth(&outreach_a).header("content-type", "application/json");
    let text = raw.body(format!("{{\"alias\": \"{CANARY}\", ")).send().await.unwrap().text().await.unwrap();
    assert!(!text.contains("Zebulon"), "a malformed body is not echoed: {text}");

    // Let the server finish its log lines, then look.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let logs = String::from_utf8_lossy(&captured_logs().lock().unwrap()).into_owned();
    assert!(logs.contains("/api/v1/participants/{id}"), "the capture saw the server's request lines");
    assert!(!logs.contains("Zebulon") && !logs.contains("Quillfeather"), "a log line carries the name");
}

/// Lifts the append-only guard, as someone with the database owner's rights could.
async fn lift_the_guard(app: &TestApp) {
    match app.backend {
        Backend::Postgres => app.execute_sql("ALTER TABLE audit_events DISABLE TRIGGER USER").await,
        Backend::Sqlite => {
            app.execute_sql("DROP TRIGGER audit_events_no_update").await;
            app.execute_sql("DROP TRIGGER audit_events_no_delete").await;
        }
    }
}

/// Runs the `harbour` command on the app's database.
fn harbour_on(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(harbour_tests::harbour_binary())
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .env("HARBOUR_LOG", "error")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("harbour runs")
}

/// The trail's newest events cut off: the chains alone still verify, a checkpoint taken
/// before (by the API, handed to a webhook witness; or by the command line, to a file)
/// finds them gone, and a checkpoint altered to hide it is not signed.
async fn a_checkpoint_finds_the_newest_events_cut_off(backend: Backend) {
    let witness = crate::webhooks::receiver(0).await;
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let app = TestApp::spawn_with(backend, |s| {
        s.audit_checkpoint_webhook_url = Some(witness.url.clone());
        s.audit_checkpoint_webhook_secret = Some(secret.to_owned().into());
    })
    .await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Ash").await;
    for _ in 0..3 {
        app.get(&format!("/api/v1/participants/{id}"), &outreach_a).await;
    }
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let taken = app.request(reqwest::Method::POST, "/api/v1/audit/checkpoints").bearer_auth(&admin).send().await.unwrap();
    assert_eq!(taken.status(), 201);
    let checkpoint: Value = taken.json().await.unwrap();
    assert_eq!(checkpoint["format"], "harbour-audit-checkpoint/1");
    assert_eq!(checkpoint["events"], 4);
    let text = checkpoint.to_string();
    assert!(!text.contains(&id) && !text.contains("Ash") && !text.contains(CANARY), "counts and hashes only: {text}");
    // The witness got the same checkpoint, signed as a Standard Webhook (after the one the
    // instance took on its schedule when it started).
    let delivered = crate::webhooks::wait_for(&witness, 2).await;
    assert!(delivered.iter().all(|d| crate::webhooks::verify(secret, d)));
    let envelopes: Vec<Value> = delivered.iter().map(|d| serde_json::from_str(&d.body).unwrap()).collect();
    assert!(envelopes.iter().all(|e| e["type"] == "audit.checkpoint"));
    assert!(envelopes.iter().any(|e| e["data"] == checkpoint), "{envelopes:?}");
    // And one on the command line, to a file.
    let file = std::env::temp_dir().join(format!("harbour-checkpoint-{}.json", uuid::Uuid::new_v4().simple()));
    let written = harbour_on(&app, &["audit", "checkpoint", file.to_str().unwrap()]);
    assert!(written.status.success(), "{written:?}");
    assert!(!harbour_on(&app, &["audit", "checkpoint", file.to_str().unwrap()]).status.success(), "never over an earlier checkpoint");

    let against = |checkpoint: Value| {
        let (app, admin) = (&app, admin.clone());
        async move {
            let response = app.request(reqwest::Method::POST, "/api/v1/audit/verify").bearer_auth(&admin).json(&checkpoint).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    // Later events are fine: a checkpoint is a floor, not a ceiling.
    app.get(&format!("/api/v1/participants/{id}"), &outreach_a).await;
    let fine = against(checkpoint.clone()).await;
    assert_eq!((&fine["intact"], &fine["checkpoint"]["signed"], &fine["checkpoint"]["missing_events"]), (&json!(true), &json!(true), &json!(0)));
    assert!(harbour_on(&app, &["audit", "verify", "--checkpoint", file.to_str().unwrap()]).status.success());

    // The three newest events are deleted: what is left still links up.
    lift_the_guard(&app).await;
    let events = events_of(&app, &id).await;
    let keep = events[1]["seq"].as_i64().unwrap();
    app.execute_sql(format!("DELETE FROM audit_events WHERE seq > {keep}")).await;
    assert_eq!(verification(&app).await["intact"], true, "the chains alone cannot tell");
    let cut = against(checkpoint.clone()).await;
    assert_eq!(cut["intact"], false);
    assert_eq!(cut["checkpoint"]["missing_events"], 2, "4 counted, 2 left");
    assert_eq!(cut["checkpoint"]["short_chains"].as_array().unwrap().len(), 1, "the participant's events are in one chain");
    let cli = harbour_on(&app, &["audit", "verify", "--checkpoint", file.to_str().unwrap()]);
    assert!(!cli.status.success());
    assert!(String::from_utf8_lossy(&cli.stderr).contains("are gone from the end of chain"), "{cli:?}");

    // Whoever cut them cannot lower the checkpoint's counts to match: it is signed.
    let mut lowered = checkpoint.clone();
    lowered["events"] = json!(2);
    let chain = lowered["chains"].as_array_mut().unwrap().iter_mut().find(|c| c["events"] == 4).unwrap();
    chain["events"] = json!(2);
    chain["head"] = events[1]["hash"].clone();
    let forged = against(lowered).await;
    assert_eq!((&forged["intact"], &forged["checkpoint"]["signed"]), (&json!(false), &json!(false)));
    let _ = std::fs::remove_file(file);
}

/// Every instance takes checkpoints on its interval, once each across instances, and
/// hands each to the file witness.
async fn checkpoints_are_taken_on_schedule_once_across_instances(backend: Backend) {
    let dir = std::env::temp_dir().join(format!("harbour-checkpoints-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let witness = dir.clone();
    let app = TestApp::spawn_with(backend, |s| {
        s.audit_checkpoint_dir = Some(witness);
        s.audit_checkpoint_ms = 400;
    })
    .await;
    app.second_instance().await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    record_participant(&app, &outreach_a, "Rowan").await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    // About five intervals went by: one file each, not one per instance.
    assert!((2..=7).contains(&files.len()), "{files:?}");
    let newest = files.iter().max().unwrap();
    let checkpoint: Value = serde_json::from_str(&std::fs::read_to_string(newest).unwrap()).unwrap();
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let verified: Value = app.request(reqwest::Method::POST, "/api/v1/audit/verify").bearer_auth(&admin).json(&checkpoint).send().await.unwrap().json().await.unwrap();
    assert_eq!((&verified["intact"], &verified["checkpoint"]["signed"]), (&json!(true), &json!(true)));
    let _ = std::fs::remove_dir_all(dir);
}

/// With the e-mail witness on, each checkpoint reaches every active system admin, and
/// nothing in it is about anyone.
async fn checkpoints_are_emailed_to_the_system_admins(backend: Backend) {
    let (app, mails) = crate::reminders::app_with_mail(backend, |s| s.audit_checkpoint_email = true).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Sorrel").await;
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let taken = app.request(reqwest::Method::POST, "/api/v1/audit/checkpoints").bearer_auth(&admin).send().await.unwrap();
    assert_eq!(taken.status(), 201);
    let checkpoint: Value = taken.json().await.unwrap();
    // The one taken at start-up, then this one, to each of the two system admins.
    let mut received = crate::reminders::mails_after_sweeps(&mails).await;
    for _ in 0..50 {
        if received.len() >= 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        received = mails.lock().unwrap().clone();
    }
    assert_eq!(received.len(), 4, "{received:?}");
    let mut recipients: Vec<String> = received.iter().flat_map(|m| m.recipients.clone()).collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients, [harbour_tests::Fixture::email(Role::SystemAdmin, 'a'), harbour_tests::Fixture::email(Role::SystemAdmin, 'b')]);
    // Quoted-printable folds long lines with a soft break.
    let texts: Vec<String> = received.iter().map(|m| m.data.replace("=\r\n", "").replace("=\n", "")).collect();
    for text in &texts {
        assert!(text.contains("harbour-audit-checkpoint/1"), "{text}");
        assert!(!text.contains(&id) && !text.contains("Sorrel") && !text.contains(CANARY), "{text}");
    }
    let signature = checkpoint["signature"].as_str().unwrap();
    assert_eq!(texts.iter().filter(|t| t.contains(signature)).count(), 2, "the on-demand checkpoint, signed as returned, to each admin");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_checkpoints_are_emailed_to_the_system_admins() {
    checkpoints_are_emailed_to_the_system_admins(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_checkpoints_are_emailed_to_the_system_admins() {
    checkpoints_are_emailed_to_the_system_admins(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_checkpoint_finds_the_newest_events_cut_off() {
    a_checkpoint_finds_the_newest_events_cut_off(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_checkpoint_finds_the_newest_events_cut_off() {
    a_checkpoint_finds_the_newest_events_cut_off(Backend::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_checkpoints_are_taken_on_schedule_once_across_instances() {
    checkpoints_are_taken_on_schedule_once_across_instances(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_checkpoints_are_taken_on_schedule_once_across_instances() {
    checkpoints_are_taken_on_schedule_once_across_instances(Backend::Postgres).await;
}

/// Events a signed checkpoint vouches for, and only those, can be pruned under
/// retention: the trail still verifies, alone and against the checkpoint, from signed
/// anchors; positions in each chain are kept, so later checkpoints count on; an anchor
/// altered to cover a deletion is found; deleting any other event is still refused.
async fn pruning_keeps_the_trail_verifiable_from_a_signed_checkpoint(app: TestApp) {
    use harbour::audit::pruning::{prune, PruneError};
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let mut people = Vec::new();
    for alias in ["Ash", "Birch", "Cedar", "Dahlia"] {
        let id = record_participant(&app, &outreach_a, alias).await;
        app.get(&format!("/api/v1/participants/{id}"), &outreach_a).await;
        people.push(id);
    }
    let (db, keyring) = (app.db.clone(), app.keyring());
    let checkpoint = tokio::task::spawn_blocking(move || harbour::audit::checkpoint::take(&mut db.get().unwrap(), &keyring).unwrap()).await.unwrap();
    assert_eq!(checkpoint.events, 8);
    // Events after the checkpoint are not pruned, however old the rule would let them be.
    let later = record_participant(&app, &outreach_a, "Elm").await;
    let now = chrono::Utc::now().naive_utc() + chrono::Duration::seconds(5);

    let (db, keyring, vouched) = (app.db.clone(), app.keyring(), checkpoint.clone());
    let (pruned, left, after, refused) = tokio::task::spawn_blocking(move || {
        let mut conn = db.get().unwrap();
        let mut unsigned = vouched.clone();
        unsigned.signature = "00".into();
        let refused = matches!(prune(&mut conn, &keyring, &unsigned, now), Err(PruneError::Unsigned));
        let pruned = prune(&mut conn, &keyring, &vouched, now).unwrap();
        let left: i64 = harbour::db::schema::audit_events::table.count().get_result(&mut conn).unwrap();
        let after = harbour::audit::checkpoint::take(&mut conn, &keyring).unwrap();
        (pruned, left, after, refused)
    })
    .await
    .unwrap();
    assert!(refused, "a checkpoint not signed by this instance prunes nothing");
    // All the checkpoint counted but each chain's newest event (a chain that got the later
    // event loses its vouched ones too).
    let chains = checkpoint.chains.len() as u64;
    assert_eq!(pruned + left as u64, 9, "pruned {pruned}, left {left}");
    assert!(pruned >= 8 - chains && left as u64 <= chains + 1, "pruned {pruned}, left {left}, {chains} chains");
    assert_eq!(after.events, 9, "positions are kept: the next checkpoint counts on from the first");
    let fine = verification(&app).await;
    assert_eq!(fine["intact"], true, "{fine}");
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let against: Value = app.request(reqwest::Method::POST, "/api/v1/audit/verify").bearer_auth(&admin).json(&checkpoint).send().await.unwrap().json().await.unwrap();
    assert_eq!((&against["intact"], &against["checkpoint"]["missing_events"]), (&json!(true), &json!(0)), "{against}");
    assert!(events_of(&app, &later).await.len() == 1, "the event after the checkpoint is kept");

    // The command line prunes under HARBOUR_RETENTION_AUDIT_YEARS (ten years by default:
    // nothing here is that old).
    let file = std::env::temp_dir().join(format!("harbour-checkpoint-{}.json", uuid::Uuid::new_v4().simple()));
    std::fs::write(&file, serde_json::to_string(&after).unwrap()).unwrap();
    let cli = harbour_on(&app, &["audit", "prune", "--checkpoint", file.to_str().unwrap(), "--yes"]);
    assert!(cli.status.success() && String::from_utf8_lossy(&cli.stdout).contains("Pruned 0 event(s)"), "{cli:?}");

    // Deleting an event no anchor covers is still refused; an anchor moved to cover one
    // is not signed, and verification says so.
    assert!(app.try_execute_sql("DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)").await.is_err());
    app.execute_sql("UPDATE audit_anchors SET pruned_events = pruned_events + 1 WHERE chain = (SELECT MIN(chain) FROM audit_anchors)").await;
    let forged = verification(&app).await;
    assert_eq!(forged["intact"], false);
    assert!(forged["first_broken"]["reason"].as_str().unwrap().contains("not signed"), "{forged}");

    let cli = harbour_on(&app, &["audit", "prune", "--checkpoint", file.to_str().unwrap(), "--yes"]);
    assert!(!cli.status.success(), "a trail that does not verify is not pruned: {cli:?}");
    let _ = std::fs::remove_file(file);
}

on_both_backends!(
    pruning_keeps_the_trail_verifiable_from_a_signed_checkpoint,
    every_access_leaves_a_chained_event,
    concurrent_accesses_keep_one_unbroken_chain,
    tampering_with_the_trail_is_refused_and_found,
    the_disclosure_report_lists_who_saw_what_and_why,
    keys_rotate_without_losing_a_value,
    a_legal_name_reaches_no_log_line_and_no_error_body,
);
