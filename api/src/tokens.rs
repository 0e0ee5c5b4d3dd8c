//! Access tokens: HS256 JWTs with a key id, so keys can rotate. The algorithm is
//! pinned, and `iss`, `aud` and `exp` are required and checked.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest};
use harbour_types::ErrorCode;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::config::Settings;
use crate::error::ApiError;

/// Who a token was issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    /// A person, signed in with a password.
    User,
    /// A partner system, by client credentials.
    Client,
}

/// The claims of an access token. Roles are not in it: they are read from the
/// database on each request, so a change or a deactivation applies at once.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// The user's or API client's id.
    pub sub: String,
    /// User or client.
    pub kind: SubjectKind,
    /// The organization the subject acts for.
    pub org: String,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// Expires at (seconds since the epoch).
    pub exp: i64,
    /// A unique id for this token.
    pub jti: String,
    /// For clients: the space-separated scopes granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

/// The keys that sign new tokens and verify presented ones.
pub struct TokenKeys {
    current_kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
    issuer: String,
    ttl_seconds: u64,
}

impl TokenKeys {
    /// Keys from settings: the current key signs; it and the previous keys verify.
    pub fn from_settings(settings: &Settings) -> TokenKeys {
        let secret = settings.jwt_secret.expose_secret().as_bytes();
        let mut decoding = HashMap::from([(settings.jwt_key_id.clone(), DecodingKey::from_secret(secret))]);
        for pair in &settings.jwt_previous_keys {
            if let Some((kid, old)) = pair.split_once(':') {
                decoding.insert(kid.to_owned(), DecodingKey::from_secret(old.as_bytes()));
            }
        }
        TokenKeys {
            current_kid: settings.jwt_key_id.clone(),
            encoding: EncodingKey::from_secret(secret),
            decoding,
            issuer: settings.jwt_issuer.clone(),
            ttl_seconds: settings.access_token_ttl_seconds,
        }
    }

    /// Seconds an access token lives.
    pub fn ttl_seconds(&self) -> u64 {
        self.ttl_seconds
    }

    /// Signs a new access token for a subject.
    pub fn issue(&self, kind: SubjectKind, subject: &str, organization: &str, scope: Option<String>) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.issuer.clone(),
            sub: subject.to_owned(),
            kind,
            org: organization.to_owned(),
            iat: now,
            exp: now + i64::try_from(self.ttl_seconds).unwrap_or(i64::MAX / 2),
            jti: uuid::Uuid::new_v4().to_string(),
            scope,
        };
        let header = Header { kid: Some(self.current_kid.clone()), ..Header::new(Algorithm::HS256) };
        jsonwebtoken::encode(&header, &claims, &self.encoding).map_err(|e| ApiError::Internal(format!("signing a token: {e}")))
    }

    /// Verifies a presented token: known key id, HS256 only, issuer, audience, expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| ApiError::unauthenticated("the access token is malformed"))?;
        if header.alg != Algorithm::HS256 {
            return Err(ApiError::unauthenticated("the access token's algorithm is not accepted"));
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.decoding.get(kid))
            .ok_or_else(|| ApiError::unauthenticated("the access token's key is not known"))?;
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        jsonwebtoken::decode::<Claims>(token, key, &validation).map(|data| data.claims).map_err(|e| match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                ApiError::Unauthorized { code: ErrorCode::TokenExpired, detail: "the access token has expired".into() }
            }
            _ => ApiError::unauthenticated("the access token is not valid"),
        })
    }
}

/// The verified claims of the request's bearer token. Verified once per request: the
/// rate limit, idempotency and the `Principal` extractor all ask, and the first answer is
/// kept in the request's extensions.
pub fn claims(req: &HttpRequest, keys: &TokenKeys) -> Result<Claims, ApiError> {
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
