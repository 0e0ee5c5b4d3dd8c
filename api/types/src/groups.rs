//! The partnership's groups: its three tiers of involvement (the core group, working
//! groups, regional groups), its cultural advisories and its survivor advisory. Members
//! are organizations and people, some of them co-chairs. Who belongs to the survivor
//! advisory (and to any group whose membership is private) is shown only to its members
//! and to the partnership's coordinators.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{OrganizationRef, PersonRef};

code_enum! {
    /// What a group is for.
    GroupKind {
        /// The core group: the partnership's steering table.
        Core = "core",
        /// A working group on one piece of work (training, research, a protocol).
        Working = "working",
        /// A regional group, tied to its region.
        Regional = "regional",
        /// A cultural advisory (Indigenous, African Nova Scotian, 2SLGBTQ+).
        CulturalAdvisory = "cultural_advisory",
        /// The survivor advisory: its membership is always private.
        SurvivorAdvisory = "survivor_advisory",
        /// Another kind the partnership names.
        Other = "other",
    }
}

/// A group, as a coordinator writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct GroupInput {
    pub kind: GroupKind,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 200)))]
    pub name: String,
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 200)))]
    pub name_fr: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub description: String,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub description_fr: String,
    /// The region of a regional group (required for one, refused for any other kind).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
    /// Whether who belongs is shown only to members and coordinators. Always true for
    /// the survivor advisory; false when left out for the others.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub private_membership: Option<bool>,
}

/// A region, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RegionRef {
    pub id: String,
    pub name: String,
    pub name_fr: String,
}

/// A member of a group: an organization or a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GroupMember {
    /// The membership's id.
    pub id: String,
    /// The organization, when an organization belongs; a person's own organization
    /// when a person does.
    pub organization: OrganizationRef,
    /// The person, when a person belongs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonRef>,
    pub co_chair: bool,
    pub added_at: DateTime<Utc>,
}

/// A group, as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Group {
    pub id: String,
    pub kind: GroupKind,
    pub name: String,
    pub name_fr: String,
    pub description: String,
    pub description_fr: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<RegionRef>,
    pub private_membership: bool,
    /// Whether `members` lists who belongs: false for a private group to anyone but its
    /// members and the coordinators, who then see no member and no count.
    pub members_shown: bool,
    /// Organizations first, then people, each by name.
    pub members: Vec<GroupMember>,
    /// Whether the caller may add and remove members (a coordinator, or a co-chair).
    pub may_manage_members: bool,
    /// The group's ETag.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A member to add: an organization or a person (a user), never both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct MemberInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// Only coordinators name co-chairs; false when left out.
    #[serde(default)]
    pub co_chair: bool,
}

/// Whether a member co-chairs the group (coordinators set it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CoChairInput {
    pub co_chair: bool,
}

/// A group an organization belongs to (itself, or through one of its people), for its
/// profile: the partner's involvement, for the asset map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Membership {
    pub group_id: String,
    pub kind: GroupKind,
    pub name: String,
    pub name_fr: String,
    /// The organization, or one of its people, co-chairs it.
    pub co_chair: bool,
}
