//! Sending due deliveries. Each instance claims a batch with a lease (on PostgreSQL with
//! `FOR UPDATE SKIP LOCKED`, so instances never take the same row; on SQLite the one
//! write lock does it), attempts each once, and records the outcome only while it still
//! holds the lease. A crashed instance's lease runs out and another retries.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::web;
use chrono::{Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};
use harbour_types::DeliveryStatus;
use rand::Rng as _;

use super::outbox::DeliveryRow;
use crate::db::schema::{webhook_deliveries, webhook_subscriptions};
use crate::crypto::webhook_signature as signature;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

/// How long a claim holds a delivery: longer than an attempt can take.
const LEASE: Duration = Duration::seconds(60);
/// Deliveries claimed at once by one instance.
const BATCH: i64 = 20;

/// When to try again after `attempts` failures: exponential from `base`, with up to 50%
/// jitter so that many failed deliveries do not all return at once.
fn backoff(base: std::time::Duration, attempts: i32) -> Duration {
    let base = Duration::from_std(base).unwrap_or(Duration::seconds(10));
    let exponential = base * 2_i32.saturating_pow(u32::try_from(attempts.clamp(0, 16)).unwrap_or(0));
    let jitter = rand::thread_rng().gen_range(0..=exponential.num_milliseconds().max(1) / 2);
    exponential + Duration::milliseconds(jitter)
}

/// Claims due deliveries for `lease_id`, returning them with their subscriptions' URL and sealed secret.
fn claim(conn: &mut DbConn, lease_id: &str) -> QueryResult<Vec<(DeliveryRow, String, String)>> {
    let now = Utc::now().naive_utc();
    let until = now + LEASE;
    match conn {
        DbConn::Postgresql(pg) => {
            diesel::sql_query(
                "UPDATE webhook_deliveries SET locked_by = $1, locked_until = $2 WHERE id IN (\
                 SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $3 \
                 AND (locked_until IS NULL OR locked_until < $3) ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)",
            )
            .bind::<Text, _>(lease_id)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(BATCH)
            .execute(pg)?;
        }
        DbConn::Sqlite(lite) => {
            diesel::sql_query(
                "UPDATE webhook_deliveries SET locked_by = ?, locked_until = ? WHERE id IN (\
                 SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? \
                 AND (locked_until IS NULL OR locked_until < ?) ORDER BY next_attempt_at LIMIT ?)",
            )
            .bind::<Text, _>(lease_id)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(BATCH)
            .execute(lite)?;
        }
    }
    webhook_deliveries::table
        .inner_join(webhook_subscriptions::table)
        .filter(webhook_deliveries::locked_by.eq(lease_id))
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.code()))
        .select((DeliveryRow::as_select(), webhook_subscriptions::url, webhook_subscriptions::secret_sealed))
        .load(conn)
}

/// What one attempt came to.
struct Attempt {
    status_code: Option<i32>,
    error: Option<String>,
}

/// Sends one delivery.
async fn attempt(client: &reqwest::Client, url: &str, secret: &str, delivery: &DeliveryRow) -> Attempt {
    let timestamp = Utc::now().timestamp();
    let Some(signed) = signature(secret, &delivery.id, timestamp, &delivery.payload) else {
        return Attempt { status_code: None, error: Some("the subscription's secret is unusable".into()) };
    };
    let sent = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &delivery.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signed)
        .body(delivery.payload.clone())
        .send()
        .await;
    match sent {
        Ok(response) if response.status().is_success() => Attempt { status_code: Some(i32::from(response.status().as_u16())), error: None },
        Ok(response) => Attempt { status_code: Some(i32::from(response.status().as_u16())), error: Some(format!("answered {}", response.status())) },
        Err(e) => Attempt { status_code: None, error: Some(if e.is_timeout() { "timed out".into() } else { "could not connect".into() }) },
    }
}

/// Claims and sends what is due; returns how many attempts were made.
pub async fn run_once(state: &AppState, client: &reqwest::Client) -> Result<usize, ApiError> {
    let lease_id = uuid::Uuid::new_v4().to_string();
    let claimed = {
        let lease_id = lease_id.clone();
        state.db.transaction(move |conn| claim(conn, &lease_id).map_err(ApiError::from)).await?
    };
    let count = claimed.len();
    for (delivery, url, sealed) in claimed {
        let secret = state.keyring.open(&sealed, &super::secret_aad(&delivery.subscription_id)).ok().and_then(|s| String::from_utf8(s).ok()).unwrap_or_default();
        let outcome = attempt(client, &url, &secret, &delivery).await;
        let attempts = delivery.attempts + 1;
        let now = Utc::now().naive_utc();
        let (status, next) = match (&outcome.error, attempts >= state.settings.webhook_max_attempts) {
            (None, _) => (DeliveryStatus::Delivered, delivery.next_attempt_at),
            (Some(_), true) => (DeliveryStatus::Failed, delivery.next_attempt_at),
            (Some(_), false) => (DeliveryStatus::Pending, now + backoff(state.settings.webhook_retry_base(), delivery.attempts)),
        };
        let (id, lease) = (delivery.id.clone(), lease_id.clone());
        state
            .db
            .run(move |conn| {
                // Only while this instance still holds the lease.
                diesel::update(webhook_deliveries::table.find(&id).filter(webhook_deliveries::locked_by.eq(&lease)))
                    .set((
                        webhook_deliveries::status.eq(status.code()),
                        webhook_deliveries::attempts.eq(attempts),
                        webhook_deliveries::next_attempt_at.eq(next),
                        webhook_deliveries::last_status_code.eq(outcome.status_code),
                        webhook_deliveries::last_error.eq(outcome.error),
                        webhook_deliveries::delivered_at.eq((status == DeliveryStatus::Delivered).then_some(now)),
                        webhook_deliveries::locked_by.eq(None::<String>),
                        webhook_deliveries::locked_until.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(conn)
                    .map_err(ApiError::from)
            })
            .await?;
    }
    Ok(count)
}

/// Sends due webhook deliveries, on every instance (claims keep them from colliding).
pub fn spawn(state: web::Data<AppState>, stopped: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let client = match reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).redirect(reqwest::redirect::Policy::none()).build() {
            Ok(client) => client,
            Err(e) => return tracing::error!(error = %e, "webhooks cannot be sent: no HTTP client"),
        };
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(state.settings.webhook_poll_ms));
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            if let Err(e) = run_once(&state, &client).await {
                tracing::warn!(error = %e, "sending webhooks failed");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_jitters_within_half() {
        let base = std::time::Duration::from_secs(10);
        for attempts in 0..6 {
            let wait = backoff(base, attempts).num_milliseconds();
            let floor = 10_000 * 2_i64.pow(u32::try_from(attempts).unwrap_or(0));
            assert!((floor..=floor + floor / 2).contains(&wait), "{attempts}: {wait}");
        }
    }
}
