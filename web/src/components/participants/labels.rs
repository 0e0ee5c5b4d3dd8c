//! The words for participant and consent codes.

use harbour_types::{AgeBand, ConsentPurpose, ConsentStatus, DataCategory, ErasureMethod, ErasureReason, RevocationMethod, SafeContactMethod};

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

/// How an erasure was asked for (`retention` is Harbour's own and never offered).
pub fn erasure_method(m: ErasureMethod) -> Msg {
    match m {
        ErasureMethod::InPerson => Msg::InPerson,
        ErasureMethod::Phone => Msg::ByPhone,
        ErasureMethod::TextMessage => Msg::ByTextMessage,
        ErasureMethod::Written => Msg::InWriting,
        ErasureMethod::Other | ErasureMethod::Retention => Msg::OtherWay,
    }
}

/// Why an erasure is made (`retention_period` is Harbour's own and never offered).
pub fn erasure_reason(r: ErasureReason) -> Msg {
    match r {
        ErasureReason::ParticipantRequest => Msg::ReasonParticipantRequest,
        ErasureReason::RecordedInError => Msg::ReasonRecordedInError,
        ErasureReason::DuplicateRecord => Msg::ReasonDuplicate,
        ErasureReason::RetentionPeriod => Msg::OtherWay,
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

/// An urgency's name.
pub fn urgency(u: harbour_types::Urgency) -> Msg {
    use harbour_types::Urgency;
    match u {
        Urgency::Routine => Msg::UrgencyRoutine,
        Urgency::Soon => Msg::UrgencySoon,
        Urgency::SameDay => Msg::UrgencySameDay,
        Urgency::Emergency => Msg::UrgencyEmergency,
    }
}

/// A referral status's name and badge class.
pub fn referral_status(s: harbour_types::ReferralStatus) -> (Msg, &'static str) {
    use harbour_types::ReferralStatus as S;
    match s {
        S::Draft => (Msg::ReferralStatusDraft, "badge"),
        S::Sent => (Msg::ReferralStatusSent, "badge badge-wait"),
        S::Received => (Msg::ReferralStatusReceived, "badge badge-wait"),
        S::Accepted => (Msg::ReferralStatusAccepted, "badge badge-open"),
        S::Declined => (Msg::ReferralStatusDeclined, "badge badge-closed"),
        S::InProgress => (Msg::ReferralStatusInProgress, "badge badge-open"),
        S::Completed => (Msg::ReferralStatusCompleted, "badge"),
        S::Withdrawn => (Msg::ReferralStatusWithdrawn, "badge"),
        S::Expired => (Msg::ReferralStatusExpired, "badge badge-closed"),
    }
}

/// A decline or failure reason's name.
pub fn reason(r: harbour_types::ReasonCode) -> Msg {
    use harbour_types::ReasonCode as R;
    match r {
        R::NoCapacity => Msg::ReasonNoCapacity,
        R::NotEligible => Msg::ReasonNotEligible,
        R::OutsideServiceArea => Msg::ReasonOutsideArea,
        R::ParticipantDeclined => Msg::ReasonParticipantDeclined,
        R::UnableToContact => Msg::ReasonUnableToContact,
        R::Other => Msg::ReasonOther,
    }
}

/// A step's button label.
pub fn action(a: harbour_types::ReferralAction) -> Msg {
    use harbour_types::ReferralAction as A;
    match a {
        A::Send => Msg::ActionSend,
        A::Accept => Msg::ActionAccept,
        A::Decline => Msg::ActionDecline,
        A::Start => Msg::ActionStart,
        A::Complete => Msg::ActionComplete,
        A::Withdraw => Msg::ActionWithdraw,
    }
}
