//! The words for participant and consent codes.

use harbour_types::{AgeBand, ConsentPurpose, ConsentStatus, DataCategory, RevocationMethod, SafeContactMethod};

use crate::i18n::Msg;

/// A purpose's name.
pub fn purpose(p: ConsentPurpose) -> Msg {
    match p {
        ConsentPurpose::Referral => Msg::PurposeReferral,
        ConsentPurpose::InformationSharing => Msg::PurposeInformationSharing,
        ConsentPurpose::CaseConference => Msg::PurposeCaseConference,
    }
}

/// A data category's name.
pub fn category(c: DataCategory) -> Msg {
    match c {
        DataCategory::Identity => Msg::CategoryIdentity,
        DataCategory::Contact => Msg::CategoryContact,
        DataCategory::Needs => Msg::CategoryNeeds,
        DataCategory::Safety => Msg::CategorySafety,
        DataCategory::CaseNotes => Msg::CategoryCaseNotes,
    }
}

/// A consent status's name and badge class.
pub fn status(s: ConsentStatus) -> (Msg, &'static str) {
    match s {
        ConsentStatus::Active => (Msg::StatusActive, "badge badge-open"),
        ConsentStatus::Expired => (Msg::StatusExpired, "badge badge-wait"),
        ConsentStatus::Revoked => (Msg::StatusRevoked, "badge badge-closed"),
        ConsentStatus::Superseded => (Msg::StatusSuperseded, "badge"),
    }
}

/// A safe-contact method's name.
pub fn contact_method(m: SafeContactMethod) -> Msg {
    match m {
        SafeContactMethod::PhoneCall => Msg::ByPhoneCall,
        SafeContactMethod::TextMessage => Msg::ByTextMessage,
        SafeContactMethod::Email => Msg::ByEmail,
        SafeContactMethod::InPerson => Msg::InPerson,
        SafeContactMethod::ThroughWorker => Msg::ThroughWorker,
    }
}

/// A way of withdrawing consent.
pub fn revocation_method(m: RevocationMethod) -> Msg {
    match m {
        RevocationMethod::InPerson => Msg::InPerson,
        RevocationMethod::Phone => Msg::ByPhone,
        RevocationMethod::TextMessage => Msg::ByTextMessage,
        RevocationMethod::Written => Msg::InWriting,
        RevocationMethod::Other => Msg::OtherWay,
    }
}

/// An age band as people write it.
pub fn age_band(b: AgeBand) -> &'static str {
    match b {
        AgeBand::Under16 => "< 16",
        AgeBand::From16To17 => "16–17",
        AgeBand::From18To20 => "18–20",
        AgeBand::From21To24 => "21–24",
        AgeBand::From25 => "25+",
    }
}
