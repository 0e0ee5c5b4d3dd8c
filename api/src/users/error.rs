//! What can go wrong managing a user, and how each is answered over HTTP.

use harbour_types::{ErrorCode, Role};

use crate::error::ApiError;

/// Why a user operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// No user with this id that the caller manages: the same answer whether it exists
    /// or not, so that ids cannot be probed across organizations.
    #[error("no such user")]
    NotFound,
    #[error("you may not grant the role {}", .0.code())]
    RoleNotGrantable(Role),
    #[error("must be en or fr")]
    UnknownLocale,
    #[error("you cannot deactivate your own account")]
    CannotDeactivateSelf,
    /// Anything else: authorization, validation of the body's shape, the database.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(UserError);

impl From<UserError> for ApiError {
    fn from(e: UserError) -> Self {
        let detail = e.to_string();
        match e {
            UserError::NotFound => ApiError::NotFound(detail),
            UserError::RoleNotGrantable(_) => ApiError::Forbidden { code: ErrorCode::RoleNotGrantable, detail },
            UserError::UnknownLocale => ApiError::invalid("/locale", "locale", &detail),
            UserError::CannotDeactivateSelf => ApiError::Conflict { code: ErrorCode::CannotDeactivateSelf, detail },
            UserError::Api(api) => api,
        }
    }
}
