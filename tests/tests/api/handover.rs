//! The primary contact: picked among the organization's frontline colleagues, handed over
//! on the participant's record, each hand-over kept for the owning organization alone,
//! and the new contact told by an e-mail that names no one.

use harbour::db::Backend;
use harbour_tests::problem;
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, verbal, CANARY};
use crate::referrals::{referral, service_of_b};
use crate::reminders::{app_with_mail, mails_after_sweeps};

async fn a_primary_contact_is_picked_handed_over_and_told(backend: Backend) {
    let (app, mails) = app_with_mail(backend, |_| {}).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;

    // The picker: A's active frontline staff, by name; never B's, never a coordinator.
    let colleagues: Vec<Value> = app.get("/api/v1/colleagues", &outreach_a).await.json().await.unwrap();
    let names: Vec<&str> = colleagues.iter().map(|c| c["display_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["agency_admin of a", "intake_worker of a", "outreach_worker of a"]);
    let id_of = |name: &str| colleagues.iter().find(|c| c["display_name"] == name).unwrap()["id"].as_str().unwrap().to_owned();
    let (me, intake) = (id_of("outreach_worker of a"), id_of("intake_worker of a"));
    problem(app.get("/api/v1/colleagues", &app.token(Role::Coordinator, 'a').await).await, 403).await;

    // Recorded with myself as contact: kept, nobody told.
    let mut body = json!({"alias": "Juniper", "age_band": "16_17", "identity": {"legal_name": CANARY},
        "contact": {"method": "text_message", "instructions": "say it is the clinic", "primary_contact_id": me}});
    let created = app.post("/api/v1/participants", &outreach_a, &body).await;
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let history = format!("/api/v1/participants/{id}/primary-contacts");
    let kept: Vec<Value> = app.get(&history, &outreach_a).await.json().await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0]["to_name"].as_str(), kept[0].get("from_user_id")), (Some("outreach_worker of a"), None));

    // Handed over to the intake worker: kept, and they are told, without a word of the case.
    body["contact"]["primary_contact_id"] = json!(intake);
    let changed = app.put(&format!("/api/v1/participants/{id}"), &outreach_a, Some("\"1\""), &body).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(changed.json::<Value>().await.unwrap()["contact"]["primary_contact_name"], "intake_worker of a");
    let kept: Vec<Value> = app.get(&history, &outreach_a).await.json().await.unwrap();
    assert_eq!(kept.len(), 2);
    assert_eq!((kept[1]["from_name"].as_str(), kept[1]["to_name"].as_str(), kept[1]["changed_by_name"].as_str()), (Some("outreach_worker of a"), Some("intake_worker of a"), Some("outreach_worker of a")));
    let sent = mails_after_sweeps(&mails).await;
    assert_eq!(sent.len(), 1, "one notice, to the new contact only");
    assert_eq!(sent[0].recipients, ["intake_worker@org-a.test"]);
    // Quoted-printable: soft line breaks joined.
    let text = sent[0].data.replace("=\n", "");
    assert!(text.contains(&format!("https://harbour.example.org/participants/{id}")), "{text}");
    assert!(["Juniper", CANARY, "clinic"].iter().all(|w| !text.contains(w)), "the notice names no one: {text}");

    // Saving without a change hands nothing over.
    assert_eq!(app.put(&format!("/api/v1/participants/{id}"), &outreach_a, Some("\"2\""), &body).await.status(), 200);
    assert_eq!(app.get(&history, &outreach_a).await.json::<Vec<Value>>().await.unwrap().len(), 2);

    // A referral names the coordinator to both sides, the receiver while what was shared holds.
    let given = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["referral"], &["contact", "needs"])).await;
    let service = service_of_b(&app).await;
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&id, &service, true)).await.json().await.unwrap();
    assert_eq!(sent["primary_contact"]["name"], "intake_worker of a", "{sent}");
    let referral_path = format!("/api/v1/referrals/{}", sent["id"].as_str().unwrap());
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let received: Value = app.get(&referral_path, &intake_b).await.json().await.unwrap();
    assert_eq!(received["primary_contact"]["id"].as_str(), Some(intake.as_str()));
    let revoked = app.post(&format!("/api/v1/consents/{}/revoke", given["id"].as_str().unwrap()), &outreach_a, &json!({"method": "in_person"})).await;
    assert!(revoked.status().is_success());
    let received: Value = app.get(&referral_path, &intake_b).await.json().await.unwrap();
    assert!(received.get("primary_contact").is_none(), "withdrawn: {received}");
    let kept_by_sender: Value = app.get(&referral_path, &outreach_a).await.json().await.unwrap();
    assert_eq!(kept_by_sender["primary_contact"]["name"], "intake_worker of a");

    // Only the owner: another organization, even one the participant shared with, gets 404.
    problem(app.get(&history, &app.token(Role::OutreachWorker, 'b').await).await, 404).await;
    problem(app.get(&history, &app.token(Role::Coordinator, 'a').await).await, 403).await;
    // Nor can a coordinator of A, who never sees participants: the picker's rule holds on the server.
    let staff: Value = app.get(&format!("/api/v1/organizations/{}/users?per_page=100", app.fixture.org_a), &app.token(Role::AgencyAdmin, 'a').await).await.json().await.unwrap();
    let coordinator = staff["contents"].as_array().unwrap().iter().find(|u| u["email"] == "coordinator@org-a.test").unwrap()["id"].clone();
    body["contact"]["primary_contact_id"] = coordinator;
    problem(app.put(&format!("/api/v1/participants/{id}"), &outreach_a, Some("\"3\""), &body).await, 422).await;
    // A colleague of another organization cannot be made the contact.
    let outreach_b: Vec<Value> = app.get("/api/v1/colleagues", &app.token(Role::OutreachWorker, 'b').await).await.json().await.unwrap();
    body["contact"]["primary_contact_id"] = outreach_b[0]["id"].clone();
    problem(app.put(&format!("/api/v1/participants/{id}"), &outreach_a, Some("\"3\""), &body).await, 422).await;

    // Reading the history is in the participant's disclosure report.
    let report: Value = app.get(&format!("/api/v1/participants/{id}/disclosures"), &outreach_a).await.json().await.unwrap();
    assert!(report.to_string().contains("participant.read"), "{report}");

    // An erasure takes the history with it.
    let erased = app.post(&format!("/api/v1/participants/{id}/erasure"), &app.token(Role::AgencyAdmin, 'a').await, &json!({"method": "in_person", "reason": "participant_request"})).await;
    assert_eq!(erased.status(), 201);
    let db = app.db.clone();
    let left: i64 = tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use harbour::db::schema::primary_contact_changes;
        primary_contact_changes::table.filter(primary_contact_changes::participant_id.eq(&id)).count().get_result(&mut db.get().unwrap()).unwrap()
    })
    .await
    .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn sqlite() {
    a_primary_contact_is_picked_handed_over_and_told(Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres() {
    a_primary_contact_is_picked_handed_over_and_told(Backend::Postgres).await;
}
