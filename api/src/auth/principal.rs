//! The signed-in principal: a typed extractor that every protected endpoint takes.
//!
//! It verifies the bearer token, then reads the user or API client from the database
//! (or from [`AccountCache`], at most `HARBOUR_ACCOUNT_CACHE_MS` old), so a deactivation,
//! a role change or a revoked client takes effect on the next request of the instance
//! that made it and within that bound on every other. The organization and roles come
//! from there — never from the request body.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use harbour_types::{OrganizationId, Role, Scope};

use super::accounts;
use crate::error::ApiError;
use crate::state::AppState;
use crate::tokens::{claims, Claims, SubjectKind};

/// Who is acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A person.
    User {
        /// The user's id.
        id: String,
        /// The user's current roles.
        roles: Vec<Role>,
        /// Set after an admin reset: only the user's own account may be used until changed.
        must_change_password: bool,
    },
    /// A partner system.
    Client {
        /// The API client's id.
        id: String,
        /// The scopes granted to this token (a subset of the client's current scopes).
        scopes: Vec<Scope>,
    },
}

/// An authenticated caller and the organization it acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The organization the caller belongs to or acts for.
    pub organization_id: OrganizationId,
    /// The user or client.
    pub actor: Actor,
    /// The user's display name or the client's name, as of the account cache: what a
    /// timeline shows for what it does (read with the account, not again per write).
    pub name: String,
}

impl Principal {
    /// The user's id, when the caller is a person.
    pub fn user_id(&self) -> Option<&str> {
        match &self.actor {
            Actor::User { id, .. } => Some(id),
            Actor::Client { .. } => None,
        }
    }
}

/// Accounts read recently, so the requests of a busy caller do not each read the same
/// user or client from the database: at the measured search rates that read was most of
/// a request's cost. An entry lives `HARBOUR_ACCOUNT_CACHE_MS` (1 s by default; 0 turns
/// the cache off), and every write that can take rights away (deactivating a user or an
/// organization, resetting or changing a password, revoking a client) empties the cache
/// of its own instance at once. Other instances notice when their entries expire.
#[derive(Debug, Default)]
pub struct AccountCache {
    entries: Mutex<HashMap<(SubjectKind, String), (Instant, Principal)>>,
}

impl AccountCache {
    /// More callers than this are not remembered at once: past it, expired entries go.
    const MAX_ENTRIES: usize = 10_000;

    fn get(&self, kind: SubjectKind, subject: &str, ttl: Duration) -> Option<Principal> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (read_at, principal) = entries.get(&(kind, subject.to_owned()))?;
        (read_at.elapsed() < ttl).then(|| principal.clone())
    }

    fn put(&self, kind: SubjectKind, subject: String, principal: Principal, ttl: Duration) {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= Self::MAX_ENTRIES {
            entries.retain(|_, (read_at, _)| read_at.elapsed() < ttl);
        }
        entries.insert((kind, subject), (Instant::now(), principal));
    }

    /// Forgets every account: call after any write that can take rights away.
    pub fn forget_all(&self) {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

/// The user or client behind verified claims, as the database has it now: `None` when
/// it no longer may act (deactivated, revoked, or moved to another organization). A
/// client's principal carries all its current scopes; the token narrows them.
async fn account(state: &AppState, recent: &AccountCache, claims: &Claims) -> Result<Option<Principal>, ApiError> {
    let ttl = Duration::from_millis(state.settings.account_cache_ms);
    if let Some(cached) = recent.get(claims.kind, &claims.sub, ttl) {
        return Ok(Some(cached));
    }
    let id = claims.sub.clone();
    let principal = match claims.kind {
        SubjectKind::User => state.db.run(move |conn| accounts::find_user(conn, &id).map_err(ApiError::from)).await?.filter(|a| a.can_act()).map(|account| Principal {
            organization_id: account.row.organization_id,
            name: account.row.display_name,
            actor: Actor::User { id: account.row.id, roles: account.roles, must_change_password: account.row.must_change_password },
        }),
        SubjectKind::Client => state.db.run(move |conn| accounts::find_client(conn, &id).map_err(ApiError::from)).await?.filter(|c| c.active).map(|client| Principal {
            actor: Actor::Client { scopes: client.scopes(), id: client.id },
            organization_id: client.organization_id,
            name: client.name,
        }),
    };
    if let Some(principal) = principal.as_ref().filter(|_| !ttl.is_zero()) {
        recent.put(claims.kind, claims.sub.clone(), principal.clone(), ttl);
    }
    Ok(principal)
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Principal, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let recent = req.app_data::<web::Data<AccountCache>>().cloned();
        let claims = state.as_ref().map(|state| claims(req, &state.keys));
        Box::pin(async move {
            let (Some(state), Some(recent)) = (state, recent) else { return Err(ApiError::Internal("application state is missing".into())) };
            let claims = claims.unwrap_or_else(|| Err(ApiError::Internal("application state is missing".into())))?;
            let mut principal = account(&state, &recent, &claims)
                .await?
                .filter(|p| p.organization_id.as_str() == claims.org)
                .ok_or_else(|| ApiError::unauthenticated("the account is no longer active"))?;
            if let Actor::Client { scopes, .. } = &mut principal.actor {
                // A scope removed from the client since the token was issued no longer counts.
                let granted = claims.scope.as_deref().unwrap_or_default();
                scopes.retain(|s| granted.split(' ').any(|g| g == s.code()));
            }
            Ok(principal)
        })
    }
}
