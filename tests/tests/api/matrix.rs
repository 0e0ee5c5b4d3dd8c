//! The authorization matrix, generated from the committed OpenAPI document: every read
//! operation × every kind of caller of organization A (each role, an API client with
//! every scope and one with only `webhooks:manage`, no token, an expired token) × a
//! record of A's own and one of another organization — and every write operation the
//! same way (session operations — sign-in, sign-out, one's own password — without a
//! token and with an expired one only). Writes act on a record made for each cell, with a
//! valid body (and If-Match), so each cell shows the authorization decision itself. The
//! expected status of each cell is committed in `tests/authz/matrix.tsv`; an operation
//! without its rows fails the test. Rules that must hold whatever the table says are
//! checked on top. (`HARBOUR_UPDATE_MATRIX=1` rewrites the table, for review in the diff.)

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use harbour_tests::{on_both_backends, TestApp};
use harbour_types::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal};
use crate::referrals::{client_token, referral};

const COLUMNS: [&str; 9] = ["none", "expired", "outreach", "intake", "agency_admin", "coordinator", "system_admin", "client", "client_webhooks_only"];
const TABLE: &str = "authz/matrix.tsv";

/// Operations anyone may call (health, metrics, the instance's public facts, the HSDS API
/// root — versions and links, no data — and signing in).
fn public(path: &str) -> bool {
    path.starts_with("/health/") || matches!(path, "/metrics" | "/api/v1/instance" | "/api/v1/") || path.starts_with("/api/v1/auth/")
}

/// A region probe: its slug is new each time.
fn region(n: usize) -> Value {
    json!({"slug": format!("region-{n}"), "name": format!("Region {n}"), "name_fr": format!("Région {n}")})
}

/// A category probe: its code is new each time.
fn term(n: usize) -> Value {
    json!({"code": format!("term-{n}"), "name": "Term", "name_fr": "Terme"})
}

/// The same token, with its expiry a minute ago, signed with the server's key.
fn expired(token: &str) -> String {
    let settings = harbour_tests::test_settings(String::new());
    let payload = token.split('.').nth(1).unwrap();
    let mut claims: Value = serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let now = chrono::Utc::now().timestamp();
    claims["iat"] = json!(now - 3600);
    claims["exp"] = json!(now - 60);
    let header = jsonwebtoken::Header { kid: Some(settings.jwt_key_id.clone()), ..jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256) };
    let key = jsonwebtoken::EncodingKey::from_secret(secrecy::ExposeSecret::expose_secret(&settings.jwt_secret).as_bytes());
    jsonwebtoken::encode(&header, &claims, &key).unwrap()
}

/// Records of organization A ("own") and of another ("other") for each kind of path,
/// and what it takes to make fresh ones for a write.
struct World {
    ids: BTreeMap<&'static str, (String, String)>,
    org_c: String,
    service_c: String,
    /// Setup tokens: agency admins of A, B, C; outreach workers of A and B; a system admin.
    admins: [String; 3],
    workers: [String; 2],
    system_admin: String,
    made: std::sync::atomic::AtomicUsize,
}

impl World {
    async fn build(app: &TestApp) -> World {
        let org_c = app.organization_c().await;
        let mut ids = BTreeMap::new();
        ids.insert("organizations", (app.fixture.org_a.clone(), app.fixture.org_b.clone()));
        // Shared by the partnership: the same for every organization.
        ids.insert("taxonomy_terms", (app.fixture.housing.clone(), app.fixture.emergency_shelter.clone()));
        ids.insert("regions", (app.fixture.halifax.clone(), app.fixture.halifax.clone()));
        let mut services = Vec::new();
        let mut locations = Vec::new();
        for (org, who) in [(&app.fixture.org_a, 'a'), (&app.fixture.org_b, 'b')] {
            let admin = app.token(Role::AgencyAdmin, who).await;
            let place: Value = app.post(&format!("/api/v1/organizations/{org}/locations"), &admin, &json!({"name": "Office", "address_1": "1 Main St", "city": "Halifax"})).await.json().await.unwrap();
            let body = json!({"name": format!("Service of {who}"), "description": "Help.", "category_ids": [app.fixture.housing], "location_ids": [place["id"]]});
            let service: Value = app.post(&format!("/api/v1/organizations/{org}/services"), &admin, &body).await.json().await.unwrap();
            services.push(service["id"].as_str().unwrap().to_owned());
            locations.push(place["id"].as_str().unwrap().to_owned());
        }
        ids.insert("services", (services[0].clone(), services[1].clone()));
        ids.insert("locations", (locations[0].clone(), locations[1].clone()));
        let at_locations: Value = app.get("/api/v1/service_at_locations?per_page=100", &app.token(Role::OutreachWorker, 'a').await).await.json().await.unwrap();
        let at = |service: &str| at_locations["contents"].as_array().unwrap().iter().find(|s| s["service_id"] == service).unwrap()["id"].as_str().unwrap().to_owned();
        ids.insert("service_at_locations", (at(&services[0]), at(&services[1])));
        let taxonomies: Value = app.get("/api/v1/taxonomies", &app.token(Role::OutreachWorker, 'a').await).await.json().await.unwrap();
        let taxonomy = taxonomies["contents"][0]["id"].as_str().unwrap().to_owned();
        ids.insert("taxonomies", (taxonomy.clone(), taxonomy));

        // Participants, consents and referrals: A's own (A → B), and B's (B → C).
        let mut people = Vec::new();
        for (who, to, service) in [('a', app.fixture.org_b.clone(), services[1].clone()), ('b', org_c.clone(), String::new())] {
            let worker = app.token(Role::OutreachWorker, who).await;
            let participant = record_participant(app, &worker, &format!("Person of {who}")).await;
            let given = consent(app, &worker, verbal(&participant, &[&to], &["referral"], &["needs"])).await;
            people.push((participant, given["id"].as_str().unwrap().to_owned(), worker, service));
        }
        // B refers to a service of C.
        let admin_c = app.token(Role::AgencyAdmin, 'c').await;
        let service_c: Value = app.post(&format!("/api/v1/organizations/{org_c}/services"), &admin_c, &json!({"name": "Service of c", "description": "Help.", "category_ids": [app.fixture.housing]})).await.json().await.unwrap();
        people[1].3 = service_c["id"].as_str().unwrap().to_owned();
        let mut referrals = Vec::new();
        for (participant, _, worker, service) in &people {
            let sent: Value = app.post("/api/v1/referrals", worker, &referral(participant, service, true)).await.json().await.unwrap();
            referrals.push(sent["id"].as_str().unwrap().to_owned());
        }
        for (participant, _, worker, _) in &people {
            let written = app.put(&format!("/api/v1/participants/{participant}/safety-plan"), worker, Some("\"0\""), &safety_plan()).await;
            assert!(written.status().is_success(), "setup: a safety plan");
        }
        // A case conference about each participant: A's inviting B, B's inviting C.
        let mut conferences = Vec::new();
        for ((participant, _, worker, _), to) in people.iter().zip([app.fixture.org_b.clone(), org_c.clone()]) {
            consent(app, worker, verbal(participant, &[&to], &["case_conference"], &["case_notes"])).await;
            let convened: Value = app.post(&format!("/api/v1/participants/{participant}/conferences"), worker, &conference(&to)).await.json().await.unwrap();
            conferences.push(convened["id"].as_str().unwrap().to_owned());
        }
        ids.insert("conferences", (conferences[0].clone(), conferences[1].clone()));
        // A group of the partnership's: the same for every organization.
        let system_admin = app.token(Role::SystemAdmin, 'a').await;
        let working: Value = app.post("/api/v1/groups", &system_admin, &group(0)).await.json().await.unwrap();
        let working = working["id"].as_str().unwrap().to_owned();
        ids.insert("groups", (working.clone(), working));
        ids.insert("participants", (people[0].0.clone(), people[1].0.clone()));
        ids.insert("consents", (people[0].1.clone(), people[1].1.clone()));
        ids.insert("referrals", (referrals[0].clone(), referrals[1].clone()));

        let mut clients = Vec::new();
        let mut hooks = Vec::new();
        let mut users = Vec::new();
        for (org, who) in [(&app.fixture.org_a, 'a'), (&app.fixture.org_b, 'b')] {
            let admin = app.token(Role::AgencyAdmin, who).await;
            let client: Value = app.post(&format!("/api/v1/organizations/{org}/api-clients"), &admin, &json!({"name": "Probe", "scopes": ["directory:read"]})).await.json().await.unwrap();
            clients.push(client["client"]["id"].as_str().unwrap().to_owned());
            let hook: Value = app.post("/api/v1/webhooks", &admin, &json!({"url": "http://127.0.0.1:9/hook", "event_types": ["referral.sent"]})).await.json().await.unwrap();
            hooks.push(hook["id"].as_str().unwrap().to_owned());
            let listed: Value = app.get(&format!("/api/v1/organizations/{org}/users?per_page=100"), &admin).await.json().await.unwrap();
            users.push(listed["contents"][0]["id"].as_str().unwrap().to_owned());
        }
        ids.insert("api-clients", (clients[0].clone(), clients[1].clone()));
        ids.insert("webhooks", (hooks[0].clone(), hooks[1].clone()));
        ids.insert("users", (users[0].clone(), users[1].clone()));
        World {
            ids,
            service_c: people[1].3.clone(),
            org_c,
            admins: [app.token(Role::AgencyAdmin, 'a').await, app.token(Role::AgencyAdmin, 'b').await, app.token(Role::AgencyAdmin, 'c').await],
            workers: [app.token(Role::OutreachWorker, 'a').await, app.token(Role::OutreachWorker, 'b').await],
            system_admin: app.token(Role::SystemAdmin, 'a').await,
            made: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// A number not used before, for names that must be unique.
    fn next(&self) -> usize {
        self.made.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    }

    fn org(&self, side: usize) -> String {
        let (own, other) = &self.ids["organizations"];
        if side == 0 { own.clone() } else { other.clone() }
    }

    async fn created(&self, app: &TestApp, path: &str, token: &str, body: Value) -> String {
        let response = app.post(path, token, &body).await;
        let status = response.status();
        let value: Value = response.json().await.unwrap();
        assert!(status.is_success(), "setup {path}: {status} {value}");
        let id = value["id"].as_str().or(value["client"]["id"].as_str()).or(value["user"]["id"].as_str());
        id.unwrap_or_else(|| panic!("setup {path}: no id in {value}")).to_owned()
    }

    /// A new record of `kind` for `side` (0: organization A's, 1: another's), for one
    /// write to act on: each cell of the matrix gets its own, so that a delete or a
    /// deactivation in one column does not decide the next.
    async fn fresh(&self, app: &TestApp, kind: &str, side: usize) -> String {
        let (org, admin, worker) = (self.org(side), &self.admins[side], &self.workers[side]);
        let n = self.next();
        match kind {
            "services" => self.created(app, &format!("/api/v1/organizations/{org}/services"), admin, json!({"name": format!("Probe {n}"), "category_ids": [app.fixture.housing]})).await,
            "locations" => self.created(app, &format!("/api/v1/organizations/{org}/locations"), admin, json!({"name": format!("Probe {n}")})).await,
            "participants" => self.created(app, "/api/v1/participants", worker, json!({"alias": format!("Probe {n}")})).await,
            "consents" => {
                let participant = self.created(app, "/api/v1/participants", worker, json!({"alias": format!("Probe {n}")})).await;
                let to = if side == 0 { app.fixture.org_b.clone() } else { self.org_c.clone() };
                self.created(app, "/api/v1/consents", worker, verbal(&participant, &[&to], &["referral"], &["needs"])).await
            }
            "referrals" => {
                let participant = self.created(app, "/api/v1/participants", worker, json!({"alias": format!("Probe {n}")})).await;
                let (to, service) = if side == 0 { (app.fixture.org_b.clone(), self.ids["services"].1.clone()) } else { (self.org_c.clone(), self.service_c.clone()) };
                self.created(app, "/api/v1/consents", worker, verbal(&participant, &[&to], &["referral"], &["needs"])).await;
                self.created(app, "/api/v1/referrals", worker, referral(&participant, &service, true)).await
            }
            "users" => self.created(app, &format!("/api/v1/organizations/{org}/users"), admin, json!({"email": format!("probe-{n}@org.test"), "display_name": "Probe", "roles": ["outreach_worker"]})).await,
            "api-clients" => self.created(app, &format!("/api/v1/organizations/{org}/api-clients"), admin, json!({"name": format!("Probe {n}"), "scopes": ["directory:read"]})).await,
            "webhooks" => self.created(app, "/api/v1/webhooks", admin, json!({"url": "http://127.0.0.1:9/hook", "event_types": ["referral.sent"]})).await,
            "taxonomy_terms" => self.created(app, "/api/v1/taxonomy_terms", &self.system_admin, json!({"code": format!("probe-{n}"), "name": "Probe", "name_fr": "Sonde"})).await,
            "regions" => self.created(app, "/api/v1/regions", &self.system_admin, json!({"slug": format!("probe-{n}"), "name": "Probe", "name_fr": "Sonde"})).await,
            "conferences" => {
                let participant = self.created(app, "/api/v1/participants", worker, json!({"alias": format!("Probe {n}")})).await;
                let to = if side == 0 { app.fixture.org_b.clone() } else { self.org_c.clone() };
                self.created(app, "/api/v1/consents", worker, verbal(&participant, &[&to], &["case_conference"], &["case_notes"])).await;
                self.created(app, &format!("/api/v1/participants/{participant}/conferences"), worker, conference(&to)).await
            }
            "groups" => self.created(app, "/api/v1/groups", &self.system_admin, group(n)).await,
            "organizations" => org,
            other => panic!("no fresh {other}"),
        }
    }

    /// The request for one write cell: its path (on a fresh record), body and If-Match.
    async fn write(&self, app: &TestApp, method: &Method, template: &str, side: usize) -> (String, Option<Value>, Option<&'static str>) {
        let kind = template.trim_start_matches("/api/v1/").split('/').next().unwrap_or_default();
        let record = if template.contains("{id}") { self.fresh(app, kind, side).await } else { String::new() };
        let mut path = template.replace("{id}", &record);
        // A goal of the fresh participant's plan, and a step of it, for the paths that name them.
        if template.contains("{goal}") {
            let goals = format!("/api/v1/participants/{record}/plan/goals");
            let goal = self.created(app, &goals, &self.workers[side], plan_goal()).await;
            if template.contains("{step}") {
                let step = self.created(app, &format!("{goals}/{goal}/steps"), &self.workers[side], plan_step()).await;
                path = path.replace("{step}", &step);
            }
            path = path.replace("{goal}", &goal);
        }
        // An action item of the fresh conference, given to its convener.
        if template.contains("{action}") {
            let action = self.created(app, &format!("/api/v1/conferences/{record}/actions"), &self.workers[side], conference_action(&self.org(side))).await;
            path = path.replace("{action}", &action);
        }
        // A membership of the fresh group: the side's organization.
        if template.contains("{member}") {
            let group: Value = app.post(&format!("/api/v1/groups/{record}/members"), &self.system_admin, &json!({"organization_id": self.org(side)})).await.json().await.unwrap();
            path = path.replace("{member}", group["members"][0]["id"].as_str().expect("setup: a member"));
        }
        // The organization a write's conference invites, named in a consent of the participant's.
        let table = if side == 0 { app.fixture.org_b.clone() } else { self.org_c.clone() };
        if template == "/api/v1/participants/{id}/conferences" {
            self.created(app, "/api/v1/consents", &self.workers[side], verbal(&record, &[&table], &["case_conference"], &["case_notes"])).await;
        }
        let n = self.next();
        let (own_participant, service_b) = (self.ids["participants"].0.clone(), self.ids["services"].1.clone());
        let (body, version) = match (method.as_str(), template) {
            ("POST", "/api/v1/audit/checkpoints") => (None, None),
            ("POST", "/api/v1/audit/verify") => (Some(json!({"format": "harbour-audit-checkpoint/1", "taken_at": "2026-12-07T00:00:00Z", "events": 0, "chains": [], "key_id": "dev-1", "signature": "00"})), None),
            ("POST", "/api/v1/consent-statements") => (Some(json!({"language": "en", "purposes": ["referral"], "data_categories": ["needs"], "recipient_ids": [app.fixture.org_b]})), None),
            ("POST", "/api/v1/consents") => (Some(verbal(&own_participant, &[&app.fixture.org_b], &["referral"], &["needs"])), None),
            ("POST", "/api/v1/consents/{id}/revoke") => (Some(json!({"method": "phone"})), None),
            ("PUT", "/api/v1/locations/{id}") => (Some(json!({"name": format!("Renamed {n}")})), Some("\"1\"")),
            ("POST", "/api/v1/organizations") => (Some(json!({"name": format!("Probe {n}"), "slug": format!("probe-{n}"), "sector": "community"})), None),
            ("PUT", "/api/v1/organizations/{id}") => {
                let who = if side == 0 { 'a' } else { 'b' };
                (Some(json!({"name": format!("Organization {}", who.to_ascii_uppercase()), "slug": format!("org-{who}"), "sector": "community"})), None)
            }
            ("POST", "/api/v1/organizations/{id}/api-clients") => (Some(json!({"name": format!("Probe {n}"), "scopes": ["directory:read"]})), None),
            ("POST", "/api/v1/organizations/{id}/locations") => (Some(json!({"name": format!("Probe {n}")})), None),
            ("POST", "/api/v1/organizations/{id}/services") => (Some(json!({"name": format!("Probe {n}")})), None),
            ("POST", "/api/v1/organizations/{id}/users") => (Some(json!({"email": format!("new-{n}@org.test"), "display_name": "New", "roles": ["outreach_worker"]})), None),
            ("POST", "/api/v1/participants") => (Some(json!({"alias": format!("Probe {n}")})), None),
            ("POST", "/api/v1/participants/search") => (Some(json!({"alias": "Probe"})), None),
            ("PUT", "/api/v1/participants/{id}") => (Some(json!({"alias": format!("Renamed {n}")})), Some("\"1\"")),
            ("PUT", "/api/v1/participants/{id}/safety-plan") => (Some(safety_plan()), Some("\"0\"")),
            ("PUT", "/api/v1/participants/{id}/plan") => (Some(json!({"review_on": "2027-01-01"})), Some("\"0\"")),
            ("POST", "/api/v1/participants/{id}/plan/goals") => (Some(plan_goal()), None),
            ("PUT", "/api/v1/participants/{id}/plan/goals/{goal}") => (Some(plan_goal()), Some("\"1\"")),
            ("POST", "/api/v1/participants/{id}/plan/goals/{goal}/steps") => (Some(plan_step()), None),
            ("PUT", "/api/v1/participants/{id}/plan/goals/{goal}/steps/{step}") => (Some(plan_step()), Some("\"1\"")),
            ("POST", "/api/v1/participants/{id}/plan/stages") => (Some(json!({"stage": "action"})), None),
            ("POST", "/api/v1/participants/{id}/conferences") => (Some(conference(&table)), None),
            ("PUT", "/api/v1/conferences/{id}") => (Some(conference(&table)), Some("\"1\"")),
            ("POST", "/api/v1/conferences/{id}/actions") => (Some(conference_action(&self.org(side))), None),
            ("PUT", "/api/v1/conferences/{id}/actions/{action}") => (Some(conference_action(&self.org(side))), Some("\"1\"")),
            ("POST", "/api/v1/groups") => (Some(group(n)), None),
            ("PUT", "/api/v1/groups/{id}") => (Some(group(n)), Some("\"1\"")),
            ("POST", "/api/v1/groups/{id}/members") => (Some(json!({"organization_id": self.org(side)})), None),
            ("PUT", "/api/v1/groups/{id}/members/{member}") => (Some(json!({"co_chair": true})), None),
            ("POST", "/api/v1/participants/{id}/erasure") => (Some(json!({"method": "in_person", "reason": "participant_request"})), None),
            ("POST", "/api/v1/referrals") => (Some(referral(&own_participant, &service_b, true)), None),
            ("PUT", "/api/v1/referrals/{id}/assignee") => (Some(json!({"user_id": null})), Some("\"2\"")),
            ("POST", "/api/v1/referrals/{id}/messages") => (Some(json!({"body": "Hello"})), None),
            ("POST", "/api/v1/referrals/{id}/transitions") => (Some(json!({"action": "withdraw"})), Some("\"2\"")),
            ("POST", "/api/v1/regions") => (Some(region(n)), None),
            ("PUT", "/api/v1/regions/{id}") => (Some(region(n)), Some("\"1\"")),
            ("PUT", "/api/v1/services/{id}") => (Some(json!({"name": format!("Renamed {n}")})), Some("\"1\"")),
            ("PUT", "/api/v1/services/{id}/capacity") => (Some(json!({"status": "full"})), Some("\"1\"")),
            ("POST", "/api/v1/taxonomy_terms") => (Some(term(n)), None),
            ("PUT", "/api/v1/taxonomy_terms/{id}") => (Some(term(n)), Some("\"1\"")),
            ("POST", "/api/v1/webhooks") => (Some(json!({"url": "http://127.0.0.1:9/hook", "event_types": ["referral.sent"]})), None),
            ("DELETE", _) | ("POST", "/api/v1/services/{id}/verify" | "/api/v1/users/{id}/deactivate" | "/api/v1/users/{id}/reset-password") => (None, None),
            other => panic!("the matrix has no probe for {other:?}: add one to World::write"),
        };
        (path, body, version)
    }

    /// The path with its id filled in for `side` (0: own, 1: other).
    fn path(&self, template: &str, side: usize) -> String {
        let kind = template.trim_start_matches("/api/v1/").split('/').next().unwrap_or_default();
        let (own, other) = self.ids.get(kind).unwrap_or_else(|| panic!("the matrix has no records for {template}: add them to World::build"));
        // A safety plan's first revision: every participant of the world has one.
        template.replace("{id}", if side == 0 { own } else { other }).replace("{revision}", "1")
    }
}

/// A working group, for the groups the matrix reads and writes.
fn group(n: usize) -> Value {
    json!({"kind": "working", "name": format!("Working group {n}"), "name_fr": format!("Groupe de travail {n}")})
}

/// A safety plan, for the participants whose plans the matrix reads and writes.
fn safety_plan() -> Value {
    json!({"content": {"warning_signs": "late texts"}})
}

/// A goal and a step of an individualized plan, for the plans the matrix writes.
fn plan_goal() -> Value {
    json!({"domain": "housing", "title": "a place of my own"})
}

fn plan_step() -> Value {
    json!({"description": "call the housing line", "owner": {"kind": "participant"}})
}

/// A case conference inviting `organization`, and an action item given to one, for the
/// conferences the matrix reads and writes.
fn conference(organization: &str) -> Value {
    json!({"starts_at": "2027-02-03T14:00:00Z", "minutes": 60, "invited": [{"organization_id": organization}]})
}

fn conference_action(organization: &str) -> Value {
    json!({"description": "call back", "organization_id": organization, "due_on": "2027-02-10"})
}

/// Every operation of the committed document.
fn operations() -> Vec<(Method, String)> {
    let document: Value = serde_json::from_str(&std::fs::read_to_string(harbour_tests::tests_dir().join("../openapi/openapi.json")).unwrap()).unwrap();
    let mut out = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in ["get", "post", "put", "delete", "patch"] {
            if item.get(method).is_some() {
                out.push((Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(), path.clone()));
            }
        }
    }
    out
}

async fn authorization_matrix(app: TestApp) {
    let world = World::build(&app).await;
    let mut tokens: Vec<Option<String>> = vec![None, Some(expired(&app.token(Role::OutreachWorker, 'a').await))];
    for role in [Role::OutreachWorker, Role::IntakeWorker, Role::AgencyAdmin, Role::Coordinator, Role::SystemAdmin] {
        tokens.push(Some(app.token(role, 'a').await));
    }
    tokens.push(Some(client_token(&app, 'a', &["directory:read", "referrals:read", "referrals:write", "webhooks:manage"]).await));
    // A client without the scopes for anything but its webhooks.
    tokens.push(Some(client_token(&app, 'a', &["webhooks:manage"]).await));

    let mut table = String::from("operation\ttarget");
    for column in COLUMNS {
        let _ = write!(table, "\t{column}");
    }
    table.push('\n');
    let mut broken = Vec::new();
    for (method, template) in operations() {
        let reads = method == Method::GET;
        // Signing in and out and changing one's own password act on the caller's session,
        // not on a record: probed without a token and with an expired one only.
        let session = template.starts_with("/api/v1/auth/") || template == "/api/v1/me/password";
        let sides: &[(usize, &str)] = if template.contains("{id}") { &[(0, "own"), (1, "other")] } else { &[(0, "-")] };
        for &(side, target) in sides {
            let path = if template.contains("{id}") { world.path(&template, side) } else { template.clone() };
            let _ = write!(table, "{method} {template}\t{target}");
            for (column, token) in COLUMNS.iter().zip(&tokens) {
                if session && !matches!(*column, "none" | "expired") {
                    table.push_str("\t-");
                    continue;
                }
                // A write acts on a record of its own, made for this cell, with a valid body.
                let (path, body, version) = if reads || session { (path.clone(), Some(json!({})).filter(|_| !reads), None) } else { world.write(&app, &method, &template, side).await };
                let mut request = app.request(method.clone(), &path);
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                if let Some(body) = body {
                    request = request.json(&body);
                }
                if let Some(version) = version {
                    request = request.header("if-match", version);
                }
                let status = request.send().await.unwrap().status().as_u16();
                let _ = write!(table, "\t{status}");
                let ok = (200..300).contains(&status);
                // The rules, whatever the table says.
                let scoped_out = *column == "client_webhooks_only" && !template.starts_with("/api/v1/webhooks");
                if ok && (matches!(*column, "none" | "expired") || scoped_out) && !public(&template) {
                    broken.push(format!("{method} {template} ({target}) answered {status} to {column}"));
                }
                let personal = ["/api/v1/participants", "/api/v1/consents", "/api/v1/referrals"].iter().any(|p| template.starts_with(p)) && template != "/api/v1/consent-statements";
                if ok && personal && (target == "other" || matches!(*column, "coordinator" | "system_admin")) {
                    broken.push(format!("{method} {template} ({target}) let {column} at participant data"));
                }
                // Another organization's records are written only by partnership staff.
                let owned = !["/api/v1/regions", "/api/v1/taxonomy_terms"].iter().any(|p| template.starts_with(p));
                if ok && !reads && owned && target == "other" && !matches!(*column, "system_admin" | "coordinator") {
                    broken.push(format!("{method} {template} ({target}) let {column} change another organization's record"));
                }
            }
            table.push('\n');
        }
    }
    assert!(broken.is_empty(), "authorization rules broken:\n{}", broken.join("\n"));

    let file = harbour_tests::tests_dir().join(TABLE);
    if std::env::var_os("HARBOUR_UPDATE_MATRIX").is_some() {
        std::fs::write(&file, &table).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    let mut differences = Vec::new();
    for line in table.lines().skip(1) {
        let (op, rest) = line.split_once('\t').unwrap();
        let target = rest.split('\t').next().unwrap_or_default();
        let found = committed.lines().any(|l| l == line);
        if !found {
            let known = committed.lines().any(|l| l.starts_with(&format!("{op}\t{target}\t")));
            differences.push(if known { format!("changed: {line}") } else { format!("no row in {TABLE}: {line}") });
        }
    }
    assert!(differences.is_empty(), "the authorization matrix differs from {TABLE} (review, then HARBOUR_UPDATE_MATRIX=1):\n{}", differences.join("\n"));
}

on_both_backends!(authorization_matrix);
