//! Prometheus metrics at `/metrics`: request latency by route, the database pool, the
//! webhook outbox's lag and the referrals overdue now. Labels are route patterns
//! (`/api/v1/referrals/{id}`), methods and status classes — never a concrete path, id or
//! anything about a participant — so the series are few and say nothing about anyone.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::Utc;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use harbour_types::Problem;

use crate::db::schema::{referrals, webhook_deliveries};
use crate::error::ApiError;
use crate::referrals::repo::AwaitingAnswer;
use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

#[derive(Debug, Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Request latencies, by (route pattern, method, status class).
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, &'static str), Histogram>>,
}

impl Metrics {
    /// Counts one request that took `seconds`.
    pub fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        let mut requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let histogram = requests.entry((route.to_owned(), method.to_owned(), class)).or_default();
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    fn render_requests(&self, out: &mut String) {
        let requests = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        out.push_str("# HELP harbour_http_request_duration_seconds Time to answer a request, by route pattern, method and status class.\n");
        out.push_str("# TYPE harbour_http_request_duration_seconds histogram\n");
        for ((route, method, class), h) in &requests {
            let labels = format!("route=\"{}\",method=\"{method}\",status=\"{class}\"", route.replace('\\', "\\\\").replace('"', "\\\""));
            for (count, bound) in h.buckets.iter().zip(BUCKETS) {
                let _ = writeln!(out, "harbour_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {count}");
            }
            let _ = writeln!(out, "harbour_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", h.count);
            let _ = writeln!(out, "harbour_http_request_duration_seconds_sum{{{labels}}} {}", h.sum);
            let _ = writeln!(out, "harbour_http_request_duration_seconds_count{{{labels}}} {}", h.count);
        }
    }
}

fn gauge(out: &mut String, name: &str, help: &str, value: impl std::fmt::Display) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
}

/// The metrics, in Prometheus' text format. When `HARBOUR_METRICS_TOKEN` is set, a scraper
/// must send it as a bearer token.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 401, description = "A token is configured and this is not it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(expected) = &state.settings.metrics_token {
        let given = req.headers().get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), secrecy::ExposeSecret::expose_secret(expected).as_bytes())) {
            return Err(ApiError::unauthenticated("send the metrics token as a bearer token"));
        }
    }
    let now = Utc::now().naive_utc();
    let (pending, oldest, overdue) = state
        .db
        .run(move |conn| {
            let (pending, oldest): (i64, Option<chrono::NaiveDateTime>) =
                webhook_deliveries::table.filter(webhook_deliveries::status.eq("pending")).select((count_star(), min(webhook_deliveries::created_at))).first(conn)?;
            let overdue: i64 =
                referrals::table.filter(AwaitingAnswer).filter(referrals::due_at.lt(now)).select(count_star()).first(conn)?;
            Ok::<_, ApiError>((pending, oldest, overdue))
        })
        .await?;
    let pool = state.db.pool_state();
    let mut out = String::new();
    state.metrics.render_requests(&mut out);
    gauge(&mut out, "harbour_db_pool_connections", "Database connections open.", pool.connections);
    gauge(&mut out, "harbour_db_pool_idle_connections", "Database connections open and idle.", pool.idle_connections);
    gauge(&mut out, "harbour_db_pool_max_connections", "The pool's size.", state.settings.database_pool_size);
    gauge(&mut out, "harbour_webhook_outbox_pending", "Webhook deliveries waiting to be made.", pending);
    let lag = oldest.map_or(0.0, |t| (now - t).num_milliseconds().max(0) as f64 / 1000.0);
    gauge(&mut out, "harbour_webhook_outbox_lag_seconds", "Age of the oldest webhook delivery still waiting.", lag);
    gauge(&mut out, "harbour_referrals_overdue", "Referrals waiting for an answer past their due time.", overdue);
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(out))
}

/// Compares without stopping at the first difference, so timing does not leak the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
