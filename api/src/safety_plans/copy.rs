//! The participant's own copy of their safety plan: one plain page to print or keep, in
//! English or French. It says nothing that would expose them if someone they fear found
//! it — its title is "My plan", it names no organization unless they choose, and it
//! carries no link, no logo and no word like "safety" or "exploitation".

use harbour_types::{SafetyPlan, SafetyPlanContent};

/// The page's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    English,
    French,
}

impl Language {
    /// `en` (the default) or `fr`.
    pub fn from_query(lang: Option<&str>) -> Option<Language> {
        match lang {
            None | Some("en") => Some(Language::English),
            Some("fr") => Some(Language::French),
            Some(_) => None,
        }
    }
}

/// Each part of the plan with its heading, in the plan's order.
pub fn parts(content: &SafetyPlanContent, language: Language) -> [(&'static str, Option<&str>); 8] {
    let heading = |en, fr| if language == Language::English { en } else { fr };
    [
        (heading("Signs that things are not OK", "Les signes que ça ne va pas"), content.warning_signs.as_deref()),
        (heading("People and places where I am OK", "Les personnes et les lieux où je suis bien"), content.safe_people_and_places.as_deref()),
        (heading("How and when to reach me, and our code words", "Comment et quand me joindre, et nos mots de code"), content.contact_and_code_words.as_deref()),
        (heading("If someone I fear finds me or contacts me", "Si une personne dont j'ai peur me trouve ou me contacte"), content.if_found.as_deref()),
        (heading("Who I call in an emergency", "Qui j'appelle en cas d'urgence"), content.emergency_contacts.as_deref()),
        (heading("My phone and my accounts", "Mon téléphone et mes comptes"), content.digital_safety.as_deref()),
        (heading("Papers to keep in a safe place", "Les papiers à garder en lieu sûr"), content.documents.as_deref()),
        (heading("Next time", "La prochaine fois"), content.next_time.as_deref()),
    ]
}

/// `text` for an HTML page: markup characters escaped, line breaks kept.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The page: the parts the plan fills, when it was written and when to go over it again,
/// and the organization's name only when `organization` is given.
pub fn page(plan: &SafetyPlan, language: Language, organization: Option<&str>) -> String {
    let (lang, title) = if language == Language::English { ("en", "My plan") } else { ("fr", "Mon plan") };
    let mut body = format!("<h1>{title}</h1>\n");
    for (heading, text) in parts(&plan.content, language) {
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            body.push_str(&format!("<h2>{heading}</h2>\n<p>{}</p>\n", escaped(text)));
        }
    }
    let written = plan.written_at.date_naive().format("%Y-%m-%d");
    let mut footer = if language == Language::English { format!("Written {written}.") } else { format!("Écrit le {written}.") };
    if let Some(review) = plan.review_on {
        footer.push_str(&if language == Language::English { format!(" To go over again on {review}.") } else { format!(" À revoir le {review}.") });
    }
    if let Some(organization) = organization {
        footer.push_str(&if language == Language::English { format!(" With {}.", escaped(organization)) } else { format!(" Avec {}.", escaped(organization)) });
    }
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>{title}</title>\n</head>\n<body>\n<main>\n{body}<p><small>{footer}</small></p>\n</main>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use harbour_types::SafetyPlanContent;

    fn plan() -> SafetyPlan {
        SafetyPlan {
            participant_id: "p".into(),
            revision: 2,
            content: SafetyPlanContent { warning_signs: Some("He texts <late>\nat night".into()), next_time: Some("Call Sam".into()), ..SafetyPlanContent::default() },
            review_on: chrono::NaiveDate::from_ymd_opt(2027, 1, 15),
            written_at: chrono::DateTime::from_timestamp(1_796_000_000, 0).unwrap_or_default(),
            written_by_name: Some("Alex Worker".into()),
        }
    }

    #[test]
    fn the_copy_shows_the_plan_and_nothing_that_exposes_its_owner() {
        let page = page(&plan(), Language::English, None);
        assert!(page.contains("<title>My plan</title>") && page.contains("He texts &lt;late&gt;<br>at night") && page.contains("Call Sam"));
        assert!(page.contains("To go over again on 2027-01-15."));
        for exposing in ["safety", "Safety", "Harbour", "Alex Worker", "http", "exploit", "traffick", "Signs that things are not OK\n<p></p>"] {
            assert!(!page.contains(exposing), "the copy says {exposing:?}");
        }
        assert!(!page.contains("Papers to keep"), "an empty part is left out");
    }

    #[test]
    fn the_copy_names_an_organization_only_when_asked_and_speaks_french() {
        let page = page(&plan(), Language::French, Some("Maison & Co"));
        assert!(page.contains("<html lang=\"fr\">") && page.contains("Mon plan") && page.contains("La prochaine fois") && page.contains("Avec Maison &amp; Co."));
        assert!(page.contains("À revoir le 2027-01-15."));
    }
}
