//! What can go wrong with a participant's record, in its own terms; [`ApiError`] says
//! how each is answered over HTTP.

use harbour_types::ErrorCode;

use crate::error::ApiError;

/// Why a participant operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ParticipantError {
    /// No participant with this id that the caller may see anything of: the same answer
    /// whether it exists or not, so that ids cannot be probed across organizations.
    #[error("no such participant")]
    NotFound,
    #[error("only the organization that recorded a participant changes their record")]
    ChangedByOwnerOnly,
    #[error("a disclosure report is for the organization that recorded the participant")]
    ReportForOwnerOnly,
    /// The version given is not the record's current one.
    #[error("the record changed since it was read")]
    Stale,
    #[error("choose an alias with the participant")]
    AliasRequired,
    #[error("is in the future")]
    BirthYearInFuture,
    #[error("is in the future")]
    BirthDateInFuture,
    /// The language at this place of `languages` is empty or too long.
    #[error("must be 1 to 35 characters")]
    LanguageLength { index: usize },
    #[error("must be an active user of the participant's organization")]
    UnknownPrimaryContact,
    /// The need at this place of `needs.category_ids` is not a directory category.
    #[error("is not a directory category")]
    UnknownCategory { index: usize },
    #[error("a participant changed during rotation; run it again")]
    ChangedDuringRotation,
    /// Anything else: authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(ParticipantError);

impl From<ParticipantError> for ApiError {
    fn from(e: ParticipantError) -> Self {
        let detail = e.to_string();
        let invalid = |pointer: &str, code: &str| ApiError::invalid(pointer, code, &detail);
        match e {
            ParticipantError::NotFound => ApiError::NotFound(detail),
            ParticipantError::ChangedByOwnerOnly | ParticipantError::ReportForOwnerOnly => ApiError::forbidden(detail),
            ParticipantError::Stale => ApiError::PreconditionFailed,
            ParticipantError::AliasRequired => invalid("/alias", "required"),
            ParticipantError::BirthYearInFuture => invalid("/birth_year", "range"),
            ParticipantError::BirthDateInFuture => invalid("/identity/date_of_birth", "range"),
            ParticipantError::LanguageLength { index } => invalid(&format!("/languages/{index}"), "length"),
            ParticipantError::UnknownPrimaryContact => invalid("/contact/primary_contact_id", "unknown"),
            ParticipantError::UnknownCategory { index } => invalid(&format!("/needs/category_ids/{index}"), "unknown"),
            ParticipantError::ChangedDuringRotation => ApiError::Conflict { code: ErrorCode::ChangedDuringRotation, detail },
            ParticipantError::Api(api) => api,
        }
    }
}
