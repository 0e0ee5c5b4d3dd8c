//! Directory search: an in-process index built from the database, so the same query
//! gives the same results on SQLite and PostgreSQL (their full-text search differs in
//! language support, ranking and typo tolerance), and filters like "open now" and
//! "near me" run beside the text match in one pass. The index is rebuilt after every
//! directory write (a full rebuild: milliseconds at a partnership's few hundred
//! services, seconds at 100,000); see `index.rs` for how it matches and ranks.

pub mod hours;
pub mod index;
pub mod text;

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use harbour_types::SearchResults;

pub use index::{Index, SearchQuery};

use crate::db::Db;
use crate::directory::repo;
use crate::directory::visibility::Viewer;
use crate::error::ApiError;

/// The current index, swapped whole when rebuilt so searches never wait for a rebuild.
#[derive(Default)]
pub struct DirectorySearch {
    /// The index, and the ticket of the rebuild that made it.
    current: RwLock<(u64, Arc<Index>)>,
    tickets: AtomicU64,
    /// The directory revision the current index was built from (see `repo::revision`).
    revision: AtomicI64,
}

impl DirectorySearch {
    /// Rebuilds the index from the database and makes it current.
    pub async fn rebuild(&self, db: &Db, time_zone: &str) -> Result<(), ApiError> {
        // The revision is read in the same connection before the build, as below.
        let ticket = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        let zone = time_zone.to_owned();
        let (revision, index) = db.run(move |conn| Ok::<_, ApiError>((repo::revision(conn)?, Index::build(conn, &zone)?))).await?;
        self.install(ticket, revision, index);
        Ok(())
    }

    /// Rebuilds when the directory changed since the current index was built — by
    /// another instance, or a command such as `import-hsds`.
    pub async fn refresh_if_changed(&self, db: &Db, time_zone: &str) -> Result<(), ApiError> {
        let revision = db.run(|conn| repo::revision(conn).map_err(ApiError::from)).await?;
        if revision > self.revision.load(Ordering::SeqCst) {
            self.rebuild(db, time_zone).await?;
        }
        Ok(())
    }

    /// Rebuilds on this thread: for start-up, before the server takes requests.
    pub fn rebuild_now(&self, db: &Db, time_zone: &str) -> Result<(), ApiError> {
        let ticket = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        let mut conn = db.get()?;
        // The revision is read first: a change landing during the build is caught by the next poll.
        let revision = repo::revision(&mut conn)?;
        let index = Index::build(&mut conn, time_zone)?;
        self.install(ticket, revision, index);
        Ok(())
    }

    /// Installs an index unless a rebuild that started later is already in: two writes
    /// close together must never leave the older one's index in place.
    fn install(&self, ticket: u64, revision: i64, index: Index) {
        let mut current = self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if ticket > current.0 {
            *current = (ticket, Arc::new(index));
            self.revision.store(revision, Ordering::SeqCst);
        }
    }

    /// Runs a search as `viewer` sees the directory.
    pub fn search(&self, query: &SearchQuery, viewer: Viewer<'_>, now: chrono::DateTime<chrono::Utc>) -> SearchResults {
        let index = Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner).1);
        index.search(query, viewer, now)
    }
}
