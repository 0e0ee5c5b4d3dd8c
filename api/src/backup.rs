//! `harbour backup FILE` and `harbour restore FILE`: a consistent copy of the whole
//! database, taken while Harbour runs, and putting one back.
//!
//! SQLite: `VACUUM INTO` writes a consistent, compacted copy of a live database (readers
//! and writers carry on). Restoring copies the file next to the database, checks that it
//! opens and that its audit trail verifies, and only then moves it into place — stop
//! Harbour first: a running server keeps the old file open.
//!
//! PostgreSQL: `pg_dump` in its custom format, restored by `pg_restore` in one
//! transaction over whatever the target holds (`--clean --if-exists`), so a failed
//! restore changes nothing. Both tools must be on the PATH (Debian: `postgresql-client`),
//! at least the server's version.

use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use harbour_types::AuditVerification;

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

/// Puts the backup in `file` in place of the database at `url`; returns the restored
/// audit trail's verification.
pub fn restore(url: &str, file: &Path) -> Result<AuditVerification, BackupError> {
    if !file.is_file() {
        return Err(BackupError::Missing(file.to_owned()));
    }
    match Backend::of(url) {
        Backend::Sqlite => {
            let target = PathBuf::from(url.strip_prefix("sqlite://").unwrap_or(url));
            let staged = target.with_extension("restoring");
            if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(folder).map_err(failed)?;
            }
            std::fs::copy(file, &staged).map_err(failed)?;
            let verification = verified(staged.to_str().ok_or_else(|| failed("the database path is not UTF-8"))?);
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
            verified(url)
        }
    }
}

/// Opens the database at `url` and verifies its audit trail.
fn verified(url: &str) -> Result<AuditVerification, BackupError> {
    let db = Db::connect(url, 1).map_err(failed)?;
    let mut conn = db.get().map_err(failed)?;
    let verification = crate::audit::verify(&mut conn).map_err(failed)?;
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
