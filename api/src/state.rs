//! What every request can reach: settings, the database, token keys, the throttle.

use crate::auth::principal::AccountCache;
use crate::auth::throttle::Throttle;
use crate::auth::tokens::TokenKeys;
use crate::config::Settings;
use crate::crypto::Keyring;
use crate::dashboards::service::DirectoryFigures;
use crate::db::Db;
use crate::directory::search::DirectorySearch;

/// Shared application state, built once at start-up.
pub struct AppState {
    /// The settings the instance started with.
    pub settings: Settings,
    /// The database pool.
    pub db: Db,
    /// Keys for access tokens.
    pub keys: TokenKeys,
    /// Sign-in throttling.
    pub throttle: Throttle,
    /// Users and API clients read recently (see [`AccountCache`]).
    pub accounts: AccountCache,
    /// The directory search index.
    pub search: DirectorySearch,
    /// Keys sealing participant data at rest.
    pub keyring: Keyring,
    /// Per-caller request counts (`HARBOUR_RATE_LIMIT_PER_MINUTE`).
    pub rate_limiter: crate::rate_limit::RateLimiter,
    /// Request latencies for `/metrics`.
    pub metrics: crate::metrics::Metrics,
    /// The dashboards' directory figures, kept until the directory changes.
    pub directory_figures: std::sync::Arc<DirectoryFigures>,
}

impl AppState {
    /// State from settings and an open database.
    pub fn new(settings: Settings, db: Db) -> AppState {
        let keys = TokenKeys::from_settings(&settings);
        let keyring = Keyring::from_settings(&settings);
        AppState { settings, db, keys, throttle: Throttle::default(), accounts: AccountCache::default(), search: DirectorySearch::default(), keyring, rate_limiter: Default::default(), metrics: Default::default(), directory_figures: Default::default() }
    }
}
