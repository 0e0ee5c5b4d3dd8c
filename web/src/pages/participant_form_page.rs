//! Recording a participant, or changing one's record (with the version read, so a
//! colleague's change is never overwritten unseen). Identity is optional and folded
//! away: a pseudonymous record is the default.

use harbour_types::{AgeBand, Participant, ParticipantIdentity, ParticipantInput, ParticipantNeeds, ParticipantSafety, SafeContact, SafeContactMethod};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::form::{optional, save_failure, term_labels, CheckList, SaveButton};
use crate::components::participants::labels;
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

/// The form, filled from `existing` when changing a record.
#[component]
fn ParticipantForm(existing: Option<Participant>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let base = existing.clone();
    let identity = existing.as_ref().and_then(|p| p.identity.clone()).unwrap_or_default();
    let contact = existing.as_ref().and_then(|p| p.contact.clone()).unwrap_or_default();
    let needs = existing.as_ref().and_then(|p| p.needs.clone()).unwrap_or_default();
    let alias = RwSignal::new(existing.as_ref().map(|p| p.alias.clone()).unwrap_or_default());
    let age_band = RwSignal::new(existing.as_ref().and_then(|p| p.age_band).map(|b| b.code().to_owned()).unwrap_or_default());
    let pronouns = RwSignal::new(existing.as_ref().map(|p| text(&p.pronouns)).unwrap_or_default());
    let languages = RwSignal::new(existing.as_ref().map(|p| p.languages.join(", ")).unwrap_or_default());
    let method = RwSignal::new(contact.method.map(|m| m.code().to_owned()).unwrap_or_default());
    let times = RwSignal::new(text(&contact.times));
    let instructions = RwSignal::new(text(&contact.instructions));
    let no_voicemail = RwSignal::new(contact.no_voicemail);
    // Changing it hands the case over: the server keeps the change and tells the new contact.
    let primary_contact = RwSignal::new(text(&contact.primary_contact_id));
    let colleagues = LocalResource::new(move || {
        let token = session.token();
        async move { client::colleagues(token.as_deref()).await.unwrap_or_default() }
    });
    let needs_note = RwSignal::new(text(&needs.note));
    let need_categories = RwSignal::new(needs.category_ids.clone());
    let terms = LocalResource::new(move || {
        let token = session.token();
        async move { client::taxonomy_terms(token.as_deref()).await }
    });
    let need_choices = Signal::derive(move || term_labels(terms.get().and_then(Result::ok).map(|p| p.contents).unwrap_or_default(), i18n.0.get()));
    let legal_name = RwSignal::new(text(&identity.legal_name));
    let date_of_birth = RwSignal::new(identity.date_of_birth.map(|d| d.to_string()).unwrap_or_default());
    let phone = RwSignal::new(text(&identity.phone));
    let self_description = RwSignal::new(text(&identity.self_description));
    let safety = RwSignal::new(existing.as_ref().and_then(|p| p.safety.as_ref()).map(|s| text(&s.notes)).unwrap_or_default());
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ParticipantInput {
            alias: alias.get_untracked(),
            age_band: AgeBand::from_code(&age_band.get_untracked()),
            birth_year: None,
            pronouns: optional(pronouns.get_untracked()),
            languages: languages.get_untracked().split(',').filter_map(|l| optional(l.to_owned())).collect(),
            identity: Some(ParticipantIdentity {
                legal_name: optional(legal_name.get_untracked()),
                date_of_birth: date_of_birth.get_untracked().parse().ok(),
                phone: optional(phone.get_untracked()),
                self_description: optional(self_description.get_untracked()),
            }),
            contact: Some(SafeContact {
                method: SafeContactMethod::from_code(&method.get_untracked()),
                times: optional(times.get_untracked()),
                instructions: optional(instructions.get_untracked()),
                no_voicemail: no_voicemail.get_untracked(),
                primary_contact_id: optional(primary_contact.get_untracked()),
                primary_contact_name: None,
            }),
            needs: Some(ParticipantNeeds { category_ids: need_categories.get_untracked(), note: optional(needs_note.get_untracked()) }),
            safety: Some(ParticipantSafety { notes: optional(safety.get_untracked()) }),
        };
        busy.set(true);
        error.set(None);
        let token = session.token();
        let base = base.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            let saved = match &base {
                Some(p) => client::save_participant(token.as_deref(), Some((&p.id, p.version)), &body).await,
                None => client::save_participant(token.as_deref(), None, &body).await,
            };
            busy.set(false);
            match saved {
                Ok(p) => navigate(&format!("/participants/{}", p.id), NavigateOptions { replace: true, ..Default::default() }),
                Err(e) => error.set(Some(save_failure(&e))),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit novalidate>
            <label for="alias">{i18n.t(Msg::Alias)}</label>
            <input id="alias" required maxlength="60" autocomplete="off" bind:value=alias/>
            <label for="age-band">{i18n.t(Msg::AgeBand)}</label>
            <select id="age-band" prop:value=move || age_band.get() on:change=move |ev| age_band.set(event_target_value(&ev))>
                <option value="">{i18n.t(Msg::NotGiven)}</option>
                {AgeBand::ALL.iter().map(|b| view! { <option value=b.code()>{labels::age_band(*b)}</option> }).collect_view()}
            </select>
            <label for="pronouns">{i18n.t(Msg::Pronouns)}</label>
            <input id="pronouns" maxlength="40" autocomplete="off" bind:value=pronouns/>
            <label for="languages">{i18n.t(Msg::LanguagesSpoken)}</label>
            <input id="languages" autocomplete="off" bind:value=languages/>
            <fieldset class="group">
                <legend>{i18n.t(Msg::SafeContact)}</legend>
                <label for="contact-method">{i18n.t(Msg::ContactMethod)}</label>
                <select id="contact-method" prop:value=move || method.get() on:change=move |ev| method.set(event_target_value(&ev))>
                    <option value="">{i18n.t(Msg::NotGiven)}</option>
                    {SafeContactMethod::ALL.iter().map(|m| view! { <option value=m.code()>{i18n.t(labels::contact_method(*m))}</option> }).collect_view()}
                </select>
                <label for="contact-times">{i18n.t(Msg::ContactTimes)}</label>
                <input id="contact-times" autocomplete="off" bind:value=times/>
                <label for="contact-instructions">{i18n.t(Msg::ContactInstructions)}</label>
                <input id="contact-instructions" autocomplete="off" bind:value=instructions/>
                <label class="check"><input type="checkbox" bind:checked=no_voicemail/>{i18n.t(Msg::NoVoicemail)}</label>
                <label for="primary-contact">{i18n.t(Msg::PrimaryContact)}</label>
                <select id="primary-contact" prop:value=move || primary_contact.get() on:change=move |ev| primary_contact.set(event_target_value(&ev))>
                    <option value="">{i18n.t(Msg::NoPrimaryContact)}</option>
                    {move || colleagues.get().unwrap_or_default().into_iter().map(|c| {
                        let chosen = c.id == primary_contact.get_untracked();
                        view! { <option value=c.id selected=chosen>{c.display_name}</option> }
                    }).collect_view()}
                </select>
            </fieldset>
            <CheckList id="need" legend=Msg::NeedCategories choices=need_choices chosen=need_categories/>
            <label for="needs-note">{i18n.t(Msg::NeedsNote)}</label>
            <textarea id="needs-note" rows="3" bind:value=needs_note></textarea>
            <details class="more-filters">
                <summary>{i18n.t(Msg::IdentityOptional)}</summary>
                <label for="legal-name">{i18n.t(Msg::LegalName)}</label>
                <input id="legal-name" autocomplete="off" bind:value=legal_name/>
                <label for="date-of-birth">{i18n.t(Msg::DateOfBirth)}</label>
                <input id="date-of-birth" type="date" bind:value=date_of_birth/>
                <label for="phone">{i18n.t(Msg::Phone)}</label>
                <input id="phone" type="tel" autocomplete="off" bind:value=phone/>
                <label for="self-description">{i18n.t(Msg::SelfDescription)}</label>
                <input id="self-description" autocomplete="off" bind:value=self_description/>
                <label for="safety">{i18n.t(Msg::SafetyNotes)}</label>
                <textarea id="safety" rows="2" bind:value=safety></textarea>
            </details>
            <SaveButton error=error busy=busy/>
        </form>
    }
}

/// Recording a new participant.
#[component]
pub fn NewParticipantPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section aria-labelledby="new-participant-title">
            <h1 id="new-participant-title">{i18n.t(Msg::RecordParticipant)}</h1>
            <ParticipantForm existing=None/>
        </section>
    }
}

/// Changing a participant's record.
#[component]
pub fn EditParticipantPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let participant = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        let token = session.token();
        async move { client::participant(token.as_deref(), &id).await }
    });
    view! {
        <section aria-labelledby="edit-participant-title">
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || participant.get().map(|outcome| match outcome {
                    Ok(p) => view! { <h1 id="edit-participant-title">{p.alias.clone()}</h1><ParticipantForm existing=Some(p)/> }.into_any(),
                    Err(_) => view! { <p class="error" role="alert">{i18n.t(Msg::ParticipantNotFound)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
