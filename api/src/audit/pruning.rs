//! Pruning the audit trail under retention (`harbour audit prune`): events older than
//! `HARBOUR_RETENTION_AUDIT_YEARS` go, but only those a signed checkpoint vouches for —
//! a checkpoint a witness kept outside the database — and only when the trail verifies
//! against it, so pruning never hides a deletion or an alteration.
//!
//! What is pruned from the start of each chain is recorded in its anchor (how many
//! events, the seq and hash of the last), signed like a checkpoint; verification starts
//! each chain from its anchor. The newest event of a chain is never pruned: appending
//! takes the chain's newest hash as the next event's `prev_hash`.

use chrono::{NaiveDateTime, Utc};
use harbour_types::AuditCheckpoint;

use super::repo::{self, AnchorRow};
use crate::crypto::Keyring;
use crate::db::DbConn;

/// How many events one transaction deletes at most.
const BATCH: i64 = 5000;

/// Why the trail was not pruned.
#[derive(Debug, thiserror::Error)]
pub enum PruneError {
    #[error("the checkpoint is not signed by this instance's keys: nothing was pruned")]
    Unsigned,
    #[error("the audit trail does not verify against the checkpoint ({0}): nothing was pruned")]
    NotIntact(String),
    #[error(transparent)]
    Database(#[from] diesel::result::Error),
}

/// What an anchor's signature covers.
pub(super) fn anchor_text(anchor: &AnchorRow) -> String {
    format!("harbour-audit-anchor/1\n{}\n{}\n{}\n{}", anchor.chain, anchor.pruned_events, anchor.last_seq, anchor.last_hash)
}

/// Prunes, chain by chain in batches (a transaction each), the events that occurred
/// before `before` among those `checkpoint` counted; returns how many were pruned.
pub fn prune(conn: &mut DbConn, keyring: &Keyring, checkpoint: &AuditCheckpoint, before: NaiveDateTime) -> Result<u64, PruneError> {
    if !super::checkpoint::is_signed(keyring, checkpoint) {
        return Err(PruneError::Unsigned);
    }
    let verified = super::verify_against(conn, keyring, Some((checkpoint, true)))?;
    if !verified.intact {
        let why = verified.first_broken.map(|b| format!("event #{}: {}", b.seq, b.reason)).unwrap_or_else(|| "events it counted are missing".into());
        return Err(PruneError::NotIntact(why));
    }
    let mut pruned = 0u64;
    for head in &checkpoint.chains {
        loop {
            let done = crate::db::transaction(conn, |conn| prune_batch(conn, keyring, head.chain, head.events, before))?;
            pruned += done;
            if done < BATCH.unsigned_abs() {
                break;
            }
        }
    }
    Ok(pruned)
}

/// One batch of one chain: the oldest events left, while they are before `before`,
/// within the first `vouched` of the chain, and not its newest.
fn prune_batch(conn: &mut DbConn, keyring: &Keyring, chain: i16, vouched: u64, before: NaiveDateTime) -> Result<u64, PruneError> {
    let anchor = repo::anchors(conn)?.into_iter().find(|a| a.chain == chain);
    let (mut pruned_events, after) = anchor.as_ref().map_or((0, 0), |a| (a.pruned_events.unsigned_abs(), a.last_seq));
    // One more than a batch: the newest of what is read stays unless more follow it.
    let rows = repo::chain_after(conn, chain, after, BATCH + 1)?;
    let mut last = None;
    for (index, row) in rows.iter().enumerate() {
        let is_newest = index + 1 == rows.len() && rows.len() <= BATCH.unsigned_abs() as usize;
        if pruned_events >= vouched || row.occurred_at >= before || is_newest || index >= BATCH.unsigned_abs() as usize {
            break;
        }
        pruned_events += 1;
        last = Some(row);
    }
    let Some(last) = last else { return Ok(0) };
    let mut anchor = AnchorRow {
        chain,
        pruned_events: i64::try_from(pruned_events).unwrap_or(i64::MAX),
        last_seq: last.seq,
        last_hash: last.hash.clone(),
        pruned_at: Utc::now().naive_utc(),
        key_id: String::new(),
        signature: String::new(),
    };
    (anchor.key_id, anchor.signature) = keyring.sign(anchor_text(&anchor).as_bytes());
    Ok(u64::try_from(repo::prune_to(conn, &anchor)?).unwrap_or_default())
}
