//! The erasure ledger's file, outside the database (`HARBOUR_ERASURE_LEDGER`): a JSON
//! line per erasure, appended after it commits, signed by the keyring so that a line
//! added by hand is refused. A database restored from a backup lacks the erasures made
//! after the backup was taken; `harbour restore` reads them back from here (and from the
//! database it replaces, when that still opens) and re-applies them.

use std::io::{BufRead as _, Write as _};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::repo::ErasureRow;
use crate::crypto::Keyring;
use crate::state::AppState;

/// A line of the file.
#[derive(Debug, Serialize, Deserialize)]
struct Line {
    #[serde(flatten)]
    entry: ErasureRow,
    key_id: String,
    signature: String,
}

/// What is signed: the entry's fields, in a fixed order.
fn signed_text(entry: &ErasureRow) -> String {
    format!(
        "harbour-erasure/1\n{}\n{}\n{}\n{}\n{}\n{}",
        entry.participant_id,
        entry.organization_id,
        entry.erased_at.and_utc().to_rfc3339(),
        entry.method.code(),
        entry.reason.code(),
        entry.erased_by.as_deref().unwrap_or("")
    )
}

/// Appends an entry to the file at `path`.
pub fn append(path: &Path, keyring: &Keyring, entry: &ErasureRow) -> std::io::Result<()> {
    let (key_id, signature) = keyring.sign(signed_text(entry).as_bytes());
    let line = serde_json::to_string(&Line { entry: entry.clone(), key_id, signature }).map_err(std::io::Error::other)?;
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    // One write per line, so concurrent appenders (several instances on one volume) do
    // not interleave within a line.
    file.write_all(format!("{line}\n").as_bytes())?;
    file.sync_data()
}

/// Appends to the configured file, if any. The erasure is done and in the database's
/// ledger already; a failure here is logged loudly for the operator to mend (the next
/// backup holds the entry either way).
pub fn append_configured(state: &AppState, entry: &ErasureRow) {
    if let Some(path) = &state.settings.erasure_ledger {
        if let Err(e) = append(path, &state.keyring, entry) {
            tracing::error!(error = %e, path = %path.display(), "an erasure was not written to the erasure ledger file");
        }
    }
}

/// Every entry of the file at `path` (none if it does not exist), each line's signature
/// checked: a line that is not valid, or not signed by a key of this keyring, is an error
/// naming its line number, since a restore must not skip an erasure silently.
pub fn read(path: &Path, keyring: &Keyring) -> Result<Vec<ErasureRow>, String> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read the erasure ledger {}: {e}", path.display())),
    };
    let mut entries = Vec::new();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("cannot read the erasure ledger {}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Line = serde_json::from_str(&line).map_err(|e| format!("{} line {}: not an erasure entry ({e})", path.display(), number + 1))?;
        if !keyring.verify_signature(&parsed.key_id, signed_text(&parsed.entry).as_bytes(), &parsed.signature) {
            return Err(format!("{} line {}: the signature does not verify with this instance's keys", path.display(), number + 1));
        }
        entries.push(parsed.entry);
    }
    Ok(entries)
}
