//! The FHIR view of a referral (`/referrals/{id}/fhir`) validated by an outside
//! validator: the FHIR R4B models of fhir.resources (PyPI; R4B changed nothing of Task or
//! ServiceRequest since R4), which check every element's type, cardinality and required
//! elements, contained resources included; the codes of the required bindings (Task and
//! ServiceRequest status, intent, priority) are checked against the spec's value sets,
//! which those models leave open. At every step of the life cycle, for both sides.

use harbour_tests::{on_both_backends, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal};
use crate::referrals::{referral, service_of_b, step};

on_both_backends!(the_fhir_view_validates_at_every_step);

/// The checker: the R4B models, then the required bindings' value sets (FHIR R4).
const CHECK: &str = r#"
import json, sys
from fhir.resources.R4B.task import Task
from fhir.resources.R4B.servicerequest import ServiceRequest
TASK_STATUS = {"draft", "requested", "received", "accepted", "rejected", "ready", "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error"}
TASK_INTENT = {"unknown", "proposal", "plan", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"}
REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
REQUEST_INTENT = {"proposal", "plan", "directive", "order", "original-order", "reflex-order", "filler-order", "instance-order", "option"}
PRIORITY = {"routine", "urgent", "asap", "stat"}
problems = []
for path in sys.argv[1:]:
    resource = json.load(open(path))
    try:
        Task.parse_obj(resource)
    except Exception as e:
        problems.append(f"{path}: {e}")
        continue
    def check(value, allowed, what):
        if value is not None and value not in allowed:
            problems.append(f"{path}: {what} {value!r} is not in its value set")
    check(resource.get("status"), TASK_STATUS, "Task.status")
    check(resource.get("intent"), TASK_INTENT, "Task.intent")
    check(resource.get("priority"), PRIORITY, "Task.priority")
    for contained in resource.get("contained", []):
        if contained.get("resourceType") == "ServiceRequest":
            ServiceRequest.parse_obj(contained)
            check(contained.get("status"), REQUEST_STATUS, "ServiceRequest.status")
            check(contained.get("intent"), REQUEST_INTENT, "ServiceRequest.intent")
            check(contained.get("priority"), PRIORITY, "ServiceRequest.priority")
print("\n".join(problems))
sys.exit(1 if problems else 0)
"#;

/// Runs the checker over these FHIR resources; fails with what it found.
fn assert_valid_fhir(resources: &[(String, Value)]) {
    let python = std::env::var("HARBOUR_PYTHON").expect("HARBOUR_PYTHON names the Python with fhir.resources: run the tests with `cargo xtask test`");
    let folder = std::env::temp_dir().join(format!("harbour-fhir-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&folder).unwrap();
    let files: Vec<std::path::PathBuf> = resources
        .iter()
        .map(|(name, resource)| {
            let file = folder.join(format!("{name}.json"));
            std::fs::write(&file, resource.to_string()).unwrap();
            file
        })
        .collect();
    let output = std::process::Command::new(python).arg("-c").arg(CHECK).args(&files).output().unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(output.status.success(), "not valid FHIR:\n{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
}

/// The FHIR view as each side gets it now, named for the step.
async fn views(app: &TestApp, id: &str, at: &str, sides: &[(&str, &str)]) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for (side, token) in sides {
        let response = app.get(&format!("/api/v1/referrals/{id}/fhir"), token).await;
        assert_eq!(response.status(), 200, "{at}, {side}");
        found.push((format!("{at}-{side}"), response.json::<Value>().await.unwrap()));
    }
    found
}

/// The version to send back after a step.
fn version_of(response: &reqwest::Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

async fn the_fhir_view_validates_at_every_step(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let sides = [("sender", outreach_a.as_str()), ("receiver", intake_b.as_str())];
    let participant = record_participant(&app, &outreach_a, "Vega").await;
    let given = consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs", "contact"])).await;
    let mut all = Vec::new();

    // One referral through its whole life: sent, received, accepted, started, completed.
    let mut urgent = referral(&participant, &service, true);
    urgent["urgency"] = json!("emergency");
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &urgent).await.json().await.unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    all.extend(views(&app, &id, "sent", &sides[..1]).await);
    all.extend(views(&app, &id, "received", &sides).await);
    let version = version_of(&app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await);
    let accepted = step(&app, &intake_b, &id, &version, json!({"action": "accept", "note": "a room"})).await;
    all.extend(views(&app, &id, "accepted", &sides).await);
    let started = step(&app, &intake_b, &id, &version_of(&accepted), json!({"action": "start"})).await;
    all.extend(views(&app, &id, "started", &sides).await);
    let completed = step(&app, &intake_b, &id, &version_of(&started), json!({"action": "complete", "outcome": "successful"})).await;
    assert_eq!(completed.status(), 200);
    all.extend(views(&app, &id, "completed", &sides).await);

    // Others declined, withdrawn, a draft, and one redacted by the consent's withdrawal.
    let declined: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    let declined = declined["id"].as_str().unwrap().to_owned();
    let version = version_of(&app.get(&format!("/api/v1/referrals/{declined}"), &intake_b).await);
    assert_eq!(step(&app, &intake_b, &declined, &version, json!({"action": "decline", "reason": "no_capacity"})).await.status(), 200);
    all.extend(views(&app, &declined, "declined", &sides).await);
    let withdrawn = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await;
    let version = version_of(&withdrawn);
    let withdrawn = withdrawn.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(step(&app, &outreach_a, &withdrawn, &version, json!({"action": "withdraw"})).await.status(), 200);
    all.extend(views(&app, &withdrawn, "withdrawn", &sides).await);
    let draft: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, false)).await.json().await.unwrap();
    all.extend(views(&app, draft["id"].as_str().unwrap(), "draft", &sides[..1]).await);
    let open: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    let revoked = app.post(&format!("/api/v1/consents/{}/revoke", given["id"].as_str().unwrap()), &outreach_a, &json!({"method": "in_person"})).await;
    assert!(revoked.status().is_success());
    all.extend(views(&app, open["id"].as_str().unwrap(), "redacted", &sides).await);

    assert!(all.len() >= 15);
    assert_valid_fhir(&all);
    // The checker fails what is not FHIR: a ServiceRequest without its subject, a status
    // outside its value set.
    let mut broken = all[0].1.clone();
    broken["contained"][1].as_object_mut().unwrap().remove("subject");
    let mut odd = all[0].1.clone();
    odd["status"] = json!("sent");
    for bad in [broken, odd] {
        let refused = std::panic::catch_unwind(|| assert_valid_fhir(&[("bad".to_owned(), bad)]));
        assert!(refused.is_err(), "the checker passes anything");
    }
}
