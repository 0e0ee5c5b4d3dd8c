//! Coordinator dashboards: figures against a hand-computed fixture (released without
//! noise), small-cell and complementary suppression (on screen and in CSV), refused
//! narrow filters, a differencing attack on generated referrals (released with noise),
//! and who may read them.

use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal, CANARY};
use crate::referrals::{client_token, referral, step};

/// A service of organization B in Halifax under "Emergency shelter"; returns its id.
async fn shelter_of_b(app: &TestApp) -> String {
    let admin = app.token(Role::AgencyAdmin, 'b').await;
    let body = json!({
        "name": "Youth shelter", "description": "Beds for youth.",
        "category_ids": [app.fixture.emergency_shelter], "region_ids": [app.fixture.halifax]
    });
    let created = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin, &body).await;
    assert_eq!(created.status(), 201);
    created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

/// One referral of the fixture: urgency, status, reason, outcome, the day it was sent
/// (January 2026, at 12:00 UTC — 08:00 in Halifax), and the hours after sending at which
/// it was first opened, accepted and closed.
struct Row(&'static str, &'static str, Option<&'static str>, Option<&'static str>, u32, Option<f64>, Option<f64>, Option<f64>);

/// 22 referrals in Halifax in January 2026 (12 routine sent on the 6th, 10 emergency
/// on the 13th), and 3 in Cape Breton in March.
fn fixture() -> Vec<Row> {
    let mut rows = Vec::new();
    for close in [10.0, 20.0, 30.0, 40.0, 50.0, 60.0] {
        rows.push(Row("routine", "completed", None, Some("successful"), 6, Some(1.0), Some(2.0), Some(close)));
    }
    rows.push(Row("routine", "declined", Some("no_capacity"), None, 6, Some(1.0), None, Some(5.0)));
    rows.push(Row("routine", "declined", Some("no_capacity"), None, 6, Some(1.0), None, Some(5.0)));
    rows.push(Row("routine", "declined", Some("not_eligible"), None, 6, Some(1.0), None, Some(5.0)));
    for _ in 0..3 {
        rows.push(Row("routine", "sent", None, None, 6, None, None, None));
    }
    for _ in 0..5 {
        rows.push(Row("emergency", "accepted", None, None, 13, Some(0.5), Some(1.0), None));
    }
    for _ in 0..2 {
        rows.push(Row("emergency", "in_progress", None, None, 13, Some(0.5), Some(1.0), None));
    }
    rows.push(Row("emergency", "completed", Some("unable_to_contact"), Some("unsuccessful"), 13, Some(0.5), Some(1.0), Some(24.0)));
    rows.push(Row("emergency", "withdrawn", None, None, 13, None, None, Some(2.0)));
    rows.push(Row("emergency", "expired", None, None, 13, None, None, Some(336.0)));
    rows
}

/// Writes one referral straight into the database (its times are the point), for
/// `participant` of A to `service` of B, sent at `sent` (UTC).
async fn insert_referral(app: &TestApp, id: &str, participant: &str, service: &str, region: &str, sent: chrono::NaiveDateTime, row: &Row) {
    let Row(urgency, status, reason, outcome, _, received, accepted, closed) = row;
    let at = |hours: Option<f64>| match hours {
        Some(h) => format!("'{}'", (sent + chrono::Duration::minutes((h * 60.0) as i64)).format("%Y-%m-%d %H:%M:%S")),
        None => "NULL".into(),
    };
    let text = |v: &Option<&str>| v.map_or("NULL".to_owned(), |v| format!("'{v}'"));
    app.execute_sql(format!(
        "INSERT INTO referrals (id, from_organization_id, to_organization_id, service_id, participant_id, need_category_ids, urgency, \
         participant_confirmed, status, reason, outcome, due_at, version, created_at, sent_at, updated_at, region_id, category_id, received_at, accepted_at, closed_at) \
         VALUES ('{id}', '{a}', '{b}', '{service}', '{participant}', '[]', '{urgency}', TRUE, '{status}', {reason}, {outcome}, {sent}, 1, {sent}, {sent}, {sent}, \
         '{region}', '{housing}', {received}, {accepted}, {closed})",
        a = app.fixture.org_a,
        b = app.fixture.org_b,
        housing = app.fixture.housing,
        reason = text(reason),
        outcome = text(outcome),
        sent = at(Some(0.0)),
        received = at(*received),
        accepted = at(*accepted),
        closed = at(*closed),
    ))
    .await;
}

/// The fixture's referrals (January 2026, at 12:00 UTC), and three in Cape Breton in March.
async fn load_fixture(app: &TestApp, participant: &str, service: &str, cape_breton: &str) {
    let noon = |month: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, month, day).unwrap().and_hms_opt(12, 0, 0).unwrap();
    for (n, row) in fixture().into_iter().enumerate() {
        insert_referral(app, &format!("fixture-{n}"), participant, service, &app.fixture.halifax, noon(1, row.4), &row).await;
    }
    for n in 0..3 {
        insert_referral(app, &format!("fixture-cb-{n}"), participant, service, cape_breton, noon(3, 2), &Row("soon", "sent", None, None, 2, None, None, None)).await;
    }
}

fn texts(figures: &Value) -> Vec<String> {
    figures.as_array().unwrap().iter().map(|f| f.as_u64().map_or_else(|| f.as_str().unwrap().to_owned(), |n| n.to_string())).collect()
}

/// The single column of a one-column table, row by row, then its total.
fn column(table: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = table["rows"].as_array().unwrap().iter().map(|r| (r["heading"]["key"].as_str().unwrap().to_owned(), texts(&r["figures"])[0].clone())).collect();
    out.push(("total".into(), texts(&table["totals"])[0].clone()));
    out
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

/// A period inside January and February: dashboards cover whole months, so it is taken
/// as 1 January to 28 February.
const JANUARY: &str = "from=2026-01-05&to=2026-02-01";

/// A fixture of known referrals, released without noise (a budget ε so large that the
/// noise is zero), so that every figure can be checked by hand; the noise itself is
/// tested by `differencing_windows_regions_and_tables_recovers_no_small_count`.
async fn figures_match_a_hand_computed_fixture(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.dashboard_epsilon = 1000.0).await;
    let service = shelter_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Nova").await;
    let cape_breton = "region-cape-breton";
    app.execute_sql(format!("INSERT INTO regions (id, slug, name, name_fr) VALUES ('{cape_breton}', 'cape-breton', 'Cape Breton', 'Cap-Breton')")).await;
    load_fixture(&app, &participant, &service, cape_breton).await;
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let get = |path: String| {
        let (app, token) = (&app, coordinator.clone());
        async move {
            let response = app.get(&path, &token).await;
            assert_eq!(response.status(), 200, "{path}");
            response.json::<Value>().await.unwrap()
        }
    };

    // Where the 22 referrals of January stand: the five small counts stay hidden, and
    // no combination of them can be worked out (rest 10 over five cells of 1 to 4).
    let funnel = get(format!("/api/v1/dashboards/referrals/funnel?{JANUARY}")).await;
    assert_eq!(
        column(&funnel),
        pairs(&[("sent", "<5"), ("received", "0"), ("accepted", "5"), ("declined", "<5"), ("in_progress", "<5"), ("completed", "7"), ("withdrawn", "<5"), ("expired", "<5"), ("total", "22")])
    );
    assert_eq!(funnel["scope"], json!({"from": "2026-01-01", "to": "2026-02-28", "region_id": null}), "whole months");
    // Windows a day apart in the same months are the same months: the same answer.
    for window in ["from=2026-01-01&to=2026-02-27", "from=2026-01-31&to=2026-02-28", "from=2026-01-02&to=2026-02-01"] {
        assert_eq!(get(format!("/api/v1/dashboards/referrals/funnel?{window}")).await, funnel, "{window}");
    }

    // Three declines in all: the total itself is small, so the cells need nothing more.
    let declines = get(format!("/api/v1/dashboards/referrals/declines?{JANUARY}")).await;
    assert_eq!(
        column(&declines),
        pairs(&[("no_capacity", "<5"), ("not_eligible", "<5"), ("outside_service_area", "0"), ("participant_declined", "0"), ("unable_to_contact", "0"), ("other", "0"), ("total", "<5")])
    );

    // Complementary suppression: 6 successful + 1 unsuccessful = 7 shown; hiding only the 1
    // would give it away (7 − 6), so the 6 is hidden too ("x").
    let outcomes = get(format!("/api/v1/dashboards/referrals/outcomes?{JANUARY}")).await;
    let outcomes = column(&outcomes);
    assert_eq!(outcomes[0], ("successful".into(), "x".into()));
    assert!(outcomes.contains(&("unsuccessful.unable_to_contact".into(), "<5".into())));
    assert_eq!(outcomes.last().unwrap(), &("total".into(), "7".into()));

    // Response times by urgency, in hours (median and 90th percentile), from the released
    // histograms (buckets ending at ½, 1, 2, 4, 8, 12, 24, 48, 72, 168 and 336 hours),
    // interpolated across their bucket.
    let times = get(format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&by=urgency")).await;
    assert_eq!(times["spans"], json!(["first_open", "accept", "complete"]));
    let row = |key: &str| times["rows"].as_array().unwrap().iter().find(|r| r["heading"]["key"] == key).unwrap()["timings"].clone();
    let hours = |timing: &Value| (timing["count"].to_string(), timing["median_hours"].as_f64(), timing["p90_hours"].as_f64());
    let near = |got: (String, Option<f64>, Option<f64>), count: &str, median: Option<f64>, p90: Option<f64>| {
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 0.051,
            (a, b) => a == b,
        };
        assert!(got.0 == count && close(got.1, median) && close(got.2, p90), "{got:?} is not {count} {median:?} {p90:?}");
    };
    let routine = row("routine");
    // Nine first openings after 1 hour, all in [1, 2): the median halfway across it.
    near(hours(&routine[0]), "9", Some(1.5), Some(1.9));
    near(hours(&routine[1]), "6", Some(3.0), Some(3.8));
    // Completions after 10 to 60 hours: the third and fourth (30, 40) are in [24, 48).
    near(hours(&routine[2]), "\"x\"", Some(36.0), Some(64.8));
    let emergency = row("emergency");
    near(hours(&emergency[0]), "8", Some(0.75), Some(0.95));
    near(hours(&emergency[2]), "\"<5\"", None, None);
    near(hours(&times["overall"][1]), "14", Some(1.875), Some(3.53));
    near(hours(&times["overall"][2]), "7", Some(36.0), Some(63.6));
    assert!(times["rows"].as_array().unwrap().iter().all(|r| r["heading"]["key"] != "same_day"), "a group with nothing in it is left out");
    let by_region = get(format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&by=region&lang=fr")).await;
    assert_eq!(by_region["rows"][0]["heading"], json!({"key": app.fixture.halifax, "label": "Halifax"}));
    let by_category = get(format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&by=category&lang=fr")).await;
    assert_eq!(by_category["rows"][0]["heading"]["label"], "Logement");

    // Month by month: sent, and of those how many stood accepted, declined, completed and
    // expired when the month was released.
    let trends = get(format!("/api/v1/dashboards/referrals/trends?{JANUARY}")).await;
    let months: Vec<(String, Vec<String>)> =
        trends["rows"].as_array().unwrap().iter().map(|r| (r["heading"]["key"].as_str().unwrap().to_owned(), texts(&r["figures"]))).collect();
    let month = |k: &str, v: [&str; 5]| (k.to_owned(), v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    assert_eq!(months, [month("2026-01", ["22", "5", "<5", "7", "<5"]), month("2026-02", ["0", "0", "0", "0", "0"])]);
    assert_eq!(texts(&trends["totals"]), ["22", "5", "<5", "7", "<5"]);

    // The same suppression in CSV: the small values are nowhere in the file.
    let csv = app.get(&format!("/api/v1/dashboards/referrals/outcomes?{JANUARY}&format=csv"), &coordinator).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("key,label,completed\r\nsuccessful,successful,x\r\n"), "{csv}");
    assert!(csv.contains("unsuccessful.unable_to_contact,unsuccessful.unable_to_contact,<5\r\n") && csv.ends_with("total,total,7\r\n"), "{csv}");
    let times_csv = app.get(&format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&format=csv"), &coordinator).await.text().await.unwrap();
    assert!(times_csv.contains("emergency,emergency,8,0.8,0.9,8,1.5,1.9,<5,,\r\n") || times_csv.contains("emergency,emergency,8,0.8,1.0,8,1.5,1.9,<5,,\r\n"), "{times_csv}");

    // Filters: a region with none of them is all zeros; a period that holds only the
    // three Cape Breton referrals is refused, in JSON and CSV alike.
    let elsewhere = get(format!("/api/v1/dashboards/referrals/funnel?{JANUARY}&region_id={cape_breton}")).await;
    assert_eq!(texts(&elsewhere["totals"]), ["0"]);
    for path in ["funnel", "declines", "outcomes", "trends", "response-times"] {
        for format in ["json", "csv"] {
            let narrow = app.get(&format!("/api/v1/dashboards/referrals/{path}?from=2026-03-01&to=2026-03-31&format={format}"), &coordinator).await;
            assert_eq!(problem(narrow, 422).await["code"], "population_too_small", "{path} {format}");
        }
    }
    let narrow = app.get(&format!("/api/v1/dashboards/referrals/funnel?{JANUARY}&region_id={}", app.fixture.halifax), &coordinator).await;
    assert_eq!(narrow.status(), 200, "all 22 are in Halifax");
    let backwards = problem(app.get("/api/v1/dashboards/referrals/funnel?from=2026-02-01&to=2026-01-01", &coordinator).await, 422).await;
    assert_eq!(backwards["errors"][0]["pointer"], "/from");
    problem(app.get("/api/v1/dashboards/referrals/response-times?by=participant", &coordinator).await, 400).await;

    // Nothing about a participant in any of it.
    for body in [&funnel, &times, &trends] {
        let text = body.to_string();
        assert!(!text.contains(&participant) && !text.contains("Nova") && !text.contains(CANARY), "{text}");
    }
}

/// Without noise (see `figures_match_a_hand_computed_fixture`).
async fn directory_gaps_stale_listings_and_expiring_consents(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.dashboard_epsilon = 1000.0).await;
    shelter_of_b(&app).await;
    app.execute_sql("INSERT INTO regions (id, slug, name, name_fr) VALUES ('region-cape-breton', 'cape-breton', 'Cape Breton', 'Cap-Breton')").await;
    let coordinator = app.token(Role::SystemAdmin, 'a').await;

    // Categories × regions, each counting its whole subtree; empty cells are gaps.
    let map: Value = app.get("/api/v1/dashboards/coverage?lang=fr", &coordinator).await.json().await.unwrap();
    assert_eq!(map["regions"], json!([{"key": "region-cape-breton", "label": "Cap-Breton"}, {"key": app.fixture.halifax, "label": "Halifax"}]));
    assert_eq!(map["rows"][0]["category"], json!({"key": app.fixture.housing, "label": "Logement"}));
    assert_eq!(map["rows"][0]["cells"], json!([{"services": 0, "accepting": 0, "gap": true}, {"services": 1, "accepting": 1, "gap": false}]));
    let drill: Value = app.get(&format!("/api/v1/dashboards/coverage?parent_id={}", app.fixture.housing), &coordinator).await.json().await.unwrap();
    assert_eq!(drill["rows"][0]["category"]["key"], app.fixture.emergency_shelter.as_str());
    assert_eq!(drill["rows"][0]["cells"][1]["services"], 1);
    problem(app.get("/api/v1/dashboards/coverage?parent_id=nope", &coordinator).await, 404).await;
    let csv = app.get("/api/v1/dashboards/coverage?format=csv", &coordinator).await.text().await.unwrap();
    assert!(csv.contains(&format!("{},Housing & shelter,region-cape-breton,Cape Breton,0,0,true\r\n", app.fixture.housing)), "{csv}");

    // A new, never verified listing is stale; once verified it is not.
    let stale: Value = app.get("/api/v1/dashboards/stale-listings", &coordinator).await.json().await.unwrap();
    assert_eq!(stale["after_days"], 180);
    assert_eq!(stale["rows"], json!([{"organization": {"key": app.fixture.org_b, "label": "Organization B"}, "listings": 1, "stale": 1, "oldest_verified_on": null}]));
    app.execute_sql("UPDATE services SET verified_at = updated_at").await;
    let stale: Value = app.get("/api/v1/dashboards/stale-listings?days=30", &coordinator).await.json().await.unwrap();
    assert_eq!(stale["rows"], json!([]));
    problem(app.get("/api/v1/dashboards/stale-listings?days=0", &coordinator).await, 422).await;

    // Consents ending within 30 days, counted by the organization that holds them.
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Wren").await;
    let mut soon = verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"]);
    soon["expires_at"] = json!((chrono::Utc::now() + chrono::Duration::days(10)).to_rfc3339());
    consent(&app, &outreach_a, soon).await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let expiring: Value = app.get("/api/v1/dashboards/consents/expiring", &coordinator).await.json().await.unwrap();
    assert_eq!(column(&expiring), pairs(&[(app.fixture.org_a.as_str(), "<5"), ("total", "<5")]));
    assert!(!expiring.to_string().contains(&participant));
}

/// Participants' plans, counted for coordinators (without noise): goals by domain and
/// status, plans with goals and with a current safety plan, the stage of change from first
/// to latest; never a participant, small counts suppressed.
async fn plans_are_counted_without_a_participant(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.dashboard_epsilon = 1000.0).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let mut people = Vec::new();
    for n in 0..8 {
        let participant = record_participant(&app, &worker, &format!("Planner {n}")).await;
        let plan = format!("/api/v1/participants/{participant}/plan");
        let goal = if n < 7 { json!({"domain": "housing", "title": "a room"}) } else { json!({"domain": "legal", "title": "a lawyer", "status": "achieved"}) };
        assert_eq!(app.post(&format!("{plan}/goals"), &worker, &goal).await.status(), 201);
        if n < 6 {
            for stage in ["contemplation", "action"] {
                assert_eq!(app.post(&format!("{plan}/stages"), &worker, &json!({"stage": stage})).await.status(), 201);
            }
        }
        // Five safety plans with no review date, one past it: five are current.
        if n < 6 {
            let review = if n == 5 { json!("2020-01-01") } else { json!(null) };
            let written = app.put(&format!("/api/v1/participants/{participant}/safety-plan"), &worker, Some("\"0\""), &json!({"content": {"next_time": "call"}, "review_on": review})).await;
            assert_eq!(written.status(), 200);
        }
        people.push(participant);
    }
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let goals: Value = app.get("/api/v1/dashboards/plans/goals", &coordinator).await.json().await.unwrap();
    let columns: Vec<&str> = goals["columns"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap()).collect();
    assert_eq!(columns, ["active", "achieved", "set_aside"]);
    let row = |key: &str| goals["rows"].as_array().unwrap().iter().find(|r| r["heading"]["key"] == key).map(|r| texts(&r["figures"])).unwrap();
    assert_eq!(row("housing")[0], "7");
    assert_eq!(row("legal")[1], "<5", "one achieved goal is a small count");
    let care: Value = app.get("/api/v1/dashboards/plans/care", &coordinator).await.json().await.unwrap();
    let care = column(&care);
    assert_eq!(&care[..5], pairs(&[("with_goals", "8"), ("current_safety_plan", "5"), ("stage_moved_on", "6"), ("stage_unchanged", "0"), ("stage_went_back", "0")]));
    let csv = app.get("/api/v1/dashboards/plans/care?format=csv", &coordinator).await.text().await.unwrap();
    assert!(csv.contains("stage_moved_on"), "{csv}");
    for answer in [goals.to_string(), csv] {
        assert!(people.iter().all(|p| !answer.contains(p.as_str())) && !answer.contains("Planner") && !answer.contains("a room"), "{answer}");
    }
}

async fn conferences_are_counted_without_a_participant(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.dashboard_epsilon = 1000.0).await;
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Conferee").await;
    consent(&app, &worker, verbal(&participant, &[&app.fixture.org_b], &["case_conference"], &["case_notes"])).await;
    let body = json!({"starts_at": "2026-11-03T14:00:00Z", "minutes": 60, "status": "held", "invited": [{"organization_id": app.fixture.org_b}]});
    let mut conferences = Vec::new();
    for _ in 0..6 {
        let held: Value = app.post(&format!("/api/v1/participants/{participant}/conferences"), &worker, &body).await.json().await.unwrap();
        conferences.push(held["id"].as_str().unwrap().to_owned());
    }
    // Five done by their date, five after it, six open past it.
    let actions = [("2099-01-01", "done"); 5].into_iter().chain([("2020-01-01", "done"); 5]).chain([("2020-01-01", "open"); 6]);
    for (n, (due_on, status)) in actions.enumerate() {
        let action = json!({"description": "call back", "organization_id": app.fixture.org_b, "due_on": due_on, "status": status});
        assert_eq!(app.post(&format!("/api/v1/conferences/{}/actions", conferences[n % 6]), &worker, &action).await.status(), 201);
    }
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let table: Value = app.get("/api/v1/dashboards/conferences", &coordinator).await.json().await.unwrap();
    assert_eq!(&column(&table)[..4], pairs(&[("conferences_held", "6"), ("actions_done_on_time", "5"), ("actions_done_late", "5"), ("actions_open_overdue", "6")]), "{table}");
    problem(app.get("/api/v1/dashboards/conferences", &worker).await, 403).await;
    assert!(!table.to_string().contains(&participant) && !table.to_string().contains("Conferee"), "{table}");
}

async fn referrals_record_where_they_count_and_when_each_step_came(app: TestApp) {
    let service = shelter_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let participant = record_participant(&app, &outreach_a, "Orion").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    let opened = app.get(&format!("/api/v1/referrals/{id}"), &intake_b).await;
    let version = opened.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(step(&app, &intake_b, &id, &version, json!({"action": "accept"})).await.status(), 200);

    use diesel::prelude::*;
    use harbour::db::schema::referrals;
    type Facts = (Option<String>, Option<String>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>);
    let db = app.db.clone();
    let lookup = id.clone();
    let (region, category, sent_at, received, accepted, closed): Facts = tokio::task::spawn_blocking(move || {
        referrals::table
            .find(lookup)
            .select((referrals::region_id, referrals::category_id, referrals::sent_at, referrals::received_at, referrals::accepted_at, referrals::closed_at))
            .first(&mut db.get().unwrap())
            .unwrap()
    })
    .await
    .unwrap();
    assert_eq!(region.as_deref(), Some(app.fixture.halifax.as_str()), "the service's region");
    assert_eq!(category.as_deref(), Some(app.fixture.housing.as_str()), "the top-level category of the service's category, as no need was named");
    let (sent_at, received, accepted) = (sent_at.unwrap(), received.unwrap(), accepted.unwrap());
    assert!(sent_at <= received && received <= accepted, "milestones in order");
    assert!(closed.is_none());
}

async fn only_coordinators_and_system_admins_read_dashboards(app: TestApp) {
    let paths = [
        "/api/v1/dashboards/referrals/funnel",
        "/api/v1/dashboards/referrals/response-times",
        "/api/v1/dashboards/referrals/declines",
        "/api/v1/dashboards/referrals/outcomes",
        "/api/v1/dashboards/referrals/overdue",
        "/api/v1/dashboards/referrals/trends",
        "/api/v1/dashboards/consents/expiring",
        "/api/v1/dashboards/plans/goals",
        "/api/v1/dashboards/plans/care",
        "/api/v1/dashboards/coverage",
        "/api/v1/dashboards/stale-listings",
    ];
    let client = client_token(&app, 'a', &["directory:read", "referrals:read", "referrals:write"]).await;
    let mut refused = vec![client];
    for role in [Role::OutreachWorker, Role::IntakeWorker, Role::AgencyAdmin] {
        refused.push(app.token(role, 'a').await);
    }
    let allowed = [app.token(Role::Coordinator, 'b').await, app.token(Role::SystemAdmin, 'a').await];
    for path in paths {
        for token in &refused {
            problem(app.get(path, token).await, 403).await;
        }
        for token in &allowed {
            assert_eq!(app.get(path, token).await.status(), 200, "{path}");
        }
        problem(app.request(reqwest::Method::GET, path).send().await.unwrap(), 401).await;
        // Refused before anything about the request is looked at: bad filters change nothing.
        problem(app.get(&format!("{path}?from=2026-02-01&to=2026-01-01&format=xml&days=0"), &refused[1]).await, 403).await;
    }
}

/// A coordinator's differencing attack, on generated referrals from June to September
/// 2026 in three regions, with one referral sent on 30 September in Sydney and declined:
/// windows a day apart, for every region and all, across the referral tables. It recovers
/// nothing: the answers are of whole released months, the same however the window is
/// drawn and however often it is asked; and the released cells carry noise.
async fn differencing_windows_regions_and_tables_recovers_no_small_count(app: TestApp) {
    use rand::{Rng, SeedableRng};
    let service = shelter_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Vega").await;
    let regions = [app.fixture.halifax.clone(), "region-sydney".to_owned(), "region-truro".to_owned()];
    for (id, name) in [("region-sydney", "Sydney"), ("region-truro", "Truro")] {
        app.execute_sql(format!("INSERT INTO regions (id, slug, name, name_fr) VALUES ('{id}', '{}', '{name}', '{name}')", name.to_lowercase())).await;
    }
    let seed: u64 = rand::random();
    println!("generated referrals from seed {seed}");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    const STATUSES: [&str; 8] = ["sent", "received", "accepted", "declined", "in_progress", "completed", "withdrawn", "expired"];
    const REASONS: [&str; 3] = ["no_capacity", "not_eligible", "other"];
    for n in 0..160 {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() + chrono::Duration::days(rng.gen_range(0..121));
        let sent = day.and_hms_opt(rng.gen_range(11..23), rng.gen_range(0..60), 0).unwrap();
        let status = STATUSES[rng.gen_range(0..STATUSES.len())];
        let reason = (status == "declined").then(|| REASONS[rng.gen_range(0..REASONS.len())]);
        let outcome = (status == "completed").then_some("successful");
        let received = (status != "sent").then(|| rng.gen_range(0.1..48.0));
        let accepted = ["accepted", "in_progress", "completed"].contains(&status).then(|| received.unwrap_or(0.0) + rng.gen_range(0.1..72.0));
        let closed = ["declined", "completed", "withdrawn", "expired"].contains(&status).then(|| accepted.or(received).unwrap_or(0.0) + rng.gen_range(1.0..400.0));
        let urgency = ["routine", "soon", "same_day", "emergency"][rng.gen_range(0..4)];
        let region = &regions[rng.gen_range(0..regions.len())];
        insert_referral(&app, &format!("generated-{n}"), &participant, &service, region, sent, &Row(urgency, status, reason, outcome, 0, received, accepted, closed)).await;
    }
    let planted = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap().and_hms_opt(15, 0, 0).unwrap();
    insert_referral(&app, "planted", &participant, &service, "region-sydney", planted, &Row("emergency", "declined", Some("no_capacity"), None, 0, Some(1.0), None, Some(2.0))).await;

    let coordinator = app.token(Role::Coordinator, 'a').await;
    let tables = ["funnel", "declines", "outcomes", "trends", "response-times", "response-times?by=region", "response-times?by=organization"];
    let mut scopes: Vec<Option<&str>> = vec![None];
    scopes.extend(regions.iter().map(|r| Some(r.as_str())));
    for scope in &scopes {
        for table in tables {
            let mut answers = Vec::new();
            for to in ["2026-09-28", "2026-09-29", "2026-09-30"] {
                let (path, query) = table.split_once('?').map_or((table, String::new()), |(p, q)| (p, format!("&{q}")));
                let region = scope.map(|r| format!("&region_id={r}")).unwrap_or_default();
                let response = app.get(&format!("/api/v1/dashboards/referrals/{path}?from=2026-06-01&to={to}{region}{query}"), &coordinator).await;
                let status = response.status();
                let body = response.text().await.unwrap();
                assert!(status == 200 || (status == 422 && body.contains("population_too_small")), "{table} {scope:?}: {status} {body}");
                answers.push(body);
            }
            // The difference between the windows is the planted referral (and the
            // generated ones of those days); between the answers, there is none.
            assert!(answers.windows(2).all(|w| w[0] == w[1]), "{table} in {scope:?} moved with a window a day longer:\n{}\n{}", answers[0], answers[2]);
        }
    }

    // Asking again, from another instance too, gives the same figures: there is no fresh
    // sample to average.
    let other = app.second_instance().await;
    let path = "/api/v1/dashboards/referrals/declines?from=2026-09-01&to=2026-09-30&region_id=region-sydney&format=csv";
    let first = app.get(path, &coordinator).await.text().await.unwrap();
    let again = reqwest::Client::new().get(format!("{other}{path}")).bearer_auth(&coordinator).send().await.unwrap().text().await.unwrap();
    assert_eq!(first, again);

    // The released cells carry noise. With ε = 1 a cell is off its true count with
    // probability 0.54, and by more than one with 0.2: of the 128 funnel cells (four
    // months, four scopes, eight statuses), well over 30 % and 5 % (each bound over four
    // standard deviations below what is expected).
    let noisy = released_off_by(&app, 0).await;
    let far = released_off_by(&app, 1).await;
    assert_eq!(noisy.1, 128, "{noisy:?}");
    assert!(noisy.0 as f64 > 0.3 * noisy.1 as f64 && far.0 as f64 > 0.05 * far.1 as f64, "exact too often: {noisy:?} {far:?}");
}

/// How many released referral cells are more than `by` away from the count they were
/// released for, and of how many: every month's funnel cell is compared with the
/// referrals it counts (every region and all).
async fn released_off_by(app: &TestApp, by: i64) -> (usize, usize) {
    use diesel::prelude::*;
    use harbour::db::schema::{dashboard_cells, referrals};
    let db = app.db.clone();
    tokio::task::spawn_blocking(move || {
        let conn = &mut db.get().unwrap();
        let cells: Vec<(String, String, String, i64)> = dashboard_cells::table
            .filter(dashboard_cells::measure.eq("funnel"))
            .select((dashboard_cells::period, dashboard_cells::scope, dashboard_cells::row_key, dashboard_cells::value))
            .load(conn)
            .unwrap();
        let sent: Vec<(Option<String>, String, Option<chrono::NaiveDateTime>)> = referrals::table.select((referrals::region_id, referrals::status, referrals::sent_at)).load(conn).unwrap();
        // Halifax time: the generated referrals are sent between 11:00 and 23:59 UTC, so
        // on the same local day.
        let truth = |period: &str, scope: &str, status: &str| {
            sent.iter()
                .filter(|(region, s, at)| s == status && at.is_some_and(|at| at.format("%Y-%m").to_string() == period) && (scope == "*" || region.as_deref() == Some(scope)))
                .count() as i64
        };
        let off = cells.iter().filter(|(period, scope, status, value)| (value - truth(period, scope, status)).abs() > by).count();
        (off, cells.len())
    })
    .await
    .unwrap()
}

on_both_backends!(
    differencing_windows_regions_and_tables_recovers_no_small_count,
    referrals_record_where_they_count_and_when_each_step_came,
    only_coordinators_and_system_admins_read_dashboards,
);

/// The tests that read figures released without noise, on both backends.
mod without_noise {
    macro_rules! on_both {
        ($($name:ident),*) => {
            mod sqlite {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::super::$name(harbour::db::Backend::Sqlite).await
                })*
            }
            mod postgres {
                $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::super::$name(harbour::db::Backend::Postgres).await
                })*
            }
        };
    }

    on_both!(figures_match_a_hand_computed_fixture, directory_gaps_stale_listings_and_expiring_consents, plans_are_counted_without_a_participant, conferences_are_counted_without_a_participant);
}
