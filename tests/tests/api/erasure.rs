//! Erasing a participant: only an agency admin of the owning organization, on the
//! participant's request; the participant's key is destroyed, so their sealed values —
//! as a copy of the database taken before holds them — no longer open with the keyring;
//! every copy (referrals' snapshots, plans, evidence, messages) goes, the receivers hear
//! of it, the audit trail still verifies, and nothing of them is left in a backup taken
//! after, or brought back by restoring one taken before.

use diesel::prelude::*;
use harbour::db::schema::{consent_evidence, consents, idempotency_records, participant_keys, participants, referrals, safety_plan_revisions};
use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, SpareDatabase, TestApp};
use harbour_types::{ParticipantId, Role};
use serde_json::{json, Value};

use crate::participants::{consent, png, record_participant, verbal, CANARY};
use crate::referrals::{referral, service_of_b};
use crate::safety_plans::plan;
use crate::webhooks::{receiver, wait_for};

/// Words every participant here is recorded with in the clear (contact instructions,
/// needs notes, a referral's notes): a database holds them once per participant.
const PLAIN: [&str; 4] = ["say it is the clinic", "a safe place tonight", "a room this week", "text only"];

/// Words every participant here is recorded with sealed (legal name, safety notes, plan):
/// no database or backup shows them.
const SEALED: [&str; 3] = [CANARY, "avoid the east end", "he waits by the school"];

/// A participant of A with everything a record can carry: identity and safety notes, a
/// consent to B with its evidence file, a referral to B sharing a snapshot, a message on
/// it, and two safety plan revisions. Returns its id and the referral's.
async fn participant_with_everything(app: &TestApp, alias: &str) -> (String, String) {
    use base64::Engine as _;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(app, &outreach_a, alias).await;
    let mut given = verbal(&id, &[&app.fixture.org_b], &["referral", "information_sharing"], &["identity", "contact", "needs", "safety"]);
    given["method"] = json!("paper_form");
    given["evidence"] = json!({"media_type": "image/png", "data_base64": base64::engine::general_purpose::STANDARD.encode(png())});
    consent(app, &outreach_a, given).await;
    let service = service_of_b(app).await;
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&id, &service, true)).await.json().await.unwrap();
    let referral_id = sent["id"].as_str().unwrap().to_owned();
    let written = app.post(&format!("/api/v1/referrals/{referral_id}/messages"), &outreach_a, &json!({"body": format!("{alias} texts after 3 pm only")})).await;
    assert_eq!(written.status(), 201);
    for (version, words) in [("\"0\"", "first"), ("\"1\"", "second")] {
        assert_eq!(app.put(&format!("/api/v1/participants/{id}/safety-plan"), &outreach_a, Some(version), &plan(words)).await.status(), 200);
    }
    (id, referral_id)
}

/// Every sealed value of the participant, as a copy of the database holds them: (what
/// it is, the sealed text, the place it is bound to).
fn sealed_values(conn: &mut harbour::db::DbConn, id: &str, referral_id: &str) -> Vec<(&'static str, String, String)> {
    let mut found = Vec::new();
    let legal_name: Option<String> = participants::table.find(id).select(participants::legal_name_sealed).first(conn).unwrap();
    found.push(("legal name", legal_name.unwrap(), format!("participants/{id}/legal_name")));
    let notes: Option<String> = participants::table.find(id).select(participants::safety_notes_sealed).first(conn).unwrap();
    found.push(("safety notes", notes.unwrap(), format!("participants/{id}/safety_notes")));
    let plans: Vec<(i32, String)> =
        safety_plan_revisions::table.filter(safety_plan_revisions::participant_id.eq(id)).select((safety_plan_revisions::revision, safety_plan_revisions::content_sealed)).load(conn).unwrap();
    assert_eq!(plans.len(), 2);
    for (revision, sealed) in plans {
        found.push(("safety plan", sealed, format!("participants/{id}/safety_plan/{revision}")));
    }
    let snapshot: Option<String> = referrals::table.find(referral_id).select(referrals::snapshot_sealed).first(conn).unwrap();
    found.push(("referral snapshot", snapshot.unwrap(), format!("referrals/{referral_id}/snapshot")));
    let evidence: Vec<(String, String)> = consent_evidence::table
        .inner_join(consents::table)
        .filter(consents::participant_id.eq(id))
        .select((consent_evidence::consent_id, consent_evidence::sealed))
        .load(conn)
        .unwrap();
    assert_eq!(evidence.len(), 1);
    let (consent_id, sealed) = evidence.into_iter().next().unwrap();
    found.push(("consent evidence", sealed, format!("consents/{consent_id}/evidence")));
    found
}

/// The whole database as text, the way a backup holds it.
async fn dump(app: &TestApp) -> String {
    let folder = std::env::temp_dir().join(format!("harbour-erasure-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("dump");
    let url = app.database_url().to_owned();
    let path = file.clone();
    let bytes = tokio::task::spawn_blocking(move || match Backend::of(&url) {
        // A backup itself: VACUUM INTO writes live rows only.
        Backend::Sqlite => {
            harbour::backup::backup(&url, &path).unwrap();
            std::fs::read(&path).unwrap()
        }
        // The custom format is compressed; the plain one shows every row as text.
        Backend::Postgres => std::process::Command::new("pg_dump").args(["--data-only", "--dbname", &url]).output().unwrap().stdout,
    })
    .await
    .unwrap();
    std::fs::remove_dir_all(folder).unwrap();
    assert!(bytes.len() > 1000, "a dump was made");
    String::from_utf8_lossy(&bytes).into_owned()
}

async fn an_erasure_destroys_the_key_and_every_copy(app: TestApp) {
    let hook = receiver(0).await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let subscribed = app.post("/api/v1/webhooks", &admin_b, &json!({"url": hook.url, "event_types": ["referral.redacted"]})).await;
    assert_eq!(subscribed.status(), 201);
    crate::audit::captured_logs();
    let (kept, _) = participant_with_everything(&app, "Bramble").await;
    let without = dump(&app).await;
    let (id, referral_id) = participant_with_everything(&app, "Marigold").await;
    let db = app.db.clone();
    let (pid, rid) = (id.clone(), referral_id.clone());
    let copy = tokio::task::spawn_blocking(move || sealed_values(&mut db.get().unwrap(), &pid, &rid)).await.unwrap();
    let before = dump(&app).await;
    assert!(before.contains("Marigold") && before.contains("Marigold texts after 3 pm only"), "the dump shows what the database holds");
    assert!(SEALED.iter().all(|w| !before.contains(w)), "sealed words are not in the clear");

    // Searches a phone may replay: their kept answers hold the aliases found.
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    for alias in SEARCHED {
        assert_eq!(replayable_search(&app, &outreach_a, alias).await.0, 1);
        assert_eq!(replayable_search(&app, &outreach_a, alias).await, (1, true), "a search sent again is replayed");
    }

    // Only an agency admin of A, with how and why the participant asked.
    let path = format!("/api/v1/participants/{id}/erasure");
    let asked = json!({"method": "in_person", "reason": "participant_request"});
    problem(app.post(&path, &outreach_a, &asked).await, 403).await;
    problem(app.post(&path, &admin_b, &asked).await, 404).await;
    problem(app.post(&path, &app.token(Role::SystemAdmin, 'a').await, &asked).await, 403).await;
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let harbours = problem(app.post(&path, &admin_a, &json!({"method": "retention", "reason": "participant_request"})).await, 422).await;
    assert_eq!(harbours["errors"][0]["pointer"], "/method");
    problem(app.post(&path, &admin_a, &json!({"method": "in_person", "reason": "retention_period"})).await, 422).await;
    problem(app.post(&path, &admin_a, &json!({"method": "by_pigeon", "reason": "participant_request"})).await, 422).await;

    let erased = app.post(&path, &admin_a, &asked).await;
    assert_eq!(erased.status(), 201);
    let receipt: Value = erased.json().await.unwrap();
    assert_eq!(receipt["referrals_redacted"], 1);
    assert_eq!(receipt["consents_ended"], 1);
    assert_eq!(receipt["plan_revisions_destroyed"], 2);
    assert_eq!(receipt["evidence_files_destroyed"], 1);
    assert_eq!(receipt["erasure"]["participant_id"], id.as_str());
    assert_eq!(receipt["erasure"]["erased_by_name"], "agency_admin of a");
    problem(app.post(&path, &admin_a, &asked).await, 404).await;

    // The sealed values a copy taken before holds no longer open: the key is gone.
    let db = app.db.clone();
    let (keyring, pid) = (app.keyring(), ParticipantId::from(id.as_str()));
    tokio::task::spawn_blocking(move || {
        let mut conn = db.get().unwrap();
        let keys: i64 = participant_keys::table.filter(participant_keys::participant_id.eq(pid.as_str())).count().get_result(&mut conn).unwrap();
        assert_eq!(keys, 0, "the participant's key is destroyed");
        let key = harbour::data_keys::for_reading(&mut conn, &keyring, &pid).unwrap();
        for (what, sealed, place) in &copy {
            assert!(sealed.starts_with("pk.1:"), "{what} was sealed under the participant's key");
            assert!(matches!(key.open(sealed, place), Err(harbour::crypto::CryptoError::Erased)), "{what} opens after the erasure");
            assert!(keyring.open(sealed, place).is_err(), "{what} opens with the keyring alone");
        }
    })
    .await
    .unwrap();

    // Nobody reads them again; the referral stays, without them, and B hears of it.
    problem(app.get(&format!("/api/v1/participants/{id}"), &outreach_a).await, 404).await;
    problem(app.get(&format!("/api/v1/participants/{id}/safety-plan"), &outreach_a).await, 404).await;
    problem(app.get(&format!("/api/v1/participants/{id}/own-records"), &outreach_a).await, 404).await;
    let found: Value = app.post("/api/v1/participants/search", &outreach_a, &json!({"alias": ""})).await.json().await.unwrap();
    assert_eq!(found["total_items"], 1, "only the other participant is found: {found}");
    // The kept answer that named them is gone too: sent again, the search runs afresh.
    assert_eq!(replayable_search(&app, &outreach_a, "Marigold").await, (0, false));
    assert_eq!(replayable_search(&app, &outreach_a, "Bramble").await, (1, true), "the other participant's kept answer stays");
    let db = app.db.clone();
    let kept_answers: i64 = tokio::task::spawn_blocking(move || idempotency_records::table.filter(idempotency_records::key.like("search-%")).count().get_result(&mut db.get().unwrap()).unwrap()).await.unwrap();
    assert_eq!(kept_answers, 2, "Bramble's answer and the fresh one for Marigold");
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let seen: Value = app.get(&format!("/api/v1/referrals/{referral_id}"), &intake_b).await.json().await.unwrap();
    assert!(seen.get("participant").is_none_or(Value::is_null), "{seen}");
    assert!(seen["timeline"].as_array().unwrap().iter().any(|e| e["kind"] == "redacted"));
    let thread: Vec<Value> = app.get(&format!("/api/v1/referrals/{referral_id}/messages"), &intake_b).await.json().await.unwrap();
    assert!(thread.is_empty(), "the messages about them are gone");
    let delivered = wait_for(&hook, 1).await;
    assert!(delivered[0].body.contains("referral.redacted") && delivered[0].body.contains(&referral_id));

    // The other participant is untouched.
    let other: Value = app.get(&format!("/api/v1/participants/{kept}"), &outreach_a).await.json().await.unwrap();
    assert_eq!(other["identity"]["legal_name"], CANARY);
    assert_eq!(app.get(&format!("/api/v1/participants/{kept}/safety-plan"), &outreach_a).await.status(), 200);

    // The ledger says who, when, how and why; the audit trail still verifies.
    let ledger: Value = app.get("/api/v1/erasures", &admin_a).await.json().await.unwrap();
    assert_eq!(ledger["total_items"], 1);
    assert_eq!((&ledger["contents"][0]["method"], &ledger["contents"][0]["reason"]), (&json!("in_person"), &json!("participant_request")));
    let none_of_b: Value = app.get("/api/v1/erasures", &admin_b).await.json().await.unwrap();
    assert_eq!(none_of_b["total_items"], 0, "an organization sees its own erasures");
    problem(app.get("/api/v1/erasures", &outreach_a).await, 403).await;
    let verified: Value = app.get("/api/v1/audit/verify", &app.token(Role::SystemAdmin, 'a').await).await.json().await.unwrap();
    assert_eq!(verified["intact"], true, "{verified}");

    // A backup taken now holds none of their words, nor do webhooks or metrics (canary).
    let after = dump(&app).await;
    assert!(!after.contains("Marigold"), "the alias or the message is in the database after the erasure");
    assert!(after.contains("Bramble texts after 3 pm only"), "the other participant's message is in the dump");
    for word in PLAIN {
        assert!(count(&before, word) > count(&without, word), "{word} was written for the participant");
        assert_eq!(count(&after, word), count(&without, word), "{word}: only the other participant's copies are left");
    }
    assert!(SEALED.iter().all(|w| !after.contains(w)));
    let metrics = app.client.get(format!("{}/metrics", app.base)).send().await.unwrap().text().await.unwrap();
    for delivery in &delivered {
        assert!(!delivery.body.contains("Marigold") && PLAIN.iter().chain(&SEALED).all(|w| !delivery.body.contains(w)), "{}", delivery.body);
    }
    assert!(!metrics.contains("Marigold") && !metrics.contains(&id) && PLAIN.iter().chain(&SEALED).all(|w| !metrics.contains(w)));
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let logs = String::from_utf8_lossy(&crate::audit::captured_logs().lock().unwrap()).into_owned();
    assert!(logs.contains("/api/v1/participants/{id}/erasure"), "the capture saw the server's request lines");
    assert!(!logs.contains("Marigold") && PLAIN.iter().chain(&SEALED).all(|w| !logs.contains(w)), "a log line carries what was erased");
}

/// The aliases searched with a key.
const SEARCHED: [&str; 2] = ["Marigold", "Bramble"];

/// A participant search by alias with an `Idempotency-Key` of its own: how many it found,
/// and whether the answer was a replay.
async fn replayable_search(app: &TestApp, token: &str, alias: &str) -> (u64, bool) {
    let response = app
        .request(reqwest::Method::POST, "/api/v1/participants/search")
        .bearer_auth(token)
        // Not the alias itself: keys are kept in the clear.
        .header("idempotency-key", format!("search-{}", SEARCHED.iter().position(|a| *a == alias).unwrap()))
        .json(&json!({"alias": alias}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let replayed = response.headers().contains_key("idempotent-replayed");
    let found: Value = response.json().await.unwrap();
    (found["total_items"].as_u64().unwrap(), replayed)
}

fn count(text: &str, word: &str) -> usize {
    text.matches(word).count()
}

async fn a_restored_backup_taken_before_an_erasure_does_not_bring_the_participant_back(backend: Backend) {
    let folder = std::env::temp_dir().join(format!("harbour-erasure-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&folder).unwrap();
    let ledger = folder.join("erasures.jsonl");
    let in_ledger = ledger.clone();
    let app = TestApp::spawn_with(backend, move |s| s.erasure_ledger = Some(in_ledger)).await;
    let (id, _) = participant_with_everything(&app, "Marigold").await;
    let (kept, _) = participant_with_everything(&app, "Bramble").await;
    let file = folder.join("before.backup");
    let (url, path) = (app.database_url().to_owned(), file.clone());
    tokio::task::spawn_blocking(move || harbour::backup::backup(&url, &path)).await.unwrap().unwrap();

    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let erased = app.post(&format!("/api/v1/participants/{id}/erasure"), &admin_a, &json!({"method": "written", "reason": "participant_request"})).await;
    assert_eq!(erased.status(), 201);
    let lines = std::fs::read_to_string(&ledger).unwrap();
    assert_eq!(lines.lines().count(), 1, "the erasure is in the ledger's file: {lines}");
    assert!(lines.contains(&id) && !lines.contains("Marigold") && !lines.contains(CANARY), "ids and codes only: {lines}");

    // The backup restored elsewhere (the database lost): the ledger's file re-applies it.
    let spare = SpareDatabase::create(backend).await;
    let (url, path, keyring, from) = (spare.url.clone(), file.clone(), app.keyring(), ledger.clone());
    let restored = tokio::task::spawn_blocking(move || harbour::backup::restore(&url, &path, &keyring, Some(&from))).await.unwrap().expect("restore");
    assert_eq!(restored.reapplied, 1);
    let (url, pid, kid, keyring) = (spare.url.clone(), id.clone(), kept.clone(), app.keyring());
    tokio::task::spawn_blocking(move || {
        let db = harbour::db::Db::connect(&url, 1).unwrap();
        let mut conn = db.get().unwrap();
        let (alias, erased_at): (String, Option<chrono::NaiveDateTime>) = participants::table.find(&pid).select((participants::alias, participants::erased_at)).first(&mut conn).unwrap();
        assert!(alias.is_empty() && erased_at.is_some(), "the participant is erased again");
        let keys: Vec<String> = participant_keys::table.select(participant_keys::participant_id).load(&mut conn).unwrap();
        assert_eq!(keys, std::slice::from_ref(&kid), "only the other participant's key is left");
        let plans: i64 = safety_plan_revisions::table.filter(safety_plan_revisions::participant_id.eq(&pid)).count().get_result(&mut conn).unwrap();
        assert_eq!(plans, 0);
        let entries = harbour::erasure::repo::all(&mut conn).unwrap();
        assert_eq!(entries.len(), 1);
        assert!(entries[0].reapplied_at.is_some(), "recorded as re-applied");
        let verified = harbour::audit::verify(&mut conn, &keyring).unwrap();
        assert!(verified.intact, "{verified:?}");
        let kept: String = participants::table.find(&kid).select(participants::alias).first(&mut conn).unwrap();
        assert_eq!(kept, "Bramble");
    })
    .await
    .unwrap();

    // Restored again over itself, nothing more is done; a ledger line not signed by
    // this instance's keys stops the restore rather than be skipped.
    let (url, path, keyring, from) = (spare.url.clone(), file.clone(), app.keyring(), ledger.clone());
    let again = tokio::task::spawn_blocking(move || harbour::backup::restore(&url, &path, &keyring, Some(&from))).await.unwrap().expect("restore again");
    assert_eq!(again.reapplied, 1, "the backup lacks the erasure each time it is put back");
    let forged = folder.join("forged.jsonl");
    std::fs::write(&forged, lines.replace(&id, &kept)).unwrap();
    let (url, path, keyring) = (spare.url.clone(), file.clone(), app.keyring());
    let refused = tokio::task::spawn_blocking(move || harbour::backup::restore(&url, &path, &keyring, Some(&forged))).await.unwrap();
    let message = refused.expect_err("a forged line is refused").to_string();
    assert!(message.contains("line 1") && message.contains("signature"), "{message}");
    std::fs::remove_dir_all(folder).unwrap();
}

on_both_backends!(an_erasure_destroys_the_key_and_every_copy);

mod restore {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::a_restored_backup_taken_before_an_erasure_does_not_bring_the_participant_back(harbour::db::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::a_restored_backup_taken_before_an_erasure_does_not_bring_the_participant_back(harbour::db::Backend::Postgres).await;
    }
}
