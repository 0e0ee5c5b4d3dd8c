//! What can go wrong with a subscription, and how each is answered over HTTP.

use crate::error::ApiError;

/// Why a webhook operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// No subscription of the caller's organization with this id.
    #[error("no such subscription")]
    NotFound,
    #[error("must be an http or https URL")]
    NotHttpUrl,
    /// Anything else: authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(WebhookError);

impl From<WebhookError> for ApiError {
    fn from(e: WebhookError) -> Self {
        let detail = e.to_string();
        match e {
            WebhookError::NotFound => ApiError::NotFound(detail),
            WebhookError::NotHttpUrl => ApiError::invalid("/url", "url", &detail),
            WebhookError::Api(api) => api,
        }
    }
}
