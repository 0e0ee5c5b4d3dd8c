//! Review reminders, on every instance: when the current revision of a safety plan
//! reaches its review date, its participant's primary contact (else whoever wrote the
//! revision) gets one e-mail, once, whichever instance claims it. It names no one and
//! says nothing of the plan: only that a plan is due, and a link to open it in Harbour.
//! Other plans with review dates (`plans`, above this module) hand `spawn` their own
//! [`ClaimDue`], and their reminders go out the same way.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::web;
use chrono::{NaiveDateTime, Utc};

use super::repo;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

const SUBJECT: &str = "Harbour: a plan is due for review / un plan est à revoir";

/// The message: in both languages, with the `link` to the participant.
fn body(link: &str) -> String {
    format!(
        "A plan you coordinate has reached its review date. Go over it again with the person, and open it in Harbour:\n{link}\n\n\
         Un plan que vous coordonnez est arrivé à sa date de révision. Revoyez-le avec la personne et ouvrez-le dans Harbour :\n{link}\n\n\
         This message carries no information about the person. / Ce message ne contient aucun renseignement sur la personne.\n"
    )
}

/// Claims one kind of plan's reminders due on `today` (`YYYY-MM-DD`) at `now`, once each:
/// the participant and the address of each claimed.
pub type ClaimDue = fn(&mut DbConn, &str, NaiveDateTime) -> Result<Vec<(String, String)>, ApiError>;

/// Claims the safety plans' reminders due on `today`.
pub fn claim_due(conn: &mut DbConn, today: &str, now: NaiveDateTime) -> Result<Vec<(String, String)>, ApiError> {
    let mut claimed = Vec::new();
    for due in repo::due_reviews(conn, today)? {
        // A plan whose contact has no active account is marked too: there is no one to
        // write to, and trying again every sweep would change nothing.
        if repo::mark_reminded(conn, &due.revision_id, now)? {
            claimed.extend(due.address.map(|address| (due.participant_id.to_string(), address)));
        }
    }
    Ok(claimed)
}

/// Claims every kind of plan's reminders due today in the partnership's zone.
fn claim_all(conn: &mut DbConn, time_zone: &str, others: &[ClaimDue]) -> Result<Vec<(String, String)>, ApiError> {
    let zone: chrono_tz::Tz = time_zone.parse().map_err(|_| ApiError::Internal(format!("unknown time zone {time_zone}")))?;
    let today = Utc::now().with_timezone(&zone).date_naive().format("%Y-%m-%d").to_string();
    let now = Utc::now().naive_utc();
    let mut claimed = Vec::new();
    for claim in std::iter::once(claim_due as ClaimDue).chain(others.iter().copied()) {
        claimed.extend(claim(conn, &today, now)?);
    }
    Ok(claimed)
}

/// Sends due review reminders — safety plans' and `others'` — every `review_sweep_ms`,
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
            for (participant_id, address) in claimed {
                let link = mailer.link(&format!("/participants/{participant_id}"));
                if let Err(e) = mailer.send(&[address], SUBJECT, &body(&link)).await {
                    tracing::warn!(error = %e, "a review reminder was not sent");
                }
            }
        }
    });
}
