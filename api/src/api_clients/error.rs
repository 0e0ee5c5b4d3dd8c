//! What can go wrong managing an API client, and how each is answered over HTTP.

use crate::error::ApiError;

/// Why an API client operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ApiClientError {
    /// No client with this id that the caller manages: the same answer whether it exists or not.
    #[error("no such API client")]
    NotFound,
    /// Anything else: authorization, validation of the body's shape, the database.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(ApiClientError);

impl From<ApiClientError> for ApiError {
    fn from(e: ApiClientError) -> Self {
        match e {
            ApiClientError::NotFound => ApiError::NotFound(e.to_string()),
            ApiClientError::Api(api) => api,
        }
    }
}
