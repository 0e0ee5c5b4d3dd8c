//! A participant's safety plan: written with them, in their words, kept revision by
//! revision. Shared like the `safety` category of their record: with the owning
//! organization, and with an organization an active consent names for `safety`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use validator::Validate as _;

/// What the plan says, each part in the participant's own words; every part may be left
/// empty, and a plan grows as trust does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct SafetyPlanContent {
    /// Signs that danger is near: a person, a place, a message, a feeling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub warning_signs: Option<String>,
    /// People they can go to, and places where they are safe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub safe_people_and_places: Option<String>,
    /// Safe ways and times to reach them, and code words that mean "I am not safe" or
    /// "call me back later".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub contact_and_code_words: Option<String>,
    /// What to do if someone they fear finds or contacts them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub if_found: Option<String>,
    /// Who to call in an emergency, and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub emergency_contacts: Option<String>,
    /// Phones, accounts, location sharing: what to check, change or switch off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub digital_safety: Option<String>,
    /// Documents to keep safe, and where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub documents: Option<String>,
    /// What they want to do differently next time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 4000)))]
    pub next_time: Option<String>,
}

/// A new revision of the plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct SafetyPlanInput {
    #[cfg_attr(feature = "server", validate(nested))]
    pub content: SafetyPlanContent,
    /// When to go over it again with the participant; the primary contact is reminded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_on: Option<NaiveDate>,
}

/// One revision of a participant's safety plan, as the caller may see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SafetyPlan {
    pub participant_id: String,
    /// 1 for the first plan, one more for each change: the plan's ETag.
    pub revision: i32,
    pub content: SafetyPlanContent,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_on: Option<NaiveDate>,
    pub written_at: DateTime<Utc>,
    /// Who wrote this revision with the participant (for the owning organization only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub written_by_name: Option<String>,
}

/// A revision in the plan's history: when, and by whom (its content is read by number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SafetyPlanRevision {
    pub revision: i32,
    pub written_at: DateTime<Utc>,
    pub written_by_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_on: Option<NaiveDate>,
}
