//! `Idempotency-Key` on POST: a request sent again with the same key — a phone retrying
//! after losing its signal — gets the first response back instead of acting twice; the
//! same key with a different body is a 422.
//!
//! Keys belong to the signed-in subject (user or API client) that sent them, so one
//! caller's key never replays another's response. Only successful responses are kept
//! (a refused request did nothing, so it may be retried as it is or corrected), for a
//! day, with their bodies sealed: a response may hold participant data. While the first
//! request is in flight, a second one with its key gets a 409.

use actix_web::body::{to_bytes, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage as _, HttpResponse, ResponseError};
use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use futures_util::StreamExt as _;
use harbour_types::ErrorCode;
use sha2::{Digest, Sha256};

use crate::db::schema::idempotency_records;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");
/// How long a kept response can be replayed.
const KEEP_FOR: Duration = Duration::hours(24);
/// A first request still "in flight" after this long died with its process: its key is free.
const ABANDONED_AFTER: Duration = Duration::minutes(2);
/// The largest body read here: the largest any endpoint accepts (a consent with its evidence).
const MAX_BODY: usize = 8 * 1024 * 1024;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_records)]
struct Record {
    scope: String,
    key: String,
    request_hash: String,
    status: i32,
    content_type: Option<String>,
    etag: Option<String>,
    body_sealed: Option<String>,
    created_at: NaiveDateTime,
    /// The request that first used the key, by which an erasure finds the responses kept
    /// about its participant (the audit trail names the request).
    request_id: Option<String>,
}

/// What to do with a request that carries a key.
enum Claim {
    /// The key is new (or free again): handle the request and keep its response.
    Fresh,
    /// The same request was answered before: send that answer again.
    Replay(Record),
}

/// The middleware. Requests without the header, other methods, and callers without a
/// valid bearer token (their request fails anyway, or signs in) pass straight through.
pub async fn idempotency(mut req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req.headers().get(&IDEMPOTENCY_KEY).map(|v| v.to_str().map(str::to_owned));
    let (Some(key), true) = (key, req.method() == Method::POST && req.path().starts_with("/api/")) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let key = match key {
        Ok(k) if !k.is_empty() && k.len() <= 200 && k.bytes().all(|b| b.is_ascii_graphic()) => k,
        _ => return Ok(refuse(req, ApiError::BadRequest("Idempotency-Key must be 1 to 200 visible ASCII characters".into()))),
    };
    let subject = crate::tokens::claims(req.request(), &state.keys);
    let Ok(claims) = subject else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let scope = format!("{:?}:{}", claims.kind, claims.sub);

    let mut body = web::BytesMut::new();
    let mut payload = req.take_payload();
    while let Some(chunk) = payload.next().await {
        body.extend_from_slice(&chunk?);
        if body.len() > MAX_BODY {
            return Ok(refuse(req, ApiError::PayloadTooLarge));
        }
    }
    let body = body.freeze();
    let hash = request_hash(req.method().as_str(), &req.uri().to_string(), &body);

    let request_id = req.extensions().get::<crate::http::RequestId>().map(|id| id.0.clone());
    let claim = {
        let (scope, key, hash) = (scope.clone(), key.clone(), hash.clone());
        state.db.transaction(move |conn| claim(conn, &scope, &key, &hash, request_id)).await
    };
    match claim {
        Err(e) => return Ok(refuse(req, e)),
        Ok(Claim::Replay(record)) => return Ok(replay(req, &state, &record)),
        Ok(Claim::Fresh) => {}
    }

    req.set_payload(actix_web::dev::Payload::from(body));
    let response = next.call(req).await;
    let response = match response {
        Ok(r) if r.status().is_success() => r,
        other => {
            forget(&state, scope, key).await;
            return other.map(ServiceResponse::map_into_boxed_body);
        }
    };
    let (request, response) = response.into_parts();
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let etag = response.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (mut head, body) = response.into_parts();
    let bytes = match to_bytes(body).await {
        Ok(bytes) => bytes,
        Err(_) => {
            forget(&state, scope, key).await;
            return Ok(ServiceResponse::new(request, ApiError::Internal("a response body could not be read".into()).error_response()));
        }
    };
    let sealed = state.keyring.seal(&bytes, &aad(&scope, &key));
    let kept = state
        .db
        .run(move |conn| {
            diesel::update(idempotency_records::table.find((&scope, &key)))
                .set((
                    idempotency_records::status.eq(i32::from(status.as_u16())),
                    idempotency_records::content_type.eq(content_type),
                    idempotency_records::etag.eq(etag),
                    idempotency_records::body_sealed.eq(sealed),
                ))
                .execute(conn)
                .map_err(ApiError::from)
        })
        .await;
    if let Err(e) = kept {
        // The work is done and committed; the caller gets its answer, a retry would act again.
        tracing::warn!(error = %e, "an idempotent response could not be kept");
    }
    head.headers_mut().remove(header::CONTENT_LENGTH);
    Ok(ServiceResponse::new(request, head.set_body(bytes).map_into_boxed_body()))
}

/// Takes the key for this request, or finds what it was used for.
fn claim(conn: &mut DbConn, scope: &str, key: &str, hash: &str, request_id: Option<String>) -> Result<Claim, ApiError> {
    let now = Utc::now().naive_utc();
    diesel::delete(idempotency_records::table.filter(idempotency_records::created_at.lt(now - KEEP_FOR))).execute(conn)?;
    let existing = idempotency_records::table.find((scope, key)).select(Record::as_select()).first(conn).optional()?;
    match existing {
        Some(record) if record.request_hash != hash => Err(ApiError::Validation(vec![harbour_types::FieldError {
            pointer: String::new(),
            code: "idempotency_key_reused".into(),
            message: "this Idempotency-Key was used for a different request: use a new key".into(),
        }])),
        Some(record) if record.status != 0 => Ok(Claim::Replay(record)),
        Some(record) if record.created_at > now - ABANDONED_AFTER => {
            Err(ApiError::Conflict { code: ErrorCode::IdempotencyInProgress, detail: "the first request with this Idempotency-Key is still being handled: retry in a moment".into() })
        }
        abandoned => {
            if abandoned.is_some() {
                diesel::delete(idempotency_records::table.find((scope, key))).execute(conn)?;
            }
            let record = Record {
                scope: scope.to_owned(),
                key: key.to_owned(),
                request_hash: hash.to_owned(),
                status: 0,
                content_type: None,
                etag: None,
                body_sealed: None,
                created_at: now,
                request_id,
            };
            diesel::insert_into(idempotency_records::table).values(&record).execute(conn)?;
            Ok(Claim::Fresh)
        }
    }
}

/// Frees a key whose request did not succeed, so it can be retried.
async fn forget(state: &AppState, scope: String, key: String) {
    let freed = state.db.run(move |conn| diesel::delete(idempotency_records::table.find((&scope, &key))).execute(conn).map_err(ApiError::from)).await;
    if let Err(e) = freed {
        tracing::warn!(error = %e, "an idempotency key could not be freed");
    }
}

fn replay(req: ServiceRequest, state: &AppState, record: &Record) -> ServiceResponse<BoxBody> {
    let body = record.body_sealed.as_deref().map(|sealed| state.keyring.open(sealed, &aad(&record.scope, &record.key)));
    let Some(Ok(body)) = body else {
        return refuse(req, ApiError::Internal("a kept response could not be opened".into()));
    };
    let status = u16::try_from(record.status).ok().and_then(|s| StatusCode::from_u16(s).ok()).unwrap_or(StatusCode::OK);
    let mut response = HttpResponse::build(status);
    response.insert_header((REPLAYED, HeaderValue::from_static("true")));
    if let Some(content_type) = &record.content_type {
        response.insert_header((header::CONTENT_TYPE, content_type.as_str()));
    }
    if let Some(etag) = &record.etag {
        response.insert_header((header::ETAG, etag.as_str()));
    }
    req.into_response(response.body(body))
}

fn refuse(req: ServiceRequest, error: ApiError) -> ServiceResponse<BoxBody> {
    req.into_response(error.error_response())
}

fn aad(scope: &str, key: &str) -> String {
    format!("idempotency/{scope}/{key}")
}

fn request_hash(method: &str, uri: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update([0]);
    hasher.update(uri.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
