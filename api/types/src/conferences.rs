//! Case conferences: partners brought together around one participant, with the
//! participant's consent (`case_conference`) naming each organization invited. A date
//! and a place or link, an agenda with notes and decisions per item, attendance, the
//! participant's own voice, and action items with an owner and a due date tracked to
//! done.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use validator::Validate as _;

use crate::OrganizationRef;

code_enum! {
    /// Where a conference stands.
    ConferenceStatus {
        /// Planned: the invitation stands.
        Scheduled = "scheduled",
        /// It took place.
        Held = "held",
        /// Called off (invitees get a cancellation).
        Cancelled = "cancelled",
    }
}

code_enum! {
    /// Whether an invited organization came.
    Attendance {
        /// Invited; not recorded yet.
        Invited = "invited",
        /// Came.
        Attended = "attended",
        /// Did not come.
        Absent = "absent",
    }
}

code_enum! {
    /// Whether the participant takes part themselves.
    Presence {
        /// Not said yet.
        Undecided = "undecided",
        /// They come.
        Attends = "attends",
        /// They do not come: their voice is what they asked to have said.
        DoesNotAttend = "does_not_attend",
    }
}

code_enum! {
    /// Where an action item stands.
    ActionStatus {
        /// To do.
        Open = "open",
        /// Done (the day it was done is kept, to tell on time from late).
        Done = "done",
        /// Given up.
        Dropped = "dropped",
    }
}

/// An organization invited, and whether it came.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationInput {
    /// An organization named in an active consent of the participant's that covers
    /// `case_conference`.
    pub organization_id: String,
    /// `invited` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attendance: Option<Attendance>,
}

/// An invited organization, as the conference shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub organization: OrganizationRef,
    pub attendance: Attendance,
}

/// An item of the agenda, with what was noted and decided under it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct AgendaItem {
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 300)))]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 10000)))]
    pub notes: Option<String>,
    /// What the table decided under this item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "server", validate(length(max = 20)))]
    pub decisions: Vec<String>,
}

/// The participant's own voice at the table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ParticipantVoice {
    pub presence: Presence,
    /// What the participant wants said, in their words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 10000)))]
    pub wants_said: Option<String>,
}

impl Default for ParticipantVoice {
    fn default() -> Self {
        ParticipantVoice { presence: Presence::Undecided, wants_said: None }
    }
}

/// A case conference, as its convener writes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ConferenceInput {
    pub starts_at: DateTime<Utc>,
    /// How long, in minutes.
    #[cfg_attr(feature = "server", validate(range(min = 15, max = 480)))]
    pub minutes: i32,
    /// Where partners meet. It goes in the calendar invitation: never the participant's
    /// name or address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 300)))]
    pub place: Option<String>,
    /// A video call's link, if any; it goes in the invitation too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(url, length(max = 2000)))]
    pub link: Option<String>,
    /// `scheduled` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConferenceStatus>,
    /// The organizations invited (the convener takes part without being named).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 20)))]
    pub invited: Vec<InvitationInput>,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 30), nested))]
    pub agenda: Vec<AgendaItem>,
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(nested))]
    pub voice: ParticipantVoice,
}

/// An action item: what someone took on at the table, by when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ActionInput {
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 2000)))]
    pub description: String,
    /// The convener or an invited organization.
    pub organization_id: String,
    /// A frontline user of that organization, if one person owns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    pub due_on: NaiveDate,
    /// `open` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ActionStatus>,
}

/// A person, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PersonRef {
    pub id: String,
    pub name: String,
}

/// An action item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ActionItem {
    pub id: String,
    pub conference_id: String,
    pub description: String,
    pub organization: OrganizationRef,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<PersonRef>,
    pub due_on: NaiveDate,
    pub status: ActionStatus,
    /// The day it was marked done, in the partnership's zone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    /// The action's ETag.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A case conference, as the caller may see it (the convener and, while the consent
/// lasts, each organization invited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Conference {
    pub id: String,
    pub participant_id: String,
    /// The participant's alias, as their profile shows it.
    pub participant_alias: String,
    pub convener: OrganizationRef,
    /// The convener's primary contact for the participant: who coordinates the case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<PersonRef>,
    pub starts_at: DateTime<Utc>,
    pub minutes: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub status: ConferenceStatus,
    pub invited: Vec<Invitation>,
    pub agenda: Vec<AgendaItem>,
    pub voice: ParticipantVoice,
    /// Oldest first.
    pub actions: Vec<ActionItem>,
    /// The conference's ETag (the convener writes it).
    pub version: i32,
    /// Whether the caller's organization convened it (and so may change it).
    pub convened_by_caller: bool,
    pub updated_at: DateTime<Utc>,
}

/// A conference in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConferenceSummary {
    pub id: String,
    pub participant_id: String,
    pub participant_alias: String,
    pub convener: OrganizationRef,
    pub starts_at: DateTime<Utc>,
    pub status: ConferenceStatus,
    /// The action items still open.
    pub open_actions: i64,
}
