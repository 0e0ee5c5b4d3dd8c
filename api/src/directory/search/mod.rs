//! Directory search: an in-process index built from the database, so the same query
//! gives the same results on SQLite and PostgreSQL (their full-text search differs in
//! language support, ranking and typo tolerance), and filters like "open now" and
//! "near me" run beside the text match in one pass. A write of services (and of a place
//! they are at) patches a copy of the index with them, and a capacity update changes the
//! index in place: both are found by search at once. Other writes (categories, regions)
//! rebuild it whole: milliseconds at a partnership's few hundred services, seconds at
//! 100,000. Every write bumps the directory revision, which brings a full rebuild with the
//! next poll, on every instance; see `index.rs` for how it matches and ranks.

pub mod hours;
pub mod index;
pub mod text;

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use harbour_types::{Capacity, SearchResults};

pub use index::{Index, Patch, SearchQuery};

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
    /// Held from reading the index a patch starts from to installing the patched copy:
    /// two patches at once would each lose the other's change.
    patching: tokio::sync::Mutex<()>,
    /// The directory revision the current index was built from (see `repo::revision`).
    revision: AtomicI64,
    /// Capacity changes put into the index in place, newer than the revision it was
    /// built from: an index built before them gets them again when it is installed.
    /// One entry per service at most, until a rebuild reaches its revision.
    recent_capacities: Mutex<Vec<CapacityChange>>,
}

#[derive(Debug)]
struct CapacityChange {
    revision: i64,
    id: String,
    capacity: Capacity,
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
    /// close together must never leave the older one's index in place. (Locks are taken
    /// in the same order as in `capacity_changed`: recent changes, then the index.)
    fn install(&self, ticket: u64, revision: i64, index: Index) {
        let mut recent = self.recent_capacities.lock().unwrap_or_else(PoisonError::into_inner);
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if ticket > current.0 {
            recent.retain(|change| change.revision > revision);
            for change in recent.iter() {
                index.set_capacity(&change.id, change.capacity.clone());
            }
            *current = (ticket, Arc::new(index));
            self.revision.store(revision, Ordering::SeqCst);
        }
    }

    /// Puts a committed capacity change, written at directory `revision`, into the
    /// current index at once: the one-tap update answers in milliseconds, not after a
    /// rebuild (seconds at a hundred thousand services). The revision it bumped still
    /// brings a full rebuild with the next poll (`refresh_if_changed`).
    pub fn capacity_changed(&self, revision: i64, id: &str, capacity: Capacity) {
        let mut recent = self.recent_capacities.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        // Already in the index, or a newer change of the same service is: a slower
        // writer of an older change must not undo it.
        if self.revision.load(Ordering::SeqCst) >= revision || recent.iter().any(|c| c.id == id && c.revision > revision) {
            return;
        }
        recent.retain(|c| c.id != id);
        current.1.set_capacity(id, capacity.clone());
        recent.push(CapacityChange { revision, id: id.to_owned(), capacity });
    }

    /// Puts committed changes of these services into the index at once (see
    /// [`Index::patched`]): a service edit is found by search in milliseconds, not after a
    /// rebuild (seconds at a hundred thousand services). The revision their write bumped
    /// still brings a full rebuild with the next poll, which is how other instances see it.
    pub async fn services_changed(&self, db: &Db, ids: Vec<String>) -> Result<(), ApiError> {
        let patch = db.run(move |conn| Index::load_patch(conn, &ids)).await?;
        let _serial = self.patching.lock().await;
        let (base, revision) = {
            let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
            (Arc::clone(&current.1), self.revision.load(Ordering::SeqCst))
        };
        let ticket = self.tickets.fetch_add(1, Ordering::SeqCst) + 1;
        let index = tokio::task::spawn_blocking(move || base.patched(&patch)).await.map_err(|e| ApiError::Internal(e.to_string()))?;
        // Installed as of the revision of the index it was patched from: the patch may lack
        // another change, so the poll must still see the directory as newer than the index.
        self.install(ticket, revision, index);
        Ok(())
    }

    /// Runs a search as `viewer` sees the directory.
    pub fn search(&self, query: &SearchQuery, viewer: Viewer<'_>, now: chrono::DateTime<chrono::Utc>) -> SearchResults {
        let index = Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner).1);
        index.search(query, viewer, now)
    }
}
