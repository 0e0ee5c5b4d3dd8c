//! A participant's own records: everything held about them, as JSON and as a page in
//! English and French, for the organization that holds their record only, audited and in
//! their disclosure report.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal, CANARY};
use crate::referrals::{client_token, referral, service_of_b};
use crate::safety_plans::plan;

async fn the_copy_holds_every_category_and_only_its_owner_makes_it(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Juniper").await;
    // A consent to B, a referral to B that shared a snapshot under it, two plan revisions.
    let given = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["referral", "information_sharing"], &["identity", "contact", "needs", "safety"])).await;
    let service = service_of_b(&app).await;
    let sent = app.post("/api/v1/referrals", &outreach_a, &referral(&id, &service, true)).await;
    assert_eq!(sent.status(), 201);
    let written = app.put(&format!("/api/v1/participants/{id}/safety-plan"), &outreach_a, Some("\"0\""), &plan("first")).await;
    assert_eq!(written.status(), 200);
    assert_eq!(app.put(&format!("/api/v1/participants/{id}/safety-plan"), &outreach_a, Some("\"1\""), &plan("second")).await.status(), 200);
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    assert_eq!(app.get(&format!("/api/v1/participants/{id}"), &intake_b).await.status(), 200, "B reads what the consent shares");

    let response = app.get(&format!("/api/v1/participants/{id}/own-records"), &outreach_a).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let records: Value = response.json().await.unwrap();
    // Every category of data held: identity, contact, needs, safety, consent, referral, plan.
    let participant = &records["participant"];
    assert_eq!(participant["identity"]["legal_name"], CANARY);
    assert_eq!(participant["contact"]["instructions"], "say it is the clinic");
    assert_eq!(participant["needs"]["note"], "a safe place tonight");
    assert_eq!(participant["safety"]["notes"], "avoid the east end");
    assert_eq!(records["consents"][0]["id"], given["id"]);
    assert_eq!(records["consents"][0]["witness_name"], "Dana Witness");
    let shared = &records["referrals"][0];
    assert_eq!(shared["to_organization"]["name"], "Organization B");
    assert_eq!(shared["participant"]["identity"]["legal_name"], CANARY, "what the referral shared is part of what is held");
    let revisions: Vec<&str> = records["safety_plan"].as_array().unwrap().iter().map(|r| r["content"]["warning_signs"].as_str().unwrap()).collect();
    assert_eq!(revisions, ["first: he waits by the school", "second: he waits by the school"]);
    // Who saw what: B's read is there, and making this copy is the last line.
    let disclosures = records["disclosures"].as_array().unwrap();
    assert!(disclosures.iter().any(|d| d["organization"]["name"] == "Organization B" && d["action"] == "participant.read"));
    let last = disclosures.last().unwrap();
    assert_eq!((&last["action"], &last["organization"]["name"]), (&json!("own_records.produce"), &json!("Organization A")));

    // The same as a page, in English and in French.
    for (lang, title, heading) in [("en", "<title>Your records</title>", "Who saw your information"), ("fr", "<title>Vos dossiers</title>", "Qui a vu vos renseignements")] {
        let page = app.get(&format!("/api/v1/participants/{id}/own-records?format=html&lang={lang}"), &outreach_a).await;
        assert_eq!(page.status(), 200);
        assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
        let html = page.text().await.unwrap();
        assert!(html.contains(title) && html.contains(heading), "{html}");
        for held in [CANARY, "say it is the clinic", "a safe place tonight", "avoid the east end", "Dana Witness", "Organization B", "second: he waits by the school", "Housing"] {
            let held = if lang == "fr" && held == "Housing" { "Logement" } else { held };
            assert!(html.contains(held), "{lang}: {held} missing from the page");
        }
        assert!(!html.contains("<script") && !html.contains("http"), "nothing loaded or linked");
    }
    problem(app.get(&format!("/api/v1/participants/{id}/own-records?format=pdf"), &outreach_a).await, 400).await;
    problem(app.get(&format!("/api/v1/participants/{id}/own-records?lang=de"), &outreach_a).await, 400).await;

    // Nobody else: the recipient organization, which sees a consented part, is refused;
    // once the consent is withdrawn it, like any organization guessing the id, finds
    // nothing; coordinators and partner systems are refused.
    problem(app.get(&format!("/api/v1/participants/{id}/own-records"), &intake_b).await, 403).await;
    let withdrawn = app.post(&format!("/api/v1/consents/{}/revoke", given["id"].as_str().unwrap()), &outreach_a, &json!({"method": "phone"})).await;
    assert_eq!(withdrawn.status(), 200);
    problem(app.get(&format!("/api/v1/participants/{id}/own-records"), &intake_b).await, 404).await;
    let outreach_b = app.token(Role::OutreachWorker, 'b').await;
    problem(app.get(&format!("/api/v1/participants/{id}/own-records"), &outreach_b).await, 404).await;
    problem(app.get(&format!("/api/v1/participants/{id}/own-records"), &app.token(Role::Coordinator, 'a').await).await, 403).await;
    let client = client_token(&app, 'a', &["referrals:read", "referrals:write"]).await;
    problem(app.get(&format!("/api/v1/participants/{id}/own-records"), &client).await, 403).await;
    problem(app.get("/api/v1/participants/no-such-participant/own-records", &outreach_a).await, 404).await;
}

on_both_backends!(the_copy_holds_every_category_and_only_its_owner_makes_it);
