//! Directory search: an in-process index built from the database, so the same query
//! gives the same results on SQLite and PostgreSQL (their full-text search differs in
//! language support, ranking and typo tolerance), and filters like "open now" and
//! "near me" run beside the text match in one pass. The index is rebuilt after every
//! directory write; see `index.rs` for how it matches and ranks.

pub mod hours;
pub mod index;
pub mod text;

use std::sync::{Arc, RwLock};

use harbour_types::SearchResults;

pub use index::{Index, SearchQuery};

use crate::db::Db;
use crate::directory::visibility::Viewer;
use crate::error::ApiError;

/// The current index, swapped whole when rebuilt so searches never wait for a rebuild.
#[derive(Default)]
pub struct DirectorySearch {
    current: RwLock<Arc<Index>>,
}

impl DirectorySearch {
    /// Rebuilds the index from the database and makes it current.
    pub async fn rebuild(&self, db: &Db, time_zone: &str) -> Result<(), ApiError> {
        let zone = time_zone.to_owned();
        let index = db.run(move |conn| Index::build(conn, &zone)).await?;
        self.replace(index);
        Ok(())
    }

    /// Rebuilds on this thread: for start-up, before the server takes requests.
    pub fn rebuild_now(&self, db: &Db, time_zone: &str) -> Result<(), ApiError> {
        let mut conn = db.get()?;
        let index = Index::build(&mut conn, time_zone)?;
        self.replace(index);
        Ok(())
    }

    fn replace(&self, index: Index) {
        *self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner) = Arc::new(index);
    }

    /// Runs a search as `viewer` sees the directory.
    pub fn search(&self, query: &SearchQuery, viewer: Viewer<'_>, now: chrono::DateTime<chrono::Utc>) -> SearchResults {
        let index = Arc::clone(&self.current.read().unwrap_or_else(std::sync::PoisonError::into_inner));
        index.search(query, viewer, now)
    }
}
