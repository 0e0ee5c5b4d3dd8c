//! The participant's own records as one plain page to read or print, in English or
//! French: what they told the organization, their consents, the referrals made for them
//! and what each shared, their plan, and everyone who saw their information. Codes are
//! given as words; the organizations are named, since who holds and received the data is
//! what the page is for. No link, no script, nothing loaded from elsewhere.

use chrono::{DateTime, Utc};
use harbour_types::{Conference, Consent, IndividualPlan, OwnRecords, Participant, Referral};

use super::service::Names;
use crate::safety_plans::copy::{escaped, parts, Language};

/// A code as words: `in_progress` → `in progress`.
fn words(code: &str) -> String {
    escaped(&code.replace(['_', '.'], " "))
}

fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// One page's writer: the language, and the HTML so far.
struct Page<'a> {
    language: Language,
    names: &'a Names,
    html: String,
}

impl Page<'_> {
    fn t<'s>(&self, en: &'s str, fr: &'s str) -> &'s str {
        if self.language == Language::English {
            en
        } else {
            fr
        }
    }

    fn heading(&mut self, level: u8, en: &str, fr: &str) {
        let text = self.t(en, fr).to_owned();
        self.html.push_str(&format!("<h{level}>{text}</h{level}>\n"));
    }

    /// A line "label: value" when there is a value.
    fn line(&mut self, en: &str, fr: &str, value: Option<&str>) {
        if let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) {
            let label = self.t(en, fr).to_owned();
            self.html.push_str(&format!("<p><strong>{label}:</strong> {}</p>\n", escaped(value)));
        }
    }

    fn categories(&self, ids: &[String]) -> String {
        let french = self.language == Language::French;
        ids.iter().map(|id| self.names.categories.get(id).map_or_else(|| id.clone(), |(en, fr)| if french { fr.clone() } else { en.clone() })).collect::<Vec<_>>().join(", ")
    }

    fn about(&mut self, p: &Participant) {
        self.heading(2, "What you told us", "Ce que vous nous avez dit");
        self.line("Name you use", "Nom que vous utilisez", Some(&p.alias));
        if let Some(identity) = &p.identity {
            self.line("Legal name", "Nom légal", identity.legal_name.as_deref());
            self.line("Date of birth", "Date de naissance", identity.date_of_birth.map(|d| d.to_string()).as_deref());
            self.line("Phone", "Téléphone", identity.phone.as_deref());
            self.line("In your words", "Dans vos mots", identity.self_description.as_deref());
        }
        self.line("Pronouns", "Pronoms", p.pronouns.as_deref());
        self.line("Age", "Âge", p.age_band.map(|a| words(a.code())).as_deref());
        self.line("Year of birth", "Année de naissance", p.birth_year.map(|y| y.to_string()).as_deref());
        self.line("Languages", "Langues", Some(&p.languages.join(", ")));
        if let Some(contact) = &p.contact {
            self.line("How to reach you", "Comment vous joindre", contact.method.map(|m| words(m.code())).as_deref());
            self.line("When", "Quand", contact.times.as_deref());
            self.line("What to know before reaching you", "À savoir avant de vous joindre", contact.instructions.as_deref());
            if contact.no_voicemail {
                let text = self.t("No voicemail.", "Pas de message vocal.").to_owned();
                self.html.push_str(&format!("<p>{text}</p>\n"));
            }
            self.line("Your contact person", "Votre personne-ressource", contact.primary_contact_name.as_deref());
        }
        if let Some(needs) = &p.needs {
            let listed = self.categories(&needs.category_ids);
            self.line("What you need", "Ce dont vous avez besoin", Some(&listed));
            self.line("About your needs", "À propos de vos besoins", needs.note.as_deref());
        }
        self.line("Notes for your safety", "Notes pour votre sécurité", p.safety.as_ref().and_then(|s| s.notes.as_deref()));
    }

    fn consent(&mut self, c: &Consent) {
        let given = day(c.given_at);
        self.html.push_str(&format!("<h3>{} {given}</h3>\n", self.t("Given on", "Donné le")));
        let recipients = c.recipients.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join(", ");
        self.line("Shared with", "Partagé avec", Some(&recipients));
        let purposes = c.purposes.iter().map(|p| words(p.code())).collect::<Vec<_>>().join(", ");
        self.line("For", "Pour", Some(&purposes));
        let categories = c.data_categories.iter().map(|d| words(d.code())).collect::<Vec<_>>().join(", ");
        self.line("What could be shared", "Ce qui pouvait être partagé", Some(&categories));
        self.line("How you gave it", "Comment vous l'avez donné", Some(&words(c.method.code())));
        self.line("Witness", "Témoin", c.witness_name.as_deref());
        self.line("Recorded by", "Noté par", c.recorded_by_name.as_deref());
        self.line("Until", "Jusqu'au", Some(&day(c.expires_at)));
        self.line("Where it stands", "Où il en est", Some(&words(c.status.code())));
        if let Some(revocation) = &c.revocation {
            self.line("You withdrew it on", "Vous l'avez retiré le", Some(&day(revocation.revoked_at)));
        }
        self.line("What you agreed to", "Ce que vous avez accepté", c.statement_text.as_deref());
        if c.evidence.is_some() {
            let text = self.t("A signature or document you gave is kept with it; ask to see it.", "Une signature ou un document que vous avez donné est gardé avec; demandez à le voir.").to_owned();
            self.html.push_str(&format!("<p>{text}</p>\n"));
        }
    }

    fn referral(&mut self, r: &Referral) {
        self.html.push_str(&format!("<h3>{} {} — {}</h3>\n", escaped(&day(r.created_at)), escaped(&r.to_organization.name), escaped(&r.service_name)));
        self.line("Where it stands", "Où elle en est", Some(&words(r.status.code())));
        let listed = self.categories(&r.needs.category_ids);
        self.line("For", "Pour", Some(&listed));
        self.line("About your needs", "À propos de vos besoins", r.needs.note.as_deref());
        match &r.participant {
            Some(shared) => {
                let text = self.t("What was shared with them:", "Ce qui leur a été transmis :").to_owned();
                self.html.push_str(&format!("<p>{text}</p>\n<blockquote>\n"));
                self.about(shared);
                self.html.push_str("</blockquote>\n");
            }
            None if r.participant_redacted => {
                let text = self.t("What was shared was removed when your consent ended.", "Ce qui avait été transmis a été retiré à la fin de votre consentement.").to_owned();
                self.html.push_str(&format!("<p>{text}</p>\n"));
            }
            None => {}
        }
    }

    fn plan(&mut self, records: &OwnRecords) {
        for plan in &records.safety_plan {
            let when = day(plan.written_at);
            let by = plan.written_by_name.as_deref().map(|n| format!(" ({})", escaped(n))).unwrap_or_default();
            self.html.push_str(&format!("<h3>{} {when}{by}</h3>\n", self.t("Written", "Écrit le")));
            for (heading, text) in parts(&plan.content, self.language) {
                if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
                    self.html.push_str(&format!("<h4>{heading}</h4>\n<p>{}</p>\n", escaped(text)));
                }
            }
        }
    }

    fn goals(&mut self, plan: &IndividualPlan) {
        if let Some(review_on) = plan.review_on {
            self.line("To go over again on", "À revoir le", Some(&review_on.to_string()));
        }
        if let Some(stage) = plan.stages.first() {
            self.line("Where you said you are", "Où vous avez dit en être", Some(&words(stage.stage.code())));
        }
        for goal in &plan.goals {
            let status = goal.status.map(|s| words(s.code())).unwrap_or_default();
            self.html.push_str(&format!("<h3>{} ({}, {status})</h3>\n", escaped(&goal.title), words(goal.domain.code())));
            if goal.steps.is_empty() {
                continue;
            }
            self.html.push_str("<ul>\n");
            for step in &goal.steps {
                let due = step.due_on.map(|d| format!(", {} {d}", self.t("by", "d'ici le"))).unwrap_or_default();
                self.html.push_str(&format!("<li>{} ({}{due})</li>\n", escaped(&step.description), words(step.status.code())));
            }
            self.html.push_str("</ul>\n");
        }
    }

    fn conference(&mut self, c: &Conference) {
        self.html.push_str(&format!("<h3>{} — {}</h3>\n", escaped(&day(c.starts_at)), escaped(&c.convener.name)));
        self.line("Where it stands", "Où elle en est", Some(&words(c.status.code())));
        let table: Vec<String> = c.invited.iter().map(|i| escaped(&i.organization.name)).collect();
        self.line("Also at the table", "Aussi à la table", Some(&table.join(", ")));
        self.line("Whether you came", "Si vous y étiez", Some(&words(c.voice.presence.code())));
        self.line("What you wanted said", "Ce que vous vouliez faire dire", c.voice.wants_said.as_deref());
        for item in &c.agenda {
            self.html.push_str(&format!("<h4>{}</h4>\n", escaped(&item.title)));
            if let Some(notes) = &item.notes {
                self.html.push_str(&format!("<p>{}</p>\n", escaped(notes)));
            }
            if !item.decisions.is_empty() {
                let decided = self.t("Decided:", "Décidé :").to_owned();
                self.html.push_str(&format!("<p>{decided}</p>\n<ul>\n{}</ul>\n", item.decisions.iter().map(|d| format!("<li>{}</li>\n", escaped(d))).collect::<String>()));
            }
        }
        if !c.actions.is_empty() {
            let heading = self.t("Who took on what", "Qui s'est engagé à quoi").to_owned();
            let by = self.t("by", "d'ici le").to_owned();
            self.html.push_str(&format!("<h4>{heading}</h4>\n<ul>\n"));
            for a in &c.actions {
                self.html.push_str(&format!("<li>{} ({}, {by} {}, {})</li>\n", escaped(&a.description), escaped(&a.organization.name), a.due_on, words(a.status.code())));
            }
            self.html.push_str("</ul>\n");
        }
    }

    fn disclosures(&mut self, records: &OwnRecords) {
        let header = [self.t("When", "Quand"), self.t("Who", "Qui"), self.t("Organization", "Organisme"), self.t("What", "Quoi"), self.t("Why", "Pourquoi")].map(str::to_owned);
        self.html.push_str(&format!("<table>\n<thead><tr>{}</tr></thead>\n<tbody>\n", header.iter().map(|h| format!("<th scope=\"col\">{h}</th>")).collect::<String>()));
        for d in &records.disclosures {
            let cells = [d.occurred_at.format("%Y-%m-%d %H:%M UTC").to_string(), escaped(&d.actor_name), escaped(&d.organization.name), words(d.action.code()), words(d.purpose.code())];
            self.html.push_str(&format!("<tr>{}</tr>\n", cells.iter().map(|c| format!("<td>{c}</td>")).collect::<String>()));
        }
        self.html.push_str("</tbody>\n</table>\n");
    }
}

/// The page.
pub fn page(records: &OwnRecords, names: &Names, language: Language) -> String {
    let mut page = Page { language, names, html: String::new() };
    let (lang, title) = if language == Language::English { ("en", "Your records") } else { ("fr", "Vos dossiers") };
    page.html.push_str(&format!("<h1>{title}</h1>\n"));
    let intro = if language == Language::English {
        format!("Everything {} holds about you in Harbour, and everyone who saw it, on {}.", escaped(&names.organization), day(records.generated_at))
    } else {
        format!("Tout ce que {} garde à votre sujet dans Harbour, et tous ceux qui l'ont vu, au {}.", escaped(&names.organization), day(records.generated_at))
    };
    page.html.push_str(&format!("<p>{intro}</p>\n"));
    page.about(&records.participant);
    page.heading(2, "Your consents", "Vos consentements");
    for consent in &records.consents {
        page.consent(consent);
    }
    page.heading(2, "Referrals made for you", "Les orientations faites pour vous");
    for referral in &records.referrals {
        page.referral(referral);
    }
    if !records.safety_plan.is_empty() {
        page.heading(2, "Your plan, each time it was written", "Votre plan, chaque fois qu'il a été écrit");
        page.plan(records);
    }
    if let Some(plan) = &records.plan {
        page.heading(2, "Your goals", "Vos objectifs");
        page.goals(plan);
    }
    if !records.conferences.is_empty() {
        page.heading(2, "Case conferences about you", "Les conférences de cas à votre sujet");
        for conference in &records.conferences {
            page.conference(conference);
        }
    }
    page.heading(2, "Who saw your information", "Qui a vu vos renseignements");
    page.disclosures(records);
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>{title}</title>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        page.html
    )
}
