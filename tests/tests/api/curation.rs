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
    assert_eq!(created.headers()["etag"], "\"1\"");
    let id = created.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/regions/{id}");
    let renaming = json!({"slug": "cape-breton", "name": "Unama'ki – Cape Breton", "name_fr": "Unama'ki – Cap-Breton"});
    problem(app.put(&path, &coordinator, None, &renaming).await, 428).await;
    let renamed = app.put(&path, &coordinator, Some("\"1\""), &renaming).await;
    assert_eq!(renamed.status(), 200);
    assert_eq!(renamed.headers()["etag"], "\"2\"");
    // A colleague who read version 1 cannot undo the rename.
    let stale = json!({"slug": "cape-breton", "name": "Cape Breton", "name_fr": "Cap-Breton"});
    assert_eq!(problem(app.put(&path, &coordinator, Some("\"1\""), &stale).await, 412).await["code"], "stale_version");
    let regions: Value = app.get("/api/v1/regions", &coordinator).await.json().await.unwrap();
    let listed = regions.as_array().unwrap().iter().find(|r| r["id"] == id.as_str()).unwrap();
    assert_eq!((&listed["name"], &listed["version"]), (&json!("Unama'ki – Cape Breton"), &json!(2)));
    problem(app.put("/api/v1/regions/no-such-region", &coordinator, Some("\"1\""), &renaming).await, 404).await;
    assert_eq!(problem(app.post("/api/v1/regions", &coordinator, &region).await, 409).await["code"], "already_exists");
    // Another region cannot take the slug by a rename either.
    let other: Value = app.post("/api/v1/regions", &coordinator, &json!({"slug": "south-shore", "name": "South Shore", "name_fr": "Rive-Sud"})).await.json().await.unwrap();
    let clash = app.put(&format!("/api/v1/regions/{}", other["id"].as_str().unwrap()), &coordinator, Some("\"1\""), &renaming).await;
    problem(clash, 409).await;
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
    let housing_path = format!("/api/v1/taxonomy_terms/{housing}");
    // Housing under its own grandchild would make a loop.
    let looped = json!({"code": "housing", "parent_id": child["id"], "name": "Housing", "name_fr": "Logement"});
    assert_eq!(problem(app.put(&housing_path, &coordinator, Some("\"1\""), &looped).await, 422).await["errors"][0]["code"], "cycle");
    // Moving the new term to the top of the tree, then a stale edit of it.
    let child_path = format!("/api/v1/taxonomy_terms/{}", child["id"].as_str().unwrap());
    let moved = app.put(&child_path, &coordinator, Some("\"1\""), &json!({"code": "youth-beds", "name": "Youth beds", "name_fr": "Lits jeunesse"})).await;
    assert_eq!(moved.headers()["etag"], "\"2\"");
    let moved: Value = moved.json().await.unwrap();
    assert!(moved.get("parent_id").is_none(), "{moved}");
    let read = app.get(&child_path, &coordinator).await;
    assert_eq!(read.headers()["etag"], "\"2\"");
    let stale = json!({"code": "housing.youth", "parent_id": app.fixture.emergency_shelter, "name": "Youth beds", "name_fr": "Lits jeunesse"});
    problem(app.put(&child_path, &coordinator, Some("\"1\""), &stale).await, 412).await;
    problem(app.put(&child_path, &coordinator, None, &stale).await, 428).await;
    let taken_by_rename = json!({"code": "housing", "name": "Youth beds", "name_fr": "Lits jeunesse"});
    problem(app.put(&child_path, &coordinator, Some("\"2\""), &taken_by_rename).await, 409).await;
    assert_eq!(app.put(&child_path, &coordinator, Some("\"2\""), &stale).await.status(), 200);
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
