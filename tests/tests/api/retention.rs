//! The retention sweep erases exactly what the partnership's policy names, and nothing
//! else, once, with two instances sweeping: an inactive participant told long enough
//! ago; evidence kept past its period after the consent ended; a snapshot kept past its
//! period after the referral closed. A notice goes out once and names no one; activity
//! after a notice voids it.

use chrono::{Duration, Utc};
use diesel::prelude::*;
use harbour::db::schema::{audit_events, consent_evidence, erasures, participants, referrals};
use harbour::db::Backend;
use harbour_tests::TestApp;
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, png, record_participant, verbal, CANARY};
use crate::referrals::{referral, service_of_b};
use crate::reminders::app_with_mail;

/// A stored timestamp `ago` before now, as both databases read a literal.
fn ago(ago: Duration) -> String {
    (Utc::now() - ago).naive_utc().format("'%Y-%m-%d %H:%M:%S%.6f'").to_string()
}

fn years(n: i64) -> Duration {
    Duration::days(365 * n + n / 4)
}

/// A participant whose record last changed `inactive` ago, told `noticed` ago (if at all).
async fn participant_from(app: &TestApp, token: &str, alias: &str, inactive: Duration, noticed: Option<Duration>) -> String {
    let id = record_participant(app, token, alias).await;
    let notice = noticed.map_or("NULL".to_owned(), ago);
    app.execute_sql(format!("UPDATE participants SET created_at = {when}, updated_at = {when}, retention_notice_at = {notice} WHERE id = '{id}'", when = ago(inactive))).await;
    id
}

/// A consent of `participant` to B with an evidence file; returns its id.
async fn consent_with_evidence(app: &TestApp, token: &str, participant: &str) -> String {
    use base64::Engine as _;
    let mut body = verbal(participant, &[&app.fixture.org_b], &["referral"], &["needs"]);
    body["method"] = json!("paper_form");
    body["evidence"] = json!({"media_type": "image/png", "data_base64": base64::engine::general_purpose::STANDARD.encode(png())});
    consent(app, token, body).await["id"].as_str().unwrap().to_owned()
}

async fn retention_erases_what_the_policy_names_once(backend: Backend) {
    let ledger_file = std::env::temp_dir().join(format!("harbour-ledger-{}.jsonl", uuid::Uuid::new_v4().simple()));
    let in_ledger = ledger_file.clone();
    let (app, mails) = app_with_mail(backend, move |s| {
        s.erasure_ledger = Some(in_ledger);
        s.retention_sweep_ms = 250;
        s.retention_inactive_years = 7;
        s.retention_notice_days = 30;
        s.retention_evidence_days = 730;
        s.retention_snapshot_days = 180;
    })
    .await;
    let second = app.second_instance().await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;

    // Participants: due (inactive 8 years, told 31 days ago), to be told (inactive 8
    // years), told but active since (a consent today), told before their last activity
    // (a stale notice), and recent.
    let due = participant_from(&app, &outreach_a, "Aster", years(8), Some(Duration::days(31))).await;
    let to_tell = participant_from(&app, &outreach_a, "Birch", years(8), None).await;
    let voided = participant_from(&app, &outreach_a, "Cedar", years(8), Some(Duration::days(31))).await;
    consent(&app, &outreach_a, verbal(&voided, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let stale = participant_from(&app, &outreach_a, "Elm", years(8), Some(years(9))).await;
    // Told, but their plan moved today: a goal set is activity.
    let planning = participant_from(&app, &outreach_a, "Fir", years(8), Some(Duration::days(31))).await;
    let goal = app.post(&format!("/api/v1/participants/{planning}/plan/goals"), &outreach_a, &json!({"domain": "education", "title": "back to school"})).await;
    assert_eq!(goal.status(), 201);
    let recent = record_participant(&app, &outreach_a, "Dahlia").await;
    // Told, but a case conference about them was convened today.
    let conferred = participant_from(&app, &outreach_a, "Gorse", years(8), Some(Duration::days(31))).await;
    consent(&app, &outreach_a, verbal(&conferred, &[&app.fixture.org_b], &["case_conference"], &["case_notes"])).await;
    app.execute_sql(format!("UPDATE consents SET given_at = {} WHERE participant_id = '{conferred}'", ago(years(8)))).await;
    let convened = app.post(&format!("/api/v1/participants/{conferred}/conferences"), &outreach_a, &json!({"starts_at": "2027-01-05T15:00:00Z", "minutes": 60, "invited": [{"organization_id": app.fixture.org_b}]})).await;
    assert_eq!(convened.status(), 201);

    // Evidence: withdrawn 3 years ago (deleted), withdrawn a year ago and active (kept).
    let old_consent = consent_with_evidence(&app, &outreach_a, &recent).await;
    let young_consent = consent_with_evidence(&app, &outreach_a, &recent).await;
    for (consent_id, when) in [(&old_consent, years(3)), (&young_consent, years(1))] {
        assert_eq!(app.post(&format!("/api/v1/consents/{consent_id}/revoke"), &outreach_a, &json!({"method": "phone"})).await.status(), 200);
        app.execute_sql(format!("UPDATE consents SET revoked_at = {} WHERE id = '{consent_id}'", ago(when))).await;
    }
    let active_consent = consent_with_evidence(&app, &outreach_a, &recent).await;

    // Snapshots: closed 200 days ago (dropped), 100 days ago and open (kept).
    let service = service_of_b(&app).await;
    let mut sent = Vec::new();
    for _ in 0..3 {
        let made: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&recent, &service, true)).await.json().await.unwrap();
        sent.push(made["id"].as_str().unwrap().to_owned());
    }
    for (id, days) in [(&sent[0], 200), (&sent[1], 100)] {
        app.execute_sql(format!("UPDATE referrals SET status = 'completed', outcome = 'successful', closed_at = {} WHERE id = '{id}'", ago(Duration::days(days)))).await;
    }

    // Both instances sweep; wait for the work, then a few more passes.
    let db = app.db.clone();
    let (pid, rid) = (due.clone(), sent[0].clone());
    let mut done = false;
    for _ in 0..80 {
        let (db, pid, rid) = (db.clone(), pid.clone(), rid.clone());
        done = tokio::task::spawn_blocking(move || {
            let mut conn = db.get().unwrap();
            let erased: Option<chrono::NaiveDateTime> = participants::table.find(&pid).select(participants::erased_at).first(&mut conn).unwrap();
            let snapshot: Option<String> = referrals::table.find(&rid).select(referrals::snapshot_sealed).first(&mut conn).unwrap();
            erased.is_some() && snapshot.is_none()
        })
        .await
        .unwrap();
        if done {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(done, "the sweep erased the participant due and dropped the old snapshot");
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;

    let db = app.db.clone();
    let ids = [due.clone(), to_tell.clone(), voided.clone(), stale.clone(), recent.clone(), planning.clone(), conferred.clone()];
    let consents = [old_consent.clone(), young_consent.clone(), active_consent.clone()];
    let referral_ids = sent.clone();
    let (states, evidence, snapshots, ledger, erase_events) = tokio::task::spawn_blocking(move || {
        let mut conn = db.get().unwrap();
        let states: Vec<(bool, Option<chrono::NaiveDateTime>)> = ids
            .iter()
            .map(|id| {
                let (erased, notice): (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>) =
                    participants::table.find(id).select((participants::erased_at, participants::retention_notice_at)).first(&mut conn).unwrap();
                (erased.is_some(), notice)
            })
            .collect();
        let evidence: Vec<bool> = consents
            .iter()
            .map(|id| diesel::select(diesel::dsl::exists(consent_evidence::table.find(id))).get_result(&mut conn).unwrap())
            .collect();
        let snapshots: Vec<bool> = referral_ids.iter().map(|id| referrals::table.find(id).select(referrals::snapshot_sealed).first::<Option<String>>(&mut conn).unwrap().is_some()).collect();
        let ledger: Vec<(String, String, String, Option<String>)> =
            erasures::table.select((erasures::participant_id, erasures::method, erasures::reason, erasures::erased_by)).load(&mut conn).unwrap();
        let erase_events: Vec<(String, String)> =
            audit_events::table.filter(audit_events::action.eq("participant.erase")).select((audit_events::entity_id, audit_events::actor_kind)).load(&mut conn).unwrap();
        (states, evidence, snapshots, ledger, erase_events)
    })
    .await
    .unwrap();

    let now = Utc::now().naive_utc();
    let fresh = |notice: Option<chrono::NaiveDateTime>| notice.is_some_and(|n| now - n < Duration::minutes(5));
    assert!(states[0].0, "Aster, inactive and told 31 days ago, is erased");
    assert!(!states[1].0 && fresh(states[1].1), "Birch is told, not erased: {:?}", states[1]);
    assert!(!states[2].0 && !fresh(states[2].1), "Cedar, active since the notice, is neither erased nor told again: {:?}", states[2]);
    assert!(!states[3].0 && fresh(states[3].1), "Elm's notice predates its last activity: told again, not erased: {:?}", states[3]);
    assert!(!states[4].0 && states[4].1.is_none(), "Dahlia is untouched");
    assert!(!states[5].0 && !fresh(states[5].1), "Fir, whose plan moved since the notice, is neither erased nor told again: {:?}", states[5]);
    assert!(!states[6].0 && !fresh(states[6].1), "Gorse, about whom a conference was convened since the notice, is neither erased nor told again: {:?}", states[6]);
    assert_eq!(evidence, [false, true, true], "only the evidence of the consent withdrawn 3 years ago is deleted");
    assert_eq!(snapshots, [false, true, true], "only the snapshot of the referral closed 200 days ago is dropped");
    assert_eq!(ledger, [(due.clone(), "retention".to_owned(), "retention_period".to_owned(), None)], "one erasure, by Harbour");
    assert_eq!(erase_events, [(due.clone(), "harbour".to_owned())], "erased once, across two instances");
    let lines = std::fs::read_to_string(&ledger_file).unwrap();
    assert!(lines.lines().count() == 1 && lines.contains(&due) && lines.contains("retention_period"), "the ledger's file has the erasure, once: {lines}");
    let _ = std::fs::remove_file(&ledger_file);

    // The referral's timeline says why its participant part went, once.
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let seen: Value = app.get(&format!("/api/v1/referrals/{}", sent[0]), &intake_b).await.json().await.unwrap();
    assert_eq!(seen["timeline"].as_array().unwrap().iter().filter(|e| e["kind"] == "redacted").count(), 1, "{seen}");

    // Two notices (Birch, Elm), each once, to A's agency admin, naming no one.
    // (Gorse's conference sent its invitations; they are not notices.)
    let mails: Vec<_> = mails.lock().unwrap().iter().filter(|m| !m.data.contains("text/calendar")).cloned().collect();
    // Quoted-printable: soft line breaks joined.
    let texts: Vec<String> = mails.iter().map(|m| m.data.replace("=\n", "")).collect();
    for (id, alias) in [(&to_tell, "Birch"), (&stale, "Elm")] {
        let about: Vec<usize> = (0..mails.len()).filter(|&i| texts[i].contains(&format!("/participants/{id}"))).collect();
        assert_eq!(about.len(), 1, "one notice about {alias}: {mails:?}");
        assert_eq!(mails[about[0]].recipients, [harbour_tests::Fixture::email(Role::AgencyAdmin, 'a')]);
        let text = &texts[about[0]];
        assert!(!text.contains(alias) && !text.contains(CANARY) && text.contains("Organization A"), "{text}");
    }
    assert_eq!(mails.len(), 2, "{mails:?}");

    // What each instance did adds up to what was done.
    let mut totals = std::collections::BTreeMap::<String, u64>::new();
    for base in [app.base.clone(), second] {
        let text = app.client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
        for line in text.lines().filter(|l| l.starts_with("harbour_retention_total{")) {
            let (series, value) = line.rsplit_once(' ').unwrap();
            *totals.entry(series.to_owned()).or_default() += value.parse::<u64>().unwrap();
        }
    }
    let total = |done: &str| totals[&format!("harbour_retention_total{{done=\"{done}\"}}")];
    assert_eq!((total("participants_erased"), total("participants_noticed"), total("evidence_files_deleted"), total("snapshots_dropped")), (1, 2, 1, 1), "{totals:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_retention_erases_what_the_policy_names_once() {
    retention_erases_what_the_policy_names_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_retention_erases_what_the_policy_names_once() {
    retention_erases_what_the_policy_names_once(Backend::Postgres).await;
}
