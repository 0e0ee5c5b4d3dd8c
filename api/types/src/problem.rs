//! RFC 9457 problem details, the body of every error response.

use serde::{Deserialize, Serialize};

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
