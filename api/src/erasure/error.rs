//! What can go wrong erasing a participant, and how each is answered.

use crate::error::ApiError;
use crate::referrals::ReferralError;

/// Why an erasure was refused.
#[derive(Debug, thiserror::Error)]
pub enum ErasureError {
    /// No participant with this id the caller's organization holds (erased already, or
    /// another organization's: the same answer, so ids cannot be probed).
    #[error("no such participant")]
    NotFound,
    /// `retention` is the method only Harbour's sweep records.
    #[error("is recorded by Harbour's retention sweep only: say how the participant asked")]
    MethodForHarbourOnly,
    /// `retention_period` is the reason only Harbour's sweep records.
    #[error("is recorded by Harbour's retention sweep only")]
    ReasonForHarbourOnly,
    /// Anything else: authorization, the database, sealing, the referrals it redacts.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(ErasureError);

impl From<ReferralError> for ErasureError {
    fn from(e: ReferralError) -> Self {
        ErasureError::Api(e.into())
    }
}

impl From<ErasureError> for ApiError {
    fn from(e: ErasureError) -> Self {
        let detail = e.to_string();
        match e {
            ErasureError::NotFound => ApiError::NotFound(detail),
            ErasureError::MethodForHarbourOnly => ApiError::invalid("/method", "harbour_only", &detail),
            ErasureError::ReasonForHarbourOnly => ApiError::invalid("/reason", "harbour_only", &detail),
            ErasureError::Api(api) => api,
        }
    }
}
