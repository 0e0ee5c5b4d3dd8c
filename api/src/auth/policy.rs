//! Who may do what: the one guard every endpoint calls with the permission it needs.
//!
//! Permissions that concern one organization carry its id, and the check compares it
//! with the principal's own organization as read from the database — so a user of one
//! organization can never act on another's by changing an id in the URL.

use harbour_types::{ErrorCode, OrganizationId, Role, Scope};

use super::principal::{Actor, Principal};
use crate::error::ApiError;

/// Something a caller wants to do.
#[derive(Debug, Clone, Copy)]
pub enum Permission<'a> {
    /// Read or change one's own account. The only thing allowed while a password change is pending.
    OwnAccount,
    /// Read the partner directory: every user; clients with `directory:read`.
    ReadDirectory,
    /// Create organizations: system admins.
    ManageOrganizations,
    /// Edit this organization's details: its agency admins, and system admins.
    EditOrganization(&'a OrganizationId),
    /// Manage this organization's users: its agency admins, and system admins.
    ManageUsersOf(&'a OrganizationId),
    /// Manage this organization's API clients: its agency admins, and system admins.
    ManageApiClientsOf(&'a OrganizationId),
    /// Create and edit this organization's services and locations: its agency admins, and system admins.
    EditDirectoryOf(&'a OrganizationId),
    /// Curate the shared directory — categories, regions, verification, stale listings:
    /// coordinators and system admins.
    CurateDirectory,
    /// Record and read participants and consents (the consent policy then decides which
    /// rows and fields): frontline users — outreach and intake workers, agency admins.
    /// Coordinators and system admins never see participant-level data.
    HandleParticipants,
    /// Read the organization's referrals (sent and received): frontline users; clients
    /// with `referrals:read`. Which referrals, and what of the participant, the referral
    /// service and the consent policy decide.
    ReadReferrals,
    /// Write referrals and take their steps: frontline users; clients with `referrals:write`.
    WriteReferrals,
    /// Erase a participant of this organization (on their request): its agency admins.
    EraseParticipantsOf(&'a OrganizationId),
    /// Read the erasure ledger (ids, dates and codes): agency admins, for their
    /// organization, and system admins.
    ReadErasures,
    /// Read and verify the audit trail: system admins.
    ReadAudit,
    /// Read the dashboards — counts only, small ones suppressed: coordinators and system
    /// admins (who never see a participant).
    ReadDashboards,
    /// Create and rename the partnership's groups, name their co-chairs, and see who
    /// belongs to every group, private ones too: coordinators and system admins.
    ManageGroups,
    /// Manage this organization's webhook subscriptions: its agency admins, system
    /// admins, and its API clients with `webhooks:manage`.
    ManageWebhooksOf(&'a OrganizationId),
}

impl Principal {
    /// Allows the action or says why not.
    pub fn authorize(&self, permission: Permission<'_>) -> Result<(), ApiError> {
        if self.allows(permission) {
            return Ok(());
        }
        if let Actor::User { must_change_password: true, .. } = self.actor {
            return Err(ApiError::Forbidden {
                code: ErrorCode::PasswordChangeRequired,
                detail: "choose a new password before doing anything else".into(),
            });
        }
        Err(ApiError::forbidden("your role or organization does not allow this"))
    }

    /// Like [`Principal::authorize`], for a record owned by organization `owner`: a record
    /// of another organization that the caller may not act on is reported as absent
    /// (404, naming `what`), so ids cannot be probed across organizations.
    pub fn authorize_owned(&self, permission: Permission<'_>, owner: &OrganizationId, what: &str) -> Result<(), ApiError> {
        self.authorize(permission).map_err(|e| match e {
            ApiError::Forbidden { code: ErrorCode::Forbidden, .. } if *owner != self.organization_id => ApiError::NotFound(format!("no such {what}")),
            other => other,
        })
    }

    fn allows(&self, permission: Permission<'_>) -> bool {
        let own = |org: &OrganizationId| *org == self.organization_id;
        match &self.actor {
            Actor::User { must_change_password: true, .. } => matches!(permission, Permission::OwnAccount),
            Actor::User { roles, .. } => {
                let has = |role: Role| roles.contains(&role);
                match permission {
                    Permission::OwnAccount | Permission::ReadDirectory => true,
                    Permission::ManageOrganizations => has(Role::SystemAdmin),
                    Permission::CurateDirectory | Permission::ReadDashboards | Permission::ManageGroups => has(Role::Coordinator) || has(Role::SystemAdmin),
                    Permission::HandleParticipants | Permission::ReadReferrals | Permission::WriteReferrals => {
                        has(Role::OutreachWorker) || has(Role::IntakeWorker) || has(Role::AgencyAdmin)
                    }
                    Permission::ReadAudit => has(Role::SystemAdmin),
                    Permission::EraseParticipantsOf(org) => has(Role::AgencyAdmin) && own(org),
                    Permission::ReadErasures => has(Role::AgencyAdmin) || has(Role::SystemAdmin),
                    Permission::EditOrganization(org)
                    | Permission::ManageWebhooksOf(org)
                    | Permission::ManageUsersOf(org)
                    | Permission::ManageApiClientsOf(org)
                    | Permission::EditDirectoryOf(org) => {
                        has(Role::SystemAdmin) || (has(Role::AgencyAdmin) && own(org))
                    }
                }
            }
            Actor::Client { scopes, .. } => match permission {
                Permission::ReadDirectory => scopes.contains(&Scope::DirectoryRead),
                Permission::ManageWebhooksOf(org) => own(org) && scopes.contains(&Scope::WebhooksManage),
                Permission::ReadReferrals => scopes.contains(&Scope::ReferralsRead),
                Permission::WriteReferrals => scopes.contains(&Scope::ReferralsWrite),
                _ => false,
            },
        }
    }

    /// The roles this principal may grant to a user of its organization: agency admins
    /// staff their own agency; partnership-wide roles are for system admins to give.
    pub fn may_grant(&self, role: Role) -> bool {
        match &self.actor {
            Actor::User { roles, .. } if roles.contains(&Role::SystemAdmin) => true,
            Actor::User { roles, .. } if roles.contains(&Role::AgencyAdmin) => {
                matches!(role, Role::OutreachWorker | Role::IntakeWorker | Role::AgencyAdmin)
            }
            _ => false,
        }
    }
}
