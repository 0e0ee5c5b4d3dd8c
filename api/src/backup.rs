//! `harbour backup FILE` and `harbour restore FILE`: a consistent copy of the whole
//! database, taken while Harbour runs, and putting one back.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy of a live database (readers
//! and writers carry on). Restoring copies the file next to the database, checks that it
//! opens and that its audit trail verifies, and only then moves it into place — stop
//! Harbour first: a running server keeps the old file open.
//!
//! Either way, a backup taken before an erasure still holds the participant: a restore
//! re-applies every erasure the restored database lacks ([`Restored::reapplied`]), read
//! from the database it replaces (when that still opens) and from the erasure ledger's
//! file (`HARBOUR_ERASURE_LEDGER`), before anyone can read it.
//!
//! PostgreSQL: `pg_dump` in its custom format, restored by `pg_restore` in one
//! transaction over whatever the target holds (`--clean --if-exists`), so a failed
//! restore changes nothing. Both tools must be on the PATH (Debian: `postgresql-client`),
//! at least the server's version.

use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use harbour_types::AuditVerification;

use crate::crypto::Keyring;
use crate::db::{Backend, Db, DbConn};

/// Why a backup or a restore failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The target of a backup exists: a backup never overwrites one.
    #[error("{0} exists already: choose a new file")]
    Exists(PathBuf),
    /// The file to restore is missing.
    #[error("{0} does not exist")]
    Missing(PathBuf),
    /// A tool or a query failed.
    #[error("{0}")]
    Failed(String),
    /// The restored (or to-be-restored) audit trail does not verify.
    #[error("the audit trail in the backup is broken at event #{seq}: {reason}")]
    AuditBroken { seq: i64, reason: String },
}

fn failed(e: impl std::fmt::Display) -> BackupError {
    BackupError::Failed(e.to_string())
}

/// Writes a consistent copy of the database at `url` to `file`.
pub fn backup(url: &str, file: &Path) -> Result<(), BackupError> {
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    match Backend::of(url) {
        Backend::Sqlite => {
            let db = Db::connect(url, 1).map_err(failed)?;
            let mut conn = db.get().map_err(failed)?;
            let target = file.to_str().ok_or_else(|| failed("the backup path is not UTF-8"))?;
            let DbConn::Sqlite(sqlite) = &mut *conn else { unreachable!("a SQLite URL gives a SQLite connection") };
            sqlite.batch_execute(&format!("VACUUM INTO '{}'", target.replace('\'', "''"))).map_err(failed)
        }
        Backend::Postgres => run(Command::new("pg_dump").arg("--format=custom").arg("--file").arg(file).arg("--dbname").arg(url)),
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The restored audit trail's verification (before the re-applied erasures were added).
    pub verification: AuditVerification,
    /// Erasures made after the backup was taken, re-applied to it.
    pub reapplied: usize,
}

/// Puts the backup in `file` in place of the database at `url`, then re-applies every
/// erasure it lacks: from the database it replaces and from `ledger` (the erasure
/// ledger's file), whose lines must verify with `keyring`.
pub fn restore(url: &str, file: &Path, keyring: &Keyring, ledger: Option<&Path>) -> Result<Restored, BackupError> {
    if !file.is_file() {
        return Err(BackupError::Missing(file.to_owned()));
    }
    let mut erasures = match ledger {
        Some(path) => crate::erasure::ledger::read(path, keyring).map_err(BackupError::Failed)?,
        None => Vec::new(),
    };
    erasures.extend(current_erasures(url));
    let verification = put_back(url, file, keyring)?;
    let db = Db::connect(url, 1).map_err(failed)?;
    // A backup from an older version lacks the newer tables the erasures need.
    db.migrate().map_err(failed)?;
    let mut conn = db.get().map_err(failed)?;
    let reapplied = crate::erasure::service::reapply(&mut conn, &erasures).map_err(|e| failed(format!("the backup was restored, but re-applying erasures failed (run the restore again): {e}")))?;
    Ok(Restored { verification, reapplied })
}

/// The erasure ledger of the database about to be replaced, if it opens (it may be the
/// very thing lost): a backup of a SQLite file that is not there is not created here.
fn current_erasures(url: &str) -> Vec<crate::erasure::repo::ErasureRow> {
    if Backend::of(url) == Backend::Sqlite && !Path::new(url.strip_prefix("sqlite://").unwrap_or(url)).is_file() {
        return Vec::new();
    }
    let Ok(db) = Db::connect(url, 1) else { return Vec::new() };
    let Ok(mut conn) = db.get() else { return Vec::new() };
    crate::erasure::repo::all(&mut conn).unwrap_or_default()
}

/// Puts the backup in place; returns the restored audit trail's verification.
fn put_back(url: &str, file: &Path, keyring: &Keyring) -> Result<AuditVerification, BackupError> {
    match Backend::of(url) {
        Backend::Sqlite => {
            let target = PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url));
            let staged = target.with_extension("restoring");
            if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(failed)?;
            }
            std::fs::copy(file, &staged).map_err(failed)?;
            let verification = verified(staged.to_str().ok_or_else(|| failed("the database path is not UTF-8"))?, keyring);
            if verification.is_err() {
                let _ = std::fs::remove_file(&staged);
            }
            let verification = verification?;
            // The old database's write-ahead log must not be replayed onto the restored file.
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
            }
            std::fs::rename(&staged, &target).map_err(failed)?;
            Ok(verification)
        }
        Backend::Postgres => {
            run(Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"])
                .arg("--dbname")
                .arg(url)
                .arg(file))?;
            verified(url, keyring)
        }
    }
}

/// Opens the database at `url` and verifies its audit trail.
fn verified(url: &str, keyring: &Keyring) -> Result<AuditVerification, BackupError> {
    let db = Db::connect(url, 1).map_err(failed)?;
    let mut conn = db.get().map_err(failed)?;
    let verification = crate::audit::verify(&mut conn, keyring).map_err(failed)?;
    match &verification.first_broken {
        Some(broken) => Err(BackupError::AuditBroken { seq: broken.seq, reason: broken.reason.clone() }),
        None => Ok(verification),
    }
}

fn run(command: &mut Command) -> Result<(), BackupError> {
    let name = command.get_program().to_string_lossy().into_owned();
    let output = command.output().map_err(|e| failed(format!("cannot run {name} (install postgresql-client): {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    // The tools' messages name objects, never rows: safe to show the operator.
    Err(failed(format!("{name} failed: {}", String::from_utf8_lossy(&output.stderr).trim())))
}
