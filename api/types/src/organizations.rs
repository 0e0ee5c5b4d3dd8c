//! Partner organizations.

use serde::{Deserialize, Serialize};

/// The sector an organization works in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Community organizations and shelters.
    Community,
    /// Police services.
    Police,
    /// Child welfare.
    ChildWelfare,
    /// Health, mental health and addictions.
    Health,
    /// Schools and education.
    Education,
    /// Courts, victim services, corrections.
    Justice,
    /// Legal aid and clinics.
    Legal,
    /// Government departments.
    Government,
    /// Indigenous, African Nova Scotian and other cultural organizations.
    Cultural,
    /// Peer- and survivor-led groups.
    PeerSurvivorLed,
}

impl Sector {
    /// Every sector, in a stable order.
    pub const ALL: [Sector; 10] = [
        Sector::Community,
        Sector::Police,
        Sector::ChildWelfare,
        Sector::Health,
        Sector::Education,
        Sector::Justice,
        Sector::Legal,
        Sector::Government,
        Sector::Cultural,
        Sector::PeerSurvivorLed,
    ];

    /// The sector's code, as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Sector::Community => "community",
            Sector::Police => "police",
            Sector::ChildWelfare => "child_welfare",
            Sector::Health => "health",
            Sector::Education => "education",
            Sector::Justice => "justice",
            Sector::Legal => "legal",
            Sector::Government => "government",
            Sector::Cultural => "cultural",
            Sector::PeerSurvivorLed => "peer_survivor_led",
        }
    }

    /// The sector with this code, if any.
    pub fn from_code(code: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A partner organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Organization {
    /// The organization's id.
    pub id: String,
    /// A short stable name used in demo e-mail addresses and URLs of the directory.
    pub slug: String,
    /// The organization's name.
    pub name: String,
    /// What the organization does.
    pub description: String,
    /// The sector it works in.
    pub sector: Sector,
    /// Its website.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Its general e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Its main phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whether it takes part in the partnership now.
    pub active: bool,
    /// Its services, fully nested, by name: only when asked for (HSDS's `full_service`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub services: Option<Vec<crate::Service>>,
}

/// A new organization, or the full replacement of an existing one's details.
#[cfg_attr(feature = "server", derive(validator::Validate))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(example = json!({"name": "Harbour House", "slug": "harbour-house", "description": "Youth shelter", "sector": "community"})))]
pub struct OrganizationInput {
    /// The organization's name.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 200)))]
    pub name: String,
    /// Lowercase letters, digits and hyphens.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 60), custom(function = "validate_slug")))]
    pub slug: String,
    /// What the organization does.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub description: String,
    /// The sector it works in.
    pub sector: Sector,
    /// Its website (http or https URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(url, length(max = 500)))]
    pub website: Option<String>,
    /// Its general e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(email, length(max = 254)))]
    pub email: Option<String>,
    /// Its main phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(min = 3, max = 40)))]
    pub phone: Option<String>,
}

/// A slug is lowercase ASCII letters, digits and single hyphens, as it appears in
/// e-mail addresses of demo users and in directory links.
#[cfg(feature = "server")]
fn validate_slug(slug: &str) -> Result<(), validator::ValidationError> {
    let well_formed = slug
        .split('-')
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if well_formed {
        Ok(())
    } else {
        Err(validator::ValidationError::new("slug")
            .with_message("must be lowercase letters, digits and single hyphens".into()))
    }
}
