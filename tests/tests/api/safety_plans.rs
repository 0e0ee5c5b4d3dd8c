//! Safety plans: written in revisions that are all kept, sealed at rest, read by the
//! owning organization and by an organization whose active consent covers `safety` (and
//! by nobody else: another organization guessing ids, a recipient without `safety`, a
//! coordinator, an API client, a recipient after the withdrawal), every access audited
//! and in the disclosure report, and the participant's own copy exposing nothing.

use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal, CANARY};
use crate::referrals::client_token;
use crate::reminders::{app_with_mail, mails_after_sweeps};

pub(crate) fn plan(words: &str) -> Value {
    json!({
        "content": {
            "warning_signs": format!("{words}: he waits by the school"),
            "safe_people_and_places": "my aunt; the library",
            "contact_and_code_words": "text after 4 pm; \"pizza\" means call me back",
            "if_found": "go into the pharmacy and ask for Sam",
            "emergency_contacts": "911; my aunt 902-555-0199",
            "digital_safety": "location sharing off",
            "documents": "health card at my aunt's",
            "next_time": "leave earlier"
        },
        "review_on": "2027-01-15"
    })
}

async fn a_plan_is_written_in_revisions_sealed_and_kept(app: TestApp) {
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Plan holder").await;
    let path = format!("/api/v1/participants/{participant}/safety-plan");
    problem(app.get(&path, &worker).await, 404).await;
    // A write without If-Match is refused; the first plan is written against "0".
    problem(app.put(&path, &worker, None, &plan("first")).await, 428).await;
    let first = app.put(&path, &worker, Some("\"0\""), &plan(CANARY)).await;
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["etag"], "\"1\"");
    // A second worker who read nothing newer cannot overwrite it.
    problem(app.put(&path, &app.token(Role::IntakeWorker, 'a').await, Some("\"0\""), &plan("lost")).await, 412).await;
    let second: Value = app.put(&path, &worker, Some("\"1\""), &plan("second")).await.json().await.unwrap();
    assert_eq!(second["revision"], 2);
    assert_eq!(second["written_by_name"], "outreach_worker of a");

    let current = app.get(&path, &worker).await;
    assert_eq!(current.headers()["etag"], "\"2\"");
    let current: Value = current.json().await.unwrap();
    assert_eq!(current["content"]["warning_signs"], "second: he waits by the school");
    assert_eq!(current["review_on"], "2027-01-15");
    let history: Value = app.get(&format!("{path}/revisions"), &worker).await.json().await.unwrap();
    assert_eq!(history.as_array().unwrap().iter().map(|r| r["revision"].as_i64().unwrap()).collect::<Vec<_>>(), [2, 1]);
    let first_again: Value = app.get(&format!("{path}/revisions/1"), &worker).await.json().await.unwrap();
    assert_eq!(first_again["content"]["warning_signs"], format!("{CANARY}: he waits by the school"), "an earlier revision stays as written");
    problem(app.get(&format!("{path}/revisions/9"), &worker).await, 404).await;

    // At rest the words are sealed: the name is nowhere in the table's text.
    // (An UPDATE that changes nothing counts the rows it matches on both backends.)
    let matching = |text: &str| format!("UPDATE safety_plan_revisions SET id = id WHERE content_sealed LIKE '%{text}%'");
    assert_eq!(app.try_execute_sql(matching(&CANARY[..8])).await.unwrap(), 0, "the plan's words are not stored in clear");
    assert_eq!(app.try_execute_sql(matching("")).await.unwrap(), 2, "the probe counts rows");

    // Two saves of the same revision at once: one is kept, the other told to reload.
    let other = app.token(Role::IntakeWorker, 'a').await;
    let (body_one, body_two) = (plan("one"), plan("two"));
    let (one, two) = tokio::join!(app.put(&path, &worker, Some("\"2\""), &body_one), app.put(&path, &other, Some("\"2\""), &body_two));
    let mut statuses = [one.status().as_u16(), two.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412], "one revision 3, one stale");

    // Bad input writes nothing.
    let long = json!({"content": {"warning_signs": "x".repeat(4001)}});
    problem(app.put(&path, &worker, Some("\"3\""), &long).await, 422).await;
    let history: Value = app.get(&format!("{path}/revisions"), &worker).await.json().await.unwrap();
    assert_eq!(history.as_array().unwrap().len(), 3);
}

async fn only_the_owner_and_a_consent_covering_safety_see_the_plan(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let participant = record_participant(&app, &outreach_a, "Shared plan").await;
    let path = format!("/api/v1/participants/{participant}/safety-plan");
    app.put(&path, &outreach_a, Some("\"0\""), &plan("shared")).await;

    // B, guessing the id, learns nothing; nor does it with a consent that leaves `safety` out.
    let absent = problem(app.get(&path, &intake_b).await, 404).await;
    assert_eq!(absent["detail"], "no such participant");
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["information_sharing"], &["needs"])).await;
    let no_safety = problem(app.get(&path, &intake_b).await, 404).await;
    assert_eq!(no_safety["detail"], "no safety plan you may see");

    // With `safety` consented, B reads the current plan, without who wrote it, and may
    // neither write it, nor read its history, nor make the participant's copy.
    let sharing = consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["information_sharing"], &["safety"])).await;
    let seen: Value = app.get(&path, &intake_b).await.json().await.unwrap();
    assert_eq!(seen["content"]["if_found"], "go into the pharmacy and ask for Sam");
    assert!(seen.get("written_by_name").is_none(), "{seen}");
    problem(app.put(&path, &intake_b, Some("\"1\""), &plan("from b")).await, 403).await;
    problem(app.get(&format!("{path}/revisions"), &intake_b).await, 403).await;
    problem(app.get(&format!("{path}/revisions/1"), &intake_b).await, 403).await;
    problem(app.get(&format!("{path}/copy"), &intake_b).await, 403).await;

    // Coordinators, system admins and API clients never see participant data.
    for role in [Role::Coordinator, Role::SystemAdmin] {
        problem(app.get(&path, &app.token(role, 'a').await).await, 403).await;
    }
    let client = client_token(&app, 'a', &["directory:read", "referrals:read", "referrals:write"]).await;
    problem(app.get(&path, &client).await, 403).await;

    // The withdrawal takes effect on the next request.
    let revoked = app.post(&format!("/api/v1/consents/{}/revoke", sharing["id"].as_str().unwrap()), &outreach_a, &json!({"method": "phone"})).await;
    assert_eq!(revoked.status(), 200);
    problem(app.get(&path, &intake_b).await, 404).await;

    // Every access is audited, and the owner's disclosure report says who read the plan.
    let report: Value = app.get(&format!("/api/v1/participants/{participant}/disclosures"), &outreach_a).await.json().await.unwrap();
    let plan_reads: Vec<&Value> = report["disclosures"].as_array().unwrap().iter().filter(|d| d["action"] == "safety_plan.read").collect();
    assert_eq!(plan_reads.len(), 1, "B read the plan once: {report}");
    assert_eq!(plan_reads[0]["organization"]["id"], app.fixture.org_b.as_str());
    assert_eq!(plan_reads[0]["data_categories"], json!(["safety"]));
    assert_eq!(plan_reads[0]["consent_id"], sharing["id"]);
    assert!(report["disclosures"].as_array().unwrap().iter().any(|d| d["action"] == "safety_plan.write"));
}

async fn the_participants_copy_exposes_nothing(app: TestApp) {
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Copy holder").await;
    let path = format!("/api/v1/participants/{participant}/safety-plan");
    problem(app.get(&format!("{path}/copy"), &worker).await, 404).await;
    app.put(&path, &worker, Some("\"0\""), &plan("mine")).await;

    let page = app.get(&format!("{path}/copy?lang=fr"), &worker).await;
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(page.headers()["cache-control"], "no-store");
    let page = page.text().await.unwrap();
    assert!(page.contains("Mon plan") && page.contains("mine: he waits by the school") && page.contains("&quot;pizza&quot;"));
    for exposing in ["Copy holder", CANARY, "Organization A", "safety", "Harbour", "outreach_worker"] {
        assert!(!page.contains(exposing), "the copy shows {exposing:?}");
    }
    let named = app.get(&format!("{path}/copy?organization=true"), &worker).await.text().await.unwrap();
    assert!(named.contains("My plan") && named.contains("With Organization A."), "{named}");
    problem(app.get(&format!("{path}/copy?lang=de"), &worker).await, 400).await;

    let report: Value = app.get(&format!("/api/v1/participants/{participant}/disclosures"), &worker).await.json().await.unwrap();
    assert_eq!(report["disclosures"].as_array().unwrap().iter().filter(|d| d["action"] == "safety_plan.copy").count(), 2);
}

/// The current revision's review date reminds the primary contact once, by an e-mail
/// that names no one; a plan revised before its date is not reminded of the old date.
async fn a_plan_due_for_review_reminds_its_primary_contact_once(backend: Backend) {
    let (app, mails) = app_with_mail(backend, |s| s.review_sweep_ms = 150).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let users: Value = app.get(&format!("/api/v1/organizations/{}/users?per_page=100", app.fixture.org_a), &app.token(Role::AgencyAdmin, 'a').await).await.json().await.unwrap();
    let intake = users["contents"].as_array().unwrap().iter().find(|u| u["email"] == "intake_worker@org-a.test").unwrap()["id"].clone();
    let due = record_participant(&app, &worker, "Due for review").await;
    let primary = json!({"alias": "Due for review", "contact": {"primary_contact_id": intake}});
    let changed = app.put(&format!("/api/v1/participants/{due}"), &worker, Some("\"1\""), &primary).await;
    assert_eq!(changed.status(), 200, "{}", changed.text().await.unwrap());
    let mut body = plan("due");
    body["review_on"] = json!("2020-01-01");
    app.put(&format!("/api/v1/participants/{due}/safety-plan"), &worker, Some("\"0\""), &body).await;
    // Another plan's old date was replaced by a later one before it came.
    let later = record_participant(&app, &worker, "Revised in time").await;
    let path = format!("/api/v1/participants/{later}/safety-plan");
    app.put(&path, &worker, Some("\"0\""), &body).await;
    let mut revised = plan("revised");
    revised["review_on"] = json!("2099-01-01");
    app.put(&path, &worker, Some("\"1\""), &revised).await;

    // Making the intake worker the contact told them once (`handover`); the rest are reminders.
    let mails: Vec<_> = mails_after_sweeps(&mails).await.into_iter().filter(|m| m.data.contains("due for review")).collect();
    assert_eq!(mails.len(), 1, "one reminder, for the plan whose current revision is due: {mails:?}");
    assert_eq!(mails[0].recipients, ["intake_worker@org-a.test"], "the primary contact");
    // The body is quoted-printable: a long line (the link) is broken by soft line breaks.
    let text = mails[0].data.replace("=\n", "");
    assert!(text.contains(&format!("https://harbour.example.org/participants/{due}")), "{text}");
    for private in ["Due for review", CANARY, "he waits", "aunt", "safety"] {
        assert!(!text.contains(private), "the reminder says {private:?}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_plan_due_for_review_reminds_its_primary_contact_once() {
    a_plan_due_for_review_reminds_its_primary_contact_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_plan_due_for_review_reminds_its_primary_contact_once() {
    a_plan_due_for_review_reminds_its_primary_contact_once(Backend::Postgres).await;
}

on_both_backends!(a_plan_is_written_in_revisions_sealed_and_kept, only_the_owner_and_a_consent_covering_safety_see_the_plan, the_participants_copy_exposes_nothing);
