//! Directory output validates against the official Open Referral HSDS 3.0 schemas
//! (kept in `tests/hsds`), formats included, on real responses.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::{Role, ServiceAttribute};
use serde_json::{json, Value};

on_both_backends!(
    directory_output_is_valid_hsds,
    generated_listings_are_valid_hsds,
    minimal_lists_every_id_and_last_change,
    service_at_locations_take_the_service_filters,
    taxonomy_terms_take_the_hsds_filters,
    organizations_take_search_and_ndjson,
    organizations_nest_their_services_when_asked,
    service_at_locations_take_postcode_and_proximity,
    service_at_locations_take_search,
);

fn schema(relative: &str) -> jsonschema::Validator {
    let path = std::fs::canonicalize(harbour_tests::tests_dir().join("hsds/schema").join(relative)).expect("the HSDS schemas are in tests/hsds");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    // The uncompiled schemas refer to their neighbours by relative path.
    jsonschema::options()
        .should_validate_formats(true)
        .with_base_uri(format!("file://{}", path.display()))
        .build(&schema)
        .expect("schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{what} is not valid HSDS: {errors:#?}\n{instance:#}");
}

async fn directory_output_is_valid_hsds(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    let mut ids = Vec::new();
    for visibility in ["public", "confidential"] {
        let place = json!({"name": "Place", "visibility": visibility, "address_1": "1 Main St", "city": "Halifax", "postal_code": "B3H 1A1",
            "latitude": 44.6, "longitude": -63.5, "intake_instructions": "Call first."});
        let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
        let service = json!({
            "name": format!("A {visibility} service"), "description": "What it offers.", "url": "https://example.org/service",
            "email": "intake@example.org", "minimum_age": 12, "maximum_age": 24, "application_process": "Call.",
            "phones": [{"number": "902-555-0100", "type": "voice"}, {"number": "902-555-0101", "type": "text"}],
            "schedules": [{"byday": "MO", "opens_at": "09:00", "closes_at": "17:00"}],
            "languages": ["en", "fr"], "harbour_attributes": ["fit:walk_in"],
            "category_ids": [app.fixture.emergency_shelter], "region_ids": [app.fixture.halifax], "location_ids": [place["id"]]
        });
        let created: Value = app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &service).await.json().await.unwrap();
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let service_schema = schema("compiled/service.json");
    let outsider = app.token(Role::OutreachWorker, 'b').await;
    for token in [&admin, &outsider] {
        for id in &ids {
            let one: Value = app.get(&format!("/api/v1/services/{id}"), token).await.json().await.unwrap();
            assert_valid(&service_schema, &one, "a service");
        }
        let page: Value = app.get("/api/v1/services", token).await.json().await.unwrap();
        assert_eq!(page["total_items"], 2);
        for item in page["contents"].as_array().unwrap() {
            assert_valid(&service_schema, item, "a listed service");
        }
    }
    // The full dump, streamed one service per line, as each reader may see it.
    let dump = app.get("/api/v1/services?format=ndjson", &outsider).await;
    assert_eq!(dump.headers()["content-type"], "application/x-ndjson");
    let text = dump.text().await.unwrap();
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect();
    assert_eq!(lines.len(), 2);
    for line in &lines {
        assert_valid(&service_schema, line, "a streamed service");
    }
    assert_eq!(text.matches("1 Main St").count(), 1, "the confidential address is not in another organization's dump");
    assert_eq!(app.get("/api/v1/services?format=xml", &outsider).await.status(), 422);
    let organization_schema = schema("compiled/organization.json");
    let organizations: Value = app.get("/api/v1/organizations", &admin).await.json().await.unwrap();
    for item in organizations["contents"].as_array().unwrap() {
        assert_valid(&organization_schema, item, "an organization");
    }
    for token in [&admin, &outsider] {
        let nested: Value = app.get("/api/v1/organizations?full_service=true", token).await.json().await.unwrap();
        for item in nested["contents"].as_array().unwrap() {
            assert_valid(&organization_schema, item, "an organization with its services");
        }
    }
    let link_schema = schema("compiled/service_at_location.json");
    for token in [&admin, &outsider] {
        let links: Value = app.get("/api/v1/service_at_locations", token).await.json().await.unwrap();
        assert_eq!(links["total_items"], 2);
        for item in links["contents"].as_array().unwrap() {
            assert_valid(&link_schema, item, "a service at location");
            let one: Value = app.get(&format!("/api/v1/service_at_locations/{}", item["id"].as_str().unwrap()), token).await.json().await.unwrap();
            assert_eq!(&one, item);
        }
    }
    let outsiders_view = app.get("/api/v1/service_at_locations", &outsider).await.text().await.unwrap();
    assert_eq!(outsiders_view.matches("1 Main St").count(), 1, "the confidential place's address is not shown to others");
    let taxonomy_schema = schema("taxonomy.json");
    let taxonomies: Value = app.get("/api/v1/taxonomies", &admin).await.json().await.unwrap();
    assert_eq!(taxonomies["total_items"], 1);
    let taxonomy = &taxonomies["contents"][0];
    assert_valid(&taxonomy_schema, taxonomy, "a taxonomy");
    let one: Value = app.get(&format!("/api/v1/taxonomies/{}", taxonomy["id"].as_str().unwrap()), &admin).await.json().await.unwrap();
    assert_eq!(&one, taxonomy);
    let term_schema = schema("taxonomy_term.json");
    let terms: Value = app.get("/api/v1/taxonomy_terms", &admin).await.json().await.unwrap();
    for item in terms["contents"].as_array().unwrap() {
        assert_valid(&term_schema, item, "a taxonomy term");
        assert_eq!(item["taxonomy_id"], taxonomy["id"]);
    }
}

/// HSDS `minimal=true`: every matching service's id and last change in one array, for a
/// partner system deciding what to fetch again; `full` is accepted (services are always full).
async fn minimal_lists_every_id_and_last_change(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let body = json!({"name": format!("Service {n}"), "description": "Help."});
        let created: Value = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &body).await.json().await.unwrap();
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    ids.sort();
    let reader = app.token(Role::OutreachWorker, 'b').await;
    let minimal: Vec<Value> = app.get("/api/v1/services?minimal=true", &reader).await.json().await.unwrap();
    let listed: Vec<&str> = minimal.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(listed, ids, "every service, by id, unpaged");
    assert!(minimal.iter().all(|s| s.as_object().unwrap().len() == 2 && chrono::DateTime::parse_from_rfc3339(s["last_modified"].as_str().unwrap()).is_ok()));
    let later: Vec<Value> = app.get("/api/v1/services?minimal=true&modified_after=2100-01-01T00:00:00Z", &reader).await.json().await.unwrap();
    assert!(later.is_empty());
    let full: Value = app.get("/api/v1/services?full=true", &reader).await.json().await.unwrap();
    assert_eq!(full["total_items"], 3);
    assert!(full["contents"][0]["service_at_locations"].is_array(), "fully nested");
}

/// HSDS's `taxonomy_term_id`, `organization_id` and `modified_after` narrow the services at
/// locations as they narrow the services.
async fn service_at_locations_take_the_service_filters(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    let place = json!({"name": "Front door", "visibility": "public", "address_1": "1 Main St", "city": "Truro"});
    let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
    for (name, categories) in [("Beds", json!([app.fixture.emergency_shelter])), ("Meals", json!([]))] {
        let body = json!({"name": name, "description": "Help.", "category_ids": categories, "location_ids": [place["id"]]});
        assert_eq!(app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &body).await.status(), 201);
    }
    let reader = app.token(Role::OutreachWorker, 'b').await;
    let total = |query: String| {
        let (app, reader) = (&app, &reader);
        async move {
            let page: Value = app.get(&format!("/api/v1/service_at_locations?{query}"), reader).await.json().await.unwrap();
            page["total_items"].as_u64().unwrap()
        }
    };
    assert_eq!(total(String::new()).await, 2);
    assert_eq!(total(format!("taxonomy_term_id={}", app.fixture.emergency_shelter)).await, 1);
    assert_eq!(total(format!("organization_id={org}")).await, 2);
    assert_eq!(total(format!("organization_id={}", app.fixture.org_b)).await, 0);
    assert_eq!(total("modified_after=2100-01-01T00:00:00Z".into()).await, 0);
    assert_eq!(total("modified_after=2000-01-01T00:00:00Z".into()).await, 2);
    // Harbour files services under one taxonomy, its categories.
    let taxonomies: Value = app.get("/api/v1/taxonomies", &reader).await.json().await.unwrap();
    let categories = taxonomies["contents"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(total(format!("taxonomy_id={categories}")).await, 1, "only the service filed under a category");
    assert_eq!(total("taxonomy_id=another-taxonomy".into()).await, 0);
    let services: Value = app.get(&format!("/api/v1/services?taxonomy_id={categories}"), &reader).await.json().await.unwrap();
    assert_eq!(services["contents"][0]["name"], "Beds");
    assert_eq!(services["total_items"], 1);
    let response = app.get(&format!("/api/v1/service_at_locations?format=ndjson&organization_id={org}"), &reader).await;
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let lines = response.text().await.unwrap();
    assert_eq!(lines.lines().filter(|l| serde_json::from_str::<Value>(l).unwrap()["location"]["name"] == "Front door").count(), 2);
    assert_eq!(app.get("/api/v1/service_at_locations?format=xml", &reader).await.status(), 422);

    // More links than the stream reads at a time: it reads on after the last one it sent.
    app.execute_sql(format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 450) \
         INSERT INTO locations (id, organization_id, name, created_at, updated_at) SELECT 'bulk-' || (1000 + i), '{org}', 'Bulk', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM n"
    ))
    .await;
    app.execute_sql("INSERT INTO service_at_locations (id, service_id, location_id) SELECT 'link-' || l.id, s.id, l.id FROM locations l, services s WHERE l.id LIKE 'bulk-%' AND s.name = 'Meals'").await;
    let lines = app.get(&format!("/api/v1/service_at_locations?format=ndjson&organization_id={org}"), &reader).await.text().await.unwrap();
    let ids: std::collections::BTreeSet<String> = lines.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!((lines.lines().count(), ids.len()), (452, 452), "every link once");
}

/// HSDS's `taxonomy_terms` parameters: a term's children, the top of the tree, words of
/// its names (accents aside), its taxonomy.
async fn taxonomy_terms_take_the_hsds_filters(app: TestApp) {
    let reader = app.token(Role::OutreachWorker, 'a').await;
    let ids = |query: &str| {
        let (app, reader, query) = (&app, &reader, query.to_owned());
        async move {
            let page: Value = app.get(&format!("/api/v1/taxonomy_terms?{query}"), reader).await.json().await.unwrap();
            page["contents"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    let (housing, shelter) = (app.fixture.housing.clone(), app.fixture.emergency_shelter.clone());
    assert!(ids("").await.contains(&shelter));
    assert_eq!(ids(&format!("parent_id={housing}")).await, vec![shelter.clone()]);
    let top = ids("top_only=true").await;
    assert!(top.contains(&housing) && !top.contains(&shelter));
    assert_eq!(ids("search=hebergement%20urg").await, vec![shelter.clone()], "French name, no accent, a partial word");
    assert_eq!(ids("search=EMERGENCY").await, vec![shelter.clone()]);
    assert!(ids("search=nothing-like-it").await.is_empty());
    let taxonomies: Value = app.get("/api/v1/taxonomies", &reader).await.json().await.unwrap();
    let categories = taxonomies["contents"][0]["id"].as_str().unwrap();
    assert!(ids(&format!("taxonomy_id={categories}")).await.contains(&shelter));
    assert!(ids("taxonomy_id=another-taxonomy").await.is_empty());
    let page: Value = app.get("/api/v1/taxonomy_terms?top_only=true&per_page=1&page=2", &reader).await.json().await.unwrap();
    assert_eq!(page["total_items"].as_u64().unwrap(), top.len() as u64, "paged after filtering");
    let lines = app.get("/api/v1/taxonomy_terms?format=ndjson&top_only=true", &reader).await.text().await.unwrap();
    let streamed: Vec<String> = lines.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(streamed, top, "ndjson: every match, one per line");
    // The taxonomy list takes HSDS's `search` and `format` too.
    let count = |query: &str| {
        let (app, reader, query) = (&app, &reader, query.to_owned());
        async move { app.get(&format!("/api/v1/taxonomies?{query}"), reader).await.json::<Value>().await.unwrap()["total_items"].as_u64() }
    };
    assert_eq!(count("search=categorie").await, Some(1));
    assert_eq!(count("search=nothing-like-it").await, Some(0));
    let lines = app.get("/api/v1/taxonomies?format=ndjson", &reader).await.text().await.unwrap();
    assert_eq!(lines.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].clone()).collect::<Vec<_>>(), [taxonomies["contents"][0]["id"].clone()]);
}

/// HSDS's `search` and `format=ndjson` on the organization list.
async fn organizations_take_search_and_ndjson(app: TestApp) {
    let reader = app.token(Role::OutreachWorker, 'a').await;
    let page: Value = app.get("/api/v1/organizations?search=organisation&per_page=1", &reader).await.json().await.unwrap();
    assert_eq!(page["total_items"], 2, "a typo is forgiven: {page}");
    assert_eq!(page["contents"].as_array().unwrap().len(), 1, "and the matches are paged");
    let none: Value = app.get("/api/v1/organizations?search=lighthouse", &reader).await.json().await.unwrap();
    assert_eq!(none["total_items"], 0);
    let response = app.get("/api/v1/organizations?format=ndjson", &reader).await;
    assert_eq!(response.headers()["content-type"], "application/x-ndjson");
    let names: Vec<String> = response.text().await.unwrap().lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(names, ["Organization A", "Organization B"]);
}

/// HSDS's `full_service`: organizations with their services fully nested (list, one, and
/// the ndjson dump), each service as the reader may see it: a safe house's address only
/// inside its organization, and such a response is never kept offline.
async fn organizations_nest_their_services_when_asked(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    let place = json!({"name": "Safe house", "visibility": "confidential", "address_1": "9 Hidden Lane", "city": "Truro", "latitude": 45.36, "longitude": -63.28});
    let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
    for name in ["Night beds", "Day program"] {
        let body = json!({"name": name, "description": "Help.", "location_ids": [place["id"]]});
        assert_eq!(app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &body).await.status(), 201);
    }
    let outsider = app.token(Role::OutreachWorker, 'b').await;
    let plain: Value = app.get(&format!("/api/v1/organizations/{org}"), &outsider).await.json().await.unwrap();
    assert!(plain.get("services").is_none(), "services only when asked");
    let names = |organization: &Value| organization["services"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let one = app.get(&format!("/api/v1/organizations/{org}?full_service=true"), &outsider).await;
    assert_eq!(one.headers()["cache-control"], "private, no-cache");
    let one: Value = one.json().await.unwrap();
    assert_eq!(names(&one), ["Day program", "Night beds"], "by name");
    assert!(!one.to_string().contains("Hidden Lane"), "no safe house address for another organization");
    let own = app.get(&format!("/api/v1/organizations/{org}?full_service=true"), &admin).await;
    assert_eq!(own.headers()["cache-control"], "no-store", "its own organization sees the address, and it is not kept offline");
    assert!(own.text().await.unwrap().contains("Hidden Lane"));
    let page: Value = app.get("/api/v1/organizations?full=true&search=organisation&per_page=1", &outsider).await.json().await.unwrap();
    assert_eq!((page["total_items"].as_u64(), page["contents"][0]["name"].as_str()), (Some(2), Some("Organization A")), "searched and paged, then nested");
    assert_eq!(names(&page["contents"][0]), ["Day program", "Night beds"]);
    let listed: Value = app.get("/api/v1/organizations?full_service=true", &outsider).await.json().await.unwrap();
    let b = listed["contents"].as_array().unwrap().iter().find(|o| o["name"] == "Organization B").unwrap();
    assert_eq!(b["services"], json!([]), "an organization with no services nests an empty list");
    let lines = app.get("/api/v1/organizations?format=ndjson&full_service=true", &outsider).await.text().await.unwrap();
    let streamed: Vec<Value> = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(streamed.len(), 2);
    assert_eq!(names(&streamed[0]), ["Day program", "Night beds"]);
    assert!(!lines.contains("Hidden Lane"));
}

/// HSDS's `postcode` and `proximity` on services at locations: places in a postcode (any
/// case or spacing, or its first three characters), or within meters of its centroid,
/// nearest first. The centroid is made of public places only; a place whose address the
/// reader may not see is never in a postcode's results, and is measured from its coarse
/// point within a proximity.
async fn service_at_locations_take_postcode_and_proximity(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    let mut places = Vec::new();
    for (name, visibility, postal_code, latitude, longitude) in [
        ("Downtown", "public", "b3j 1a1", 44.6488, -63.5752),
        ("North End", "public", "B3K 2B2", 44.6600, -63.6000),
        ("Safe house", "confidential", "B3J 3C3", 44.6490, -63.5750),
        ("Truro office", "public", "B2N 1A1", 45.3650, -63.2800),
    ] {
        let place = json!({"name": name, "visibility": visibility, "address_1": "1 Main St", "city": "Halifax", "postal_code": postal_code, "latitude": latitude, "longitude": longitude});
        let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
        places.push(place["id"].clone());
    }
    let body = json!({"name": "Outreach", "description": "Help.", "location_ids": places});
    assert_eq!(app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &body).await.status(), 201);
    let outsider = app.token(Role::OutreachWorker, 'b').await;
    let names = |query: &str, token: &str| {
        let (app, query, token) = (&app, query.to_owned(), token.to_owned());
        async move {
            let page: Value = app.get(&format!("/api/v1/service_at_locations?{query}"), &token).await.json().await.unwrap();
            let names: Vec<String> = page["contents"].as_array().unwrap().iter().map(|l| l["location"]["name"].as_str().unwrap().to_owned()).collect();
            assert_eq!(page["total_items"].as_u64().unwrap(), names.len() as u64, "{query}: {page}");
            names
        }
    };
    assert_eq!(names("postcode=B3J", &outsider).await, ["Downtown"], "the safe house is in B3J, but not for another organization");
    assert_eq!(names("postcode=b3j1a1", &outsider).await, ["Downtown"]);
    assert_eq!(names("postcode=B3J%201A2", &outsider).await, Vec::<String>::new());
    let mut own = names("postcode=B3J", &admin).await;
    own.sort();
    assert_eq!(own, ["Downtown", "Safe house"], "its own organization sees its safe house");
    // For another organization the safe house, 20 m from Downtown, is at the centre of
    // its grid cell (44.65, -63.525), 4 km east: beyond North End, and beyond 3 km.
    assert_eq!(names("postcode=B3J1A1&proximity=5000", &outsider).await, ["Downtown", "North End", "Safe house"], "nearest first");
    assert_eq!(names("postcode=B3J1A1&proximity=3000", &outsider).await, ["Downtown", "North End"]);
    assert_eq!(names("postcode=B3J1A1&proximity=5000", &admin).await, ["Downtown", "Safe house", "North End"]);
    assert_eq!(names("postcode=B3J&proximity=200000", &outsider).await, ["Downtown", "North End", "Safe house", "Truro office"]);
    // B3K 9Z9 is known to no place: its area's centroid (North End) is used.
    assert_eq!(names("postcode=B3K9Z9&proximity=1000", &outsider).await, ["North End"]);
    let lines = app.get("/api/v1/service_at_locations?format=ndjson&postcode=B3J&proximity=5000", &outsider).await.text().await.unwrap();
    assert_eq!(lines.lines().count(), 3);
    let safe_house = lines.lines().find(|line| line.contains("Safe house")).unwrap();
    assert!(!safe_house.contains("latitude") && !safe_house.contains("B3J 3C3"), "{safe_house}");
    for (query, field) in [("postcode=X9X&proximity=1000", "/postcode"), ("proximity=1000", "/proximity"), ("postcode=B3J&proximity=far", "/proximity"), ("postcode=B3", "/postcode")] {
        let response = app.get(&format!("/api/v1/service_at_locations?{query}"), &outsider).await;
        assert_eq!(response.status(), 422, "{query}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["pointer"], field, "{query}: {problem}");
    }
}

/// HSDS's `search` on `/service_at_locations`: the links of the services search finds,
/// best service first, paged across services, streamed whole, with a safe house's
/// address kept from other organizations.
async fn service_at_locations_take_search(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let org = &app.fixture.org_a;
    let mut places = Vec::new();
    for (name, visibility) in [("Annex", "public"), ("Hideaway", "confidential"), ("Main office", "public")] {
        let place = json!({"name": name, "visibility": visibility, "address_1": "1 Main St", "city": "Halifax"});
        let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &place).await.json().await.unwrap();
        places.push(place["id"].clone());
    }
    // The name match ranks above the description match; the meal program is not found.
    for (name, description, categories, at) in [
        ("Youth shelter", "Beds tonight.", json!([app.fixture.emergency_shelter]), json!([places[0], places[1], places[2]])),
        ("Drop-in", "Showers, and a shelter referral.", json!([]), json!([places[2]])),
        ("Meal program", "Hot meals.", json!([]), json!([places[0]])),
    ] {
        let body = json!({"name": name, "description": description, "category_ids": categories, "location_ids": at});
        assert_eq!(app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &body).await.status(), 201);
    }
    let outsider = app.token(Role::OutreachWorker, 'b').await;
    let page = |query: &str| {
        let (app, query, token) = (&app, query.to_owned(), outsider.clone());
        async move {
            let page: Value = app.get(&format!("/api/v1/service_at_locations?{query}"), &token).await.json().await.unwrap();
            let rows: Vec<(String, String)> = page["contents"]
                .as_array()
                .unwrap_or_else(|| panic!("{query}: {page}"))
                .iter()
                .map(|l| (l["location"]["name"].as_str().unwrap().to_owned(), l["location"]["addresses"].as_array().is_none_or(Vec::is_empty).to_string()))
                .collect();
            (page["total_items"].as_u64().unwrap(), rows)
        }
    };
    let names = |rows: &[(String, String)]| rows.iter().map(|(name, _)| name.clone()).collect::<Vec<_>>();
    // "sheltr": forgiving, as search is. Youth shelter's three links (by id), then Drop-in's.
    let (total, all) = page("search=sheltr&per_page=10").await;
    assert_eq!(total, 4);
    assert_eq!(all.len(), 4);
    assert_eq!(names(&all[3..]), ["Main office"], "the description match comes last");
    assert!(all.iter().any(|(name, hidden)| name == "Hideaway" && hidden == "true"), "the safe house's address is not shown: {all:?}");
    assert!(all.iter().any(|(name, hidden)| name == "Annex" && hidden == "false"), "a public address is: {all:?}");
    // Pages cut across a service's links and follow on.
    let (_, first) = page("search=sheltr&per_page=2").await;
    let (_, second) = page("search=sheltr&per_page=2&page=2").await;
    assert_eq!([first, second].concat(), all);
    let (total, _) = page(&format!("search=sheltr&organization_id={}", app.fixture.org_b)).await;
    assert_eq!(total, 0);
    let (total, _) = page(&format!("search=sheltr&taxonomy_term_id={}", app.fixture.housing)).await;
    assert_eq!(total, 3, "a category takes the services filed under the ones below it");
    let (total, _) = page("search=meals").await;
    assert_eq!(total, 1);
    let lines = app.get("/api/v1/service_at_locations?search=shelter&format=ndjson", &outsider).await.text().await.unwrap();
    let streamed: Vec<String> = lines.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["location"]["name"].as_str().unwrap().to_owned()).collect();
    assert_eq!(streamed, names(&all));
    for (query, field) in [("search=shelter&postcode=B3J", "/postcode"), ("search=shelter&modified_after=2000-01-01T00:00:00Z", "/modified_after")] {
        let response = app.get(&format!("/api/v1/service_at_locations?{query}"), &outsider).await;
        assert_eq!(problem(response, 422).await["errors"][0]["pointer"], field, "{query}");
    }
}

/// Text of every kind a partner types: accents, quotes, line breaks, other scripts,
/// emoji, stray spaces, markup-like characters.
const PIECES: [&str; 14] = ["Café à l'école", "\"quoted\"", "line\nbreak", "مرحبا", "ᒥᐢᑕᐦᐄᐣ", "🏠 beds", "  spaced  ", "a, b; c", "<b>&amp;</b>", "100%", "tab\there", "Mi'kmaw", "Ç'est ça", "x"];

fn words(rng: &mut impl rand::Rng, most: usize) -> String {
    let count = rng.gen_range(1..=4);
    let text: Vec<&str> = (0..count).map(|_| PIECES[rng.gen_range(0..PIECES.len())]).collect();
    text.join(" ").chars().take(most).collect()
}

/// Listings generated from a seed — places of each visibility, services with any mix
/// of the optional fields, lists of every length including none — then every HSDS
/// endpoint and the HSDS export, as each kind of reader gets them, validated against the
/// official schemas (objects and list items). The seed is in every failure message.
async fn generated_listings_are_valid_hsds(app: TestApp) {
    use rand::{Rng as _, SeedableRng as _};
    let seed: u64 = std::env::var("HARBOUR_TEST_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(rand::random);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let categories = [app.fixture.housing.clone(), app.fixture.emergency_shelter.clone()];
    for org in ['a', 'b'] {
        let admin = app.token(Role::AgencyAdmin, org).await;
        let org_id = if org == 'a' { &app.fixture.org_a } else { &app.fixture.org_b };
        let mut places = Vec::new();
        for _ in 0..rng.gen_range(1..=3) {
            let accessibility: Vec<Value> = (0..rng.gen_range(0..=3))
                .map(|n| {
                    let mut entry = json!({});
                    if n % 2 == 0 || rng.gen_bool(0.5) {
                        entry["description"] = json!(words(&mut rng, 500));
                    }
                    if n % 2 == 1 || rng.gen_bool(0.5) {
                        entry["details"] = json!(words(&mut rng, 1000));
                    }
                    if rng.gen_bool(0.3) {
                        entry["url"] = json!(format!("https://example.org/access/{n}?q=1"));
                    }
                    entry
                })
                .collect();
            let visibility = ["public", "partners", "confidential"][rng.gen_range(0..3)];
            let mut place = json!({"name": words(&mut rng, 190) + " place", "visibility": visibility, "accessibility": accessibility});
            if rng.gen_bool(0.7) {
                place["address_1"] = json!(format!("{} {}", rng.gen_range(1..999), words(&mut rng, 150)));
                place["city"] = json!(["Truro", "Halifax", "Sydney", "Yarmouth"][rng.gen_range(0..4)].to_owned());
                if rng.gen_bool(0.5) {
                    place["postal_code"] = json!(["B3H 1A1", "B2N 5B6", "b1p6l2"][rng.gen_range(0..3)]);
                }
            }
            if rng.gen_bool(0.7) {
                place["latitude"] = json!(rng.gen_range(43.5..47.0));
                place["longitude"] = json!(rng.gen_range(-66.3..-59.8));
            }
            if rng.gen_bool(0.5) {
                place["intake_instructions"] = json!(words(&mut rng, 1000));
            }
            let created = app.post(&format!("/api/v1/organizations/{org_id}/locations"), &admin, &place).await;
            assert_eq!(created.status(), 201, "seed {seed}: {place}");
            places.push(created.json::<Value>().await.unwrap()["id"].clone());
        }
        for n in 0..rng.gen_range(3..=8) {
            let minimum = rng.gen_range(0..=30);
            let status = ["active", "active", "inactive", "defunct"][rng.gen_range(0..4)];
            let languages: Vec<&str> = ["en", "fr", "mic", "ar", "es"].into_iter().filter(|_| rng.gen_bool(0.4)).collect();
            let mut service = json!({
                "name": format!("{} {n}", words(&mut rng, 190)),
                "description": words(&mut rng, 8000),
                "status": status,
                "free": rng.gen_bool(0.5), "open_24_7": rng.gen_bool(0.2), "accepts_referrals": rng.gen_bool(0.8),
                "application_process": words(&mut rng, 2000),
                "phones": (0..rng.gen_range(0..=3)).map(|i| json!({"number": format!("902-555-{:04}", rng.gen_range(0..10_000)), "type": if i % 2 == 0 { "voice" } else { "text" },
                    "after_hours": rng.gen_bool(0.3), "description": rng.gen_bool(0.5).then(|| words(&mut rng, 200))})).collect::<Vec<_>>(),
                "schedules": (0..rng.gen_range(0..=4)).map(|i| json!({"byday": days[(i * 2) % 7], "opens_at": format!("{:02}:{:02}", rng.gen_range(0..24), [0, 15, 30, 45][rng.gen_range(0..4)]),
                    "closes_at": format!("{:02}:00", rng.gen_range(0..24))})).filter(|s| s["opens_at"] != s["closes_at"]).collect::<Vec<_>>(),
                "schedule_exceptions": (0..rng.gen_range(0..=2)).map(|i| if rng.gen_bool(0.5) { json!({"date": format!("2026-12-{:02}", 24 + i), "description": words(&mut rng, 200)}) }
                    else { json!({"date": format!("2027-01-{:02}", 1 + i), "opens_at": "10:00", "closes_at": "14:00"}) }).collect::<Vec<_>>(),
                "languages": languages,
                "harbour_attributes": ServiceAttribute::ALL.iter().filter(|_| rng.gen_bool(0.1)).map(|a| a.code()).collect::<Vec<_>>(),
                "category_ids": categories.iter().filter(|_| rng.gen_bool(0.5)).collect::<Vec<_>>(),
                "region_ids": if rng.gen_bool(0.5) { vec![app.fixture.halifax.clone()] } else { Vec::new() },
                "location_ids": places.iter().filter(|_| rng.gen_bool(0.6)).collect::<Vec<_>>(),
                "required_documents": (0..rng.gen_range(0..=3)).map(|i| json!({"document": words(&mut rng, 500), "uri": (i % 2 == 1).then(|| format!("https://example.org/documents/{i}"))})).collect::<Vec<_>>(),
            });
            for (field, most) in [("alternate_name", 200), ("interpretation_services", 500), ("fees_description", 1000), ("eligibility_description", 2000)] {
                if rng.gen_bool(0.5) {
                    service[field] = json!(words(&mut rng, most));
                }
            }
            if rng.gen_bool(0.5) {
                service["url"] = json!(format!("https://example.org/services/{n}"));
                service["email"] = json!(format!("intake{n}@example.org"));
            }
            if rng.gen_bool(0.5) {
                service["minimum_age"] = json!(minimum);
                service["maximum_age"] = json!(rng.gen_range(minimum..=120));
            }
            let created = app.post(&format!("/api/v1/organizations/{org_id}/services"), &admin, &service).await;
            assert_eq!(created.status(), 201, "seed {seed}: {service}");
        }
    }

    let service_schemas = [schema("compiled/service.json"), schema("compiled/service_list.json")];
    let link_schemas = [schema("compiled/service_at_location.json"), schema("compiled/service_at_location_list.json")];
    let organization_schemas = [schema("compiled/organization.json"), schema("compiled/organization_list.json")];
    let valid = |validators: &[jsonschema::Validator], instance: &Value, what: &str| {
        for validator in validators {
            assert_valid(validator, instance, &format!("{what} (seed {seed})"));
        }
    };
    for token in [app.token(Role::AgencyAdmin, 'a').await, app.token(Role::OutreachWorker, 'b').await, app.token(Role::Coordinator, 'a').await] {
        let page: Value = app.get("/api/v1/services?per_page=100", &token).await.json().await.unwrap();
        assert!(page["total_items"].as_u64().unwrap() >= 6, "seed {seed}");
        for item in page["contents"].as_array().unwrap() {
            valid(&service_schemas, item, "a listed service");
            let one: Value = app.get(&format!("/api/v1/services/{}", item["id"].as_str().unwrap()), &token).await.json().await.unwrap();
            valid(&service_schemas[..1], &one, "a service");
        }
        for line in app.get("/api/v1/services?format=ndjson", &token).await.text().await.unwrap().lines() {
            valid(&service_schemas[..1], &serde_json::from_str(line).unwrap(), "a streamed service");
        }
        let links: Value = app.get("/api/v1/service_at_locations?per_page=100", &token).await.json().await.unwrap();
        for item in links["contents"].as_array().unwrap() {
            valid(&link_schemas, item, "a service at location");
        }
        let organizations: Value = app.get("/api/v1/organizations?full_service=true", &token).await.json().await.unwrap();
        for item in organizations["contents"].as_array().unwrap() {
            valid(&organization_schemas, item, "an organization with its services");
        }
    }
    // What a partner is handed as a file: the HSDS export.
    let folder = crate::exchange::scratch();
    crate::exchange::run_export(&app.db, &folder).await;
    let exported: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(folder.join("services.json")).unwrap()).unwrap();
    assert!(exported.len() >= 6);
    for service in &exported {
        valid(&service_schemas[..1], service, "an exported service");
    }
    std::fs::remove_dir_all(folder).unwrap();
}
