//! The partnership's groups: coordinators create them (a regional group names its
//! region) and name co-chairs; coordinators and co-chairs add members, organizations and
//! people; a member leaves by their own hand or their agency admin's; an organization's
//! profile lists its groups. Who belongs to the survivor advisory is shown to its members
//! and coordinators only — tried as an outsider would: the group, the list, an
//! organization's memberships, an API client, probing a member's id, adding one already
//! in, watching the group's version for a change, and making the group public later.

use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::plans::user_id;
use crate::referrals::client_token;

async fn json_of(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    response.json().await.unwrap()
}

fn group(kind: &str, name: &str) -> Value {
    json!({"kind": kind, "name": name, "name_fr": format!("{name} (fr)"), "description": "What it does."})
}

fn member_named<'a>(group: &'a Value, name: &str) -> &'a Value {
    group["members"].as_array().unwrap().iter().find(|m| m["organization"]["name"] == name && m["person"].is_null() || m["person"]["name"] == name).unwrap_or_else(|| panic!("{name} in {group}"))
}

async fn groups_by_kind_with_co_chairs_and_their_rules(app: TestApp) {
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let worker_a = app.token(Role::OutreachWorker, 'a').await;
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;

    // Only coordinators create groups; a regional group names its region, no other does.
    problem(app.post("/api/v1/groups", &admin_a, &group("working", "Training")).await, 403).await;
    let refused = problem(app.post("/api/v1/groups", &coordinator, &group("regional", "Halifax Regional Group")).await, 422).await;
    assert_eq!(refused["errors"][0]["pointer"], "/region_id");
    let mut working = group("working", "Training");
    working["region_id"] = json!(app.fixture.halifax);
    problem(app.post("/api/v1/groups", &coordinator, &working).await, 422).await;
    let mut regional = group("regional", "Halifax Regional Group");
    regional["region_id"] = json!("no-such-region");
    problem(app.post("/api/v1/groups", &coordinator, &regional).await, 422).await;
    regional["region_id"] = json!(app.fixture.halifax);
    let created = json_of(app.post("/api/v1/groups", &coordinator, &regional).await, 201).await;
    assert_eq!((created["region"]["id"].as_str(), created["private_membership"].as_bool()), (Some(app.fixture.halifax.as_str()), Some(false)));
    let id = created["id"].as_str().unwrap().to_owned();
    let members = format!("/api/v1/groups/{id}/members");

    // Coordinators add members and name co-chairs.
    json_of(app.post(&members, &coordinator, &json!({"organization_id": app.fixture.org_b, "co_chair": true})).await, 201).await;
    let worker_a_id = user_id(&app, 'a', &app.fixture.org_a, "outreach_worker@org-a.test").await;
    json_of(app.post(&members, &coordinator, &json!({"user_id": worker_a_id})).await, 201).await;
    let again = problem(app.post(&members, &coordinator, &json!({"user_id": worker_a_id})).await, 409).await;
    assert_eq!(again["code"], "already_exists");
    problem(app.post(&members, &coordinator, &json!({"organization_id": app.fixture.org_a, "user_id": worker_a_id})).await, 422).await;
    problem(app.post(&members, &coordinator, &json!({})).await, 422).await;
    problem(app.post(&members, &coordinator, &json!({"organization_id": "no-such-organization"})).await, 422).await;

    // A co-chair organization acts through its agency admins, who add members but name
    // no co-chair; its other people and plain members add nobody.
    problem(app.post(&members, &admin_b, &json!({"organization_id": app.fixture.org_a, "co_chair": true})).await, 403).await;
    let seen = json_of(app.post(&members, &admin_b, &json!({"organization_id": app.fixture.org_a})).await, 201).await;
    assert!(seen["may_manage_members"].as_bool().unwrap());
    let org_c = app.organization_c().await;
    problem(app.post(&members, &intake_b, &json!({"organization_id": org_c})).await, 403).await;
    problem(app.post(&members, &worker_a, &json!({"organization_id": org_c})).await, 403).await;
    let as_worker = json_of(app.get(&format!("/api/v1/groups/{id}"), &worker_a).await, 200).await;
    assert_eq!((as_worker["members_shown"].as_bool(), as_worker["may_manage_members"].as_bool()), (Some(true), Some(false)));
    let names: Vec<&str> = as_worker["members"].as_array().unwrap().iter().map(|m| m["person"]["name"].as_str().unwrap_or(m["organization"]["name"].as_str().unwrap())).collect();
    assert_eq!(names, ["Organization A", "Organization B", "outreach_worker of a"], "organizations first, then people, each by name");

    // Only coordinators name co-chairs.
    let org_a_member = member_named(&as_worker, "Organization A")["id"].as_str().unwrap().to_owned();
    problem(app.put(&format!("{members}/{org_a_member}"), &admin_b, None, &json!({"co_chair": true})).await, 403).await;
    let named = json_of(app.put(&format!("{members}/{org_a_member}"), &coordinator, None, &json!({"co_chair": true})).await, 200).await;
    assert_eq!(member_named(&named, "Organization A")["co_chair"], true);

    // The organization's profile lists its groups, its people's too.
    let of_a: Vec<Value> = json_of(app.get(&format!("/api/v1/organizations/{}/memberships", app.fixture.org_a), &intake_b).await, 200).await.as_array().unwrap().clone();
    assert_eq!(of_a, [json!({"group_id": id, "kind": "regional", "name": "Halifax Regional Group", "name_fr": "Halifax Regional Group (fr)", "co_chair": true})]);

    // A member leaves by their own hand, or their agency admin's; nobody else's.
    let person = member_named(&named, "outreach_worker of a")["id"].as_str().unwrap().to_owned();
    problem(app.request(reqwest::Method::DELETE, &format!("{members}/{org_a_member}")).bearer_auth(&intake_b).send().await.unwrap(), 403).await;
    json_of(app.request(reqwest::Method::DELETE, &format!("{members}/{person}")).bearer_auth(&worker_a).send().await.unwrap(), 200).await;
    let left = json_of(app.request(reqwest::Method::DELETE, &format!("{members}/{org_a_member}")).bearer_auth(&admin_a).send().await.unwrap(), 200).await;
    assert_eq!(left["members"].as_array().unwrap().len(), 1, "{left}");
    problem(app.request(reqwest::Method::DELETE, &format!("{members}/{person}")).bearer_auth(&coordinator).send().await.unwrap(), 404).await;

    // Renamed by a coordinator, at the version read.
    let mut renamed = regional.clone();
    renamed["name"] = json!("Halifax Regional Group (HRM)");
    problem(app.put(&format!("/api/v1/groups/{id}"), &coordinator, None, &renamed).await, 428).await;
    problem(app.put(&format!("/api/v1/groups/{id}"), &coordinator, Some("\"7\""), &renamed).await, 412).await;
    problem(app.put(&format!("/api/v1/groups/{id}"), &admin_a, Some("\"1\""), &renamed).await, 403).await;
    let renamed = json_of(app.put(&format!("/api/v1/groups/{id}"), &coordinator, Some("\"1\""), &renamed).await, 200).await;
    assert_eq!((renamed["name"].as_str(), renamed["version"].as_i64()), (Some("Halifax Regional Group (HRM)"), Some(2)));
    problem(app.get("/api/v1/groups/no-such-group", &worker_a).await, 404).await;
}

async fn who_belongs_to_the_survivor_advisory_is_kept_from_everyone_else(app: TestApp) {
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let outsider = app.token(Role::OutreachWorker, 'a').await;
    let intake_a = app.token(Role::IntakeWorker, 'a').await;
    let member = app.token(Role::IntakeWorker, 'b').await;
    let client_b = client_token(&app, 'b', &["directory:read"]).await;

    let mut advisory = group("survivor_advisory", "Survivor Advisory");
    advisory["private_membership"] = json!(false);
    let refused = problem(app.post("/api/v1/groups", &coordinator, &advisory).await, 422).await;
    assert_eq!(refused["errors"][0]["pointer"], "/private_membership");
    let created = json_of(app.post("/api/v1/groups", &coordinator, &group("survivor_advisory", "Survivor Advisory")).await, 201).await;
    assert_eq!(created["private_membership"], true);
    let id = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/groups/{id}");
    let before = json_of(app.get(&path, &outsider).await, 200).await;

    // Organization B belongs, and a person of organization A does.
    json_of(app.post(&format!("{path}/members"), &coordinator, &json!({"organization_id": app.fixture.org_b})).await, 201).await;
    let intake_a_id = user_id(&app, 'a', &app.fixture.org_a, "intake_worker@org-a.test").await;
    let full = json_of(app.post(&format!("{path}/members"), &coordinator, &json!({"user_id": intake_a_id})).await, 201).await;
    assert_eq!(full["members"].as_array().unwrap().len(), 2);
    let member_id = full["members"][0]["id"].as_str().unwrap().to_owned();

    // Members and coordinators see who belongs.
    for (who, token) in [("a person of a member organization", &member), ("a member person", &intake_a), ("a coordinator", &coordinator)] {
        let seen = json_of(app.get(&path, token).await, 200).await;
        assert_eq!((seen["members_shown"].as_bool(), seen["members"].as_array().unwrap().len()), (Some(true), 2), "{who}");
    }
    // Nobody else: not the member person's colleague, not the member organization's API client.
    for (who, token) in [("a colleague of a member person", &outsider), ("an API client of a member organization", &client_b)] {
        let seen = json_of(app.get(&path, token).await, 200).await;
        assert_eq!((seen["members_shown"].as_bool(), seen["members"].as_array().unwrap().len()), (Some(false), 0), "{who}");
        let listed: Vec<Value> = json_of(app.get("/api/v1/groups", token).await, 200).await.as_array().unwrap().clone();
        let listed = listed.iter().find(|g| g["id"] == id.as_str()).unwrap();
        assert_eq!(listed["members"], json!([]), "{who}");
        for organization in [&app.fixture.org_a, &app.fixture.org_b] {
            let memberships = json_of(app.get(&format!("/api/v1/organizations/{organization}/memberships"), token).await, 200).await;
            assert_eq!(memberships, json!([]), "{who}: an organization's profile");
        }
        // A member's id answers as a made-up one does; adding a member already in, as adding anyone.
        let probed = problem(app.request(reqwest::Method::DELETE, &format!("{path}/members/{member_id}")).bearer_auth(token).send().await.unwrap(), 404).await;
        let made_up = problem(app.request(reqwest::Method::DELETE, &format!("{path}/members/00000000-0000-0000-0000-000000000000")).bearer_auth(token).send().await.unwrap(), 404).await;
        assert_eq!(probed["detail"], made_up["detail"], "{who}");
        let in_already = app.post(&format!("{path}/members"), token, &json!({"organization_id": app.fixture.org_b})).await.status();
        let not_in = app.post(&format!("{path}/members"), token, &json!({"organization_id": app.fixture.org_a})).await.status();
        assert_eq!((in_already, not_in), (reqwest::StatusCode::FORBIDDEN, reqwest::StatusCode::FORBIDDEN), "{who}");
    }
    // Watching the group tells nothing: its version and time stay as they were when
    // members came.
    let after = json_of(app.get(&path, &outsider).await, 200).await;
    assert_eq!(before, after, "the group as an outsider sees it, before and after members joined");

    // Nor can it be made public afterwards: not as another kind, not by a coordinator.
    let mut exposed = group("working", "Survivor Advisory");
    exposed["private_membership"] = json!(false);
    let refused = problem(app.put(&path, &coordinator, Some("\"1\""), &exposed).await, 422).await;
    assert_eq!(refused["errors"][0]["pointer"], "/private_membership");
    assert_eq!(json_of(app.get(&path, &outsider).await, 200).await, after, "the group is as it was");

    let of_b = json_of(app.get(&format!("/api/v1/organizations/{}/memberships", app.fixture.org_b), &member).await, 200).await;
    assert_eq!(of_b[0]["group_id"], id.as_str(), "a member sees its own membership");
    let of_a = json_of(app.get(&format!("/api/v1/organizations/{}/memberships", app.fixture.org_a), &coordinator).await, 200).await;
    assert_eq!(of_a[0]["group_id"], id.as_str(), "a coordinator sees it, through the member person");
}

on_both_backends!(groups_by_kind_with_co_chairs_and_their_rules, who_belongs_to_the_survivor_advisory_is_kept_from_everyone_else);

/// The demo holds the partnership's groups as TESS describes its own: a core group,
/// working groups, seven regional groups (each tied to its region, every organization
/// there a member and one a co-chair), three cultural advisories and the survivor
/// advisory, whose membership is private.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_holds_the_partnership_s_groups() {
    let spare = harbour_tests::SpareDatabase::create(harbour::db::Backend::Sqlite).await;
    let url = spare.url.clone();
    let (groups, members) = tokio::task::spawn_blocking(move || {
        let db = harbour::db::Db::connect(&url, 2).unwrap();
        db.migrate().unwrap();
        harbour::seed::seed_demo(&db, &harbour::config::Settings::default()).unwrap();
        let mut conn = db.get().unwrap();
        let groups = harbour::groups::repo::all(&mut conn).unwrap();
        let ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
        (groups, harbour::groups::repo::members(&mut conn, &ids).unwrap())
    })
    .await
    .unwrap();
    let kinds: Vec<&str> = groups.iter().map(|g| g.kind.code()).collect();
    let count = |kind: &str| kinds.iter().filter(|k| **k == kind).count();
    assert_eq!((count("core"), count("working"), count("regional"), count("cultural_advisory"), count("survivor_advisory")), (1, 2, 7, 3, 1), "{kinds:?}");
    for group in &groups {
        let of_group: Vec<_> = members.iter().filter(|m| m.row.group_id == group.id).collect();
        assert!(!of_group.is_empty(), "{} has members", group.name);
        assert!(of_group.iter().any(|m| m.row.co_chair), "{} has a co-chair", group.name);
        assert_eq!(group.region_id.is_some(), group.kind.code() == "regional", "{}: a region only for a regional group", group.name);
        assert_eq!(group.private_membership, group.kind.code() == "survivor_advisory", "{}: private membership", group.name);
        assert!(!group.description.is_empty() && !group.description_fr.is_empty(), "{}: what it does, in English and French", group.name);
    }
}
