//! Users of partner organizations, their roles, and API clients.

use serde::{Deserialize, Serialize};

code_enum! {
    /// What a user may do. A user holds one or more roles within their organization.
    Role {
        /// Finds services and refers participants, often from a phone.
        OutreachWorker = "outreach_worker",
        /// Answers incoming referrals at a receiving agency.
        IntakeWorker = "intake_worker",
        /// Keeps their own organization's services and users current.
        AgencyAdmin = "agency_admin",
        /// Partnership staff: dashboards and the shared taxonomy; never participant data.
        Coordinator = "coordinator",
        /// Runs the instance: organizations and audit.
        SystemAdmin = "system_admin",
    }
}

/// A user as their organization's admins see them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct User {
    /// The user's id.
    pub id: String,
    /// The organization the user belongs to.
    pub organization_id: String,
    /// The user's e-mail address, used to sign in.
    pub email: String,
    /// The name shown to colleagues.
    pub display_name: String,
    /// The user's roles.
    pub roles: Vec<Role>,
    /// Preferred language, `en` or `fr`.
    pub locale: String,
    /// Whether the user may sign in.
    pub active: bool,
    /// Whether the user must choose a new password at next sign-in.
    pub must_change_password: bool,
    /// When the user last signed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A new user for an organization.
#[cfg_attr(feature = "server", derive(validator::Validate))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(example = json!({"email": "sam@example.org", "display_name": "Sam", "roles": ["outreach_worker"], "locale": "en"})))]
pub struct NewUser {
    /// The user's e-mail address.
    #[cfg_attr(feature = "server", validate(email, length(max = 254)))]
    pub email: String,
    /// The name shown to colleagues.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 120)))]
    pub display_name: String,
    /// One or more roles.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 5)))]
    pub roles: Vec<Role>,
    /// Preferred language, `en` (default) or `fr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
}

/// A user just created, or whose password was just reset, with a one-time
/// temporary password to hand over; it must be changed at first sign-in.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct UserWithTemporaryPassword {
    /// The user.
    pub user: User,
    /// Shown once; Harbour keeps only its hash.
    pub temporary_password: String,
}

/// The scopes an API client may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Scope {
    /// Read the service directory.
    #[serde(rename = "directory:read")]
    DirectoryRead,
    /// Read the organization's referrals.
    #[serde(rename = "referrals:read")]
    ReferralsRead,
    /// Create and update the organization's referrals.
    #[serde(rename = "referrals:write")]
    ReferralsWrite,
    /// Manage the organization's webhook subscriptions.
    #[serde(rename = "webhooks:manage")]
    WebhooksManage,
}

impl Scope {
    /// Every scope, in a stable order.
    pub const ALL: [Scope; 4] = [
        Scope::DirectoryRead,
        Scope::ReferralsRead,
        Scope::ReferralsWrite,
        Scope::WebhooksManage,
    ];

    /// The scope's code, as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Scope::DirectoryRead => "directory:read",
            Scope::ReferralsRead => "referrals:read",
            Scope::ReferralsWrite => "referrals:write",
            Scope::WebhooksManage => "webhooks:manage",
        }
    }

    /// The scope with this code, if any.
    pub fn from_code(code: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A partner system's credentials, acting for one organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiClient {
    /// The record's id.
    pub id: String,
    /// The organization the client acts for.
    pub organization_id: String,
    /// A name to recognise the partner system by.
    pub name: String,
    /// The public client id used at the token endpoint.
    pub client_id: String,
    /// The scopes the client may ask for.
    pub scopes: Vec<Scope>,
    /// Whether the client may still obtain tokens.
    pub active: bool,
    /// When the client was created.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A new API client.
#[cfg_attr(feature = "server", derive(validator::Validate))]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(example = json!({"name": "Case management system", "scopes": ["directory:read", "referrals:read"]})))]
pub struct NewApiClient {
    /// A name to recognise the partner system by.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 120)))]
    pub name: String,
    /// The scopes the client may ask for.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 4)))]
    pub scopes: Vec<Scope>,
}

/// An API client just created, with its secret, shown once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ApiClientWithSecret {
    /// The client.
    pub client: ApiClient,
    /// Shown once; Harbour keeps only its hash.
    pub client_secret: String,
}
