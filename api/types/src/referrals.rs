//! Referrals: the closed loop between a sending organization and the organization of
//! the service it refers a participant to.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use validator::Validate as _;

use crate::{OrganizationRef, Participant};

code_enum! {
    /// How soon the receiving side must answer.
    Urgency {
        /// Within days.
        Routine = "routine",
        /// Within a couple of days.
        Soon = "soon",
        /// Today.
        SameDay = "same_day",
        /// Within the hour.
        Emergency = "emergency",
    }
}

code_enum! {
    /// Where a referral stands (FHIR Task status in brackets).
    ReferralStatus {
        /// Being written, not sent (draft).
        Draft = "draft",
        /// Sent, not yet opened by the receiving side (requested).
        Sent = "sent",
        /// Opened by the receiving side (received).
        Received = "received",
        /// Accepted (accepted).
        Accepted = "accepted",
        /// Declined, with a reason (rejected).
        Declined = "declined",
        /// The service is working with the participant (in-progress).
        InProgress = "in_progress",
        /// Closed with an outcome (completed).
        Completed = "completed",
        /// Withdrawn by the sender (cancelled).
        Withdrawn = "withdrawn",
        /// Never answered in time (failed).
        Expired = "expired",
    }
}

code_enum! {
    /// A step of the life cycle.
    ReferralAction {
        /// Draft → sent (sending side).
        Send = "send",
        /// Sent or received → accepted (receiving side).
        Accept = "accept",
        /// Sent or received → declined, with a reason (receiving side).
        Decline = "decline",
        /// Accepted → in progress (receiving side).
        Start = "start",
        /// Accepted or in progress → completed, with an outcome (receiving side).
        Complete = "complete",
        /// Any open state → withdrawn (sending side).
        Withdraw = "withdraw",
    }
}

code_enum! {
    /// Why a referral was declined, or a closed one did not succeed. Codes, because
    /// coordinators count them.
    ReasonCode {
        /// No room now.
        NoCapacity = "no_capacity",
        /// Outside the service's eligibility.
        NotEligible = "not_eligible",
        /// Outside the area the service covers.
        OutsideServiceArea = "outside_service_area",
        /// The participant changed their mind.
        ParticipantDeclined = "participant_declined",
        /// Nobody could reach the participant safely.
        UnableToContact = "unable_to_contact",
        /// Something else (say what in the note).
        Other = "other",
    }
}

code_enum! {
    /// How a referral ended.
    Outcome {
        /// The participant got the service.
        Successful = "successful",
        /// They did not (a reason is required).
        Unsuccessful = "unsuccessful",
    }
}

code_enum! {
    /// What happened on a referral's timeline, as stored.
    EventKind {
        /// Written (as a draft, or sent at once).
        Created = "created",
        /// Sent to the receiving organization.
        Sent = "sent",
        /// First opened by the receiving organization.
        Received = "received",
        /// Accepted.
        Accepted = "accepted",
        /// Declined, with a reason.
        Declined = "declined",
        /// Work started.
        Started = "started",
        /// Closed with an outcome.
        Completed = "completed",
        /// Withdrawn by the sender.
        Withdrawn = "withdrawn",
        /// Never answered in time.
        Expired = "expired",
        /// Given to a user of the receiving organization.
        Assigned = "assigned",
        /// Overdue: both sides reminded.
        Reminded = "reminded",
        /// The participant part removed after a consent was withdrawn.
        Redacted = "redacted",
    }
}

impl EventKind {
    /// The webhook event that announces it, if partners hear of it.
    pub fn webhook(self) -> Option<crate::WebhookEvent> {
        use crate::WebhookEvent as W;
        Some(match self {
            EventKind::Sent => W::Sent,
            EventKind::Received => W::Received,
            EventKind::Accepted => W::Accepted,
            EventKind::Declined => W::Declined,
            EventKind::Started => W::Started,
            EventKind::Completed => W::Completed,
            EventKind::Withdrawn => W::Withdrawn,
            EventKind::Expired => W::Expired,
            EventKind::Redacted => W::Redacted,
            EventKind::Assigned => W::Assigned,
            EventKind::Created | EventKind::Reminded => return None,
        })
    }
}

impl ReferralStatus {
    /// The steps allowed from this state, by either side (the server enforces them; the
    /// app shows them).
    pub fn allowed_actions(self) -> &'static [ReferralAction] {
        use ReferralAction::{Accept, Complete, Decline, Send, Start, Withdraw};
        match self {
            ReferralStatus::Draft => &[Send, Withdraw],
            ReferralStatus::Sent | ReferralStatus::Received => &[Accept, Decline, Withdraw],
            ReferralStatus::Accepted => &[Start, Complete, Withdraw],
            ReferralStatus::InProgress => &[Complete, Withdraw],
            ReferralStatus::Declined | ReferralStatus::Completed | ReferralStatus::Withdrawn | ReferralStatus::Expired => &[],
        }
    }

    /// Whether the referral has ended (declined, completed, withdrawn or expired): no
    /// step is left.
    pub fn is_closed(self) -> bool {
        self.allowed_actions().is_empty()
    }
}

impl ReferralAction {
    /// Whether the sending organization takes this step (otherwise the receiving one does).
    pub fn by_sender(self) -> bool {
        matches!(self, ReferralAction::Send | ReferralAction::Withdraw)
    }

    /// The state this step leads to.
    pub fn target(self) -> ReferralStatus {
        match self {
            ReferralAction::Send => ReferralStatus::Sent,
            ReferralAction::Accept => ReferralStatus::Accepted,
            ReferralAction::Decline => ReferralStatus::Declined,
            ReferralAction::Start => ReferralStatus::InProgress,
            ReferralAction::Complete => ReferralStatus::Completed,
            ReferralAction::Withdraw => ReferralStatus::Withdrawn,
        }
    }
}

/// What the participant needs from the service.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ReferralNeeds {
    /// Directory categories (taxonomy term ids).
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20)))]
    pub category_ids: Vec<String>,
    /// In words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub note: Option<String>,
}

/// A referral to write (and, with `send`, to send at once).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ReferralInput {
    /// A participant of the caller's organization.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 64)))]
    pub participant_id: String,
    /// The service referred to (of another organization).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 64)))]
    pub service_id: String,
    /// What they need.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(nested))]
    pub needs: ReferralNeeds,
    /// How soon.
    pub urgency: Urgency,
    /// How the receiving side can reach the participant safely.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 500)))]
    pub safe_contact_instructions: Option<String>,
    /// The worker checked with the participant that this referral is what they want.
    /// Required to send.
    #[serde(default)]
    pub participant_confirmed: bool,
    /// Send now; otherwise it stays a draft.
    #[serde(default)]
    pub send: bool,
}

/// A step of the life cycle, with what it needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ReferralTransition {
    /// The step.
    pub action: ReferralAction,
    /// Why it was declined, or why it did not succeed.
    #[serde(default)]
    pub reason: Option<ReasonCode>,
    /// How it ended (to complete).
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// A note for the timeline (required with reason `other`).
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub note: Option<String>,
}

/// One event on a referral's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReferralEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// What happened (`created`, `sent`, `received`, `accepted`, … `redacted`).
    pub kind: String,
    /// Who (a user's name, or `Harbour` for what the system did).
    pub actor_name: String,
    /// Their organization.
    pub organization: OrganizationRef,
    /// The status after it.
    pub status: ReferralStatus,
    /// The note given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A referral, as the sending or the receiving organization sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Referral {
    /// Its id.
    pub id: String,
    /// Where it stands.
    pub status: ReferralStatus,
    /// The same, as an HL7 FHIR R4 Task status (`requested`, `accepted`, `rejected`…).
    pub fhir_status: String,
    /// How soon it must be answered.
    pub urgency: Urgency,
    /// Unanswered past its due time.
    pub overdue: bool,
    /// When an answer is due (set when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
    /// The sending organization.
    pub from_organization: OrganizationRef,
    /// The worker who wrote it.
    pub from_user_name: String,
    /// The receiving organization.
    pub to_organization: OrganizationRef,
    /// The service referred to.
    pub service_id: String,
    /// Its name.
    pub service_name: String,
    /// What the participant needs.
    pub needs: ReferralNeeds,
    /// How to reach the participant safely.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safe_contact_instructions: Option<String>,
    /// The worker checked with the participant.
    pub participant_confirmed: bool,
    /// Who handles it at the receiving organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<UserRef>,
    /// The participant's primary contact at the sending organization: who coordinates the
    /// case and its communication between partners (the receiver sees it while what was
    /// shared holds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<UserRef>,
    /// The consent it relies on (set when sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    /// The participant's id: for the sending organization only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    /// The participant as shared: the receiving side sees the snapshot of the consented categories taken when sent,
    /// and nothing once the consent is withdrawn or has lapsed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<Participant>,
    /// The participant part was removed because the consent no longer holds.
    pub participant_redacted: bool,
    /// The decline or failure reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<ReasonCode>,
    /// How it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// Every step, oldest first.
    pub timeline: Vec<ReferralEvent>,
    /// The version, for If-Match.
    pub version: i32,
    /// When written.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// A message between the two sides of a referral.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReferralMessage {
    /// Its id.
    pub id: String,
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// Who wrote it.
    pub author_name: String,
    /// Their organization.
    pub organization: OrganizationRef,
    /// The text.
    pub body: String,
}

/// A message to send on a referral.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ReferralMessageInput {
    /// The text.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 4000)))]
    pub body: String,
}

/// Who at the receiving organization handles a referral.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct AssigneeInput {
    /// A user of the receiving organization, or none to unassign.
    #[serde(default)]
    pub user_id: Option<String>,
}

/// What waits for the caller's organization, for badges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ReferralCounts {
    /// Received referrals nobody has opened yet.
    pub unopened: u64,
    /// Received referrals past their due time.
    pub overdue_received: u64,
    /// Sent referrals the other side has not answered in time.
    pub overdue_sent: u64,
}

/// A user named on a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserRef {
    /// Their id.
    pub id: String,
    /// Their name.
    pub name: String,
}
