//! The `harbour` command: `serve` (the default), `migrate`, `seed --demo`, `openapi`.

use std::process::ExitCode;

use harbour::config::Settings;
use harbour::db::Db;
use harbour::startup::Application;

const USAGE: &str = "usage: harbour [serve | migrate | seed --demo | seed --synthetic N | seed --synthetic-referrals N | export-hsds DIR [--tabular] | import-hsds DIR | bootstrap NAME SLUG EMAIL | keys rotate | backup FILE | restore FILE | audit verify | openapi]

  serve         run the API and the app (default); applies migrations first
  migrate       apply database migrations and exit
  seed --demo   load the demonstration partnership into an empty database and print sign-ins
  seed --synthetic N
                add N synthetic services (after --demo), for scale tests and benchmarks
  seed --synthetic-referrals N
                add N synthetic referral histories (after --demo), for the dashboards' benchmarks
  export-hsds DIR [--tabular]
                write the directory as Open Referral HSDS 3.0 JSON files into DIR,
                or as HSDS's tabular data package (CSV tables, datapackage.json)
  import-hsds DIR
                load HSDS JSON files or a tabular data package from DIR, upserting
                by id; bad records are reported and skipped (exit status 1 when any was)
  bootstrap     on a new instance: create the first organization (NAME, SLUG) and its
                system admin (EMAIL), and print the admin's temporary password
  keys rotate   re-seal every encrypted participant field and evidence file under the
                current key (HARBOUR_ENCRYPTION_KEY_ID), opening old ones with
                HARBOUR_ENCRYPTION_PREVIOUS_KEYS; all or nothing
  backup FILE   write a consistent copy of the database to FILE while Harbour runs
                (SQLite: VACUUM INTO; PostgreSQL: pg_dump custom format)
  restore FILE  put the backup in FILE in place of the database (stop Harbour first
                on SQLite); refused when its audit trail does not verify
  audit verify  walk the hash-chained audit trail; exit status 1 naming the first
                altered event, or the first after a deleted one
  openapi       print the OpenAPI document

Configuration: HARBOUR_* environment variables and DATABASE_URL, over harbour.toml (see README).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if args.as_slice() == ["openapi"] {
        print!("{}", harbour::openapi::to_committed_json());
        return ExitCode::SUCCESS;
    }
    if matches!(args.as_slice(), ["--help" | "-h" | "help"]) {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("HARBOUR_LOG").unwrap_or_else(|_| "info".into()))
        .init();
    let result = Settings::load().map_err(|e| e.to_string()).and_then(|settings| match args.as_slice() {
        [] | ["serve"] => serve(settings),
        ["migrate"] => open(&settings).map(drop),
        ["seed", "--demo"] => seed(&settings),
        ["seed", "--synthetic", count] => {
            let count: usize = count.parse().map_err(|_| format!("not a number: {count}"))?;
            let db = open(&settings)?;
            let started = std::time::Instant::now();
            let made = harbour::seed::seed_synthetic(&db, count).map_err(|e| e.to_string())?;
            println!("Added {made} synthetic services in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        ["seed", "--synthetic-referrals", count] => {
            let count: usize = count.parse().map_err(|_| format!("not a number: {count}"))?;
            let db = open(&settings)?;
            let started = std::time::Instant::now();
            let made = harbour::seed::seed_synthetic_referrals(&db, count).map_err(|e| e.to_string())?;
            println!("Added {made} synthetic referral histories in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        ["export-hsds", dir] | ["export-hsds", dir, "--tabular"] => open(&settings).and_then(|db| {
            use harbour::directory::exchange::{export, Format};
            let format = if args.contains(&"--tabular") { Format::Tabular } else { Format::Json };
            let counts = export(&db, std::path::Path::new(dir), &settings.time_zone, format).map_err(|e| e.to_string())?;
            println!("Exported to {dir}: {counts:?}");
            Ok(())
        }),
        ["import-hsds", dir] => open(&settings).and_then(|db| {
            let report = harbour::directory::exchange::import(&db, std::path::Path::new(dir)).map_err(|e| e.to_string())?;
            println!("Loaded: {:?}", report.loaded);
            for skipped in &report.skipped {
                let at = skipped.index.map(|i| format!(" #{i}")).unwrap_or_default();
                println!("Skipped {}{at} {}: {}", skipped.file, skipped.id.as_deref().unwrap_or(""), skipped.reason);
            }
            if report.skipped.is_empty() { Ok(()) } else { Err(format!("{} record(s) skipped", report.skipped.len())) }
        }),
        ["bootstrap", name, slug, email] => open(&settings).and_then(|db| {
            let temporary = harbour::bootstrap::bootstrap(&db, name, slug, email).map_err(|e| e.to_string())?;
            println!("Created {name} and its system admin {email}.\nTemporary password (change it at first sign-in): {temporary}");
            Ok(())
        }),
        ["keys", "rotate"] => open(&settings).and_then(|db| {
            let keyring = harbour::crypto::Keyring::from_settings(&settings);
            let mut conn = db.get().map_err(|e| e.to_string())?;
            let (fields, files) = harbour::db::transaction(&mut conn, |conn| {
                let fields = harbour::participants::service::reseal_all(conn, &keyring)?;
                let files = harbour::consent::service::reseal_evidence(conn, &keyring)?;
                Ok::<_, harbour::error::ApiError>((fields, files))
            })
            .map_err(|e| match e {
                // The CLI operator is the one who may see the cause (an unknown key id…).
                harbour::error::ApiError::Internal(cause) => cause,
                other => other.to_string(),
            })?;
            println!("Re-sealed {fields} participant field(s) and {files} evidence file(s) under key `{}`.", keyring.current_id());
            Ok(())
        }),
        ["backup", file] => {
            harbour::backup::backup(&settings.database_url, std::path::Path::new(file)).map_err(|e| e.to_string())?;
            println!("Backed up to {file}.");
            Ok(())
        }
        ["restore", file] => {
            let verified = harbour::backup::restore(&settings.database_url, std::path::Path::new(file)).map_err(|e| e.to_string())?;
            println!("Restored from {file}; the audit trail is intact: {} event(s), head {}.", verified.events_checked, verified.head_hash.unwrap_or_else(|| "(empty)".into()));
            Ok(())
        }
        ["audit", "verify"] => open(&settings).and_then(|db| {
            let mut conn = db.get().map_err(|e| e.to_string())?;
            let result = harbour::audit::verify(&mut conn).map_err(|e| e.to_string())?;
            match result.first_broken {
                None => {
                    println!("The audit trail is intact: {} event(s); head {}.", result.events_checked, result.head_hash.unwrap_or_else(|| "(empty)".into()));
                    Ok(())
                }
                Some(broken) => Err(format!("the audit trail is broken at event #{} ({}): {}", broken.seq, broken.id, broken.reason)),
            }
        }),
        _ => Err(format!("unknown command\n\n{USAGE}")),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("harbour: {message}");
            ExitCode::FAILURE
        }
    }
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
