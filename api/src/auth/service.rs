//! Sign-in, refresh, sign-out, client credentials and password changes.

use chrono::{Duration, NaiveDateTime, Utc};
use harbour_types::{ChangePasswordRequest, ClientTokenResponse, Me, OrganizationRef, Scope, SessionResponse};

use super::accounts::{self, UserAccount};
use super::password;
use super::refresh::{self, RefreshTokenRow};
use super::throttle::Attempt;
use super::{AccountCache, AuthError, Permission, Principal, Throttle};
use crate::error::{validate, ApiError};
use crate::state::AppState;
use crate::tokens::SubjectKind;

/// A new session: the body to send, and the refresh token for the cookie.
pub struct Session {
    /// The access token and the user.
    pub response: SessionResponse,
    /// The new refresh token, for the httpOnly cookie only.
    pub refresh_token: String,
}

/// The signed-in user as `/me` shows them.
pub fn me(account: &UserAccount) -> Me {
    Me {
        id: account.row.id.clone(),
        email: account.row.email.clone(),
        display_name: account.row.display_name.clone(),
        roles: account.roles.clone(),
        organization: OrganizationRef { id: account.row.organization_id.to_string(), name: account.organization_name.clone() },
        locale: account.row.locale.clone(),
        must_change_password: account.row.must_change_password,
    }
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn new_refresh_row(state: &AppState, user_id: &str, family_id: Option<&str>) -> (String, RefreshTokenRow) {
    let token = password::random_token();
    let issued_at = now();
    let ttl = Duration::seconds(i64::try_from(state.settings.refresh_token_ttl_seconds).unwrap_or(i64::MAX / 4));
    let row = RefreshTokenRow {
        id: uuid::Uuid::new_v4().to_string(),
        user_id: user_id.to_owned(),
        family_id: family_id.map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned),
        token_hash: password::sha256_hex(&token),
        issued_at,
        expires_at: issued_at + ttl,
        used_at: None,
        revoked_at: None,
    };
    (token, row)
}

fn session(state: &AppState, account: &UserAccount, refresh_token: String) -> Result<Session, AuthError> {
    let access_token = state.keys.issue(SubjectKind::User, &account.row.id, account.row.organization_id.as_str(), None)?;
    Ok(Session {
        response: SessionResponse { access_token, token_type: "Bearer".into(), expires_in: state.keys.ttl_seconds(), user: me(account) },
        refresh_token,
    })
}

async fn verify_off_thread(password: String, account: Option<UserAccount>) -> Result<(bool, Option<UserAccount>), AuthError> {
    tokio::task::spawn_blocking(move || {
        let ok = match &account {
            Some(a) => password::verify(&password, &a.row.password_hash),
            None => {
                password::verify_nothing(&password);
                false
            }
        };
        (ok, account)
    })
    .await
    .map_err(|e| AuthError::Api(ApiError::Internal(format!("password check failed: {e}"))))
}

/// Signs a user in with e-mail and password, from `address`.
pub async fn sign_in(state: &AppState, throttle: &Throttle, email: &str, password: String, address: &str) -> Result<Session, AuthError> {
    let email = email.trim().to_lowercase();
    let attempt = Attempt::new(&email, address);
    throttle.check(&attempt)?;
    let account = state.db.run(move |conn| accounts::find_user_by_email(conn, &email).map_err(ApiError::from)).await?;
    let account = match verify_off_thread(password, account).await? {
        (true, Some(account)) if account.can_act() => account,
        _ => {
            throttle.failed(&attempt);
            return Err(AuthError::InvalidCredentials);
        }
    };
    throttle.succeeded(&attempt);
    let (token, row) = new_refresh_row(state, &account.row.id, None);
    let user_id = account.row.id.clone();
    state
        .db
        .transaction(move |conn| -> Result<(), ApiError> {
            refresh::insert(conn, &row)?;
            Ok(accounts::touch_sign_in(conn, &user_id, now())?)
        })
        .await?;
    session(state, &account, token)
}

enum Rotation {
    Rotated(Box<UserAccount>, String),
    Reused,
    Ended,
}

/// Exchanges a refresh token for a new access token and a new refresh token.
pub async fn refresh(state: &AppState, presented: Option<String>) -> Result<Session, AuthError> {
    let presented = presented.ok_or(AuthError::SessionEnded)?;
    let (next_token, mut next_row) = new_refresh_row(state, "", None);
    // Decided and written in one transaction; a reuse still commits the revocation.
    let rotation = state
        .db
        .transaction(move |conn| -> Result<Rotation, ApiError> {
            let Some(current) = refresh::find_by_hash(conn, &password::sha256_hex(&presented))? else {
                return Ok(Rotation::Ended);
            };
            let at = now();
            if current.revoked_at.is_some() {
                return Ok(Rotation::Ended);
            }
            if current.used_at.is_some() || !refresh::mark_used(conn, &current.id, at)? {
                refresh::revoke_family(conn, &current.family_id, at)?;
                return Ok(Rotation::Reused);
            }
            if current.expires_at <= at {
                return Ok(Rotation::Ended);
            }
            let account = match accounts::find_user(conn, &current.user_id)? {
                Some(account) if account.can_act() => account,
                _ => {
                    refresh::revoke_family(conn, &current.family_id, at)?;
                    return Ok(Rotation::Ended);
                }
            };
            next_row.user_id = current.user_id.clone();
            next_row.family_id = current.family_id.clone();
            refresh::insert(conn, &next_row)?;
            Ok(Rotation::Rotated(Box::new(account), next_token))
        })
        .await?;
    match rotation {
        Rotation::Rotated(account, token) => session(state, &account, token),
        Rotation::Reused => {
            tracing::warn!("a used refresh token was presented again; its family was revoked");
            Err(AuthError::RefreshReused)
        }
        Rotation::Ended => Err(AuthError::SessionEnded),
    }
}

/// Ends the session the refresh token belongs to, if any.
pub async fn sign_out(state: &AppState, presented: Option<String>) -> Result<(), AuthError> {
    let Some(presented) = presented else { return Ok(()) };
    state
        .db
        .transaction(move |conn| -> Result<(), ApiError> {
            if let Some(current) = refresh::find_by_hash(conn, &password::sha256_hex(&presented))? {
                refresh::revoke_family(conn, &current.family_id, now())?;
            }
            Ok(())
        })
        .await?;
    Ok(())
}

/// Issues an access token to an API client (OAuth 2.0 client credentials).
pub async fn client_token(
    state: &AppState,
    throttle: &Throttle,
    grant_type: &str,
    client_id: &str,
    secret: &str,
    scope: Option<&str>,
    address: &str,
) -> Result<ClientTokenResponse, AuthError> {
    if grant_type != "client_credentials" {
        return Err(AuthError::UnsupportedGrantType);
    }
    let attempt = Attempt::new(client_id, address);
    throttle.check(&attempt)?;
    let lookup = client_id.to_owned();
    let client = state.db.run(move |conn| accounts::find_client_by_client_id(conn, &lookup).map_err(ApiError::from)).await?;
    let secret_hash = password::sha256_hex(secret);
    let Some(client) = client.filter(|c| c.active && crate::crypto::constant_time_eq(c.secret_hash.as_bytes(), secret_hash.as_bytes())) else {
        throttle.failed(&attempt);
        return Err(AuthError::InvalidClient);
    };
    throttle.succeeded(&attempt);
    let held = client.scopes();
    let granted: Vec<Scope> = match scope.map(str::trim).filter(|s| !s.is_empty()) {
        None => held,
        Some(asked) => asked
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(|code| Scope::from_code(code).filter(|s| held.contains(s)).ok_or(AuthError::InvalidScope))
            .collect::<Result<_, _>>()?,
    };
    let scope = accounts::scopes_text(&granted);
    let access_token = state.keys.issue(SubjectKind::Client, &client.id, client.organization_id.as_str(), Some(scope.clone()))?;
    let id = client.id.clone();
    state.db.run(move |conn| accounts::touch_client(conn, &id, now()).map_err(ApiError::from)).await?;
    Ok(ClientTokenResponse { access_token, token_type: "Bearer".into(), expires_in: state.keys.ttl_seconds(), scope })
}

/// The id of the caller's own user account: API clients have none.
fn own_account(principal: &Principal) -> Result<String, ApiError> {
    principal.authorize(Permission::OwnAccount)?;
    Ok(principal.user_id().ok_or_else(|| ApiError::forbidden("API clients have no user account"))?.to_owned())
}

/// The signed-in user's own account.
pub async fn current_user(state: &AppState, principal: &Principal) -> Result<Me, AuthError> {
    let user_id = own_account(principal)?;
    let account = state.db.run(move |conn| accounts::find_user(conn, &user_id).map_err(ApiError::from)).await?;
    account.map(|a| me(&a)).ok_or(AuthError::SessionEnded)
}

/// Changes one's own password; every other session of the user ends.
pub async fn change_password(state: &AppState, recent: &AccountCache, principal: &Principal, input: ChangePasswordRequest) -> Result<(), AuthError> {
    let user_id = own_account(principal)?;
    validate(&input)?;
    let ChangePasswordRequest { current_password: current, new_password: new } = input;
    let lookup = user_id.clone();
    let account = state.db.run(move |conn| accounts::find_user(conn, &lookup).map_err(ApiError::from)).await?;
    let (ok, _) = verify_off_thread(current, account).await?;
    if !ok {
        return Err(AuthError::WrongCurrentPassword);
    }
    let new_hash = tokio::task::spawn_blocking(move || password::hash(&new))
        .await
        .map_err(|e| AuthError::Api(ApiError::Internal(format!("hashing failed: {e}"))))?;
    state
        .db
        .transaction(move |conn| -> Result<(), ApiError> {
            let at = now();
            accounts::set_password(conn, &user_id, &new_hash, false, at)?;
            refresh::revoke_user(conn, &user_id, at)?;
            Ok(())
        })
        .await?;
    recent.forget_all();
    Ok(())
}
