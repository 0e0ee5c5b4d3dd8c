//! The embedded migrations of each backend, and applying them at start-up.

use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::{Db, DbConn, DbError};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");
/// How many times start-up retries migrations that failed (see [`Db::migrate`]).
const MIGRATION_ATTEMPTS: u32 = 10;

impl Db {
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
