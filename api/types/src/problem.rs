//! RFC 9457 problem details, the body of every error response.

use serde::{Deserialize, Serialize};

code_enum! {
    /// The `code` of a problem: why a request failed, the key the app translates. The
    /// server answers with these; the app adds its own two (`offline`, `bad_response`).
    ErrorCode {
        /// The request is malformed.
        BadRequest = "bad_request",
        /// Fields of the body break rules (see `errors`).
        Validation = "validation",
        /// No valid access token.
        Unauthenticated = "unauthenticated",
        /// The access token has expired: refresh it.
        TokenExpired = "token_expired",
        /// The session is over: sign in again.
        SessionEnded = "session_ended",
        /// A refresh token was used twice: every session of the user ended.
        RefreshReused = "refresh_reused",
        /// Wrong e-mail or password.
        InvalidCredentials = "invalid_credentials",
        /// Wrong client id or secret.
        InvalidClient = "invalid_client",
        /// The role or organization does not allow this.
        Forbidden = "forbidden",
        /// A new password must be chosen first.
        PasswordChangeRequired = "password_change_required",
        /// A scope the client does not hold.
        InvalidScope = "invalid_scope",
        /// The current password given is wrong.
        WrongCurrentPassword = "wrong_current_password",
        /// A role the caller may not grant.
        RoleNotGrantable = "role_not_grantable",
        /// Nothing here the caller may see.
        NotFound = "not_found",
        /// The path exists, not with this method.
        MethodNotAllowed = "method_not_allowed",
        /// `If-Match` names a version changed since.
        StaleVersion = "stale_version",
        /// A change was sent without `If-Match`.
        IfMatchRequired = "if_match_required",
        /// Too few people for a figure to be shown.
        PopulationTooSmall = "population_too_small",
        /// A record with the same unique value exists.
        AlreadyExists = "already_exists",
        /// The consent is revoked already.
        AlreadyRevoked = "already_revoked",
        /// The consent is not active.
        ConsentNotActive = "consent_not_active",
        /// No active consent allows this sharing.
        ConsentRequired = "consent_required",
        /// The record changed while this was done: do it again.
        ChangedMeanwhile = "changed_meanwhile",
        /// A record changed during key rotation: run it again.
        ChangedDuringRotation = "changed_during_rotation",
        /// One cannot deactivate one's own account.
        CannotDeactivateSelf = "cannot_deactivate_self",
        /// This step is not allowed from the current status.
        IllegalTransition = "illegal_transition",
        /// The first request with this Idempotency-Key is still being handled.
        IdempotencyInProgress = "idempotency_in_progress",
        /// The body's media type is not accepted.
        UnsupportedMediaType = "unsupported_media_type",
        /// The body is too large.
        PayloadTooLarge = "payload_too_large",
        /// Too many requests or attempts: wait.
        TooManyRequests = "too_many_requests",
        /// The service is temporarily unavailable.
        Unavailable = "unavailable",
        /// A failure on the server's side.
        Internal = "internal",
        /// Any other failure.
        Error = "error",
        /// The app's own: no answer from the server.
        Offline = "offline",
        /// The app's own: an answer it could not read.
        BadResponse = "bad_response",
    }
}

/// An RFC 9457 problem details object (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(example = json!({
    "type": "urn:harbour:problem:validation",
    "title": "The request is not valid",
    "status": 422,
    "detail": "2 fields are not valid.",
    "instance": "/api/v1/auth/sign-in",
    "code": "validation",
    "request_id": "3f1c4c1e-6d3a-4b8e-9f57-1a2b3c4d5e6f",
    "errors": [{"pointer": "/email", "code": "email", "message": "must be an e-mail address"}]
})))]
pub struct Problem {
    /// A URI identifying the kind of problem; stable, one per `code`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// A short summary of the kind of problem, in English.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong in this occurrence, in English. Never holds participant data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request path this problem occurred on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// A stable machine-readable code, which the SPA translates.
    pub code: String,
    /// The id of the request, also in the `X-Request-Id` header and in the server's logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For validation problems: one entry per invalid field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

/// One invalid field of a request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// A JSON pointer (RFC 6901) to the field in the request body.
    pub pointer: String,
    /// A stable code for the rule the field broke (`required`, `email`, `length`, …).
    pub code: String,
    /// A human-readable explanation, in English.
    pub message: String,
}
