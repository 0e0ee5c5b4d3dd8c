//! Writing, sending, reading and moving referrals along their life cycle. Each change is
//! one transaction with its timeline event and its audit event.

use chrono::{DateTime, NaiveDateTime, Utc};
use harbour_types::{
    AccessPurpose, AssigneeInput, AuditAction, ConsentId, EventKind, OrganizationRef, Page, PageRequest, Participant, Referral, ReferralAction, ReferralCounts, OrganizationId,
    ReferralEvent, ParticipantId, ReferralId, ReferralInput, ReferralMessage, ReferralMessageInput, ReferralNeeds, ReferralStatus, ReferralTransition, ServiceStatus, Urgency, WebhookEvent,
};
use serde::Deserialize;

use super::error::ReferralError;
use super::lifecycle::{self, Side};
use super::repo::{self, EventRow, MessageRow, ReferralRow};
use crate::audit::{self, Accessor, AuditEntry};
use crate::auth::{Actor, Permission};
use crate::consent::policy::{self, Access};
use crate::consent::repo as consents_repo;
use crate::crypto::Keyring;
use crate::data_keys;
use crate::db::{self, ordered_id, DbConn, Write};
use crate::error::ApiError;
use crate::participants::repo::ParticipantRecord;
use crate::participants::{repo as participants_repo, service as participants};
use crate::state::AppState;
use crate::webhooks::outbox::{Announcement, Subject};

fn snapshot_aad(referral_id: &ReferralId) -> String {
    format!("referrals/{referral_id}/snapshot")
}

/// Which referrals a list shows.
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// `sent` (default) or `received`.
    #[serde(rename = "box")]
    pub r#box: Option<String>,
    /// Only this status.
    pub status: Option<ReferralStatus>,
    /// Only this urgency.
    pub urgency: Option<Urgency>,
    /// Only overdue ones (`true`), or only those not overdue (`false`).
    pub overdue: Option<bool>,
    /// Only referrals to this service.
    pub service_id: Option<String>,
    /// Only referrals assigned to this user (`me` for the caller).
    pub assignee: Option<String>,
    /// Only referrals about this participant of the caller's organization (the sent box
    /// only: a receiving organization never learns a participant's id).
    pub participant_id: Option<String>,
    /// The page, from 1.
    pub page: Option<u64>,
    /// Items per page, 1 to 100.
    pub per_page: Option<u64>,
}

/// Writes a referral of one of the caller's participants, and sends it when asked.
/// Answers from what the transaction already holds: no second round of reads.
pub async fn create(state: &AppState, accessor: Accessor, input: ReferralInput) -> Result<Referral, ReferralError> {
    accessor.principal.authorize(Permission::WriteReferrals)?;
    let keyring = state.keyring.clone();
    let due_after = state.settings.due_after(input.urgency);
    state
        .db
        .transaction(move |conn| {
            let principal = &accessor.principal;
            let participant_id = ParticipantId::from(input.participant_id.clone());
            let participant = participants_repo::find(conn, &participant_id)?
                .filter(|p| p.row.organization_id == principal.organization_id)
                .ok_or(ReferralError::UnknownParticipant)?;
            let service = repo::service_for_referral(conn, &input.service_id, &principal.organization_id, &input.needs.category_ids)?.ok_or(ReferralError::UnknownService)?;
            if service.organization_id == principal.organization_id {
                return Err(ReferralError::OwnOrganization);
            }
            if !service.accepts_referrals || service.status != ServiceStatus::Active {
                return Err(ReferralError::NotAccepting);
            }
            if let Some(unknown) = participants_repo::unknown_categories(conn, &input.needs.category_ids)?.first() {
                let index = input.needs.category_ids.iter().position(|c| c == unknown).unwrap_or_default();
                return Err(ReferralError::UnknownCategory { index });
            }
            let now = Utc::now();
            let mut row = ReferralRow {
                id: ReferralId::from(ordered_id()),
                from_organization_id: principal.organization_id.clone(),
                from_user_id: principal.user_id().map(str::to_owned),
                from_client_id: match &principal.actor {
                    Actor::Client { id, .. } => Some(id.clone()),
                    Actor::User { .. } => None,
                },
                to_organization_id: service.organization_id.clone(),
                service_id: input.service_id.clone(),
                participant_id,
                consent_id: None,
                need_category_ids: serde_json::to_string(&input.needs.category_ids).unwrap_or_else(|_| "[]".into()),
                needs_note: input.needs.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned),
                urgency: input.urgency,
                safe_contact_instructions: input.safe_contact_instructions.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(str::to_owned),
                participant_confirmed: input.participant_confirmed,
                snapshot_sealed: None,
                redacted_at: None,
                status: ReferralStatus::Draft,
                reason: None,
                outcome: None,
                due_at: None,
                reminded_at: None,
                assignee_id: None,
                version: 1,
                created_at: now.naive_utc(),
                sent_at: None,
                updated_at: now.naive_utc(),
                region_id: service.region_id,
                category_id: service.category_id,
                received_at: None,
                accepted_at: None,
                closed_at: None,
            };
            let actor = Some(&principal.actor);
            let mut timeline = vec![new_event(&row, 1, EventKind::Created, actor, &principal.organization_id, None)];
            let access = if input.send {
                let access = dispatch(conn, &keyring, &mut row, &participant, due_after, now)?;
                timeline.push(new_event(&row, 2, EventKind::Sent, actor, &principal.organization_id, None));
                Some(access)
            } else {
                None
            };
            // Stored once, as it stands after sending (not as a draft, then updated), with
            // its timeline, its webhook deliveries and its audit event in one statement.
            let audited = audit::appending(&accessor, &disclosed(AuditAction::ReferralCreate, &row, access.as_ref()));
            append_events(conn, &row, &timeline, &[&repo::insertion(&row), &audited])?;
            let names = repo::Names {
                from_organization: participant.organization_name,
                from_user: principal.name.clone(),
                to_organization: service.organization_name,
                service: service.name,
                assignee: None,
                primary_contact: participant.row.primary_contact_id.clone().zip(participant.primary_contact_name.clone()),
            };
            let timeline = timeline.into_iter().map(|event| event_dto(event, Some(names.from_user.clone()), names.from_organization.clone())).collect();
            Ok(to_dto(&row, &names, Side::Sender, None, timeline))
        })
        .await
}

/// Checks what sending needs — the participant's confirmation and a consent naming the
/// receiver for "referral" — and takes the snapshot of what that consent allows.
fn dispatch(
    conn: &mut DbConn,
    keyring: &Keyring,
    row: &mut ReferralRow,
    participant: &ParticipantRecord,
    due_after: chrono::Duration,
    now: DateTime<Utc>,
) -> Result<Access, ReferralError> {
    if !row.participant_confirmed {
        return Err(ReferralError::NotConfirmed);
    }
    let consents = consents_repo::held_for_participant(conn, &row.participant_id)?;
    let Some(access) = policy::referral_disclosure(&row.to_organization_id, &consents, now) else {
        return Err(ReferralError::ConsentRequired { receiver: repo::names(conn, row)?.to_organization });
    };
    let snapshot = participants::shaped(keyring, participant, &access)?;
    let json = serde_json::to_vec(&snapshot).map_err(|e| ApiError::Internal(e.to_string()))?;
    row.snapshot_sealed = Some(participant.key_for_writing(conn, keyring)?.seal(&json, &snapshot_aad(&row.id))?);
    row.consent_id = access.consent_id().cloned();
    enter(row, ReferralStatus::Sent, now.naive_utc());
    row.sent_at = Some(now.naive_utc());
    row.due_at = Some((now + due_after).naive_utc());
    row.version += 1;
    row.updated_at = now.naive_utc();
    Ok(access)
}

/// One referral, for its sending or receiving organization. The receiving side opening
/// a sent referral for the first time marks it received.
pub async fn get(state: &AppState, accessor: Accessor, id: ReferralId) -> Result<Referral, ReferralError> {
    accessor.principal.authorize(Permission::ReadReferrals)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (mut row, side) = visible(conn, &accessor, &id)?;
            if side == Side::Receiver && row.status == ReferralStatus::Sent {
                let version = row.version;
                let now = Utc::now().naive_utc();
                enter(&mut row, ReferralStatus::Received, now);
                row.version += 1;
                row.updated_at = now;
                if !repo::update(conn, &row, version)? {
                    return Err(ReferralError::ChangedWhileOpened);
                }
                event(conn, &row, EventKind::Received, &accessor, None)?;
            }
            let access = receiver_access(conn, &row, side)?;
            audit::record(conn, &accessor, &disclosed(AuditAction::ReferralRead, &row, access.as_ref()))?;
            view(conn, &keyring, &row, side, access.as_ref())
        })
        .await
}

/// Moves a referral one step, if its state, the caller's side and `version` allow.
pub async fn transition(state: &AppState, accessor: Accessor, id: ReferralId, version: i32, step: ReferralTransition) -> Result<Referral, ReferralError> {
    accessor.principal.authorize(Permission::WriteReferrals)?;
    let keyring = state.keyring.clone();
    let settings = state.settings.clone();
    state
        .db
        .transaction(move |conn| {
            let (mut row, side) = visible(conn, &accessor, &id)?;
            if lifecycle::side_of(step.action) != side {
                return Err(ReferralError::WrongSide { side, action: step.action });
            }
            if row.version != version {
                return Err(ReferralError::Stale);
            }
            lifecycle::check(row.status, &step)?;
            let now = Utc::now();
            if step.action == ReferralAction::Send {
                let due_after = settings.due_after(row.urgency);
                let participant = participants_repo::find(conn, &row.participant_id)?.ok_or(ReferralError::ParticipantGone)?;
                dispatch(conn, &keyring, &mut row, &participant, due_after, now)?;
            } else {
                row.version += 1;
                row.updated_at = now.naive_utc();
            }
            enter(&mut row, step.action.target(), now.naive_utc());
            if let Some(reason) = step.reason {
                row.reason = Some(reason);
            }
            if let Some(outcome) = step.outcome {
                row.outcome = Some(outcome);
            }
            if !repo::update(conn, &row, version)? {
                return Err(ReferralError::Stale);
            }
            let note = step.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            event(conn, &row, lifecycle::event_kind(step.action), &accessor, note)?;
            let access = receiver_access(conn, &row, side)?;
            audit::record(conn, &accessor, &disclosed(AuditAction::ReferralUpdate, &row, access.as_ref()))?;
            view(conn, &keyring, &row, side, access.as_ref())
        })
        .await
}

/// The caller's organization's referrals: sent, or received; overdue first, then the
/// most urgent, then the newest.
pub async fn list(state: &AppState, accessor: Accessor, query: ReferralQuery) -> Result<Page<Referral>, ReferralError> {
    accessor.principal.authorize(Permission::ReadReferrals)?;
    let sent = match query.r#box.as_deref() {
        None | Some("sent") => true,
        Some("received") => false,
        Some(_) => return Err(ReferralError::UnknownBox),
    };
    if !sent && query.participant_id.is_some() {
        return Err(ReferralError::ParticipantFilterOnReceived);
    }
    let request = crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?;
    let organization_id = accessor.principal.organization_id.clone();
    let filter = repo::ListFilter {
        status: query.status,
        urgency: query.urgency,
        service_id: query.service_id.clone(),
        assignee_id: match query.assignee.as_deref() {
            Some("me") => Some(accessor.principal.user_id().unwrap_or_default().to_owned()),
            other => other.map(str::to_owned),
        },
        overdue: query.overdue,
        participant_id: query.participant_id.clone().map(ParticipantId::from),
    };
    let (offset, limit) = crate::db::page_bounds(request);
    let side = if sent { Side::Sender } else { Side::Receiver };
    let (items, total) = state
        .db
        .run(move |conn| {
            let now = Utc::now().naive_utc();
            let total = repo::count_for_organization(conn, &organization_id, sent, &filter, now)?;
            let page = repo::page_for_organization(conn, &organization_id, sent, &filter, now, offset, limit)?;
            let names = repo::names_of(conn, &page)?;
            let items = page.iter().zip(&names).map(|(row, names)| to_dto(row, names, side, None, Vec::new())).collect();
            Ok::<_, ReferralError>((items, total))
        })
        .await?;
    Ok(Page::new(items, total.unsigned_abs(), request))
}

/// Gives a received referral to a user of the receiving organization (or to nobody).
pub async fn assign(state: &AppState, accessor: Accessor, id: ReferralId, version: i32, input: AssigneeInput) -> Result<Referral, ReferralError> {
    accessor.principal.authorize(Permission::WriteReferrals)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (mut row, side) = visible(conn, &accessor, &id)?;
            if side != Side::Receiver {
                return Err(ReferralError::OnlyReceiverAssigns);
            }
            if row.version != version {
                return Err(ReferralError::Stale);
            }
            if let Some(user) = &input.user_id {
                if !participants_repo::is_active_member(conn, user, &row.to_organization_id)? {
                    return Err(ReferralError::UnknownAssignee);
                }
            }
            row.assignee_id = input.user_id.clone();
            row.version += 1;
            row.updated_at = Utc::now().naive_utc();
            if !repo::update(conn, &row, version)? {
                return Err(ReferralError::Stale);
            }
            event(conn, &row, EventKind::Assigned, &accessor, None)?;
            // The answer shows the participant part the receiver may see: audited as such.
            let access = receiver_access(conn, &row, side)?;
            audit::record(conn, &accessor, &disclosed(AuditAction::ReferralUpdate, &row, access.as_ref()))?;
            view(conn, &keyring, &row, side, access.as_ref())
        })
        .await
}

/// The messages between the two sides of a referral.
pub async fn messages(state: &AppState, accessor: Accessor, id: ReferralId) -> Result<Vec<ReferralMessage>, ReferralError> {
    policy::require_frontline(&accessor.principal)?;
    state
        .db
        .transaction(move |conn| {
            let (row, _) = visible(conn, &accessor, &id)?;
            audit::record(conn, &accessor, &disclosed(AuditAction::ReferralRead, &row, None))?;
            Ok(repo::messages(conn, &id)?.into_iter().map(message_dto).collect())
        })
        .await
}

/// Writes a message to the other side of a referral.
pub async fn post_message(state: &AppState, accessor: Accessor, id: ReferralId, input: ReferralMessageInput) -> Result<ReferralMessage, ReferralError> {
    policy::require_frontline(&accessor.principal)?;
    if input.body.trim().is_empty() {
        return Err(ReferralError::EmptyMessage);
    }
    state
        .db
        .transaction(move |conn| {
            let (row, _) = visible(conn, &accessor, &id)?;
            let message = MessageRow {
                id: ordered_id(),
                referral_id: id.clone(),
                at: Utc::now().naive_utc(),
                author_id: accessor.principal.user_id().unwrap_or_default().to_owned(),
                organization_id: accessor.principal.organization_id.clone(),
                body: input.body.trim().to_owned(),
            };
            repo::add_message(conn, &message)?;
            let audited = audit::appending(&accessor, &disclosed(AuditAction::ReferralMessage, &row, None));
            let deliveries = deliveries(&row, [WebhookEvent::Message]);
            let writes: Vec<&dyn Write> = deliveries.iter().map(|d| d as &dyn Write).chain([&audited as &dyn Write]).collect();
            db::write_together(conn, &writes)?;
            let written = repo::messages(conn, &id)?.into_iter().find(|(m, _, _)| m.id == message.id);
            written.map(message_dto).ok_or_else(|| ApiError::Internal("a message vanished while being written".into()).into())
        })
        .await
}

/// What waits for the caller's organization.
pub async fn counts(state: &AppState, accessor: Accessor) -> Result<ReferralCounts, ReferralError> {
    accessor.principal.authorize(Permission::ReadReferrals)?;
    let organization_id = accessor.principal.organization_id.clone();
    state
        .db
        .run(move |conn| {
            let now = Utc::now().naive_utc();
            let mut count = |sent: bool, filter: repo::ListFilter| repo::count_for_organization(conn, &organization_id, sent, &filter, now).map(i64::unsigned_abs);
            let overdue = || repo::ListFilter { overdue: Some(true), ..Default::default() };
            Ok(ReferralCounts {
                unopened: count(false, repo::ListFilter { status: Some(ReferralStatus::Sent), ..Default::default() })?,
                overdue_received: count(false, overdue())?,
                overdue_sent: count(true, overdue())?,
            })
        })
        .await
}

fn message_dto((m, author, organization): (MessageRow, String, String)) -> ReferralMessage {
    ReferralMessage { id: m.id, at: m.at.and_utc(), author_name: author, organization: OrganizationRef { id: m.organization_id.into(), name: organization }, body: m.body }
}

/// Removes the participant part of every referral sent under a consent just revoked,
/// and says so on each timeline. Runs in the revocation's transaction (consent's
/// `RedactUnder`, whose errors are the API's: consent knows nothing of referrals).
pub fn redact_under(conn: &mut DbConn, consent_id: &ConsentId, accessor: &Accessor) -> Result<usize, ApiError> {
    let now = Utc::now().naive_utc();
    let affected = repo::carrying_snapshot_under(conn, consent_id)?;
    for mut row in affected.iter().cloned() {
        let version = row.version;
        row.snapshot_sealed = None;
        row.redacted_at = Some(now);
        row.version += 1;
        row.updated_at = now;
        if !repo::update(conn, &row, version)? {
            return Err(ReferralError::ChangedDuringWithdrawal.into());
        }
        event(conn, &row, EventKind::Redacted, accessor, Some("consent withdrawn: the participant's details were removed"))?;
    }
    Ok(affected.len())
}

/// A participant's erasure, for their referrals (in the erasure's transaction): each
/// loses its participant part — the snapshot, the needs note, the safe-contact
/// instructions — and the words written on it, and its timeline says so, which tells
/// both sides' webhooks (`referral.redacted`). `by` is the agency admin erasing, none
/// for Harbour. Returns how many referrals there were.
pub fn redact_for_erasure(conn: &mut DbConn, participant_id: &ParticipantId, by: Option<&Actor>, organization_id: &OrganizationId) -> Result<usize, ReferralError> {
    let now = Utc::now().naive_utc();
    let affected = repo::of_participant(conn, participant_id)?;
    let ids: Vec<ReferralId> = affected.iter().map(|row| row.id.clone()).collect();
    repo::erase_words(conn, &ids)?;
    for mut row in affected.iter().cloned() {
        let version = row.version;
        row.redacted_at = Some(now);
        row.version += 1;
        row.updated_at = now;
        if !repo::erase_participant_part(conn, &row, version)? {
            return Err(ReferralError::ChangedDuringWithdrawal);
        }
        record_event(conn, &row, EventKind::Redacted, by, organization_id, Some("participant erased: their details and the messages about them were removed"))?;
    }
    Ok(affected.len())
}

/// The retention sweep, for referrals closed before `cutoff`: each drops its snapshot
/// of the participant (at most `at_most` of them, in the caller's transaction), and its
/// timeline says so, which tells both sides' webhooks (`referral.redacted`). A referral
/// another instance changed meanwhile is left for the next pass. Returns how many.
pub fn drop_closed_snapshots(conn: &mut DbConn, cutoff: NaiveDateTime, at_most: i64) -> Result<usize, ReferralError> {
    let now = Utc::now().naive_utc();
    let mut dropped = 0;
    for mut row in repo::closed_with_snapshot_before(conn, cutoff, at_most)? {
        let version = row.version;
        row.snapshot_sealed = None;
        row.redacted_at = Some(now);
        row.version += 1;
        row.updated_at = now;
        if repo::update(conn, &row, version)? {
            let sender = row.from_organization_id.clone();
            record_event(conn, &row, EventKind::Redacted, None, &sender, Some("closed for the partnership's retention period: the participant's details were removed"))?;
            dropped += 1;
        }
    }
    Ok(dropped)
}

/// A referral the caller's organization sent or received (drafts: sent only), and which
/// side it is on; 404 otherwise.
fn visible(conn: &mut DbConn, accessor: &Accessor, id: &ReferralId) -> Result<(ReferralRow, Side), ReferralError> {
    let row = repo::find(conn, id)?.ok_or(ReferralError::NotFound)?;
    let org = &accessor.principal.organization_id;
    if *org == row.from_organization_id {
        Ok((row, Side::Sender))
    } else if *org == row.to_organization_id && row.status != ReferralStatus::Draft {
        Ok((row, Side::Receiver))
    } else {
        Err(ReferralError::NotFound)
    }
}

/// What the receiving side sees of the participant now, if anything.
fn receiver_access(conn: &mut DbConn, row: &ReferralRow, side: Side) -> Result<Option<Access>, ReferralError> {
    if side != Side::Receiver || row.snapshot_sealed.is_none() {
        return Ok(None);
    }
    let consent = match &row.consent_id {
        Some(id) => consents_repo::find(conn, id)?,
        None => None,
    };
    if !policy::snapshot_visible(consent.as_ref(), Utc::now()) {
        return Ok(None);
    }
    let categories = consent.map(|c| c.categories).unwrap_or_default();
    Ok(Some(Access::Recipient {
        categories: categories.into_iter().collect(),
        consent_ids: row.consent_id.clone().into_iter().collect(),
        purpose: AccessPurpose::Referral,
    }))
}

/// The audit entry of a referral access: what of the participant it disclosed.
fn disclosed<'a>(action: AuditAction, row: &'a ReferralRow, access: Option<&Access>) -> AuditEntry<'a> {
    AuditEntry {
        action,
        entity_type: "referral",
        entity_id: row.id.as_str(),
        participant_id: Some(&row.participant_id),
        consent_id: row.consent_id.as_ref(),
        purpose: AccessPurpose::Referral,
        categories: access.map(Access::categories).unwrap_or_default(),
    }
}

fn event(conn: &mut DbConn, row: &ReferralRow, kind: EventKind, accessor: &Accessor, note: Option<&str>) -> Result<(), ReferralError> {
    record_event(conn, row, kind, Some(&accessor.principal.actor), &accessor.principal.organization_id, note)
}

/// Appends to the timeline; `actor` is none for what Harbour itself did.
fn record_event(conn: &mut DbConn, row: &ReferralRow, kind: EventKind, actor: Option<&Actor>, organization_id: &OrganizationId, note: Option<&str>) -> Result<(), ReferralError> {
    let ordinal = repo::next_ordinal(conn, &row.id)?;
    append_events(conn, row, &[new_event(row, ordinal, kind, actor, organization_id, note)], &[])
}

/// Stores timeline events of one change and queues their webhook deliveries, together
/// with the change's other writes (`with`: the referral, its audit event).
fn append_events(conn: &mut DbConn, row: &ReferralRow, events: &[EventRow], with: &[&dyn Write]) -> Result<(), ReferralError> {
    let insertions = repo::event_insertions(events);
    let deliveries = deliveries(row, events.iter().filter_map(|event| event.kind.webhook()));
    let writes: Vec<&dyn Write> = with.iter().copied().chain(insertions.iter().map(|w| w as &dyn Write)).chain(deliveries.iter().map(|d| d as &dyn Write)).collect();
    Ok(db::write_together(conn, &writes)?)
}

/// The timeline event `ordinal` of a referral, as it stands now.
fn new_event(row: &ReferralRow, ordinal: i32, kind: EventKind, actor: Option<&Actor>, organization_id: &OrganizationId, note: Option<&str>) -> EventRow {
    EventRow {
        id: ordered_id(),
        referral_id: row.id.clone(),
        ordinal,
        at: Utc::now().naive_utc(),
        kind,
        actor_user_id: match actor {
            Some(Actor::User { id, .. }) => Some(id.clone()),
            _ => None,
        },
        actor_client_id: match actor {
            Some(Actor::Client { id, .. }) => Some(id.clone()),
            _ => None,
        },
        organization_id: organization_id.to_owned(),
        status: row.status,
        note: note.map(str::to_owned),
    }
}

/// The webhook deliveries of a change's events, to queue in the transaction of the change.
fn deliveries(row: &ReferralRow, events: impl IntoIterator<Item = WebhookEvent>) -> Option<impl Write> {
    let events = events.into_iter().collect();
    let announcement = Announcement { events, subject: Subject::Referral { id: row.id.as_str(), status: row.status.code() }, organizations: vec![row.from_organization_id.as_str(), row.to_organization_id.as_str()] };
    crate::webhooks::outbox::deliveries(&announcement)
}

/// A reminder to send about an overdue referral: who, and what to say — never anything
/// about the participant.
#[derive(Debug, Clone)]
pub struct Reminder {
    pub referral_id: ReferralId,
    pub service_name: String,
    pub addresses: Vec<String>,
}

impl Reminder {
    /// The e-mail's text, in both languages, with a `link` to the referral.
    pub fn email(&self, link: &str) -> String {
        format!(
            "A referral to {service} has had no answer by its due time. Open it in Harbour:\n{link}\n\n\
             Une orientation vers {service} n'a pas reçu de réponse dans le délai prévu. Ouvrez-la dans Harbour :\n{link}\n\n\
             This message carries no information about the participant. / Ce message ne contient aucun renseignement sur la personne.\n",
            service = self.service_name,
        )
    }
}

/// Claims the reminders of overdue referrals (once each, whichever instance gets there
/// first) and records each on the timeline; the caller sends them after the commit.
pub fn claim_reminders(conn: &mut DbConn) -> Result<Vec<Reminder>, ReferralError> {
    let now = Utc::now().naive_utc();
    let mut reminders = Vec::new();
    for row in repo::overdue_unreminded(conn, now)? {
        if !repo::mark_reminded(conn, &row.id, now)? {
            continue;
        }
        let receiver = row.to_organization_id.clone();
        record_event(conn, &row, EventKind::Reminded, None, &receiver, Some("no answer by the due time: reminder sent"))?;
        reminders.push(Reminder { service_name: repo::names(conn, &row)?.service, addresses: repo::reminder_addresses(conn, &row)?, referral_id: row.id });
    }
    Ok(reminders)
}

/// How many referrals one transaction of the sweep expires at most. A backlog (after an
/// outage, or an import of old referrals) is expired in turns: all at once, 90,000 were
/// held in memory (490 MB) and in one transaction for minutes, blocking other writes.
pub const EXPIRY_BATCH: i64 = 500;

/// Marks as expired at most `at_most` of the referrals nobody answered within
/// `expire_after` of being sent, the longest waiting first, each with a timeline event;
/// returns how many. Safe with several instances: a row another one expired first is
/// left alone (its version moved).
pub fn expire_unanswered(conn: &mut DbConn, expire_after: chrono::Duration, at_most: i64) -> Result<usize, ReferralError> {
    let now = Utc::now();
    let mut expired = 0;
    for mut row in repo::unanswered_sent_before(conn, (now - expire_after).naive_utc(), at_most)? {
        let version = row.version;
        enter(&mut row, ReferralStatus::Expired, now.naive_utc());
        row.version += 1;
        row.updated_at = now.naive_utc();
        if repo::update(conn, &row, version)? {
            let receiver = row.to_organization_id.clone();
            record_event(conn, &row, EventKind::Expired, None, &receiver, None)?;
            expired += 1;
        }
    }
    Ok(expired)
}

/// Moves a referral into `status` and stamps the milestone it reaches (once: the first
/// time counts), which the dashboards' response times are measured from. An answer given
/// without opening the referral first (a partner system) counts as its first opening.
fn enter(row: &mut ReferralRow, status: ReferralStatus, now: NaiveDateTime) {
    row.status = status;
    match status {
        ReferralStatus::Received | ReferralStatus::Declined => {
            row.received_at.get_or_insert(now);
        }
        ReferralStatus::Accepted => {
            row.received_at.get_or_insert(now);
            row.accepted_at.get_or_insert(now);
        }
        _ => {}
    }
    if status.is_closed() {
        row.closed_at.get_or_insert(now);
    }
}

fn is_overdue(row: &ReferralRow, now: DateTime<Utc>) -> bool {
    lifecycle::awaiting_answer(row.status) && row.due_at.is_some_and(|due| due.and_utc() < now)
}

/// The referral as `side` sees it, read in the caller's transaction: the participant
/// part is opened under `access`, the access that same transaction audits, so the answer
/// discloses exactly what the audit trail says it did.
fn view(conn: &mut DbConn, keyring: &Keyring, row: &ReferralRow, side: Side, access: Option<&Access>) -> Result<Referral, ReferralError> {
    let names = repo::names(conn, row)?;
    let participant = match (side, access) {
        (Side::Receiver, Some(_)) => snapshot(conn, keyring, row)?,
        _ => None,
    };
    let timeline = repo::timeline(conn, &row.id)?.into_iter().map(|(event, actor, organization)| event_dto(event, actor, organization)).collect();
    Ok(to_dto(row, &names, side, participant, timeline))
}

/// What the referral shared of the participant, opened, while it is kept.
fn snapshot(conn: &mut DbConn, keyring: &Keyring, row: &ReferralRow) -> Result<Option<Participant>, ReferralError> {
    let Some(sealed) = &row.snapshot_sealed else { return Ok(None) };
    let json = data_keys::for_reading(conn, keyring, &row.participant_id)?.open(sealed, &snapshot_aad(&row.id))?;
    Ok(Some(serde_json::from_slice::<Participant>(&json).map_err(|e| ApiError::Internal(e.to_string()))?))
}

/// Every referral made for a participant as its sender sees it, with what it shared (its
/// snapshot, while kept), for the participant's own records (`own_records`, which has
/// checked that the caller is the owner).
pub fn for_owner_copy(conn: &mut DbConn, keyring: &Keyring, participant_id: &ParticipantId) -> Result<Vec<Referral>, ReferralError> {
    let mut referrals = Vec::new();
    for row in repo::of_participant(conn, participant_id)? {
        let mut referral = view(conn, keyring, &row, Side::Sender, None)?;
        referral.participant = snapshot(conn, keyring, &row)?;
        referrals.push(referral);
    }
    Ok(referrals)
}

/// A timeline event as shown, with its actor's name (none: Harbour itself) and its organization's.
fn event_dto(event: EventRow, actor: Option<String>, organization: String) -> ReferralEvent {
    ReferralEvent {
        at: event.at.and_utc(),
        kind: event.kind.code().to_owned(),
        actor_name: actor.unwrap_or_else(|| "Harbour".into()),
        organization: OrganizationRef { id: event.organization_id.into(), name: organization },
        status: event.status,
        note: event.note,
    }
}

fn to_dto(row: &ReferralRow, names: &repo::Names, side: Side, participant: Option<Participant>, timeline: Vec<ReferralEvent>) -> Referral {
    let status = row.status;
    Referral {
        id: row.id.to_string(),
        status,
        fhir_status: lifecycle::fhir_status(status).to_owned(),
        urgency: row.urgency,
        overdue: is_overdue(row, Utc::now()),
        due_at: row.due_at.map(|d| d.and_utc()),
        from_organization: OrganizationRef { id: row.from_organization_id.to_string(), name: names.from_organization.clone() },
        from_user_name: names.from_user.clone(),
        to_organization: OrganizationRef { id: row.to_organization_id.to_string(), name: names.to_organization.clone() },
        service_id: row.service_id.clone(),
        service_name: names.service.clone(),
        needs: ReferralNeeds { category_ids: serde_json::from_str(&row.need_category_ids).unwrap_or_default(), note: row.needs_note.clone() },
        safe_contact_instructions: row.safe_contact_instructions.clone(),
        participant_confirmed: row.participant_confirmed,
        assignee: row.assignee_id.clone().zip(names.assignee.clone()).map(|(id, name)| harbour_types::UserRef { id, name }),
        // The receiver's way to the sender's coordinator: exactly while it sees what was shared.
        primary_contact: names.primary_contact.clone().filter(|_| side == Side::Sender || participant.is_some()).map(|(id, name)| harbour_types::UserRef { id, name }),
        consent_id: row.consent_id.clone().map(String::from),
        participant_id: (side == Side::Sender).then(|| row.participant_id.to_string()),
        participant,
        participant_redacted: row.redacted_at.is_some(),
        reason: row.reason,
        outcome: row.outcome,
        timeline,
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    }
}
