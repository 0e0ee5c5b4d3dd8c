//! What can go wrong with an organization's record, and how each is answered over HTTP.

use crate::error::ApiError;

/// Why an organization operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum OrganizationError {
    #[error("no such organization")]
    NotFound,
    /// Anything else: authorization, validation of the body's shape, the database (a
    /// taken slug is the database's unique-violation 409).
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(OrganizationError);

impl From<OrganizationError> for ApiError {
    fn from(e: OrganizationError) -> Self {
        match e {
            OrganizationError::NotFound => ApiError::NotFound(e.to_string()),
            OrganizationError::Api(api) => api,
        }
    }
}
