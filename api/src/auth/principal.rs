//! The signed-in principal: a typed extractor that every protected endpoint takes.
//!
//! It verifies the bearer token, then reads the user or API client from the database,
//! so a deactivation, a role change or a revoked client takes effect on the very next
//! request. The organization and roles come from there — never from the request body.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use harbour_types::{Role, Scope};

use super::tokens::{Claims, SubjectKind, TokenKeys};
use crate::api_clients::repo as clients_repo;
use crate::error::ApiError;
use crate::state::AppState;
use crate::users::repo as users_repo;

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
    pub organization_id: String,
    /// The user or client.
    pub actor: Actor,
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

/// The verified claims of the request's bearer token. Verified once per request: the
/// rate limit, idempotency and the `Principal` extractor all ask, and the first answer is
/// kept in the request's extensions.
pub(crate) fn claims(req: &HttpRequest, keys: &TokenKeys) -> Result<Claims, ApiError> {
    if let Some(claims) = req.extensions().get::<Claims>() {
        return Ok(claims.clone());
    }
    let claims = keys.verify(&bearer(req)?)?;
    req.extensions_mut().insert(claims.clone());
    Ok(claims)
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthenticated("sign in first: no bearer token was sent"))?;
    let value = value.to_str().map_err(|_| ApiError::unauthenticated("the Authorization header is malformed"))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim().to_owned()),
        _ => Err(ApiError::unauthenticated("the Authorization header must be `Bearer <token>`")),
    }
}

impl FromRequest for Principal {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Principal, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let claims = state.as_ref().map(|state| claims(req, &state.keys));
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("application state is missing".into()))?;
            let claims = claims.unwrap_or_else(|| Err(ApiError::Internal("application state is missing".into())))?;
            let revoked = || ApiError::unauthenticated("the account is no longer active");
            match claims.kind {
                SubjectKind::User => {
                    let id = claims.sub.clone();
                    let account = state.db.run(move |conn| users_repo::find(conn, &id).map_err(ApiError::from)).await?;
                    let account = account.filter(|a| a.can_act() && a.row.organization_id == claims.org).ok_or_else(revoked)?;
                    Ok(Principal {
                        organization_id: account.row.organization_id,
                        actor: Actor::User { id: account.row.id, roles: account.roles, must_change_password: account.row.must_change_password },
                    })
                }
                SubjectKind::Client => {
                    let id = claims.sub.clone();
                    let client = state.db.run(move |conn| clients_repo::find(conn, &id).map_err(ApiError::from)).await?;
                    let client = client.filter(|c| c.active && c.organization_id == claims.org).ok_or_else(revoked)?;
                    let granted = claims.scope.unwrap_or_default();
                    // A scope removed from the client since the token was issued no longer counts.
                    let scopes = client.scopes().into_iter().filter(|s| granted.split(' ').any(|g| g == s.code())).collect();
                    Ok(Principal { organization_id: client.organization_id, actor: Actor::Client { id: client.id, scopes } })
                }
            }
        })
    }
}
