//! The words of individualized plans that more than one screen shows: a goal's area of
//! life and its status (the plan screen, the coordinators' dashboard). Their own table,
//! so that they load with the first of those screens, not before the first screen.

use harbour_types::{GoalDomain, GoalStatus};

crate::i18n::messages! { Words {
    Housing => "Housing", "Logement";
    Health => "Health", "Santé";
    MentalHealth => "Mental health", "Santé mentale";
    SubstanceUse => "Substance use", "Consommation";
    Education => "Education", "Études";
    Employment => "Employment", "Emploi";
    Income => "Income", "Revenu";
    Legal => "Legal", "Juridique";
    Family => "Family", "Famille";
    Cultural => "Cultural and spiritual", "Culture et spiritualité";
    PeerSupport => "Peer support", "Soutien par les pairs";
    Active => "Working on it", "En cours";
    Achieved => "Reached", "Atteint";
    SetAside => "Set aside", "Mis de côté";
}}

/// A goal's area of life.
pub fn domain(d: GoalDomain) -> Words {
    match d {
        GoalDomain::Housing => Words::Housing,
        GoalDomain::Health => Words::Health,
        GoalDomain::MentalHealth => Words::MentalHealth,
        GoalDomain::SubstanceUse => Words::SubstanceUse,
        GoalDomain::Education => Words::Education,
        GoalDomain::Employment => Words::Employment,
        GoalDomain::Income => Words::Income,
        GoalDomain::Legal => Words::Legal,
        GoalDomain::Family => Words::Family,
        GoalDomain::CulturalSpiritual => Words::Cultural,
        GoalDomain::PeerSupport => Words::PeerSupport,
    }
}

/// Where a goal stands.
pub fn goal_status(s: GoalStatus) -> Words {
    match s {
        GoalStatus::Active => Words::Active,
        GoalStatus::Achieved => Words::Achieved,
        GoalStatus::SetAside => Words::SetAside,
    }
}
