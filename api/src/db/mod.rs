//! The database: one connection type over SQLite (the embedded default) and PostgreSQL
//! (production), a pool, embedded migrations, and the one way handlers reach it —
//! [`Db::run`], which keeps blocking database work off the async executor's threads.
//!
//! Queries are written once with diesel's query builder against [`DbConn`]; code that
//! must differ per SQL dialect matches on the variant, and nothing else does.

mod migrations;
pub mod schema;
mod sql;
mod writes;

pub use migrations::migration_names;
pub use sql::{load_sql, Bind, HandWritten};
pub(crate) use writes::insert_all;
pub use writes::{write_together, Statement, Write};

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::Connection as _;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};

/// A connection to either backend; the variant is chosen by the URL's scheme.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    /// `postgres://…` or `postgresql://…`
    Postgresql(diesel::PgConnection),
    /// Any other URL: a file path, optionally prefixed by `sqlite://`.
    Sqlite(diesel::SqliteConnection),
}

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
/// off), a busy timeout so concurrent writers wait instead of failing, and deleted
/// content overwritten with zeros (an erased participant's rows do not linger in the
/// file's free pages for anyone copying it). (WAL is set
/// once per file in [`Db::connect`]: it persists, and switching needs the file alone.)
#[derive(Debug)]
struct ConnectionSetup;

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
        if let DbConn::Sqlite(conn) = conn {
            conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;")
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
                // WAL lets readers go on while one writes. Switching (or confirming) the
                // mode takes a lock: wait for one held by another connection, as every
                // pooled connection does, rather than fail with "database is locked".
                diesel::SqliteConnection::establish(path)
                    .and_then(|mut c| c.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;").map_err(|e| diesel::ConnectionError::BadConnection(e.to_string())))
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

/// A calendar date as the tables keep it where it is not sealed (a review date, a due
/// date): `YYYY-MM-DD`, which sorts and compares as text on both backends.
pub fn stored_date(date: Option<chrono::NaiveDate>) -> Option<String> {
    date.map(|d| d.format("%Y-%m-%d").to_string())
}

/// A date written by [`stored_date`].
pub fn read_date(stored: Option<&str>) -> Option<chrono::NaiveDate> {
    stored.and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// The offset and limit of a page request, as SQL wants them.
pub fn page_bounds(request: harbour_types::PageRequest) -> (i64, i64) {
    (i64::try_from(request.offset()).unwrap_or(i64::MAX), i64::try_from(request.per_page()).unwrap_or(i64::MAX))
}

/// Codes stored as a JSON array. A code this build does not know (written by a newer
/// version, or by hand) is an error, like an unknown code in a column of its own: read
/// as nothing, a consent's purpose or an audit event's category would silently vanish.
pub fn codes_from_json<T>(json: &str, parse: impl Fn(&str) -> Option<T>) -> Result<Vec<T>, diesel::result::Error> {
    let unreadable = |detail: String| diesel::result::Error::DeserializationError(detail.into());
    let codes: Vec<String> = serde_json::from_str(json).map_err(|e| unreadable(format!("a stored list of codes is not a JSON array of strings: {e}")))?;
    codes.iter().map(|code| parse(code).ok_or_else(|| unreadable(format!("{code:?} is not a code this version knows")))).collect()
}

/// Codes as the JSON array they are stored as.
pub fn codes_to_json<'a>(codes: impl IntoIterator<Item = &'a str>) -> String {
    serde_json::to_string(&codes.into_iter().collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::RunQueryDsl;

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

    /// A list of codes in one column (a consent's purposes) reads whole or not at all: a
    /// code this version does not know fails the read, where it used to be dropped and
    /// the consent read as allowing less than it says, or an audit event as disclosing less.
    #[test]
    fn a_list_of_codes_with_an_unknown_one_is_an_error() {
        use harbour_types::DataCategory;
        let read = |json: &str| codes_from_json(json, DataCategory::from_code);
        assert_eq!(read(r#"["identity","needs"]"#).ok(), Some(vec![DataCategory::Identity, DataCategory::Needs]));
        assert_eq!(read("[]").ok(), Some(Vec::new()));
        let unknown = read(r#"["identity","biometrics"]"#);
        assert!(format!("{unknown:?}").contains("biometrics"), "{unknown:?}");
        assert!(read("not json").is_err());
    }

    /// A typed id is stored and read as the string it wraps, on the connection every query uses.
    #[test]
    fn a_typed_id_round_trips_as_its_string() -> Result<(), Box<dyn std::error::Error>> {
        use diesel::dsl::sql;
        use diesel::sql_types::Text;
        use harbour_types::ParticipantId;
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:")?);
        let read: ParticipantId = diesel::select(sql::<Text>("'p-1'")).get_result(&mut conn)?;
        assert_eq!(read, ParticipantId::from("p-1"));
        let bound: String = diesel::select(diesel::dsl::sql::<Text>("").bind::<Text, _>(&read)).get_result(&mut conn)?;
        assert_eq!(bound, "p-1");
        Ok(())
    }
}
