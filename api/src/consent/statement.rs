//! The plain-language statement read to a participant before they consent, in English
//! or French. The server writes it from the consent's scope, shows it for reading back
//! (`POST /consent-statements`) and stores the same text with the consent, so what was
//! agreed to and what is enforced cannot differ.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use harbour_types::{ConsentPurpose, DataCategory, StatementLanguage};

/// The scope a statement puts into words.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    /// The organization recording the consent.
    pub recorder: &'a str,
    /// The organizations it names.
    pub recipients: &'a [String],
    /// What for.
    pub purposes: &'a [ConsentPurpose],
    /// Which data.
    pub categories: &'a [DataCategory],
    /// Until when.
    pub expires_at: DateTime<Utc>,
}

/// The statement, in the partnership's time zone for the expiry date.
pub fn render(language: StatementLanguage, scope: &Scope<'_>, zone: Tz) -> String {
    let until = scope.expires_at.with_timezone(&zone).date_naive();
    let recipients = list(scope.recipients.iter().map(String::as_str), language);
    let purposes = list(scope.purposes.iter().map(|p| purpose(*p, language)), language);
    let categories = list(scope.categories.iter().map(|c| category(*c, language)), language);
    match language {
        StatementLanguage::English => format!(
            "I agree that {recorder} may share {categories} about me with {recipients}, for {purposes}. \
Only these organizations may see it, and only this information. \
This consent lasts until {until} unless I take it back sooner. \
I can take it back at any time by telling any worker at {recorder}, and it stops at once. \
Saying no will not change the help I get from {recorder}.",
            recorder = scope.recorder,
            until = until.format("%Y-%m-%d"),
        ),
        StatementLanguage::French => format!(
            "J'accepte que {recorder} communique {categories} me concernant à {recipients}, pour {purposes}. \
Seuls ces organismes pourront les voir, et seulement ces renseignements. \
Ce consentement est valable jusqu'au {until}, à moins que je le retire avant. \
Je peux le retirer à tout moment en le disant à un membre du personnel de {recorder}, et il cesse aussitôt. \
Refuser ne change rien à l'aide que je reçois de {recorder}.",
            recorder = scope.recorder,
            until = until.format("%Y-%m-%d"),
        ),
    }
}

fn purpose(purpose: ConsentPurpose, language: StatementLanguage) -> &'static str {
    match (purpose, language) {
        (ConsentPurpose::Referral, StatementLanguage::English) => "referring me to their services",
        (ConsentPurpose::Referral, StatementLanguage::French) => "m'orienter vers leurs services",
        (ConsentPurpose::InformationSharing, StatementLanguage::English) => "sharing information to help me",
        (ConsentPurpose::InformationSharing, StatementLanguage::French) => "échanger des renseignements pour m'aider",
        (ConsentPurpose::CaseConference, StatementLanguage::English) => "meeting together about the help I need",
        (ConsentPurpose::CaseConference, StatementLanguage::French) => "se réunir au sujet de l'aide dont j'ai besoin",
    }
}

fn category(category: DataCategory, language: StatementLanguage) -> &'static str {
    match (category, language) {
        (DataCategory::Identity, StatementLanguage::English) => "my name, date of birth and phone number",
        (DataCategory::Identity, StatementLanguage::French) => "mon nom, ma date de naissance et mon numéro de téléphone",
        (DataCategory::Contact, StatementLanguage::English) => "how to reach me safely",
        (DataCategory::Contact, StatementLanguage::French) => "la façon de me joindre en sécurité",
        (DataCategory::Needs, StatementLanguage::English) => "what I need help with",
        (DataCategory::Needs, StatementLanguage::French) => "ce pour quoi j'ai besoin d'aide",
        (DataCategory::Safety, StatementLanguage::English) => "information about my safety",
        (DataCategory::Safety, StatementLanguage::French) => "des renseignements sur ma sécurité",
        (DataCategory::CaseNotes, StatementLanguage::English) => "notes about my case",
        (DataCategory::CaseNotes, StatementLanguage::French) => "des notes sur mon dossier",
    }
}

/// "a", "a and b", "a, b and c" — or "et" in French.
fn list<'a>(items: impl Iterator<Item = &'a str>, language: StatementLanguage) -> String {
    let items: Vec<&str> = items.collect();
    let and = match language {
        StatementLanguage::English => " and ",
        StatementLanguage::French => " et ",
    };
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_the_whole_scope_in_either_language() {
        let recipients = vec!["Harbour House".to_owned(), "Coastal Legal Clinic".to_owned()];
        let expires_at = "2027-06-30T12:00:00Z".parse().expect("a time");
        let scope = Scope {
            recorder: "Street Outreach",
            recipients: &recipients,
            purposes: &[ConsentPurpose::Referral],
            categories: &[DataCategory::Contact, DataCategory::Needs],
            expires_at,
        };
        let english = render(StatementLanguage::English, &scope, chrono_tz::America::Halifax);
        assert!(english.starts_with("I agree that Street Outreach may share how to reach me safely and what I need help with about me with Harbour House and Coastal Legal Clinic, for referring me to their services."));
        assert!(english.contains("until 2027-06-30"));
        let french = render(StatementLanguage::French, &scope, chrono_tz::America::Halifax);
        assert!(french.contains("à Harbour House et Coastal Legal Clinic"));
        assert!(french.contains("jusqu'au 2027-06-30"));
    }
}
