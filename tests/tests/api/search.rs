//! Directory search: forgiving words in English and French, filters, facets, stable
//! paging, and no precise distance to anyone else's safe house.

use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

on_both_backends!(
    words_are_forgiven,
    filters_narrow_the_results,
    safe_houses_get_only_a_rough_distance,
    paging_is_stable_and_edits_show_at_once,
    another_instance_finds_a_change_within_a_second,
    a_closed_service_says_when_it_opens_next,
    holidays_close_a_service_on_their_dates,
);

/// Four services: a confidential shelter of A, a French legal clinic of A, and two of B.
async fn directory(app: &TestApp) -> (String, String) {
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let (org_a, org_b) = (&app.fixture.org_a, &app.fixture.org_b);
    let place = |visibility: &str, lat: f64, lon: f64| json!({"name": "Place", "visibility": visibility, "address_1": "1 Main St", "city": "Town", "latitude": lat, "longitude": lon});
    let safe_house: Value = app.post(&format!("/api/v1/organizations/{org_a}/locations"), &admin_a, &place("confidential", 44.64, -63.57)).await.json().await.unwrap();
    let truro: Value = app.post(&format!("/api/v1/organizations/{org_b}/locations"), &admin_b, &place("public", 45.365, -63.28)).await.json().await.unwrap();
    let every_day: Vec<Value> = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].iter().map(|d| json!({"byday": d, "opens_at": "00:00", "closes_at": "24:00"})).collect();
    let services = [
        (org_a, &admin_a, json!({"name": "Emergency Youth Shelter", "description": "Beds for youth.", "open_24_7": true, "minimum_age": 16, "maximum_age": 24,
            "languages": ["en", "fr"], "harbour_attributes": ["fit:no_id_required", "gender:women"], "category_ids": [app.fixture.emergency_shelter],
            "region_ids": [app.fixture.halifax], "location_ids": [safe_house["id"]]})),
        (org_a, &admin_a, json!({"name": "Clinique juridique jeunesse", "description": "Aide juridique gratuite pour les jeunes.", "languages": ["fr"]})),
        (org_b, &admin_b, json!({"name": "Food bank", "description": "Groceries and hot meals.", "location_ids": [truro["id"]], "accepts_referrals": false})),
        (org_b, &admin_b, json!({"name": "Drop-in centre", "description": "Coffee, showers, laundry.", "schedules": every_day, "location_ids": [truro["id"]]})),
    ];
    let mut shelter_id = String::new();
    for (org, token, body) in services {
        let created: Value = app.post(&format!("/api/v1/organizations/{org}/services"), token, &body).await.json().await.unwrap();
        if created["name"] == "Emergency Youth Shelter" {
            shelter_id = created["id"].as_str().unwrap().to_owned();
        }
    }
    (app.token(Role::OutreachWorker, 'b').await, shelter_id)
}

async fn search(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app.get(&format!("/api/v1/services/search?{query}"), token).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

fn names(results: &Value) -> Vec<String> {
    results["contents"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_owned()).collect()
}

async fn words_are_forgiven(app: TestApp) {
    let (token, _) = directory(&app).await;
    for q in ["shelter", "SHELTER", "shelt", "sheltr", "sehlter", "shelters", "youth shelt", "hebergement", "hébergement", "urgence"] {
        assert_eq!(names(&search(&app, &token, &format!("q={q}")).await).first().map(String::as_str), Some("Emergency Youth Shelter"), "q={q}");
    }
    for q in ["juridique", "juridiqe", "jeunesse", "aide"] {
        assert_eq!(names(&search(&app, &token, &format!("q={q}")).await).first().map(String::as_str), Some("Clinique juridique jeunesse"), "q={q}");
    }
    // Every word must match; the organization's name counts too.
    assert_eq!(names(&search(&app, &token, "q=shelter%20groceries").await), Vec::<String>::new());
    assert_eq!(search(&app, &token, "q=organization").await["total_items"], 4);
    // HSDS's own `search` parameter on /services gives full services, best first.
    let hsds: Value = app.get("/api/v1/services?search=sheltr", &token).await.json().await.unwrap();
    assert_eq!(hsds["total_items"], 1);
    assert_eq!(hsds["contents"][0]["name"], "Emergency Youth Shelter");
    assert!(hsds["contents"][0]["phones"].is_array(), "a full service, not a search card");
    // With the filters the index knows; the others are refused, not ignored.
    let total = |query: String| {
        let (app, token) = (&app, &token);
        async move { app.get(&format!("/api/v1/services?{query}"), token).await.json::<Value>().await.unwrap()["total_items"].as_u64() }
    };
    assert_eq!(total("search=organization".into()).await, Some(4));
    assert_eq!(total(format!("search=organization&organization_id={}", app.fixture.org_b)).await, Some(2));
    assert_eq!(total(format!("search=organization&taxonomy_term_id={}", app.fixture.housing)).await, Some(1), "a category below counts");
    assert_eq!(total("search=organization&organization_id=no-such-organization".into()).await, Some(0));
    problem(app.get("/api/v1/services?search=shelter&modified_after=2000-01-01T00:00:00Z", &token).await, 422).await;
    // A name match outranks a description match.
    let youth = names(&search(&app, &token, "q=youth").await);
    assert_eq!(youth.first().map(String::as_str), Some("Emergency Youth Shelter"));
}

async fn filters_narrow_the_results(app: TestApp) {
    let (token, _) = directory(&app).await;
    let all = search(&app, &token, "").await;
    assert_eq!(all["total_items"], 4);
    assert_eq!(all["facets"]["open_24_7"], 1);
    assert_eq!(all["facets"]["open_now"], 2, "the 24/7 shelter and the every-day drop-in");
    let cases = [
        (format!("category={}", app.fixture.housing), vec!["Emergency Youth Shelter"]),
        (format!("region={}", app.fixture.halifax), vec!["Emergency Youth Shelter"]),
        ("open_now=true".to_owned(), vec!["Drop-in centre", "Emergency Youth Shelter"]),
        ("open_24_7=true".to_owned(), vec!["Emergency Youth Shelter"]),
        ("age=30".to_owned(), vec!["Clinique juridique jeunesse", "Drop-in centre", "Food bank"]),
        ("language=fr".to_owned(), vec!["Clinique juridique jeunesse", "Emergency Youth Shelter"]),
        ("attributes=fit:no_id_required".to_owned(), vec!["Emergency Youth Shelter"]),
        ("accepts_referrals=true&q=food".to_owned(), vec![]),
        // Marked for girls and women, the shelter is left out for boys and men; the other
        // services are marked with no gender: they serve everyone.
        ("gender=men".to_owned(), vec!["Clinique juridique jeunesse", "Drop-in centre", "Food bank"]),
        ("gender=women&open_24_7=true".to_owned(), vec!["Emergency Youth Shelter"]),
        ("capacity=full".to_owned(), vec![]),
        ("near=45.36,-63.28&radius_km=5".to_owned(), vec!["Drop-in centre", "Food bank"]),
    ];
    for (query, expected) in cases {
        assert_eq!(names(&search(&app, &token, &query).await), expected, "{query}");
    }
    let facets = &all["facets"];
    assert!(facets["categories"].as_array().unwrap().iter().any(|f| f["value"] == app.fixture.housing.as_str() && f["count"] == 1));
    assert!(facets["languages"].as_array().unwrap().iter().any(|f| f["value"] == "fr" && f["count"] == 2));
    for bad in ["near=north", "sort=distance", "sort=random", "attributes=fit:unknown", "gender=girls", "radius_km=-1", "open_now=maybe"] {
        let status = app.get(&format!("/api/v1/services/search?{bad}"), &token).await.status().as_u16();
        assert!(status == 422 || status == 400, "{bad} gave {status}");
    }
    problem(app.get("/api/v1/services/search?near=north", &token).await, 422).await;
}

async fn safe_houses_get_only_a_rough_distance(app: TestApp) {
    let (outsider, shelter) = directory(&app).await;
    let at_the_door = "near=44.6401,-63.5701&sort=distance";
    let theirs = search(&app, &outsider, at_the_door).await;
    let hit = theirs["contents"].as_array().unwrap().iter().find(|h| h["id"] == shelter.as_str()).unwrap();
    // Measured to the centre of its grid cell (44.65, -63.525), 3.7 km away, up to a whole km.
    assert_eq!(hit["distance_km"], 4.0);
    assert_eq!(hit["distance_approximate"], true);
    assert!(!theirs.to_string().contains("44.64"), "no coordinates in search results");
    assert_eq!(names(&search(&app, &outsider, "near=44.6401,-63.5701&radius_km=3").await), Vec::<String>::new());

    let insider = app.token(Role::OutreachWorker, 'a').await;
    let ours = search(&app, &insider, at_the_door).await;
    assert_eq!(ours["contents"][0]["id"], shelter.as_str());
    assert_eq!(ours["contents"][0]["distance_km"], 0.0);
    assert_eq!(ours["contents"][0]["distance_approximate"], false);
    assert_eq!(names(&search(&app, &insider, "near=44.6401,-63.5701&radius_km=3").await), ["Emergency Youth Shelter"]);
}

async fn paging_is_stable_and_edits_show_at_once(app: TestApp) {
    let (token, shelter) = directory(&app).await;
    let whole: Vec<String> = search(&app, &token, "per_page=100").await["contents"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_owned()).collect();
    let mut paged = Vec::new();
    for page in 1..=4 {
        let one = search(&app, &token, &format!("per_page=1&page={page}")).await;
        assert_eq!(one["total_pages"], 4);
        paged.push(one["contents"][0]["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(paged, whole);

    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let current = app.get(&format!("/api/v1/services/{shelter}"), &admin).await;
    let etag = current.headers()["etag"].to_str().unwrap().to_owned();
    let body = json!({"name": "Harbour Light youth beds", "description": "Beds for youth.", "open_24_7": true});
    assert_eq!(app.put(&format!("/api/v1/services/{shelter}"), &admin, Some(&etag), &body).await.status(), 200);
    assert_eq!(names(&search(&app, &token, "q=harbour%20light").await), ["Harbour Light youth beds"]);

    // A one-tap capacity update changes the index in place: seen at once, by filter,
    // facet and card, on this instance and (by the poll's rebuild) on another.
    let other = app.second_instance().await;
    let version = app.get(&format!("/api/v1/services/{shelter}"), &admin).await.headers()["etag"].to_str().unwrap().to_owned();
    let full = json!({"status": "full", "available": 0, "maximum": 12, "unit": "beds"});
    assert_eq!(app.put(&format!("/api/v1/services/{shelter}/capacity"), &admin, Some(&version), &full).await.status(), 200);
    let found = search(&app, &token, "capacity=full").await;
    assert_eq!(names(&found), ["Harbour Light youth beds"]);
    assert_eq!(found["contents"][0]["capacity"]["maximum"], 12);
    assert!(search(&app, &token, "").await["facets"]["capacity"].as_array().unwrap().iter().any(|f| f["value"] == "full" && f["count"] == 1));
    found_elsewhere(&app, &other, &token, "capacity=full", std::time::Duration::from_secs(2)).await;
    // A later full rebuild (another write) keeps it: the database has it.
    let version = app.get(&format!("/api/v1/services/{shelter}"), &admin).await.headers()["etag"].to_str().unwrap().to_owned();
    let body = json!({"name": "Harbour Light youth beds", "description": "Beds for youth, any night.", "open_24_7": true});
    assert_eq!(app.put(&format!("/api/v1/services/{shelter}"), &admin, Some(&version), &body).await.status(), 200);
    assert_eq!(names(&search(&app, &token, "capacity=full").await), ["Harbour Light youth beds"]);
}

/// What search finds, apart from scores: the ids (in order when sorted by distance, as a
/// set otherwise: a patched index still counts superseded documents in words' rarity),
/// the total, the facets and each card.
async fn found(app: &TestApp, base: &str, token: &str, query: &str) -> Value {
    let url = format!("{base}/api/v1/services/search?per_page=100&{query}");
    let mut results: Value = app.client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    let mut hits: Vec<Value> = results["contents"].as_array().unwrap().clone();
    for hit in &mut hits {
        hit.as_object_mut().unwrap().remove("score");
    }
    if !query.contains("sort=distance") {
        hits.sort_by_key(|h| h["id"].as_str().unwrap().to_owned());
    }
    results["contents"] = Value::Array(hits);
    results
}

/// A service edit, a retirement, a new service and a moved place are patched into this
/// instance's index at once; a second instance started afterwards builds its index whole
/// from the database, and both find the same. (The poll is set to an hour, so this
/// instance's index is the patched one throughout.)
async fn writes_patch_search_as_a_full_rebuild_finds(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.directory_poll_ms = 3_600_000).await;
    let (outsider, shelter) = directory(&app).await;
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let insider = app.token(Role::OutreachWorker, 'a').await;
    let etag = app.get(&format!("/api/v1/services/{shelter}"), &admin).await.headers()["etag"].to_str().unwrap().to_owned();
    let body = json!({"name": "Night harbour beds", "description": "Beds for youth, any night.", "open_24_7": true, "languages": ["en"],
        "harbour_attributes": ["fit:walk_in"], "category_ids": [app.fixture.housing], "region_ids": [app.fixture.halifax],
        "location_ids": app.get(&format!("/api/v1/services/{shelter}"), &admin).await.json::<Value>().await.unwrap()["service_at_locations"]
            .as_array().unwrap().iter().map(|l| l["location_id"].clone()).collect::<Vec<_>>()});
    let edited: Value = app.put(&format!("/api/v1/services/{shelter}"), &admin, Some(&etag), &body).await.json().await.unwrap();
    assert_eq!(names(&search(&app, &outsider, "q=emergency%20youth").await), Vec::<String>::new(), "the old name is gone at once");
    assert_eq!(names(&search(&app, &outsider, "q=harbour%20beds").await), ["Night harbour beds"]);
    let clinic = search(&app, &outsider, "q=clinique").await["contents"][0]["id"].as_str().unwrap().to_owned();
    let clinic_etag = app.get(&format!("/api/v1/services/{clinic}"), &admin).await.headers()["etag"].to_str().unwrap().to_owned();
    let retired = json!({"name": "Clinique juridique jeunesse", "description": "Fermée.", "status": "inactive"});
    assert_eq!(app.put(&format!("/api/v1/services/{clinic}"), &admin, Some(&clinic_etag), &retired).await.status(), 200);
    assert_eq!(search(&app, &outsider, "q=clinique").await["total_items"], 0, "a retired service leaves search at once");
    let created = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &json!({"name": "Harbour mobile van"})).await;
    assert_eq!(created.status(), 201);
    // The safe house moves to Truro: distances change at once, and stay rough for outsiders.
    let place = edited["service_at_locations"][0]["location"].clone();
    let moved = json!({"name": "Place", "visibility": "confidential", "address_1": "2 New St", "city": "Truro", "latitude": 45.36, "longitude": -63.28});
    let place_etag = format!("\"{}\"", place["version"]);
    let response = app.put(&format!("/api/v1/locations/{}", place["id"].as_str().unwrap()), &admin, Some(&place_etag), &moved).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let near_truro = "near=45.3601,-63.2801&sort=distance";
    assert_eq!(found(&app, &app.base, &insider, near_truro).await["contents"][0]["name"], "Night harbour beds");
    assert_eq!(found(&app, &app.base, &insider, near_truro).await["contents"][0]["distance_km"], 0.0);

    let rebuilt = app.second_instance().await;
    let category = format!("category={}", app.fixture.housing);
    for query in ["", "q=harbour", "q=beds", "q=hebergement", &category, "open_now=true", "language=en", "attributes=fit:walk_in", near_truro, "near=44.64,-63.57&radius_km=20"] {
        for token in [&outsider, &insider] {
            assert_eq!(found(&app, &app.base, token, query).await, found(&app, &rebuilt, token, query).await, "{query}");
        }
    }
}

async fn another_instance_finds_a_change_within_a_second(app: TestApp) {
    let other = app.second_instance().await;
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let created = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &json!({"name": "Lighthouse drop-in"})).await;
    assert_eq!(created.status(), 201);
    found_elsewhere(&app, &other, &admin, "q=lighthouse", std::time::Duration::from_secs(1)).await;
}

/// Waits until the instance at `base` finds exactly one service for `query`; fails past `within`.
async fn found_elsewhere(app: &TestApp, base: &str, token: &str, query: &str, within: std::time::Duration) {
    let started = std::time::Instant::now();
    loop {
        let found: Value = app.client.get(format!("{base}/api/v1/services/search?{query}")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
        if found["total_items"] == 1 {
            return;
        }
        assert!(started.elapsed() < within, "the instance at {base} did not find {query} within {within:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// A closed service says when it next opens; an open or 24/7 one does not.
async fn a_closed_service_says_when_it_opens_next(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let day = harbour_tests::halifax_weekday_in(2).code();
    let body = json!({"name": "Thursday clinic", "description": "Once a week.", "schedules": [{"byday": day, "opens_at": "09:00", "closes_at": "10:00"}]});
    let created: Value = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &body).await.json().await.unwrap();
    assert_eq!(created["open_now"], false);
    let next = chrono::DateTime::parse_from_rfc3339(created["opens_next_at"].as_str().expect("a closed service says when it opens")).unwrap();
    let ahead = next.signed_duration_since(chrono::Utc::now());
    assert!(ahead > chrono::Duration::hours(24) && ahead < chrono::Duration::hours(73), "{next} is the day after tomorrow");
    assert_eq!(chrono::Timelike::minute(&next), 0);
    // At Halifax's offset that day, so a phone anywhere shows the partnership's hours.
    assert!(matches!(next.offset().local_minus_utc(), -14_400 | -10_800), "{next} is at Halifax's offset");
    assert_eq!(chrono::Timelike::hour(&next), 9, "{next} is when the clinic opens, as Halifax's clocks read");
    let worker = app.token(Role::OutreachWorker, 'b').await;
    let found: Value = app.get("/api/v1/services/search?q=thursday", &worker).await.json().await.unwrap();
    assert_eq!(found["contents"][0]["opens_next_at"], created["opens_next_at"], "{found}");
    let always = json!({"name": "Crisis line", "description": "Always.", "open_24_7": true});
    let always: Value = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &always).await.json().await.unwrap();
    assert!(always.get("opens_next_at").is_none());
}

/// A dated exception replaces the weekly hours: an every-day service closed for the
/// holidays is not open now, in its page and in search, and says when it reopens; taking
/// the exceptions off opens it again. Exceptions are checked when written.
async fn holidays_close_a_service_on_their_dates(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let every_day: Vec<Value> = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].iter().map(|d| json!({"byday": d, "opens_at": "00:00", "closes_at": "24:00"})).collect();
    // Halifax's date is today's UTC date shifted by four hours but for an hour a year:
    // closing the day before and the day after as well covers it for sure.
    let local = (chrono::Utc::now() - chrono::Duration::hours(4)).date_naive();
    let closed: Vec<Value> = (-1..=1).map(|d| json!({"date": (local + chrono::Duration::days(d)).to_string(), "description": "Holiday"})).collect();
    let body = json!({"name": "Holiday drop-in", "description": "Every day but holidays.", "schedules": every_day, "schedule_exceptions": closed});
    let path = format!("/api/v1/organizations/{}/services", app.fixture.org_a);
    let created = app.post(&path, &admin, &body).await;
    assert_eq!(created.status(), 201);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["open_now"], false, "{created}");
    assert_eq!(created["schedule_exceptions"][1], json!({"date": local.to_string(), "description": "Holiday"}));
    let reopens = chrono::DateTime::parse_from_rfc3339(created["opens_next_at"].as_str().expect("it says when it reopens")).unwrap();
    assert!(reopens > chrono::Utc::now() + chrono::Duration::hours(1), "{reopens}");
    let worker = app.token(Role::OutreachWorker, 'b').await;
    assert_eq!(search(&app, &worker, "q=holiday").await["contents"][0]["open_now"], false);
    assert!(names(&search(&app, &worker, "q=holiday&open_now=true").await).is_empty());

    let id = created["id"].as_str().unwrap();
    let etag = app.get(&format!("/api/v1/services/{id}"), &admin).await.headers()["etag"].to_str().unwrap().to_owned();
    let body = json!({"name": "Holiday drop-in", "description": "Every day but holidays.", "schedules": every_day});
    let reopened: Value = app.put(&format!("/api/v1/services/{id}"), &admin, Some(&etag), &body).await.json().await.unwrap();
    assert_eq!(reopened["open_now"], true);
    assert_eq!(names(&search(&app, &worker, "q=holiday&open_now=true").await), ["Holiday drop-in"]);

    // A 24/7 shelter closed on these dates is closed too, and says when it reopens.
    let body = json!({"name": "Holiday shelter", "description": "Beds, any night but these.", "open_24_7": true, "schedule_exceptions": closed});
    let shelter: Value = app.post(&path, &admin, &body).await.json().await.unwrap();
    assert_eq!(shelter["open_now"], false, "{shelter}");
    assert!(shelter["opens_next_at"].is_string(), "{shelter}");
    assert_eq!(search(&app, &worker, "q=holiday%20shelter").await["contents"][0]["open_now"], false);
    assert!(!names(&search(&app, &worker, "q=holiday&open_now=true").await).contains(&"Holiday shelter".to_owned()));

    let day = local.to_string();
    for (exceptions, pointer) in [
        (json!([{"date": day, "opens_at": "10:00"}]), "/schedule_exceptions/0"),
        (json!([{"date": day}, {"date": day, "opens_at": "10:00", "closes_at": "12:00"}]), "/schedule_exceptions/1/date"),
        (json!([{"date": day, "opens_at": "10:00", "closes_at": "25:00"}]), "/schedule_exceptions/0/closes_at"),
    ] {
        let body = json!({"name": "Bad hours", "description": "No.", "schedule_exceptions": exceptions});
        let refused = problem(app.post(&path, &admin, &body).await, 422).await;
        assert!(refused.to_string().contains(pointer), "{pointer}: {refused}");
    }
    let body = json!({"name": "Bad date", "description": "No.", "schedule_exceptions": [{"date": "2026-02-30"}]});
    assert_eq!(app.post(&path, &admin, &body).await.status().as_u16() / 100, 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_patch_search_as_a_full_rebuild_finds_sqlite() {
    writes_patch_search_as_a_full_rebuild_finds(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_patch_search_as_a_full_rebuild_finds_postgres() {
    writes_patch_search_as_a_full_rebuild_finds(Backend::Postgres).await;
}
