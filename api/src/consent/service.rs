//! Recording, reading and revoking consents. A consent is never edited: a change is a
//! new consent that supersedes the old one, in one transaction with its audit event.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use harbour_types::{
    AccessPurpose, AuditAction, Consent, ConsentInput, ConsentMethod, ConsentStatement, ConsentStatementRequest, ConsentStatus, ConsentId, ParticipantId, RevocationInput, OrganizationId,
};

use super::error::ConsentError;
use super::policy::{self, ConsentView};
use super::repo::{self, ConsentRecord, ConsentRow};
use super::{evidence, statement};
use crate::audit::{self, Accessor, AuditEntry};
use crate::data_keys;
use crate::db::{codes_to_json, DbConn};
use crate::error::ApiError;
use crate::organizations::repo as organizations_repo;
use crate::state::AppState;

/// A consent may say it was given a little in the future: phone clocks drift.
const CLOCK_SKEW: Duration = Duration::minutes(5);

fn evidence_aad(consent_id: &ConsentId) -> String {
    format!("consents/{consent_id}/evidence")
}

/// The statement for a scope, exactly as a consent with that scope would store it.
pub async fn preview(state: &AppState, accessor: Accessor, request: ConsentStatementRequest) -> Result<ConsentStatement, ConsentError> {
    policy::require_frontline(&accessor.principal)?;
    let expires_at = request.expires_at.unwrap_or_else(|| Utc::now() + term(state));
    check_expiry(Utc::now(), expires_at)?;
    let zone = state.settings.time_zone.parse().unwrap_or(chrono_tz::America::Halifax);
    let organization_id = accessor.principal.organization_id.clone();
    let (recorder, recipients) = state.db.run(move |conn| names(conn, &organization_id, &dedup(&request.recipient_ids))).await?;
    let scope = statement::Scope { recorder: &recorder, recipients: &recipients, purposes: &dedup(&request.purposes), categories: &dedup(&request.data_categories), expires_at };
    Ok(ConsentStatement { language: request.language, text: statement::render(request.language, &scope, zone), expires_at })
}

/// Records a consent a participant of the caller's organization gave.
pub async fn create(state: &AppState, accessor: Accessor, input: ConsentInput) -> Result<Consent, ConsentError> {
    policy::require_frontline(&accessor.principal)?;
    let participant_id = ParticipantId::from(input.participant_id.clone());
    let supersedes_id = input.supersedes_id.clone().map(ConsentId::from);
    let now = Utc::now();
    let given_at = input.given_at.unwrap_or(now);
    if given_at > now + CLOCK_SKEW {
        return Err(ConsentError::GivenInFuture);
    }
    let expires_at = input.expires_at.unwrap_or_else(|| given_at + term(state));
    check_expiry(now, expires_at)?;
    if input.method == ConsentMethod::Verbal && input.witness_name.as_deref().is_none_or(|w| w.trim().is_empty()) {
        return Err(ConsentError::WitnessRequired);
    }
    let file = evidence::check(input.method, input.evidence.as_ref())?;
    let zone = state.settings.time_zone.parse().unwrap_or(chrono_tz::America::Halifax);
    let keyring = state.keyring.clone();
    let principal = accessor.principal.clone();
    let record = state
        .db
        .transaction(move |conn| {
            let principal = &accessor.principal;
            repo::participant_owner(conn, &participant_id)?
                .filter(|owner| *owner == principal.organization_id)
                .ok_or(ConsentError::ParticipantNotFound)?;
            let recipient_ids = dedup(&input.recipient_ids);
            let (recorder, recipients) = names(conn, &principal.organization_id, &recipient_ids)?;
            let id = ConsentId::from(uuid::Uuid::new_v4().to_string());
            if let Some(old) = &supersedes_id {
                check_supersedable(conn, old, &participant_id, now)?;
            }
            let purposes = dedup(&input.purposes);
            let categories = dedup(&input.data_categories);
            let scope = statement::Scope { recorder: &recorder, recipients: &recipients, purposes: &purposes, categories: &categories, expires_at };
            let row = ConsentRow {
                id: id.clone(),
                participant_id: participant_id.clone(),
                organization_id: principal.organization_id.clone(),
                recorded_by: principal.user_id().unwrap_or_default().to_owned(),
                method: input.method,
                witness_name: input.witness_name.as_deref().map(str::trim).map(str::to_owned).filter(|w| !w.is_empty()),
                given_at: given_at.naive_utc(),
                expires_at: expires_at.naive_utc(),
                purposes: codes_to_json(purposes.iter().map(|p| p.code())),
                data_categories: codes_to_json(categories.iter().map(|c| c.code())),
                statement_language: input.statement_language,
                statement_text: statement::render(input.statement_language, &scope, zone),
                evidence_media_type: file.as_ref().map(|f| f.media_type.to_owned()),
                evidence_sha256: file.as_ref().map(|f| f.sha256.clone()),
                evidence_size: file.as_ref().map(|f| i64::try_from(f.bytes.len()).unwrap_or(i64::MAX)),
                supersedes_id: supersedes_id.clone(),
                superseded_by_id: None,
                revoked_at: None,
                revoked_by: None,
                revocation_method: None,
                revocation_note: None,
                created_at: now.naive_utc(),
            };
            let sealed = match &file {
                Some(f) => Some(data_keys::for_writing(conn, &keyring, &participant_id)?.seal(&f.bytes, &evidence_aad(&id))?),
                None => None,
            };
            repo::insert(conn, &row, &recipient_ids, sealed.as_deref())?;
            if let Some(old) = &supersedes_id {
                if !repo::mark_superseded(conn, old, &id)? {
                    return Err(ConsentError::SupersededMeanwhile);
                }
            }
            audit::record(
                conn,
                &accessor,
                &AuditEntry {
                    action: AuditAction::ConsentCreate,
                    entity_type: "consent",
                    entity_id: id.as_str(),
                    participant_id: Some(&participant_id),
                    consent_id: Some(&id),
                    purpose: AccessPurpose::DirectCare,
                    categories: Vec::new(),
                },
            )?;
            repo::find(conn, &id)?.ok_or_else(|| ApiError::Internal("a consent vanished while being recorded".into()).into())
        })
        .await?;
    Ok(policy::shape_consent(&record, ConsentView::Owner, &principal, now))
}

/// A participant's consents, as the caller may see them: all of them for the owning
/// organization, those naming it for a recipient, 404 for anyone else.
pub async fn list(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<Vec<Consent>, ConsentError> {
    policy::require_frontline(&accessor.principal)?;
    let principal = accessor.principal.clone();
    let visible = state
        .db
        .transaction(move |conn| {
            let owner = repo::participant_owner(conn, &participant_id)?.ok_or(ConsentError::ParticipantNotFound)?;
            let owner = owner == accessor.principal.organization_id;
            let visible: Vec<(ConsentRecord, ConsentView)> = repo::for_participant(conn, &participant_id)?
                .into_iter()
                .filter_map(|c| policy::consent_view(&accessor.principal, &c).map(|v| (c, v)))
                .collect();
            if visible.is_empty() && !owner {
                return Err(ConsentError::ParticipantNotFound);
            }
            for (consent, view) in &visible {
                audit::record(conn, &accessor, &read_entry(AuditAction::ConsentRead, consent, *view))?;
            }
            Ok(visible)
        })
        .await?;
    let now = Utc::now();
    Ok(visible.iter().map(|(c, v)| policy::shape_consent(c, *v, &principal, now)).collect())
}

/// Every consent of a participant, as its owning organization sees them, for the
/// participant's own records (`own_records`, which has checked that the caller is the owner).
pub fn for_owner_copy(conn: &mut DbConn, principal: &crate::auth::Principal, participant_id: &ParticipantId) -> Result<Vec<Consent>, ConsentError> {
    let now = Utc::now();
    Ok(repo::for_participant(conn, participant_id)?.iter().map(|c| policy::shape_consent(c, ConsentView::Owner, principal, now)).collect())
}

/// One consent, as the caller may see it.
pub async fn get(state: &AppState, accessor: Accessor, id: ConsentId) -> Result<Consent, ConsentError> {
    policy::require_frontline(&accessor.principal)?;
    let principal = accessor.principal.clone();
    let (consent, view) = state
        .db
        .transaction(move |conn| {
            let (consent, view) = visible(conn, &accessor, &id)?;
            audit::record(conn, &accessor, &read_entry(AuditAction::ConsentRead, &consent, view))?;
            Ok::<_, ConsentError>((consent, view))
        })
        .await?;
    Ok(policy::shape_consent(&consent, view, &principal, Utc::now()))
}

/// A consent's evidence file and its media type: for the owning organization only.
pub async fn evidence_file(state: &AppState, accessor: Accessor, id: ConsentId) -> Result<(String, Vec<u8>), ConsentError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (consent, view) = visible(conn, &accessor, &id)?;
            if view != ConsentView::Owner {
                return Err(ConsentError::EvidenceForRecorderOnly);
            }
            let (Some(media_type), Some(sealed)) = (consent.row.evidence_media_type.clone(), repo::evidence(conn, &id)?) else {
                return Err(ConsentError::NoEvidenceFile);
            };
            audit::record(conn, &accessor, &read_entry(AuditAction::ConsentEvidenceRead, &consent, view))?;
            let key = data_keys::for_reading(conn, &keyring, &consent.row.participant_id)?;
            Ok((media_type, key.open(&sealed, &evidence_aad(&id))?))
        })
        .await
}

/// Records that the participant withdrew a consent. It takes effect on the next request:
/// every read computes access from the consents as they are then.
pub async fn revoke(state: &AppState, copies: &SharedCopies, accessor: Accessor, id: ConsentId, input: RevocationInput) -> Result<Consent, ConsentError> {
    policy::require_frontline(&accessor.principal)?;
    let principal = accessor.principal.clone();
    let now = Utc::now();
    let redactors = copies.redact_under.clone();
    let consent = state
        .db
        .transaction(move |conn| {
            let (consent, view) = visible(conn, &accessor, &id)?;
            if view != ConsentView::Owner {
                return Err(ConsentError::RevokedByRecorderOnly);
            }
            let status = policy::consent_status(&consent, now);
            if status != ConsentStatus::Active {
                return Err(ConsentError::NotRevocable { status });
            }
            let by = accessor.principal.user_id().unwrap_or_default().to_owned();
            let note = input.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            if !repo::revoke(conn, &id, now.naive_utc(), &by, input.method, note)? {
                return Err(ConsentError::NotRevocable { status: ConsentStatus::Revoked });
            }
            audit::record(conn, &accessor, &read_entry(AuditAction::ConsentRevoke, &consent, view))?;
            // Copies already shared under it (referrals' snapshots) lose their participant
            // part now, in this transaction.
            for redact_under in &redactors {
                redact_under(conn, &id, &accessor)?;
            }
            repo::find(conn, &id)?.ok_or_else(|| ApiError::Internal("a consent vanished while being revoked".into()).into())
        })
        .await?;
    Ok(policy::shape_consent(&consent, ConsentView::Owner, &principal, now))
}

/// Redacts the copies of a participant's data one module keeps under a consent, in the
/// withdrawal's transaction, and says how many it redacted.
pub type RedactUnder = fn(&mut DbConn, &ConsentId, &Accessor) -> Result<usize, ApiError>;

/// The modules that keep copies of participant data under a consent (a referral's
/// snapshot), which a withdrawal must reach. They sit above consent, so consent owns
/// this list and `startup` fills it; a server without it refuses withdrawals (500)
/// rather than leave a copy readable.
pub struct SharedCopies {
    pub redact_under: Vec<RedactUnder>,
}

/// A consent the caller may see at all, and how; 404 otherwise.
fn visible(conn: &mut DbConn, accessor: &Accessor, id: &ConsentId) -> Result<(ConsentRecord, ConsentView), ConsentError> {
    let consent = repo::find(conn, id)?.ok_or(ConsentError::NotFound)?;
    let view = policy::consent_view(&accessor.principal, &consent).ok_or(ConsentError::NotFound)?;
    Ok((consent, view))
}

/// The audit entry of reading or acting on a consent: its scope, not participant data.
fn read_entry(action: AuditAction, consent: &ConsentRecord, view: ConsentView) -> AuditEntry<'_> {
    AuditEntry {
        action,
        entity_type: "consent",
        entity_id: consent.row.id.as_str(),
        participant_id: Some(&consent.row.participant_id),
        consent_id: Some(&consent.row.id),
        purpose: if view == ConsentView::Owner { AccessPurpose::DirectCare } else { AccessPurpose::InformationSharing },
        categories: Vec::new(),
    }
}

/// Whether `old` may be replaced: it must be an active consent of the same participant.
fn check_supersedable(conn: &mut DbConn, old: &ConsentId, participant_id: &ParticipantId, now: DateTime<Utc>) -> Result<(), ConsentError> {
    let consent = repo::find(conn, old)?.filter(|c| c.row.participant_id == *participant_id).ok_or(ConsentError::SupersedesAnotherParticipants)?;
    let status = policy::consent_status(&consent, now);
    if status != ConsentStatus::Active {
        return Err(ConsentError::SupersedesInactive { status });
    }
    Ok(())
}

/// The recording organization's name and the recipients' names, in the order given:
/// every recipient must be another active organization of the partnership.
fn names(conn: &mut DbConn, recorder_id: &OrganizationId, recipient_ids: &[String]) -> Result<(String, Vec<String>), ConsentError> {
    let recorder = organizations_repo::find(conn, recorder_id)?.ok_or(ConsentError::OrganizationNotFound)?;
    let mut recipients = Vec::with_capacity(recipient_ids.len());
    for (index, id) in recipient_ids.iter().enumerate() {
        if *id == recorder.id.as_str() {
            return Err(ConsentError::OwnOrganizationNamed { index });
        }
        let organization = organizations_repo::find(conn, &OrganizationId::from(id.as_str()))?.filter(|o| o.active).ok_or(ConsentError::UnknownRecipient { index })?;
        recipients.push(organization.name);
    }
    Ok((recorder.name, recipients))
}

fn check_expiry(now: DateTime<Utc>, expires_at: DateTime<Utc>) -> Result<(), ConsentError> {
    if expires_at <= now {
        return Err(ConsentError::ExpiresInPast);
    }
    if expires_at > now + Duration::days(3650) {
        return Err(ConsentError::ExpiresTooLate);
    }
    Ok(())
}

fn term(state: &AppState) -> Duration {
    Duration::days(i64::from(state.settings.consent_term_days))
}

/// The items once each, in a stable order.
fn dedup<T: Ord + Clone>(items: &[T]) -> Vec<T> {
    items.iter().cloned().collect::<BTreeSet<T>>().into_iter().collect()
}

/// Moves every evidence file sealed by the keyring itself (kept before participants had
/// keys) under its participant's key; returns how many.
pub fn reseal_evidence(conn: &mut DbConn, keyring: &crate::crypto::Keyring) -> Result<usize, ConsentError> {
    let mut count = 0;
    for (consent_id, participant_id, sealed) in repo::all_evidence(conn)? {
        let key = data_keys::for_writing(conn, keyring, &participant_id)?;
        if let Some(resealed) = key.resealed(&sealed, &evidence_aad(&consent_id))? {
            repo::reseal_evidence(conn, &consent_id, &resealed)?;
            count += 1;
        }
    }
    Ok(count)
}
