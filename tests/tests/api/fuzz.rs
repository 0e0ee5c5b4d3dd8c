//! Schemathesis (property-based API testing, from PyPI) against the running server, from
//! the committed OpenAPI document, with a privileged and an unprivileged token: no 5xx,
//! every status, content type, header and body as documented — every error a problem
//! document. Bounded: a fixed seed and at most 10 cases per operation and phase.

use std::time::Duration;

use harbour_tests::{on_both_backends, TestApp};
use harbour_types::Role;
use serde_json::json;

/// Checks that hold for any request, valid or not. (Not `positive_data_acceptance`: the
/// schema cannot express every rule — a consent must name an organization that exists.)
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance";

/// Left out: the caller's own account (changing its password, signing out, resetting or
/// deactivating itself would end the token mid-run) and sign-in, whose throttling would
/// lock the fixture's address. They have their own tests.
const EXCLUDED: &str = "/(auth|me)/|reset-password|deactivate";

async fn schemathesis(app: &TestApp, token: &str) -> String {
    let st = std::env::var("HARBOUR_SCHEMATHESIS").expect("HARBOUR_SCHEMATHESIS names schemathesis' `st`: run the tests with `cargo xtask test`");
    let schema = harbour_tests::tests_dir().join("../openapi/openapi.json");
    let run = tokio::process::Command::new(st)
        .arg("run")
        .arg(schema)
        .args(["--url", &app.base, "--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", CHECKS, "--phases", "examples,fuzzing", "--max-examples", "10", "--seed", "20261124"])
        .args(["--exclude-path-regex", EXCLUDED, "--request-timeout", "10", "--no-color"])
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(300), run).await.expect("schemathesis finishes within five minutes").expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "schemathesis found failures:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    stdout
}

async fn the_api_keeps_to_its_spec_under_fuzzing(app: TestApp) {
    // Something to read: a service with a place, and a participant.
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let service = json!({"name": "Night shelter", "description": "Beds.", "category_ids": [app.fixture.emergency_shelter], "region_ids": [app.fixture.halifax]});
    assert_eq!(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &service).await.status(), 201);
    assert_eq!(app.post("/api/v1/participants", &admin, &json!({"alias": "Fuzz"})).await.status(), 201);
    let worker = app.token(Role::OutreachWorker, 'b').await;
    for token in [&admin, &worker] {
        let report = schemathesis(&app, token).await;
        let cases = report.lines().map(str::trim).find(|l| l.starts_with(|c: char| c.is_ascii_digit()) && l.contains(" generated")).unwrap_or_default().to_owned();
        println!("schemathesis: {cases}");
    }
}

on_both_backends!(the_api_keeps_to_its_spec_under_fuzzing);
