//! Per-caller request limits on the API: each signed-in person, each partner system and
//! each address without a valid token may make `HARBOUR_RATE_LIMIT_PER_MINUTE` requests a
//! minute; the next one gets 429 with `Retry-After`. One caller flooding the API cannot
//! starve the outreach workers using it. Kept in memory: each instance applies it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, ResponseError};

use crate::error::ApiError;
use crate::state::AppState;

const WINDOW: Duration = Duration::from_secs(60);

/// Requests counted per caller in the current minute.
#[derive(Debug, Default)]
pub struct RateLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// Counts a request of `caller`; refuses it, with the seconds until the caller's
    /// minute ends, beyond `per_minute`.
    pub fn admit(&self, caller: String, per_minute: u32, now: Instant) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() > 100_000 {
            windows.retain(|_, (started, _)| now.duration_since(*started) < WINDOW);
        }
        let (started, count) = windows.entry(caller).or_insert((now, 0));
        if now.duration_since(*started) >= WINDOW {
            (*started, *count) = (now, 0);
        }
        *count += 1;
        if *count <= per_minute {
            return Ok(());
        }
        Err(WINDOW.saturating_sub(now.duration_since(*started)).as_secs().max(1))
    }
}

/// The middleware: API requests only, keyed by the verified token's subject or else the
/// peer address (not a forwarded one, which a caller could vary at will).
pub async fn limit(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let Some(state) = state.filter(|s| s.settings.rate_limit_per_minute > 0 && req.path().starts_with("/api/")) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let caller = match crate::tokens::claims(req.request(), &state.keys) {
        Ok(claims) => format!("{:?}:{}", claims.kind, claims.sub),
        Err(_) => format!("address:{}", req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()),
    };
    let Some(limiter) = req.app_data::<web::Data<RateLimiter>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    if let Err(retry_after) = limiter.admit(caller, state.settings.rate_limit_per_minute, Instant::now()) {
        let response = ApiError::TooManyRequests { retry_after }.error_response();
        return Ok(req.into_response(response));
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_gets_its_quota_each_minute() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limiter.admit("a".into(), 3, start).is_ok());
        }
        assert_eq!(limiter.admit("a".into(), 3, start + Duration::from_secs(20)), Err(40));
        assert!(limiter.admit("b".into(), 3, start).is_ok(), "callers are counted apart");
        assert!(limiter.admit("a".into(), 3, start + WINDOW).is_ok(), "a new minute, a new quota");
    }
}
