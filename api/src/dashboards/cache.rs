//! Directory figures (the coverage map, stale listings) kept until the directory changes.
//! They are the dashboards' costliest reads at scale (every service, its categories and
//! regions) and change only when a listing does: each read checks the directory's
//! revision, which every directory write bumps in its transaction, so a cached figure is
//! never older than the database — on this instance or another.

use std::collections::HashMap;
use std::sync::Mutex;

/// Entries by key, each with the directory revision it was computed at.
#[derive(Debug)]
pub struct DirectoryCache<V> {
    entries: Mutex<HashMap<String, (i64, V)>>,
}

impl<V> Default for DirectoryCache<V> {
    fn default() -> Self {
        DirectoryCache { entries: Mutex::new(HashMap::new()) }
    }
}

/// At most this many keys are kept (a key is a filter combination: a handful in use).
const MAX_ENTRIES: usize = 64;

impl<V: Clone> DirectoryCache<V> {
    /// The value for `key` at `revision`: the kept one if it was computed at this
    /// revision, else a new one from `make` (kept when it succeeds).
    pub fn get_or<E>(&self, key: String, revision: i64, make: impl FnOnce() -> Result<V, E>) -> Result<V, E> {
        let kept = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key).filter(|(at, _)| *at == revision).map(|(_, v)| v.clone());
        if let Some(value) = kept {
            return Ok(value);
        }
        let value = make()?;
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.retain(|_, (at, _)| *at == revision);
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        entries.insert(key, (revision, value.clone()));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::DirectoryCache;

    #[test]
    fn a_value_is_kept_until_the_revision_moves() {
        let cache = DirectoryCache::default();
        let mut computed = 0;
        let mut read = |revision| cache.get_or::<()>("k".into(), revision, || { computed += 1; Ok(revision * 10) });
        assert_eq!(read(1), Ok(10));
        assert_eq!(read(1), Ok(10));
        assert_eq!(read(2), Ok(20));
        assert_eq!(computed, 2);
    }
}
