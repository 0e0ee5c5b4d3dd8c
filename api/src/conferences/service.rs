//! Convening, writing and reading case conferences. Who may see one is the consent
//! policy's answer (`consent::policy::conference_access`): the organization that recorded
//! the participant convenes and writes them; an organization invited sees the ones it is
//! invited to while an active consent names it for `case_conference`, and changes the
//! status of the action items given to it; for anyone else there is no such conference.
//! Each read and write is audited in its transaction; invitations go out after it commits.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, Utc};
use harbour_types::{
    ActionInput, ActionItem, ActionStatus, AgendaItem, Attendance, AuditAction, Conference, ConferenceId, ConferenceInput, ConferenceStatus, ConferenceSummary, DataCategory, Invitation, OrganizationId,
    OrganizationRef, ParticipantId, ParticipantVoice, PersonRef, WebhookEvent,
};

use super::calendar::Method;
use super::error::ConferenceError;
use super::repo::{self, ActionRow, ConferenceRow, InvitationRow};
use crate::audit::{self, Accessor, AuditEntry};
use crate::consent::policy::{self, Access};
use crate::consent::repo::ConsentRecord;
use crate::data_keys::ParticipantKey;
use crate::db::{ordered_id, read_date, stored_date, DbConn};
use crate::participants::repo::{is_frontline_colleague, ParticipantRecord};
use crate::safety_plans::sweep::Reminder;
use crate::state::AppState;
use crate::webhooks::outbox::{Announcement, Subject};

/// A conference's participant as the caller may see them: their record, their
/// consents (read once), and how the caller sees their conferences.
struct Seen {
    record: ParticipantRecord,
    consents: Vec<ConsentRecord>,
    access: Access,
}

impl Seen {
    fn owner(&self) -> bool {
        self.access == Access::Owner
    }

    fn participant_id(&self) -> &ParticipantId {
        &self.record.row.id
    }

    /// Whether `organization` is at the table now: the convener, or invited with an
    /// active consent naming it for case conferences.
    fn at_table(&self, organization: &OrganizationId, invited: &[OrganizationId]) -> bool {
        *organization == self.record.row.organization_id || (invited.contains(organization) && policy::may_confer(organization, &self.consents, Utc::now()))
    }
}

/// The participant, if the caller may see any of their conferences.
fn seen(conn: &mut DbConn, accessor: &Accessor, participant_id: &ParticipantId) -> Result<Seen, ConferenceError> {
    let record = crate::participants::repo::find(conn, participant_id)?.ok_or(ConferenceError::NotFound)?;
    let consents = crate::consent::repo::for_participant(conn, participant_id)?;
    let access = policy::conference_access(&accessor.principal, &record.row.organization_id, &consents, Utc::now()).ok_or(ConferenceError::NotFound)?;
    Ok(Seen { record, consents, access })
}

fn invited_of(conn: &mut DbConn, id: &ConferenceId) -> Result<Vec<OrganizationId>, ConferenceError> {
    Ok(repo::invitations(conn, std::slice::from_ref(id))?.into_iter().map(|(i, _)| i.organization_id).collect())
}

/// The conference, if the caller may see it: its convener, or an organization invited
/// whose consent is active. Anything else is the same 404 as no conference.
fn visible(conn: &mut DbConn, accessor: &Accessor, id: &ConferenceId) -> Result<(ConferenceRow, Seen), ConferenceError> {
    let row = repo::find(conn, id)?.ok_or(ConferenceError::NotFound)?;
    let seen = seen(conn, accessor, &row.participant_id)?;
    if !seen.owner() && !invited_of(conn, id)?.contains(&accessor.principal.organization_id) {
        return Err(ConferenceError::NotFound);
    }
    Ok((row, seen))
}

fn audited<'a>(action: AuditAction, id: &'a str, participant_id: &'a ParticipantId, access: &'a Access, categories: Vec<DataCategory>) -> AuditEntry<'a> {
    AuditEntry { action, entity_type: "case_conference", entity_id: id, participant_id: Some(participant_id), consent_id: access.consent_id(), purpose: access.purpose(), categories }
}

/// The places a conference's words are sealed for.
fn aad(participant_id: &ParticipantId, id: &ConferenceId, part: &str) -> String {
    format!("participants/{participant_id}/conferences/{id}/{part}")
}

fn action_aad(participant_id: &ParticipantId, id: &ConferenceId, action_id: &str) -> String {
    aad(participant_id, id, &format!("actions/{action_id}"))
}

fn writer(accessor: &Accessor) -> String {
    accessor.principal.user_id().unwrap_or_default().to_owned()
}

/// The words of a field, trimmed: a field of spaces alone is refused.
fn words(text: &str, pointer: impl FnOnce() -> String) -> Result<String, ConferenceError> {
    Some(text.trim()).filter(|t| !t.is_empty()).map(str::to_owned).ok_or_else(|| ConferenceError::Blank(pointer()))
}

/// The agenda as stored: titles and decisions trimmed and never blank, notes kept
/// only when they say something.
fn agenda_checked(agenda: Vec<AgendaItem>) -> Result<Vec<AgendaItem>, ConferenceError> {
    agenda
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let decisions = item
                .decisions
                .iter()
                .enumerate()
                .map(|(d, decision)| {
                    let decision = words(decision, || format!("/agenda/{i}/decisions/{d}"))?;
                    if decision.chars().count() > 2000 {
                        return Err(crate::error::ApiError::invalid(&format!("/agenda/{i}/decisions/{d}"), "length", "a decision is at most 2000 characters").into());
                    }
                    Ok(decision)
                })
                .collect::<Result<Vec<_>, ConferenceError>>()?;
            Ok(AgendaItem { title: words(&item.title, || format!("/agenda/{i}/title"))?, notes: item.notes.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()), decisions })
        })
        .collect()
}

fn text(bytes: Vec<u8>) -> Result<String, ConferenceError> {
    String::from_utf8(bytes).map_err(|e| crate::error::ApiError::Internal(format!("sealed conference words do not read: {e}")).into())
}

/// The invitations as stored, each organization checked: an active partner, not the
/// convener, named once, and — when newly invited — named in an active consent for case
/// conferences (one already invited whose consent has ended stays listed, and no
/// longer sees the conference or hears of it).
fn invitations_checked(conn: &mut DbConn, seen: &Seen, id: &ConferenceId, input: &ConferenceInput, already: &[OrganizationId]) -> Result<Vec<InvitationRow>, ConferenceError> {
    let mut rows: Vec<InvitationRow> = Vec::new();
    for (i, invitation) in input.invited.iter().enumerate() {
        let pointer = format!("/invited/{i}/organization_id");
        let organization = OrganizationId::from(invitation.organization_id.as_str());
        let found = crate::organizations::repo::find(conn, &organization)?;
        let Some(found) = found.filter(|o| o.active && o.id != seen.record.row.organization_id && !rows.iter().any(|r| r.organization_id == o.id)) else {
            return Err(ConferenceError::NotInvitable(pointer));
        };
        if !already.contains(&organization) && !policy::may_confer(&organization, &seen.consents, Utc::now()) {
            return Err(ConferenceError::NoConsent(pointer, found.name));
        }
        rows.push(InvitationRow { conference_id: id.clone(), organization_id: organization, attendance: invitation.attendance.unwrap_or(Attendance::Invited) });
    }
    Ok(rows)
}

/// Everything about these conferences (all of one participant's), as the caller sees them.
fn assemble(conn: &mut DbConn, key: &ParticipantKey, seen: &Seen, rows: Vec<ConferenceRow>, viewer: &OrganizationId) -> Result<Vec<Conference>, ConferenceError> {
    let ids: Vec<ConferenceId> = rows.iter().map(|r| r.id.clone()).collect();
    let mut invitations: HashMap<ConferenceId, Vec<Invitation>> = HashMap::new();
    for (row, name) in repo::invitations(conn, &ids)? {
        invitations.entry(row.conference_id).or_default().push(Invitation { organization: OrganizationRef { id: row.organization_id.to_string(), name }, attendance: row.attendance });
    }
    let action_rows = repo::actions(conn, &ids)?;
    let user_ids: Vec<String> = action_rows.iter().filter_map(|a| a.user_id.clone()).collect();
    let users = crate::users::repo::names(conn, &user_ids)?;
    let organization_ids: Vec<OrganizationId> = action_rows.iter().map(|a| a.organization_id.clone()).collect();
    let organizations = crate::organizations::repo::names(conn, &organization_ids)?;
    let mut actions: HashMap<ConferenceId, Vec<ActionItem>> = HashMap::new();
    for row in action_rows {
        let item = action_item(key, row, &users, &organizations)?;
        actions.entry(ConferenceId::from(item.conference_id.as_str())).or_default().push(item);
    }
    let participant_id = seen.participant_id();
    let primary_contact = seen.record.row.primary_contact_id.clone().zip(seen.record.primary_contact_name.clone()).map(|(id, name)| PersonRef { id, name });
    rows.into_iter()
        .map(|row| {
            let agenda: Vec<AgendaItem> = serde_json::from_slice(&key.open(&row.agenda_sealed, &aad(participant_id, &row.id, "agenda"))?)
                .map_err(|e| crate::error::ApiError::Internal(format!("a sealed agenda does not read: {e}")))?;
            let wants_said = Some(text(key.open(&row.voice_sealed, &aad(participant_id, &row.id, "voice"))?)?).filter(|v| !v.is_empty());
            Ok(Conference {
                participant_id: participant_id.to_string(),
                participant_alias: seen.record.row.alias.clone(),
                convener: convener(seen, &row),
                primary_contact: primary_contact.clone(),
                starts_at: row.starts_at.and_utc(),
                minutes: row.minutes,
                place: row.place,
                link: row.link,
                status: row.status,
                invited: invitations.remove(&row.id).unwrap_or_default(),
                agenda,
                voice: ParticipantVoice { presence: row.presence, wants_said },
                actions: actions.remove(&row.id).unwrap_or_default(),
                version: row.version,
                convened_by_caller: row.organization_id == *viewer,
                updated_at: row.updated_at.and_utc(),
                id: row.id.to_string(),
            })
        })
        .collect()
}

fn action_item(key: &ParticipantKey, row: ActionRow, users: &HashMap<String, String>, organizations: &HashMap<OrganizationId, String>) -> Result<ActionItem, ConferenceError> {
    Ok(ActionItem {
        description: text(key.open(&row.description_sealed, &action_aad(&row.participant_id, &row.conference_id, &row.id))?)?,
        organization: OrganizationRef { id: row.organization_id.to_string(), name: organizations.get(&row.organization_id).cloned().unwrap_or_default() },
        user: row.user_id.as_ref().map(|id| PersonRef { id: id.clone(), name: users.get(id).cloned().unwrap_or_default() }),
        due_on: read_date(Some(&row.due_on)).unwrap_or_default(),
        status: row.status,
        done_on: read_date(row.done_on.as_deref()),
        version: row.version,
        updated_at: row.updated_at.and_utc(),
        conference_id: row.conference_id.to_string(),
        id: row.id,
    })
}

fn one(conn: &mut DbConn, key: &ParticipantKey, seen: &Seen, row: ConferenceRow, viewer: &OrganizationId) -> Result<Conference, ConferenceError> {
    assemble(conn, key, seen, vec![row], viewer)?.pop().ok_or(ConferenceError::NotFound)
}

/// An invitation to send once the change committed: to whom, and whether it invites or
/// calls off.
#[derive(Debug, Clone)]
pub struct Invite {
    pub address: String,
    pub method: Method,
}

/// Who hears of a conference's change, by webhook and invitation, and the statement
/// queuing the webhooks: organizations newly invited, and — when its time, place or
/// status changed — every organization at the table; organizations no longer invited
/// are told it is off for them. Only organizations whose consent is active hear
/// anything; a conference only held (its notes written) tells no one.
fn announced(conn: &mut DbConn, seen: &Seen, row: &ConferenceRow, before: Option<(&ConferenceRow, &[OrganizationId])>, invited: &[OrganizationId]) -> Result<Vec<Invite>, ConferenceError> {
    let moved = before.is_none_or(|(b, _)| (b.starts_at, b.minutes, &b.place, &b.link, b.status) != (row.starts_at, row.minutes, &row.place, &row.link, row.status));
    let previously: &[OrganizationId] = before.map_or(&[], |(_, p)| p);
    let now = Utc::now();
    let method = Method::invitation(row.status);
    let mut told: Vec<(OrganizationId, Method)> = Vec::new();
    if row.status != ConferenceStatus::Held {
        told.extend(invited.iter().filter(|o| moved || !previously.contains(o)).map(|o| (o.clone(), method)));
    }
    told.extend(previously.iter().filter(|o| !invited.contains(o)).map(|o| (o.clone(), Method::Cancel)));
    told.retain(|(o, _)| policy::may_confer(o, &seen.consents, now));
    let mut invites = Vec::new();
    for (organization, method) in &told {
        invites.extend(crate::users::repo::partner_desk(conn, organization)?.into_iter().map(|address| Invite { address, method: *method }));
    }
    let mut organizations: Vec<&str> = told.iter().map(|(o, _)| o.as_str()).collect();
    if moved && row.status != ConferenceStatus::Held {
        if let Some(address) = crate::participants::repo::reminder_address(conn, seen.participant_id(), &row.updated_by)? {
            invites.push(Invite { address, method });
        }
        organizations.push(row.organization_id.as_str());
    }
    crate::webhooks::outbox::queue(conn, &Announcement { events: vec![WebhookEvent::ConferenceScheduled], subject: Subject::Conference { id: row.id.as_str(), action_id: None }, organizations })?;
    invites.sort_by(|a, b| a.address.cmp(&b.address));
    invites.dedup_by(|a, b| a.address == b.address);
    Ok(invites)
}

/// Sends the invitations of a committed change (when SMTP is set); a failure is logged,
/// the conference stands.
fn send_invitations(state: &AppState, row: ConferenceRow, invites: Vec<Invite>) {
    let settings = state.settings.clone();
    if invites.is_empty() {
        return;
    }
    tokio::spawn(async move {
        let Ok(Some(mailer)) = crate::mail::Mailer::new(settings.smtp_url.as_deref(), &settings.smtp_from, &settings.public_url) else { return };
        let link = mailer.link(&format!("/conferences/{}", row.id));
        let host = host_of(&settings.public_url);
        let organizer = mailer.from_address();
        for invite in invites {
            let calendar = super::calendar::calendar(&row, invite.method, &link, &host, Some((&organizer, &invite.address)));
            let (subject, lead, lead_fr) = match invite.method {
                Method::Cancel => (
                    "Harbour: a case conference is called off / une conférence de cas est annulée",
                    "A case conference you were invited to is called off, or no longer includes your organization.",
                    "Une conférence de cas à laquelle vous étiez invités est annulée, ou n'inclut plus votre organisme.",
                ),
                _ => (
                    "Harbour: a case conference / une conférence de cas",
                    "Your organization is invited to a case conference. The invitation is attached; the agenda is in Harbour.",
                    "Votre organisme est invité à une conférence de cas. L'invitation est jointe; l'ordre du jour est dans Harbour.",
                ),
            };
            let body = format!(
                "{lead}\n{link}\n\n{lead_fr}\n{link}\n\n\
                 This message carries no information about the person. / Ce message ne contient aucun renseignement sur la personne.\n"
            );
            if let Err(e) = mailer.send_invitation(&[invite.address], subject, &body, &calendar, invite.method.code()).await {
                tracing::warn!(error = %e, "a conference invitation was not sent");
            }
        }
    });
}

/// The host of Harbour's public address, for the calendar's UIDs.
fn host_of(public_url: &str) -> String {
    reqwest::Url::parse(public_url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| "harbour".to_owned())
}

/// A conference's row as `input` writes it.
fn written_row(key: &ParticipantKey, seen: &Seen, accessor: &Accessor, id: ConferenceId, input: &ConferenceInput, agenda: &[AgendaItem], version: i32) -> Result<ConferenceRow, ConferenceError> {
    let participant_id = seen.participant_id();
    let now = Utc::now().naive_utc();
    let voice = input.voice.wants_said.as_deref().map(str::trim).unwrap_or_default();
    Ok(ConferenceRow {
        agenda_sealed: key.seal(&serde_json::to_vec(agenda).map_err(|e| crate::error::ApiError::Internal(e.to_string()))?, &aad(participant_id, &id, "agenda"))?,
        voice_sealed: key.seal(voice.as_bytes(), &aad(participant_id, &id, "voice"))?,
        id,
        participant_id: participant_id.clone(),
        organization_id: seen.record.row.organization_id.clone(),
        starts_at: input.starts_at.naive_utc(),
        minutes: input.minutes,
        place: input.place.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned),
        link: input.link.clone(),
        status: input.status.unwrap_or(ConferenceStatus::Scheduled),
        presence: input.voice.presence,
        version,
        created_by: writer(accessor),
        created_at: now,
        updated_by: writer(accessor),
        updated_at: now,
    })
}

/// What a conference written (`row`, after `before`) gives back: the conference as its
/// convener sees it, the row, and the invitations to send once committed; its webhooks
/// queued and the write audited.
fn written(conn: &mut DbConn, accessor: &Accessor, (key, seen): (&ParticipantKey, &Seen), row: ConferenceRow, before: Option<(&ConferenceRow, &[OrganizationId])>, invitations: Vec<InvitationRow>) -> Result<(Conference, ConferenceRow, Vec<Invite>), ConferenceError> {
    let invited: Vec<OrganizationId> = invitations.into_iter().map(|i| i.organization_id).collect();
    let invites = announced(conn, seen, &row, before, &invited)?;
    let conference = one(conn, key, seen, row.clone(), &accessor.principal.organization_id)?;
    audit::record(conn, accessor, &audited(AuditAction::ConferenceWrite, row.id.as_str(), seen.participant_id(), &Access::Owner, vec![DataCategory::CaseNotes]))?;
    Ok((conference, row, invites))
}

/// Convenes a conference about a participant (the organization that recorded them).
pub async fn convene(state: &AppState, accessor: Accessor, participant_id: ParticipantId, input: ConferenceInput) -> Result<Conference, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    let (conference, row, invites) = state
        .db
        .transaction(move |conn| {
            let seen = seen(conn, &accessor, &participant_id)?;
            if !seen.owner() {
                return Err(ConferenceError::ConvenerOnly);
            }
            let key = seen.record.key_for_writing(conn, &keyring)?;
            let id = ConferenceId::from(ordered_id());
            let invitations = invitations_checked(conn, &seen, &id, &input, &[])?;
            let agenda = agenda_checked(input.agenda.clone())?;
            let row = written_row(&key, &seen, &accessor, id, &input, &agenda, 1)?;
            repo::insert(conn, &row, &invitations)?;
            written(conn, &accessor, (&key, &seen), row, None, invitations)
        })
        .await?;
    send_invitations(state, row, invites);
    Ok(conference)
}

/// Rewrites a conference (its convener), if it is still at `expected`.
pub async fn update(state: &AppState, accessor: Accessor, id: ConferenceId, expected: i32, input: ConferenceInput) -> Result<Conference, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    let (conference, row, invites) = state
        .db
        .transaction(move |conn| {
            let (current, seen) = visible(conn, &accessor, &id)?;
            if !seen.owner() {
                return Err(ConferenceError::ConvenerOnly);
            }
            if current.version != expected {
                return Err(ConferenceError::Stale);
            }
            let key = seen.record.key_for_writing(conn, &keyring)?;
            let previously = invited_of(conn, &id)?;
            let invitations = invitations_checked(conn, &seen, &id, &input, &previously)?;
            let agenda = agenda_checked(input.agenda.clone())?;
            let row = ConferenceRow { created_by: current.created_by.clone(), created_at: current.created_at, ..written_row(&key, &seen, &accessor, id.clone(), &input, &agenda, expected + 1)? };
            if !repo::update(conn, &row, &invitations, expected)? {
                return Err(ConferenceError::Stale);
            }
            written(conn, &accessor, (&key, &seen), row, Some((&current, &previously)), invitations)
        })
        .await?;
    send_invitations(state, row, invites);
    Ok(conference)
}

/// One conference, as the caller may see it.
pub async fn get(state: &AppState, accessor: Accessor, id: ConferenceId) -> Result<Conference, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (row, seen) = visible(conn, &accessor, &id)?;
            let conference = one(conn, &seen.record.key(&keyring)?, &seen, row, &accessor.principal.organization_id)?;
            audit::record(conn, &accessor, &audited(AuditAction::ConferenceRead, id.as_str(), seen.participant_id(), &seen.access, vec![DataCategory::CaseNotes]))?;
            Ok(conference)
        })
        .await
}

/// The conference as a calendar file to add to one's own calendar (no participant data).
pub async fn calendar(state: &AppState, accessor: Accessor, id: ConferenceId) -> Result<String, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    let public_url = state.settings.public_url.trim_end_matches('/').to_owned();
    state
        .db
        .transaction(move |conn| {
            let (row, seen) = visible(conn, &accessor, &id)?;
            // Only when and where, but that it exists is the participant's: audited, naming nothing disclosed.
            audit::record(conn, &accessor, &audited(AuditAction::ConferenceRead, id.as_str(), seen.participant_id(), &seen.access, Vec::new()))?;
            let link = format!("{public_url}/conferences/{id}");
            Ok(super::calendar::calendar(&row, Method::Publish, &link, &host_of(&public_url), None))
        })
        .await
}

/// The convener: the organization that recorded the participant, named with them.
fn convener(seen: &Seen, row: &ConferenceRow) -> OrganizationRef {
    OrganizationRef { id: row.organization_id.to_string(), name: seen.record.organization_name.clone() }
}

fn summaries(conn: &mut DbConn, seen: &Seen, rows: &[ConferenceRow]) -> Result<Vec<ConferenceSummary>, ConferenceError> {
    let ids: Vec<ConferenceId> = rows.iter().map(|r| r.id.clone()).collect();
    let open: HashMap<ConferenceId, i64> = repo::open_actions(conn, &ids)?.into_iter().collect();
    Ok(rows
        .iter()
        .map(|row| ConferenceSummary {
            id: row.id.to_string(),
            participant_id: row.participant_id.to_string(),
            participant_alias: seen.record.row.alias.clone(),
            convener: convener(seen, row),
            starts_at: row.starts_at.and_utc(),
            status: row.status,
            open_actions: open.get(&row.id).copied().unwrap_or(0),
        })
        .collect())
}

/// A participant's conferences the caller may see, latest first.
pub async fn of_participant(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<Vec<ConferenceSummary>, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    state
        .db
        .transaction(move |conn| {
            let seen = seen(conn, &accessor, &participant_id)?;
            let mut rows = repo::of_participant(conn, &participant_id)?;
            if !seen.owner() {
                let mine = repo::invited_to(conn, &accessor.principal.organization_id, &participant_id)?;
                rows.retain(|r| mine.contains(&r.id));
            }
            let list = summaries(conn, &seen, &rows)?;
            audit::record(conn, &accessor, &audited(AuditAction::ConferenceRead, participant_id.as_str(), &participant_id, &seen.access, Vec::new()))?;
            Ok(list)
        })
        .await
}

/// The conferences the caller's organization convened or is invited to (while the
/// consent lasts), latest first.
pub async fn of_organization(state: &AppState, accessor: Accessor) -> Result<Vec<ConferenceSummary>, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    state
        .db
        .transaction(move |conn| {
            let rows = repo::of_organization(conn, &accessor.principal.organization_id)?;
            let mut by_participant: Vec<(ParticipantId, Vec<ConferenceRow>)> = Vec::new();
            for row in rows {
                match by_participant.iter_mut().find(|(p, _)| *p == row.participant_id) {
                    Some((_, theirs)) => theirs.push(row),
                    None => by_participant.push((row.participant_id.clone(), vec![row])),
                }
            }
            let mut list = Vec::new();
            for (participant_id, rows) in by_participant {
                // An invitation whose consent has ended lists nothing: the conference is redacted for them.
                let Ok(seen) = seen(conn, &accessor, &participant_id) else { continue };
                list.extend(summaries(conn, &seen, &rows)?);
                audit::record(conn, &accessor, &audited(AuditAction::ConferenceRead, participant_id.as_str(), &participant_id, &seen.access, Vec::new()))?;
            }
            list.sort_by(|a, b| b.starts_at.cmp(&a.starts_at).then_with(|| b.id.cmp(&a.id)));
            Ok(list)
        })
        .await
}

/// The action item as stored: its organization at the table, its person one of that
/// organization's frontline users, its words not blank.
fn action_checked(conn: &mut DbConn, key: &ParticipantKey, seen: &Seen, conference: &ConferenceRow, id: String, input: &ActionInput) -> Result<ActionRow, ConferenceError> {
    let organization = OrganizationId::from(input.organization_id.as_str());
    if !seen.at_table(&organization, &invited_of(conn, &conference.id)?) {
        return Err(ConferenceError::NotAtTable);
    }
    if let Some(user) = &input.user_id {
        if !is_frontline_colleague(conn, user, &organization)? {
            return Err(ConferenceError::NotOfOrganization);
        }
    }
    let now = Utc::now().naive_utc();
    Ok(ActionRow {
        description_sealed: key.seal(words(&input.description, || "/description".to_owned())?.as_bytes(), &action_aad(&conference.participant_id, &conference.id, &id))?,
        id,
        conference_id: conference.id.clone(),
        participant_id: conference.participant_id.clone(),
        organization_id: organization,
        user_id: input.user_id.clone(),
        due_on: stored_date(Some(input.due_on)).unwrap_or_default(),
        status: input.status.unwrap_or(ActionStatus::Open),
        done_on: None,
        reminded_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    })
}

/// Today in the partnership's zone.
fn today(state: &AppState) -> NaiveDate {
    let zone: chrono_tz::Tz = state.settings.time_zone.parse().unwrap_or(chrono_tz::America::Halifax);
    Utc::now().with_timezone(&zone).date_naive()
}

/// Tells the organization given an action item, by webhook, unless it gave it itself.
fn assigned(conn: &mut DbConn, row: &ActionRow, by: &OrganizationId) -> Result<(), ConferenceError> {
    if row.organization_id == *by {
        return Ok(());
    }
    let subject = Subject::Conference { id: row.conference_id.as_str(), action_id: Some(&row.id) };
    Ok(crate::webhooks::outbox::queue(conn, &Announcement { events: vec![WebhookEvent::ActionAssigned], subject, organizations: vec![row.organization_id.as_str()] })?)
}

fn shown_action(conn: &mut DbConn, key: &ParticipantKey, row: ActionRow) -> Result<ActionItem, ConferenceError> {
    let users = crate::users::repo::names(conn, row.user_id.as_slice())?;
    let organizations = crate::organizations::repo::names(conn, std::slice::from_ref(&row.organization_id))?;
    action_item(key, row, &users, &organizations)
}

/// The day an action item was done, as stored: the day it was first marked done (kept
/// through later saves), today when it is marked done now, none when it is not done.
fn done_on(status: ActionStatus, kept: Option<String>, today: NaiveDate) -> Option<String> {
    (status == ActionStatus::Done).then(|| kept.or_else(|| stored_date(Some(today)))).flatten()
}

/// Gives an action item to the convener or an organization at the table (the convener).
pub async fn add_action(state: &AppState, accessor: Accessor, id: ConferenceId, input: ActionInput) -> Result<ActionItem, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    let today = today(state);
    state
        .db
        .transaction(move |conn| {
            let (conference, seen) = visible(conn, &accessor, &id)?;
            if !seen.owner() {
                return Err(ConferenceError::ConvenerOnly);
            }
            let key = seen.record.key_for_writing(conn, &keyring)?;
            let mut row = action_checked(conn, &key, &seen, &conference, ordered_id(), &input)?;
            row.done_on = done_on(row.status, None, today);
            repo::insert_action(conn, &row)?;
            assigned(conn, &row, &accessor.principal.organization_id)?;
            audit::record(conn, &accessor, &audited(AuditAction::ConferenceWrite, id.as_str(), seen.participant_id(), &Access::Owner, vec![DataCategory::CaseNotes]))?;
            shown_action(conn, &key, row)
        })
        .await
}

/// Changes an action item, if it is still at `expected`: the convener all of it, the
/// organization it was given to its status alone.
pub async fn update_action(state: &AppState, accessor: Accessor, (id, action_id): (ConferenceId, String), expected: i32, input: ActionInput) -> Result<ActionItem, ConferenceError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    let today = today(state);
    state
        .db
        .transaction(move |conn| {
            let (conference, seen) = visible(conn, &accessor, &id)?;
            let current = repo::action(conn, &id, &action_id)?.ok_or(ConferenceError::NoSuchAction)?;
            let key = seen.record.key(&keyring)?;
            if !seen.owner() && current.organization_id != accessor.principal.organization_id {
                return Err(ConferenceError::ConvenerOnly);
            }
            if current.version != expected {
                return Err(ConferenceError::Stale);
            }
            let status = input.status.unwrap_or(current.status);
            let mut row = if seen.owner() {
                let changed = action_checked(conn, &key, &seen, &conference, action_id.clone(), &input)?;
                // A new due date is reminded again.
                let reminded_at = current.reminded_at.filter(|_| changed.due_on == current.due_on);
                ActionRow { reminded_at, created_at: current.created_at, ..changed }
            } else {
                let description = text(key.open(&current.description_sealed, &action_aad(&current.participant_id, &id, &current.id))?)?;
                let same = description == input.description.trim() && current.organization_id.as_str() == input.organization_id && current.user_id == input.user_id && read_date(Some(&current.due_on)) == Some(input.due_on);
                if !same {
                    return Err(ConferenceError::StatusOnly);
                }
                current.clone()
            };
            row.status = status;
            row.done_on = done_on(status, current.done_on.clone(), today);
            row.version = expected + 1;
            row.updated_at = Utc::now().naive_utc();
            if !repo::update_action(conn, &row, expected)? {
                return Err(ConferenceError::Stale);
            }
            if row.organization_id != current.organization_id {
                assigned(conn, &row, &accessor.principal.organization_id)?;
            }
            audit::record(conn, &accessor, &audited(AuditAction::ConferenceWrite, id.as_str(), seen.participant_id(), &seen.access, vec![DataCategory::CaseNotes]))?;
            shown_action(conn, &key, row)
        })
        .await
}

const ACTION_SUBJECT: &str = "Harbour: an action item is due / une action est à échéance";

fn action_body(link: &str) -> String {
    format!(
        "An action item from a case conference, given to you or your organization, has reached its due date. Open it in Harbour:\n{link}\n\n\
         Une action issue d'une conférence de cas, confiée à vous ou à votre organisme, est arrivée à échéance. Ouvrez-la dans Harbour :\n{link}\n\n\
         This message carries no information about the person. / Ce message ne contient aucun renseignement sur la personne.\n"
    )
}

/// Claims the action items due on `today` (`YYYY-MM-DD`), once each: one reminder to the
/// person it was given to, else to the organization's desk (for the convener, the
/// participant's primary contact). An organization whose consent has ended is not
/// reminded of what it no longer sees. (For `safety_plans::sweep`, which sends them.)
pub fn claim_due_actions(conn: &mut DbConn, today: &str, now: chrono::NaiveDateTime) -> Result<Vec<Reminder>, crate::error::ApiError> {
    let mut claimed = Vec::new();
    for action in repo::due_actions(conn, today).map_err(crate::error::ApiError::from)? {
        if !repo::mark_reminded(conn, &action.id, now)? {
            continue;
        }
        let Some(conference) = repo::find(conn, &action.conference_id)? else { continue };
        let consents = crate::consent::repo::for_participant(conn, &action.participant_id)?;
        let convener = action.organization_id == conference.organization_id;
        if !convener && !policy::may_confer(&action.organization_id, &consents, Utc::now()) {
            continue;
        }
        let person = match &action.user_id {
            Some(user) => crate::participants::repo::active_address(conn, user)?,
            None => None,
        };
        let addresses: BTreeSet<String> = match person {
            Some(address) => BTreeSet::from([address]),
            None if convener => crate::participants::repo::reminder_address(conn, &action.participant_id, &conference.created_by)?.into_iter().collect(),
            None => crate::users::repo::partner_desk(conn, &action.organization_id)?.into_iter().collect(),
        };
        let path = format!("/conferences/{}", action.conference_id);
        claimed.extend(addresses.into_iter().map(|address| Reminder { address, path: path.clone(), subject: ACTION_SUBJECT, body: action_body }));
    }
    Ok(claimed)
}

/// The participant's conferences, whole, for their own records (`own_records`, which has
/// checked that the caller is the owner).
pub fn for_owner_copy(conn: &mut DbConn, keyring: &crate::crypto::Keyring, record: &ParticipantRecord) -> Result<Vec<Conference>, ConferenceError> {
    let rows = repo::of_participant(conn, &record.row.id)?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let seen = Seen { record: record.clone(), consents: Vec::new(), access: Access::Owner };
    assemble(conn, &record.key(keyring)?, &seen, rows, &record.row.organization_id)
}
