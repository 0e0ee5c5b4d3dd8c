//! Test harness: [`TestApp::spawn`] starts the real Harbour server on a free port, on
//! a fresh database of its own (a SQLite file in a temporary folder, or a new
//! PostgreSQL database), so tests run in parallel; requests go over real HTTP.

use std::path::PathBuf;
use std::sync::OnceLock;

use diesel::{Connection, ExpressionMethods, RunQueryDsl};
use harbour::config::Settings;
use harbour::db::{Backend, Db, DbConn};
use harbour::startup::{Application, Stopper};
use harbour_types::Role;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;

/// The `tests/` folder of the checkout being tested. Read at run time (cargo sets it for
/// test binaries): a path baked in at compile time could name another checkout that
/// shares the build cache.
pub fn tests_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

/// The `harbour` binary: `HARBOUR_BIN` (which `cargo xtask test` builds and sets), or the
/// one beside this test in the target directory.
pub fn harbour_binary() -> PathBuf {
    let binary = std::env::var_os("HARBOUR_BIN").map_or_else(
        || {
            let exe = std::env::current_exe().expect("test binary path");
            exe.parent().and_then(|deps| deps.parent()).expect("target directory").join("harbour")
        },
        PathBuf::from,
    );
    assert!(binary.is_file(), "{} is missing: build it (cargo build -p harbour-api --bin harbour) or run `cargo xtask test`", binary.display());
    binary
}

/// The day of the week `days` from today in Halifax, the partnership's time zone (UTC−4
/// or −3): a four-hour shift finds the local date but for an hour a year, which a margin
/// of a day or more absorbs.
pub fn halifax_weekday_in(days: i64) -> harbour_types::Weekday {
    let local = chrono::Utc::now() - chrono::Duration::hours(4) + chrono::Duration::days(days);
    harbour_types::Weekday::ALL[chrono::Datelike::weekday(&local).num_days_from_monday() as usize]
}

/// The password of every fixture user.
pub const PASSWORD: &str = "fixture-password-for-tests";

/// Runs each listed `async fn(TestApp)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($crate::TestApp::spawn(harbour::db::Backend::Sqlite).await).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($crate::TestApp::spawn(harbour::db::Backend::Postgres).await).await
            })*
        }
    };
}

/// The PostgreSQL server tests create their databases on.
fn postgres_admin_url() -> String {
    std::env::var("HARBOUR_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// The URL of database `name` on the test server. TLS is turned off on this loopback
/// connection: libpq's OpenSSL state, torn down at process exit while server threads
/// still hold connections, crashed test processes that had passed ("double free").
fn postgres_url(name: &str) -> String {
    let admin = postgres_admin_url();
    let (without_query, query) = admin.split_once('?').map_or((admin.as_str(), None), |(u, q)| (u, Some(q)));
    let base = without_query.rsplit_once('/').map_or(without_query, |(base, _)| base);
    let mut params: Vec<&str> = query.into_iter().flat_map(|q| q.split('&')).filter(|p| !p.starts_with("sslmode=")).collect();
    params.push("sslmode=disable");
    format!("{base}/{name}?{}", params.join("&"))
}

/// A database that exists for one test and is removed after it.
enum TestDatabase {
    Sqlite { dir: PathBuf },
    Postgres { name: String },
}

impl TestDatabase {
    fn create(backend: Backend) -> (TestDatabase, String) {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("harbour-test-{unique}"));
                std::fs::create_dir_all(&dir).expect("temporary folder");
                let url = format!("sqlite://{}", dir.join("harbour.db").display());
                (TestDatabase::Sqlite { dir }, url)
            }
            Backend::Postgres => {
                let admin = postgres_url("postgres");
                let mut conn = diesel::PgConnection::establish(&admin)
                    .unwrap_or_else(|e| panic!("PostgreSQL must run for the tests ({admin}): {e}. `cargo xtask test` starts it."));
                let name = format!("harbour_test_{unique}");
                diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut conn).expect("create test database");
                (TestDatabase::Postgres { name: name.clone() }, postgres_url(&name))
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match self {
            TestDatabase::Sqlite { dir } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDatabase::Postgres { name } => {
                if let Ok(mut conn) = diesel::PgConnection::establish(&postgres_url("postgres")) {
                    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn);
                }
            }
        }
    }
}

/// A migrated database with nothing in it, removed when dropped.
pub struct EmptyDatabase {
    /// The pool.
    pub db: Db,
    _database: TestDatabase,
}

impl EmptyDatabase {
    /// Creates and migrates a fresh database on `backend`.
    pub async fn create(backend: Backend) -> EmptyDatabase {
        tokio::task::spawn_blocking(move || {
            let (database, url) = TestDatabase::create(backend);
            let db = Db::connect(&url, 2).expect("connect");
            db.migrate().expect("migrations apply on an empty database");
            EmptyDatabase { db, _database: database }
        })
        .await
        .expect("create database")
    }
}

/// A database URL that nothing has touched yet (SQLite: a file not yet made), removed
/// with its folder or database when dropped: the target of a restore.
pub struct SpareDatabase {
    /// Its URL.
    pub url: String,
    _database: TestDatabase,
}

impl SpareDatabase {
    /// A new, empty database on `backend`.
    pub async fn create(backend: Backend) -> SpareDatabase {
        let (database, url) = tokio::task::spawn_blocking(move || TestDatabase::create(backend)).await.expect("create database");
        SpareDatabase { url, _database: database }
    }
}

/// Two organizations with a user of every role each.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// Organization A's id.
    pub org_a: String,
    /// Organization B's id.
    pub org_b: String,
    /// The category `housing`.
    pub housing: String,
    /// The category `housing.emergency`, under `housing`.
    pub emergency_shelter: String,
    /// The region `halifax`.
    pub halifax: String,
}

impl Fixture {
    /// The e-mail of the fixture user with `role` in organization `a` or `b`.
    pub fn email(role: Role, org: char) -> String {
        format!("{}@org-{org}.test", role.code())
    }
}

/// A running server on a fresh database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`
    pub base: String,
    /// Which backend this app runs on.
    pub backend: Backend,
    /// The organizations and users created for the test.
    pub fixture: Fixture,
    /// The server's database pool, for arranging faults.
    pub db: Db,
    /// The HTTP client.
    pub client: reqwest::Client,
    settings: Settings,
    stoppers: std::sync::Mutex<Vec<Stopper>>,
    _database: TestDatabase,
}

impl Drop for TestApp {
    /// Stops the servers before their database goes: a background poll left waiting on a
    /// dropped database would hold the test process for the pool's timeout.
    fn drop(&mut self) {
        for stopper in self.stoppers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).iter() {
            stopper.stop();
        }
    }
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| harbour::auth::password::hash(PASSWORD))
}

/// Creates organization `org` ("Organization A"…) with a user of every role; returns its id.
fn create_organization(conn: &mut DbConn, org: char) -> String {
    use harbour::organizations::repo::{insert, OrganizationRow};
    use harbour::users::repo::{self, NewUserRow};
    let now = chrono::Utc::now().naive_utc();
    let id = uuid::Uuid::new_v4().to_string();
    let input = harbour_types::OrganizationInput {
        name: format!("Organization {}", org.to_ascii_uppercase()),
        slug: format!("org-{org}"),
        description: String::new(),
        sector: harbour_types::Sector::Community,
        website: None,
        email: None,
        phone: None,
    };
    insert(conn, &OrganizationRow::new(id.clone(), &input, now)).expect("fixture organization");
    for &role in Role::ALL {
        let email = Fixture::email(role, org);
        let user = NewUserRow {
            id: &uuid::Uuid::new_v4().to_string(),
            organization_id: &id.as_str().into(),
            email: &email,
            display_name: &format!("{} of {org}", role.code()),
            password_hash: password_hash(),
            locale: "en",
            active: true,
            must_change_password: false,
            created_at: now,
            updated_at: now,
        };
        repo::insert(conn, &user, &[role]).expect("fixture user");
    }
    id
}

fn create_fixture(conn: &mut DbConn) -> Fixture {
    let ids: Vec<String> = ['a', 'b'].into_iter().map(|org| create_organization(conn, org)).collect();
    use harbour::db::schema::{regions, taxonomy_terms};
    let term = |conn: &mut DbConn, code: &str, parent: Option<&str>, name: &str, name_fr: &str| {
        let id = uuid::Uuid::new_v4().to_string();
        diesel::insert_into(taxonomy_terms::table)
            .values((
                taxonomy_terms::id.eq(&id),
                taxonomy_terms::code.eq(code),
                taxonomy_terms::parent_id.eq(parent),
                taxonomy_terms::name.eq(name),
                taxonomy_terms::name_fr.eq(name_fr),
                taxonomy_terms::description.eq(""),
            ))
            .execute(conn)
            .expect("fixture term");
        id
    };
    let housing = term(conn, "housing", None, "Housing & shelter", "Logement");
    let emergency_shelter = term(conn, "housing.emergency", Some(&housing), "Emergency shelter", "Hébergement d'urgence");
    let halifax = uuid::Uuid::new_v4().to_string();
    diesel::insert_into(regions::table)
        .values((regions::id.eq(&halifax), regions::slug.eq("halifax"), regions::name.eq("Halifax"), regions::name_fr.eq("Halifax")))
        .execute(conn)
        .expect("fixture region");
    Fixture { org_a: ids[0].clone(), org_b: ids[1].clone(), housing, emergency_shelter, halifax }
}

/// Settings for a test server; `web_dir` is the built SPA when `HARBOUR_WEB_DIR` is set.
pub fn test_settings(database_url: String) -> Settings {
    Settings {
        listen: "127.0.0.1:0".into(),
        database_url,
        database_pool_size: 4,
        workers: 1,
        web_dir: std::env::var("HARBOUR_WEB_DIR").map_or_else(|_| PathBuf::from("/nonexistent"), PathBuf::from),
        quick_exit_url: "about:blank".into(),
        directory_poll_ms: 200,
        webhook_poll_ms: 100,
        webhook_retry_base_ms: 200,
        max_body_bytes: 16 * 1024,
        // Tests make many requests with one token; the limit has its own test.
        rate_limit_per_minute: 0,
        ..Settings::default()
    }
}

impl TestApp {
    /// Starts a server on a fresh database with the two-organization fixture.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], with changed settings.
    pub async fn spawn_with(backend: Backend, change: impl FnOnce(&mut Settings)) -> TestApp {
        let (database, url) = tokio::task::spawn_blocking(move || TestDatabase::create(backend)).await.expect("create database");
        let mut settings = test_settings(url);
        change(&mut settings);
        let (db, fixture) = {
            let settings = settings.clone();
            tokio::task::spawn_blocking(move || {
                let db = Db::connect(&settings.database_url, settings.database_pool_size).expect("connect");
                db.migrate().expect("migrations apply on an empty database");
                let fixture = create_fixture(&mut db.get().expect("connection"));
                (db, fixture)
            })
            .await
            .expect("prepare database")
        };
        let app = Application::build(settings.clone(), db.clone()).expect("server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        let stoppers = std::sync::Mutex::new(vec![app.stopper()]);
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base,
            backend,
            fixture,
            db,
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client"),
            settings,
            stoppers,
            _database: database,
        }
    }

    /// Starts another server on the same database, as a second instance behind a load
    /// balancer would be; returns its base URL.
    pub async fn second_instance(&self) -> String {
        let settings = self.settings.clone();
        let db = tokio::task::spawn_blocking(move || Db::connect(&settings.database_url, settings.database_pool_size).expect("connect")).await.expect("connect task");
        let app = Application::build(self.settings.clone(), db).expect("second server builds");
        let base = format!("http://127.0.0.1:{}", app.port());
        self.stoppers.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(app.stopper());
        tokio::spawn(app.run_until_stopped());
        base
    }

    /// The server's keyring (what an operator holding its settings has).
    pub fn keyring(&self) -> harbour::crypto::Keyring {
        harbour::crypto::Keyring::from_settings(&self.settings)
    }

    /// The URL of this server's database.
    pub fn database_url(&self) -> &str {
        &self.settings.database_url
    }

    /// A request to a path on this server.
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }

    /// Signs in and returns the response.
    pub async fn sign_in_response(&self, email: &str, password: &str) -> Response {
        self.request(Method::POST, "/api/v1/auth/sign-in")
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .expect("request")
    }

    /// Signs in a fixture user and returns their access token.
    pub async fn token(&self, role: Role, org: char) -> String {
        let response = self.sign_in_response(&Fixture::email(role, org), PASSWORD).await;
        assert_eq!(response.status(), 200, "fixture sign-in");
        let body: Value = response.json().await.expect("json");
        body["access_token"].as_str().expect("token").to_owned()
    }

    /// A GET with a bearer token.
    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.request(Method::GET, path).bearer_auth(token).send().await.expect("request")
    }

    /// A PUT of JSON with a bearer token and, when given, `If-Match`.
    pub async fn put(&self, path: &str, token: &str, if_match: Option<&str>, body: &Value) -> Response {
        let mut request = self.request(Method::PUT, path).bearer_auth(token).json(body);
        if let Some(etag) = if_match {
            request = request.header("if-match", etag);
        }
        request.send().await.expect("request")
    }

    /// A POST of JSON with a bearer token.
    pub async fn post(&self, path: &str, token: &str, body: &Value) -> Response {
        self.request(Method::POST, path).bearer_auth(token).json(body).send().await.expect("request")
    }

    /// Adds a third organization, `c`, with a user of every role; returns its id.
    pub async fn organization_c(&self) -> String {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || create_organization(&mut db.get().expect("connection"), 'c')).await.expect("organization task")
    }

    /// Runs SQL on this app's database and says whether the database refused it.
    pub async fn try_execute_sql(&self, sql: impl Into<String>) -> Result<usize, String> {
        let sql = sql.into();
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || diesel::sql_query(sql).execute(&mut db.get().expect("connection")).map_err(|e| e.to_string()))
            .await
            .expect("sql task")
    }

    /// Runs SQL on this app's database, to arrange a fault.
    pub async fn execute_sql(&self, sql: impl Into<String>) {
        let sql = sql.into();
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || diesel::sql_query(sql).execute(&mut db.get().expect("connection")).expect("sql"))
            .await
            .expect("sql task");
    }
}

/// The value of the refresh cookie set by a response, if any.
pub fn refresh_cookie(response: &Response) -> Option<String> {
    response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).find_map(|c| {
        let (pair, _) = c.split_once(';').unwrap_or((c, ""));
        pair.strip_prefix("harbour_refresh=").map(str::to_owned)
    })
}

/// Reads a problem response and checks the basics every problem must have.
pub async fn problem(response: Response, status: u16) -> Value {
    assert_eq!(response.status().as_u16(), status, "status");
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(content_type, "application/problem+json", "content type");
    let request_id = response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body: Value = response.json().await.expect("problem body is JSON");
    assert_eq!(body["status"], status, "status in body");
    assert!(body["type"].as_str().is_some_and(|t| t.starts_with("urn:harbour:problem:")), "type: {body}");
    assert!(body["title"].is_string() && body["code"].is_string() && body["instance"].is_string(), "fields: {body}");
    assert_eq!(body["request_id"], request_id.as_str(), "request id in body and header");
    body
}
