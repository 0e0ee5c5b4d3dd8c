//! Sign-in, refresh, sign-out, client tokens and one's own account.

use actix_web::cookie::{time, Cookie, SameSite};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use harbour_types::{ChangePasswordRequest, ClientTokenRequest, ClientTokenResponse, Me, Problem, SessionResponse, SignInRequest};

use super::{service, AccountCache, Principal, Throttle};
use crate::error::{validate, ApiError};
use crate::state::AppState;

/// The refresh cookie: httpOnly (no script can read it), Secure, SameSite=Strict, and
/// sent only to `/api/v1/auth`, so it rides on no other request.
const REFRESH_COOKIE: &str = "harbour_refresh";
const REFRESH_PATH: &str = "/api/v1/auth";

fn refresh_cookie(value: String, max_age_seconds: u64) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(REFRESH_PATH)
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(time::Duration::seconds(i64::try_from(max_age_seconds).unwrap_or(i64::MAX / 4)))
        .finish()
}

fn presented_refresh(req: &HttpRequest) -> Option<String> {
    req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()).filter(|v| !v.is_empty())
}

fn address(req: &HttpRequest) -> String {
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
}

fn session_response(state: &AppState, session: service::Session) -> HttpResponse {
    HttpResponse::Ok()
        .cookie(refresh_cookie(session.refresh_token, state.settings.refresh_token_ttl_seconds))
        .json(session.response)
}

/// Signs in with e-mail and password.
///
/// Returns a short-lived access token and sets the refresh token in an httpOnly
/// cookie. Repeated failures for one account or address are throttled (429).
#[utoipa::path(
    tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in", body = SessionResponse,
         headers(("Set-Cookie" = String, description = "The refresh token (httpOnly, Secure, SameSite=Strict, Path=/api/v1/auth)"))),
        (status = 401, description = "Wrong e-mail or password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/sign-in")]
pub async fn sign_in(state: web::Data<AppState>, throttle: web::Data<Throttle>, req: HttpRequest, body: web::Json<SignInRequest>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let body = body.into_inner();
    let session = service::sign_in(&state, &throttle, &body.email, body.password, &address(&req)).await?;
    Ok(session_response(&state, session))
}

/// Exchanges the refresh cookie for a new access token, rotating the refresh token.
///
/// A refresh token is single use: presenting one twice ends the session everywhere.
#[utoipa::path(
    tag = "auth",
    params(("harbour_refresh" = Option<String>, Cookie, description = "The refresh token cookie")),
    responses(
        (status = 200, description = "A new access token; the cookie holds the next refresh token", body = SessionResponse),
        (status = 401, description = "No session, or the session ended", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let session = service::refresh(&state, presented_refresh(&req)).await?;
    Ok(session_response(&state, session))
}

/// Signs out: ends the session of the refresh cookie and clears it.
#[utoipa::path(
    tag = "auth",
    params(("harbour_refresh" = Option<String>, Cookie, description = "The refresh token cookie")),
    responses((status = 204, description = "Signed out"))
)]
#[post("/auth/sign-out")]
pub async fn sign_out(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    service::sign_out(&state, presented_refresh(&req)).await?;
    Ok(HttpResponse::NoContent().cookie(refresh_cookie(String::new(), 0)).finish())
}

/// Issues an access token to a partner system (OAuth 2.0 client credentials, RFC 6749 §4.4).
#[utoipa::path(
    tag = "auth",
    request_body(content = ClientTokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "An access token", body = ClientTokenResponse),
        (status = 400, description = "Unsupported grant type", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong client id or secret", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A scope the client does not hold", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/token")]
pub async fn client_token(state: web::Data<AppState>, throttle: web::Data<Throttle>, req: HttpRequest, body: web::Form<ClientTokenRequest>) -> Result<web::Json<ClientTokenResponse>, ApiError> {
    let token = service::client_token(&state, &throttle, &body.grant_type, &body.client_id, &body.client_secret, body.scope.as_deref(), &address(&req)).await?;
    Ok(web::Json(token))
}

/// The signed-in user, their roles and organization.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "API clients have no user account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/me")]
pub async fn get_me(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<Me>, ApiError> {
    Ok(web::Json(service::current_user(&state, &principal).await?))
}

/// Changes one's own password. Every session of the user ends; sign in again.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The current password is wrong", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is too short or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/me/password")]
pub async fn change_password(state: web::Data<AppState>, recent: web::Data<AccountCache>, principal: Principal, body: web::Json<ChangePasswordRequest>) -> Result<HttpResponse, ApiError> {
    service::change_password(&state, &recent, &principal, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().cookie(refresh_cookie(String::new(), 0)).finish())
}
