//! What can go wrong with an individualized plan, and how each is answered over HTTP.

use crate::error::ApiError;
use crate::participants::ParticipantError;

/// Why a plan operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    /// The caller's organization sees the participant without `needs` or `case_notes`
    /// (or, for the timeline, without `case_notes`): the same answer as no participant.
    #[error("no plan you may see")]
    NotFound,
    /// No goal of this participant's by this id.
    #[error("no such goal")]
    NoSuchGoal,
    /// No step of this goal's by this id.
    #[error("no such step")]
    NoSuchStep,
    /// Only the owning organization writes the plan.
    #[error("only the organization that recorded the participant writes their plan")]
    OwnerOnly,
    /// The version given in If-Match is not the current one.
    #[error("the plan changed since it was read")]
    Stale,
    /// A step's owner is a colleague who is not a frontline user of the owning organization.
    #[error("a step's owner must be a frontline colleague of the organization holding the plan")]
    OwnerNotColleague,
    /// A step's owner is an organization that is not an active partner.
    #[error("a step's owner must be an active partner organization")]
    OwnerNotOrganization,
    /// A step owned by the participant names someone else.
    #[error("a step the participant owns names no one else")]
    OwnerIdNotWanted,
    /// A goal's title or a step's description is only spaces (the JSON pointer of the field).
    #[error("write the participant's words: this field is blank")]
    Blank(&'static str),
    /// The referral named is not one this organization made for this participant.
    #[error("the referral is not one of this participant's, sent by your organization")]
    NotTheirReferral,
    /// The participant is not one the caller may see.
    #[error(transparent)]
    Participant(#[from] ParticipantError),
    /// Anything else: authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(PlanError);

impl From<PlanError> for ApiError {
    fn from(e: PlanError) -> Self {
        let detail = e.to_string();
        match e {
            PlanError::NotFound | PlanError::NoSuchGoal | PlanError::NoSuchStep => ApiError::NotFound(detail),
            PlanError::OwnerOnly => ApiError::forbidden(detail),
            PlanError::Stale => ApiError::PreconditionFailed,
            PlanError::OwnerNotColleague | PlanError::OwnerNotOrganization | PlanError::OwnerIdNotWanted => ApiError::invalid("/owner/id", "invalid", &detail),
            PlanError::Blank(pointer) => ApiError::invalid(pointer, "required", &detail),
            PlanError::NotTheirReferral => ApiError::invalid("/referral_id", "invalid", &detail),
            PlanError::Participant(e) => e.into(),
            PlanError::Api(api) => api,
        }
    }
}
