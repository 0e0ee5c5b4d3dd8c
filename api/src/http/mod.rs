//! Cross-cutting HTTP concerns: the request id and access log, response headers, every
//! error response as a problem document (extractors' refusals included), CORS, CSV, and
//! newline-delimited JSON ([`ndjson`]).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::error::{JsonPayloadError, QueryPayloadError, UrlencodedError};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{Error, HttpMessage, HttpRequest};
use harbour_types::Problem;
use tracing::Instrument;

use crate::error::{problem_for_status, ApiError, PROBLEM_JSON};

mod allow;
pub use allow::AllowedMethods;
pub mod ndjson;

/// The id of the current request: taken from a well-formed `X-Request-Id` header
/// (so a proxy's id carries through) or made up, echoed back and in every log line.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The SPA's Content-Security-Policy: its own scripts and wasm only, nothing inline, no framing.
const SPA_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn incoming_id(req: &ServiceRequest) -> Option<String> {
    let value = req.headers().get(&X_REQUEST_ID)?.to_str().ok()?;
    let sane = !value.is_empty() && value.len() <= 64 && value.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    sane.then(|| value.to_owned())
}

/// Wraps every request: assigns its id, logs one line when it ends, and sets headers.
///
/// The log line holds the matched route pattern (`/api/v1/users/{id}`), never the
/// concrete path or query, so no identifier of anyone reaches the logs.
pub async fn request_context(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = incoming_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let is_api = req.path().starts_with("/api/");
    let is_asset = req.path().starts_with("/assets/");
    let is_docs = req.path().starts_with("/docs");
    // Behind a TLS-terminating proxy, X-Forwarded-Proto says so.
    let over_tls = req.connection_info().scheme() == "https";
    let span = tracing::info_span!("request", request_id = %id, method = %method);
    let started = Instant::now();
    let mut res = next.call(req).instrument(span.clone()).await?;
    let route = res.request().match_pattern().unwrap_or_else(|| "(unmatched)".into());
    let elapsed = started.elapsed();
    span.in_scope(|| {
        tracing::info!(route = %route, status = res.status().as_u16(), elapsed_ms = elapsed.as_millis() as u64, "request");
    });
    if !is_asset {
        if let Some(state) = res.request().app_data::<actix_web::web::Data<crate::state::AppState>>() {
            state.metrics.observe(&route, &method, res.status().as_u16(), elapsed.as_secs_f64());
        }
    }
    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(X_REQUEST_ID, value);
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if over_tls {
        headers.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    if !is_docs {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(SPA_CSP));
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        let policy = if is_asset {
            // Assets live under a content hash: a new build gets a new path.
            "public, max-age=31536000, immutable"
        } else if is_api {
            "no-store"
        } else {
            "no-cache"
        };
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    }
    Ok(res)
}

/// The ETag of a versioned record: its version, quoted.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// A JSON response carrying the record's version as its ETag.
pub fn with_etag<T: serde::Serialize>(mut response: actix_web::HttpResponseBuilder, version: i32, body: &T) -> actix_web::HttpResponse {
    response.insert_header((header::ETAG, etag(version))).json(body)
}

/// The version a write expects, from `If-Match`: 428 when it is missing, so that a
/// client that never read the record cannot overwrite someone else's change.
pub fn expected_version(req: &actix_web::HttpRequest) -> Result<i32, ApiError> {
    let value = req.headers().get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let text = value.to_str().map_err(|_| ApiError::BadRequest("If-Match is malformed".into()))?.trim();
    // A weak validator (W/"3") names the same version here: versions are exact.
    let text = text.strip_prefix("W/").unwrap_or(text);
    text.trim_matches('"').parse().map_err(|_| ApiError::PreconditionFailed)
}

/// Cross-origin access for the configured partner origins only. Other origins get no
/// CORS headers (so their pages cannot read any answer); same-origin requests, the app's
/// own, need none.
pub fn cors(origins: &[String]) -> actix_cors::Cors {
    let cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::IF_MATCH, HeaderName::from_static("idempotency-key")])
        .expose_headers([header::ETAG, header::LOCATION, header::RETRY_AFTER, X_REQUEST_ID])
        .max_age(600)
        .block_on_origin_mismatch(false);
    origins.iter().fold(cors, |cors, origin| cors.allowed_origin(origin))
}

/// A CSV file as a download named `filename`.
pub fn csv_download(filename: &str, body: String) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .body(body)
}

/// One CSV (RFC 4180) line, ending in CRLF: fields quoted when they need it, and
/// spreadsheet formulas defused (a name starting with `=` must not run when the file is opened).
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|field| {
            let value = field.as_ref();
            let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_owned() };
            if value.contains([',', '"', '\r', '\n']) {
                format!("\"{}\"", value.replace('"', "\"\""))
            } else {
                value
            }
        })
        .collect();
    format!("{}\r\n", quoted.join(","))
}

/// Gives every 4xx/5xx response one problem+json body, with the request path and id, and
/// every 405 its `Allow` header.
/// Registered as the default handler of `ErrorHandlers`, so nothing escapes it.
pub fn finish_problem<B: MessageBody + 'static>(mut res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    if res.status() == actix_web::http::StatusCode::METHOD_NOT_ALLOWED && !res.headers().contains_key(header::ALLOW) {
        let allowed = res.request().app_data::<actix_web::web::Data<AllowedMethods>>().map(|a| a.at(res.request().path())).unwrap_or_default();
        if let Ok(allow) = HeaderValue::from_str(&allowed) {
            res.headers_mut().insert(header::ALLOW, allow);
        }
    }
    let already_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if already_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let mut problem = res.response().extensions().get::<Problem>().cloned().unwrap_or_else(|| problem_for_status(status));
    problem.instance = Some(res.request().path().to_owned());
    problem.request_id = res.request().extensions().get::<RequestId>().map(|id| id.0.clone());
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let (req, mut response) = res.into_parts();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let response = response.set_body(body).map_into_boxed_body();
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response).map_into_right_body()))
}

/// serde's messages can quote the offending input, which might be participant data:
/// only a missing field's name is passed on.
pub fn json_error(err: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    let api = match &err {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType("send the body as application/json".into()),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        JsonPayloadError::Deserialize(e) if e.is_data() => match e.to_string().strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            Some(field) => ApiError::Validation(vec![harbour_types::FieldError {
                pointer: format!("/{field}"),
                code: "required".into(),
                message: "is required".into(),
            }]),
            None => ApiError::Validation(vec![harbour_types::FieldError {
                pointer: String::new(),
                code: "type".into(),
                message: format!("a field has the wrong type or value (line {}, column {})", e.line(), e.column()),
            }]),
        },
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("the body is not valid JSON (line {}, column {})", e.line(), e.column())),
        _ => ApiError::BadRequest("the body could not be read".into()),
    };
    api.into()
}

pub fn form_error(err: UrlencodedError, _: &HttpRequest) -> actix_web::Error {
    match err {
        UrlencodedError::ContentType => ApiError::UnsupportedMediaType("send the body as application/x-www-form-urlencoded".into()),
        UrlencodedError::Overflow { .. } => ApiError::PayloadTooLarge,
        _ => ApiError::BadRequest("the form body is missing fields or malformed".into()),
    }
    .into()
}

pub fn query_error(_: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest("the query string is not valid".into()).into()
}

/// A list request's paging as asked, refused when outside its documented range (a page
/// from 1, 1 to 100 per page) rather than quietly clamped: a caller asking for 500 a page
/// would otherwise take 100 for the end of the list.
pub fn checked_page(request: harbour_types::PageRequest) -> Result<harbour_types::PageRequest, ApiError> {
    if request.page == Some(0) {
        return Err(ApiError::invalid("/page", "range", "pages are numbered from 1"));
    }
    if request.per_page.is_some_and(|n| !(1..=harbour_types::PageRequest::MAX_PER_PAGE).contains(&n)) {
        return Err(ApiError::invalid("/per_page", "range", &format!("1 to {} items per page", harbour_types::PageRequest::MAX_PER_PAGE)));
    }
    Ok(request)
}

/// Route macros register method-guarded resources, so a wrong method falls through
/// to here with a path that does exist: that is a 405, not a 404.
pub async fn unknown_route(req: HttpRequest) -> Result<actix_web::HttpResponse, ApiError> {
    if req.resource_map().has_resource(req.path()) {
        Err(ApiError::MethodNotAllowed)
    } else {
        Err(ApiError::NotFound("there is no such endpoint".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::csv_line;

    #[test]
    fn csv_fields_are_quoted_and_formulas_defused() {
        assert_eq!(csv_line(&["plain", "a, b", "say \"hi\"", "=HYPERLINK(1)"]), "plain,\"a, b\",\"say \"\"hi\"\"\",'=HYPERLINK(1)\r\n");
    }
}
