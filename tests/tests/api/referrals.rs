//! Referrals: consent-checked sending with a snapshot of only the consented categories,
//! the life cycle with its 409s, 412s and 428s, the inbox, and redaction on revocation.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal, CANARY};

/// A service of organization B that takes referrals; returns its id.
pub(crate) async fn service_of_b(app: &TestApp) -> String {
    let admin = app.token(Role::AgencyAdmin, 'b').await;
    let body = json!({"name": "Youth housing", "description": "Rooms for youth.", "category_ids": [app.fixture.housing]});
    let created = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin, &body).await;
    assert_eq!(created.status(), 201);
    created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

pub(crate) fn referral(participant: &str, service: &str, send: bool) -> Value {
    json!({
        "participant_id": participant, "service_id": service, "urgency": "same_day",
        "needs": {"note": "a room this week"}, "safe_contact_instructions": "text only",
        "participant_confirmed": true, "send": send
    })
}

/// A step with the ETag read.
pub(crate) async fn step(app: &TestApp, token: &str, id: &str, version: &str, body: Value) -> reqwest::Response {
    app.request(reqwest::Method::POST, &format!("/api/v1/referrals/{id}/transitions")).bearer_auth(token).header("if-match", version).json(&body).send().await.unwrap()
}

async fn sending_needs_a_consent_and_shares_only_its_categories(app: TestApp) {
    app.organization_c().await;
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Nova").await;

    let refused = problem(app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await, 409).await;
    assert_eq!(refused["code"], "consent_required");
    assert!(refused["detail"].as_str().unwrap().contains("Organization B"), "the problem names the missing consent: {refused}");
    // An information-sharing consent is not a referral consent.
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["information_sharing"], &["identity"])).await;
    problem(app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await, 409).await;
    let mut unconfirmed = referral(&participant, &service, true);
    unconfirmed["participant_confirmed"] = json!(false);
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs", "contact"])).await;
    let unconfirmed = problem(app.post("/api/v1/referrals", &outreach_a, &unconfirmed).await, 422).await;
    assert_eq!(unconfirmed["errors"][0]["pointer"], "/participant_confirmed");

    let sent = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await;
    assert_eq!(sent.status(), 201);
    let sent: Value = sent.json().await.unwrap();
    assert_eq!(sent["status"], "sent");
    assert_eq!(sent["fhir_status"], "requested");
    assert!(sent["due_at"].as_str().is_some());
    assert_eq!(sent["participant_id"], participant.as_str());
    let id = sent["id"].as_str().unwrap();

    // The receiver sees the snapshot of the referral consent's categories, nothing else.
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let received: Value = app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await.json().await.unwrap();
    assert_eq!(received["status"], "received");
    let shared = &received["participant"];
    assert_eq!(shared["alias"], "Nova");
    assert_eq!(shared["needs"]["note"], "a safe place tonight");
    assert_eq!(shared["contact"]["times"], "after 3 pm");
    assert!(shared.get("identity").is_none() && shared.get("safety").is_none(), "only consented categories: {shared}");
    assert!(!received.to_string().contains(CANARY));
    assert!(received.get("participant_id").is_none(), "the receiver gets the snapshot, not the sender's record id");
    let kinds: Vec<&str> = received["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "sent", "received"]);

    // Nobody else sees it: another organization, coordinators, the receiver's admin of
    // another partner.
    let intake_c = app.token(Role::IntakeWorker, 'c').await;
    problem(app.get(&format!("/api/v1/referrals/{id}"), &intake_c).await, 404).await;
    let coordinator_b = app.token(Role::Coordinator, 'b').await;
    problem(app.get(&format!("/api/v1/referrals/{id}"), &coordinator_b).await, 403).await;
}

async fn the_life_cycle_is_enforced_step_by_step(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let participant = record_participant(&app, &outreach_a, "Orion").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;

    // A draft is the sender's alone until it is sent.
    let draft: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, false)).await.json().await.unwrap();
    assert_eq!(draft["status"], "draft");
    let id = draft["id"].as_str().unwrap().to_owned();
    problem(app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await, 404).await;
    let sent = step(&app, &outreach_a, &id, "\"1\"", json!({"action": "send"})).await;
    assert_eq!(sent.status(), 200);
    let etag = sent.headers()["etag"].to_str().unwrap().to_owned();

    let opened = app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await;
    let version = opened.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(version, etag, "opening it marked it received");

    // The wrong side, a missing or stale version, an illegal step, a missing reason.
    problem(step(&app, &outreach_a, &id, &version, json!({"action": "accept"})).await, 403).await;
    problem(step(&app, &intake_b, &id, &version, json!({"action": "withdraw"})).await, 403).await;
    let missing = app.post(&format!("/api/v1/referrals/{id}/transitions"), &intake_b, &json!({"action": "accept"})).await;
    problem(missing, 428).await;
    problem(step(&app, &intake_b, &id, &etag, json!({"action": "accept"})).await, 412).await;
    let illegal = problem(step(&app, &intake_b, &id, &version, json!({"action": "complete", "outcome": "successful"})).await, 409).await;
    assert_eq!(illegal["code"], "illegal_transition");
    let detail = illegal["detail"].as_str().unwrap();
    assert!(detail.contains("received") && detail.contains("accept, decline, withdraw"), "{detail}");
    problem(step(&app, &intake_b, &id, &version, json!({"action": "decline"})).await, 422).await;

    let accepted = step(&app, &intake_b, &id, &version, json!({"action": "accept", "note": "we have a room"})).await;
    assert_eq!(accepted.status(), 200);
    let version = accepted.headers()["etag"].to_str().unwrap().to_owned();
    let started = step(&app, &intake_b, &id, &version, json!({"action": "start"})).await;
    let version = started.headers()["etag"].to_str().unwrap().to_owned();
    let no_reason = problem(step(&app, &intake_b, &id, &version, json!({"action": "complete", "outcome": "unsuccessful"})).await, 422).await;
    assert_eq!(no_reason["errors"][0]["pointer"], "/reason");
    let closed = step(&app, &intake_b, &id, &version, json!({"action": "complete", "outcome": "unsuccessful", "reason": "unable_to_contact"})).await;
    assert_eq!(closed.status(), 200);
    let closed: Value = closed.json().await.unwrap();
    assert_eq!(closed["status"], "completed");
    assert_eq!(closed["reason"], "unable_to_contact");
    let kinds: Vec<&str> = closed["timeline"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["created", "sent", "received", "accepted", "started", "completed"]);
    assert_eq!(closed["timeline"][3]["note"], "we have a room");
    assert_eq!(closed["timeline"][3]["actor_name"], "intake_worker of b");

    let fhir = app.get(&format!("/api/v1/referrals/{id}/fhir"), &outreach_a).await;
    assert_eq!(fhir.headers()["content-type"], "application/fhir+json");
    let task: Value = fhir.json().await.unwrap();
    assert_eq!(task["resourceType"], "Task");
    assert_eq!(task["status"], "completed");
    assert_eq!(task["priority"], "asap");
    assert_eq!(task["statusReason"]["coding"][0]["code"], "unable_to_contact");
    let request = &task["contained"][1];
    assert_eq!(request["resourceType"], "ServiceRequest");
    assert_eq!(request["code"]["text"], "Youth housing");
    assert_eq!(task["owner"]["display"], "Organization B");
    // R4 requires the ServiceRequest's subject: a contained Patient with a reference and
    // nothing else — the participant's id for the sender, one of this referral for the receiver.
    assert_eq!((&request["subject"], &task["for"]), (&json!({"reference": "#subject"}), &json!({"reference": "#subject"})));
    assert_eq!(task["contained"][0], json!({"resourceType": "Patient", "id": "subject", "identifier": [{"system": "urn:harbour:participant", "value": participant}]}));
    let received: Value = app.get(&format!("/api/v1/referrals/{id}/fhir"), &intake_b).await.json().await.unwrap();
    assert_eq!(received["contained"][0]["identifier"], json!([{"system": "urn:harbour:referral-subject", "value": id}]));
    assert!(!task.to_string().contains("Orion") && !received.to_string().contains("Orion"), "no identity in the FHIR view");

    let done = problem(step(&app, &outreach_a, &id, &format!("\"{}\"", closed["version"]), json!({"action": "withdraw"})).await, 409).await;
    assert!(done["detail"].as_str().unwrap().contains("none: it is closed"));
}

async fn the_inbox_puts_overdue_referrals_first(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Lyra").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let mut ids = Vec::new();
    for urgency in ["routine", "emergency", "soon"] {
        let mut body = referral(&participant, &service, true);
        body["urgency"] = json!(urgency);
        let sent: Value = app.post("/api/v1/referrals", &outreach_a, &body).await.json().await.unwrap();
        ids.push(sent["id"].as_str().unwrap().to_owned());
    }
    let draft: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, false)).await.json().await.unwrap();
    // The routine one has waited past its due time.
    app.execute_sql(format!("UPDATE referrals SET due_at = '2020-01-01 00:00:00' WHERE id = '{}'", ids[0])).await;

    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let inbox: Value = app.get("/api/v1/referrals?box=received", &intake_b).await.json().await.unwrap();
    let order: Vec<&str> = inbox["contents"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(order, [ids[0].as_str(), ids[1].as_str(), ids[2].as_str()], "overdue first, then emergency, then soon; no drafts");
    assert_eq!(inbox["contents"][0]["overdue"], true);
    assert!(inbox["contents"][0].get("participant").is_none(), "lists carry no participant details");
    let overdue: Value = app.get("/api/v1/referrals?box=received&overdue=true", &intake_b).await.json().await.unwrap();
    assert_eq!(overdue["total_items"], 1);
    let emergencies: Value = app.get("/api/v1/referrals?box=received&urgency=emergency", &intake_b).await.json().await.unwrap();
    assert_eq!(emergencies["total_items"], 1);

    let outbox: Value = app.get("/api/v1/referrals?box=sent&status=draft", &outreach_a).await.json().await.unwrap();
    assert_eq!(outbox["total_items"], 1);
    assert_eq!(outbox["contents"][0]["id"], draft["id"]);
    let nothing: Value = app.get("/api/v1/referrals?box=received", &outreach_a).await.json().await.unwrap();
    assert_eq!(nothing["total_items"], 0);
    problem(app.get("/api/v1/referrals?box=everything", &outreach_a).await, 400).await;
}

/// The totals of an inbox or outbox as a whole or by status come from tallies the
/// database keeps as referrals change (migration 18): they must match what is listed.
async fn inbox_and_outbox_totals_follow_every_change(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let participant = record_participant(&app, &outreach_a, "Mira").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let mut ids = Vec::new();
    for send in [true, true, true, false] {
        let created: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, send)).await.json().await.unwrap();
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    // Opened (received), then accepted; another opened and declined.
    for (id, answer) in [(&ids[0], json!({"action": "accept"})), (&ids[1], json!({"action": "decline", "reason": "no_capacity"}))] {
        let opened = app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await;
        let version = opened.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(step(&app, &intake_b, id, &version, answer).await.status(), 200);
    }
    let totals = |token: String, query: &'static str| {
        let app = &app;
        async move {
            let page: Value = app.get(&format!("/api/v1/referrals?{query}&per_page=100"), &token).await.json().await.unwrap();
            assert_eq!(page["total_items"].as_u64().unwrap(), page["contents"].as_array().unwrap().len() as u64, "{query}: the total counts what is listed");
            page["total_items"].as_u64().unwrap()
        }
    };
    let expect = [
        (&intake_b, "box=received", 3),
        (&intake_b, "box=received&status=accepted", 1),
        (&intake_b, "box=received&status=declined", 1),
        (&intake_b, "box=received&status=sent", 1),
        (&intake_b, "box=received&status=draft", 0),
        (&intake_b, "box=sent", 0),
        (&outreach_a, "box=sent", 4),
        (&outreach_a, "box=sent&status=draft", 1),
        (&outreach_a, "box=sent&status=received", 0),
        (&outreach_a, "box=received", 0),
    ];
    for (token, query, total) in expect {
        assert_eq!(totals(token.clone(), query).await, total, "{query}");
    }
    // A referral removed behind the API's back (by hand, by an operator) leaves the totals too.
    app.execute_sql(format!("DELETE FROM referral_events WHERE referral_id = '{}'", ids[2])).await;
    app.execute_sql(format!("DELETE FROM referrals WHERE id = '{}'", ids[2])).await;
    assert_eq!(totals(intake_b.clone(), "box=received").await, 2);
    assert_eq!(totals(intake_b.clone(), "box=received&status=sent").await, 0);
    assert_eq!(totals(outreach_a.clone(), "box=sent").await, 3);
}

async fn revoking_the_consent_redacts_referrals_already_sent(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let participant = record_participant(&app, &outreach_a, "Vega").await;
    let given = consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs", "identity"])).await;
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    let id = sent["id"].as_str().unwrap();
    let before: Value = app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await.json().await.unwrap();
    assert_eq!(before["participant"]["identity"]["legal_name"], CANARY);

    let revoked = app.post(&format!("/api/v1/consents/{}/revoke", given["id"].as_str().unwrap()), &outreach_a, &json!({"method": "in_person"})).await;
    assert_eq!(revoked.status(), 200);
    let after: Value = app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await.json().await.unwrap();
    assert!(after.get("participant").is_none(), "the participant part is gone: {after}");
    assert_eq!(after["participant_redacted"], true);
    assert_eq!(after["status"], "received", "the referral itself stays");
    assert!(!after.to_string().contains(CANARY));
    let last = after["timeline"].as_array().unwrap().iter().rev().find(|e| e["kind"] == "redacted");
    assert!(last.is_some(), "the timeline records the redaction: {}", after["timeline"]);
    let db = app.db.clone();
    let rid = id.to_owned();
    let snapshot: Option<String> = tokio::task::spawn_blocking(move || {
        use diesel::prelude::*;
        use harbour::db::schema::referrals;
        referrals::table.find(rid).select(referrals::snapshot_sealed).first(&mut db.get().unwrap()).unwrap()
    })
    .await
    .unwrap();
    assert!(snapshot.is_none(), "the sealed snapshot is deleted, not just hidden");
}

async fn messages_assignment_and_counts_stay_between_the_two_sides(app: TestApp) {
    app.organization_c().await;
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let intake_c = app.token(Role::IntakeWorker, 'c').await;
    let participant = record_participant(&app, &outreach_a, "Rigel").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    let id = sent["id"].as_str().unwrap();

    let counts: Value = app.get("/api/v1/referrals/counts", &intake_b).await.json().await.unwrap();
    assert_eq!(counts["unopened"], 1);
    let path = format!("/api/v1/referrals/{id}/messages");
    let written = app.post(&path, &outreach_a, &json!({"body": "She prefers texts after 3 pm."})).await;
    assert_eq!(written.status(), 201);
    app.post(&path, &intake_b, &json!({"body": "Thanks, we will text."})).await;
    let thread: Vec<Value> = app.get(&path, &intake_b).await.json().await.unwrap();
    assert_eq!(thread.len(), 2);
    assert_eq!(thread[0]["organization"]["name"], "Organization A");
    assert_eq!(thread[1]["author_name"], "intake_worker of b");
    problem(app.get(&path, &intake_c).await, 404).await;
    problem(app.post(&path, &intake_c, &json!({"body": "hello"})).await, 404).await;
    problem(app.post(&path, &outreach_a, &json!({"body": "  "})).await, 422).await;

    let opened = app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await;
    let version = opened.headers()["etag"].to_str().unwrap().to_owned();
    let counts: Value = app.get("/api/v1/referrals/counts", &intake_b).await.json().await.unwrap();
    assert_eq!(counts["unopened"], 0);
    let me: Value = app.get("/api/v1/me", &intake_b).await.json().await.unwrap();
    let assign = |token: String, body: Value, version: String| {
        let app = &app;
        async move { app.put(&format!("/api/v1/referrals/{id}/assignee"), &token, Some(&version), &body).await }
    };
    problem(assign(outreach_a.clone(), json!({"user_id": me["id"]}), version.clone()).await, 403).await;
    let stranger: Value = app.get("/api/v1/me", &outreach_a).await.json().await.unwrap();
    problem(assign(intake_b.clone(), json!({"user_id": stranger["id"]}), version.clone()).await, 422).await;
    let assigned = assign(intake_b.clone(), json!({"user_id": me["id"]}), version.clone()).await;
    assert_eq!(assigned.status(), 200);
    let assigned: Value = assigned.json().await.unwrap();
    assert_eq!(assigned["assignee"]["name"], "intake_worker of b");
    assert_eq!(assigned["participant"]["alias"], "Rigel", "the answer carries the snapshot");
    let mine: Value = app.get("/api/v1/referrals?box=received&assignee=me", &intake_b).await.json().await.unwrap();
    assert_eq!(mine["total_items"], 1);
    let by_service: Value = app.get(&format!("/api/v1/referrals?box=received&service_id={service}"), &intake_b).await.json().await.unwrap();
    assert_eq!(by_service["total_items"], 1);
    problem(assign(intake_b.clone(), json!({"user_id": null}), version).await, 412).await;

    // Messages are audited like every other access.
    let admin = app.token(Role::SystemAdmin, 'a').await;
    let events: Value = app.get(&format!("/api/v1/audit/events?participant_id={participant}&per_page=100"), &admin).await.json().await.unwrap();
    let messages = events["contents"].as_array().unwrap().iter().filter(|e| e["action"] == "referral.message").count();
    assert_eq!(messages, 2);
    // The assignment answered with the snapshot: its audit event says what that disclosed.
    let assignment = events["contents"].as_array().unwrap().iter().find(|e| e["action"] == "referral.update").expect("the assignment is audited");
    assert_eq!(assignment["data_categories"], json!(["needs"]), "{assignment}");
}

async fn unanswered_referrals_expire(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Sirius").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let older: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    let old: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    let fresh: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    app.execute_sql(format!("UPDATE referrals SET sent_at = '2019-01-01 00:00:00' WHERE id = '{}'", older["id"].as_str().unwrap())).await;
    app.execute_sql(format!("UPDATE referrals SET sent_at = '2020-01-01 00:00:00' WHERE id = '{}'", old["id"].as_str().unwrap())).await;
    // A batch at a time (here of one), the longest waiting first.
    let expire_one = || {
        let db = app.db.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = db.get().unwrap();
            harbour::db::transaction(&mut conn, |conn| harbour::referrals::service::expire_unanswered(conn, chrono::Duration::days(14), 1)).unwrap()
        })
    };
    assert_eq!(expire_one().await.unwrap(), 1);
    let older: Value = app.get(&format!("/api/v1/referrals/{}", older["id"].as_str().unwrap()), &outreach_a).await.json().await.unwrap();
    assert_eq!(older["status"], "expired");
    assert_eq!(expire_one().await.unwrap(), 1);
    assert_eq!(expire_one().await.unwrap(), 0, "the fresh one stays");
    let old: Value = app.get(&format!("/api/v1/referrals/{}", old["id"].as_str().unwrap()), &outreach_a).await.json().await.unwrap();
    assert_eq!(old["status"], "expired");
    assert_eq!(old["fhir_status"], "failed");
    assert_eq!(old["timeline"].as_array().unwrap().last().unwrap()["actor_name"], "Harbour");
    let fresh: Value = app.get(&format!("/api/v1/referrals/{}", fresh["id"].as_str().unwrap()), &outreach_a).await.json().await.unwrap();
    assert_eq!(fresh["status"], "sent");
}

/// A client of organization `org` with these scopes; returns its access token.
pub(crate) async fn client_token(app: &TestApp, org: char, scopes: &[&str]) -> String {
    let admin = app.token(Role::AgencyAdmin, org).await;
    let organization = if org == 'a' { &app.fixture.org_a } else { &app.fixture.org_b };
    let created: Value = app.post(&format!("/api/v1/organizations/{organization}/api-clients"), &admin, &json!({"name": format!("Case system {org}"), "scopes": scopes})).await.json().await.unwrap();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", created["client"]["client_id"].as_str().unwrap()),
        ("client_secret", created["client_secret"].as_str().unwrap()),
    ];
    let token: Value = app.request(reqwest::Method::POST, "/api/v1/auth/token").form(&form).send().await.unwrap().json().await.unwrap();
    token["access_token"].as_str().unwrap().to_owned()
}

async fn partner_systems_use_referrals_with_their_scopes(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Cassio").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;

    // A's case system writes the referral; B's reads it, snapshot included, and answers.
    let writer_a = client_token(&app, 'a', &["referrals:write", "referrals:read"]).await;
    let sent = app.post("/api/v1/referrals", &writer_a, &referral(&participant, &service, true)).await;
    assert_eq!(sent.status(), 201);
    let sent: Value = sent.json().await.unwrap();
    assert_eq!(sent["from_user_name"], "Case system a");
    let id = sent["id"].as_str().unwrap();
    let reader_b = client_token(&app, 'b', &["referrals:read"]).await;
    let inbox: Value = app.get("/api/v1/referrals?box=received", &reader_b).await.json().await.unwrap();
    assert_eq!(inbox["total_items"], 1);
    let read = app.get(&format!("/api/v1/referrals/{id}"), &reader_b).await;
    let version = read.headers()["etag"].to_str().unwrap().to_owned();
    let read: Value = read.json().await.unwrap();
    assert_eq!(read["participant"]["needs"]["note"], "a safe place tonight");
    assert_eq!(read["timeline"][0]["actor_name"], "Case system a");
    problem(step(&app, &reader_b, id, &version, json!({"action": "accept"})).await, 403).await;
    let writer_b = client_token(&app, 'b', &["referrals:write"]).await;
    assert_eq!(step(&app, &writer_b, id, &version, json!({"action": "accept"})).await.status(), 200);

    // Without the scope, nothing; directory-only clients see no referral.
    let directory_only = client_token(&app, 'b', &["directory:read"]).await;
    problem(app.get("/api/v1/referrals?box=received", &directory_only).await, 403).await;
    problem(app.get(&format!("/api/v1/referrals/{id}"), &directory_only).await, 403).await;
    // Clients never reach participant records.
    problem(app.get(&format!("/api/v1/participants/{participant}"), &writer_a).await, 403).await;

    // The disclosure report names the system that received the participant's data.
    let report: Value = app.get(&format!("/api/v1/participants/{participant}/disclosures"), &outreach_a).await.json().await.unwrap();
    assert!(report["disclosures"].as_array().unwrap().iter().any(|d| d["actor_name"] == "Case system b" && d["action"] == "referral.read"));
}

/// A referral sent while its consent is being withdrawn waits for the withdrawal and is
/// refused: it never goes out under a consent withdrawn a moment before, past the
/// withdrawal's redaction of the referrals already sent.
async fn a_referral_sent_during_a_withdrawal_waits_for_it_and_is_refused(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Lyra").await;
    let given = consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;

    // The withdrawal, written and not yet committed, on a connection of its own.
    let (written, written_here) = std::sync::mpsc::channel();
    let (commit, commit_there) = std::sync::mpsc::channel::<()>();
    let (db, consent_id) = (app.db.clone(), given["id"].as_str().unwrap().to_owned());
    let withdrawal = std::thread::spawn(move || {
        use diesel::RunQueryDsl;
        let mut conn = db.get().unwrap();
        harbour::db::transaction(&mut conn, |conn| {
            diesel::sql_query(format!("UPDATE consents SET revoked_at = CURRENT_TIMESTAMP WHERE id = '{consent_id}'")).execute(conn)?;
            written.send(()).unwrap();
            commit_there.recv().unwrap();
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();
    });
    tokio::task::spawn_blocking(move || written_here.recv().unwrap()).await.unwrap();

    let sending = tokio::spawn(app.request(reqwest::Method::POST, "/api/v1/referrals").bearer_auth(&outreach_a).json(&referral(&participant, &service, true)).send());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!sending.is_finished(), "the referral waits for the withdrawal under way");
    commit.send(()).unwrap();
    withdrawal.join().unwrap();
    let refused = problem(sending.await.unwrap().unwrap(), 409).await;
    assert_eq!(refused["code"], "consent_required");
}

/// The sent box, narrowed to one participant (a plan's step picks among their
/// referrals); the received box refuses the filter, so a receiver cannot ask by an id it
/// was never given.
async fn the_sent_box_narrows_to_one_participant(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let vega = record_participant(&app, &outreach_a, "Vega").await;
    let lyra = record_participant(&app, &outreach_a, "Lyra").await;
    for participant in [&vega, &lyra] {
        consent(&app, &outreach_a, verbal(participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    }
    let mut sent = Vec::new();
    for participant in [&vega, &lyra, &vega] {
        let made: Value = app.post("/api/v1/referrals", &outreach_a, &referral(participant, &service, true)).await.json().await.unwrap();
        sent.push(made["id"].as_str().unwrap().to_owned());
    }
    let page: Value = app.get(&format!("/api/v1/referrals?box=sent&participant_id={vega}"), &outreach_a).await.json().await.unwrap();
    let mut ids: Vec<&str> = page["contents"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    let mut expected = vec![sent[0].as_str(), sent[2].as_str()];
    expected.sort_unstable();
    assert_eq!((ids, page["total_items"].as_u64()), (expected, Some(2)), "Vega's two referrals, counted as they are listed");
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    problem(app.get(&format!("/api/v1/referrals?box=received&participant_id={vega}"), &intake_b).await, 400).await;
    // Another organization's participant: nothing of theirs is in one's own sent box.
    let outreach_b = app.token(Role::OutreachWorker, 'b').await;
    let page: Value = app.get(&format!("/api/v1/referrals?box=sent&participant_id={vega}"), &outreach_b).await.json().await.unwrap();
    assert_eq!(page["total_items"], 0);
}

on_both_backends!(
    the_sent_box_narrows_to_one_participant,
    partner_systems_use_referrals_with_their_scopes,
    a_referral_sent_during_a_withdrawal_waits_for_it_and_is_refused,
    unanswered_referrals_expire,
    messages_assignment_and_counts_stay_between_the_two_sides,
    sending_needs_a_consent_and_shares_only_its_categories,
    the_life_cycle_is_enforced_step_by_step,
    the_inbox_puts_overdue_referrals_first,
    inbox_and_outbox_totals_follow_every_change,
    revoking_the_consent_redacts_referrals_already_sent,
);
