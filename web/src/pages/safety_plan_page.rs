//! A participant's safety plan: read as the consent policy allows (the server sends it to
//! the owning organization and to an organization whose consent covers `safety`), written
//! by the owning organization as a new revision each time, and printed as the
//! participant's own copy without saving anything on the device.

use harbour_types::{SafetyPlan, SafetyPlanContent, SafetyPlanInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::participants::route_participant;
use crate::i18n::{problem_message, use_i18n, Lang, Msg};
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    SafetyPlanIntro => "Written with them, in their words. Each change is kept as a new revision.", "Rédigé avec la personne, dans ses mots. Chaque modification est gardée comme une nouvelle révision.";
    NoSafetyPlan => "No safety plan yet.", "Aucun plan de sécurité pour l'instant.";
    WriteSafetyPlan => "Write the plan", "Rédiger le plan";
    ChangeSafetyPlan => "Change the plan", "Modifier le plan";
    SaveSafetyPlan => "Save as a new revision", "Enregistrer une nouvelle révision";
    ReviewOn => "Go over it again on", "À revoir le";
    RevisionOf => "Revision", "Révision";
    TheirCopy => "Their own copy, to print", "Sa propre copie, à imprimer";
    CopyNamesUs => "Name our organization on it (only if they choose)", "Y nommer notre organisme (seulement si la personne le veut)";
}}

/// The plan's sections, in the order they are written with the participant.
const SECTIONS: [(Msg, &str); 8] = [
    (Msg::PlanWarningSigns, "warning_signs"),
    (Msg::PlanSafePeople, "safe_people_and_places"),
    (Msg::PlanContact, "contact_and_code_words"),
    (Msg::PlanIfFound, "if_found"),
    (Msg::PlanEmergency, "emergency_contacts"),
    (Msg::PlanDigital, "digital_safety"),
    (Msg::PlanDocuments, "documents"),
    (Msg::PlanNextTime, "next_time"),
];

/// The words of one section.
fn section(content: &SafetyPlanContent, field: &str) -> Option<String> {
    match field {
        "warning_signs" => content.warning_signs.clone(),
        "safe_people_and_places" => content.safe_people_and_places.clone(),
        "contact_and_code_words" => content.contact_and_code_words.clone(),
        "if_found" => content.if_found.clone(),
        "emergency_contacts" => content.emergency_contacts.clone(),
        "digital_safety" => content.digital_safety.clone(),
        "documents" => content.documents.clone(),
        _ => content.next_time.clone(),
    }
}

/// The content the form's fields hold (a blank field is no answer).
fn content_of(fields: &[RwSignal<String>; 8]) -> SafetyPlanContent {
    let value = |i: usize| Some(fields[i].get_untracked().trim().to_owned()).filter(|v| !v.is_empty());
    SafetyPlanContent {
        warning_signs: value(0),
        safe_people_and_places: value(1),
        contact_and_code_words: value(2),
        if_found: value(3),
        emergency_contacts: value(4),
        digital_safety: value(5),
        documents: value(6),
        next_time: value(7),
    }
}

fn shown(plan: &SafetyPlan, lang: Lang) -> impl IntoView {
    let sections = SECTIONS
        .iter()
        .filter_map(|(label, field)| section(&plan.content, field).map(|words| view! { <dt>{label.text(lang)}</dt><dd class="words">{words}</dd> }))
        .collect_view();
    let written = format!("{} {} · {}{}", Local::RevisionOf.text(lang), plan.revision, plan.written_at.format("%Y-%m-%d"), plan.written_by_name.as_ref().map(|n| format!(" · {n}")).unwrap_or_default());
    view! {
        <p class="small muted">{written}</p>
        <dl class="facts">
            {sections}
            {plan.review_on.map(|d| view! { <dt>{Local::ReviewOn.text(lang)}</dt><dd>{d.to_string()}</dd> })}
        </dl>
    }
}

/// The safety plan screen.
#[component]
pub fn SafetyPlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let (id, participant) = route_participant();
    let generation = RwSignal::new(0u32);
    let plan = LocalResource::new(move || {
        generation.track();
        let (id, token) = (id.get(), session.token());
        async move { client::safety_plan(token.as_deref(), &id).await }
    });
    let editing = RwSignal::new(false);
    let fields: [RwSignal<String>; 8] = std::array::from_fn(|_| RwSignal::new(String::new()));
    let review_on = RwSignal::new(String::new());
    let name_us = RwSignal::new(false);
    let message = RwSignal::new(None::<(Msg, bool)>);
    let current = move || plan.get().and_then(|outcome| outcome.ok());
    let edit = move |_| {
        let existing = current();
        for (i, (_, field)) in SECTIONS.iter().enumerate() {
            fields[i].set(existing.as_ref().and_then(|p| section(&p.content, field)).unwrap_or_default());
        }
        review_on.set(existing.and_then(|p| p.review_on).map(|d| d.to_string()).unwrap_or_default());
        message.set(None);
        editing.set(true);
    };
    let save = move |_| {
        let body = SafetyPlanInput { content: content_of(&fields), review_on: chrono::NaiveDate::parse_from_str(&review_on.get_untracked(), "%Y-%m-%d").ok() };
        let revision = current().map_or(0, |p| p.revision);
        let (token, id) = (session.token(), id.get());
        spawn_local(async move {
            match client::write_safety_plan(token.as_deref(), &id, revision, &body).await {
                Ok(_) => {
                    editing.set(false);
                    message.set(Some((Msg::SafetyPlanSaved, false)));
                    generation.update(|g| *g += 1);
                }
                Err(e) if e.status == 412 => message.set(Some((Msg::SafetyPlanChanged, true))),
                Err(e) => message.set(Some((problem_message(e.code), true))),
            }
        });
    };
    let print = move |_| {
        let (token, id, lang, named) = (session.token(), id.get(), i18n.0.get_untracked().tag(), name_us.get_untracked());
        spawn_local(async move {
            if let Err(e) = client::print_safety_plan_copy(token.as_deref(), &id, lang, named).await {
                message.set(Some((problem_message(e.code), true)));
            }
        });
    };
    let back = move |_| navigate(&format!("/participants/{}", id.get()), NavigateOptions { replace: true, ..Default::default() });
    let owner = move || participant.get().and_then(|p| p.ok()).is_some_and(|p| p.access.owner);
    view! {
        <section aria-labelledby="plan-title">
            <button type="button" class="link-back" on:click=back>"← "{move || participant.get().and_then(|p| p.ok()).map(|p| p.alias).unwrap_or_default()}</button>
            <h1 id="plan-title">{i18n.t(Msg::SafetyPlan)}</h1>
            <p class="small muted">{i18n.t(Local::SafetyPlanIntro)}</p>
            <p class=move || if message.get().is_some_and(|m| m.1) { "error" } else { "notice" } role="status" aria-live="polite">
                {move || message.get().map(|(m, _)| m.text(i18n.0.get()))}
            </p>
            <Show when=move || !editing.get() fallback=move || view! {
                <form class="card" on:submit=move |ev| { ev.prevent_default(); save(()); }>
                    {SECTIONS.iter().enumerate().map(|(i, (label, field))| {
                        let field_id = format!("plan-{field}");
                        view! {
                            <label for=field_id.clone()>{i18n.t(*label)}</label>
                            <textarea id=field_id rows="3" bind:value=fields[i]></textarea>
                        }
                    }).collect_view()}
                    <label for="plan-review">{i18n.t(Local::ReviewOn)}</label>
                    <input id="plan-review" type="date" bind:value=review_on/>
                    <button type="submit" class="primary wide">{i18n.t(Local::SaveSafetyPlan)}</button>
                </form>
            }>
                <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                    {move || plan.get().map(|outcome| match outcome {
                        Ok(p) => view! {
                            <article class="card">{move || shown(&p, i18n.0.get())}</article>
                            <Show when=owner>
                                <div class="actions">
                                    <button type="button" class="link" on:click=edit>{i18n.t(Local::ChangeSafetyPlan)}</button>
                                </div>
                                <div class="card">
                                    <label class="check"><input type="checkbox" prop:checked=move || name_us.get() on:change=move |ev| name_us.set(event_target_checked(&ev))/>{i18n.t(Local::CopyNamesUs)}</label>
                                    <button type="button" class="primary" on:click=print>{i18n.t(Local::TheirCopy)}</button>
                                </div>
                            </Show>
                        }.into_any(),
                        Err(e) if e.status == 404 => view! {
                            <p class="muted">{i18n.t(Local::NoSafetyPlan)}</p>
                            <Show when=owner>
                                <button type="button" class="primary wide" on:click=edit>{i18n.t(Local::WriteSafetyPlan)}</button>
                            </Show>
                        }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                    })}
                </Transition>
            </Show>
        </section>
    }
}
