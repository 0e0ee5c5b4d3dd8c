//! The words of the partnership's groups that more than one screen shows: a kind's name
//! (as a heading over its groups) and a group's name in the interface's language.

use harbour_types::{Group, GroupKind, Membership};

use crate::i18n::Lang;

crate::i18n::messages! { Words {
    Core => "Core group", "Groupe central";
    Working => "Working groups", "Groupes de travail";
    Regional => "Regional groups", "Groupes régionaux";
    Cultural => "Cultural advisories", "Comités consultatifs culturels";
    Survivor => "Survivor advisory", "Comité consultatif des survivantes et survivants";
    Other => "Other groups", "Autres groupes";
}}

/// A kind of group, as a heading over its groups.
pub fn kind_words(kind: GroupKind) -> Words {
    match kind {
        GroupKind::Core => Words::Core,
        GroupKind::Working => Words::Working,
        GroupKind::Regional => Words::Regional,
        GroupKind::CulturalAdvisory => Words::Cultural,
        GroupKind::SurvivorAdvisory => Words::Survivor,
        GroupKind::Other => Words::Other,
    }
}

/// A group's name in `lang`.
pub fn name_of(group: &Group, lang: Lang) -> &str {
    lang.pick(&group.name, &group.name_fr)
}

/// A membership's group name in `lang`.
pub fn name_of_membership(membership: &Membership, lang: Lang) -> &str {
    lang.pick(&membership.name, &membership.name_fr)
}
