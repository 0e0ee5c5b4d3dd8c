//! `harbour backup` and `harbour restore`: a copy taken while the server runs, restored
//! into another database, holds the same rows and an audit trail that still verifies;
//! a tampered backup is refused.

use harbour::db::{Db, DbConn};
use harbour_tests::{on_both_backends, SpareDatabase, TestApp};
use harbour_types::Role;
use serde_json::Value;

use crate::participants::{consent, record_participant, verbal};
use crate::referrals::{referral, service_of_b};

/// Every row of the tables that matter, as text, in a stable order.
fn contents(conn: &mut DbConn) -> Vec<String> {
    use diesel::prelude::*;
    use harbour::db::schema::{audit_events, consents, participants, referral_events, referrals, services};
    let mut out = Vec::new();
    out.extend(referrals::table.order(referrals::id).select(harbour::referrals::repo::ReferralRow::as_select()).load(conn).unwrap().iter().map(|r| format!("{r:?}")));
    out.extend(referral_events::table.order(referral_events::id).select(harbour::referrals::repo::EventRow::as_select()).load(conn).unwrap().iter().map(|r| format!("{r:?}")));
    out.extend(participants::table.order(participants::id).select(harbour::participants::repo::ParticipantRow::as_select()).load(conn).unwrap().iter().map(|r| format!("{r:?}")));
    out.extend(consents::table.order(consents::id).select((consents::id, consents::statement_text, consents::expires_at)).load::<(String, String, chrono::NaiveDateTime)>(conn).unwrap().iter().map(|r| format!("{r:?}")));
    out.extend(audit_events::table.order(audit_events::seq).select((audit_events::seq, audit_events::hash)).load::<(i64, String)>(conn).unwrap().iter().map(|r| format!("{r:?}")));
    out.extend(services::table.order(services::id).select((services::id, services::name, services::version)).load::<(String, String, i32)>(conn).unwrap().iter().map(|r| format!("{r:?}")));
    out
}

async fn a_backup_restores_into_another_database_whole(app: TestApp) {
    let service = service_of_b(&app).await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &outreach_a, "Nova").await;
    consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs"])).await;
    let sent: Value = app.post("/api/v1/referrals", &outreach_a, &referral(&participant, &service, true)).await.json().await.unwrap();
    assert_eq!(sent["status"], "sent");

    let folder = std::env::temp_dir().join(format!("harbour-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("harbour.backup");
    let (url, path) = (app.database_url().to_owned(), file.clone());
    tokio::task::spawn_blocking(move || harbour::backup::backup(&url, &path)).await.unwrap().expect("backup while the server runs");
    let (url, path) = (app.database_url().to_owned(), file.clone());
    let again = tokio::task::spawn_blocking(move || harbour::backup::backup(&url, &path)).await.unwrap();
    assert!(matches!(again, Err(harbour::backup::BackupError::Exists(_))), "a backup never overwrites a file");

    let spare = SpareDatabase::create(app.backend).await;
    let (url, path, keyring) = (spare.url.clone(), file.clone(), app.keyring());
    let verified = tokio::task::spawn_blocking(move || harbour::backup::restore(&url, &path, &keyring, None)).await.unwrap().expect("restore").verification;
    assert!(verified.intact && verified.events_checked > 0, "{verified:?}");

    let (source, restored) = (app.db.clone(), spare.url.clone());
    let (before, after) = tokio::task::spawn_blocking(move || {
        let restored = Db::connect(&restored, 1).unwrap();
        assert!(restored.migrate().unwrap().is_empty(), "the restored database is at the same migration");
        (contents(&mut source.get().unwrap()), contents(&mut restored.get().unwrap()))
    })
    .await
    .unwrap();
    assert!(before.len() >= 8, "a referral, its timeline, participant, consent, audit events and service: {before:?}");
    assert_eq!(before, after, "the same rows, byte for byte");
    std::fs::remove_dir_all(folder).unwrap();
}

async fn a_tampered_backup_is_refused(app: TestApp) {
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    record_participant(&app, &outreach_a, "Wren").await;
    let folder = std::env::temp_dir().join(format!("harbour-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("harbour.backup");
    let (url, path) = (app.database_url().to_owned(), file.clone());
    tokio::task::spawn_blocking(move || harbour::backup::backup(&url, &path)).await.unwrap().unwrap();

    // Someone edits an audit event in the copy (triggers lifted, as an attacker with the file would).
    let spare = SpareDatabase::create(app.backend).await;
    let (url, path, keyring) = (spare.url.clone(), file.clone(), app.keyring());
    let tamper = match app.backend {
        harbour::db::Backend::Sqlite => "DROP TRIGGER audit_events_no_update; UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 1;",
        harbour::db::Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER USER; UPDATE audit_events SET actor_id = 'someone-else' WHERE seq = 1;",
    };
    let outcome = tokio::task::spawn_blocking(move || {
        use diesel::connection::SimpleConnection;
        match harbour::db::Backend::of(&url) {
            harbour::db::Backend::Sqlite => {
                // Edit the file itself, then restore it.
                let mut conn = <diesel::SqliteConnection as diesel::Connection>::establish(path.to_str().unwrap()).unwrap();
                conn.batch_execute(tamper).unwrap();
                drop(conn);
                harbour::backup::restore(&url, &path, &keyring, None).map(|r| r.verification)
            }
            harbour::db::Backend::Postgres => {
                // A dump cannot be edited in place: restore, tamper, dump again, restore that.
                harbour::backup::restore(&url, &path, &keyring, None).unwrap();
                let db = Db::connect(&url, 1).unwrap();
                let DbConn::Postgresql(pg) = &mut *db.get().unwrap() else { unreachable!() };
                pg.batch_execute(tamper).unwrap();
                drop(db);
                let edited = path.with_extension("edited");
                harbour::backup::backup(&url, &edited).unwrap();
                harbour::backup::restore(&url, &edited, &keyring, None).map(|r| r.verification)
            }
        }
    })
    .await
    .unwrap();
    assert!(matches!(outcome, Err(harbour::backup::BackupError::AuditBroken { seq: 1, .. })), "{outcome:?}");
    std::fs::remove_dir_all(folder).unwrap();
}

on_both_backends!(a_backup_restores_into_another_database_whole, a_tampered_backup_is_refused);
