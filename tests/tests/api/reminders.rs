//! Overdue referrals remind both sides: once, on the timeline and by e-mail through the
//! configured SMTP server, with no participant data in the message.

use std::sync::{Arc, Mutex};

use harbour::db::Backend;
use harbour_tests::TestApp;
use harbour_types::Role;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::participants::{consent, record_participant, verbal, CANARY};

/// One message the fake server accepted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mail {
    pub(crate) recipients: Vec<String>,
    pub(crate) data: String,
}

/// A minimal SMTP server on a free port that accepts everything and keeps it.
async fn smtp_server() -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mails = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&mails);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let kept = Arc::clone(&kept);
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 fake.test ESMTP\r\n").await;
                let mut mail = Mail::default();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-fake.test\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        mail.recipients.push(line[8..].trim().trim_matches(['<', '>']).to_owned());
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        let _ = write.write_all(b"354 go ahead\r\n").await;
                        while let Ok(Some(data)) = lines.next_line().await {
                            if data == "." {
                                break;
                            }
                            mail.data.push_str(&data);
                            mail.data.push('\n');
                        }
                        kept.lock().unwrap().push(std::mem::take(&mut mail));
                        b"250 queued\r\n"
                    } else if upper == "QUIT" {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (port, mails)
}

/// An app that sends its e-mail to a fake SMTP server, with `change` made to its settings
/// (the sweeps' intervals), and what that server receives.
pub(crate) async fn app_with_mail(backend: Backend, change: impl FnOnce(&mut harbour::config::Settings)) -> (TestApp, Arc<Mutex<Vec<Mail>>>) {
    let (port, mails) = smtp_server().await;
    let app = TestApp::spawn_with(backend, |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.smtp_from = "Harbour <harbour@example.org>".into();
        s.public_url = "https://harbour.example.org".into();
        change(s);
    })
    .await;
    (app, mails)
}

/// Every message received, once a first one came and several sweeps went by after it (so
/// that one sent twice would be there twice).
pub(crate) async fn mails_after_sweeps(mails: &Arc<Mutex<Vec<Mail>>>) -> Vec<Mail> {
    let mut waited = 0;
    while mails.lock().unwrap().is_empty() && waited < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    mails.lock().unwrap().clone()
}

async fn overdue_referrals_remind_both_sides_once(backend: Backend) {
    let (app, mails) = app_with_mail(backend, |s| s.referral_sweep_ms = 150).await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let service: Value = app
        .post(&format!("/api/v1/organizations/{}/services", app.fixture.org_b), &admin_b, &json!({"name": "Youth housing", "description": "Rooms."}))
        .await
        .json()
        .await
        .unwrap();
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Pollux").await;
    consent(&app, &worker, verbal(&participant, &[&app.fixture.org_b], &["referral"], &["needs", "identity"])).await;
    let body = json!({"participant_id": participant, "service_id": service["id"], "urgency": "emergency", "participant_confirmed": true, "send": true});
    let sent: Value = app.post("/api/v1/referrals", &worker, &body).await.json().await.unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    app.execute_sql(format!("UPDATE referrals SET due_at = '2020-01-01 00:00:00' WHERE id = '{id}'")).await;

    // Several sweeps later, still one reminder.
    let mails = mails_after_sweeps(&mails).await;
    let mut recipients: Vec<String> = mails.iter().flat_map(|m| m.recipients.clone()).collect();
    recipients.sort();
    assert_eq!(recipients, ["agency_admin@org-b.test", "intake_worker@org-b.test", "outreach_worker@org-a.test"], "the receiving side and the sender, once each");
    for mail in &mails {
        assert!(mail.data.contains(&format!("https://harbour.example.org/referrals/{id}")), "{}", mail.data);
        assert!(!mail.data.contains("Pollux") && !mail.data.contains("Zebulon") && !mail.data.contains(CANARY), "no participant data: {}", mail.data);
    }
    let referral: Value = app.get(&format!("/api/v1/referrals/{id}"), &worker).await.json().await.unwrap();
    let reminded = referral["timeline"].as_array().unwrap().iter().filter(|e| e["kind"] == "reminded").count();
    assert_eq!(reminded, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_overdue_referrals_remind_both_sides_once() {
    overdue_referrals_remind_both_sides_once(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_overdue_referrals_remind_both_sides_once() {
    overdue_referrals_remind_both_sides_once(Backend::Postgres).await;
}
