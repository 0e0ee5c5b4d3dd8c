//! What can go wrong with the directory's records, in the directory's terms;
//! [`ApiError`] says how each is answered over HTTP. (Query parameters a handler parses
//! itself, and `nearby`'s postcode and proximity, are refused there, at the edge.)

use crate::error::ApiError;

/// Why a directory operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum DirectoryError {
    /// No record of this kind with this id (a service, a location, a category …).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// The version given is not the record's current one.
    #[error("the record changed since it was read")]
    Stale,
    /// API clients read the directory; its listings are kept by people.
    #[error("only people edit the directory")]
    PeopleOnly,
    /// A second exception for the date at this place of `schedule_exceptions`.
    #[error("each date may have one exception")]
    DuplicateException { index: usize },
    #[error("must not be below minimum_age")]
    AgesReversed,
    /// The language at this place of `languages` is not an ISO 639 code.
    #[error("must be an ISO 639 code such as en, fr or mic")]
    UnknownLanguage { index: usize },
    #[error("every location must be one of the organization's own")]
    UnknownLocation,
    #[error("every category must exist")]
    UnknownCategory,
    #[error("every region must exist")]
    UnknownRegion,
    #[error("must not be above maximum")]
    AvailableAboveMaximum,
    #[error("must be lowercase letters, digits, dots and hyphens")]
    BadCode,
    #[error("must be lowercase letters, digits and hyphens")]
    BadSlug,
    #[error("a category cannot sit under itself")]
    UnderItself,
    #[error("the parent category must exist")]
    UnknownParent,
    #[error("the category tree has a cycle")]
    Cycle,
    /// Anything else: authorization, the database.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(DirectoryError);

impl From<DirectoryError> for ApiError {
    fn from(e: DirectoryError) -> Self {
        let detail = e.to_string();
        let invalid = |pointer: &str, code: &str| ApiError::invalid(pointer, code, &detail);
        match e {
            DirectoryError::NotFound(_) => ApiError::NotFound(detail),
            DirectoryError::Stale => ApiError::PreconditionFailed,
            DirectoryError::PeopleOnly => ApiError::forbidden(detail),
            DirectoryError::DuplicateException { index } => invalid(&format!("/schedule_exceptions/{index}/date"), "duplicate"),
            DirectoryError::AgesReversed => invalid("/maximum_age", "range"),
            DirectoryError::UnknownLanguage { index } => invalid(&format!("/languages/{index}"), "language"),
            DirectoryError::UnknownLocation => invalid("/location_ids", "unknown_location"),
            DirectoryError::UnknownCategory => invalid("/category_ids", "unknown_category"),
            DirectoryError::UnknownRegion => invalid("/region_ids", "unknown_region"),
            DirectoryError::AvailableAboveMaximum => invalid("/available", "range"),
            DirectoryError::BadCode => invalid("/code", "code"),
            DirectoryError::BadSlug => invalid("/slug", "slug"),
            DirectoryError::UnderItself | DirectoryError::Cycle => invalid("/parent_id", "cycle"),
            DirectoryError::UnknownParent => invalid("/parent_id", "unknown_category"),
            DirectoryError::Api(api) => api,
        }
    }
}
