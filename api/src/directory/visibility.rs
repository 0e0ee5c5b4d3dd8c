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

impl<'a> Viewer<'a> {
    /// The viewer of a reader who belongs to this organization, or to none.
    pub fn of(organization: Option<&'a str>) -> Viewer<'a> {
        organization.map_or(Viewer::Public, Viewer::Partner)
    }

    /// The organization of the viewer, if any: what a task on another thread needs to see as it does.
    pub fn organization(self) -> Option<&'a str> {
        match self {
            Viewer::Partner(organization) => Some(organization),
            Viewer::Public => None,
        }
    }
}

/// Whether this viewer may see where a location of `owner` with this visibility is:
/// a confidential location only inside its organization, a partners-only one only to
/// signed-in partners.
pub fn shows_place(visibility: Visibility, owner: &str, viewer: Viewer<'_>) -> bool {
    match (visibility, viewer) {
        (Visibility::Public, _) | (Visibility::Partners, Viewer::Partner(_)) => true,
        (Visibility::Partners, Viewer::Public) | (Visibility::Confidential, Viewer::Public) => false,
        (Visibility::Confidential, Viewer::Partner(org)) => org == owner,
    }
}

/// Removes what this viewer may not see of a location (see [`shows_place`]): address,
/// coordinates and accessibility notes, and its version, which would tell when they
/// change (such a viewer cannot edit it). The intake instructions stay: they say how to
/// reach it.
pub fn redact(mut location: Location, viewer: Viewer<'_>) -> Location {
    if !shows_place(location.visibility, &location.organization_id, viewer) {
        location.latitude = None;
        location.longitude = None;
        location.addresses.clear();
        location.accessibility.clear();
        location.version = 0;
    }
    location
}
