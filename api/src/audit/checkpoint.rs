//! Checkpoints of the audit trail, handed to a witness outside the database.
//!
//! A chain shows an event altered or deleted in its middle, but not its newest events
//! cut off: what is left still links up. A checkpoint records, at a moment, how many
//! events each chain held and the hash of its newest, signed with a key derived from the
//! instance's encryption key (`Keyring::sign`), which the database does not hold. Kept
//! where someone with the database cannot reach it — a file, a partner's webhook, the
//! system admins' mailboxes — it lets [`super::verify_against`] say that events it
//! counted are gone, or that the event at a counted place is not the one it signed.
//!
//! Every instance takes one every `HARBOUR_AUDIT_CHECKPOINT_MS`, once across instances
//! (the first to claim the interval's slot), and hands it to each witness configured;
//! `harbour audit checkpoint FILE` and `POST /audit/checkpoints` take one on demand.
//! A checkpoint holds counts and hashes only: nothing about anyone.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_web::web;
use chrono::{SecondsFormat, Utc};
use diesel::prelude::*;
use harbour_types::{AuditCheckpoint, ChainHead};
use serde::Serialize;

use secrecy::ExposeSecret;

use crate::crypto::Keyring;
use crate::db::schema::{audit_checkpoints, user_roles, users};
use crate::db::{insert_all, DbConn};
use crate::state::AppState;

/// The `format` of the checkpoints this version writes.
pub const FORMAT: &str = "harbour-audit-checkpoint/1";

/// What is signed: the checkpoint's fields before the key and signature, in this order.
#[derive(Serialize)]
struct Signed<'a> {
    format: &'a str,
    taken_at: &'a str,
    events: u64,
    chains: &'a [ChainHead],
}

fn signed_bytes(checkpoint: &AuditCheckpoint) -> Vec<u8> {
    let signed = Signed { format: &checkpoint.format, taken_at: &checkpoint.taken_at, events: checkpoint.events, chains: &checkpoint.chains };
    serde_json::to_vec(&signed).unwrap_or_default()
}

/// A checkpoint of the trail as it stands, signed with the current key.
pub fn take(conn: &mut DbConn, keyring: &Keyring) -> QueryResult<AuditCheckpoint> {
    let chains: Vec<ChainHead> = super::repo::chain_heads(conn)?.into_iter().map(|(chain, events, head)| ChainHead { chain, events: events.unsigned_abs(), head }).collect();
    let mut checkpoint = AuditCheckpoint {
        format: FORMAT.to_owned(),
        taken_at: Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true),
        events: chains.iter().map(|c| c.events).sum(),
        chains,
        key_id: String::new(),
        signature: String::new(),
    };
    (checkpoint.key_id, checkpoint.signature) = keyring.sign(&signed_bytes(&checkpoint));
    Ok(checkpoint)
}

/// Whether `checkpoint` is one of this instance's keys' and unaltered.
pub fn is_signed(keyring: &Keyring, checkpoint: &AuditCheckpoint) -> bool {
    checkpoint.format == FORMAT && keyring.verify_signature(&checkpoint.key_id, &signed_bytes(checkpoint), &checkpoint.signature)
}

/// Writes `checkpoint` to a new file at `path` (never over another).
pub fn write_file(path: &Path, checkpoint: &AuditCheckpoint) -> Result<(), String> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let text = serde_json::to_string_pretty(checkpoint).map_err(|e| e.to_string())?;
    file.write_all(format!("{text}\n").as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Reads a checkpoint from `path`.
pub fn read_file(path: &Path) -> Result<AuditCheckpoint, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not an audit checkpoint: {e}", path.display()))
}

/// Claims the checkpoint of interval `slot` for this instance: false when another did.
fn claim(conn: &mut DbConn, slot: i64) -> QueryResult<bool> {
    let taken: i64 = audit_checkpoints::table.filter(audit_checkpoints::slot.eq(slot)).count().get_result(conn)?;
    if taken > 0 {
        return Ok(false);
    }
    let row = [(audit_checkpoints::slot.eq(slot), audit_checkpoints::taken_at.eq(Utc::now().naive_utc()))];
    match insert_all!(conn, audit_checkpoints::table, row) {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => Ok(false),
        other => other.map(|_| true),
    }
}

/// The addresses of the active system admins.
fn system_admins(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    users::table
        .inner_join(user_roles::table.on(user_roles::user_id.eq(users::id)))
        .filter(user_roles::role.eq("system_admin"))
        .filter(users::active.eq(true))
        .select(users::email)
        .distinct()
        .load(conn)
}

/// Hands `checkpoint` to every witness configured; each failure is said, and the others
/// still get it.
pub async fn witness(state: &AppState, checkpoint: &AuditCheckpoint) -> Vec<String> {
    let settings = &state.settings;
    let mut failures = Vec::new();
    let body = serde_json::to_string(checkpoint).unwrap_or_default();
    if let Some(dir) = &settings.audit_checkpoint_dir {
        let name = format!("audit-checkpoint-{}.json", checkpoint.taken_at.replace([':', '.'], "-"));
        if let Err(e) = write_file(&dir.join(name), checkpoint) {
            failures.push(e);
        }
    }
    if let (Some(url), Some(secret)) = (&settings.audit_checkpoint_webhook_url, &settings.audit_checkpoint_webhook_secret) {
        if let Err(e) = post(url, secret.expose_secret(), &body).await {
            failures.push(format!("the checkpoint webhook failed: {e}"));
        }
    }
    if settings.audit_checkpoint_email {
        if let Ok(Some(mailer)) = crate::mail::Mailer::new(settings.smtp_url.as_deref(), &settings.smtp_from, &settings.public_url) {
            let admins = state.db.run(|conn| system_admins(conn).map_err(crate::error::ApiError::from)).await.unwrap_or_default();
            let text = format!(
                "Harbour's audit trail checkpoint of {}. Keep this message: it shows later whether events were removed from the trail (harbour audit verify --checkpoint FILE).\n\n\
                 Point de contrôle de la piste d'audit de Harbour du {}. Gardez ce message : il montre plus tard si des événements ont été retirés de la piste.\n\n{body}\n",
                checkpoint.taken_at, checkpoint.taken_at
            );
            if let Err(e) = mailer.send(&admins, "Harbour: audit checkpoint / point de contrôle d'audit", &text).await {
                failures.push(format!("the checkpoint e-mail failed: {e}"));
            }
        }
    }
    failures
}

/// Posts the checkpoint as a Standard Webhooks message of type `audit.checkpoint`.
async fn post(url: &str, secret: &str, checkpoint: &str) -> Result<(), String> {
    let id = format!("msg_{}", uuid::Uuid::now_v7());
    let timestamp = Utc::now().timestamp();
    let body = format!(r#"{{"type":"audit.checkpoint","timestamp":"{}","data":{checkpoint}}}"#, Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true));
    let signature = crate::crypto::webhook_signature(secret, &id, timestamp, &body).ok_or("its secret is not a whsec_ secret")?;
    let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).redirect(reqwest::redirect::Policy::none()).build().map_err(|e| e.to_string())?;
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await
        .map_err(|e| e.without_url().to_string())?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("it answered {}", response.status()))
    }
}

/// Takes a checkpoint every `audit_checkpoint_ms`, once across instances, when a witness
/// is configured.
pub fn spawn(state: web::Data<AppState>, stopped: Arc<AtomicBool>) {
    let settings = &state.settings;
    if settings.audit_checkpoint_dir.is_none() && settings.audit_checkpoint_webhook_url.is_none() && !settings.audit_checkpoint_email {
        return;
    }
    tokio::spawn(async move {
        let every = state.settings.audit_checkpoint_ms;
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(every));
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            let slot = Utc::now().timestamp_millis() / i64::try_from(every).unwrap_or(i64::MAX).max(1);
            let keyring = state.keyring.clone();
            let taken = state
                .db
                .transaction(move |conn| -> Result<_, crate::error::ApiError> { Ok(if claim(conn, slot)? { Some(take(conn, &keyring)?) } else { None }) })
                .await;
            match taken {
                Ok(Some(checkpoint)) => {
                    for failure in witness(&state, &checkpoint).await {
                        tracing::warn!(%failure, "an audit checkpoint did not reach its witness");
                    }
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "taking an audit checkpoint failed"),
            }
        }
    });
}
