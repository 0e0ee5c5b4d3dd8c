//! Recording, reading, changing and finding participants. Every call leaves an audit
//! event in the transaction that does the work; what a caller sees is decided by
//! [`crate::consent::policy`].

use chrono::{Datelike as _, NaiveDate, Utc};
use harbour_types::{AuditAction, DataCategory, OrganizationId, Page, PageRequest, Participant, ParticipantAccess, ParticipantId, ParticipantIdentity, ParticipantInput, ParticipantNeeds, ParticipantSafety, ParticipantSearch, ParticipantSummary, SafeContact};

use super::error::ParticipantError;
use super::handover;
use super::repo::{self, ParticipantRecord, ParticipantRow, SearchScope};
use crate::audit::{self, Accessor, AuditEntry};
use crate::consent::policy::{self, Access};
use crate::consent::repo as consents_repo;
use crate::crypto::Keyring;
use crate::data_keys::{self, ParticipantKey};
use crate::db::DbConn;
use crate::directory::search::text::fold;
use crate::error::ApiError;
use crate::state::AppState;

/// The place a sealed field is bound to.
fn aad(participant_id: &ParticipantId, field: &str) -> String {
    format!("participants/{participant_id}/{field}")
}

/// Records a participant for the caller's organization.
pub async fn create(state: &AppState, accessor: Accessor, input: ParticipantInput) -> Result<Participant, ParticipantError> {
    policy::require_frontline(&accessor.principal)?;
    check_input(&input)?;
    let keys = state.keyring.clone();
    let record = state
        .db
        .transaction(move |conn| {
            let organization_id = accessor.principal.organization_id.clone();
            check_references(conn, &input, &organization_id)?;
            let actor = accessor.principal.user_id().unwrap_or_default().to_owned();
            let now = Utc::now().naive_utc();
            let id = ParticipantId::from(uuid::Uuid::new_v4().to_string());
            let mut row = build_row(&input, Stamp { id: &id, organization_id: &organization_id, actor: &actor, created_by: &actor, created_at: now, version: 1 });
            let (key, new_key) = data_keys::fresh(&keys, &id);
            seal_fields(&mut row, &input, &key)?;
            repo::insert(conn, &row)?;
            // After the row: the stored key refers to it.
            new_key.store(conn)?;
            let told = handover::record(conn, &id, None, row.primary_contact_id.as_deref(), &actor)?;
            audit::record(conn, &accessor, &written(AuditAction::ParticipantCreate, &id))?;
            let record = repo::find(conn, &id)?.ok_or_else(|| ParticipantError::from(ApiError::Internal("a participant vanished while being recorded".into())))?;
            Ok::<_, ParticipantError>((record, told))
        })
        .await?;
    let (record, told) = record;
    if let Some(address) = told {
        handover::tell(state, address, &record.row.id).await;
    }
    Ok(shaped(&state.keyring, &record, &Access::Owner)?)
}

/// One participant, as the consent policy lets the caller see them.
pub async fn get(state: &AppState, accessor: Accessor, id: ParticipantId) -> Result<Participant, ParticipantError> {
    policy::require_frontline(&accessor.principal)?;
    let (record, access) = state
        .db
        .transaction(move |conn| {
            let (record, access) = readable(conn, &accessor.principal, &id)?;
            let categories = access.categories();
            audit::record(
                conn,
                &accessor,
                &AuditEntry {
                    action: AuditAction::ParticipantRead,
                    entity_type: "participant",
                    entity_id: id.as_str(),
                    participant_id: Some(&id),
                    consent_id: access.consent_id(),
                    purpose: access.purpose(),
                    categories,
                },
            )?;
            Ok::<_, ParticipantError>((record, access))
        })
        .await?;
    Ok(shaped(&state.keyring, &record, &access)?)
}

/// Replaces a participant's details (the owning organization, with `If-Match`).
pub async fn update(state: &AppState, accessor: Accessor, id: ParticipantId, version: i32, input: ParticipantInput) -> Result<Participant, ParticipantError> {
    policy::require_frontline(&accessor.principal)?;
    check_input(&input)?;
    let keys = state.keyring.clone();
    let record = state
        .db
        .transaction(move |conn| {
            let (existing, access) = readable(conn, &accessor.principal, &id)?;
            if access != Access::Owner {
                return Err(ParticipantError::ChangedByOwnerOnly);
            }
            check_references(conn, &input, &existing.row.organization_id)?;
            let actor = accessor.principal.user_id().unwrap_or_default().to_owned();
            let stamp = Stamp {
                id: &id,
                organization_id: &existing.row.organization_id,
                actor: &actor,
                created_by: &existing.row.created_by,
                created_at: existing.row.created_at,
                version: version + 1,
            };
            let mut row = build_row(&input, stamp);
            seal_fields(&mut row, &input, &existing.key_for_writing(conn, &keys)?)?;
            row.updated_at = Utc::now().naive_utc();
            if !repo::update(conn, &row, version)? {
                return Err(ParticipantError::Stale);
            }
            let told = handover::record(conn, &id, existing.row.primary_contact_id.as_deref(), row.primary_contact_id.as_deref(), &actor)?;
            audit::record(conn, &accessor, &written(AuditAction::ParticipantUpdate, &id))?;
            let record = repo::find(conn, &id)?.ok_or_else(|| ParticipantError::from(ApiError::Internal("a participant vanished while being changed".into())))?;
            Ok((record, told))
        })
        .await?;
    let (record, told) = record;
    if let Some(address) = told {
        handover::tell(state, address, &record.row.id).await;
    }
    Ok(shaped(&state.keyring, &record, &Access::Owner)?)
}

/// Finds participants by alias: the caller's organization's own, or those another
/// organization shared with it through an active consent that allows reading.
pub async fn search(state: &AppState, accessor: Accessor, query: ParticipantSearch) -> Result<Page<ParticipantSummary>, ParticipantError> {
    policy::require_frontline(&accessor.principal)?;
    let request = crate::http::checked_page(PageRequest { page: query.page, per_page: query.per_page })?;
    let (offset, limit) = crate::db::page_bounds(request);
    let (rows, total) = state
        .db
        .transaction(move |conn| {
            let organization_id = accessor.principal.organization_id.clone();
            let alias = fold(query.alias.trim());
            let found = if query.shared_with_us {
                let now = Utc::now();
                let mut shared = Vec::new();
                for id in consents_repo::participants_naming(conn, &organization_id, now.naive_utc())? {
                    let Some(record) = repo::find(conn, &id)? else { continue };
                    let consents = consents_repo::for_participant(conn, &id)?;
                    if policy::participant_access(&accessor.principal, &record.row.organization_id, &consents, now).is_some() {
                        shared.push(id);
                    }
                }
                repo::search(conn, SearchScope::Among(&shared), &alias, offset, limit)?
            } else {
                repo::search(conn, SearchScope::OwnedBy(&organization_id), &alias, offset, limit)?
            };
            // Appearing in a list shows the profile only: no category is disclosed.
            audit::record_each(
                conn,
                &accessor,
                found.0.iter().map(|(row, _)| AuditEntry {
                    action: AuditAction::ParticipantList,
                    entity_type: "participant",
                    entity_id: row.id.as_str(),
                    participant_id: Some(&row.id),
                    consent_id: None,
                    purpose: if row.organization_id == organization_id { harbour_types::AccessPurpose::DirectCare } else { harbour_types::AccessPurpose::InformationSharing },
                    categories: Vec::new(),
                }),
            )?;
            Ok::<_, ParticipantError>(found)
        })
        .await?;
    let summaries = rows
        .into_iter()
        .map(|(row, organization_name)| ParticipantSummary {
            age_band: row.age_band,
            id: row.id.into(),
            alias: row.alias,
            pronouns: row.pronouns,
            organization_id: row.organization_id.into(),
            organization_name,
            updated_at: row.updated_at.and_utc(),
        })
        .collect();
    Ok(Page::new(summaries, total.unsigned_abs(), request))
}

/// A participant the caller may see at all, with how much: 404 when none of it, so
/// that ids cannot be probed across organizations.
pub fn readable(conn: &mut DbConn, principal: &crate::auth::Principal, id: &ParticipantId) -> Result<(ParticipantRecord, Access), ParticipantError> {
    let record = repo::find(conn, id)?.ok_or(ParticipantError::NotFound)?;
    let consents = consents_repo::for_participant(conn, id)?;
    let access = policy::participant_access(principal, &record.row.organization_id, &consents, Utc::now()).ok_or(ParticipantError::NotFound)?;
    Ok((record, access))
}

/// The audit entry of a write. The owner writes the whole record, so it names every category.
pub(super) fn written(action: AuditAction, id: &ParticipantId) -> AuditEntry<'_> {
    AuditEntry {
        action,
        entity_type: "participant",
        entity_id: id.as_str(),
        participant_id: Some(id),
        consent_id: None,
        purpose: harbour_types::AccessPurpose::DirectCare,
        categories: DataCategory::ALL.to_vec(),
    }
}

/// Rules the body's schema cannot say.
fn check_input(input: &ParticipantInput) -> Result<(), ParticipantError> {
    if input.alias.trim().is_empty() {
        return Err(ParticipantError::AliasRequired);
    }
    if input.birth_year.is_some_and(|year| year > Utc::now().year()) {
        return Err(ParticipantError::BirthYearInFuture);
    }
    if let Some(index) = input.languages.iter().position(|l| l.trim().is_empty() || l.len() > 35) {
        return Err(ParticipantError::LanguageLength { index });
    }
    if input.identity.as_ref().and_then(|i| i.date_of_birth).is_some_and(|d| d > Utc::now().date_naive()) {
        return Err(ParticipantError::BirthDateInFuture);
    }
    Ok(())
}

/// References the body makes: a primary contact of the owning organization, known categories.
fn check_references(conn: &mut DbConn, input: &ParticipantInput, organization_id: &OrganizationId) -> Result<(), ParticipantError> {
    if let Some(user) = input.contact.as_ref().and_then(|c| c.primary_contact_id.as_deref()) {
        if !repo::is_frontline_colleague(conn, user, organization_id)? {
            return Err(ParticipantError::UnknownPrimaryContact);
        }
    }
    if let Some(needs) = &input.needs {
        if let Some(unknown) = repo::unknown_categories(conn, &needs.category_ids)?.first() {
            let index = needs.category_ids.iter().position(|c| c == unknown).unwrap_or_default();
            return Err(ParticipantError::UnknownCategory { index });
        }
    }
    Ok(())
}

/// What a row is stamped with besides the body.
struct Stamp<'a> {
    id: &'a ParticipantId,
    organization_id: &'a OrganizationId,
    actor: &'a str,
    created_by: &'a str,
    created_at: chrono::NaiveDateTime,
    version: i32,
}

/// The row for `input`, its sealed fields empty ([`seal_fields`] fills them).
fn build_row(input: &ParticipantInput, stamp: Stamp<'_>) -> ParticipantRow {
    let contact = input.contact.clone().unwrap_or_default();
    let needs = input.needs.clone().unwrap_or_default();
    let alias = input.alias.trim().to_owned();
    ParticipantRow {
        id: stamp.id.clone(),
        organization_id: stamp.organization_id.to_owned(),
        alias_folded: fold(&alias),
        alias,
        age_band: input.age_band,
        birth_year: input.birth_year,
        pronouns: trimmed(input.pronouns.as_deref()),
        languages: serde_json::to_string(&input.languages.iter().map(|l| l.trim()).collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into()),
        self_description_sealed: None,
        legal_name_sealed: None,
        date_of_birth_sealed: None,
        phone_sealed: None,
        safety_notes_sealed: None,
        contact_method: contact.method,
        contact_times: trimmed(contact.times.as_deref()),
        contact_instructions: trimmed(contact.instructions.as_deref()),
        no_voicemail: contact.no_voicemail,
        primary_contact_id: contact.primary_contact_id,
        need_category_ids: serde_json::to_string(&needs.category_ids).unwrap_or_else(|_| "[]".into()),
        needs_note: trimmed(needs.note.as_deref()),
        version: stamp.version,
        created_by: stamp.created_by.to_owned(),
        created_at: stamp.created_at,
        updated_by: stamp.actor.to_owned(),
        updated_at: stamp.created_at,
    }
}

/// Seals `input`'s identity and safety notes into `row`, under the participant's key.
fn seal_fields(row: &mut ParticipantRow, input: &ParticipantInput, key: &ParticipantKey) -> Result<(), ApiError> {
    let identity = input.identity.clone().unwrap_or_default();
    let id = row.id.clone();
    let seal = |value: Option<&str>, field: &str| key.seal_text(value.map(str::trim).filter(|v| !v.is_empty()), &aad(&id, field));
    let date_of_birth = identity.date_of_birth.map(|d| d.format("%Y-%m-%d").to_string());
    row.self_description_sealed = seal(identity.self_description.as_deref(), "self_description")?;
    row.legal_name_sealed = seal(identity.legal_name.as_deref(), "legal_name")?;
    row.date_of_birth_sealed = seal(date_of_birth.as_deref(), "date_of_birth")?;
    row.phone_sealed = seal(identity.phone.as_deref(), "phone")?;
    row.safety_notes_sealed = seal(input.safety.as_ref().and_then(|s| s.notes.as_deref()), "safety_notes")?;
    Ok(())
}

fn trimmed(value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// The participant as `access` lets its holder see it.
pub fn shaped(keys: &Keyring, record: &ParticipantRecord, access: &Access) -> Result<Participant, ApiError> {
    Ok(policy::shape_participant(open(keys, record)?, access))
}

/// The complete participant, sealed fields opened. Only [`policy::shape_participant`]
/// may turn it into a response.
fn open(keys: &Keyring, record: &ParticipantRecord) -> Result<Participant, ApiError> {
    let row = &record.row;
    let key = record.key(keys)?;
    let unseal = |value: &Option<String>, field: &str| key.open_text(value.as_deref(), &aad(&row.id, field));
    let identity = ParticipantIdentity {
        legal_name: unseal(&row.legal_name_sealed, "legal_name")?,
        date_of_birth: unseal(&row.date_of_birth_sealed, "date_of_birth")?.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        phone: unseal(&row.phone_sealed, "phone")?,
        self_description: unseal(&row.self_description_sealed, "self_description")?,
    };
    Ok(Participant {
        id: row.id.to_string(),
        organization_id: row.organization_id.to_string(),
        organization_name: record.organization_name.clone(),
        alias: row.alias.clone(),
        age_band: row.age_band,
        birth_year: row.birth_year,
        pronouns: row.pronouns.clone(),
        languages: serde_json::from_str(&row.languages).unwrap_or_default(),
        identity: Some(identity),
        contact: Some(SafeContact {
            method: row.contact_method,
            times: row.contact_times.clone(),
            instructions: row.contact_instructions.clone(),
            no_voicemail: row.no_voicemail,
            primary_contact_id: row.primary_contact_id.clone(),
            primary_contact_name: record.primary_contact_name.clone(),
        }),
        needs: Some(ParticipantNeeds { category_ids: serde_json::from_str(&row.need_category_ids).unwrap_or_default(), note: row.needs_note.clone() }),
        safety: Some(ParticipantSafety { notes: unseal(&row.safety_notes_sealed, "safety_notes")? }),
        access: ParticipantAccess { owner: false, categories: Vec::new(), consent_ids: Vec::new() },
        version: row.version,
        created_at: row.created_at.and_utc(),
        updated_at: row.updated_at.and_utc(),
    })
}

/// Moves every participant field sealed by the keyring itself (written before
/// participants had keys) under the participant's key; returns how many values.
pub fn reseal_all(conn: &mut DbConn, keys: &Keyring) -> Result<usize, ParticipantError> {
    let mut count = 0;
    for mut row in repo::all(conn)? {
        let mut changed = false;
        let id = row.id.clone();
        let key = data_keys::for_writing(conn, keys, &id)?;
        let slots = [
            (&mut row.self_description_sealed, "self_description"),
            (&mut row.legal_name_sealed, "legal_name"),
            (&mut row.date_of_birth_sealed, "date_of_birth"),
            (&mut row.phone_sealed, "phone"),
            (&mut row.safety_notes_sealed, "safety_notes"),
        ];
        for (slot, field) in slots {
            if let Some(resealed) = slot.as_deref().map(|sealed| key.resealed(sealed, &aad(&id, field))).transpose()?.flatten() {
                *slot = Some(resealed);
                changed = true;
                count += 1;
            }
        }
        if changed && !repo::update(conn, &row, row.version)? {
            return Err(ParticipantError::ChangedDuringRotation);
        }
    }
    Ok(count)
}
