//! The SPA in a real browser: Debian's Chromium driven by playwright-core, at phone size.
//! Needs the built SPA (`HARBOUR_WEB_DIR`) and `tests/browser/node_modules`, which
//! `cargo xtask test` provides.

use harbour::db::Backend;
use harbour_tests::{TestApp, PASSWORD};
use harbour_types::Role;
use serde_json::json;

/// Runs a script of `tests/browser` with node and returns what it printed; fails the
/// test when it fails.
async fn run_script(script: &str, env: &[(&str, &str)]) -> String {
    assert!(
        std::env::var("HARBOUR_WEB_DIR").is_ok(),
        "HARBOUR_WEB_DIR must point at the built SPA: run the tests with `cargo xtask test`"
    );
    let browser_dir = harbour_tests::tests_dir().join("browser");
    let output = tokio::process::Command::new("node")
        .arg(browser_dir.join(script))
        .envs(env.iter().copied())
        .current_dir(&browser_dir)
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "browser test {script} failed\n{stdout}\n{stderr}");
    stdout
}

/// Records the participant's verbal consent, naming organization B for `purpose` and
/// sharing their needs.
async fn consent_naming_b(app: &TestApp, worker: &str, participant_id: &str, purpose: &str) {
    let consent = json!({
        "participant_id": participant_id, "method": "verbal", "witness_name": "Dana Witness", "purposes": [purpose],
        "data_categories": ["needs"], "recipient_ids": [app.fixture.org_b], "statement_language": "en"
    });
    assert_eq!(app.post("/api/v1/consents", worker, &consent).await.status(), 201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_frame_french_and_quick_exit_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.token(Role::AgencyAdmin, 'b').await;
    let place = json!({"name": "Harbour Street", "address_1": "5 Harbour St", "city": "Halifax", "latitude": 44.65, "longitude": -63.57});
    let place: serde_json::Value = app.post(&format!("/api/v1/organizations/{}/locations", app.fixture.org_b), &admin, &place).await.json().await.unwrap();
    let shelter = json!({
        "name": "Night shelter", "description": "Beds for youth, any night.", "open_24_7": true,
        "application_process": "Call the intake line, any time.", "minimum_age": 16, "maximum_age": 24,
        "phones": [{"number": "902-555-0199", "type": "voice", "after_hours": true}],
        "harbour_attributes": ["fit:no_id_required", "fit:youth_specific"], "languages": ["en", "fr"],
        "category_ids": [app.fixture.emergency_shelter], "location_ids": [place["id"]]
    });
    let created = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin, &shelter).await;
    assert_eq!(created.status(), 201);
    // For the filter sheet: a service for girls of 12 to 18, with Indigenous supports,
    // open one afternoon a week: the day after tomorrow in Halifax (UTC−4 or −3), whose
    // short name its card shows, with the hour as Halifax's clocks read it.
    let afternoon = harbour_tests::halifax_weekday_in(2);
    let day = afternoon.code();
    let drop_in = json!({
        "name": "Girls' drop-in", "description": "A safe place after school.", "minimum_age": 12, "maximum_age": 18,
        "harbour_attributes": ["gender:women", "culture:indigenous"], "location_ids": [place["id"]],
        "schedules": [{"byday": day, "opens_at": "15:30", "closes_at": "18:00"}]
    });
    let opens = format!("{} 15:30", ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][afternoon as usize]);
    assert_eq!(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin, &drop_in).await.status(), 201);
    let stdout = run_script(
        "shell.mjs",
        &[
            ("HARBOUR_URL", &app.base),
            ("HARBOUR_EMAIL", "outreach_worker@org-a.test"),
            ("HARBOUR_PASSWORD", PASSWORD),
            ("HARBOUR_ADMIN_EMAIL", "agency_admin@org-b.test"),
            ("HARBOUR_DROP_IN_OPENS", &opens),
        ],
    )
    .await;
    assert!(stdout.contains("quick exit: ok"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn participant_consent_with_signature_withdrawal_and_report_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let stdout = run_script(
        "participants.mjs",
        &[("HARBOUR_URL", &app.base), ("HARBOUR_EMAIL", "outreach_worker@org-a.test"), ("HARBOUR_PASSWORD", PASSWORD)],
    )
    .await;
    assert!(stdout.contains("disclosure report: ok"), "{stdout}");

    // What the screens did, as the API sees it: a signature kept as evidence, withdrawn.
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let found: serde_json::Value = app.post("/api/v1/participants/search", &worker, &json!({"alias": "sky"})).await.json().await.unwrap();
    let id = found["contents"][0]["id"].as_str().unwrap();
    let handed: Vec<serde_json::Value> = app.get(&format!("/api/v1/participants/{id}/primary-contacts"), &worker).await.json().await.unwrap();
    assert_eq!(handed.len(), 1);
    assert_eq!(handed[0]["to_name"], "intake_worker of a", "the picker's choice is the case's primary contact");
    let recorded: serde_json::Value = app.get(&format!("/api/v1/participants/{id}"), &worker).await.json().await.unwrap();
    assert_eq!(recorded["needs"]["category_ids"], json!([app.fixture.emergency_shelter]), "the category ticked");
    let consents: Vec<serde_json::Value> = app.get(&format!("/api/v1/participants/{id}/consents"), &worker).await.json().await.unwrap();
    assert_eq!(consents.len(), 2, "the first consent and the one that replaced it");
    let (replaced, replacement) = if consents[0]["status"] == "superseded" { (&consents[0], &consents[1]) } else { (&consents[1], &consents[0]) };
    assert_eq!(replaced["status"], "superseded");
    assert_eq!(replaced["method"], "electronic_signature");
    assert_eq!(replaced["evidence"]["media_type"], "image/png");
    assert_eq!(replaced["statement_language"], "fr");
    assert_eq!(replacement["supersedes_id"], replaced["id"]);
    assert_eq!(replacement["method"], "verbal");
    assert_eq!(replacement["data_categories"], json!(["contact", "needs"]));
    assert_eq!(replacement["status"], "revoked");
    assert_eq!(replacement["revocation"]["method"], "phone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agency_admin_erases_a_participant_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let recorded: serde_json::Value = app.post("/api/v1/participants", &worker, &json!({"alias": "Wren", "identity": {"legal_name": "Robin Example"}})).await.json().await.unwrap();
    let id = recorded["id"].as_str().unwrap();
    let stdout = run_script("erasure.mjs", &[("HARBOUR_URL", &app.base), ("HARBOUR_EMAIL", "agency_admin@org-a.test"), ("HARBOUR_PASSWORD", PASSWORD)]).await;
    assert!(stdout.contains("gone from the list: ok"), "{stdout}");

    // What the screen did, as the API sees it: erased, with how and why.
    assert_eq!(app.get(&format!("/api/v1/participants/{id}"), &worker).await.status(), 404);
    let ledger: serde_json::Value = app.get("/api/v1/erasures", &app.token(Role::AgencyAdmin, 'a').await).await.json().await.unwrap();
    assert_eq!(ledger["contents"][0]["participant_id"], id);
    assert_eq!((&ledger["contents"][0]["method"], &ledger["contents"][0]["reason"]), (&json!("phone"), &json!("participant_request")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_safety_plan_written_revised_and_printed_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let recorded: serde_json::Value = app.post("/api/v1/participants", &worker, &json!({"alias": "Juniper"})).await.json().await.unwrap();
    let id = recorded["id"].as_str().unwrap();
    let stdout = run_script("safety_plan.mjs", &[("HARBOUR_URL", &app.base), ("HARBOUR_EMAIL", "outreach_worker@org-a.test"), ("HARBOUR_PASSWORD", PASSWORD)]).await;
    assert!(stdout.contains("their copy printed: ok"), "{stdout}");

    // What the screen did, as the API sees it: two revisions, the review date kept.
    let revisions: Vec<serde_json::Value> = app.get(&format!("/api/v1/participants/{id}/safety-plan/revisions"), &worker).await.json().await.unwrap();
    assert_eq!(revisions.len(), 2);
    let current: serde_json::Value = app.get(&format!("/api/v1/participants/{id}/safety-plan"), &worker).await.json().await.unwrap();
    assert_eq!(current["review_on"], "2027-01-15");
    assert_eq!(current["content"]["if_found"], "go into the corner store and call Sam");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_of_goals_and_steps_kept_from_a_phone_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let recorded: serde_json::Value = app.post("/api/v1/participants", &worker, &json!({"alias": "Rowan"})).await.json().await.unwrap();
    let id = recorded["id"].as_str().unwrap();
    // A referral sent for them, which a step of the plan will be.
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let residence: serde_json::Value = app
        .post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin_b, &json!({"name": "Youth residence", "description": "Rooms for youth."}))
        .await
        .json()
        .await
        .unwrap();
    consent_naming_b(&app, &worker, id, "referral").await;
    let referral = json!({"participant_id": id, "service_id": residence["id"], "urgency": "soon", "participant_confirmed": true, "send": true});
    let referral: serde_json::Value = app.post("/api/v1/referrals", &worker, &referral).await.json().await.unwrap();
    let stdout = run_script("plan.mjs", &[("HARBOUR_URL", &app.base), ("HARBOUR_EMAIL", "outreach_worker@org-a.test"), ("HARBOUR_PASSWORD", PASSWORD)]).await;
    assert!(stdout.contains("plan in French: ok"), "{stdout}");

    // What the screen did, as the API sees it.
    let plan: serde_json::Value = app.get(&format!("/api/v1/participants/{id}/plan"), &worker).await.json().await.unwrap();
    assert_eq!(plan["review_on"], "2027-03-01");
    assert_eq!(plan["stages"][0]["stage"], "preparation");
    assert_eq!(plan["goals"][0]["domain"], "housing");
    assert_eq!(plan["goals"][0]["title"], "a room of my own by spring");
    let step = &plan["goals"][0]["steps"][0];
    assert_eq!((step["status"].as_str(), step["due_on"].as_str(), step["owner"]["name"].as_str()), (Some("done"), Some("2027-01-20"), Some("intake_worker of a")));
    assert_eq!(step["referral"]["id"], referral["id"], "the step is the referral picked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_conference_convened_held_and_its_action_done_from_phones_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let recorded: serde_json::Value = app.post("/api/v1/participants", &worker, &json!({"alias": "Ash"})).await.json().await.unwrap();
    let id = recorded["id"].as_str().unwrap();
    consent_naming_b(&app, &worker, id, "case_conference").await;
    let stdout = run_script(
        "conferences.mjs",
        &[
            ("HARBOUR_URL", &app.base),
            ("HARBOUR_EMAIL", "outreach_worker@org-a.test"),
            ("HARBOUR_GUEST_EMAIL", "intake_worker@org-b.test"),
            ("HARBOUR_INVITED_NAME", "Organization B"),
            ("HARBOUR_PASSWORD", PASSWORD),
        ],
    )
    .await;
    assert!(stdout.contains("action done by the invited organization: ok"), "{stdout}");

    // What the screens did, as the API sees it: 14:00 on Halifax's clock in January is
    // 18:00 UTC.
    let list: Vec<serde_json::Value> = app.get(&format!("/api/v1/participants/{id}/conferences"), &worker).await.json().await.unwrap();
    assert_eq!(list.len(), 1);
    let conference: serde_json::Value = app.get(&format!("/api/v1/conferences/{}", list[0]["id"].as_str().unwrap()), &worker).await.json().await.unwrap();
    assert_eq!(conference["starts_at"], "2027-01-20T18:00:00Z");
    assert_eq!((conference["minutes"].as_i64(), conference["status"].as_str(), conference["place"].as_str()), (Some(90), Some("held"), Some("TESS office, second floor")));
    assert_eq!(conference["invited"], json!([{"organization": {"id": app.fixture.org_b, "name": "Organization B"}, "attendance": "attended"}]));
    assert_eq!(conference["agenda"], json!([{"title": "Housing options", "notes": "Two rooms are open in February.", "decisions": ["Ask for the February room"]}]));
    assert_eq!(conference["voice"], json!({"presence": "does_not_attend", "wants_said": "I want to stay near my sister."}));
    let action = &conference["actions"][0];
    assert_eq!((action["description"].as_str(), action["organization"]["id"].as_str(), action["due_on"].as_str(), action["status"].as_str()), (Some("Hold a room for February"), Some(app.fixture.org_b.as_str()), Some("2027-01-27"), Some("done")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partnership_s_groups_from_a_phone_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let service = json!({"name": "Youth housing", "description": "Rooms for youth.", "category_ids": [app.fixture.housing]});
    assert_eq!(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin_b, &service).await.status(), 201);
    for kind in ["survivor_advisory", "working"] {
        let name = if kind == "working" { "Training Working Group" } else { "Survivor Advisory" };
        let created: serde_json::Value = app.post("/api/v1/groups", &coordinator, &json!({"kind": kind, "name": name, "name_fr": name})).await.json().await.unwrap();
        if kind == "survivor_advisory" {
            let path = format!("/api/v1/groups/{}/members", created["id"].as_str().unwrap());
            assert_eq!(app.post(&path, &coordinator, &json!({"organization_id": app.fixture.org_b})).await.status(), 201);
        }
    }
    let stdout = run_script(
        "groups.mjs",
        &[("HARBOUR_URL", &app.base), ("HARBOUR_EMAIL", "outreach_worker@org-a.test"), ("HARBOUR_COORDINATOR_EMAIL", "coordinator@org-a.test"), ("HARBOUR_PASSWORD", PASSWORD)],
    )
    .await;
    assert!(stdout.contains("member added and co-chair named: ok"), "{stdout}");
    let groups: Vec<serde_json::Value> = app.get("/api/v1/groups", &coordinator).await.json().await.unwrap();
    let working = groups.iter().find(|g| g["kind"] == "working").unwrap();
    assert_eq!(working["members"][0]["organization"]["id"], app.fixture.org_b.as_str());
    assert_eq!(working["members"][0]["co_chair"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn referral_sent_from_a_phone_and_accepted_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let service = json!({"name": "Youth housing", "description": "Rooms for youth.", "category_ids": [app.fixture.housing]});
    assert_eq!(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin_b, &service).await.status(), 201);
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant: serde_json::Value = app.post("/api/v1/participants", &worker, &json!({"alias": "Nova", "pronouns": "she/her"})).await.json().await.unwrap();
    consent_naming_b(&app, &worker, participant["id"].as_str().unwrap(), "referral").await;
    let stdout = run_script(
        "referrals.mjs",
        &[
            ("HARBOUR_URL", &app.base),
            ("HARBOUR_EMAIL", "outreach_worker@org-a.test"),
            ("HARBOUR_RECEIVER_EMAIL", "intake_worker@org-b.test"),
            ("HARBOUR_PASSWORD", PASSWORD),
        ],
    )
    .await;
    assert!(stdout.contains("referral accepted and answered: ok"), "{stdout}");
    let sent: serde_json::Value = app.get("/api/v1/referrals?box=sent", &worker).await.json().await.unwrap();
    assert_eq!(sent["contents"][0]["status"], "accepted");
    assert_eq!(sent["contents"][0]["urgency"], "same_day");
    assert_eq!(sent["contents"][0]["assignee"]["name"], "intake_worker of b");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinator_dashboard_on_a_phone_and_a_laptop() {
    // Released without noise (ε so large it is zero), so that the figures are known.
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.dashboard_epsilon = 1000.0).await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let service = json!({"name": "Youth shelter", "description": "Beds for youth.", "category_ids": [app.fixture.emergency_shelter], "region_ids": [app.fixture.halifax]});
    let service: serde_json::Value = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin_b, &service).await.json().await.unwrap();
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant: serde_json::Value = app.post("/api/v1/participants", &worker, &json!({"alias": "Nova"})).await.json().await.unwrap();
    // Six goals in one plan: "Goals by area of life" shows them, no participant.
    for n in 0..6 {
        let goal = app.post(&format!("/api/v1/participants/{}/plan/goals", participant["id"].as_str().unwrap()), &worker, &json!({"domain": "housing", "title": format!("goal {n}")})).await;
        assert_eq!(goal.status(), 201);
    }
    // A case conference held: "Case conferences" shows it, no participant.
    consent_naming_b(&app, &worker, participant["id"].as_str().unwrap(), "case_conference").await;
    let held = json!({"starts_at": "2026-11-02T15:00:00Z", "minutes": 60, "status": "held", "invited": [{"organization_id": app.fixture.org_b}]});
    assert_eq!(app.post(&format!("/api/v1/participants/{}/conferences", participant["id"].as_str().unwrap()), &worker, &held).await.status(), 201);
    // 30 referrals over 25 days of the last month released (3 of them withdrawn), and 2
    // alone in a month long ago. A month is released once it has ended 14 days ago
    // (HARBOUR_REFERRAL_EXPIRE_DAYS): the last is the one before that of 14 days ago.
    use chrono::Datelike;
    let now = chrono::Utc::now().naive_utc();
    let released = ((now - chrono::Duration::days(15)).date().with_day(1).unwrap() - chrono::Months::new(1)).and_hms_opt(16, 0, 0).unwrap();
    // At 16:00 UTC: the same day in Halifax, whose days and months the dashboard counts in.
    let lonely = released - chrono::Months::new(7) + chrono::Duration::days(10);
    for n in 0..32 {
        let (sent, status) = match n {
            30 | 31 => (lonely, "sent"),
            _ => (released + chrono::Duration::days(1) + chrono::Duration::hours(20 * n), ["completed", "accepted", "in_progress", "declined", "sent", "completed", "completed", "accepted", "withdrawn", "completed"][n as usize % 10]),
        };
        let at = |t: chrono::NaiveDateTime| format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"));
        let later = |hours: i64| at(sent + chrono::Duration::hours(hours));
        let (received, accepted, closed) = match status {
            "completed" => (later(1), later(3), later(15)),
            "accepted" | "in_progress" => (later(1), later(3), "NULL".into()),
            "declined" => (later(2), "NULL".into(), later(4)),
            "withdrawn" => ("NULL".into(), "NULL".into(), later(2)),
            _ => ("NULL".into(), "NULL".into(), "NULL".into()),
        };
        let (reason, outcome) = match status {
            "declined" => ("'no_capacity'", "NULL"),
            "completed" => ("NULL", "'successful'"),
            _ => ("NULL", "NULL"),
        };
        app.execute_sql(format!(
            "INSERT INTO referrals (id, from_organization_id, to_organization_id, service_id, participant_id, need_category_ids, urgency, participant_confirmed, \
             status, reason, outcome, due_at, version, created_at, sent_at, updated_at, region_id, category_id, received_at, accepted_at, closed_at) \
             VALUES ('r{n}', '{a}', '{b}', '{s}', '{p}', '[]', 'soon', TRUE, '{status}', {reason}, {outcome}, {sent}, 1, {sent}, {sent}, {sent}, '{h}', '{c}', {received}, {accepted}, {closed})",
            a = app.fixture.org_a,
            b = app.fixture.org_b,
            s = service["id"].as_str().unwrap(),
            p = participant["id"].as_str().unwrap(),
            sent = at(sent),
            h = app.fixture.halifax,
            c = app.fixture.housing,
        ))
        .await;
    }
    let lonely_month = lonely.format("%Y-%m").to_string();
    let stdout = run_script(
        "dashboard.mjs",
        &[("HARBOUR_URL", &app.base), ("HARBOUR_EMAIL", "coordinator@org-a.test"), ("HARBOUR_PASSWORD", PASSWORD), ("HARBOUR_LONELY_MONTH", &lonely_month)],
    )
    .await;
    assert!(stdout.contains("dashboard on a laptop: ok"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn coordinators_curate_categories_and_regions_at_360px() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let stdout = run_script(
        "curation.mjs",
        &[("HARBOUR_URL", &app.base), ("HARBOUR_EMAIL", "coordinator@org-a.test"), ("HARBOUR_COLLEAGUE_EMAIL", "coordinator@org-b.test"), ("HARBOUR_PASSWORD", PASSWORD)],
    )
    .await;
    assert!(stdout.contains("curation: ok"), "{stdout}");
}

/// What a phone downloads before the first screen shows — the page, the main module and
/// what it loads at once (the service worker's shell), gzipped as served — stays within
/// 350 KB: the screens beyond it load with their chunks, their strings too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_load_stays_within_350_kb_gzipped() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let get = |path: String| app.client.get(format!("{}{path}", app.base)).header("accept-encoding", "gzip").send();
    let index = get("/".into()).await.unwrap();
    assert_eq!(index.status(), 200);
    let index = index.bytes().await.unwrap();
    let text = app.client.get(format!("{}/", app.base)).send().await.unwrap().text().await.unwrap();
    let end = text.find("/web_bg.wasm").expect("index.html names the wasm");
    let assets = &text[text[..end].rfind("/assets/").expect("under /assets/")..end];
    let mut total = index.len();
    for file in ["web.js", "__wasm_split.js", "web_bg.wasm", "boot.js", "style.css"] {
        let response = get(format!("{assets}/{file}")).await.unwrap();
        assert_eq!(response.status(), 200, "{file}");
        assert_eq!(response.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"), "{file}");
        total += response.bytes().await.unwrap().len();
    }
    println!("first load: {total} bytes gzipped");
    assert!(total <= 350_000, "the first load is {total} bytes gzipped");
}

/// The app's assets go out precompressed (brotli, else gzip) to browsers that take it,
/// as the very bytes `cargo xtask build-web` wrote, labelled with their own type.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_served_precompressed() {
    let web_dir = std::path::PathBuf::from(std::env::var("HARBOUR_WEB_DIR").expect("HARBOUR_WEB_DIR: run the tests with `cargo xtask test`"));
    let app = TestApp::spawn(Backend::Sqlite).await;
    let index = app.client.get(format!("{}/", app.base)).send().await.unwrap().text().await.unwrap();
    let end = index.find("web_bg.wasm").expect("index.html names the wasm") + "web_bg.wasm".len();
    let wasm = &index[index[..end].rfind("/assets/").expect("under /assets/")..end];
    let on_disk = |suffix: &str| std::fs::read(web_dir.join(format!("{}{suffix}", wasm.trim_start_matches('/')))).unwrap();
    let fetch = |accept: &'static str| app.client.get(format!("{}{wasm}", app.base)).header("accept-encoding", accept).send();
    for (accept, coding, suffix) in [("gzip, deflate, br", Some("br"), ".br"), ("gzip", Some("gzip"), ".gz"), ("br;q=0, gzip;q=0.5", Some("gzip"), ".gz"), ("identity", None, "")] {
        let response = fetch(accept).await.unwrap();
        assert_eq!(response.status(), 200, "{accept}");
        let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(header("content-encoding").as_deref(), coding, "{accept}");
        assert_eq!(header("content-type").as_deref(), Some("application/wasm"), "{accept}");
        assert!(header("vary").is_some_and(|v| v.contains("accept-encoding")), "{accept}");
        assert!(header("cache-control").is_some_and(|c| c.contains("immutable")), "{accept}");
        assert!(response.bytes().await.unwrap() == on_disk(suffix), "{accept}: the bytes written at build time");
    }
    assert!(on_disk(".br").len() < on_disk(".gz").len() && on_disk(".gz").len() < on_disk("").len());
    let outside = app.client.get(format!("{}/assets/..%2F..%2Fetc/passwd", app.base)).send().await.unwrap();
    assert_eq!(outside.status(), 404);
    // A client route gets the app; a missing file does not.
    let route = app.client.get(format!("{}/referrals", app.base)).send().await.unwrap();
    assert_eq!((route.status().as_u16(), route.text().await.unwrap() == index), (200, true));
    assert_eq!(app.client.get(format!("{}/favicon.ico", app.base)).send().await.unwrap().status(), 404);
}
