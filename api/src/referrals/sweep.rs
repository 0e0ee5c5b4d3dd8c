//! The referral sweep, on every instance: expires referrals nobody answered and reminds
//! both sides of overdue ones (claims keep instances from doing either twice).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::web;

use super::service;
use crate::state::AppState;

const REMINDER_SUBJECT: &str = "Harbour: a referral is waiting for an answer / une orientation attend une réponse";

/// Expires unanswered referrals and reminds both sides of overdue ones (in the timeline,
/// and by e-mail when an SMTP server is configured), every `referral_sweep_ms`.
pub fn spawn(state: web::Data<AppState>, stopped: Arc<AtomicBool>) {
    tokio::spawn(async move {
        // Checked at start-up (`Settings::check`), so a failure here cannot happen.
        let mailer = crate::mail::Mailer::new(state.settings.smtp_url.as_deref(), &state.settings.smtp_from, &state.settings.public_url).ok().flatten();
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(state.settings.referral_sweep_ms));
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            let expire_after = chrono::Duration::days(i64::from(state.settings.referral_expire_days));
            // A batch per transaction, until a batch is not full or the server is stopping
            // (the rest, if any, at the next tick or start).
            loop {
                let batch = service::EXPIRY_BATCH;
                match state.db.transaction(move |conn| service::expire_unanswered(conn, expire_after, batch)).await {
                    Ok(count) => {
                        if count > 0 {
                            tracing::info!(count, "expired unanswered referrals");
                        }
                        if i64::try_from(count).unwrap_or(i64::MAX) < batch || stopped.load(Ordering::SeqCst) {
                            break;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "expiring unanswered referrals failed");
                        break;
                    }
                }
            }
            let reminders = match state.db.transaction(service::claim_reminders).await {
                Ok(reminders) => reminders,
                Err(e) => {
                    tracing::warn!(error = %e, "finding overdue referrals failed");
                    continue;
                }
            };
            if let Some(mailer) = &mailer {
                for reminder in &reminders {
                    let link = mailer.link(&format!("/referrals/{}", reminder.referral_id));
                    if let Err(e) = mailer.send(&reminder.addresses, REMINDER_SUBJECT, &reminder.email(&link)).await {
                        tracing::warn!(error = %e, "a reminder e-mail was not sent");
                    }
                }
            }
        }
    });
}
