//! Managing an organization's users.

use chrono::Utc;
use harbour_types::{NewUser, OrganizationId, Page, PageRequest, User, UserWithTemporaryPassword};

use super::error::UserError;
use super::repo::{self, NewUserRow};
use crate::auth::accounts::{self, UserAccount};
use crate::auth::{password, refresh, AccountCache, Permission, Principal};
use crate::error::{validate, ApiError};
use crate::state::AppState;

/// Loads a user the principal may manage. A user of another organization is reported
/// as absent, so ids cannot be probed across organizations.
async fn manageable(state: &AppState, principal: &Principal, id: String) -> Result<UserAccount, UserError> {
    let account = state.db.run(move |conn| accounts::find_user(conn, &id).map_err(UserError::from)).await?.ok_or(UserError::NotFound)?;
    principal.authorize_owned(Permission::ManageUsersOf(&account.row.organization_id), &account.row.organization_id, "user")?;
    Ok(account)
}

/// A temporary password and its hash, hashed off the async executor.
async fn new_temporary_password() -> Result<(String, String), ApiError> {
    let temporary_password = password::temporary_password();
    let to_hash = temporary_password.clone();
    let password_hash = tokio::task::spawn_blocking(move || password::hash(&to_hash))
        .await
        .map_err(|e| ApiError::Internal(format!("hashing failed: {e}")))?;
    Ok((temporary_password, password_hash))
}

/// One page of an organization's users.
pub async fn list(state: &AppState, principal: &Principal, organization_id: OrganizationId, request: PageRequest) -> Result<Page<User>, UserError> {
    principal.authorize(Permission::ManageUsersOf(&organization_id))?;
    let (offset, limit) = crate::db::page_bounds(request);
    let (accounts, total) = state.db.run(move |conn| repo::list_for_organization(conn, &organization_id, offset, limit).map_err(UserError::from)).await?;
    Ok(Page::new(accounts.iter().map(UserAccount::to_dto).collect(), total.unsigned_abs(), request))
}

/// Creates a user with a temporary password, to be changed at first sign-in.
pub async fn create(state: &AppState, principal: &Principal, organization_id: OrganizationId, input: NewUser) -> Result<UserWithTemporaryPassword, UserError> {
    principal.authorize(Permission::ManageUsersOf(&organization_id))?;
    validate(&input)?;
    if let Some(role) = input.roles.iter().find(|r| !principal.may_grant(**r)) {
        return Err(UserError::RoleNotGrantable(*role));
    }
    let locale = input.locale.clone().unwrap_or_else(|| "en".into());
    if !matches!(locale.as_str(), "en" | "fr") {
        return Err(UserError::UnknownLocale);
    }
    let (temporary_password, password_hash) = new_temporary_password().await?;
    let id = uuid::Uuid::new_v4().to_string();
    let mut roles = input.roles.clone();
    roles.sort();
    roles.dedup();
    let user_id = id.clone();
    let account = state
        .db
        .transaction(move |conn| {
            let now = Utc::now().naive_utc();
            let email = input.email.trim().to_lowercase();
            let row = NewUserRow {
                id: &user_id,
                organization_id: &organization_id,
                email: &email,
                display_name: input.display_name.trim(),
                password_hash: &password_hash,
                locale: &locale,
                active: true,
                must_change_password: true,
                created_at: now,
                updated_at: now,
            };
            repo::insert(conn, &row, &roles)?;
            accounts::find_user(conn, &user_id)?.ok_or(UserError::NotFound)
        })
        .await?;
    Ok(UserWithTemporaryPassword { user: account.to_dto(), temporary_password })
}

/// Deactivates a user: they cannot sign in, and their sessions end at once.
pub async fn deactivate(state: &AppState, recent: &AccountCache, principal: &Principal, id: String) -> Result<User, UserError> {
    let account = manageable(state, principal, id).await?;
    if principal.user_id() == Some(account.row.id.as_str()) {
        return Err(UserError::CannotDeactivateSelf);
    }
    let user_id = account.row.id.clone();
    let user = state
        .db
        .transaction(move |conn| {
            let now = Utc::now().naive_utc();
            repo::set_active(conn, &user_id, false, now)?;
            refresh::revoke_user(conn, &user_id, now)?;
            accounts::find_user(conn, &user_id)?.map(|a| a.to_dto()).ok_or(UserError::NotFound)
        })
        .await?;
    recent.forget_all();
    Ok(user)
}

/// Gives a user a new temporary password; their sessions end at once.
pub async fn reset_password(state: &AppState, recent: &AccountCache, principal: &Principal, id: String) -> Result<UserWithTemporaryPassword, UserError> {
    let account = manageable(state, principal, id).await?;
    let (temporary_password, password_hash) = new_temporary_password().await?;
    let user_id = account.row.id.clone();
    let user = state
        .db
        .transaction(move |conn| {
            let now = Utc::now().naive_utc();
            accounts::set_password(conn, &user_id, &password_hash, true, now)?;
            refresh::revoke_user(conn, &user_id, now)?;
            accounts::find_user(conn, &user_id)?.map(|a| a.to_dto()).ok_or(UserError::NotFound)
        })
        .await?;
    recent.forget_all();
    Ok(UserWithTemporaryPassword { user, temporary_password })
}
