//! The database: one connection type over SQLite (the embedded default) and PostgreSQL
//! (production), a pool, embedded migrations, and the one way handlers reach it —
//! [`Db::run`], which keeps blocking database work off the async executor's threads.
//!
//! Queries are written once with diesel's query builder against [`DbConn`]; code that
//! must differ per SQL dialect matches on the variant, and nothing else does.

pub mod schema;

use std::borrow::Cow;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::Connection as _;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

/// A connection to either backend; the variant is chosen by the URL's scheme.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// `postgres://…` or `postgresql://…`
    Postgresql(diesel::PgConnection),
    /// Any other URL: a file path, optionally prefixed by `sqlite://`.
    Sqlite(diesel::SqliteConnection),
}

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
/// How many times start-up retries migrations that failed (see [`Db::migrate`]).
const MIGRATION_ATTEMPTS: u32 = 10;

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// SQLite.
    Sqlite,
}

impl Backend {
    /// The backend a database URL names.
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// The database could not be reached, or a connection could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be had from the pool in time.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Applying migrations failed.
    #[error("migrations failed: {0}")]
    Migration(String),
    /// A query failed.
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Sets SQLite up on every new connection: foreign keys enforced (SQLite leaves them
/// off), and a busy timeout so concurrent writers wait instead of failing. (WAL is set
/// once per file in [`Db::connect`]: it persists, and switching needs the file alone.)
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(conn) = conn {
            conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
                .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// The connection pool, cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<DbConn>>,
    /// Held by this process's SQLite transaction in progress (see [`Db::transaction`]).
    sqlite_writer: Arc<Mutex<()>>,
}

impl Db {
    /// Opens a pool on `url`, creating the SQLite file's folder when needed.
    pub fn connect(url: &str, pool_size: u32) -> Result<Db, DbError> {
        let url = match Backend::of(url) {
            Backend::Postgres => url.to_owned(),
            Backend::Sqlite => {
                let path = url.strip_prefix("sqlite://").unwrap_or(url);
                if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| DbError::Unavailable(format!("cannot create {}: {e}", parent.display())))?;
                }
                // WAL lets readers go on while one writes.
                diesel::SqliteConnection::establish(path)
                    .and_then(|mut c| c.batch_execute("PRAGMA journal_mode = WAL;").map_err(|e| diesel::ConnectionError::BadConnection(e.to_string())))
                    .map_err(|e| DbError::Unavailable(e.to_string()))?;
                path.to_owned()
            }
        };
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .connection_timeout(Duration::from_secs(5))
            // No `SELECT 1` round trip before every use: a connection that died is found
            // broken by the query that meets it, and the pool then drops it (see the
            // database-outage test), so the check only cost each request a round trip.
            .test_on_check_out(false)
            .connection_customizer(Box::new(ConnectionSetup))
            .build(ConnectionManager::<DbConn>::new(url))
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        Ok(Db { pool, sqlite_writer: Arc::default() })
    }

    /// A connection for work that is already off the async executor (commands, start-up).
    pub fn get(&self) -> Result<PooledConnection<ConnectionManager<DbConn>>, DbError> {
        self.pool.get().map_err(|e| DbError::Unavailable(e.to_string()))
    }

    /// How many connections are open, and how many of them idle.
    pub fn pool_state(&self) -> diesel::r2d2::State {
        self.pool.state()
    }

    /// Applies pending migrations; returns the versions applied. Instances started together
    /// (two replicas on a new release) race to apply the same migration, and the loser's
    /// fails ("table already exists"): it tries again, and what the winner applied is no
    /// longer pending.
    pub fn migrate(&self) -> Result<Vec<String>, DbError> {
        let mut conn = self.get()?;
        let mut attempts = 0;
        loop {
            let applied = match &mut *conn {
                DbConn::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.iter().map(ToString::to_string).collect()),
                DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.iter().map(ToString::to_string).collect()),
            };
            match applied {
                Err(e) if attempts < MIGRATION_ATTEMPTS => {
                    attempts += 1;
                    tracing::warn!(error = %e, "a migration failed; another instance may be applying it: trying again");
                    std::thread::sleep(std::time::Duration::from_millis(500));
                }
                other => return other.map_err(|e| DbError::Migration(e.to_string())),
            }
        }
    }

    /// Runs blocking database work on the blocking thread pool.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| DbError::Unavailable(e.to_string()))?;
            work(&mut conn)
        })
        .await
        .unwrap_or_else(|join| Err(DbError::Unavailable(format!("database task failed: {join}")).into()))
    }

    /// Runs blocking database work in one transaction: all of it lands, or none.
    pub async fn transaction<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        let writer = Arc::clone(&self.sqlite_writer);
        self.run(move |conn| {
            // SQLite takes one writer at a time. This process's writers queue here and are
            // handed the turn as the one before commits; waiting in SQLite's busy handler
            // instead, each slept in growing steps (up to 100 ms) while newcomers went
            // first: eight referral creations at once had a p99 of half a second against a
            // p50 of 4 ms. (Another process on the same file still waits in the handler.)
            let _turn = matches!(conn, DbConn::Sqlite(_)).then(|| writer.lock().unwrap_or_else(PoisonError::into_inner));
            transaction(conn, work)
        })
        .await
    }
}

/// Runs `work` in one transaction on a connection already at hand.
///
/// On SQLite the transaction begins IMMEDIATE, taking the write lock up front: a
/// deferred one that reads and then writes fails at once with "database is locked" when
/// another writer committed in between, where an immediate one waits its turn (busy timeout).
pub fn transaction<T, E, F>(conn: &mut DbConn, work: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    use diesel::Connection;
    let DbConn::Sqlite(sqlite) = conn else {
        return conn.transaction(work);
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    let outcome = work(conn);
    let DbConn::Sqlite(sqlite) = conn else { unreachable!("the connection's backend does not change") };
    match outcome {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(sqlite)?;
            Ok(value)
        }
        Err(e) => {
            AnsiTransactionManager::rollback_transaction(sqlite)?;
            Err(e)
        }
    }
}

/// The names of the embedded migrations of each backend, to check that they match.
pub fn migration_names() -> (Vec<String>, Vec<String>) {
    use diesel::migration::MigrationSource;
    fn names<DB: diesel::backend::Backend>(source: &EmbeddedMigrations) -> Vec<String> {
        MigrationSource::<DB>::migrations(source)
            .map(|ms| ms.iter().map(|m| m.name().to_string()).collect())
            .unwrap_or_default()
    }
    (names::<diesel::sqlite::Sqlite>(&SQLITE_MIGRATIONS), names::<diesel::pg::Pg>(&POSTGRES_MIGRATIONS))
}

/// A new id for a row of a table that grows without end (referrals and their timeline
/// and messages, the audit trail, webhook deliveries): a UUID v7, whose first bits are
/// the time, so each insert lands at the right-hand end of the table's indexes. With
/// random (v4) ids every insert went to another page of indexes far larger than
/// PostgreSQL's buffers: a read, and a whole page copied into the WAL after each
/// checkpoint (18 KB of WAL per timeline insert at a million referrals). The time it
/// tells is when the row was made, which whoever may see the row sees anyway.
pub fn ordered_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The offset and limit of a page request, as SQL wants them.
pub fn page_bounds(request: harbour_types::PageRequest) -> (i64, i64) {
    (i64::try_from(request.offset()).unwrap_or(i64::MAX), i64::try_from(request.per_page()).unwrap_or(i64::MAX))
}

/// Codes stored as a JSON array; unknown codes (from a newer version) are skipped.
pub fn codes_from_json<T>(json: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    serde_json::from_str::<Vec<String>>(json).unwrap_or_default().iter().filter_map(|c| parse(c)).collect()
}

/// Codes as the JSON array they are stored as.
pub fn codes_to_json<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    serde_json::to_string(&codes.into_iter().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

/// Inserts rows (a slice) in one statement, written by the backend's own connection:
/// through the multi-backend connection diesel cannot write a multi-row INSERT. One or
/// two rows — what most changes write — go as arrays of that size, which diesel prepares
/// once per connection; an INSERT of a list of any length is parsed and planned every time.
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {{
        macro_rules! by_backend {
            ($values:expr) => {
                match $conn {
                    $crate::db::DbConn::Postgresql(c) => diesel::insert_into($table).values($values).execute(c),
                    $crate::db::DbConn::Sqlite(c) => diesel::insert_into($table).values($values).execute(c),
                }
            };
        }
        match &$rows[..] {
            [one] => by_backend!(one),
            [first, second] => by_backend!(&[first.clone(), second.clone()]),
            rows => by_backend!(rows),
        }
    }};
}
pub(crate) use insert_all;

/// A value bound to a hand-written query.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    /// Text or NULL.
    OptionalText(Option<String>),
    Time(chrono::NaiveDateTime),
    BigInt(i64),
    SmallInt(i16),
}

/// A hand-written statement, with `?` where its binds go (numbered for PostgreSQL as it
/// is written out), for what diesel's query builder cannot write for both backends
/// (recursive tree walks, grouping by hour, calling a function). Unlike
/// `diesel::sql_query`, which is parsed and planned again on every call, each connection
/// prepares it once and reuses it, keyed by its text: for referral creation's short
/// queries on PostgreSQL, parsing and planning cost more than running them. Its text
/// must therefore come from a bounded set (values always go in binds), and have no `?`
/// of its own. Borrowed where it is run at once, owned where it is handed on (a
/// [`Write`]).
pub struct HandWritten<'a> {
    pub sql: Cow<'a, str>,
    pub binds: Cow<'a, [Bind]>,
}

impl<DB> diesel::query_builder::QueryFragment<DB> for HandWritten<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<diesel::sql_types::Text>
        + diesel::sql_types::HasSqlType<diesel::sql_types::Timestamp>
        + diesel::sql_types::HasSqlType<diesel::sql_types::BigInt>
        + diesel::sql_types::HasSqlType<diesel::sql_types::SmallInt>,
    String: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    chrono::NaiveDateTime: diesel::serialize::ToSql<diesel::sql_types::Timestamp, DB>,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
    i16: diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamp};
        let mut pieces = self.sql.split('?');
        out.push_sql(pieces.next().unwrap_or_default());
        let mut binds = self.binds.iter();
        for piece in pieces {
            match binds.next() {
                Some(Bind::Text(text)) => out.push_bind_param::<Text, _>(text)?,
                Some(Bind::OptionalText(text)) => out.push_bind_param::<Nullable<Text>, _>(text)?,
                Some(Bind::Time(time)) => out.push_bind_param::<Timestamp, _>(time)?,
                Some(Bind::BigInt(n)) => out.push_bind_param::<BigInt, _>(n)?,
                Some(Bind::SmallInt(n)) => out.push_bind_param::<SmallInt, _>(n)?,
                None => return Err(diesel::result::Error::QueryBuilderError("a hand-written query has more `?` than binds".into())),
            }
            out.push_sql(piece);
        }
        match binds.next() {
            Some(_) => Err(diesel::result::Error::QueryBuilderError("a hand-written query has more binds than `?`".into())),
            None => Ok(()),
        }
    }
}

impl diesel::query_builder::QueryId for HandWritten<'_> {
    type QueryId = ();
    // No type of its own: diesel's statement cache then keys it by its text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for HandWritten<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Conn> diesel::RunQueryDsl<Conn> for HandWritten<'_> {}

/// Runs a [`HandWritten`] query on either backend.
pub fn load_sql<R>(conn: &mut DbConn, sql: &str, binds: &[Bind]) -> diesel::QueryResult<Vec<R>>
where
    R: diesel::QueryableByName<diesel::pg::Pg> + diesel::QueryableByName<diesel::sqlite::Sqlite> + 'static,
{
    use diesel::RunQueryDsl;
    let query = HandWritten { sql: sql.into(), binds: binds.into() };
    match conn {
        DbConn::Postgresql(c) => query.load(c),
        DbConn::Sqlite(c) => query.load(c),
    }
}

/// One write of a change that goes to the database with the change's others
/// ([`write_together`]).
pub trait Write {
    /// The write as a statement of PostgreSQL's.
    fn statement(&self) -> &dyn diesel::query_builder::QueryFragment<diesel::pg::Pg>;
    /// Does the write on its own, on either backend.
    fn write(&self, conn: &mut DbConn) -> diesel::QueryResult<()>;
    /// Whether the statement is a SELECT (of a function that writes): PostgreSQL runs one
    /// in a WITH only if something reads it, so [`write_together`] puts it last.
    fn is_select(&self) -> bool {
        false
    }
}

/// A statement both backends run as it is, as a [`Write`].
pub struct Statement<Q>(pub Q);

impl<Q> Write for Statement<Q>
where
    Q: diesel::query_builder::QueryFragment<diesel::pg::Pg> + diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> + diesel::query_builder::QueryId,
{
    fn statement(&self) -> &dyn diesel::query_builder::QueryFragment<diesel::pg::Pg> {
        &self.0
    }

    fn write(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        use diesel::query_dsl::methods::ExecuteDsl;
        match conn {
            DbConn::Postgresql(c) => ExecuteDsl::execute(&self.0, c).map(drop),
            DbConn::Sqlite(c) => ExecuteDsl::execute(&self.0, c).map(drop),
        }
    }
}

/// Does the writes of one change together: on PostgreSQL as one statement, `WITH w0 AS
/// (…), w1 AS (…) <last>`, in one round trip where each took its own (each round trip
/// cost referral creation about 6% of its rate); on SQLite, in this process, in turn.
///
/// At most one may be a SELECT ([`Write::is_select`]); it goes last. They all read one
/// snapshot, so none may read another's rows; constraints and triggers do see them, as
/// they run once the whole statement is done.
pub fn write_together(conn: &mut DbConn, writes: &[&dyn Write]) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    let (mut ordered, selects): (Vec<&dyn Write>, Vec<&dyn Write>) = writes.iter().partition(|w| !w.is_select());
    if selects.len() > 1 {
        return Err(diesel::result::Error::QueryBuilderError("writes together hold at most one SELECT".into()));
    }
    ordered.extend(selects);
    if let (DbConn::Postgresql(pg), [_, _, ..]) = (&mut *conn, &ordered[..]) {
        return Together(&ordered).execute(pg).map(drop);
    }
    ordered.iter().try_for_each(|w| w.write(conn))
}

/// Writes as one statement of PostgreSQL's (see [`write_together`]).
struct Together<'w>(&'w [&'w dyn Write]);

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for Together<'_> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> diesel::QueryResult<()> {
        let Some((last, first)) = self.0.split_last() else { return Ok(()) };
        for (i, write) in first.iter().enumerate() {
            out.push_sql(&format!("{} w{i} AS (", if i == 0 { "WITH" } else { "," }));
            write.statement().walk_ast(out.reborrow())?;
            out.push_sql(")");
        }
        out.push_sql(" ");
        last.statement().walk_ast(out.reborrow())
    }
}

impl diesel::query_builder::QueryId for Together<'_> {
    type QueryId = ();
    // Its writes' texts make its own: diesel's statement cache keys it by that.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> diesel::RunQueryDsl<Conn> for Together<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::RunQueryDsl;

    #[derive(diesel::QueryableByName, PartialEq, Debug)]
    struct Echo {
        #[diesel(sql_type = diesel::sql_types::Text)]
        word: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        number: i64,
    }

    /// A stored code reads as its value, through the connection every query uses, and one
    /// this version does not know is an error: a referral is never read as a draft, nor a
    /// role as another, because its code is new or mistyped.
    #[test]
    fn stored_codes_read_typed_and_an_unknown_one_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
        use diesel::dsl::sql;
        use diesel::sql_types::Text;
        use harbour_types::{ReferralStatus, Role};
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:")?);
        assert_eq!(diesel::select(sql::<Text>("'in_progress'")).get_result::<ReferralStatus>(&mut conn)?, ReferralStatus::InProgress);
        assert_eq!(diesel::select(sql::<Text>("'agency_admin'")).get_result::<Role>(&mut conn)?, Role::AgencyAdmin);
        let unknown = diesel::select(sql::<Text>("'on_hold'")).get_result::<ReferralStatus>(&mut conn);
        assert!(format!("{unknown:?}").contains("\\\"on_hold\\\" is not a ReferralStatus"), "{unknown:?}");
        assert!(diesel::select(sql::<Text>("'supervisor'")).get_result::<Role>(&mut conn).is_err());
        Ok(())
    }

    #[test]
    fn hand_written_queries_bind_in_order_and_refuse_a_miscount() -> Result<(), Box<dyn std::error::Error>> {
        let mut conn = diesel::SqliteConnection::establish(":memory:")?;
        let binds = [Bind::Text("shelter".into()), Bind::BigInt(7)];
        // Twice: the second run reuses the statement prepared by the first.
        for _ in 0..2 {
            let rows: Vec<Echo> = HandWritten { sql: "SELECT ? AS word, ? AS number".into(), binds: binds[..].into() }.load(&mut conn)?;
            assert_eq!(rows, [Echo { word: "shelter".into(), number: 7 }]);
        }
        assert!(HandWritten { sql: "SELECT ? AS word, ? AS number".into(), binds: binds[..1].into() }.load::<Echo>(&mut conn).is_err());
        assert!(HandWritten { sql: "SELECT 'a' AS word, ? AS number".into(), binds: binds[..].into() }.load::<Echo>(&mut conn).is_err());
        Ok(())
    }

    /// Stands for a SELECT of a function that writes: notes how many rows it found.
    struct Tally(Statement<HandWritten<'static>>);

    impl Write for Tally {
        fn statement(&self) -> &dyn diesel::query_builder::QueryFragment<diesel::pg::Pg> {
            self.0.statement()
        }
        fn write(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
            self.0.write(conn)
        }
        fn is_select(&self) -> bool {
            true
        }
    }

    #[test]
    fn writes_together_put_their_select_last_and_hold_only_one() -> Result<(), Box<dyn std::error::Error>> {
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:")?);
        diesel::sql_query("CREATE TABLE t (word TEXT NOT NULL, number BIGINT NOT NULL)").execute(&mut conn)?;
        let insert = |word: &str| Statement(HandWritten { sql: "INSERT INTO t (word, number) VALUES (?, 0)".into(), binds: vec![Bind::Text(word.into())].into() });
        let tally = || Tally(Statement(HandWritten { sql: "INSERT INTO t (word, number) SELECT 'tally', count(*) FROM t".into(), binds: Vec::new().into() }));
        let (first, second, counted) = (insert("first"), insert("second"), tally());
        write_together(&mut conn, &[&counted, &first, &second])?;
        let rows: Vec<Echo> = diesel::sql_query("SELECT word, number FROM t ORDER BY rowid").load(&mut conn)?;
        let words: Vec<(&str, i64)> = rows.iter().map(|r| (r.word.as_str(), r.number)).collect();
        assert_eq!(words, [("first", 0), ("second", 0), ("tally", 2)]);
        assert!(write_together(&mut conn, &[&first, &tally(), &tally()]).is_err());
        Ok(())
    }
}
