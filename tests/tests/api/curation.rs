//! Coordinators curate the shared directory: categories, regions, verification, stale listings.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

on_both_backends!(only_coordinators_curate, the_category_tree_stays_a_tree, stale_listings_until_verified);

async fn only_coordinators_curate(app: TestApp) {
    let term = json!({"code": "housing.youth", "parent_id": app.fixture.housing, "name": "Youth housing", "name_fr": "Logement jeunesse"});
    let region = json!({"slug": "cape-breton", "name": "Cape Breton", "name_fr": "Cap-Breton"});
    for role in [Role::OutreachWorker, Role::IntakeWorker, Role::AgencyAdmin] {
        let token = app.token(role, 'a').await;
        problem(app.post("/api/v1/taxonomy_terms", &token, &term).await, 403).await;
        problem(app.post("/api/v1/regions", &token, &region).await, 403).await;
        problem(app.get("/api/v1/directory/stale", &token).await, 403).await;
    }
    for (role, org) in [(Role::Coordinator, 'a'), (Role::SystemAdmin, 'b')] {
        let token = app.token(role, org).await;
        let mut term = term.clone();
        term["code"] = json!(format!("housing.youth-{}", role.code().replace('_', "-")));
        assert_eq!(app.post("/api/v1/taxonomy_terms", &token, &term).await.status(), 201, "{role:?}");
    }
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let created = app.post("/api/v1/regions", &coordinator, &region).await;
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let renamed = app.put(&format!("/api/v1/regions/{id}"), &coordinator, None, &json!({"slug": "cape-breton", "name": "Unama'ki – Cape Breton", "name_fr": "Unama'ki – Cap-Breton"})).await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(problem(app.post("/api/v1/regions", &coordinator, &region).await, 409).await["code"], "already_exists");
}

async fn the_category_tree_stays_a_tree(app: TestApp) {
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let child: Value = app
        .post("/api/v1/taxonomy_terms", &coordinator, &json!({"code": "housing.youth", "parent_id": app.fixture.emergency_shelter, "name": "Youth beds", "name_fr": "Lits jeunesse"}))
        .await
        .json()
        .await
        .unwrap();
    let housing = &app.fixture.housing;
    // Housing under its own grandchild would make a loop.
    let looped = json!({"code": "housing", "parent_id": child["id"], "name": "Housing", "name_fr": "Logement"});
    assert_eq!(problem(app.put(&format!("/api/v1/taxonomy_terms/{housing}"), &coordinator, None, &looped).await, 422).await["errors"][0]["code"], "cycle");
    let orphan = json!({"code": "orphan", "parent_id": "no-such-term", "name": "Orphan", "name_fr": "Orphelin"});
    assert_eq!(problem(app.post("/api/v1/taxonomy_terms", &coordinator, &orphan).await, 422).await["errors"][0]["pointer"], "/parent_id");
    let bad_code = json!({"code": "Not A Code", "name": "X x", "name_fr": "X x"});
    problem(app.post("/api/v1/taxonomy_terms", &coordinator, &bad_code).await, 422).await;
    let taken = json!({"code": "housing", "name": "Housing again", "name_fr": "Logement"});
    problem(app.post("/api/v1/taxonomy_terms", &coordinator, &taken).await, 409).await;

    // A service filed under the new grandchild is found by a search on the top category.
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let service = json!({"name": "Youth beds downtown", "category_ids": [child["id"]]});
    assert_eq!(app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &service).await.status(), 201);
    let found: Value = app.get(&format!("/api/v1/services/search?category={housing}"), &admin).await.json().await.unwrap();
    assert_eq!(found["contents"][0]["name"], "Youth beds downtown");
}

async fn stale_listings_until_verified(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let created: Value = app.post(&format!("/api/v1/organizations/{}/services", app.fixture.org_a), &admin, &json!({"name": "Never verified"})).await.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let coordinator = app.token(Role::Coordinator, 'b').await;
    let stale: Value = app.get("/api/v1/directory/stale", &coordinator).await.json().await.unwrap();
    assert_eq!(stale["total_items"], 1);
    assert_eq!(stale["contents"][0]["service_id"], id);
    assert_eq!(stale["contents"][0]["organization_name"], "Organization A");
    assert!(stale["contents"][0].get("verified_at").is_none());

    let verified = app.post(&format!("/api/v1/services/{id}/verify"), &coordinator, &Value::Null).await;
    assert_eq!(verified.status(), 200);
    assert_eq!(verified.headers()["etag"], "\"2\"");
    let body: Value = verified.json().await.unwrap();
    assert!(body["verified_at"].is_string());
    let stale: Value = app.get("/api/v1/directory/stale", &coordinator).await.json().await.unwrap();
    assert_eq!(stale["total_items"], 0);
    problem(app.post("/api/v1/services/no-such/verify", &coordinator, &Value::Null).await, 404).await;
}
