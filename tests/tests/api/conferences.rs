//! Case conferences: convened by the organization that recorded the participant,
//! inviting only organizations an active consent names for `case_conference` (the
//! refusal names the missing consent); seen by an organization invited while that
//! consent lasts and by nobody else (another organization guessing ids, a coordinator,
//! an API client, the invited organization after the withdrawal); action items tracked
//! to done; sealed at rest; every access audited and in the disclosure report; in the
//! participant's own records; gone with an erasure. Invitations are iCalendar that an
//! outside reader (Python's icalendar) accepts, and like the webhooks name no one.

use harbour::db::Backend;
use harbour_tests::{on_both_backends, problem, TestApp};
use harbour_types::Role;
use serde_json::{json, Value};

use crate::participants::{consent, record_participant, verbal, CANARY};
use crate::plans::user_id;
use crate::referrals::client_token;
use crate::reminders::{app_with_mail, mails_after_sweeps};
use crate::webhooks::{receiver, wait_for};

/// Reads calendars as a calendar program would (Python's icalendar): `.ics` files
/// whole, and the `text/calendar` parts of `.eml` messages. Prints what each holds, as
/// JSON, and the problems found: icalendar's own parse errors, required properties
/// missing (RFC 5545 3.6.1; ORGANIZER and ATTENDEE in an iTIP message, RFC 5546), and
/// for files, lines that are not CRLF-ended or longer than 75 octets (3.1).
const READ_CALENDARS: &str = r#"
import email, json, sys
from email import policy
from icalendar import Calendar

out = []
for path in sys.argv[1:]:
    raw = open(path, "rb").read()
    if path.endswith(".eml"):
        message = email.message_from_bytes(raw, policy=policy.default)
        texts = [part.get_payload(decode=True) for part in message.walk() if part.get_content_type() == "text/calendar"]
        strict = False
    else:
        texts, strict = [raw], True
    for text in texts:
        problems = []
        if strict:
            lines = text.split(b"\r\n")
            if lines[-1] != b"":
                problems.append("does not end with CRLF")
            for line in lines[:-1]:
                if b"\n" in line or b"\r" in line:
                    problems.append("a line break that is not CRLF")
                if len(line) > 75:
                    problems.append("a line of %d octets" % len(line))
        calendar = Calendar.from_ical(text)
        for component in calendar.walk():
            problems.extend("%s: %s" % (component.name, error) for error in component.errors)
        for required in ("VERSION", "PRODID"):
            if required not in calendar:
                problems.append("VCALENDAR lacks " + required)
        events = calendar.walk("VEVENT")
        if len(events) != 1:
            problems.append("%d events" % len(events))
        for event in events:
            for required in ("UID", "DTSTAMP", "DTSTART"):
                if required not in event:
                    problems.append("VEVENT lacks " + required)
            if str(calendar.get("METHOD", "")) in ("REQUEST", "CANCEL") and ("ORGANIZER" not in event or "ATTENDEE" not in event):
                problems.append("an invitation lacks ORGANIZER or ATTENDEE")
        out.append({
            "problems": problems,
            "method": str(calendar.get("METHOD", "")),
            "text": text.decode("utf-8"),
            "events": [{
                "uid": str(e.get("UID")),
                "sequence": int(e.get("SEQUENCE", 0)),
                "start": e["DTSTART"].dt.isoformat(),
                "end": e["DTEND"].dt.isoformat() if "DTEND" in e else None,
                "location": str(e.get("LOCATION", "")),
                "status": str(e.get("STATUS", "")),
                "attendees": [str(a) for a in (e.get("ATTENDEE") if isinstance(e.get("ATTENDEE"), list) else [e.get("ATTENDEE")] if e.get("ATTENDEE") else [])],
            } for e in events],
        })
print(json.dumps(out))
"#;

/// What the outside reader found in each calendar of these files (`name.ics` or
/// `name.eml`, with their contents); fails on any problem it reports.
fn read_calendars(files: &[(&str, &str)]) -> Vec<Value> {
    let python = std::env::var("HARBOUR_PYTHON").expect("HARBOUR_PYTHON names the Python with icalendar: run the tests with `cargo xtask test`");
    let folder = std::env::temp_dir().join(format!("harbour-ics-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&folder).unwrap();
    let paths: Vec<_> = files
        .iter()
        .map(|(name, text)| {
            let path = folder.join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect();
    let output = std::process::Command::new(python).arg("-c").arg(READ_CALENDARS).args(&paths).output().unwrap();
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(output.status.success(), "the calendar does not read:\n{}", String::from_utf8_lossy(&output.stderr));
    let found: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    for calendar in &found {
        assert_eq!(calendar["problems"], json!([]), "{}", calendar["text"]);
    }
    found
}

async fn created(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "{body}");
    body
}

fn conference_body(invited: &[&str]) -> Value {
    json!({
        "starts_at": "2027-02-03T14:00:00Z",
        "minutes": 60,
        "place": "Boardroom, 2nd floor",
        "invited": invited.iter().map(|o| json!({"organization_id": o})).collect::<Vec<_>>(),
        "agenda": [
            {"title": "Housing", "notes": format!("{CANARY} wants a room near school"), "decisions": ["B holds a bed until Friday"]},
            {"title": "School"}
        ],
        "voice": {"presence": "does_not_attend", "wants_said": "I want to stay in school"}
    })
}

async fn only_organizations_a_consent_brings_to_the_table_see_the_conference(app: TestApp) {
    let org_c = app.organization_c().await;
    let outreach_a = app.token(Role::OutreachWorker, 'a').await;
    let intake_b = app.token(Role::IntakeWorker, 'b').await;
    let intake_c = app.token(Role::IntakeWorker, 'c').await;
    let participant = record_participant(&app, &outreach_a, "Table talk").await;
    let path = format!("/api/v1/participants/{participant}/conferences");
    let at_table = consent(&app, &outreach_a, verbal(&participant, &[&app.fixture.org_b], &["case_conference"], &["case_notes"])).await;
    // C may read what is shared, but nobody asked the participant about a conference.
    consent(&app, &outreach_a, verbal(&participant, &[&org_c], &["information_sharing"], &["needs"])).await;

    // Inviting C is refused, naming the consent that is missing; so are the convener itself and strangers.
    let refused = problem(app.post(&path, &outreach_a, &conference_body(&[&app.fixture.org_b, &org_c])).await, 422).await;
    assert_eq!(refused["errors"][0]["pointer"], "/invited/1/organization_id", "{refused}");
    assert_eq!(refused["errors"][0]["code"], "consent_missing", "{refused}");
    assert!(refused["errors"][0]["message"].as_str().unwrap().contains("Organization C") && refused["errors"][0]["message"].as_str().unwrap().contains("case conferences"), "{refused}");
    for invited in [vec![app.fixture.org_a.as_str()], vec!["no-such-organization"], vec![app.fixture.org_b.as_str(), app.fixture.org_b.as_str()], vec![]] {
        problem(app.post(&path, &outreach_a, &conference_body(&invited)).await, 422).await;
    }
    let blank = problem(app.post(&path, &outreach_a, &json!({"starts_at": "2027-02-03T14:00:00Z", "minutes": 60, "invited": [{"organization_id": app.fixture.org_b}], "agenda": [{"title": "  "}]})).await, 422).await;
    assert_eq!(blank["errors"][0]["pointer"], "/agenda/0/title");
    problem(app.post(&path, &intake_b, &conference_body(&[&app.fixture.org_b])).await, 403).await;
    let nothing: Vec<Value> = app.get(&path, &outreach_a).await.json().await.unwrap();
    assert!(nothing.is_empty(), "refusals write nothing: {nothing:?}");

    let response = app.post(&path, &outreach_a, &conference_body(&[&app.fixture.org_b])).await;
    assert_eq!(response.headers()["etag"], "\"1\"");
    let conference = created(response).await;
    let id = conference["id"].as_str().unwrap().to_owned();
    assert_eq!(conference["status"], "scheduled");
    assert_eq!(conference["invited"], json!([{"organization": {"id": app.fixture.org_b, "name": "Organization B"}, "attendance": "invited"}]));
    assert_eq!(conference["voice"], json!({"presence": "does_not_attend", "wants_said": "I want to stay in school"}));
    assert_eq!(conference["convened_by_caller"], true);
    let one = format!("/api/v1/conferences/{id}");

    // At rest, the agenda and the voice are sealed.
    for (column, word) in [("agenda_sealed", "room near school"), ("voice_sealed", "stay in school")] {
        assert_eq!(app.try_execute_sql(format!("UPDATE case_conferences SET id = id WHERE {column} LIKE '%{word}%'")).await.unwrap(), 0, "{column} keeps words in clear");
    }

    // B, invited under the consent, sees it whole, in its list and the participant's.
    let seen: Value = app.get(&one, &intake_b).await.json().await.unwrap();
    assert_eq!(seen["agenda"][0]["decisions"], json!(["B holds a bed until Friday"]));
    assert_eq!((seen["participant_alias"].as_str(), seen["convened_by_caller"].as_bool()), (Some("Table talk"), Some(false)));
    let listed: Vec<Value> = app.get("/api/v1/conferences", &intake_b).await.json().await.unwrap();
    assert_eq!(listed.iter().map(|c| c["id"].as_str().unwrap()).collect::<Vec<_>>(), [id.as_str()]);
    let theirs: Vec<Value> = app.get(&path, &intake_b).await.json().await.unwrap();
    assert_eq!(theirs.len(), 1);

    // C, another organization guessing the ids, learns nothing; coordinators and API clients never see it.
    for guessed in [one.clone(), format!("{one}/calendar"), path.clone()] {
        problem(app.get(&guessed, &intake_c).await, 404).await;
    }
    let listed_c: Vec<Value> = app.get("/api/v1/conferences", &intake_c).await.json().await.unwrap();
    assert!(listed_c.is_empty());
    for role in [Role::Coordinator, Role::SystemAdmin] {
        let token = app.token(role, 'a').await;
        problem(app.get(&one, &token).await, 403).await;
        problem(app.get(&path, &token).await, 403).await;
    }
    let client = client_token(&app, 'a', &["directory:read", "referrals:read", "referrals:write"]).await;
    problem(app.get(&one, &client).await, 403).await;

    // Only the convener writes it, with the version it read.
    let mut held = conference_body(&[&app.fixture.org_b]);
    held["status"] = json!("held");
    held["invited"][0]["attendance"] = json!("attended");
    problem(app.put(&one, &intake_b, Some("\"1\""), &held).await, 403).await;
    problem(app.put(&one, &outreach_a, None, &held).await, 428).await;
    problem(app.put(&one, &outreach_a, Some("\"7\""), &held).await, 412).await;
    let updated = app.put(&one, &outreach_a, Some("\"1\""), &held).await;
    assert_eq!(updated.headers()["etag"], "\"2\"");
    let updated: Value = updated.json().await.unwrap();
    assert_eq!((updated["status"].as_str(), updated["invited"][0]["attendance"].as_str()), (Some("held"), Some("attended")));

    // Action items go to the convener or an organization at the table, a person of it.
    let actions = format!("{one}/actions");
    let person_b = user_id(&app, 'b', &app.fixture.org_b, "intake_worker@org-b.test").await;
    let person_c = user_id(&app, 'c', &org_c, "intake_worker@org-c.test").await;
    let refusals = [(json!(org_c), None, "/organization_id"), (json!(app.fixture.org_b), Some(person_c.clone()), "/user_id")];
    for (organization, user, pointer) in refusals {
        let refused = problem(app.post(&actions, &outreach_a, &json!({"description": "x", "organization_id": organization, "user_id": user, "due_on": "2027-02-10"})).await, 422).await;
        assert_eq!(refused["errors"][0]["pointer"], pointer);
    }
    let action_body = json!({"description": "hold a bed until Friday", "organization_id": app.fixture.org_b, "user_id": person_b, "due_on": "2027-02-10"});
    problem(app.post(&actions, &intake_b, &action_body).await, 403).await;
    let action = created(app.post(&actions, &outreach_a, &action_body).await).await;
    assert_eq!((action["status"].as_str(), action["user"]["name"].as_str()), (Some("open"), Some("intake_worker of b")));
    let action_path = format!("{actions}/{}", action["id"].as_str().unwrap());

    // B, given it, marks it done — the status alone; rewording it is the convener's.
    let mut reworded = action_body.clone();
    reworded["description"] = json!("hold two beds");
    problem(app.put(&action_path, &intake_b, Some("\"1\""), &reworded).await, 403).await;
    let mut done = action_body.clone();
    done["status"] = json!("done");
    let marked: Value = app.put(&action_path, &intake_b, Some("\"1\""), &done).await.json().await.unwrap();
    assert_eq!(marked["status"], "done", "{marked}");
    assert!(marked["done_on"].is_string(), "the day it was done is kept: {marked}");
    problem(app.put(&action_path, &intake_c, Some("\"2\""), &done).await, 404).await;

    // The calendar file reads as a calendar and says nothing about the person.
    let file = app.get(&format!("{one}/calendar"), &intake_b).await;
    assert!(file.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let text = file.text().await.unwrap();
    let calendars = read_calendars(&[("conference.ics", &text)]);
    let event = &calendars[0]["events"][0];
    assert_eq!((calendars[0]["method"].as_str(), event["start"].as_str(), event["end"].as_str()), (Some("PUBLISH"), Some("2027-02-03T14:00:00+00:00"), Some("2027-02-03T15:00:00+00:00")));
    assert_eq!(event["location"], "Boardroom, 2nd floor");
    for private in ["Table talk", CANARY, "school", "bed"] {
        assert!(!text.contains(private), "the calendar says {private:?}: {text}");
    }

    // The withdrawal takes it from B on the next request.
    assert_eq!(app.post(&format!("/api/v1/consents/{}/revoke", at_table["id"].as_str().unwrap()), &outreach_a, &json!({"method": "phone"})).await.status(), 200);
    problem(app.get(&one, &intake_b).await, 404).await;
    problem(app.put(&action_path, &intake_b, Some("\"2\""), &action_body).await, 404).await;
    let after: Vec<Value> = app.get("/api/v1/conferences", &intake_b).await.json().await.unwrap();
    assert!(after.is_empty(), "{after:?}");

    // Every access is audited: the owner's disclosure report says what B read, under which consent.
    let report: Value = app.get(&format!("/api/v1/participants/{participant}/disclosures"), &outreach_a).await.json().await.unwrap();
    let by_b: Vec<&Value> = report["disclosures"].as_array().unwrap().iter().filter(|d| d["action"].as_str().unwrap().starts_with("conference.") && d["organization"]["id"] == app.fixture.org_b.as_str()).collect();
    assert!(by_b.len() >= 5, "{report}");
    assert!(by_b.iter().all(|d| d["consent_id"] == at_table["id"] && d["purpose"] == "case_conference"), "{report}");
    assert!(by_b.iter().any(|d| d["action"] == "conference.write"), "B's action item marked done: {report}");

    // The participant's own records carry it.
    let records: Value = app.get(&format!("/api/v1/participants/{participant}/own-records"), &outreach_a).await.json().await.unwrap();
    assert_eq!(records["conferences"][0]["voice"]["wants_said"], "I want to stay in school", "{records}");
    let page = app.get(&format!("/api/v1/participants/{participant}/own-records?format=html"), &outreach_a).await.text().await.unwrap();
    assert!(page.contains("Case conferences about you") && page.contains("I want to stay in school") && page.contains("hold a bed until Friday"), "{page}");

    // An erasure takes every row.
    let erased = app.post(&format!("/api/v1/participants/{participant}/erasure"), &app.token(Role::AgencyAdmin, 'a').await, &json!({"method": "in_person", "reason": "participant_request"})).await;
    assert_eq!(erased.status(), 201, "{}", erased.text().await.unwrap());
    for (table, column) in [("case_conferences", "participant_id"), ("conference_actions", "participant_id"), ("conference_invitations", "conference_id")] {
        let value = if column == "conference_id" { &id } else { &participant };
        assert_eq!(app.try_execute_sql(format!("UPDATE {table} SET {column} = {column} WHERE {column} = '{value}'")).await.unwrap(), 0, "{table} keeps rows of an erased participant");
    }
}

async fn a_conference_posted_twice_with_one_key_is_convened_once(app: TestApp) {
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Twice").await;
    consent(&app, &worker, verbal(&participant, &[&app.fixture.org_b], &["case_conference"], &["case_notes"])).await;
    let path = format!("/api/v1/participants/{participant}/conferences");
    let body = conference_body(&[&app.fixture.org_b]);
    let send = || async { app.request(reqwest::Method::POST, &path).bearer_auth(&worker).header("idempotency-key", "c0nf-once").json(&body).send().await.unwrap() };
    let (first, again) = (send().await, send().await);
    assert_eq!((first.status().as_u16(), again.status().as_u16()), (201, 201));
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let listed: Vec<Value> = app.get(&path, &worker).await.json().await.unwrap();
    assert_eq!(listed.len(), 1, "convened once");
}

/// Invitations go to the invited organization's desk and the case's contact as iCalendar
/// a calendar program accepts (REQUEST, then CANCEL), webhooks tell of the conference and
/// the action item given, and the action item's due date reminds its person once — all
/// naming no one.
async fn invitations_webhooks_and_reminders_name_no_one(backend: Backend) {
    let (app, mails) = app_with_mail(backend, |s| s.review_sweep_ms = 150).await;
    let hook = receiver(0).await;
    let admin_b = app.token(Role::AgencyAdmin, 'b').await;
    let subscribed = app.post("/api/v1/webhooks", &admin_b, &json!({"url": hook.url, "event_types": ["conference.scheduled", "conference.action_assigned"]})).await;
    assert_eq!(subscribed.status(), 201);
    let worker = app.token(Role::OutreachWorker, 'a').await;
    let participant = record_participant(&app, &worker, "Invited alias").await;
    consent(&app, &worker, verbal(&participant, &[&app.fixture.org_b], &["case_conference"], &["case_notes"])).await;
    let conference = created(app.post(&format!("/api/v1/participants/{participant}/conferences"), &worker, &conference_body(&[&app.fixture.org_b])).await).await;
    let id = conference["id"].as_str().unwrap().to_owned();
    let person_b = user_id(&app, 'b', &app.fixture.org_b, "intake_worker@org-b.test").await;
    let action = json!({"description": format!("{CANARY}: call back"), "organization_id": app.fixture.org_b, "user_id": person_b, "due_on": "2020-01-01"});
    let action = created(app.post(&format!("/api/v1/conferences/{id}/actions"), &worker, &action).await).await;

    let got = wait_for(&hook, 2).await;
    let payloads: Vec<Value> = got.iter().map(|r| serde_json::from_str(&r.body).unwrap()).collect();
    assert_eq!(payloads[0]["type"], "conference.scheduled");
    assert_eq!(payloads[0]["data"], json!({"conference_id": id, "organization_id": app.fixture.org_b}));
    assert_eq!(payloads[1]["type"], "conference.action_assigned");
    assert_eq!(payloads[1]["data"], json!({"conference_id": id, "action_id": action["id"], "organization_id": app.fixture.org_b}));

    let sent = mails_after_sweeps(&mails).await;
    let invitations: Vec<_> = sent.iter().filter(|m| m.data.contains("text/calendar")).collect();
    let mut invited: Vec<&str> = invitations.iter().flat_map(|m| m.recipients.iter().map(String::as_str)).collect();
    invited.sort_unstable();
    assert_eq!(invited, ["agency_admin@org-b.test", "intake_worker@org-b.test", "outreach_worker@org-a.test"], "B's desk, and the case's contact (no primary contact: who convened)");
    let files: Vec<(String, String)> = invitations.iter().enumerate().map(|(i, m)| (format!("invitation-{i}.eml"), m.data.clone())).collect();
    let read = read_calendars(&files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect::<Vec<_>>());
    assert!(read.iter().all(|c| c["method"] == "REQUEST" && c["events"][0]["uid"].as_str().unwrap().contains(&id)), "{read:?}");
    let reminder: Vec<_> = sent.iter().filter(|m| m.data.contains("action item")).collect();
    assert_eq!(reminder.len(), 1, "one reminder of the action item due: {sent:?}");
    assert_eq!(reminder[0].recipients, ["intake_worker@org-b.test"]);
    assert!(reminder[0].data.replace("=\n", "").contains(&format!("/conferences/{id}")));

    // Called off: a cancellation, the next version of the same event.
    mails.lock().unwrap().clear();
    let mut cancelled = conference_body(&[&app.fixture.org_b]);
    cancelled["status"] = json!("cancelled");
    assert_eq!(app.put(&format!("/api/v1/conferences/{id}"), &worker, Some("\"1\""), &cancelled).await.status(), 200);
    let sent_again = mails_after_sweeps(&mails).await;
    let files: Vec<(String, String)> = sent_again.iter().filter(|m| m.data.contains("text/calendar")).enumerate().map(|(i, m)| (format!("cancel-{i}.eml"), m.data.clone())).collect();
    assert_eq!(files.len(), 3, "{sent_again:?}");
    let read = read_calendars(&files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect::<Vec<_>>());
    assert!(read.iter().all(|c| c["method"] == "CANCEL" && c["events"][0]["status"] == "CANCELLED" && c["events"][0]["sequence"] == 2), "{read:?}");

    for text in sent.iter().chain(&sent_again).map(|m| m.data.replace("=\n", "")).chain(got.iter().map(|r| r.body.clone())) {
        for private in ["Invited alias", CANARY, "stay in school", "room near", "call back"] {
            assert!(!text.contains(private), "a message says {private:?}: {text}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_invitations_webhooks_and_reminders_name_no_one() {
    invitations_webhooks_and_reminders_name_no_one(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_invitations_webhooks_and_reminders_name_no_one() {
    invitations_webhooks_and_reminders_name_no_one(Backend::Postgres).await;
}

on_both_backends!(only_organizations_a_consent_brings_to_the_table_see_the_conference, a_conference_posted_twice_with_one_key_is_convened_once);
