//! A participant's profile and consents. The server sends only what the caller may see:
//! a recipient organization gets the consented categories and nothing else, and this
//! screen shows what arrived. The owning organization records and withdraws consents.

use harbour_types::{Consent, ConsentStatus, ErasureInput, ErasureMethod, ErasureReason, Participant, RevocationInput, RevocationMethod, Role, TaxonomyTerm};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::participants::{labels, route_participant};
use crate::i18n::{problem_message, use_i18n, Lang, Msg};
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    SharedUnderConsent => "Shared with your organization under consent: you see only what it covers.", "Communiqué à votre organisme avec consentement : vous ne voyez que ce qu'il couvre.";
    Consents => "Consents", "Consentements";
    NoConsents => "No consent recorded yet.", "Aucun consentement enregistré.";
    Until => "until", "jusqu'au";
    Withdraw => "Record withdrawal", "Enregistrer le retrait";
    ChangeConsent => "Change (replaces this consent)", "Modifier (remplace ce consentement)";
    WithdrawHow => "How did they say it?", "Comment l'a-t-elle dit?";
    WithdrawConfirm => "Withdraw now", "Retirer maintenant";
    GoalsAndSteps => "Goals and steps", "Objectifs et étapes";
    TheirRecords => "Everything we hold about them, to print", "Tout ce que nous détenons sur la personne, à imprimer";
    EraseRecord => "Erase this record", "Effacer ce dossier";
    EraseIntro => "Only when the participant asks, or the record was made in error. Everything kept about them is destroyed, with what referrals shared; this cannot be undone.", "Seulement si la personne le demande, ou si le dossier a été créé par erreur. Tout ce qui la concerne est détruit, avec ce que les orientations ont partagé; c'est irréversible.";
    EraseHow => "How did they ask?", "Comment l'a-t-elle demandé?";
    EraseWhy => "Why", "Pourquoi";
    EraseChecked => "I have checked this is the right person", "J'ai vérifié qu'il s'agit de la bonne personne";
    EraseConfirm => "Erase now", "Effacer maintenant";
    Erased => "The record was erased.", "Le dossier a été effacé.";
    RecordedBy => "Recorded by", "Inscrit par";
    Witness => "Witness", "Témoin";
    EditRecord => "Edit record", "Modifier la fiche";
}}

fn fact(label: Msg, value: Option<String>, lang: Lang) -> impl IntoView {
    value.filter(|v| !v.is_empty()).map(|v| view! { <dt>{label.text(lang)}</dt><dd>{v}</dd> })
}

fn profile(p: &Participant, lang: Lang, terms: &[TaxonomyTerm]) -> impl IntoView {
    let t = move |m: Msg| m.text(lang);
    // The kinds of help, by name in the screen's language (ids the directory no longer has are left out).
    let kinds: Vec<String> = p
        .needs
        .iter()
        .flat_map(|n| &n.category_ids)
        .filter_map(|id| terms.iter().find(|t| &t.id == id))
        .map(|t| if lang == Lang::Fr { t.name_fr.clone() } else { t.name.clone() })
        .collect();
    let identity = p.identity.clone().unwrap_or_default();
    let contact = p.contact.clone();
    view! {
        <dl class="facts">
            {fact(Msg::AgeBand, p.age_band.map(|b| labels::age_band(b).to_owned()), lang)}
            {fact(Msg::Pronouns, p.pronouns.clone(), lang)}
            {fact(Msg::Languages, Some(p.languages.join(", ")), lang)}
            {fact(Msg::LegalName, identity.legal_name.clone(), lang)}
            {fact(Msg::DateOfBirth, identity.date_of_birth.map(|d| d.to_string()), lang)}
            {fact(Msg::Phone, identity.phone.clone(), lang)}
            {fact(Msg::SelfDescription, identity.self_description.clone(), lang)}
            {contact.map(|c| view! {
                {fact(Msg::ContactMethod, c.method.map(|m| t(labels::contact_method(m)).to_owned()), lang)}
                {fact(Msg::ContactTimes, c.times.clone(), lang)}
                {fact(Msg::ContactInstructions, c.instructions.clone(), lang)}
                {c.no_voicemail.then(|| view! { <dt>{t(Msg::SafeContact)}</dt><dd><strong>{t(Msg::NoVoicemail)}</strong></dd> })}
                {fact(Msg::PrimaryContact, c.primary_contact_name.clone(), lang)}
            })}
            {fact(Msg::NeedCategories, Some(kinds.join(", ")), lang)}
            {fact(Msg::NeedsNote, p.needs.as_ref().and_then(|n| n.note.clone()), lang)}
            {fact(Msg::SafetyNotes, p.safety.as_ref().and_then(|s| s.notes.clone()), lang)}
        </dl>
    }
}

/// One consent, with withdrawal for the owning organization while it is active.
#[component]
fn ConsentItem(consent: Consent, owner: bool, reload: Callback<()>, notify: Callback<(Msg, bool)>, change: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (status, class) = labels::status(consent.status);
    let withdrawing = RwSignal::new(false);
    let method = RwSignal::new(RevocationMethod::InPerson.code().to_owned());
    let id = StoredValue::new(consent.id.clone());
    let select_id = StoredValue::new(format!("withdraw-{}", consent.id));
    let withdraw = move |_| {
        let body = RevocationInput { method: RevocationMethod::from_code(&method.get_untracked()).unwrap_or(RevocationMethod::Other), note: None };
        let token = session.token();
        let id = id.get_value();
        spawn_local(async move {
            match client::revoke_consent(token.as_deref(), &id, &body).await {
                Ok(_) => notify.run((Msg::Withdrawn, false)),
                Err(e) => notify.run((problem_message(e.code), true)),
            }
            reload.run(());
        });
    };
    let lang = move || i18n.0.get();
    let recipients = consent.recipients.iter().map(|r| r.name.clone()).collect::<Vec<_>>().join(", ");
    let purposes = consent.purposes.clone();
    let categories = consent.data_categories.clone();
    let can_withdraw = owner && consent.status == ConsentStatus::Active;
    view! {
        <li class="result">
            <div class="badges">
                <span class=class>{i18n.t(status)}</span>
                <span class="small">{i18n.t(Local::Until)}" "{consent.expires_at.format("%Y-%m-%d").to_string()}</span>
            </div>
            <dl class="facts small">
                <dt>{i18n.t(Msg::SharedWith)}</dt><dd>{recipients}</dd>
                <dt>{i18n.t(Msg::ForPurposes)}</dt><dd>{move || purposes.iter().map(|p| labels::purpose(*p).text(lang())).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{i18n.t(Msg::WhichInformation)}</dt><dd>{move || categories.iter().map(|c| labels::category(*c).text(lang())).collect::<Vec<_>>().join(", ")}</dd>
                {consent.recorded_by_name.clone().map(|n| view! { <dt>{i18n.t(Local::RecordedBy)}</dt><dd>{n}</dd> })}
                {consent.witness_name.clone().map(|n| view! { <dt>{i18n.t(Local::Witness)}</dt><dd>{n}</dd> })}
            </dl>
            {consent.statement_text.clone().map(|text| view! { <blockquote class="statement small" lang=consent.statement_language.code()>{text}</blockquote> })}
            <Show when=move || can_withdraw>
                <Show when=move || withdrawing.get() fallback=move || view! {
                    <div class="actions">
                        <button type="button" class="link" on:click=move |_| change.run(id.get_value())>{i18n.t(Local::ChangeConsent)}</button>
                        <button type="button" class="link" on:click=move |_| withdrawing.set(true)>{i18n.t(Local::Withdraw)}</button>
                    </div>
                }>
                    <label for=select_id.get_value()>{i18n.t(Local::WithdrawHow)}</label>
                    <div class="inline">
                        <select id=select_id.get_value() prop:value=move || method.get() on:change=move |ev| method.set(event_target_value(&ev))>
                            {RevocationMethod::ALL.iter().map(|m| view! { <option value=m.code()>{i18n.t(labels::revocation_method(*m))}</option> }).collect_view()}
                        </select>
                        <button type="button" class="primary danger" on:click=withdraw>{i18n.t(Local::WithdrawConfirm)}</button>
                    </div>
                </Show>
            </Show>
        </li>
    }
}

/// Erasing the record, for an agency admin of the owning organization: how and why the
/// participant asked, a check that it is the right person, then the erasure.
#[component]
fn ErasePanel(id: String, erased: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let method = RwSignal::new(ErasureMethod::InPerson.code().to_owned());
    let reason = RwSignal::new(ErasureReason::ParticipantRequest.code().to_owned());
    let checked = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    let id = StoredValue::new(id);
    let erase = move |_| {
        let body = ErasureInput {
            method: ErasureMethod::from_code(&method.get_untracked()).unwrap_or(ErasureMethod::Other),
            reason: ErasureReason::from_code(&reason.get_untracked()).unwrap_or(ErasureReason::ParticipantRequest),
        };
        let token = session.token();
        spawn_local(async move {
            match client::erase_participant(token.as_deref(), &id.get_value(), &body).await {
                Ok(_) => erased.set(true),
                Err(e) => error.set(Some(problem_message(e.code))),
            }
        });
    };
    let methods = ErasureMethod::ALL.iter().filter(|m| **m != ErasureMethod::Retention);
    let reasons = ErasureReason::ALL.iter().filter(|r| **r != ErasureReason::RetentionPeriod);
    view! {
        <details class="card">
            <summary>{i18n.t(Local::EraseRecord)}</summary>
            <p class="small">{i18n.t(Local::EraseIntro)}</p>
            <label for="erase-method">{i18n.t(Local::EraseHow)}</label>
            <select id="erase-method" prop:value=move || method.get() on:change=move |ev| method.set(event_target_value(&ev))>
                {methods.map(|m| view! { <option value=m.code()>{i18n.t(labels::erasure_method(*m))}</option> }).collect_view()}
            </select>
            <label for="erase-reason">{i18n.t(Local::EraseWhy)}</label>
            <select id="erase-reason" prop:value=move || reason.get() on:change=move |ev| reason.set(event_target_value(&ev))>
                {reasons.map(|r| view! { <option value=r.code()>{i18n.t(labels::erasure_reason(*r))}</option> }).collect_view()}
            </select>
            <label class="check"><input type="checkbox" prop:checked=move || checked.get() on:change=move |ev| checked.set(event_target_checked(&ev))/>{i18n.t(Local::EraseChecked)}</label>
            <button type="button" class="primary danger" prop:disabled=move || !checked.get() on:click=erase>{i18n.t(Local::EraseConfirm)}</button>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.0.get()))}</p>
        </details>
    }
}

/// The participant screen.
#[component]
pub fn ParticipantPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let (id, participant) = route_participant();
    let generation = RwSignal::new(0u32);
    let consents = LocalResource::new(move || {
        generation.track();
        let (id, token) = (id.get(), session.token());
        async move { client::participant_consents(token.as_deref(), &id).await }
    });
    let terms = LocalResource::new(move || {
        let token = session.token();
        async move { client::taxonomy_terms(token.as_deref()).await.map(|page| page.contents).unwrap_or_default() }
    });
    let reload = Callback::new(move |()| generation.update(|g| *g += 1));
    let erased = RwSignal::new(false);
    let admin = session.has_any_role(&[Role::AgencyAdmin]);
    let message = RwSignal::new(None::<(Msg, bool)>);
    let notify = Callback::new(move |m: (Msg, bool)| message.set(Some(m)));
    let go = move |path: String| navigate(&path, NavigateOptions { replace: true, ..Default::default() });
    // Their own copy of everything held: printed from a hidden frame, never saved here.
    let print_records = move |_| {
        let (token, id, lang) = (session.token(), id.get_untracked(), i18n.0.get_untracked().tag());
        spawn_local(async move {
            if let Err(e) = client::print_own_records(token.as_deref(), &id, lang).await {
                message.set(Some((problem_message(e.code), true)));
            }
        });
    };
    // A change of consent is a new consent that supersedes this one, captured afresh.
    let change = Callback::new({
        let go = go.clone();
        move |consent: String| go(format!("/participants/{}/consent?supersedes={consent}", id.get()))
    });
    view! {
        <section aria-labelledby="participant-title">
            <button type="button" class="link-back" on:click={let go = go.clone(); move |_| go("/participants".into())}>"← "{i18n.t(Msg::Participants)}</button>
            <Show when=move || erased.get()>
                <p class="notice" role="status">{i18n.t(Local::Erased)}</p>
            </Show>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || participant.get().filter(|_| !erased.get()).map(|outcome| match outcome {
                    Ok(p) => {
                        let owner = p.access.owner;
                        let participant_id = p.id.clone();
                        let go = go.clone();
                        let (edit, consent, report) = (format!("/participants/{}/edit", p.id), format!("/participants/{}/consent", p.id), format!("/participants/{}/disclosures", p.id));
                        let refer = format!("/participants/{}/refer", p.id);
                        let plan = format!("/participants/{}/safety-plan", p.id);
                        let goals = format!("/participants/{}/plan", p.id);
                        let conferences = format!("/participants/{}/conferences", p.id);
                        view! {
                            <article class="card">
                                <h1 id="participant-title">{p.alias.clone()}</h1>
                                <p class="small muted">{p.organization_name.clone()}</p>
                                <Show when=move || !owner><p class="notice">{i18n.t(Local::SharedUnderConsent)}</p></Show>
                                {move || profile(&p, i18n.0.get(), &terms.get().unwrap_or_default())}
                                <div class="actions">
                                    <button type="button" class="link" on:click={let (go, plan) = (go.clone(), plan.clone()); move |_| go(plan.clone())}>{i18n.t(Msg::SafetyPlan)}</button>
                                    <button type="button" class="link" on:click={let (go, goals) = (go.clone(), goals.clone()); move |_| go(goals.clone())}>{i18n.t(Local::GoalsAndSteps)}</button>
                                    <button type="button" class="link" on:click={let (go, conferences) = (go.clone(), conferences.clone()); move |_| go(conferences.clone())}>{i18n.t(Msg::Conferences)}</button>
                                </div>
                                <Show when=move || owner>
                                    <div class="actions">
                                        <button type="button" class="link" on:click={let (go, edit) = (go.clone(), edit.clone()); move |_| go(edit.clone())}>{i18n.t(Local::EditRecord)}</button>
                                        <button type="button" class="link" on:click={let (go, refer) = (go.clone(), refer.clone()); move |_| go(refer.clone())}>{i18n.t(Msg::Refer)}</button>
                                        <button type="button" class="link" on:click={let (go, consent) = (go.clone(), consent.clone()); move |_| go(consent.clone())}>{i18n.t(Msg::RecordConsent)}</button>
                                        <button type="button" class="link" on:click={let (go, report) = (go.clone(), report.clone()); move |_| go(report.clone())}>{i18n.t(Msg::DisclosureReport)}</button>
                                        <button type="button" class="link" on:click=print_records>{i18n.t(Local::TheirRecords)}</button>
                                    </div>
                                </Show>
                            </article>
                            <h2>{i18n.t(Local::Consents)}</h2>
                            <p class=move || if message.get().is_some_and(|m| m.1) { "error" } else { "notice" } role="status" aria-live="polite">
                                {move || message.get().map(|(m, _)| m.text(i18n.0.get()))}
                            </p>
                            {move || consents.get().map(|outcome| match outcome {
                                Ok(list) if list.is_empty() => view! { <p class="muted">{i18n.t(Local::NoConsents)}</p> }.into_any(),
                                Ok(list) => view! {
                                    <ul class="results">
                                        {list.into_iter().map(|c| view! { <ConsentItem consent=c owner=owner reload=reload notify=notify change=change/> }).collect_view()}
                                    </ul>
                                }.into_any(),
                                Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                            })}
                            {(owner && admin).then(|| view! { <ErasePanel id=participant_id.clone() erased=erased/> })}
                        }.into_any()
                    }
                    Err(_) => view! { <p class="error" role="alert">{i18n.t(Msg::ParticipantNotFound)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
