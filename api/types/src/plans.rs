//! A participant's individualized plan: goals in their own words, each in a domain of
//! life, with steps that someone owns; the stage of change they say they are at, over
//! time; review dates; and a timeline of what moved. Shared like the participant's
//! `case_notes` (the whole plan), and — goals' titles and domains only — like their
//! `needs`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::{DataCategory, ReferralStatus};

code_enum! {
    /// The part of life a goal is about.
    GoalDomain {
        /// A safe place to live.
        Housing = "housing",
        /// Physical and sexual health.
        Health = "health",
        /// Mental health.
        MentalHealth = "mental_health",
        /// Substance use.
        SubstanceUse = "substance_use",
        /// School and learning.
        Education = "education",
        /// Work.
        Employment = "employment",
        /// Money to live on.
        Income = "income",
        /// Courts, police, immigration, rights.
        Legal = "legal",
        /// Family and the people close to them.
        Family = "family",
        /// Culture and spirit.
        CulturalSpiritual = "cultural_spiritual",
        /// Peers who have been there.
        PeerSupport = "peer_support",
    }
}

code_enum! {
    /// Where a goal stands.
    GoalStatus {
        /// Being worked on.
        Active = "active",
        /// Reached.
        Achieved = "achieved",
        /// Put aside by the participant, for now or for good: they lead.
        SetAside = "set_aside",
    }
}

code_enum! {
    /// Where a step stands.
    StepStatus {
        /// Not started.
        Planned = "planned",
        /// Under way.
        InProgress = "in_progress",
        /// Done.
        Done = "done",
        /// Not to be done after all.
        Dropped = "dropped",
    }
}

code_enum! {
    /// The stage of change the participant says they are at (the transtheoretical model).
    StageOfChange {
        /// Not thinking of a change.
        Precontemplation = "precontemplation",
        /// Thinking about it.
        Contemplation = "contemplation",
        /// Getting ready.
        Preparation = "preparation",
        /// Making the change.
        Action = "action",
        /// Keeping it up.
        Maintenance = "maintenance",
    }
}

code_enum! {
    /// Who owns a step.
    StepOwnerKind {
        /// The participant themself.
        Participant = "participant",
        /// A colleague in the organization that holds the plan.
        User = "user",
        /// A partner organization.
        Organization = "organization",
    }
}

code_enum! {
    /// What happened, in a plan's timeline.
    PlanEventKind {
        /// A goal was set.
        GoalAdded = "goal_added",
        /// A goal was reworded, moved to another domain, or changed status.
        GoalUpdated = "goal_updated",
        /// A step was added to a goal.
        StepAdded = "step_added",
        /// A step was changed: its owner, date or status.
        StepUpdated = "step_updated",
        /// The participant's stage of change was recorded.
        StageRecorded = "stage_recorded",
        /// The plan's review date was set.
        ReviewSet = "review_set",
    }
}

/// The plan's own settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct PlanInput {
    /// When to go over the plan again with the participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_on: Option<NaiveDate>,
}

/// A goal, as written with the participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct GoalInput {
    pub domain: GoalDomain,
    /// The goal in the participant's words.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 500)))]
    pub title: String,
    /// `active` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<GoalStatus>,
}

/// Who a step is for: `id` names the colleague or the organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StepOwnerInput {
    pub kind: StepOwnerKind,
    /// The user's id (a frontline colleague) or the organization's; none for the participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// A step towards a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct StepInput {
    /// What is to be done, in plain words.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 1000)))]
    pub description: String,
    pub owner: StepOwnerInput,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    /// `planned` when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<StepStatus>,
    /// A referral of this participant, sent by the organization holding the plan, that
    /// this step is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_id: Option<String>,
}

/// The stage of change the participant says they are at now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct StageInput {
    pub stage: StageOfChange,
}

/// A step's owner, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StepOwner {
    pub kind: StepOwnerKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The colleague's or organization's name; none for the participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// The referral a step is, as the plan shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlanReferral {
    pub id: String,
    pub status: ReferralStatus,
    /// The service referred to.
    pub service_name: String,
    /// The organization referred to.
    pub organization_name: String,
}

/// A step towards a goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlanStep {
    pub id: String,
    pub goal_id: String,
    pub description: String,
    pub owner: StepOwner,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<NaiveDate>,
    pub status: StepStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<PlanReferral>,
    /// The step's ETag.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A goal, as the caller may see it: under `needs` only its domain and title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlanGoal {
    pub id: String,
    pub domain: GoalDomain,
    pub title: String,
    /// Under `case_notes` (and for the owner) only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<GoalStatus>,
    /// Under `case_notes` (and for the owner) only; oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<PlanStep>,
    /// The goal's ETag (for the owner only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    pub created_at: DateTime<Utc>,
}

/// A stage of change, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StageRecord {
    pub stage: StageOfChange,
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it (for the owner only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by_name: Option<String>,
}

/// A participant's individualized plan, as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct IndividualPlan {
    pub participant_id: String,
    /// What this answer shows: every category for the owner; `case_notes` (the whole
    /// plan) and/or `needs` (goals' domains and titles) for a recipient.
    pub categories: Vec<DataCategory>,
    /// The plan's ETag for its settings: 0 before they were first set (and for a recipient).
    pub version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_on: Option<NaiveDate>,
    /// The stages recorded, newest first: the participant's movement over time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<StageRecord>,
    /// Oldest first.
    pub goals: Vec<PlanGoal>,
}

/// An event in the plan's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PlanEvent {
    pub kind: PlanEventKind,
    pub recorded_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_id: Option<String>,
    /// The status the goal or step was left in, the stage recorded, or the review date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Who (for the owner only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by_name: Option<String>,
}
