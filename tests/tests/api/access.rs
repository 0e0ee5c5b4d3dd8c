//! Roles and organizations are checked on the server, for every row.

use harbour_tests::{on_both_backends, problem, Fixture, TestApp, PASSWORD};
use harbour_types::Role;
use reqwest::Method;
use serde_json::{json, Value};

on_both_backends!(
    role_guards_follow_the_table,
    agency_admins_manage_only_their_own_organization,
    a_new_user_must_change_the_temporary_password_first,
    password_reset_ends_sessions_and_issues_a_temporary_password,
    organizations_are_listed_in_pages,
);

fn new_org(slug: &str) -> Value {
    json!({"name": format!("New {slug}"), "slug": slug, "sector": "health", "description": "d"})
}

/// (role, may create organizations, may list own organization's users)
const TABLE: &[(Role, u16, u16)] = &[
    (Role::OutreachWorker, 403, 403),
    (Role::IntakeWorker, 403, 403),
    (Role::AgencyAdmin, 403, 200),
    (Role::Coordinator, 403, 403),
    (Role::SystemAdmin, 201, 200),
];

async fn role_guards_follow_the_table(app: TestApp) {
    for (role, create, list_users) in TABLE {
        let token = app.token(*role, 'a').await;
        let slug = format!("made-by-{}", role.code().replace('_', "-"));
        let response = app.post("/api/v1/organizations", &token, &new_org(&slug)).await;
        assert_eq!(response.status().as_u16(), *create, "{role:?} creating an organization");
        let response = app.get(&format!("/api/v1/organizations/{}/users", app.fixture.org_a), &token).await;
        assert_eq!(response.status().as_u16(), *list_users, "{role:?} listing own users");
        // Every role reads the directory of organizations.
        assert_eq!(app.get("/api/v1/organizations", &token).await.status(), 200, "{role:?} reading organizations");
    }
    let system_admin = app.token(Role::SystemAdmin, 'a').await;
    let taken = problem(app.post("/api/v1/organizations", &system_admin, &new_org("made-by-system-admin")).await, 409).await;
    assert_eq!(taken["code"], "already_exists");
}

async fn agency_admins_manage_only_their_own_organization(app: TestApp) {
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let org_b = &app.fixture.org_b;

    problem(app.get(&format!("/api/v1/organizations/{org_b}/users"), &admin_a).await, 403).await;
    let body = json!({"email": "intruder@org-a.test", "display_name": "X", "roles": ["outreach_worker"]});
    problem(app.post(&format!("/api/v1/organizations/{org_b}/users"), &admin_a, &body).await, 403).await;
    problem(app.request(Method::PUT, &format!("/api/v1/organizations/{org_b}")).bearer_auth(&admin_a).json(&new_org("org-b")).send().await.unwrap(), 403).await;

    // A user of B, guessed by id, reads as absent to A's admin and is left untouched.
    let users_b: Value = app.get(&format!("/api/v1/organizations/{org_b}/users"), &admin_b).await.json().await.unwrap();
    let victim = users_b["contents"].as_array().unwrap().iter().find(|u| u["email"] == "intake_worker@org-b.test").unwrap()["id"].as_str().unwrap().to_owned();
    problem(app.post(&format!("/api/v1/users/{victim}/deactivate"), &admin_a, &Value::Null).await, 404).await;
    problem(app.post(&format!("/api/v1/users/{victim}/reset-password"), &admin_a, &Value::Null).await, 404).await;
    assert_eq!(app.sign_in_response(&Fixture::email(Role::IntakeWorker, 'b'), PASSWORD).await.status(), 200);

    // Agency admins staff their agency, but cannot hand out partnership-wide roles.
    let escalate = json!({"email": "boss@org-a.test", "display_name": "Boss", "roles": ["system_admin"]});
    let body = problem(app.post(&format!("/api/v1/organizations/{}/users", app.fixture.org_a), &admin_a, &escalate).await, 403).await;
    assert_eq!(body["code"], "role_not_grantable");

    // Their own organization's details are theirs to edit.
    let mut own = new_org("org-a");
    own["name"] = json!("Organization A, renamed");
    let response = app.request(Method::PUT, &format!("/api/v1/organizations/{}", app.fixture.org_a)).bearer_auth(&admin_a).json(&own).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().await.unwrap()["name"], "Organization A, renamed");
}

async fn a_new_user_must_change_the_temporary_password_first(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'a').await;
    let body = json!({"email": "New.Worker@Org-A.test", "display_name": "New worker", "roles": ["outreach_worker", "intake_worker"], "locale": "fr"});
    let response = app.post(&format!("/api/v1/organizations/{}/users", app.fixture.org_a), &admin, &body).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["user"]["email"], "new.worker@org-a.test");
    assert_eq!(created["user"]["must_change_password"], true);
    let temporary = created["temporary_password"].as_str().unwrap().to_owned();

    let again = problem(app.post(&format!("/api/v1/organizations/{}/users", app.fixture.org_a), &admin, &body).await, 409).await;
    assert_eq!(again["code"], "already_exists");

    let session: Value = app.sign_in_response("new.worker@org-a.test", &temporary).await.json().await.unwrap();
    let token = session["access_token"].as_str().unwrap();
    assert_eq!(session["user"]["must_change_password"], true);
    let blocked = problem(app.get("/api/v1/organizations", token).await, 403).await;
    assert_eq!(blocked["code"], "password_change_required");

    let short = problem(app.post("/api/v1/me/password", token, &json!({"current_password": temporary, "new_password": "short"})).await, 422).await;
    assert_eq!(short["errors"][0]["pointer"], "/new_password");
    let wrong = problem(app.post("/api/v1/me/password", token, &json!({"current_password": "nope", "new_password": "a much longer new password"})).await, 403).await;
    assert_eq!(wrong["code"], "wrong_current_password");
    let changed = app.post("/api/v1/me/password", token, &json!({"current_password": temporary, "new_password": "a much longer new password"})).await;
    assert_eq!(changed.status(), 204);

    let session: Value = app.sign_in_response("new.worker@org-a.test", "a much longer new password").await.json().await.unwrap();
    assert_eq!(app.get("/api/v1/organizations", session["access_token"].as_str().unwrap()).await.status(), 200);
    problem(app.sign_in_response("new.worker@org-a.test", &temporary).await, 401).await;
}

async fn password_reset_ends_sessions_and_issues_a_temporary_password(app: TestApp) {
    let admin = app.token(Role::AgencyAdmin, 'b').await;
    let worker: Value = app.sign_in_response(&Fixture::email(Role::IntakeWorker, 'b'), PASSWORD).await.json().await.unwrap();
    let id = worker["user"]["id"].as_str().unwrap();
    let reset: Value = app.post(&format!("/api/v1/users/{id}/reset-password"), &admin, &Value::Null).await.json().await.unwrap();
    let temporary = reset["temporary_password"].as_str().unwrap();
    assert!(temporary.len() >= 12);
    problem(app.sign_in_response(&Fixture::email(Role::IntakeWorker, 'b'), PASSWORD).await, 401).await;
    let session: Value = app.sign_in_response(&Fixture::email(Role::IntakeWorker, 'b'), temporary).await.json().await.unwrap();
    assert_eq!(session["user"]["must_change_password"], true);
}

async fn organizations_are_listed_in_pages(app: TestApp) {
    let token = app.token(Role::OutreachWorker, 'a').await;
    let page: Value = app.get("/api/v1/organizations?page=2&per_page=1", &token).await.json().await.unwrap();
    assert_eq!(page["total_items"], 2);
    assert_eq!(page["total_pages"], 2);
    assert_eq!(page["page_number"], 2);
    assert_eq!(page["size"], 1);
    assert_eq!(page["last_page"], true);
    assert_eq!(page["contents"][0]["name"], "Organization B");
    let one: Value = app.get(&format!("/api/v1/organizations/{}", app.fixture.org_a), &token).await.json().await.unwrap();
    assert_eq!(one["slug"], "org-a");
    problem(app.get("/api/v1/organizations/not-an-id", &token).await, 404).await;
    problem(app.get("/api/v1/organizations?page=abc", &token).await, 400).await;
}
