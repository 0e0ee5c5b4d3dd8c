//! Sign-in, tokens and the signed-in principal.

use serde::{Deserialize, Serialize};

use crate::users::Role;

/// Credentials for password sign-in.
#[cfg_attr(feature = "server", derive(validator::Validate))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(example = json!({"email": "outreach_worker@youth-outreach-halifax.demo", "password": "correct horse battery staple"})))]
pub struct SignInRequest {
    /// The user's e-mail address (case-insensitive).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 254)))]
    pub email: String,
    /// The user's password.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 1024)))]
    pub password: String,
}

/// An access token for a signed-in user. The refresh token travels only in an
/// httpOnly cookie scoped to `/api/v1/auth`, never in a body.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SessionResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// Who signed in.
    pub user: Me,
}

/// An OAuth 2.0 client-credentials token request (RFC 6749 §4.4), sent as
/// `application/x-www-form-urlencoded`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClientTokenRequest {
    /// Must be `client_credentials`.
    pub grant_type: String,
    /// The API client's public id.
    pub client_id: String,
    /// The API client's secret.
    pub client_secret: String,
    /// Space-separated scopes wanted; defaults to all the client's scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// An access token for an API client (RFC 6749 §5.1).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ClientTokenResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    /// The space-separated scopes granted.
    pub scope: String,
}

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Me {
    /// The user's id.
    pub id: String,
    /// The user's e-mail address.
    pub email: String,
    /// The name shown to colleagues.
    pub display_name: String,
    /// The user's roles within their organization.
    pub roles: Vec<Role>,
    /// The organization the user belongs to.
    pub organization: OrganizationRef,
    /// The user's preferred language, `en` or `fr`.
    pub locale: String,
    /// Whether the user must choose a new password before doing anything else.
    pub must_change_password: bool,
}

/// A short reference to an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OrganizationRef {
    /// The organization's id.
    pub id: String,
    /// The organization's name.
    pub name: String,
}

/// A change of one's own password.
#[cfg_attr(feature = "server", derive(validator::Validate))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    /// The password in use now.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 1024)))]
    pub current_password: String,
    /// The new password: 12 to 128 characters.
    #[cfg_attr(feature = "server", validate(length(min = 12, max = 128)))]
    pub new_password: String,
}

/// Public facts the SPA needs before anyone signs in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InstanceInfo {
    /// The partnership this instance serves.
    pub partnership_name: String,
    /// Where the quick-exit control sends the browser: a neutral site.
    pub quick_exit_url: String,
    /// The languages the interface speaks.
    pub locales: Vec<String>,
    /// The partnership's time zone (IANA name): opening hours are local to it.
    pub time_zone: String,
}
