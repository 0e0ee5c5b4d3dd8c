//! What can go wrong producing a participant's own records, and how each is answered.

use crate::conferences::ConferenceError;
use crate::consent::ConsentError;
use crate::error::ApiError;
use crate::participants::ParticipantError;
use crate::referrals::ReferralError;
use crate::plans::PlanError;
use crate::safety_plans::SafetyPlanError;

/// Why a participant's own records were refused.
#[derive(Debug, thiserror::Error)]
pub enum OwnRecordsError {
    /// A recipient organization: it holds a consented part, not the record.
    #[error("only the organization that holds the participant's record produces their own copy")]
    OwnerOnly,
    /// Anything the modules it reads refused, authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(OwnRecordsError);

macro_rules! through_api_error {
    ($($error:ty),*) => {
        $(impl From<$error> for OwnRecordsError {
            fn from(e: $error) -> Self {
                OwnRecordsError::Api(e.into())
            }
        })*
    };
}

through_api_error!(ParticipantError, ConsentError, SafetyPlanError, ReferralError, PlanError, ConferenceError);

impl From<OwnRecordsError> for ApiError {
    fn from(e: OwnRecordsError) -> Self {
        match e {
            OwnRecordsError::OwnerOnly => ApiError::forbidden(e.to_string()),
            OwnRecordsError::Api(api) => api,
        }
    }
}
