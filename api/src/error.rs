//! Errors as types, sent as RFC 9457 problem details.
//!
//! Domain services return their own error enums (`referrals::ReferralError`, …), which
//! say what went wrong in the domain's terms and convert into [`ApiError`]; everything that reaches HTTP becomes an [`ApiError`], whose `code` is stable
//! and translated by the SPA. [`finish_problem`] gives every error response — ours, and
//! actix's own 404/405/413 — the same `application/problem+json` body with the request
//! path and id. A 5xx logs its cause and sends a generic detail: internals never leak.

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use harbour_types::{ErrorCode, FieldError, Problem};

use crate::crypto::CryptoError;
use crate::db::DbError;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// An error that reaches the HTTP edge.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (bad JSON, wrong query string).
    #[error("{0}")]
    BadRequest(String),
    /// The body is well-formed but fields break rules.
    #[error("{} fields are not valid", .0.len())]
    Validation(Vec<FieldError>),
    /// No valid credentials were presented.
    #[error("{detail}")]
    Unauthorized { code: ErrorCode, detail: String },
    /// The caller is known but may not do this.
    #[error("{detail}")]
    Forbidden { code: ErrorCode, detail: String },
    /// Nothing here, or nothing the caller may know exists.
    #[error("{0}")]
    NotFound(String),
    /// The path exists, but not with this method.
    #[error("this endpoint does not accept this method")]
    MethodNotAllowed,
    /// `If-Match` names a version that is no longer current: someone else changed it.
    #[error("this record was changed by someone else since you read it: reload it and apply your change again")]
    PreconditionFailed,
    /// A change was sent without `If-Match`.
    #[error("send the record's ETag in If-Match, so that no change is silently lost")]
    PreconditionRequired,
    /// Dashboard filters that leave between 1 and 4 people: any figure would be about
    /// someone who could be recognized.
    #[error("fewer than 5 referrals match these filters, too few to show without identifying anyone: widen the period or the region")]
    PopulationTooSmall,
    /// The request conflicts with the current state.
    #[error("{detail}")]
    Conflict { code: ErrorCode, detail: String },
    /// The body's media type is not accepted.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The body is larger than allowed.
    #[error("the request body is too large")]
    PayloadTooLarge,
    /// Too many attempts; try again after the given seconds.
    #[error("too many attempts; try again in {retry_after} seconds")]
    TooManyRequests { retry_after: u64 },
    /// The database cannot be reached.
    #[error("the service is temporarily unavailable")]
    Unavailable(String),
    /// Anything else: a bug or an unexpected failure. The cause is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// A stable code for the kind of problem, the key the SPA translates.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Validation(_) => ErrorCode::Validation,
            ApiError::Unauthorized { code, .. } | ApiError::Forbidden { code, .. } | ApiError::Conflict { code, .. } => *code,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::PreconditionFailed => ErrorCode::StaleVersion,
            ApiError::PreconditionRequired => ErrorCode::IfMatchRequired,
            ApiError::PopulationTooSmall => ErrorCode::PopulationTooSmall,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The problem body, without the request's path and id (added by [`finish_problem`]).
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        let detail = match self {
            ApiError::Validation(errors) => format!("{} field(s) are not valid.", errors.len()),
            _ => self.to_string(),
        };
        Problem {
            problem_type: format!("urn:harbour:problem:{}", self.code().code()),
            title: title_of(status).to_owned(),
            status: status.as_u16(),
            detail: Some(detail),
            instance: None,
            code: self.code().code().to_owned(),
            request_id: None,
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
        }
    }

    /// A 403 for a caller whose role or organization does not allow this.
    pub fn forbidden(detail: impl Into<String>) -> ApiError {
        ApiError::Forbidden { code: ErrorCode::Forbidden, detail: detail.into() }
    }

    /// A 422 for one field, with a JSON pointer to it.
    pub fn invalid(pointer: &str, code: &str, message: &str) -> ApiError {
        ApiError::Validation(vec![FieldError { pointer: pointer.into(), code: code.into(), message: message.into() }])
    }

    /// A 401 for a missing, malformed or expired token.
    pub fn unauthenticated(detail: impl Into<String>) -> ApiError {
        ApiError::Unauthorized { code: ErrorCode::Unauthenticated, detail: detail.into() }
    }
}

/// For a domain's error enum with an `Api(ApiError)` variant: the database's and the
/// keyring's errors become that variant, so a service's `?` works on queries and transactions alike.
macro_rules! via_api_error {
    ($name:ident) => {
        impl From<$crate::db::DbError> for $name {
            fn from(e: $crate::db::DbError) -> Self {
                $name::Api(e.into())
            }
        }

        impl From<diesel::result::Error> for $name {
            fn from(e: diesel::result::Error) -> Self {
                $name::Api(e.into())
            }
        }

        impl From<$crate::crypto::CryptoError> for $name {
            fn from(e: $crate::crypto::CryptoError) -> Self {
                $name::Api(e.into())
            }
        }
    };
}
pub(crate) use via_api_error;

/// A seal that does not open, or a key that is missing: never the caller's fault.
impl From<CryptoError> for ApiError {
    fn from(e: CryptoError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Validation(_) | ApiError::PopulationTooSmall => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => tracing::error!(cause = %cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(cause = %cause, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        match self {
            ApiError::TooManyRequests { retry_after } => {
                response.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "5"));
            }
            ApiError::Unauthorized { .. } => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"harbour\""));
            }
            _ => {}
        }
        let mut response = response.finish();
        response.extensions_mut().insert(self.problem());
        response
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Query(q) => q.into(),
            other => ApiError::Unavailable(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound("not found".into()),
            // Two requests raced to create the same thing: the loser learns it exists.
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::Conflict { code: ErrorCode::AlreadyExists, detail: "a record with the same unique value already exists".into() }
            }
            Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => ApiError::NotFound("a record this refers to does not exist".into()),
            // The connection died under the query ("server closed the connection"), or before
            // it could be sent ("no connection to the server", a pooled connection whose
            // database went away): the database is unreachable, not Harbour broken.
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, info) => ApiError::Unavailable(info.message().to_owned()),
            // PostgreSQL cannot hold a NUL character in text: that is bad input, not our failure.
            Error::DatabaseError(_, info) if info.message().contains("0x00") => ApiError::BadRequest("text must not contain NUL characters (\\u0000)".into()),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<validator::ValidationErrors> for ApiError {
    fn from(errors: validator::ValidationErrors) -> Self {
        let mut fields = Vec::new();
        collect_field_errors(&errors, "", &mut fields);
        fields.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        ApiError::Validation(fields)
    }
}

/// Flattens validator's nested errors into JSON pointers (`/roles/0`, `/address/city`).
fn collect_field_errors(errors: &validator::ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let pointer = format!("{prefix}/{field}");
        match kind {
            ValidationErrorsKind::Field(list) => out.extend(list.iter().map(|e| FieldError {
                pointer: pointer.clone(),
                code: e.code.to_string(),
                message: e.message.as_ref().map(ToString::to_string).unwrap_or_else(|| default_message(&e.code)),
            })),
            ValidationErrorsKind::Struct(inner) => collect_field_errors(inner, &pointer, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect_field_errors(inner, &format!("{pointer}/{index}"), out);
                }
            }
        }
    }
}

fn default_message(code: &str) -> String {
    match code {
        "email" => "must be an e-mail address".into(),
        "url" => "must be an http or https URL".into(),
        "length" => "is too short or too long".into(),
        "range" => "is out of range".into(),
        "required" => "is required".into(),
        other => format!("breaks the rule `{other}`"),
    }
}

/// Validates a request body at the edge, turning rule breaks into a 422 problem.
pub fn validate<T: validator::Validate>(input: &T) -> Result<(), ApiError> {
    input.validate().map_err(ApiError::from)
}

fn title_of(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "The request is malformed",
        401 => "Sign-in is required",
        403 => "This is not allowed",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict with the current state",
        412 => "The record has changed",
        428 => "If-Match is required",
        413 => "The request is too large",
        415 => "Unsupported media type",
        422 => "The request is not valid",
        429 => "Too many requests",
        503 => "Temporarily unavailable",
        s if s >= 500 => "Something went wrong on our side",
        _ => status.canonical_reason().unwrap_or("Error"),
    }
}

/// The problem for an error response that carries none of ours (actix's own 404, 405, 413…).
pub fn problem_for_status(status: StatusCode) -> Problem {
    let code = match status.as_u16() {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        405 => ErrorCode::MethodNotAllowed,
        413 => ErrorCode::PayloadTooLarge,
        415 => ErrorCode::UnsupportedMediaType,
        s if s >= 500 => ErrorCode::Internal,
        _ => ErrorCode::Error,
    }
    .code();
    Problem {
        problem_type: format!("urn:harbour:problem:{code}"),
        title: title_of(status).to_owned(),
        status: status.as_u16(),
        detail: None,
        instance: None,
        code: code.to_owned(),
        request_id: None,
        errors: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError;
    use diesel::result::{DatabaseErrorKind, Error};

    use super::ApiError;

    /// A database that went away answers 503 "unavailable", however the driver noticed:
    /// `UnableToSendCommand` came from a pooled connection after an outage, and was a 500.
    #[test]
    fn a_lost_database_connection_is_unavailable_not_a_failure() {
        for kind in [DatabaseErrorKind::ClosedConnection, DatabaseErrorKind::UnableToSendCommand] {
            let error = ApiError::from(Error::DatabaseError(kind, Box::new("no connection to the server\n".to_owned())));
            assert_eq!(error.status_code().as_u16(), 503, "{error:?}");
        }
    }
}
