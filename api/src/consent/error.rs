//! What can go wrong with a consent, in consent's terms; [`ApiError`] says how each is
//! answered over HTTP.

use harbour_types::{ConsentStatus, ErrorCode};

use crate::error::ApiError;

/// Why a consent operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConsentError {
    /// No consent with this id that the caller may see: the same answer whether it exists or not.
    #[error("no such consent")]
    NotFound,
    /// No participant of the caller's organization with this id (or, for a recipient,
    /// none whose consents name it).
    #[error("no such participant")]
    ParticipantNotFound,
    /// The caller's own organization is missing: its account outlived it.
    #[error("no such organization")]
    OrganizationNotFound,
    #[error("is in the future")]
    GivenInFuture,
    #[error("must be in the future")]
    ExpiresInPast,
    #[error("must be within ten years")]
    ExpiresTooLate,
    #[error("a verbal consent needs a named witness")]
    WitnessRequired,
    /// The evidence file is missing or not acceptable: a code for the app, and what to say.
    #[error("{message}")]
    Evidence { code: &'static str, message: &'static str },
    /// A recipient (at this place of `recipient_ids`) is the recording organization itself.
    #[error("your organization always sees its own participants: name other organizations")]
    OwnOrganizationNamed { index: usize },
    /// A recipient (at this place of `recipient_ids`) is not an active partner organization.
    #[error("is not an active partner organization")]
    UnknownRecipient { index: usize },
    #[error("is not a consent of this participant")]
    SupersedesAnotherParticipants,
    #[error("the consent to supersede is {}; only an active one can be", .status.code())]
    SupersedesInactive { status: ConsentStatus },
    #[error("the consent to supersede changed meanwhile")]
    SupersededMeanwhile,
    #[error("evidence files are for the organization that recorded the consent")]
    EvidenceForRecorderOnly,
    #[error("this consent has no evidence file")]
    NoEvidenceFile,
    #[error("only the organization that recorded a consent records its withdrawal")]
    RevokedByRecorderOnly,
    #[error("this consent is {}; only an active consent can be revoked", .status.code())]
    NotRevocable { status: ConsentStatus },
    /// Anything else: authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(ConsentError);

impl From<ConsentError> for ApiError {
    fn from(e: ConsentError) -> Self {
        let detail = e.to_string();
        let invalid = |pointer: &str, code: &str| ApiError::invalid(pointer, code, &detail);
        match e {
            ConsentError::NotFound | ConsentError::ParticipantNotFound | ConsentError::OrganizationNotFound | ConsentError::NoEvidenceFile => ApiError::NotFound(detail),
            ConsentError::GivenInFuture => invalid("/given_at", "range"),
            ConsentError::ExpiresInPast | ConsentError::ExpiresTooLate => invalid("/expires_at", "range"),
            ConsentError::WitnessRequired => invalid("/witness_name", "required"),
            ConsentError::Evidence { code, .. } => invalid("/evidence", code),
            ConsentError::OwnOrganizationNamed { index } => invalid(&format!("/recipient_ids/{index}"), "own_organization"),
            ConsentError::UnknownRecipient { index } => invalid(&format!("/recipient_ids/{index}"), "unknown"),
            ConsentError::SupersedesAnotherParticipants => invalid("/supersedes_id", "invalid"),
            ConsentError::SupersedesInactive { .. } | ConsentError::SupersededMeanwhile => ApiError::Conflict { code: ErrorCode::ConsentNotActive, detail },
            ConsentError::NotRevocable { status } => {
                ApiError::Conflict { code: if status == ConsentStatus::Revoked { ErrorCode::AlreadyRevoked } else { ErrorCode::ConsentNotActive }, detail }
            }
            ConsentError::EvidenceForRecorderOnly | ConsentError::RevokedByRecorderOnly => ApiError::forbidden(detail),
            ConsentError::Api(api) => api,
        }
    }
}
