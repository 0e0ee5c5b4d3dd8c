//! Participants and consent: sealed identity, the visibility table of DOMAIN.md cell by
//! cell, consent that is never edited, revocation and expiry enforced on the next read,
//! and bad input that writes nothing.

use base64::Engine as _;
use diesel::prelude::*;
use harbour::db::schema::{consents, participants};
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

/// A name no test data contains, to look for where it must never appear.
pub const CANARY: &str = "Zebulon Quillfeather-Canary";

/// The smallest valid PNG: a drawn signature as the app sends it.
pub fn png() -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
        .unwrap()
}

/// A participant of organization A with every category filled in; returns its id.
pub async fn record_participant(app: &TestApp, token: &str, alias: &str) -> String {
    let response = app
        .post(
            "/api/v1/participants",
            token,
            &json!({
                "alias": alias, "age_band": "16_17", "pronouns": "she/her", "languages": ["en", "fr"],
                "identity": {"legal_name": CANARY, "date_of_birth": "2009-04-01", "phone": "902-555-0100", "self_description": "in my own words"},
                "contact": {"method": "text_message", "times": "after 3 pm", "instructions": "say it is the clinic", "no_voicemail": true},
                "needs": {"category_ids": [app.fixture.housing], "note": "a safe place tonight"},
                "safety": {"notes": "avoid the east end"}
            }),
        )
        .await;
    assert_eq!(response.status(), 201, "participant recorded");
    assert_eq!(response.headers()["etag"], "\"1\"");
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

/// Records a consent and returns it.
pub async fn consent(app: &TestApp, token: &str, body: Value) -> Value {
    let response = app.post("/api/v1/consents", token, &body).await;
    let status = response.status();
    let value: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "consent recorded: {value}");
    value
}

/// A verbal consent body for `participant`, naming `recipients`.
pub fn verbal(participant: &str, recipients: &[&str], purposes: &[&str], categories: &[&str]) -> Value {
    json!({
        "participant_id": participant, "method": "verbal", "witness_name": "Dana Witness",
        "purposes": purposes, "data_categories": categories, "recipient_ids": recipients, "statement_language": "en"
    })
}

async fn participants_are_recorded_sealed_and_found_by_alias(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Séverine").await;

    let own: Value = app.get(&format!("/api/v1/participants/{id}"), &outreach_a).await.json().await.unwrap();
    assert_eq!(own["identity"]["legal_name"], CANARY);
    assert_eq!(own["identity"]["date_of_birth"], "2009-04-01");
    assert_eq!(own["safety"]["notes"], "avoid the east end");
    assert_eq!(own["contact"]["no_voicemail"], true);
    assert_eq!(own["access"]["owner"], true);

    // At rest the identity and safety fields are ciphertext bound to their row and field.
    let db = app.db.clone();
    let pid = id.clone();
    let keys = harbour::crypto::Keyring::from_settings(&harbour_tests::test_settings(String::new()));
    let mut other = harbour_tests::test_settings(String::new());
    other.encryption_key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]).into();
    let other = harbour::crypto::Keyring::from_settings(&other);
    let (row, stored, key, with_other) = tokio::task::spawn_blocking(move || {
        let mut conn = db.get().unwrap();
        let row: (Option<String>, Option<String>, Option<String>) =
            participants::table.find(&pid).select((participants::legal_name_sealed, participants::phone_sealed, participants::safety_notes_sealed)).first(&mut conn).unwrap();
        let participant = harbour_types::ParticipantId::from(pid.as_str());
        let stored = harbour::data_keys::stored(&mut conn, &participant).unwrap().unwrap();
        (row, stored, harbour::data_keys::for_reading(&mut conn, &keys, &participant).unwrap(), harbour::data_keys::for_reading(&mut conn, &other, &participant).is_err())
    })
    .await
    .unwrap();
    let sealed = [row.0.unwrap(), row.1.unwrap(), row.2.unwrap()];
    // Each value under the participant's own key, that key under the keyring's.
    assert!(sealed.iter().all(|s| s.starts_with("pk.1:")));
    assert!(stored.starts_with("dev-1:"));
    // What sealing promises: each opens to its plaintext only with the key, its row and
    // its field. (Random ciphertext in base64 may contain any short string, "555" too.)
    let bound = |field: &str| format!("participants/{id}/{field}");
    for (sealed, field, plain) in [(&sealed[0], "legal_name", CANARY), (&sealed[1], "phone", "902-555-0100"), (&sealed[2], "safety_notes", "avoid the east end")] {
        assert_eq!(key.open_text(Some(sealed), &bound(field)).unwrap().as_deref(), Some(plain), "{field}");
        assert!(!sealed.contains(plain), "{field} in the clear");
        assert!(key.open(sealed, &bound("date_of_birth")).is_err(), "{field} opened as another field");
        assert!(key.open(sealed, &format!("participants/someone-else/{field}")).is_err(), "{field} opened as another row's");
    }
    assert!(with_other, "the participant's key opened with another keyring");

    // Alias search ignores case and accents, and stays within the organization.
    let search = |token: String, alias: &'static str| {
        let app = &app;
        async move { app.post("/api/v1/participants/search", &token, &json!({"alias": alias})).await.json::<Value>().await.unwrap() }
    };
    let found = search(outreach_a.clone(), "severine").await;
    assert_eq!(found["total_items"], 1);
    assert_eq!(found["contents"][0]["id"], id.as_str());
    assert!(found["contents"][0].get("identity").is_none(), "a list shows the profile only");
    assert_eq!(search(outreach_a.clone(), "nobody").await["total_items"], 0);
    let outreach_b = app.token(Role::OutreachWorker, 'b').await;
    assert_eq!(search(outreach_b.clone(), "sev").await["total_items"], 0, "another organization's participants are not listed");

    // Another organization guessing the id learns nothing; an admin of the owner sees all.
    problem(app.get(&format!("/api/v1/participants/{id}"), &outreach_b).await, 404).await;
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    assert_eq!(app.get(&format!("/api/v1/participants/{id}"), &admin_a).await.status(), 200);
    let intake_a = app.token(Role::IntakeWorker, 'a').await;
    assert_eq!(app.get(&format!("/api/v1/participants/{id}"), &intake_a).await.status(), 200);
}

async fn coordinators_and_system_admins_never_see_participant_data(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Sky").await;
    let consent = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs"])).await;
    let consent_id = consent["id"].as_str().unwrap();
    for (role, org) in [(Role::Coordinator, 'a'), (Role::SystemAdmin, 'a'), (Role::Coordinator, 'b'), (Role::SystemAdmin, 'b')] {
        let token = app.token(role, org).await;
        for path in [
            format!("/api/v1/participants/{id}"),
            format!("/api/v1/participants/{id}/consents"),
            format!("/api/v1/participants/{id}/disclosures"),
            format!("/api/v1/consents/{consent_id}"),
        ] {
            let body = problem(app.get(&path, &token).await, 403).await;
            assert_eq!(body["code"], "forbidden", "{role:?} of {org} on {path}");
        }
        problem(app.post("/api/v1/participants/search", &token, &json!({})).await, 403).await;
        problem(app.post("/api/v1/participants", &token, &json!({"alias": "X"})).await, 403).await;
    }
}

async fn a_recipient_sees_only_the_consented_categories(app: TestApp) {
    let org_c = app.organization_c().await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "River").await;
    let path = format!("/api/v1/participants/{id}");
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let intake_c = app.token(Role::IntakeWorker, 'c').await;

    // Before any consent, B and C see nothing.
    problem(app.get(&path, &intake_b).await, 404).await;

    // A referral-only consent lets a referral carry a snapshot; it does not open the record.
    let referral_only = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    problem(app.get(&path, &intake_b).await, 404).await;

    // Information sharing of needs and contact with B: B sees those, and the profile.
    let sharing = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs", "contact"])).await;
    let seen: Value = app.get(&path, &intake_b).await.json().await.unwrap();
    assert_eq!(seen["alias"], "River");
    assert_eq!(seen["pronouns"], "she/her");
    assert_eq!(seen["needs"]["note"], "a safe place tonight");
    assert_eq!(seen["contact"]["times"], "after 3 pm");
    for absent in ["identity", "safety"] {
        assert!(seen.get(absent).is_none(), "{absent} must be absent from the response: {seen}");
    }
    assert!(!seen.to_string().contains(CANARY));
    assert_eq!(seen["access"]["owner"], false);
    assert_eq!(seen["access"]["categories"], json!(["contact", "needs"]));
    assert_eq!(seen["access"]["consent_ids"], json!([sharing["id"]]));

    // The list "shared with us" shows it to B, not to C.
    let shared: Value = app.post("/api/v1/participants/search", &intake_b, &json!({"shared_with_us": true})).await.json().await.unwrap();
    assert_eq!(shared["total_items"], 1);
    assert_eq!(shared["contents"][0]["organization_name"], "Organization A");
    let not_shared: Value = app.post("/api/v1/participants/search", &intake_c, &json!({"shared_with_us": true})).await.json().await.unwrap();
    assert_eq!(not_shared["total_items"], 0);

    // C is named nowhere: the participant and the consents do not exist for it.
    problem(app.get(&path, &intake_c).await, 404).await;
    problem(app.get(&format!("{path}/consents"), &intake_c).await, 404).await;
    problem(app.get(&format!("/api/v1/consents/{}", sharing["id"].as_str().unwrap()), &intake_c).await, 404).await;

    // A second consent adds identity for B: the union applies.
    consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b, &org_c], &["case_conference"], &["identity"])).await;
    let seen: Value = app.get(&path, &intake_b).await.json().await.unwrap();
    assert_eq!(seen["identity"]["legal_name"], CANARY);
    assert!(seen.get("safety").is_none());
    let seen_c: Value = app.get(&path, &intake_c).await.json().await.unwrap();
    assert!(seen_c.get("needs").is_none() && seen_c.get("contact").is_none());
    assert_eq!(seen_c["identity"]["phone"], "902-555-0100");

    // A recipient sees that consents exist and their scope — not the statement, the
    // witness, who recorded them, the evidence, or the other recipients.
    let listed: Vec<Value> = app.get(&format!("{path}/consents"), &intake_c).await.json().await.unwrap();
    assert_eq!(listed.len(), 1, "C sees only the consent naming it");
    let scope = &listed[0];
    assert_eq!(scope["purposes"], json!(["case_conference"]));
    assert_eq!(scope["recipients"], json!([{"id": org_c, "name": "Organization C"}]));
    for absent in ["statement_text", "witness_name", "recorded_by_name", "evidence"] {
        assert!(scope.get(absent).is_none(), "{absent} is for the owner only");
    }
    let listed_b: Vec<Value> = app.get(&format!("{path}/consents"), &intake_b).await.json().await.unwrap();
    assert_eq!(listed_b.len(), 3, "B is named by all three");
    assert!(listed_b.iter().any(|c| c["id"] == referral_only["id"]));
    let owner_list: Vec<Value> = app.get(&format!("{path}/consents"), &outreach_a).await.json().await.unwrap();
    assert_eq!(owner_list.len(), 3);
    assert!(owner_list.iter().all(|c| c["statement_text"].as_str().is_some_and(|t| t.starts_with("I agree that Organization A may share"))));
    assert!(owner_list.iter().all(|c| c["witness_name"] == "Dana Witness"));

    // A recipient changes nothing and reads no report (C is a recipient by now, too).
    let body = json!({"alias": "Changed"});
    problem(app.put(&path, &intake_b, Some("\"1\""), &body).await, 403).await;
    problem(app.put(&path, &intake_c, Some("\"1\""), &body).await, 403).await;
    problem(app.get(&format!("{path}/disclosures"), &intake_b).await, 403).await;
    let revoke = json!({"method": "phone"});
    problem(app.post(&format!("/api/v1/consents/{}/revoke", sharing["id"].as_str().unwrap()), &intake_b, &revoke).await, 403).await;
}

async fn revocation_and_expiry_cut_access_on_the_next_request(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let id = record_participant(&app, &outreach_a, "Robin").await;
    let path = format!("/api/v1/participants/{id}");
    let given = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs"])).await;
    let consent_id = given["id"].as_str().unwrap().to_owned();
    assert_eq!(given["status"], "active");
    assert_eq!(app.get(&path, &intake_b).await.status(), 200);

    let revoked = app.post(&format!("/api/v1/consents/{consent_id}/revoke"), &outreach_a, &json!({"method": "text_message", "note": "texted at 2 am"})).await;
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.unwrap();
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["revocation"]["method"], "text_message");
    assert_eq!(revoked["revocation"]["recorded_by_name"], "outreach_worker of a");

    // The very next request of the recipient finds nothing.
    problem(app.get(&path, &intake_b).await, 404).await;
    let shared: Value = app.post("/api/v1/participants/search", &intake_b, &json!({"shared_with_us": true})).await.json().await.unwrap();
    assert_eq!(shared["total_items"], 0);
    // It still sees that the consent naming it was revoked, without the owner's note.
    let seen: Value = app.get(&format!("/api/v1/consents/{consent_id}"), &intake_b).await.json().await.unwrap();
    assert_eq!(seen["status"], "revoked");
    assert!(seen["revocation"].get("note").is_none());

    let again = problem(app.post(&format!("/api/v1/consents/{consent_id}/revoke"), &outreach_a, &json!({"method": "phone"})).await, 409).await;
    assert_eq!(again["code"], "already_revoked");

    // Expiry is enforced at read time: no job needs to run.
    let second = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs"])).await;
    assert_eq!(app.get(&path, &intake_b).await.status(), 200);
    let second_id = second["id"].as_str().unwrap().to_owned();
    let db = app.db.clone();
    let expired_id = second_id.clone();
    tokio::task::spawn_blocking(move || {
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1);
        diesel::update(consents::table.find(expired_id)).set(consents::expires_at.eq(past)).execute(&mut db.get().unwrap()).unwrap()
    })
    .await
    .unwrap();
    problem(app.get(&path, &intake_b).await, 404).await;
    let expired: Value = app.get(&format!("/api/v1/consents/{second_id}"), &outreach_a).await.json().await.unwrap();
    assert_eq!(expired["status"], "expired");
    let not_active = problem(app.post(&format!("/api/v1/consents/{second_id}/revoke"), &outreach_a, &json!({"method": "phone"})).await, 409).await;
    assert_eq!(not_active["code"], "consent_not_active");
}

async fn a_consent_is_never_edited_but_superseded(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let id = record_participant(&app, &outreach_a, "Lake").await;
    let first = consent(&app, &outreach_a, verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs", "contact"])).await;
    let first_id = first["id"].as_str().unwrap().to_owned();

    // There is no way to change a consent in place.
    let put = app.put(&format!("/api/v1/consents/{first_id}"), &outreach_a, Some("\"1\""), &json!({"purposes": ["referral"]})).await;
    assert_eq!(put.status(), 405);

    // The participant narrows it: a new consent supersedes the old one.
    let mut narrower = verbal(&id, &[&app.fixture.org_b], &["information_sharing"], &["needs"]);
    narrower["supersedes_id"] = json!(first_id);
    narrower["statement_language"] = json!("fr");
    let second = consent(&app, &outreach_a, narrower.clone()).await;
    assert_eq!(second["supersedes_id"], first_id.as_str());
    assert!(second["statement_text"].as_str().unwrap().starts_with("J'accepte que Organization A communique"));
    let old: Value = app.get(&format!("/api/v1/consents/{first_id}"), &outreach_a).await.json().await.unwrap();
    assert_eq!(old["status"], "superseded");
    assert_eq!(old["superseded_by_id"], second["id"]);
    assert_eq!(old["data_categories"], json!(["contact", "needs"]), "the old consent's content is unchanged");

    let seen: Value = app.get(&format!("/api/v1/participants/{id}"), &intake_b).await.json().await.unwrap();
    assert!(seen.get("contact").is_none(), "the superseded consent no longer counts");
    assert!(seen.get("needs").is_some());

    let twice = problem(app.post("/api/v1/consents", &outreach_a, &narrower).await, 409).await;
    assert_eq!(twice["code"], "consent_not_active");
}

async fn the_statement_read_back_is_the_statement_stored(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Ash").await;
    let expires_at = "2030-01-15T16:00:00Z";
    let scope = json!({
        "language": "fr", "purposes": ["referral"], "data_categories": ["needs"],
        "recipient_ids": [app.fixture.org_b], "expires_at": expires_at
    });
    let preview: Value = app.post("/api/v1/consent-statements", &outreach_a, &scope).await.json().await.unwrap();
    let mut body = verbal(&id, &[&app.fixture.org_b], &["referral"], &["needs"]);
    body["statement_language"] = json!("fr");
    body["expires_at"] = json!(expires_at);
    let stored = consent(&app, &outreach_a, body).await;
    assert_eq!(stored["statement_text"], preview["text"]);
    assert!(preview["text"].as_str().unwrap().contains("jusqu'au 2030-01-15"));
}

async fn bad_consent_input_is_refused_and_writes_nothing(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let outreach_b = app.token(Role::OutreachWorker, 'b').await;
    let id = record_participant(&app, &outreach_a, "Wren").await;
    let org_b = app.fixture.org_b.clone();
    let base = verbal(&id, &[&org_b], &["referral"], &["needs"]);
    let with = |key: &str, value: Value| {
        let mut body = base.clone();
        body[key] = value;
        body
    };
    let paper = |media_type: &str, bytes: &[u8]| {
        let mut body = with("method", json!("paper_form"));
        body["evidence"] = json!({"media_type": media_type, "data_base64": base64::engine::general_purpose::STANDARD.encode(bytes)});
        body
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        ("no recipients", with("recipient_ids", json!([])), "/recipient_ids"),
        ("no purposes", with("purposes", json!([])), "/purposes"),
        ("no categories", with("data_categories", json!([])), "/data_categories"),
        ("an expiry in the past", with("expires_at", json!("2020-01-01T00:00:00Z")), "/expires_at"),
        ("given in the future", with("given_at", json!("2999-01-01T00:00:00Z")), "/given_at"),
        ("verbal without a witness", with("witness_name", Value::Null), "/witness_name"),
        ("an unknown recipient", with("recipient_ids", json!(["no-such-organization"])), "/recipient_ids/0"),
        ("its own organization as recipient", with("recipient_ids", json!([app.fixture.org_a])), "/recipient_ids/0"),
        ("a paper form without its photo", with("method", json!("paper_form")), "/evidence"),
        ("evidence that is not an image or PDF", paper("image/png", b"MZ\x90\x00 an executable"), "/evidence"),
        ("evidence whose content is not its declared type", paper("image/jpeg", &png()), "/evidence"),
    ];
    for (what, body, pointer) in cases {
        let refused = problem(app.post("/api/v1/consents", &outreach_a, &body).await, 422).await;
        assert!(refused["errors"].as_array().unwrap().iter().any(|e| e["pointer"] == pointer), "{what}: {refused}");
    }
    let unknown_purpose = problem(app.post("/api/v1/consents", &outreach_a, &with("purposes", json!(["marketing"]))).await, 422).await;
    assert_eq!(unknown_purpose["code"], "validation");

    // Too large: over 5 MB of evidence.
    let huge = paper("image/jpeg", &vec![0xff; 5 * 1024 * 1024 + 10]);
    let too_large = app.post("/api/v1/consents", &outreach_a, &huge).await;
    assert!([413, 422].contains(&too_large.status().as_u16()), "an oversized file is refused: {}", too_large.status());

    // Another organization's participant is not there for B to record consent for.
    problem(app.post("/api/v1/consents", &outreach_b, &verbal(&id, &[&app.fixture.org_a], &["referral"], &["needs"])).await, 404).await;

    let listed: Vec<Value> = app.get(&format!("/api/v1/participants/{id}/consents"), &outreach_a).await.json().await.unwrap();
    assert!(listed.is_empty(), "nothing was written: {listed:?}");

    // A bad participant body, too.
    let bad = app.post("/api/v1/participants", &outreach_a, &json!({"alias": "", "birth_year": 3000})).await;
    problem(bad, 422).await;
    let unknown_need = app.post("/api/v1/participants", &outreach_a, &json!({"alias": "X", "needs": {"category_ids": ["nope"]}})).await;
    let unknown_need = problem(unknown_need, 422).await;
    assert_eq!(unknown_need["errors"][0]["pointer"], "/needs/category_ids/0");
    let found: Value = app.post("/api/v1/participants/search", &outreach_a, &json!({})).await.json().await.unwrap();
    assert_eq!(found["total_items"], 1, "only the participant recorded at the start");
}

async fn evidence_is_sealed_hashed_and_for_the_owner_only(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let id = record_participant(&app, &outreach_a, "Fern").await;
    let signature = png();
    let body = json!({
        "participant_id": id, "method": "electronic_signature",
        "purposes": ["information_sharing"], "data_categories": ["needs"], "recipient_ids": [app.fixture.org_b],
        "statement_language": "en",
        "evidence": {"media_type": "image/png", "data_base64": base64::engine::general_purpose::STANDARD.encode(&signature)}
    });
    let recorded = consent(&app, &outreach_a, body).await;
    use sha2::Digest as _;
    let expected: String = sha2::Sha256::digest(&signature).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(recorded["evidence"]["sha256"], expected.as_str());
    assert_eq!(recorded["evidence"]["media_type"], "image/png");
    let consent_id = recorded["id"].as_str().unwrap();

    let download = app.get(&format!("/api/v1/consents/{consent_id}/evidence"), &outreach_a).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "image/png");
    assert_eq!(download.headers()["cache-control"], "no-store");
    assert_eq!(download.bytes().await.unwrap().to_vec(), signature);

    problem(app.get(&format!("/api/v1/consents/{consent_id}/evidence"), &intake_b).await, 403).await;
    let seen: Value = app.get(&format!("/api/v1/consents/{consent_id}"), &intake_b).await.json().await.unwrap();
    assert!(seen.get("evidence").is_none());

    let db = app.db.clone();
    let cid = consent_id.to_owned();
    let sealed: String = tokio::task::spawn_blocking(move || {
        use harbour::db::schema::consent_evidence;
        consent_evidence::table.find(cid).select(consent_evidence::sealed).first(&mut db.get().unwrap()).unwrap()
    })
    .await
    .unwrap();
    let plain = base64::engine::general_purpose::STANDARD.encode(&signature);
    assert!(sealed.starts_with("pk.1:") && !sealed.contains(&plain[8..40]), "sealed under the participant's key");
}

async fn a_participant_changes_only_with_the_version_read(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let id = record_participant(&app, &outreach_a, "Moss").await;
    let path = format!("/api/v1/participants/{id}");
    let change = json!({"alias": "Moss", "pronouns": "they/them", "contact": {"method": "phone_call", "no_voicemail": true}});
    problem(app.put(&path, &outreach_a, None, &change).await, 428).await;
    let changed = app.put(&path, &outreach_a, Some("\"1\""), &change).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(changed.headers()["etag"], "\"2\"");
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["pronouns"], "they/them");
    assert!(changed["identity"].get("legal_name").is_none(), "a replacement without identity clears it");
    problem(app.put(&path, &outreach_a, Some("\"1\""), &change).await, 412).await;
}

on_both_backends!(
    participants_are_recorded_sealed_and_found_by_alias,
    coordinators_and_system_admins_never_see_participant_data,
    a_recipient_sees_only_the_consented_categories,
    revocation_and_expiry_cut_access_on_the_next_request,
    a_consent_is_never_edited_but_superseded,
    the_statement_read_back_is_the_statement_stored,
    bad_consent_input_is_refused_and_writes_nothing,
    evidence_is_sealed_hashed_and_for_the_owner_only,
    a_participant_changes_only_with_the_version_read,
);
