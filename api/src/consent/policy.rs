//! The consent policy: the one place that decides who sees what of a participant.
//!
//! Every read path asks here: a participant's record and the list "shared with us"
//! ([`participant_access`], shaped by [`shape_participant`]), case conferences
//! ([`conference_access`], [`may_confer`]), consents ([`consent_view`],
//! [`shape_consent`]), and the participant part of a referral ([`referral_disclosure`],
//! [`snapshot_visible`]). Nothing else decides.
//!
//! The rules (DOMAIN.md, "Who may see what"):
//! - Participant data is for frontline users: outreach and intake workers and agency
//!   admins. Coordinators and system admins never see participant-level data, and API
//!   clients see none here.
//! - The owning organization (the one that recorded the participant) sees everything.
//! - Another organization sees a participant only while a consent names it, is neither
//!   revoked, superseded nor expired at the moment of the request, and allows a reading
//!   purpose (information sharing or case conference; a referral-only consent lets the
//!   referral carry its snapshot, not the record be browsed). It then sees the profile
//!   (alias, age, pronouns, languages — what anyone needs to address the person) and the
//!   union of the consented categories; every other category is absent.
//! - A consent's recipients see that it exists and its scope, never the statement, the
//!   witness, who recorded it or the evidence file.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use harbour_types::{AccessPurpose, Consent, ConsentId, ConsentPurpose, ConsentStatus, DataCategory, EvidenceInfo, OrganizationId, Participant, ParticipantAccess, Revocation};

use super::repo::ConsentRecord;
use crate::auth::{Permission, Principal};
use crate::error::ApiError;

/// What a caller may see of one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// The owning organization: everything.
    Owner,
    /// A recipient under active consents: the profile and these categories.
    Recipient {
        /// The union of the consented categories.
        categories: BTreeSet<DataCategory>,
        /// The consents relied on.
        consent_ids: Vec<ConsentId>,
        /// Why they may read it, as the audit trail records.
        purpose: AccessPurpose,
    },
}

impl Access {
    /// The categories visible.
    pub fn categories(&self) -> Vec<DataCategory> {
        match self {
            Access::Owner => DataCategory::ALL.to_vec(),
            Access::Recipient { categories, .. } => categories.iter().copied().collect(),
        }
    }

    /// Why the caller reads it.
    pub fn purpose(&self) -> AccessPurpose {
        match self {
            Access::Owner => AccessPurpose::DirectCare,
            Access::Recipient { purpose, .. } => *purpose,
        }
    }

    /// The consent the audit event names (the first relied on).
    pub fn consent_id(&self) -> Option<&ConsentId> {
        match self {
            Access::Owner => None,
            Access::Recipient { consent_ids, .. } => consent_ids.first(),
        }
    }
}

/// Where a consent stands at `now`: revocation and replacement first, then expiry —
/// computed at every read, so an expired consent stops counting the moment it expires.
pub fn consent_status(consent: &ConsentRecord, now: DateTime<Utc>) -> ConsentStatus {
    if consent.row.revoked_at.is_some() {
        ConsentStatus::Revoked
    } else if consent.row.superseded_by_id.is_some() {
        ConsentStatus::Superseded
    } else if consent.row.expires_at.and_utc() <= now {
        ConsentStatus::Expired
    } else {
        ConsentStatus::Active
    }
}

/// Refuses callers who never see participant data (coordinators, system admins,
/// API clients), whatever the participant.
pub fn require_frontline(principal: &Principal) -> Result<(), ApiError> {
    principal.authorize(Permission::HandleParticipants)
}

/// What `principal` may see of a participant owned by `owner`, given the participant's
/// consents; `None` when nothing.
pub fn participant_access(principal: &Principal, owner: &OrganizationId, consents: &[ConsentRecord], now: DateTime<Utc>) -> Option<Access> {
    require_frontline(principal).ok()?;
    if principal.organization_id == *owner {
        return Some(Access::Owner);
    }
    let reading = [ConsentPurpose::InformationSharing, ConsentPurpose::CaseConference];
    let relied_on: Vec<&ConsentRecord> = consents
        .iter()
        .filter(|c| consent_status(c, now) == ConsentStatus::Active)
        .filter(|c| c.names(&principal.organization_id))
        .filter(|c| c.purposes.iter().any(|p| reading.contains(p)))
        .collect();
    if relied_on.is_empty() {
        return None;
    }
    let purpose = if relied_on.iter().any(|c| c.purposes.contains(&ConsentPurpose::InformationSharing)) {
        AccessPurpose::InformationSharing
    } else {
        AccessPurpose::CaseConference
    };
    Some(Access::Recipient {
        categories: relied_on.iter().flat_map(|c| c.categories.iter().copied()).collect(),
        consent_ids: relied_on.iter().map(|c| c.row.id.clone()).collect(),
        purpose,
    })
}

/// The participant's active consents that bring `organization` to a case conference.
fn conference_consents<'a>(organization: &'a OrganizationId, consents: &'a [ConsentRecord], now: DateTime<Utc>) -> impl Iterator<Item = &'a ConsentRecord> + 'a {
    consents
        .iter()
        .filter(move |c| consent_status(c, now) == ConsentStatus::Active)
        .filter(move |c| c.names(organization))
        .filter(|c| c.purposes.contains(&ConsentPurpose::CaseConference))
}

/// Whether `organization` may be invited to a case conference about the participant:
/// an active consent of theirs names it and covers `case_conference`.
pub fn may_confer(organization: &OrganizationId, consents: &[ConsentRecord], now: DateTime<Utc>) -> bool {
    conference_consents(organization, consents, now).next().is_some()
}

/// What `principal` may see of the case conferences about a participant owned by
/// `owner`: the owner everything; an organization invited, the conferences it is invited
/// to, only while an active consent naming it covers `case_conference` (sharing
/// information alone does not bring anyone to the table). The caller checks the
/// invitation; this decides the consent. `None` when nothing.
pub fn conference_access(principal: &Principal, owner: &OrganizationId, consents: &[ConsentRecord], now: DateTime<Utc>) -> Option<Access> {
    require_frontline(principal).ok()?;
    if principal.organization_id == *owner {
        return Some(Access::Owner);
    }
    let relied_on: Vec<&ConsentRecord> = conference_consents(&principal.organization_id, consents, now).collect();
    if relied_on.is_empty() {
        return None;
    }
    Some(Access::Recipient {
        categories: relied_on.iter().flat_map(|c| c.categories.iter().copied()).collect(),
        consent_ids: relied_on.iter().map(|c| c.row.id.clone()).collect(),
        purpose: AccessPurpose::CaseConference,
    })
}

/// Removes from a complete participant every category `access` does not cover.
pub fn shape_participant(mut participant: Participant, access: &Access) -> Participant {
    let sees = |category| matches!(access, Access::Owner) || access.categories().contains(&category);
    if !sees(DataCategory::Identity) {
        participant.identity = None;
    }
    if !sees(DataCategory::Contact) {
        participant.contact = None;
    }
    if !sees(DataCategory::Needs) {
        participant.needs = None;
    }
    if !sees(DataCategory::Safety) {
        participant.safety = None;
    }
    participant.access = ParticipantAccess {
        owner: matches!(access, Access::Owner),
        categories: access.categories(),
        consent_ids: match access {
            Access::Owner => Vec::new(),
            Access::Recipient { consent_ids, .. } => consent_ids.iter().map(ToString::to_string).collect(),
        },
    };
    participant
}

/// How a caller may see one consent: the owning organization fully, a named recipient
/// its scope, anyone else not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentView {
    /// Everything but the evidence file's bytes (downloaded apart, and audited).
    Owner,
    /// Existence, status and scope, with only the caller among the recipients.
    Recipient,
}

/// How `principal` may see `consent`, if at all.
pub fn consent_view(principal: &Principal, consent: &ConsentRecord) -> Option<ConsentView> {
    require_frontline(principal).ok()?;
    if consent.row.organization_id == principal.organization_id {
        Some(ConsentView::Owner)
    } else if consent.names(&principal.organization_id) {
        Some(ConsentView::Recipient)
    } else {
        None
    }
}

/// The consent as `view` allows `principal` to see it.
pub fn shape_consent(consent: &ConsentRecord, view: ConsentView, principal: &Principal, now: DateTime<Utc>) -> Consent {
    let owner = view == ConsentView::Owner;
    let row = &consent.row;
    Consent {
        id: row.id.to_string(),
        participant_id: row.participant_id.to_string(),
        organization: harbour_types::OrganizationRef { id: row.organization_id.to_string(), name: consent.organization_name.clone() },
        status: consent_status(consent, now),
        method: row.method,
        given_at: row.given_at.and_utc(),
        expires_at: row.expires_at.and_utc(),
        purposes: consent.purposes.clone(),
        data_categories: consent.categories.clone(),
        recipients: consent.recipients.iter().filter(|r| owner || r.id == principal.organization_id.as_str()).cloned().collect(),
        statement_language: row.statement_language,
        statement_text: owner.then(|| row.statement_text.clone()),
        witness_name: row.witness_name.clone().filter(|_| owner),
        recorded_by_name: owner.then(|| consent.recorded_by_name.clone()),
        evidence: match (&row.evidence_media_type, &row.evidence_sha256, row.evidence_size) {
            (Some(media_type), Some(sha256), Some(size)) if owner => Some(EvidenceInfo { media_type: media_type.clone(), sha256: sha256.clone(), size }),
            _ => None,
        },
        supersedes_id: row.supersedes_id.clone().map(String::from),
        superseded_by_id: row.superseded_by_id.clone().map(String::from),
        revocation: row.revoked_at.map(|at| Revocation {
            revoked_at: at.and_utc(),
            method: row.revocation_method.unwrap_or(harbour_types::RevocationMethod::Other),
            recorded_by_name: consent.revoked_by_name.clone().filter(|_| owner),
            note: row.revocation_note.clone().filter(|_| owner),
        }),
        created_at: row.created_at.and_utc(),
    }
}

/// What organization `receiver` may be sent of a participant in a referral: the union of
/// the categories of the active consents that name it for the purpose "referral".
/// `None` when no such consent exists: the referral cannot be sent.
pub fn referral_disclosure(receiver: &OrganizationId, consents: &[ConsentRecord], now: DateTime<Utc>) -> Option<Access> {
    let relied_on: Vec<&ConsentRecord> = consents
        .iter()
        .filter(|c| consent_status(c, now) == ConsentStatus::Active)
        .filter(|c| c.names(receiver))
        .filter(|c| c.purposes.contains(&ConsentPurpose::Referral))
        .collect();
    if relied_on.is_empty() {
        return None;
    }
    Some(Access::Recipient {
        categories: relied_on.iter().flat_map(|c| c.categories.iter().copied()).collect(),
        consent_ids: relied_on.iter().map(|c| c.row.id.clone()).collect(),
        purpose: AccessPurpose::Referral,
    })
}

/// Whether the receiving side of a referral still sees the participant snapshot it was
/// sent: only while the consent it relied on is active. (Revocation also removes the
/// snapshot at once; this covers expiry, which no job needs to catch.)
pub fn snapshot_visible(consent: Option<&ConsentRecord>, now: DateTime<Utc>) -> bool {
    consent.is_some_and(|c| consent_status(c, now) == ConsentStatus::Active)
}
