//! What the directory's codes are called on screen.

use harbour_types::{ServiceAttribute, ServiceStatus, Visibility};

use crate::i18n::Msg;

/// The name of one of Harbour's service attributes.
pub fn attribute_label(attribute: ServiceAttribute) -> Msg {
    use ServiceAttribute as A;
    match attribute {
        A::NoIdRequired => Msg::AttrNoId,
        A::NoSelfIdentification => Msg::AttrNoLabel,
        A::WalkIn => Msg::AttrWalkIn,
        A::YouthSpecific => Msg::AttrYouth,
        A::LgbtqAffirming => Msg::Attr2slgbtq,
        A::HarmReduction => Msg::AttrHarmReduction,
        A::PeerSupport => Msg::AttrPeerSupport,
        A::Accompaniment => Msg::AttrAccompaniment,
        A::TransportHelp => Msg::AttrTransportHelp,
        A::ChildcareHelp => Msg::AttrChildcareHelp,
        A::TraumaInformed => Msg::AttrTraumaInformed,
        A::ExploitationTrained => Msg::AttrExploitationTrained,
        A::CultureIndigenous => Msg::AttrIndigenous,
        A::CultureAfricanNovaScotian => Msg::AttrAfricanNovaScotian,
        A::Culture2slgbtq => Msg::Attr2slgbtqCommunity,
        A::CultureNewcomer => Msg::AttrNewcomer,
        A::StagePrecontemplation => Msg::StagePrecontemplation,
        A::StageContemplation => Msg::StageContemplation,
        A::StagePreparation => Msg::StagePreparation,
        A::StageAction => Msg::StageAction,
        A::StageMaintenance => Msg::StageMaintenance,
        A::PillarPrevention => Msg::PillarPrevention,
        A::PillarIntervention => Msg::PillarIntervention,
        A::PillarExitHousing => Msg::PillarExitHousing,
        A::GenderWomen => Msg::GenderWomen,
        A::GenderMen => Msg::GenderMen,
        A::GenderDiverse => Msg::GenderDiverse,
    }
}

/// The attributes that matter most at a glance: shown as badges on result cards and
/// the service page.
pub fn at_a_glance(attribute: ServiceAttribute) -> Option<Msg> {
    use ServiceAttribute as A;
    matches!(
        attribute,
        A::NoIdRequired | A::NoSelfIdentification | A::WalkIn | A::YouthSpecific | A::LgbtqAffirming | A::CultureIndigenous | A::CultureAfricanNovaScotian | A::Culture2slgbtq | A::CultureNewcomer
    )
    .then(|| attribute_label(attribute))
}

/// Whether a service runs, in words.
pub fn status_label(status: ServiceStatus) -> Msg {
    match status {
        ServiceStatus::Active => Msg::StatusRunning,
        ServiceStatus::Inactive => Msg::StatusPaused,
        ServiceStatus::TemporarilyClosed => Msg::StatusClosedForAWhile,
        ServiceStatus::Defunct => Msg::StatusRetired,
    }
}

/// Who may see a place's address, in words.
pub fn visibility_label(visibility: Visibility) -> Msg {
    match visibility {
        Visibility::Public => Msg::VisibleToEveryone,
        Visibility::Partners => Msg::VisibleToPartners,
        Visibility::Confidential => Msg::VisibleToUsOnly,
    }
}
