//! Reminders of what is due, on every instance: when the current revision of a safety
//! plan reaches its review date, its participant's primary contact (else whoever wrote
//! the revision) gets one e-mail, once, whichever instance claims it. It names no one and
//! says nothing of the plan: only that something is due, and a link to open it in
//! Harbour. Modules above this one with dates of their own (`plans`' reviews,
//! `conferences`' action items) hand `spawn` their own [`ClaimDue`], and their reminders
//! go out the same way, in their own words.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::web;
use chrono::{NaiveDateTime, Utc};

use super::repo;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

const SUBJECT: &str = "Harbour: a plan is due for review / un plan est à revoir";

/// A review reminder's message: in both languages, with the `link` to the participant.
fn review_body(link: &str) -> String {
    format!(
        "A plan you coordinate has reached its review date. Go over it again with the person, and open it in Harbour:\n{link}\n\n\
         Un plan que vous coordonnez est arrivé à sa date de révision. Revoyez-le avec la personne et ouvrez-le dans Harbour :\n{link}\n\n\
         This message carries no information about the person. / Ce message ne contient aucun renseignement sur la personne.\n"
    )
}

/// A reminder claimed: to whom, the path in Harbour it links to, and its words (which
/// never say anything about the person).
#[derive(Debug, Clone)]
pub struct Reminder {
    pub address: String,
    pub path: String,
    pub subject: &'static str,
    pub body: fn(&str) -> String,
}

impl Reminder {
    /// A plan's review reminder, linking to the participant.
    pub fn review(participant_id: &str, address: String) -> Reminder {
        Reminder { address, path: format!("/participants/{participant_id}"), subject: SUBJECT, body: review_body }
    }
}

/// Claims one kind of reminder due on `today` (`YYYY-MM-DD`) at `now`, once each.
pub type ClaimDue = fn(&mut DbConn, &str, NaiveDateTime) -> Result<Vec<Reminder>, ApiError>;

/// Claims the safety plans' reminders due on `today`.
pub fn claim_due(conn: &mut DbConn, today: &str, now: NaiveDateTime) -> Result<Vec<Reminder>, ApiError> {
    let mut claimed = Vec::new();
    for due in repo::due_reviews(conn, today)? {
        // A plan whose contact has no active account is marked too: there is no one to
        // write to, and trying again every sweep would change nothing.
        if repo::mark_reminded(conn, &due.revision_id, now)? {
            claimed.extend(due.address.map(|address| Reminder::review(due.participant_id.as_str(), address)));
        }
    }
    Ok(claimed)
}

/// Claims every kind of reminder due today in the partnership's zone.
fn claim_all(conn: &mut DbConn, time_zone: &str, others: &[ClaimDue]) -> Result<Vec<Reminder>, ApiError> {
    let zone: chrono_tz::Tz = time_zone.parse().map_err(|_| ApiError::Internal(format!("unknown time zone {time_zone}")))?;
    let today = Utc::now().with_timezone(&zone).date_naive().format("%Y-%m-%d").to_string();
    let now = Utc::now().naive_utc();
    let mut claimed = Vec::new();
    for claim in std::iter::once(claim_due as ClaimDue).chain(others.iter().copied()) {
        claimed.extend(claim(conn, &today, now)?);
    }
    Ok(claimed)
}

/// Sends due reminders — safety plans' and `others'` — every `review_sweep_ms`,
/// when an SMTP server is configured.
pub fn spawn(state: web::Data<AppState>, stopped: Arc<AtomicBool>, others: Vec<ClaimDue>) {
    tokio::spawn(async move {
        // Checked at start-up (`Settings::check`), so a failure here cannot happen.
        let Some(mailer) = crate::mail::Mailer::new(state.settings.smtp_url.as_deref(), &state.settings.smtp_from, &state.settings.public_url).ok().flatten() else {
            return;
        };
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(state.settings.review_sweep_ms));
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            let (zone, others) = (state.settings.time_zone.clone(), others.clone());
            let claimed = match state.db.transaction(move |conn| claim_all(conn, &zone, &others)).await {
                Ok(claimed) => claimed,
                Err(e) => {
                    tracing::warn!(error = %e, "finding plans due for review failed");
                    continue;
                }
            };
            for reminder in claimed {
                let link = mailer.link(&reminder.path);
                if let Err(e) = mailer.send(&[reminder.address], reminder.subject, &(reminder.body)(&link)).await {
                    tracing::warn!(error = %e, "a reminder was not sent");
                }
            }
        }
    });
}
