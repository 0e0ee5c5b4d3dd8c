//! Which directory answers the app may keep for offline use (its service worker honours
//! `Cache-Control`): all of them, except one showing a safe house's address to its own
//! organization, which is never stored on a phone that could be lost or looked through.

use actix_web::http::header;
use harbour_types::{Location, Service, Visibility};

/// Whether any of these locations shows a confidential place's address (to its own organization).
pub fn reveals_confidential<'a>(locations: impl IntoIterator<Item = &'a Location>) -> bool {
    locations.into_iter().any(|l| l.visibility == Visibility::Confidential && (!l.addresses.is_empty() || l.latitude.is_some()))
}

/// The `Cache-Control` of a directory answer: `no-store` when it shows a confidential place.
pub fn offline_cache_policy(confidential_shown: bool) -> (header::HeaderName, &'static str) {
    (header::CACHE_CONTROL, if confidential_shown { "no-store" } else { "private, no-cache" })
}

/// The offline cache policy of an answer carrying these services.
pub fn services_cache_policy<'a>(services: impl IntoIterator<Item = &'a Service>) -> (header::HeaderName, &'static str) {
    offline_cache_policy(reveals_confidential(services.into_iter().flat_map(|service| service.service_at_locations.iter().map(|sal| &sal.location))))
}
