//! What can go wrong with a safety plan, and how each is answered over HTTP.

use crate::error::ApiError;
use crate::participants::ParticipantError;

/// Why a safety plan operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum SafetyPlanError {
    /// No plan the caller may see: none written yet, or the caller's organization sees
    /// the participant without the `safety` category (the same answer: whether a plan
    /// exists is itself safety information).
    #[error("no safety plan you may see")]
    NotFound,
    /// No revision by this number.
    #[error("no such revision")]
    NoSuchRevision,
    /// Only the owning organization writes the plan, reads its history and makes the
    /// participant's copy.
    #[error("only the organization that recorded the participant does this with their safety plan")]
    OwnerOnly,
    /// The revision given in If-Match is not the current one (`"0"` before the first plan).
    #[error("the safety plan changed since it was read")]
    Stale,
    /// The participant is not one the caller may see.
    #[error(transparent)]
    Participant(#[from] ParticipantError),
    /// Anything else: authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(SafetyPlanError);

impl From<SafetyPlanError> for ApiError {
    fn from(e: SafetyPlanError) -> Self {
        let detail = e.to_string();
        match e {
            SafetyPlanError::NotFound | SafetyPlanError::NoSuchRevision => ApiError::NotFound(detail),
            SafetyPlanError::OwnerOnly => ApiError::forbidden(detail),
            SafetyPlanError::Stale => ApiError::PreconditionFailed,
            SafetyPlanError::Participant(e) => e.into(),
            SafetyPlanError::Api(api) => api,
        }
    }
}
