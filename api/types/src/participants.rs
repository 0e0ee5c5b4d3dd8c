//! Participants, their consents, and the audit trail of every access to them.
//!
//! A participant's details are grouped by the data categories a consent can cover
//! (identity, contact, needs, safety): a caller who may not see a category gets no
//! such object in the response at all.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use validator::Validate as _;

use crate::OrganizationRef;

code_enum! {
    /// An age band, the default way of recording age without a birth date.
    AgeBand {
        /// Under 16.
        Under16 = "under_16",
        /// 16 or 17.
        From16To17 = "16_17",
        /// 18 to 20.
        From18To20 = "18_20",
        /// 21 to 24.
        From21To24 = "21_24",
        /// 25 or older.
        From25 = "25_plus",
    }
}

code_enum! {
    /// How a participant can be reached safely.
    SafeContactMethod {
        /// A phone call.
        PhoneCall = "phone_call",
        /// A text message.
        TextMessage = "text_message",
        /// E-mail.
        Email = "email",
        /// In person, at an agreed place.
        InPerson = "in_person",
        /// Only through their worker.
        ThroughWorker = "through_worker",
    }
}

code_enum! {
    /// A kind of participant data a consent can allow to be shared.
    DataCategory {
        /// Legal name, date of birth, phone number and self-described identity.
        Identity = "identity",
        /// Safe-contact instructions and the primary contact.
        Contact = "contact",
        /// What the participant is looking for.
        Needs = "needs",
        /// Safety information: risks, people to avoid.
        Safety = "safety",
        /// Case notes (shared with referrals).
        CaseNotes = "case_notes",
    }
}

code_enum! {
    /// What a consent allows the data to be used for.
    ConsentPurpose {
        /// Referring the participant to a named organization's service.
        Referral = "referral",
        /// Letting named organizations read the consented categories.
        InformationSharing = "information_sharing",
        /// Discussing the participant in a case conference with named organizations.
        CaseConference = "case_conference",
    }
}

code_enum! {
    /// How consent was given.
    ConsentMethod {
        /// A signed paper form, photographed and uploaded.
        PaperForm = "paper_form",
        /// A signature drawn on the worker's screen.
        ElectronicSignature = "electronic_signature",
        /// Spoken, with a named witness.
        Verbal = "verbal",
    }
}

code_enum! {
    /// Where a consent stands now, computed when it is read.
    ConsentStatus {
        /// In force.
        Active = "active",
        /// Past its expiry time.
        Expired = "expired",
        /// Withdrawn by the participant.
        Revoked = "revoked",
        /// Replaced by a newer consent.
        Superseded = "superseded",
    }
}

code_enum! {
    /// How the participant said they withdraw their consent.
    RevocationMethod {
        /// Told a worker in person.
        InPerson = "in_person",
        /// By phone.
        Phone = "phone",
        /// By text message.
        TextMessage = "text_message",
        /// In writing.
        Written = "written",
        /// Some other way (say how in the note).
        Other = "other",
    }
}

code_enum! {
    /// A language a consent statement is written in.
    StatementLanguage {
        /// English.
        English = "en",
        /// French.
        French = "fr",
    }
}

code_enum! {
    /// Why participant data was accessed, as the audit trail records it.
    AccessPurpose {
        /// The owning organization working with its own participant.
        DirectCare = "direct_care",
        /// A recipient reading under an information-sharing consent.
        InformationSharing = "information_sharing",
        /// A recipient reading for a case conference.
        CaseConference = "case_conference",
        /// Sending or handling a referral.
        Referral = "referral",
        /// A system admin checking the audit trail.
        Oversight = "oversight",
    }
}

code_enum! {
    /// What was done, as the audit trail records it.
    AuditAction {
        /// A participant was recorded.
        ParticipantCreate = "participant.create",
        /// A participant's record was opened.
        ParticipantRead = "participant.read",
        /// A participant appeared in a list or search.
        ParticipantList = "participant.list",
        /// A participant's record was changed.
        ParticipantUpdate = "participant.update",
        /// A participant was erased: their key destroyed, their data removed.
        ParticipantErase = "participant.erase",
        /// A consent was recorded.
        ConsentCreate = "consent.create",
        /// A consent was read.
        ConsentRead = "consent.read",
        /// A consent's evidence file was downloaded.
        ConsentEvidenceRead = "consent.evidence_read",
        /// A consent was revoked.
        ConsentRevoke = "consent.revoke",
        /// A participant's disclosure report was produced.
        DisclosureReportRead = "disclosure_report.read",
        /// A participant's own copy of everything Harbour holds about them was produced.
        OwnRecordsProduced = "own_records.produce",
        /// A referral was written (as a draft, or sent).
        ReferralCreate = "referral.create",
        /// A referral was opened.
        ReferralRead = "referral.read",
        /// A referral moved along its life cycle, or was assigned.
        ReferralUpdate = "referral.update",
        /// A message was written on a referral.
        ReferralMessage = "referral.message",
        /// A safety plan, or one of its past revisions, was opened.
        SafetyPlanRead = "safety_plan.read",
        /// A safety plan was written or revised.
        SafetyPlanWrite = "safety_plan.write",
        /// The participant's own printable copy of their safety plan was made.
        SafetyPlanCopy = "safety_plan.copy",
        /// An individualized plan, or its timeline, was opened.
        PlanRead = "plan.read",
        /// An individualized plan was written: its review date, a goal, a step, a stage of change.
        PlanWrite = "plan.write",
        /// A case conference was opened, or listed with others.
        ConferenceRead = "conference.read",
        /// A case conference was convened or written: its agenda, notes, attendance, an action item.
        ConferenceWrite = "conference.write",
    }
}

/// Legal identity: optional, encrypted at rest, shared only under consent to "identity".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ParticipantIdentity {
    /// Legal name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 200)))]
    pub legal_name: Option<String>,
    /// Date of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<NaiveDate>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(min = 3, max = 40)))]
    pub phone: Option<String>,
    /// How the participant describes themselves, in their words (never a label put on them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 500)))]
    pub self_description: Option<String>,
}

/// How to reach the participant without putting them at risk.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct SafeContact {
    /// The safe way to reach them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<SafeContactMethod>,
    /// When it is safe ("weekdays after 3 pm").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 200)))]
    pub times: Option<String>,
    /// Anything else to know ("say you are from the clinic").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 500)))]
    pub instructions: Option<String>,
    /// Never leave a voicemail.
    #[serde(default)]
    pub no_voicemail: bool,
    /// The user of the owning organization who coordinates their case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact_id: Option<String>,
    /// The primary contact's name (filled in by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact_name: Option<String>,
}

/// One hand-over of a participant's primary contact, oldest first in a history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PrimaryContactChange {
    /// Who it was before (none: nobody).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_user_id: Option<String>,
    /// Their name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_name: Option<String>,
    /// Who it is from then on (none: nobody).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_user_id: Option<String>,
    /// Their name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_name: Option<String>,
    /// Who made the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by_name: Option<String>,
    /// When.
    pub changed_at: DateTime<Utc>,
}

/// A colleague of the caller's organization who can be a participant's primary contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Colleague {
    /// Their user id.
    pub id: String,
    /// Their name.
    pub display_name: String,
}

/// What the participant is looking for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ParticipantNeeds {
    /// Directory categories (taxonomy term ids).
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20)))]
    pub category_ids: Vec<String>,
    /// In the participant's words or the worker's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub note: Option<String>,
}

/// Safety information: encrypted at rest, shared only under consent to "safety".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ParticipantSafety {
    /// Risks, people or places to avoid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub notes: Option<String>,
}

/// What the caller may see of this participant, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ParticipantAccess {
    /// The caller's organization recorded the participant and sees everything.
    pub owner: bool,
    /// The categories the caller sees.
    pub categories: Vec<DataCategory>,
    /// The active consents that let a recipient see them (empty for the owner).
    pub consent_ids: Vec<String>,
}

/// A participant: a pseudonymous record owned by the organization that recorded it.
/// Category objects the caller may not see are absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Participant {
    /// The participant's id.
    pub id: String,
    /// The organization that recorded them.
    pub organization_id: String,
    /// That organization's name.
    pub organization_name: String,
    /// The name they chose to be known by.
    pub alias: String,
    /// Their age band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    /// Their birth year, when they gave it instead of an age band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<i32>,
    /// Their pronouns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// Languages they speak, preferred first (BCP 47 codes or names).
    pub languages: Vec<String>,
    /// Identity (category `identity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<ParticipantIdentity>,
    /// Safe contact (category `contact`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<SafeContact>,
    /// Needs (category `needs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<ParticipantNeeds>,
    /// Safety information (category `safety`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety: Option<ParticipantSafety>,
    /// What the caller sees, and under which consents.
    pub access: ParticipantAccess,
    /// The version, for If-Match.
    pub version: i32,
    /// When recorded.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// A participant to record, or the full replacement of one (with `If-Match`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
#[cfg_attr(feature = "server", schema(example = json!({
    "alias": "Sky", "age_band": "16_17", "pronouns": "they/them", "languages": ["en"],
    "contact": {"method": "text_message", "times": "after 3 pm", "no_voicemail": true},
    "needs": {"category_ids": [], "note": "somewhere safe to sleep tonight"}
})))]
pub struct ParticipantInput {
    /// The name they choose to be known by.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 60)))]
    pub alias: String,
    /// Their age band.
    #[serde(default)]
    pub age_band: Option<AgeBand>,
    /// Their birth year.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(range(min = 1900, max = 2100)))]
    pub birth_year: Option<i32>,
    /// Their pronouns.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 40)))]
    pub pronouns: Option<String>,
    /// Languages they speak, preferred first.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 10)))]
    pub languages: Vec<String>,
    /// Optional identity, encrypted at rest.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(nested))]
    pub identity: Option<ParticipantIdentity>,
    /// Safe-contact instructions.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(nested))]
    pub contact: Option<SafeContact>,
    /// Needs.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(nested))]
    pub needs: Option<ParticipantNeeds>,
    /// Safety information, encrypted at rest.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(nested))]
    pub safety: Option<ParticipantSafety>,
}

/// A search of one's own organization's participants. Sent in a body, not the URL,
/// so that an alias never lands in a URL, a proxy log or the browser's history.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ParticipantSearch {
    /// Part of an alias; accents and case are ignored. Empty lists everyone.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 60)))]
    pub alias: String,
    /// Participants another organization shared with mine (through an active consent),
    /// instead of my organization's own.
    #[serde(default)]
    pub shared_with_us: bool,
    /// The page, from 1.
    #[serde(default)]
    pub page: Option<u64>,
    /// Items per page, 1 to 100.
    #[serde(default)]
    pub per_page: Option<u64>,
}

/// One entry of a participant list: just enough to pick the right person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ParticipantSummary {
    /// The participant's id.
    pub id: String,
    /// Their alias.
    pub alias: String,
    /// Their age band.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    /// Their pronouns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// The organization that recorded them.
    pub organization_id: String,
    /// That organization's name.
    pub organization_name: String,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// An evidence file sent with a new consent: a photo of the signed paper form (JPEG,
/// PNG or PDF) or the signature drawn on screen (PNG), base64-encoded, at most 5 MB.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EvidenceUpload {
    /// `image/jpeg`, `image/png` or `application/pdf`.
    pub media_type: String,
    /// The file, in standard base64.
    pub data_base64: String,
}

/// What is known of a consent's evidence file (the file itself is downloaded apart).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EvidenceInfo {
    /// Its media type.
    pub media_type: String,
    /// The SHA-256 of the file as uploaded, in hex.
    pub sha256: String,
    /// Its size in bytes.
    pub size: i64,
}

/// A consent to record. It is never edited afterwards: to change it, record a new one
/// that supersedes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
#[cfg_attr(feature = "server", schema(example = json!({
    "participant_id": "…", "method": "verbal", "witness_name": "A. Worker", "purposes": ["referral"],
    "data_categories": ["contact", "needs"], "recipient_ids": ["…"], "statement_language": "en"
})))]
pub struct ConsentInput {
    /// The participant who gave it (recorded by the caller's organization).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 64)))]
    pub participant_id: String,
    /// How consent was given.
    pub method: ConsentMethod,
    /// The witness of a verbal consent (required then).
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 120)))]
    pub witness_name: Option<String>,
    /// When it was given (default: now; not in the future).
    #[serde(default)]
    pub given_at: Option<DateTime<Utc>>,
    /// When it ends (default: the partnership's standard term from `given_at`; must be in the future).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
    /// What the data may be used for (at least one).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 3)))]
    pub purposes: Vec<ConsentPurpose>,
    /// Which kinds of data may be shared (at least one).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 5)))]
    pub data_categories: Vec<DataCategory>,
    /// The organizations it names (at least one).
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 30)))]
    pub recipient_ids: Vec<String>,
    /// The language the statement was read to the participant in.
    pub statement_language: StatementLanguage,
    /// The evidence file: required for a paper form or an electronic signature.
    #[serde(default)]
    pub evidence: Option<EvidenceUpload>,
    /// The consent this one replaces (it must be active).
    #[serde(default)]
    pub supersedes_id: Option<String>,
}

/// The scope of a consent to put into words before it is given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ConsentStatementRequest {
    /// The language to write it in.
    pub language: StatementLanguage,
    /// Purposes.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 3)))]
    pub purposes: Vec<ConsentPurpose>,
    /// Data categories.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 5)))]
    pub data_categories: Vec<DataCategory>,
    /// Recipient organizations.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 30)))]
    pub recipient_ids: Vec<String>,
    /// When it would end (default: the standard term from now).
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// The plain-language statement read to the participant, exactly as it will be stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ConsentStatement {
    /// Its language.
    pub language: StatementLanguage,
    /// The text.
    pub text: String,
    /// The expiry it states.
    pub expires_at: DateTime<Utc>,
}

/// A withdrawal of consent, as the participant gave it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct RevocationInput {
    /// How the participant said it.
    pub method: RevocationMethod,
    /// Anything worth recording.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 500)))]
    pub note: Option<String>,
}

/// A recorded withdrawal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Revocation {
    /// When it took effect.
    pub revoked_at: DateTime<Utc>,
    /// How the participant said it.
    pub method: RevocationMethod,
    /// Who recorded it (owning organization only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by_name: Option<String>,
    /// The note (owning organization only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A consent. Recipient organizations see its scope and status; the witness, the
/// statement and the evidence are for the owning organization only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Consent {
    /// Its id.
    pub id: String,
    /// The participant who gave it.
    pub participant_id: String,
    /// The organization that recorded it (and owns the participant).
    pub organization: OrganizationRef,
    /// Where it stands now.
    pub status: ConsentStatus,
    /// How it was given.
    pub method: ConsentMethod,
    /// When it was given.
    pub given_at: DateTime<Utc>,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
    /// What the data may be used for.
    pub purposes: Vec<ConsentPurpose>,
    /// Which kinds of data may be shared.
    pub data_categories: Vec<DataCategory>,
    /// The organizations it names (a recipient sees only itself here).
    pub recipients: Vec<OrganizationRef>,
    /// The language of the statement.
    pub statement_language: StatementLanguage,
    /// The exact text the participant agreed to (owning organization only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_text: Option<String>,
    /// The witness of a verbal consent (owning organization only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub witness_name: Option<String>,
    /// Who recorded it (owning organization only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_by_name: Option<String>,
    /// The evidence file's facts (owning organization only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceInfo>,
    /// The consent this one replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes_id: Option<String>,
    /// The consent that replaced this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by_id: Option<String>,
    /// The withdrawal, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation: Option<Revocation>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
}

/// One event of the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// Its place in the chain, from 1.
    pub seq: i64,
    /// Its id.
    pub id: String,
    /// When it happened.
    pub occurred_at: DateTime<Utc>,
    /// `user` or `client`.
    pub actor_kind: String,
    /// The user's or client's id.
    pub actor_id: String,
    /// The actor's organization.
    pub organization_id: String,
    /// What was done.
    pub action: AuditAction,
    /// The kind of record (`participant`, `consent`).
    pub entity_type: String,
    /// The record's id.
    pub entity_id: String,
    /// The participant concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant_id: Option<String>,
    /// The consent the access relied on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
    /// Why.
    pub purpose: AccessPurpose,
    /// The categories of participant data disclosed.
    pub data_categories: Vec<DataCategory>,
    /// The request that caused it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The previous event's hash.
    pub prev_hash: String,
    /// This event's hash (SHA-256, hex) over its fields and `prev_hash`.
    pub hash: String,
}

/// The result of checking the audit chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditVerification {
    /// Whether every event is intact and in its place.
    pub intact: bool,
    /// How many events were checked.
    pub events_checked: u64,
    /// The hash of the newest event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub head_hash: Option<String>,
    /// The newest hash of each chain that has events: publish them somewhere
    /// outside Harbour to detect later that a chain's newest events were cut off (each
    /// must still be found in its chain).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain_heads: Vec<String>,
    /// The first event found altered, or after a deleted one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_broken: Option<AuditBreak>,
    /// The trail against a checkpoint, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<CheckpointCheck>,
}

/// A signed record of how long each audit chain was, and its newest hash, at a moment:
/// kept outside Harbour (a file, a webhook, an e-mail), it shows later that no event
/// older than it was deleted from a chain's end, which the chain alone cannot show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditCheckpoint {
    /// Always `harbour-audit-checkpoint/1`.
    pub format: String,
    /// When it was taken (RFC 3339, UTC).
    pub taken_at: String,
    /// How many events the trail held.
    pub events: u64,
    /// Every chain that held events.
    pub chains: Vec<ChainHead>,
    /// The id of the key it is signed with.
    pub key_id: String,
    /// HMAC-SHA256 (hex) over the checkpoint's other fields, as compact JSON in this
    /// order, with a key derived from the instance's encryption key `key_id`.
    pub signature: String,
}

/// One chain in a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ChainHead {
    pub chain: i16,
    /// How many events it held.
    pub events: u64,
    /// The hash of its newest event then.
    pub head: String,
}

/// The trail checked against a checkpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CheckpointCheck {
    /// When the checkpoint was taken.
    pub taken_at: String,
    /// Whether its signature is this instance's (a forged or altered checkpoint proves nothing).
    pub signed: bool,
    /// How many events it counted that the trail no longer holds: deleted from a chain's end.
    pub missing_events: u64,
    /// The chains that are shorter than it says.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub short_chains: Vec<i16>,
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AuditBreak {
    /// The event's place in the chain.
    pub seq: i64,
    /// Its id.
    pub id: String,
    /// What is wrong.
    pub reason: String,
}

/// One line of a disclosure report: who saw or received what, when, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Disclosure {
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// The person or system.
    pub actor_name: String,
    /// Their organization.
    pub organization: OrganizationRef,
    /// What was done.
    pub action: AuditAction,
    /// Why.
    pub purpose: AccessPurpose,
    /// The categories of data seen or received.
    pub data_categories: Vec<DataCategory>,
    /// The consent it relied on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_id: Option<String>,
}

/// Everything disclosed about one participant, for the owning organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DisclosureReport {
    /// The participant.
    pub participant_id: String,
    /// Their alias.
    pub alias: String,
    /// When this report was made.
    pub generated_at: DateTime<Utc>,
    /// Every access, oldest first.
    pub disclosures: Vec<Disclosure>,
}

/// Everything Harbour holds about one participant, for them: what they gave, the
/// consents they gave and withdrew, the referrals made for them with what each shared,
/// every revision of their plan, and who saw or received what, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct OwnRecords {
    /// When it was produced.
    pub generated_at: DateTime<Utc>,
    /// The participant's record, whole.
    pub participant: Participant,
    /// Every consent, active or not (the evidence file itself is kept apart: its existence and kind are here).
    pub consents: Vec<Consent>,
    /// Every referral made for them, with what it shared while that is kept.
    pub referrals: Vec<crate::Referral>,
    /// Every revision of their safety plan, oldest first.
    pub safety_plan: Vec<crate::SafetyPlan>,
    /// Their individualized plan, whole, if one was started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<crate::IndividualPlan>,
    /// The case conferences held about them, latest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conferences: Vec<crate::Conference>,
    /// Who saw or received what, when and why, oldest first (this copy's making last).
    pub disclosures: Vec<Disclosure>,
}
