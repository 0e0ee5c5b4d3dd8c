//! Locating a hidden place by asking from many points, as someone hostile would: a
//! user of an unrelated agency after a confidential safe house, and anyone at all,
//! through the public directory, after a partners-only place. Each walks the point it
//! searches from along three lines to where the answer flips (the distance shown
//! passing a value, the place entering a radius), fits the circle through the three
//! flips, and takes its centre for the place. The place is then moved 500 m, and 2 km,
//! and attacked again: every answer such a reader can get stays the same to the byte,
//! and the centre the attack finds stays where it was, however far the place is from it.

use std::path::Path;

use harbour::db::{Backend, Db};
use harbour::exchange::{export, Format};
use harbour_tests::TestApp;
use harbour_types::Role;
use reqwest::Method;
use serde_json::{json, Value};

/// km in a degree of latitude, on the sphere Harbour measures on.
const KM_PER_DEGREE: f64 = 6371.0 * std::f64::consts::PI / 180.0;
/// How far out each line of the walk starts, in km.
const WALK_KM: f64 = 45.0;
/// Halvings per line: 45 km down to 17 cm.
const HALVINGS: usize = 18;
/// The radius the second attack searches within.
const RADIUS_KM: f64 = 15.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_hidden_places_cannot_be_located() {
    hidden_places_cannot_be_located(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_hidden_places_cannot_be_located() {
    hidden_places_cannot_be_located(Backend::Postgres).await;
}

/// A point `km` from `from` towards `bearing` (degrees from north), on the local plane.
fn offset((latitude, longitude): (f64, f64), km: f64, bearing: f64) -> (f64, f64) {
    let (north, east) = (km * bearing.to_radians().cos(), km * bearing.to_radians().sin());
    (latitude + north / KM_PER_DEGREE, longitude + east / (KM_PER_DEGREE * latitude.to_radians().cos()))
}

/// km between two points near each other, on the local plane.
fn km_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (north, east) = ((a.0 - b.0) * KM_PER_DEGREE, (a.1 - b.1) * KM_PER_DEGREE * a.0.to_radians().cos());
    north.hypot(east)
}

/// The centre of the circle through three points, on the local plane about the first.
fn circle_centre(points: [(f64, f64); 3]) -> (f64, f64) {
    let origin = points[0];
    let cos = origin.0.to_radians().cos();
    let [(ax, ay), (bx, by), (cx, cy)] = points.map(|(lat, lon)| ((lon - origin.1) * KM_PER_DEGREE * cos, (lat - origin.0) * KM_PER_DEGREE));
    let d = 2.0 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
    let (a2, b2, c2) = (ax * ax + ay * ay, bx * bx + by * by, cx * cx + cy * cy);
    let (x, y) = ((a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d, (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d);
    (origin.0 + y / KM_PER_DEGREE, origin.1 + x / (KM_PER_DEGREE * cos))
}

/// A small, fixed pseudo-random sequence: places drawn over the province, the same on every run.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + self.next() * (high - low)
    }
}

/// Someone searching the directory for one service, with a token or none.
struct Attacker<'a> {
    app: &'a TestApp,
    token: Option<String>,
    /// The word in the hidden service's name.
    word: &'static str,
    service_id: String,
}

impl Attacker<'_> {
    async fn read(&self, path: &str) -> String {
        let request = self.app.request(Method::GET, path);
        let request = match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        assert!(status.is_success(), "{path}: {status} {text}");
        format!("{} {text}", status.as_u16())
    }

    async fn search(&self, query: &str) -> Value {
        let text = self.read(&format!("/api/v1/services/search?q={}&{query}&per_page=100", self.word)).await;
        serde_json::from_str(text.split_once(' ').unwrap().1).unwrap()
    }

    fn hit<'v>(&self, results: &'v Value) -> Option<&'v Value> {
        results["contents"].as_array().unwrap().iter().find(|h| h["id"] == self.service_id.as_str())
    }

    /// The distance shown from `at`.
    async fn shown_km(&self, at: (f64, f64)) -> f64 {
        let results = self.search(&format!("near={},{}", at.0, at.1)).await;
        let hit = self.hit(&results).expect("the service is found without a radius");
        assert_eq!(hit["distance_approximate"], true, "a hidden place's distance is approximate");
        hit["distance_km"].as_f64().unwrap()
    }

    async fn within_radius(&self, at: (f64, f64)) -> bool {
        let results = self.search(&format!("near={},{}&radius_km={RADIUS_KM}", at.0, at.1)).await;
        self.hit(&results).is_some()
    }

    /// Where the answer flips on each of three lines out from `start` (inside), by halving.
    async fn walk(&self, start: (f64, f64), inside: Inside) -> [(f64, f64); 3] {
        let level = self.shown_km(start).await;
        let mut flips = [start; 3];
        for (flip, bearing) in flips.iter_mut().zip([90.0, 210.0, 330.0]) {
            let (mut near, mut far) = (0.0, WALK_KM);
            for _ in 0..HALVINGS {
                let middle = f64::midpoint(near, far);
                let at = offset(start, middle, bearing);
                let is_inside = match inside {
                    Inside::ShownAtMost => self.shown_km(at).await <= level,
                    Inside::Radius => self.within_radius(at).await,
                };
                if is_inside {
                    near = middle;
                } else {
                    far = middle;
                }
            }
            *flip = offset(start, near, bearing);
        }
        flips
    }

    /// Where both attacks place the service, searching around `start`.
    async fn locate(&self, start: (f64, f64)) -> [(f64, f64); 2] {
        assert!(self.within_radius(start).await, "the walk starts inside the radius");
        [circle_centre(self.walk(start, Inside::ShownAtMost).await), circle_centre(self.walk(start, Inside::Radius).await)]
    }

    /// Every answer this reader can get that a hidden place could shape.
    async fn answers(&self, around: (f64, f64), link_id: &str, org_a: &str) -> Vec<String> {
        let mut paths = Vec::new();
        for near in [around, offset(around, 4.0, 45.0), offset(around, 12.0, 200.0)] {
            let near = format!("near={},{}", near.0, near.1);
            paths.push(format!("/api/v1/services/search?{near}"));
            paths.push(format!("/api/v1/services/search?{near}&sort=distance"));
            paths.push(format!("/api/v1/services/search?q={}&{near}&sort=distance", self.word));
            for radius in [2, 5, 8, 11, 15, 30] {
                paths.push(format!("/api/v1/services/search?{near}&radius_km={radius}&sort=distance"));
            }
        }
        for proximity in [1000, 3000, 6000, 9000, 12000, 20000, 50000] {
            paths.push(format!("/api/v1/service_at_locations?postcode=B4V%202K1&proximity={proximity}"));
        }
        paths.push("/api/v1/service_at_locations?postcode=B4V".into());
        paths.push(format!("/api/v1/service_at_locations/{link_id}"));
        paths.push(format!("/api/v1/services/{}", self.service_id));
        paths.push("/api/v1/services".into());
        paths.push(format!("/api/v1/organizations/{org_a}"));
        paths.push(format!("/api/v1/organizations/{org_a}/locations"));
        let mut answers = Vec::new();
        for path in paths {
            let answer = self.read(&path).await;
            answers.push(format!("{path}\n{answer}"));
        }
        answers
    }
}

#[derive(Clone, Copy)]
enum Inside {
    /// The distance shown is at most what it is at the start.
    ShownAtMost,
    /// The service is within [`RADIUS_KM`].
    Radius,
}

/// Every file of a JSON and a tabular export, as text.
async fn exports(db: &Db) -> Vec<String> {
    let mut files = Vec::new();
    for format in [Format::Json, Format::Tabular] {
        let dir = std::env::temp_dir().join(format!("harbour-locating-{}", uuid::Uuid::new_v4().simple()));
        let (db, out) = (db.clone(), dir.clone());
        tokio::task::spawn_blocking(move || export(&db, &out, "America/Halifax", format).expect("export")).await.unwrap();
        files.extend(read_dir(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
    files
}

fn read_dir(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    names.iter().map(|p| format!("{}\n{}", p.file_name().unwrap().to_string_lossy(), std::fs::read_to_string(p).unwrap())).collect()
}

async fn hidden_places_cannot_be_located(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| s.public_directory = true).await;
    let (org_a, org_b) = (app.fixture.org_a.clone(), app.fixture.org_b.clone());
    let admin_a = app.token(Role::AgencyAdmin, 'a').await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let coordinator = app.token(Role::Coordinator, 'a').await;
    let mut draw = Draw(match backend {
        Backend::Sqlite => 20_261_206,
        Backend::Postgres => 35,
    });
    let place = |name: &str, visibility: &str, postal_code: &str, at: (f64, f64)| {
        json!({"name": name, "visibility": visibility, "address_1": "12 Quiet Lane", "city": "Bridgewater", "postal_code": postal_code,
               "latitude": at.0, "longitude": at.1, "accessibility": [{"description": "Ramp at the side door"}]})
    };

    for (visibility, word, signed_in) in [("confidential", "harbourlight", true), ("partners", "lanternhouse", false)] {
        // Somewhere in the province, and a public drop-in of another agency in the same
        // town: what the attacker starts from, and what the postcode is measured from.
        let hidden_at = (draw.between(44.3, 45.6), draw.between(-65.6, -62.2));
        let town = offset(hidden_at, draw.between(0.5, 3.0), draw.between(0.0, 360.0));
        let drop_in: Value = app.post(&format!("/api/v1/organizations/{org_b}/locations"), &admin_b, &place("Drop-in", "public", "B4V 2K1", town)).await.json().await.unwrap();
        let created = app.post(&format!("/api/v1/organizations/{org_b}/services"), &admin_b, &json!({"name": format!("{word} drop-in"), "location_ids": [drop_in["id"]]})).await;
        assert_eq!(created.status(), 201);
        let location: Value =
            app.post(&format!("/api/v1/organizations/{org_a}/locations"), &admin_a, &place("Transition house", visibility, "B4V 3K9", hidden_at)).await.json().await.unwrap();
        let service: Value = app
            .post(&format!("/api/v1/organizations/{org_a}/services"), &admin_a, &json!({"name": format!("{word} refuge"), "location_ids": [location["id"]], "open_24_7": true}))
            .await
            .json()
            .await
            .unwrap();
        let attacker = Attacker {
            app: &app,
            token: if signed_in { Some(app.token(Role::OutreachWorker, 'b').await) } else { None },
            word,
            service_id: service["id"].as_str().unwrap().to_owned(),
        };
        let link_id = service["service_at_locations"][0]["id"].as_str().unwrap().to_owned();
        let location_id = location["id"].as_str().unwrap().to_owned();

        let before = attacker.answers(town, &link_id, &org_a).await;
        let exported = exports(&app.db).await;
        let dashboards = [app.get("/api/v1/dashboards/coverage", &coordinator).await.text().await.unwrap(), app.get("/api/v1/dashboards/stale-listings", &coordinator).await.text().await.unwrap()];
        let mut found = attacker.locate(town).await.to_vec();
        let mut places = vec![hidden_at];
        let mut after = None;
        for (version, (km, bearing)) in [(1, (0.5, draw.between(0.0, 360.0))), (2, (2.0, draw.between(0.0, 360.0)))] {
            let moved = offset(hidden_at, km, bearing);
            let response = app.put(&format!("/api/v1/locations/{location_id}"), &admin_a, Some(&format!("\"{version}\"")), &place("Transition house", visibility, "B4V 3K9", moved)).await;
            assert_eq!(response.status(), 200, "{visibility}: moved {km} km");
            if version == 1 {
                let dashboards = [app.get("/api/v1/dashboards/coverage", &coordinator).await.text().await.unwrap(), app.get("/api/v1/dashboards/stale-listings", &coordinator).await.text().await.unwrap()];
                after = Some((attacker.answers(town, &link_id, &org_a).await, exports(&app.db).await, dashboards));
            }
            found.extend(attacker.locate(town).await);
            places.push(moved);
        }
        // Both attacks find one point, wherever in those 2 km the place is: the place is
        // placed no more precisely than that point's cell, and not at all where it is.
        let misses: Vec<String> = found.iter().enumerate().map(|(n, point)| format!("{:.3} km", km_between(*point, places[n / 2]))).collect();
        for point in &found {
            assert!(km_between(*point, found[0]) < 0.05, "{visibility}: the attacks found {found:?}, off by {misses:?}, for places {places:?}");
        }
        let nearest_miss = places.iter().map(|p| km_between(*p, found[0])).fold(0.0, f64::max);
        assert!(nearest_miss > 1.0, "{visibility}: found {:?}, {nearest_miss:.3} km from the farthest of {places:?}", found[0]);
        let (answers, exported_after, dashboards_after) = after.unwrap();
        for (was, is) in before.iter().zip(&answers) {
            let from = was.bytes().zip(is.bytes()).take_while(|(a, b)| a == b).count().saturating_sub(80);
            assert!(was == is, "{visibility}: an answer changed when the place moved 500 m: {}\n…{}\n…{}", was.lines().next().unwrap_or(""), &was[from..], &is[from..]);
        }
        if visibility == "confidential" {
            // An export is for the partnership: it shows partners-only places, but no safe house.
            for (was, is) in exported.iter().zip(&exported_after) {
                assert_eq!(was, is, "an export changed when the safe house moved 500 m");
            }
        }
        assert_eq!(dashboards, dashboards_after, "a dashboard changed when the place moved");

        // The owner still sees the exact distance; a partner of another agency sees a
        // partners-only place exactly.
        let last = places[2];
        let exact = |token: String| {
            let app = &app;
            let service_id = attacker.service_id.clone();
            async move {
                let results: Value = app.get(&format!("/api/v1/services/search?q={word}&near={},{}", last.0, last.1), &token).await.json().await.unwrap();
                let hit = results["contents"].as_array().unwrap().iter().find(|h| h["id"] == service_id.as_str()).cloned().unwrap();
                (hit["distance_km"].as_f64().unwrap(), hit["distance_approximate"].as_bool().unwrap())
            }
        };
        assert_eq!(exact(app.token(Role::OutreachWorker, 'a').await).await, (0.0, false));
        if visibility == "partners" {
            assert_eq!(exact(app.token(Role::OutreachWorker, 'b').await).await, (0.0, false));
        }
    }
}
