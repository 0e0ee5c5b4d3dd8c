//! Individualized plans: goals in the participant's words with steps someone owns, a
//! step that is a referral, the stage of change over time, review dates and a timeline;
//! sealed at rest; read whole by the owner and under `case_notes`, as goals' titles
//! under `needs`, and by nobody else (another organization guessing ids, a recipient
//! whose consent covers neither, a coordinator, an API client, a recipient after the
//! withdrawal); every access audited and in the disclosure report; gone with an erasure.

use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal, CANARY};
use crate::referrals::{client_token, referral, service_of_b};
use crate::reminders::{app_with_mail, mails_after_sweeps};

/// A frontline user's id, by e-mail, as organization `org`'s admin lists them.
pub(crate) async fn user_id(app: &TestApp, org: char, organization: &str, email: &str) -> String {
    let admin = app.token(Role::AgencyAdmin, org).await;
    let users: Value = app.get(&format!("/api/v1/organizations/{organization}/users?per_page=100"), &admin).await.json().await.unwrap();
    users["contents"].as_array().unwrap().iter().find(|u| u["email"] == email).unwrap()["id"].as_str().unwrap().to_owned()
}

async fn created(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

/// Sends a referral of `participant` to `service`, under a consent to refer to `to`.
async fn referred(app: &TestApp, token: &str, participant: &str, to: &str, service: &str) -> String {
    consent(app, token, verbal(participant, &[to], &["referral"], &["needs"])).await;
    created(app.post("/api/v1/referrals", token, &referral(participant, service, true)).await).await["id"].as_str().unwrap().to_owned()
}

async fn a_plan_holds_goals_steps_stages_and_a_timeline(app: TestApp) {
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Plan maker").await;
    let plan_path = format!("/api/v1/participants/{participant}/plan");
    let empty: Value = app.get(&plan_path, &worker).await.json().await.unwrap();
    assert_eq!(empty["goals"], json!([]));
    assert_eq!(empty["version"], 0);

    // A goal in the participant's words; active unless they say otherwise.
    let goal = created(app.post(&format!("{plan_path}/goals"), &worker, &json!({"domain": "housing", "title": format!("{CANARY}'s own room by spring")})).await).await;
    assert_eq!(goal["status"], "active");
    assert_eq!(goal["version"], 1);
    let goal_id = goal["id"].as_str().unwrap().to_owned();
    let steps_path = format!("{plan_path}/goals/{goal_id}/steps");

    // Steps owned by the participant, a colleague, a partner organization; a step can be a referral.
    let intake = user_id(&app, 'a', &app.fixture.org_a, "intake_worker@org-a.test").await;
    let own = created(app.post(&steps_path, &worker, &json!({"description": "call the housing line", "owner": {"kind": "participant"}, "due_on": "2027-01-10"})).await).await;
    assert_eq!(own["status"], "planned");
    assert_eq!(own["owner"], json!({"kind": "participant"}));
    let colleague = created(app.post(&steps_path, &worker, &json!({"description": "book the viewing", "owner": {"kind": "user", "id": intake}})).await).await;
    assert_eq!(colleague["owner"]["name"], "intake_worker of a");
    let service = service_of_b(&app).await;
    let sent = referred(&app, &worker, &participant, &app.fixture.org_b, &service).await;
    let step_body = json!({"description": "a room at Youth housing", "owner": {"kind": "organization", "id": app.fixture.org_b}, "referral_id": sent, "status": "in_progress"});
    let referral_step = created(app.post(&steps_path, &worker, &step_body).await).await;
    assert_eq!(referral_step["owner"]["name"], "Organization B");
    assert_eq!(referral_step["referral"]["id"], sent.as_str());
    assert_eq!(referral_step["referral"]["status"], "sent");
    assert_eq!(referral_step["referral"]["service_name"], "Youth housing");

    // Owners and referrals that are not allowed are refused, with the field named, and write nothing.
    let outsider = user_id(&app, 'b', &app.fixture.org_b, "intake_worker@org-b.test").await;
    let coordinator = user_id(&app, 'a', &app.fixture.org_a, "coordinator@org-a.test").await;
    let others_participant = record_participant(&app, &worker, "Someone else").await;
    let elsewhere = referred(&app, &worker, &others_participant, &app.fixture.org_b, &service).await;
    let refusals = [
        (json!({"kind": "user", "id": outsider}), None, "/owner/id"),
        (json!({"kind": "user", "id": coordinator}), None, "/owner/id"),
        (json!({"kind": "user"}), None, "/owner/id"),
        (json!({"kind": "participant", "id": intake}), None, "/owner/id"),
        (json!({"kind": "organization", "id": "no-such-organization"}), None, "/owner/id"),
        (json!({"kind": "participant"}), Some(elsewhere.as_str()), "/referral_id"),
        (json!({"kind": "participant"}), Some("no-such-referral"), "/referral_id"),
    ];
    for (owner, referral_id, pointer) in refusals {
        let body = json!({"description": "not allowed", "owner": owner, "referral_id": referral_id});
        let refused = problem(app.post(&steps_path, &worker, &body).await, 422).await;
        assert_eq!(refused["errors"][0]["pointer"], pointer, "{body}: {refused}");
    }
    let blank = problem(app.post(&steps_path, &worker, &json!({"description": "   ", "owner": {"kind": "participant"}})).await, 422).await;
    assert_eq!(blank["errors"][0]["pointer"], "/description");
    for bad in [json!({"domain": "housing", "title": ""}), json!({"domain": "housing", "title": "  \n "}), json!({"domain": "astrology", "title": "x"}), json!({"domain": "housing", "title": "x".repeat(501)})] {
        problem(app.post(&format!("{plan_path}/goals"), &worker, &bad).await, 422).await;
    }
    problem(app.post(&format!("{plan_path}/goals/no-such-goal/steps"), &worker, &json!({"description": "x", "owner": {"kind": "participant"}})).await, 404).await;

    // Changes need the version read: none is 428, an old one 412; a left-out status stays.
    let goal_path = format!("{plan_path}/goals/{goal_id}");
    let reworded = json!({"domain": "housing", "title": "a room of my own"});
    problem(app.put(&goal_path, &worker, None, &reworded).await, 428).await;
    let changed: Value = app.put(&goal_path, &worker, Some("\"1\""), &reworded).await.json().await.unwrap();
    assert_eq!((changed["version"].as_i64(), changed["status"].as_str()), (Some(2), Some("active")));
    assert_eq!(changed["steps"].as_array().unwrap().len(), 3, "the goal comes back with its steps");
    problem(app.put(&goal_path, &worker, Some("\"1\""), &json!({"domain": "housing", "title": "lost"})).await, 412).await;
    let step_path = format!("{steps_path}/{}", own["id"].as_str().unwrap());
    let done = app.put(&step_path, &worker, Some("\"1\""), &json!({"description": "call the housing line", "owner": {"kind": "participant"}, "status": "done"})).await;
    assert_eq!(done.headers()["etag"], "\"2\"");
    let done: Value = done.json().await.unwrap();
    assert_eq!(done["status"], "done");
    assert!(done.get("due_on").is_none(), "a PUT replaces the step: the date left out is cleared");

    // The stage of change, over time (never required), and the review date.
    problem(app.post(&format!("{plan_path}/stages"), &worker, &json!({"stage": "enlightenment"})).await, 422).await;
    for stage in ["contemplation", "preparation"] {
        created(app.post(&format!("{plan_path}/stages"), &worker, &json!({"stage": stage})).await).await;
    }
    problem(app.put(&plan_path, &worker, Some("\"1\""), &json!({"review_on": "2027-03-01"})).await, 412).await;
    let set = app.put(&plan_path, &worker, Some("\"0\""), &json!({"review_on": "2027-03-01"})).await;
    assert_eq!(set.headers()["etag"], "\"1\"");

    let plan: Value = app.get(&plan_path, &worker).await.json().await.unwrap();
    assert_eq!(plan["review_on"], "2027-03-01");
    assert_eq!(plan["stages"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect::<Vec<_>>(), ["preparation", "contemplation"]);
    assert_eq!(plan["stages"][0]["recorded_by_name"], "outreach_worker of a");
    assert_eq!(plan["goals"].as_array().unwrap().len(), 1);
    assert_eq!(plan["goals"][0]["title"], "a room of my own");
    let statuses: Vec<&str> = plan["goals"][0]["steps"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["done", "planned", "in_progress"], "steps oldest first");

    // The timeline says what moved, newest first, without words.
    let timeline: Value = app.get(&format!("{plan_path}/timeline"), &worker).await.json().await.unwrap();
    let kinds: Vec<(&str, &str)> = timeline.as_array().unwrap().iter().map(|e| (e["kind"].as_str().unwrap(), e["status"].as_str().unwrap_or(""))).collect();
    assert_eq!(
        kinds,
        [
            ("review_set", "2027-03-01"),
            ("stage_recorded", "preparation"),
            ("stage_recorded", "contemplation"),
            ("step_updated", "done"),
            ("goal_updated", "active"),
            ("step_added", "in_progress"),
            ("step_added", "planned"),
            ("step_added", "planned"),
            ("goal_added", "active"),
        ]
    );
    assert!(!timeline.to_string().contains("room"), "{timeline}");

    // At rest the words are sealed.
    for (table, column, rows) in [("plan_goals", "title_sealed", 1), ("plan_steps", "description_sealed", 3)] {
        let matching = |text: &str| format!("UPDATE {table} SET id = id WHERE {column} LIKE '%{text}%'");
        assert_eq!(app.try_execute_sql(matching("room")).await.unwrap(), 0, "{table} keeps no words in clear");
        assert_eq!(app.try_execute_sql(matching("")).await.unwrap(), rows, "the probe counts rows");
    }

    // The participant's own records carry the plan.
    let records: Value = app.get(&format!("/api/v1/participants/{participant}/own-records"), &worker).await.json().await.unwrap();
    assert_eq!(records["plan"]["goals"][0]["title"], "a room of my own", "{records}");
    let page = app.get(&format!("/api/v1/participants/{participant}/own-records?format=html"), &worker).await.text().await.unwrap();
    assert!(page.contains("Your goals") && page.contains("a room of my own") && page.contains("call the housing line"), "{page}");
}

async fn only_the_owner_and_a_consent_see_the_plan_as_far_as_it_covers(app: TestApp) {
    app.organization_c().await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let participant = record_participant(&app, &outreach_a, "Shared goals").await;
    let plan_path = format!("/api/v1/participants/{participant}/plan");
    let goal = created(app.post(&format!("{plan_path}/goals"), &outreach_a, &json!({"domain": "education", "title": "finish grade 12"})).await).await;
    let steps_path = format!("{plan_path}/goals/{}/steps", goal["id"].as_str().unwrap());
    created(app.post(&steps_path, &outreach_a, &json!({"description": "meet the school counsellor", "owner": {"kind": "participant"}})).await).await;
    // Two steps that are referrals: one to B, one to C. B may see only its own.
    let service_b = service_of_b(&app).await;
    let to_b = referred(&app, &outreach_a, &participant, &app.fixture.org_b, &service_b).await;
    created(app.post(&steps_path, &outreach_a, &json!({"description": "tutoring at B", "owner": {"kind": "organization", "id": app.fixture.org_b}, "referral_id": to_b})).await).await;
    let admin_c = app.token(Role::AgencyAdmin, 'c').await;
    let org_c: Value = app.get("/api/v1/me", &admin_c).await.json().await.unwrap();
    let org_c = org_c["organization"]["id"].as_str().unwrap().to_owned();
    let service_c = created(app.post(&format!("/api/v1/organizations/{org_c}/services"), &admin_c, &json!({"name": "Night classes", "description": "Evening school.", "category_ids": [app.fixture.housing]})).await).await;
    let to_c = referred(&app, &outreach_a, &participant, &org_c, service_c["id"].as_str().unwrap()).await;
    created(app.post(&steps_path, &outreach_a, &json!({"description": "night classes at C", "owner": {"kind": "participant"}, "referral_id": to_c})).await).await;
    created(app.post(&format!("{plan_path}/stages"), &outreach_a, &json!({"stage": "action"})).await).await;
    assert_eq!(app.put(&plan_path, &outreach_a, Some("\"0\""), &json!({"review_on": "2027-05-01"})).await.status(), 200);

    // B, guessing the id, learns nothing; nor with a consent covering neither needs nor case notes.
    let absent = problem(app.get(&plan_path, &intake_b).await, 404).await;
    assert_eq!(absent["detail"], "no such participant");
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["information_sharing"], &["safety"])).await;
    let neither = problem(app.get(&plan_path, &intake_b).await, 404).await;
    assert_eq!(neither["detail"], "no plan you may see");

    // Under `needs`, the goals' domains and titles, nothing more.
    let needs = consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["information_sharing"], &["needs"])).await;
    let titles: Value = app.get(&plan_path, &intake_b).await.json().await.unwrap();
    assert_eq!(titles["categories"], json!(["needs"]));
    assert_eq!(titles["goals"], json!([{"id": goal["id"], "domain": "education", "title": "finish grade 12", "created_at": goal["created_at"]}]));
    assert!(titles.get("stages").is_none() && titles.get("review_on").is_none(), "{titles}");
    problem(app.get(&format!("{plan_path}/timeline"), &intake_b).await, 404).await;

    // Under `case_notes`, the whole plan without versions or writers' names, and only B's own referral.
    let case_notes = consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["information_sharing"], &["case_notes"])).await;
    let whole: Value = app.get(&plan_path, &intake_b).await.json().await.unwrap();
    assert!(whole["categories"].as_array().unwrap().contains(&json!("case_notes")), "{whole}");
    let steps = whole["goals"][0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 3);
    assert_eq!(steps[1]["referral"]["id"], to_b.as_str());
    assert!(steps[2].get("referral").is_none(), "C's referral is C's to see: {whole}");
    assert!(whole["goals"][0].get("version").is_none() && whole["stages"][0].get("recorded_by_name").is_none(), "{whole}");
    assert_eq!(whole["version"], 0, "how often the owner changed the plan's settings is not shown");
    let timeline: Value = app.get(&format!("{plan_path}/timeline"), &intake_b).await.json().await.unwrap();
    assert!(timeline.as_array().unwrap().iter().all(|e| e.get("recorded_by_name").is_none()));

    // B may not write it.
    let goal_path = format!("{plan_path}/goals/{}", goal["id"].as_str().unwrap());
    problem(app.post(&format!("{plan_path}/goals"), &intake_b, &json!({"domain": "legal", "title": "from b"})).await, 403).await;
    problem(app.put(&goal_path, &intake_b, Some("\"1\""), &json!({"domain": "legal", "title": "from b"})).await, 403).await;
    problem(app.post(&format!("{plan_path}/stages"), &intake_b, &json!({"stage": "maintenance"})).await, 403).await;
    problem(app.put(&plan_path, &intake_b, Some("\"0\""), &json!({})).await, 403).await;

    // Coordinators, system admins and API clients never see participant data.
    for role in [Role::Coordinator, Role::SystemAdmin] {
        let token = app.token(role, 'a').await;
        problem(app.get(&plan_path, &token).await, 403).await;
        problem(app.get(&format!("{plan_path}/timeline"), &token).await, 403).await;
    }
    let client = client_token(&app, 'a', &["directory:read", "referrals:read", "referrals:write"]).await;
    problem(app.get(&plan_path, &client).await, 403).await;

    // Each withdrawal takes effect on the next request.
    for withdrawn in [&case_notes, &needs] {
        let revoked = app.post(&format!("/api/v1/consents/{}/revoke", withdrawn["id"].as_str().unwrap()), &outreach_a, &json!({"method": "phone"})).await;
        assert_eq!(revoked.status(), 200);
    }
    problem(app.get(&plan_path, &intake_b).await, 404).await;

    // Every access is audited; the owner's disclosure report says what B read, under which consent.
    let report: Value = app.get(&format!("/api/v1/participants/{participant}/disclosures"), &outreach_a).await.json().await.unwrap();
    let by_b: Vec<&Value> = report["disclosures"].as_array().unwrap().iter().filter(|d| d["action"] == "plan.read" && d["organization"]["id"] == app.fixture.org_b.as_str()).collect();
    let seen: Vec<(Value, Value)> = by_b.iter().map(|d| (d["data_categories"].clone(), d["consent_id"].clone())).collect();
    assert_eq!(seen, [(json!(["needs"]), needs["id"].clone()), (json!(["case_notes"]), case_notes["id"].clone()), (json!(["case_notes"]), case_notes["id"].clone())], "{report}");
    assert!(report["disclosures"].as_array().unwrap().iter().any(|d| d["action"] == "plan.write"));
}

async fn a_goal_posted_twice_with_one_key_is_set_once_and_an_erasure_takes_the_plan(app: TestApp) {
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Erased planner").await;
    let goals_path = format!("/api/v1/participants/{participant}/plan/goals");
    let body = json!({"domain": "income", "title": format!("{CANARY} gets a bank account")});
    let send = || async { app.request(reqwest::Method::POST, &goals_path).bearer_auth(&worker).header("idempotency-key", "f3b1c5a4-goal").json(&body).send().await.unwrap() };
    let (first, again) = (send().await, send().await);
    assert_eq!((first.status().as_u16(), again.status().as_u16()), (201, 201));
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let (first, again): (Value, Value) = (first.json().await.unwrap(), again.json().await.unwrap());
    assert_eq!(first["id"], again["id"]);
    let plan: Value = app.get(&format!("/api/v1/participants/{participant}/plan"), &worker).await.json().await.unwrap();
    assert_eq!(plan["goals"].as_array().unwrap().len(), 1, "set once");
    let steps_path = format!("{goals_path}/{}/steps", first["id"].as_str().unwrap());
    created(app.post(&steps_path, &worker, &json!({"description": "bring ID", "owner": {"kind": "participant"}})).await).await;
    created(app.post(&format!("/api/v1/participants/{participant}/plan/stages"), &worker, &json!({"stage": "preparation"})).await).await;

    let erased = app.post(&format!("/api/v1/participants/{participant}/erasure"), &app.token(Role::AgencyAdmin, 'a').await, &json!({"method": "in_person", "reason": "participant_request"})).await;
    assert_eq!(erased.status(), 201, "{}", erased.text().await.unwrap());
    for table in ["plan_goals", "plan_steps", "plan_stages", "plan_events", "individual_plans"] {
        assert_eq!(app.try_execute_sql(format!("UPDATE {table} SET participant_id = participant_id WHERE participant_id = '{participant}'")).await.unwrap(), 0, "{table} keeps rows of an erased participant");
    }
}

/// A plan's review date reminds whoever set it (no primary contact here) once, by an
/// e-mail that names no one; a date set again is reminded again only when it comes.
async fn a_plan_due_for_review_reminds_once(backend: Backend) {
    let (app, mails) = app_with_mail(backend, |s| s.review_sweep_ms = 150).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let due = record_participant(&app, &worker, "Goal reviewer").await;
    created(app.post(&format!("/api/v1/participants/{due}/plan/goals"), &worker, &json!({"domain": "family", "title": format!("{CANARY} sees my sister")})).await).await;
    assert_eq!(app.put(&format!("/api/v1/participants/{due}/plan"), &worker, Some("\"0\""), &json!({"review_on": "2020-01-01"})).await.status(), 200);
    let later = record_participant(&app, &worker, "Not yet").await;
    assert_eq!(app.put(&format!("/api/v1/participants/{later}/plan"), &worker, Some("\"0\""), &json!({"review_on": "2099-01-01"})).await.status(), 200);
    let mails: Vec<_> = mails_after_sweeps(&mails).await.into_iter().filter(|m| m.data.contains("due for review")).collect();
    assert_eq!(mails.len(), 1, "one reminder, for the plan whose date has come: {mails:?}");
    assert_eq!(mails[0].recipients, ["outreach_worker@org-a.test"]);
    let text = mails[0].data.replace("=\n", "");
    assert!(text.contains(&format!("/participants/{due}")), "{text}");
    for private in ["Goal reviewer", CANARY, "sister", "family"] {
        assert!(!text.contains(private), "the reminder says {private:?}: {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_a_plan_due_for_review_reminds_once() {
    a_plan_due_for_review_reminds_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_plan_due_for_review_reminds_once() {
    a_plan_due_for_review_reminds_once(Backend::Postgres).await;
}

on_both_backends!(
    a_plan_holds_goals_steps_stages_and_a_timeline,
    only_the_owner_and_a_consent_see_the_plan_as_far_as_it_covers,
    a_goal_posted_twice_with_one_key_is_set_once_and_an_erasure_takes_the_plan
);
