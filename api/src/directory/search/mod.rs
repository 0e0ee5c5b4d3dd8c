//! Directory search: an in-process index built from the database, so the same query
//! gives the same results on SQLite and PostgreSQL (their full-text search differs in
//! language support, ranking and typo tolerance), and filters like "open now" and
//! "near me" run beside the text match in one pass. Every directory write logs which
//! services it changed with the directory revision (`repo::bump_revision`); after a write
//! here, and with the poll on every instance, the index catches up by patching those
//! services into a copy of it, and is rebuilt whole only when a category or region
//! changed (milliseconds at a partnership's few hundred services, seconds at 100,000).
//! A capacity update also changes the index in place at once. See `index.rs` for how it
//! matches and ranks.

pub mod doc_set;
pub mod hours;
pub mod index;
pub mod text;

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use actix_web::web;
use harbour_types::{Capacity, SearchResults};

pub use index::{Index, SearchQuery};

use crate::db::{Db, DbConn};
use crate::directory::repo;
use crate::directory::visibility::Viewer;
use crate::error::ApiError;
use crate::state::AppState;

/// The directory's revision, then an index built from it. The revision is read first: a
/// change landing during the build is caught by the next poll.
fn build(conn: &mut DbConn, time_zone: &str) -> Result<(i64, Index), ApiError> {
    let started = std::time::Instant::now();
    let revision = repo::revision(conn)?;
    let index = Index::build(conn, time_zone)?;
    tracing::info!(services = index.services(), elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX), "search index built");
    Ok((revision, index))
}

/// The services changed in revisions (since, revision], from the change log; none when a
/// change touched what many services show, or the log does not hold every one of them.
fn changed_services(since: i64, revision: i64, log: &[(i64, Option<String>)]) -> Option<Vec<String>> {
    let entries: Vec<&Option<String>> = log.iter().filter(|(r, _)| *r > since && *r <= revision).map(|(_, services)| services).collect();
    if i64::try_from(entries.len()).ok()? != revision - since {
        return None;
    }
    let mut ids = Vec::new();
    for services in entries {
        ids.extend(serde_json::from_str::<Vec<String>>(services.as_deref()?).ok()?);
    }
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// The current index, swapped whole when updated so searches never wait for an update.
#[derive(Default)]
pub struct DirectorySearch {
    current: RwLock<Arc<Index>>,
    /// The directory revision the current index holds (see `repo::bump_revision`).
    revision: AtomicI64,
    /// Held while the index is brought up to date: each update starts from the index the
    /// one before it installed, so none loses another's change.
    updating: tokio::sync::Mutex<()>,
    /// Capacity changes put into the index in place, newer than its revision: an index
    /// updated from before them gets them again when it is installed. One entry per
    /// service at most, until the index's revision reaches theirs.
    recent_capacities: Mutex<Vec<CapacityChange>>,
}

#[derive(Debug)]
struct CapacityChange {
    revision: i64,
    id: String,
    capacity: Capacity,
}

impl DirectorySearch {
    /// Builds the index on this thread: for start-up, before the server takes requests.
    pub fn rebuild_now(&self, db: &Db, time_zone: &str) -> Result<(), ApiError> {
        let (revision, index) = build(&mut *db.get()?, time_zone)?;
        self.install(revision, index);
        Ok(())
    }

    /// Brings the index up to the directory's revision, after a write here or by another
    /// instance or command (the poll calls it). The services changed since the index's
    /// revision, read from the change log, are patched into a copy of it (see
    /// [`Index::patched`]): milliseconds, where a full build takes seconds at a hundred
    /// thousand services. It is rebuilt whole when a change touched what many services
    /// show (a category, a region), when the log no longer reaches back to its revision,
    /// or when patches have left too many superseded documents in it.
    pub async fn catch_up(&self, db: &Db, time_zone: &str) -> Result<(), ApiError> {
        let _updating = self.updating.lock().await;
        let base = self.index();
        let since = self.revision.load(Ordering::SeqCst);
        let (revision, log) = db.run(move |conn| Ok::<_, ApiError>((repo::revision(conn)?, repo::changes_since(conn, since)?))).await?;
        if revision <= since {
            return Ok(());
        }
        match changed_services(since, revision, &log).filter(|ids| base.can_patch(ids.len())) {
            // Nothing search shows changed (a new place, a verified listing).
            Some(ids) if ids.is_empty() => self.install_revision(revision),
            Some(ids) => {
                // Services read after `revision` may be newer still: patching them again later changes nothing.
                let zone = time_zone.to_owned();
                let patch = db.run(move |conn| Index::load_patch(conn, &ids, &zone)).await?;
                let index = tokio::task::spawn_blocking(move || base.patched(patch)).await.map_err(|e| ApiError::Internal(e.to_string()))?;
                self.install(revision, index);
            }
            None => {
                let zone = time_zone.to_owned();
                let (revision, index) = db.run(move |conn| build(conn, &zone)).await?;
                self.install(revision, index);
            }
        }
        Ok(())
    }

    /// Makes `index`, holding the directory at `revision`, current. (Locks are taken in
    /// the same order as in `capacity_changed`: recent changes, then the index.)
    fn install(&self, revision: i64, index: Index) {
        let mut recent = self.recent_capacities.lock().unwrap_or_else(PoisonError::into_inner);
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        recent.retain(|change| change.revision > revision);
        for change in recent.iter() {
            index.set_capacity(&change.id, change.capacity.clone());
        }
        *current = Arc::new(index);
        self.revision.store(revision, Ordering::SeqCst);
    }

    /// Records that the current index holds the directory at `revision` as it is (under
    /// the lock `capacity_changed` reads the revision with).
    fn install_revision(&self, revision: i64) {
        let mut recent = self.recent_capacities.lock().unwrap_or_else(PoisonError::into_inner);
        recent.retain(|change| change.revision > revision);
        self.revision.store(revision, Ordering::SeqCst);
    }

    /// Puts a committed capacity change, written at directory `revision`, into the
    /// current index at once: the one-tap update answers in milliseconds, without waiting
    /// for an update of the index. The next `catch_up` patches the service in as well.
    pub fn capacity_changed(&self, revision: i64, id: &str, capacity: Capacity) {
        let mut recent = self.recent_capacities.lock().unwrap_or_else(PoisonError::into_inner);
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        // Already in the index, or a newer change of the same service is: a slower
        // writer of an older change must not undo it.
        if self.revision.load(Ordering::SeqCst) >= revision || recent.iter().any(|c| c.id == id && c.revision > revision) {
            return;
        }
        recent.retain(|c| c.id != id);
        current.set_capacity(id, capacity.clone());
        recent.push(CapacityChange { revision, id: id.to_owned(), capacity });
    }

    fn index(&self) -> Arc<Index> {
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }

    /// Runs a search as `viewer` sees the directory.
    pub fn search(&self, query: &SearchQuery, viewer: Viewer<'_>, now: chrono::DateTime<chrono::Utc>) -> SearchResults {
        self.index().search(query, viewer, now)
    }

    /// Every service a search finds, in its order, with how many places each is at.
    pub fn found_with_links(&self, query: &SearchQuery, viewer: Viewer<'_>, now: chrono::DateTime<chrono::Utc>) -> Vec<(String, u32)> {
        self.index().found_with_links(query, viewer, now)
    }
}

/// Other instances and commands (a second API instance, `import-hsds`) change the
/// directory too: follow its revision and bring search up to date when it moves, until stopped.
pub fn spawn_watcher(state: web::Data<AppState>, search: web::Data<DirectorySearch>, every: std::time::Duration, stopped: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            if let Err(e) = search.catch_up(&state.db, &state.settings.time_zone).await {
                tracing::warn!(error = %e, "checking the directory for changes failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::changed_services;

    #[test]
    fn the_change_log_patches_only_when_it_holds_every_revision() {
        let log = vec![(4, Some(r#"["b","a"]"#.to_owned())), (5, Some("[]".to_owned())), (6, Some(r#"["a"]"#.to_owned())), (7, None)];
        assert_eq!(changed_services(3, 6, &log), Some(vec!["a".to_owned(), "b".to_owned()]), "deduplicated, later entries ignored");
        assert_eq!(changed_services(4, 5, &log), Some(vec![]), "a change search does not show");
        assert_eq!(changed_services(3, 7, &log), None, "a category or region changed: rebuild");
        assert_eq!(changed_services(2, 6, &log), None, "revision 3 was pruned from the log: rebuild");
    }
}
