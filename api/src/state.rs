//! What every request can reach: settings, the database, token and sealing keys, metrics.
//! Each domain module's own shared state (the search index, the account cache …) is
//! registered beside it by `startup` and extracted as `web::Data` of its own type.

use crate::config::Settings;
use crate::crypto::Keyring;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::tokens::TokenKeys;

/// Shared application state, built once at start-up.
pub struct AppState {
    /// The settings the instance started with.
    pub settings: Settings,
    /// The database pool.
    pub db: Db,
    /// Keys for access tokens.
    pub keys: TokenKeys,
    /// Keys sealing participant data at rest.
    pub keyring: Keyring,
    /// Request latencies for `/metrics`.
    pub metrics: Metrics,
}

impl AppState {
    /// State from settings and an open database.
    pub fn new(settings: Settings, db: Db) -> AppState {
        let keys = TokenKeys::from_settings(&settings);
        let keyring = Keyring::from_settings(&settings);
        AppState { settings, db, keys, keyring, metrics: Metrics::default() }
    }
}
