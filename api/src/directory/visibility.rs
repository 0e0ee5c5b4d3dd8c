//! Who sees a location's address: the one place that decides it, used by every
//! endpoint that shows a location (services, locations, and later search and HSDS export).

use harbour_types::{Location, Visibility};

/// Who is looking at the directory.
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    /// A signed-in user or API client of this organization.
    Partner(&'a str),
    /// Anyone, without signing in (the public directory).
    Public,
}

/// Removes what this viewer may not see of a location: the address and coordinates of
/// a confidential location outside its organization, and of a partners-only location
/// in the public directory. The intake instructions stay: they say how to reach it.
pub fn redact(mut location: Location, viewer: Viewer<'_>) -> Location {
    let hidden = match (location.visibility, viewer) {
        (Visibility::Public, _) => false,
        (Visibility::Partners, Viewer::Partner(_)) => false,
        (Visibility::Partners, Viewer::Public) => true,
        (Visibility::Confidential, Viewer::Partner(org)) => org != location.organization_id,
        (Visibility::Confidential, Viewer::Public) => true,
    };
    if hidden {
        location.latitude = None;
        location.longitude = None;
        location.addresses.clear();
        location.accessibility = None;
    }
    location
}
