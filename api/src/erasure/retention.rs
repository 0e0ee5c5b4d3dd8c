//! The retention sweep, on every instance: Harbour keeps a participant's data only as long
//! as the partnership's policy says (`HARBOUR_RETENTION_*`, defaults in the README).
//!
//! - A participant with no activity for `HARBOUR_RETENTION_INACTIVE_YEARS` is erased
//!   ([`super::service::erase_in`], reason `retention_period`). `HARBOUR_RETENTION_NOTICE_DAYS`
//!   before, their primary contact (else their organization's agency admins) is told by
//!   e-mail, which names no one; any activity after the notice voids it, and the clock
//!   starts again. Reads are not activity: a record only looked at is not kept alive.
//! - A consent's evidence file is deleted `HARBOUR_RETENTION_EVIDENCE_DAYS` after the
//!   consent ended (withdrawn, expired or replaced); the consent itself stays.
//! - A closed referral drops its snapshot of the participant `HARBOUR_RETENTION_SNAPSHOT_DAYS`
//!   after it closed, and its timeline (and both sides' webhooks) say so.
//!
//! Each kind of work goes in batches of [`BATCH`], a transaction each (an erasure is a
//! transaction of its own), so the sweep never holds a transaction long. Every change is
//! conditional on the row being as it was found, so two instances sweeping at once do
//! each thing once. `/metrics` counts what this instance did (`harbour_retention_total`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use actix_web::web;
use chrono::{Duration, NaiveDateTime, Utc};
use harbour_types::{ErasureMethod, ErasureReason, OrganizationId, ParticipantId};

use super::error::ErasureError;
use super::repo::{self, ErasureRow, Noticed};
use super::service::{erase_in, ErasedBy};
use crate::config::Settings;
use crate::db::DbConn;
use crate::state::AppState;

/// How many rows one transaction of the sweep handles at most: a batch of 100 snapshots
/// held its transaction up to 0.4 s on a busy machine (`bench/retention.sh`).
pub const BATCH: i64 = 100;

const SUBJECT: &str = "Harbour: a record will be erased / un dossier sera effacé";

/// The partnership's retention periods.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// No activity for this long: erased (none: never).
    pub inactive: Option<Duration>,
    /// Told this long before.
    pub notice: Duration,
    /// Evidence kept this long after its consent ended.
    pub evidence: Duration,
    /// A snapshot kept this long after its referral closed.
    pub snapshot: Duration,
}

impl Policy {
    pub fn of(settings: &Settings) -> Policy {
        let days = |n: u32| Duration::days(i64::from(n));
        // A year of 365.25 days: seven years span one or two leap days.
        let years = i64::from(settings.retention_inactive_years);
        Policy {
            inactive: (years > 0).then(|| Duration::days(years * 365 + years / 4)),
            notice: days(settings.retention_notice_days),
            evidence: days(settings.retention_evidence_days),
            snapshot: days(settings.retention_snapshot_days),
        }
    }
}

/// A retention notice to send after its claim commits: to whom, about which record.
#[derive(Debug, Clone)]
pub struct Notice {
    pub participant_id: ParticipantId,
    pub organization_name: String,
    pub addresses: Vec<String>,
    pub erase_on: chrono::NaiveDate,
}

impl Notice {
    /// The message, in both languages, with the `link` to the record: nothing about the person.
    pub fn email(&self, link: &str) -> String {
        let (organization, on) = (&self.organization_name, self.erase_on.format("%Y-%m-%d"));
        format!(
            "A participant record kept by {organization} has had no activity for the partnership's retention period. It will be erased on {on}. \
             If it is still needed, record something on it in Harbour before then (a consent, a plan, a referral, a change to the record):\n{link}\n\n\
             Un dossier de participant conservé par {organization} n'a eu aucune activité pendant la durée de conservation du partenariat. Il sera effacé le {on}. \
             S'il sert encore, inscrivez-y quelque chose dans Harbour d'ici là (un consentement, un plan, une orientation, une modification) :\n{link}\n\n\
             This message carries no information about the person. / Ce message ne contient aucun renseignement sur la personne.\n"
        )
    }
}

/// Claims the notices due (at most a batch): participants inactive for the period less
/// the notice, with no valid notice yet.
pub fn claim_notices(conn: &mut DbConn, policy: &Policy, now: NaiveDateTime) -> Result<Vec<Notice>, ErasureError> {
    let Some(inactive) = policy.inactive else { return Ok(Vec::new()) };
    let since = now - (inactive - policy.notice);
    let mut claimed = Vec::new();
    for (id, organization_id) in repo::inactive_since(conn, since, Noticed::NoneSince(since), None, BATCH)? {
        if repo::claim_notice(conn, &id, now, since)? {
            let addresses = repo::notice_addresses(conn, &id, &organization_id)?;
            let organization_name = crate::organizations::repo::find(conn, &organization_id)?.map(|o| o.name).unwrap_or_default();
            claimed.push(Notice { participant_id: id, organization_name, addresses, erase_on: (now + policy.notice).date() });
        }
    }
    Ok(claimed)
}

/// Participants due for erasure (at most a batch): inactive for the whole period, and
/// told at least the notice period ago, after their last activity.
pub fn due(conn: &mut DbConn, policy: &Policy, now: NaiveDateTime, only: Option<&ParticipantId>) -> Result<Vec<(ParticipantId, OrganizationId)>, ErasureError> {
    let Some(inactive) = policy.inactive else { return Ok(Vec::new()) };
    let since = now - inactive;
    Ok(repo::inactive_since(conn, since, Noticed::Between { after: since, before: now - policy.notice }, only, BATCH)?)
}

/// Erases one participant found due, if they still are (activity may have come since
/// they were found, or another instance erased them): the ledger's entry if this call did.
pub fn erase_if_due(conn: &mut DbConn, policy: &Policy, participant_id: &ParticipantId, organization_id: &OrganizationId) -> Result<Option<ErasureRow>, ErasureError> {
    let now = Utc::now().naive_utc();
    if due(conn, policy, now, Some(participant_id))?.is_empty() {
        return Ok(None);
    }
    let entry = ErasureRow {
        participant_id: participant_id.clone(),
        organization_id: organization_id.clone(),
        erased_at: now,
        method: ErasureMethod::Retention,
        reason: ErasureReason::RetentionPeriod,
        erased_by: None,
        reapplied_at: None,
    };
    Ok(erase_in(conn, &entry, ErasedBy::Harbour("retention"))?.map(|_| entry))
}

/// Deletes a batch of evidence files kept past their period; returns how many.
pub fn delete_old_evidence(conn: &mut DbConn, policy: &Policy, now: NaiveDateTime) -> Result<usize, ErasureError> {
    let ended = crate::consent::repo::evidence_ended_before(conn, now - policy.evidence, BATCH)?;
    Ok(crate::consent::repo::delete_evidence(conn, &ended)?)
}

/// Drops a batch of snapshots kept past their period; returns how many.
pub fn drop_old_snapshots(conn: &mut DbConn, policy: &Policy, now: NaiveDateTime) -> Result<usize, ErasureError> {
    Ok(crate::referrals::service::drop_closed_snapshots(conn, now - policy.snapshot, BATCH)?)
}

/// Runs the sweep every `HARBOUR_RETENTION_SWEEP_MS`.
pub fn spawn(state: web::Data<AppState>, stopped: Arc<AtomicBool>) {
    tokio::spawn(async move {
        // Checked at start-up (`Settings::check`), so a failure here cannot happen.
        let mailer = crate::mail::Mailer::new(state.settings.smtp_url.as_deref(), &state.settings.smtp_from, &state.settings.public_url).ok().flatten();
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(state.settings.retention_sweep_ms));
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            if let Err(e) = sweep(&state, mailer.as_ref(), &stopped).await {
                tracing::warn!(error = %e, "the retention sweep failed; it runs again at the next tick");
            }
        }
    });
}

/// One pass: every kind of work, batch after batch, until a batch is not full or the
/// server is stopping. After a full batch the sweep rests three times as long as the
/// batch took, so that it takes at most a quarter of the database's time from the
/// requests being served: at half, a search's p99 rose by 39 % while it swept
/// (`bench/retention.sh`). What piles up between passes is a day's closings, not a backlog.
async fn sweep(state: &AppState, mailer: Option<&crate::mail::Mailer>, stopped: &AtomicBool) -> Result<(), ErasureError> {
    let policy = Policy::of(&state.settings);
    let full = |n: usize| i64::try_from(n).unwrap_or(i64::MAX) >= BATCH && !stopped.load(Ordering::SeqCst);
    let rest = |started: Instant| tokio::time::sleep(started.elapsed() * 3);
    loop {
        let started = Instant::now();
        let dropped = state.db.transaction(move |conn| drop_old_snapshots(conn, &policy, Utc::now().naive_utc())).await?;
        counted(state, "snapshots_dropped", dropped, started);
        if !full(dropped) {
            break;
        }
        rest(started).await;
    }
    loop {
        let started = Instant::now();
        let deleted = state.db.transaction(move |conn| delete_old_evidence(conn, &policy, Utc::now().naive_utc())).await?;
        counted(state, "evidence_files_deleted", deleted, started);
        if !full(deleted) {
            break;
        }
        rest(started).await;
    }
    loop {
        let started = Instant::now();
        let notices = state.db.transaction(move |conn| claim_notices(conn, &policy, Utc::now().naive_utc())).await?;
        counted(state, "participants_noticed", notices.len(), started);
        for notice in &notices {
            send(mailer, notice).await;
        }
        if !full(notices.len()) {
            break;
        }
        rest(started).await;
    }
    loop {
        let found = state.db.transaction(move |conn| due(conn, &policy, Utc::now().naive_utc(), None)).await?;
        let mut erased = 0;
        for (participant_id, organization_id) in found {
            let started = Instant::now();
            if let Some(entry) = state.db.transaction(move |conn| erase_if_due(conn, &policy, &participant_id, &organization_id)).await? {
                super::ledger::append_configured(state, &entry);
                counted(state, "participants_erased", 1, started);
                erased += 1;
            }
            rest(started).await;
        }
        if !full(erased) {
            break;
        }
    }
    Ok(())
}

/// Counts what one transaction did, and logs how long it was held (`bench/retention.sh`
/// reads the longest).
fn counted(state: &AppState, done: &'static str, n: usize, started: Instant) {
    if n > 0 {
        tracing::info!(count = n, done, ms = started.elapsed().as_millis(), "retention sweep");
        state.metrics.retained(done, n);
    }
}

async fn send(mailer: Option<&crate::mail::Mailer>, notice: &Notice) {
    let Some(mailer) = mailer.filter(|_| !notice.addresses.is_empty()) else { return };
    let link = mailer.link(&format!("/participants/{}", notice.participant_id));
    if let Err(e) = mailer.send(&notice.addresses, SUBJECT, &notice.email(&link)).await {
        tracing::warn!(error = %e, "a retention notice was not sent");
    }
}
