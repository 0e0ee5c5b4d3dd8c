//! Why authentication failed, and how each reason is answered over HTTP.

use harbour_types::ErrorCode;

use crate::error::ApiError;

/// Why authentication failed.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Wrong e-mail or password, or an inactive account: deliberately indistinguishable.
    #[error("the e-mail address or password is not right")]
    InvalidCredentials,
    /// Wrong client id or secret, or a revoked client.
    #[error("the client id or secret is not right")]
    InvalidClient,
    /// The grant type is not `client_credentials`.
    #[error("only the client_credentials grant is supported here")]
    UnsupportedGrantType,
    /// A scope was asked for that the client does not hold.
    #[error("a requested scope is not granted to this client")]
    InvalidScope,
    /// No refresh cookie, or an expired or revoked one.
    #[error("the session has ended: sign in again")]
    SessionEnded,
    /// A refresh token was presented twice: the session was ended everywhere.
    #[error("this session was used twice, so it has been ended everywhere: sign in again")]
    RefreshReused,
    /// The current password given for a change is wrong.
    #[error("the current password is not right")]
    WrongCurrentPassword,
    /// Anything else.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(AuthError);

impl From<AuthError> for ApiError {
    fn from(e: AuthError) -> Self {
        let detail = e.to_string();
        match e {
            AuthError::InvalidCredentials => ApiError::Unauthorized { code: ErrorCode::InvalidCredentials, detail },
            AuthError::InvalidClient => ApiError::Unauthorized { code: ErrorCode::InvalidClient, detail },
            AuthError::SessionEnded => ApiError::Unauthorized { code: ErrorCode::SessionEnded, detail },
            AuthError::RefreshReused => ApiError::Unauthorized { code: ErrorCode::RefreshReused, detail },
            AuthError::UnsupportedGrantType => ApiError::BadRequest(detail),
            AuthError::InvalidScope => ApiError::Forbidden { code: ErrorCode::InvalidScope, detail },
            AuthError::WrongCurrentPassword => ApiError::Forbidden { code: ErrorCode::WrongCurrentPassword, detail },
            AuthError::Api(api) => api,
        }
    }
}
