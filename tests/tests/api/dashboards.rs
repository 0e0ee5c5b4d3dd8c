//! Coordinator dashboards: figures against a hand-computed fixture, small-cell and
//! complementary suppression (on screen and in CSV), refused narrow filters, and who may
//! read them.

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

/// Writes the fixture's referrals straight into the database (their times are the point),
/// for `participant` of A to `service` of B.
async fn load_fixture(app: &TestApp, participant: &str, service: &str, cape_breton: &str) {
    let at = |day: u32, month: u32, hours: Option<f64>| match hours {
        Some(h) => {
            let t = chrono::NaiveDate::from_ymd_opt(2026, month, day).unwrap().and_hms_opt(12, 0, 0).unwrap() + chrono::Duration::minutes((h * 60.0) as i64);
            format!("'{}'", t.format("%Y-%m-%d %H:%M:%S"))
        }
        None => "NULL".into(),
    };
    let text = |v: Option<&str>| v.map_or("NULL".to_owned(), |v| format!("'{v}'"));
    let mut rows: Vec<(Row, u32, &str)> = fixture().into_iter().map(|r| (r, 1, app.fixture.halifax.as_str())).collect();
    for _ in 0..3 {
        rows.push((Row("soon", "sent", None, None, 2, None, None, None), 3, cape_breton));
    }
    for (n, (Row(urgency, status, reason, outcome, day, received, accepted, closed), month, region)) in rows.into_iter().enumerate() {
        app.execute_sql(format!(
            "INSERT INTO referrals (id, from_organization_id, to_organization_id, service_id, participant_id, need_category_ids, urgency, \
             participant_confirmed, status, reason, outcome, due_at, version, created_at, sent_at, updated_at, region_id, category_id, received_at, accepted_at, closed_at) \
             VALUES ('fixture-{n}', '{a}', '{b}', '{service}', '{participant}', '[]', '{urgency}', TRUE, '{status}', {reason}, {outcome}, {sent}, 1, {sent}, {sent}, {sent}, \
             '{region}', '{housing}', {received}, {accepted}, {closed})",
            a = app.fixture.org_a,
            b = app.fixture.org_b,
            housing = app.fixture.housing,
            reason = text(reason),
            outcome = text(outcome),
            sent = at(day, month, Some(0.0)),
            received = at(day, month, received),
            accepted = at(day, month, accepted),
            closed = at(day, month, closed),
        ))
        .await;
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

const JANUARY: &str = "from=2026-01-05&to=2026-02-01";

async fn figures_match_a_hand_computed_fixture(app: TestApp) {
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
    assert_eq!(funnel["scope"], json!({"from": "2026-01-05", "to": "2026-02-01", "region_id": null}));

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

    // Response times by urgency, in hours (median and 90th percentile, interpolated).
    let times = get(format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&by=urgency")).await;
    assert_eq!(times["spans"], json!(["first_open", "accept", "complete"]));
    let row = |key: &str| times["rows"].as_array().unwrap().iter().find(|r| r["heading"]["key"] == key).unwrap()["timings"].clone();
    let routine = row("routine");
    assert_eq!(routine[0], json!({"count": 9, "median_hours": 1.0, "p90_hours": 1.0}));
    assert_eq!(routine[1], json!({"count": 6, "median_hours": 2.0, "p90_hours": 2.0}));
    assert_eq!(routine[2], json!({"count": "x", "median_hours": 35.0, "p90_hours": 55.0}), "6 completions hidden to protect the emergency one");
    let emergency = row("emergency");
    assert_eq!(emergency[0], json!({"count": 8, "median_hours": 0.5, "p90_hours": 0.5}));
    assert_eq!(emergency[2], json!({"count": "<5", "median_hours": null, "p90_hours": null}), "one completion: no time shown");
    assert_eq!(times["overall"][1], json!({"count": 14, "median_hours": 1.0, "p90_hours": 2.0}));
    assert_eq!(times["overall"][2], json!({"count": 7, "median_hours": 30.0, "p90_hours": 54.0}));
    let by_region = get(format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&by=region&lang=fr")).await;
    assert_eq!(by_region["rows"][0]["heading"], json!({"key": app.fixture.halifax, "label": "Halifax"}));
    let by_category = get(format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&by=category&lang=fr")).await;
    assert_eq!(by_category["rows"][0]["heading"]["label"], "Logement");

    // Week by week (Mondays, Halifax time): sent, accepted, declined, completed, expired.
    let trends = get(format!("/api/v1/dashboards/referrals/trends?{JANUARY}")).await;
    let weeks: Vec<(String, Vec<String>)> =
        trends["rows"].as_array().unwrap().iter().map(|r| (r["heading"]["key"].as_str().unwrap().to_owned(), texts(&r["figures"]))).collect();
    let week = |k: &str, v: [&str; 5]| (k.to_owned(), v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    assert_eq!(
        weeks,
        [
            week("2026-01-05", ["12", "6", "<5", "x", "0"]),
            week("2026-01-12", ["10", "8", "0", "<5", "0"]),
            week("2026-01-19", ["0", "0", "0", "0", "0"]),
            week("2026-01-26", ["0", "0", "0", "0", "<5"]),
        ]
    );
    assert_eq!(texts(&trends["totals"]), ["22", "14", "<5", "7", "<5"]);

    // The same suppression in CSV: the small values are nowhere in the file.
    let csv = app.get(&format!("/api/v1/dashboards/referrals/outcomes?{JANUARY}&format=csv"), &coordinator).await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("key,label,completed\r\nsuccessful,successful,x\r\n"), "{csv}");
    assert!(csv.contains("unsuccessful.unable_to_contact,unsuccessful.unable_to_contact,<5\r\n") && csv.ends_with("total,total,7\r\n"), "{csv}");
    let times_csv = app.get(&format!("/api/v1/dashboards/referrals/response-times?{JANUARY}&format=csv"), &coordinator).await.text().await.unwrap();
    assert!(times_csv.contains("emergency,emergency,8,0.5,0.5,8,1.0,1.0,<5,,\r\n"), "{times_csv}");

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

async fn directory_gaps_stale_listings_and_expiring_consents(app: TestApp) {
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

on_both_backends!(
    figures_match_a_hand_computed_fixture,
    directory_gaps_stale_listings_and_expiring_consents,
    referrals_record_where_they_count_and_when_each_step_came,
    only_coordinators_and_system_admins_read_dashboards,
);
