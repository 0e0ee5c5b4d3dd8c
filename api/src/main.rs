//! The `harbour` command: `serve` (the default), `migrate`, `seed`, HSDS export and
//! import, `bootstrap`, `keys rotate`, `backup`, `restore`, `audit verify`, `openapi`.
//! Its arguments are read by clap, so `--help` anywhere prints usage and does nothing
//! else (read by hand, `harbour backup --help` once wrote a backup to a file named
//! `--help`, and `harbour restore --help` restored from it).

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use harbour::config::Settings;
use harbour::db::Db;
use harbour::startup::Application;

#[derive(Debug, Parser)]
#[command(name = "harbour", version, about = "Harbour: the partnership's service directory, referrals and consent records.")]
#[command(after_help = "Configuration: HARBOUR_* environment variables and DATABASE_URL, over harbour.toml (see README).")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the API and the app (the default); applies migrations first
    Serve,
    /// Apply database migrations and exit
    Migrate,
    /// Load the demonstration partnership, or synthetic data for scale tests and benchmarks
    Seed(Seed),
    /// Write the directory as Open Referral HSDS 3.0 JSON files into DIR, or as HSDS's
    /// tabular data package (CSV tables, datapackage.json)
    ExportHsds {
        dir: PathBuf,
        /// Write the tabular data package instead of JSON
        #[arg(long)]
        tabular: bool,
    },
    /// Load HSDS, upserting by id, from PATH: a folder of JSON files or a tabular data
    /// package, or a file of HSDS API objects (one, a page, an array or ndjson); bad
    /// records are reported with the path of the bad field and skipped (exit status 1
    /// when any was)
    ImportHsds { path: PathBuf },
    /// On a new instance: create the first organization and its system admin, and print
    /// the admin's temporary password
    Bootstrap { name: String, slug: String, email: String },
    /// Encryption keys
    #[command(subcommand)]
    Keys(Keys),
    /// Write a consistent copy of the database to FILE while Harbour runs (SQLite: VACUUM
    /// INTO; PostgreSQL: pg_dump custom format)
    Backup { file: PathBuf },
    /// Put the backup in FILE in place of the database (stop Harbour first on SQLite);
    /// refused when its audit trail does not verify. Every erasure made after the backup
    /// was taken (in the database it replaces, and in the erasure ledger's file) is
    /// re-applied to it
    Restore {
        file: PathBuf,
        /// The erasure ledger's file (default: HARBOUR_ERASURE_LEDGER)
        #[arg(long, value_name = "FILE")]
        ledger: Option<PathBuf>,
        #[command(flatten)]
        confirm: Confirm,
    },
    /// The audit trail
    #[command(subcommand)]
    Audit(Audit),
    /// Print the OpenAPI document
    Openapi,
}

#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
struct Seed {
    /// Load the demonstration partnership into an empty database and print sign-ins
    #[arg(long)]
    demo: bool,
    /// Add N synthetic services (after --demo)
    #[arg(long, value_name = "N")]
    synthetic: Option<usize>,
    /// Add N synthetic referral histories (after --demo), for the dashboards' benchmarks
    #[arg(long, value_name = "N")]
    synthetic_referrals: Option<usize>,
}

#[derive(Debug, Subcommand)]
enum Keys {
    /// Re-seal every participant's own key under the current key (HARBOUR_ENCRYPTION_KEY_ID),
    /// opening old ones with HARBOUR_ENCRYPTION_PREVIOUS_KEYS, and move values sealed
    /// before participants had keys under theirs; all or nothing
    Rotate {
        #[command(flatten)]
        confirm: Confirm,
    },
}

#[derive(Debug, Subcommand)]
enum Audit {
    /// Walk the hash-chained audit trail; exit status 1 naming the first altered event, or
    /// the first after a deleted one, or (with a checkpoint) how many events it counted are gone
    Verify {
        /// A checkpoint taken earlier (`harbour audit checkpoint`), to find events cut from a chain's end
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<PathBuf>,
    },
    /// Write a signed checkpoint of every chain's length and newest hash to FILE (a new
    /// file): keep it outside Harbour
    Checkpoint { file: PathBuf },
    /// Delete events older than HARBOUR_RETENTION_AUDIT_YEARS that a signed checkpoint
    /// (kept by a witness) vouches for, when the trail verifies against it; verification
    /// then starts each chain from a signed record of what was pruned
    Prune {
        /// The checkpoint (`harbour audit checkpoint`, or one a witness kept)
        #[arg(long, value_name = "FILE")]
        checkpoint: PathBuf,
        #[command(flatten)]
        confirm: Confirm,
    },
}

/// What a command that replaces data asks before it does.
#[derive(Debug, Args)]
struct Confirm {
    /// Do it without asking (for scripts); without it, Harbour asks on a terminal and
    /// refuses elsewhere
    #[arg(long)]
    yes: bool,
}

impl Confirm {
    /// Whether to go on: `--yes`, or "yes" typed at the terminal after `question`.
    fn granted(&self, question: &str) -> Result<(), String> {
        if self.yes {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() {
            return Err(format!("{question} Pass --yes to confirm."));
        }
        print!("{question} Type yes to go on: ");
        std::io::stdout().flush().map_err(|e| e.to_string())?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer).map_err(|e| e.to_string())?;
        if answer.trim().eq_ignore_ascii_case("yes") { Ok(()) } else { Err("not confirmed: nothing was changed".into()) }
    }
}

fn main() -> ExitCode {
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    let result = if let Command::Openapi = command {
        print!("{}", harbour::openapi::to_committed_json());
        Ok(())
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("HARBOUR_LOG").unwrap_or_else(|_| "info".into()))
            .init();
        Settings::load().map_err(|e| e.to_string()).and_then(|settings| run(command, settings))
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("harbour: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command, settings: Settings) -> Result<(), String> {
    match command {
        Command::Serve => serve(settings),
        Command::Migrate => open(&settings).map(drop),
        Command::Seed(Seed { demo: true, .. }) => seed(&settings),
        Command::Seed(Seed { synthetic: Some(count), .. }) => {
            let db = open(&settings)?;
            let started = std::time::Instant::now();
            let made = harbour::seed::seed_synthetic(&db, count).map_err(|e| e.to_string())?;
            println!("Added {made} synthetic services in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Seed(Seed { synthetic_referrals: Some(count), .. }) => {
            let db = open(&settings)?;
            let started = std::time::Instant::now();
            let made = harbour::seed::seed_synthetic_referrals(&db, count).map_err(|e| e.to_string())?;
            println!("Added {made} synthetic referral histories in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        // clap requires one of the three.
        Command::Seed(_) => Err("seed needs --demo, --synthetic N or --synthetic-referrals N".into()),
        Command::ExportHsds { dir, tabular } => {
            use harbour::exchange::{export, Format};
            let db = open(&settings)?;
            let counts = export(&db, &dir, &settings.time_zone, if tabular { Format::Tabular } else { Format::Json }).map_err(|e| e.to_string())?;
            println!("Exported to {}: {counts:?}", dir.display());
            Ok(())
        }
        Command::ImportHsds { path } => {
            let db = open(&settings)?;
            let report = harbour::exchange::import(&db, &path).map_err(|e| e.to_string())?;
            println!("Loaded: {:?}", report.loaded);
            for skipped in &report.skipped {
                let at = skipped.index.map(|i| format!(" #{i}")).unwrap_or_default();
                println!("Skipped {}{at} {}: {}", skipped.file, skipped.id.as_deref().unwrap_or(""), skipped.reason);
            }
            if report.skipped.is_empty() { Ok(()) } else { Err(format!("{} record(s) skipped", report.skipped.len())) }
        }
        Command::Bootstrap { name, slug, email } => {
            let db = open(&settings)?;
            let temporary = harbour::bootstrap::bootstrap(&db, &name, &slug, &email).map_err(|e| e.to_string())?;
            println!("Created {name} and its system admin {email}.\nTemporary password (change it at first sign-in): {temporary}");
            Ok(())
        }
        Command::Keys(Keys::Rotate { confirm }) => {
            confirm.granted("This re-seals every encrypted participant field and evidence file under the current key.")?;
            rotate_keys(&settings)
        }
        Command::Backup { file } => {
            harbour::backup::backup(&settings.database_url, &file).map_err(|e| e.to_string())?;
            println!("Backed up to {}.", file.display());
            Ok(())
        }
        Command::Restore { file, ledger, confirm } => {
            // A ledger named on the command line must be there: a mistyped path would
            // re-apply nothing and bring erased participants back. A configured one may
            // not exist yet (no erasure since it was set).
            if let Some(path) = ledger.as_deref().filter(|p| !p.is_file()) {
                return Err(format!("no erasure ledger at {}: nothing was restored", path.display()));
            }
            let ledger = ledger.or_else(|| settings.erasure_ledger.clone());
            match ledger.as_deref() {
                Some(path) if !path.is_file() => eprintln!("No erasure ledger file at {} yet: only the replaced database's erasures are re-applied.", path.display()),
                None => eprintln!("HARBOUR_ERASURE_LEDGER is not set: only the replaced database's erasures are re-applied."),
                Some(_) => {}
            }
            confirm.granted(&format!("This replaces the whole database with the backup in {}.", file.display()))?;
            restore(&settings, &file, ledger.as_deref())
        }
        Command::Audit(Audit::Verify { checkpoint }) => {
            let checkpoint = checkpoint.as_deref().map(harbour::audit::checkpoint::read_file).transpose()?;
            let keyring = harbour::crypto::Keyring::from_settings(&settings);
            let signed = checkpoint.as_ref().is_some_and(|c| harbour::audit::checkpoint::is_signed(&keyring, c));
            let db = open(&settings)?;
            let mut conn = db.get().map_err(|e| e.to_string())?;
            let result = harbour::audit::verify_against(&mut conn, &keyring, checkpoint.as_ref().map(|c| (c, signed))).map_err(|e| e.to_string())?;
            match (result.first_broken, result.checkpoint) {
                (Some(broken), _) => Err(format!("the audit trail is broken at event #{} ({}): {}", broken.seq, broken.id, broken.reason)),
                (None, Some(check)) if !check.signed => Err(format!("the checkpoint of {} is not signed by this instance's keys, or was altered: it proves nothing", check.taken_at)),
                (None, Some(check)) if check.missing_events > 0 => Err(format!(
                    "{} event(s) counted by the checkpoint of {} are gone from the end of chain(s) {:?}: the newest events were deleted",
                    check.missing_events, check.taken_at, check.short_chains
                )),
                (None, check) => {
                    let against = check.map(|c| format!(", and holds every event of the checkpoint of {}", c.taken_at)).unwrap_or_default();
                    println!("The audit trail is intact: {} event(s); head {}{against}.", result.events_checked, result.head_hash.unwrap_or_else(|| "(empty)".into()));
                    Ok(())
                }
            }
        }
        Command::Audit(Audit::Checkpoint { file }) => {
            let keyring = harbour::crypto::Keyring::from_settings(&settings);
            let db = open(&settings)?;
            let mut conn = db.get().map_err(|e| e.to_string())?;
            let checkpoint = harbour::audit::checkpoint::take(&mut conn, &keyring).map_err(|e| e.to_string())?;
            harbour::audit::checkpoint::write_file(&file, &checkpoint)?;
            println!("Wrote the checkpoint of {} ({} event(s) in {} chain(s)) to {}: keep it outside Harbour.", checkpoint.taken_at, checkpoint.events, checkpoint.chains.len(), file.display());
            Ok(())
        }
        Command::Audit(Audit::Prune { checkpoint, confirm }) => {
            if settings.retention_audit_years == 0 {
                return Err("HARBOUR_RETENTION_AUDIT_YEARS is 0: the audit trail is kept whole".into());
            }
            let years = i64::from(settings.retention_audit_years);
            let before = chrono::Utc::now().naive_utc() - chrono::Duration::days(years * 365 + years / 4);
            confirm.granted(&format!("This deletes the audit events from before {} that the checkpoint vouches for.", before.date()))?;
            let checkpoint = harbour::audit::checkpoint::read_file(&checkpoint)?;
            let keyring = harbour::crypto::Keyring::from_settings(&settings);
            let db = open(&settings)?;
            let mut conn = db.get().map_err(|e| e.to_string())?;
            let pruned = harbour::audit::pruning::prune(&mut conn, &keyring, &checkpoint, before).map_err(|e| e.to_string())?;
            println!("Pruned {pruned} event(s) from before {} vouched for by the checkpoint of {}.", before.date(), checkpoint.taken_at);
            Ok(())
        }
        // Printed by `main`, which reads no settings for it.
        Command::Openapi => Ok(()),
    }
}

fn rotate_keys(settings: &Settings) -> Result<(), String> {
    let db = open(settings)?;
    let keyring = harbour::crypto::Keyring::from_settings(settings);
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let (keys, fields, plans, files) = harbour::db::transaction(&mut conn, |conn| {
        let keys = harbour::data_keys::reseal_all(conn, &keyring)?;
        let fields = harbour::participants::service::reseal_all(conn, &keyring)?;
        let plans = harbour::safety_plans::service::reseal_all(conn, &keyring)?;
        let files = harbour::consent::service::reseal_evidence(conn, &keyring)?;
        Ok::<_, harbour::error::ApiError>((keys, fields, plans, files))
    })
    .map_err(|e| match e {
        // The CLI operator is the one who may see the cause (an unknown key id…).
        harbour::error::ApiError::Internal(cause) => cause,
        other => other.to_string(),
    })?;
    println!(
        "Re-sealed {keys} participant key(s) under key `{}`; moved {fields} participant field(s), {plans} safety plan revision(s) and {files} evidence file(s) sealed before participants had keys under their participant's key.",
        keyring.current_id()
    );
    Ok(())
}

fn restore(settings: &Settings, file: &Path, ledger: Option<&Path>) -> Result<(), String> {
    let keyring = harbour::crypto::Keyring::from_settings(settings);
    let restored = harbour::backup::restore(&settings.database_url, file, &keyring, ledger).map_err(|e| e.to_string())?;
    let verified = restored.verification;
    println!("Restored from {}; the audit trail is intact: {} event(s), head {}.", file.display(), verified.events_checked, verified.head_hash.unwrap_or_else(|| "(empty)".into()));
    println!("Re-applied {} erasure(s) made after the backup was taken.", restored.reapplied);
    Ok(())
}

/// Opens the database and applies pending migrations.
fn open(settings: &Settings) -> Result<Db, String> {
    let db = Db::connect(&settings.database_url, settings.database_pool_size).map_err(|e| e.to_string())?;
    let applied = db.migrate().map_err(|e| e.to_string())?;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "applied migrations");
    }
    Ok(db)
}

fn seed(settings: &Settings) -> Result<(), String> {
    let db = open(settings)?;
    let seeded = harbour::seed::seed_demo(&db, settings).map_err(|e| e.to_string())?;
    if seeded.created {
        println!("Seeded the demo partnership: {} organizations, {} services.", seeded.organizations, seeded.services);
    } else {
        println!("The demo partnership is already here; demo users have a fresh password.");
    }
    println!("\nDemo sign-ins (password for all: {})", seeded.password);
    for (email, role) in &seeded.users {
        println!("  {role:<16} {email}");
    }
    Ok(())
}

fn serve(settings: Settings) -> Result<(), String> {
    let db = open(&settings)?;
    let listen = settings.listen.clone();
    actix_web::rt::System::new().block_on(async move {
        let application = Application::build(settings, db).map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let host = listen.rsplit_once(':').map_or(listen.as_str(), |(h, _)| h);
        println!("Harbour is listening on http://{host}:{}/ (API docs at /docs/)", application.port());
        application.run_until_stopped().await.map_err(|e| e.to_string())
    })
}
