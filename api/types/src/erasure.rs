//! Erasing a participant: what is asked, and the ledger entry that records it (ids,
//! dates and codes only: the ledger outlives the participant's data).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::RevocationMethod;

code_enum! {
    /// How the erasure was asked for.
    ErasureMethod {
        /// The participant told a worker in person.
        InPerson = "in_person",
        /// By phone.
        Phone = "phone",
        /// By text message.
        TextMessage = "text_message",
        /// In writing.
        Written = "written",
        /// Some other way.
        Other = "other",
        /// Nobody asked: the partnership's retention period ran out (Harbour's sweep only).
        Retention = "retention",
    }
}

code_enum! {
    /// Why the participant was erased.
    ErasureReason {
        /// The participant asked for their information to be erased.
        ParticipantRequest = "participant_request",
        /// The record should never have been made (wrong person, test entry).
        RecordedInError = "recorded_in_error",
        /// The participant was recorded twice; this record is the duplicate.
        DuplicateRecord = "duplicate_record",
        /// No activity for the partnership's retention period (Harbour's sweep only).
        RetentionPeriod = "retention_period",
    }
}

impl ErasureMethod {
    /// How the consents the erasure ends are recorded as withdrawn.
    pub fn as_revocation(self) -> RevocationMethod {
        match self {
            ErasureMethod::InPerson => RevocationMethod::InPerson,
            ErasureMethod::Phone => RevocationMethod::Phone,
            ErasureMethod::TextMessage => RevocationMethod::TextMessage,
            ErasureMethod::Written => RevocationMethod::Written,
            ErasureMethod::Other | ErasureMethod::Retention => RevocationMethod::Other,
        }
    }
}

/// An agency admin's erasure of a participant of their organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErasureInput {
    /// How the erasure was asked for (`retention` is Harbour's own).
    pub method: ErasureMethod,
    /// Why (`retention_period` is Harbour's own).
    pub reason: ErasureReason,
}

/// An entry of the erasure ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Erasure {
    /// The erased participant's id (nothing else of them is kept).
    pub participant_id: String,
    /// The organization that recorded them.
    pub organization_id: String,
    /// When.
    pub erased_at: DateTime<Utc>,
    /// How it was asked for.
    pub method: ErasureMethod,
    /// Why.
    pub reason: ErasureReason,
    /// The agency admin who erased them; none for Harbour's retention sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub erased_by_name: Option<String>,
    /// When a restore re-applied it to an older backup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reapplied_at: Option<DateTime<Utc>>,
}

/// What an erasure removed, with its ledger entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ErasureReceipt {
    /// The ledger entry.
    pub erasure: Erasure,
    /// Referrals whose copy of the participant was removed (the receivers are told).
    pub referrals_redacted: u64,
    /// Consents ended by the erasure.
    pub consents_ended: u64,
    /// Safety plan revisions destroyed.
    pub plan_revisions_destroyed: u64,
    /// Consent evidence files destroyed.
    pub evidence_files_destroyed: u64,
}
