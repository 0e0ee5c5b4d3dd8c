//! Capturing consent on a phone: choose who receives what and why, read the statement
//! back in the participant's language, then sign on screen, name a witness, or
//! photograph the signed form. The server writes the statement from the scope, and
//! stores that exact text with the consent.

use harbour_types::{
    ConsentInput, ConsentMethod, ConsentPurpose, ConsentStatement, ConsentStatementRequest, DataCategory, EvidenceUpload, Organization,
    StatementLanguage,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use wasm_bindgen::JsCast;

use crate::client;
use crate::components::participants::labels;
use crate::components::participants::signature_pad::SignaturePad;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::{use_session, SessionState};

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    Replacing => "This new consent will replace the current one once recorded.", "Ce nouveau consentement remplacera l'actuel une fois enregistré.";
    StatementLanguage => "Language to read it in", "Langue de lecture";
    EndsOn => "Ends on (empty: the usual term)", "Prend fin le (vide : durée habituelle)";
    ShowStatement => "Show the statement", "Afficher l'énoncé";
    ReadAloud => "Read this to the participant:", "Lisez ceci au participant :";
    HowGiven => "How they consent", "Comment la personne consent";
    SignOnScreen => "Sign on screen", "Signer à l'écran";
    VerbalWitness => "Verbal, with a witness", "Verbal, avec témoin";
    PaperPhoto => "Photo of the signed form", "Photo du formulaire signé";
    WitnessName => "Witness's name", "Nom du témoin";
    FormPhoto => "Photo or scan of the form", "Photo ou numérisation du formulaire";
}}

/// A set of choices as checkboxes.
#[component]
fn Choices<T: Copy + PartialEq + Send + Sync + 'static>(legend: Msg, options: Vec<(T, Signal<String>)>, chosen: RwSignal<Vec<T>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="group">
            <legend>{i18n.t(legend)}</legend>
            {options.into_iter().map(|(value, label)| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || chosen.get().contains(&value)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|list| if on { if !list.contains(&value) { list.push(value) } } else { list.retain(|v| *v != value) });
                        }/>
                    {label}
                </label>
            }).collect_view()}
        </fieldset>
    }
}

/// The base64 and media type of a file the worker picked, or why it cannot be sent.
async fn read_file(file: web_sys::File) -> Result<EvidenceUpload, Msg> {
    use base64::Engine as _;
    const MAX: f64 = 5.0 * 1024.0 * 1024.0;
    if file.size() > MAX {
        return Err(Msg::FileTooLarge);
    }
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.map_err(|_| Msg::ErrorGeneric)?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    Ok(EvidenceUpload { media_type: file.type_(), data_base64: base64::engine::general_purpose::STANDARD.encode(bytes) })
}

/// The consent capture screen.
#[component]
pub fn ConsentPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let params = use_params_map();
    let participant_id = move || params.read_untracked().get("id").unwrap_or_default();
    let supersedes = use_query_map().read_untracked().get("supersedes");
    let replacing = supersedes.is_some();
    let own = move || match session.state.get_untracked() {
        SessionState::SignedIn { me, .. } => me.organization.id,
        _ => String::new(),
    };
    let organizations = LocalResource::new(move || {
        let token = session.token();
        async move { client::organizations(token.as_deref()).await }
    });
    let recipients = RwSignal::new(Vec::<usize>::new());
    let purposes = RwSignal::new(Vec::<ConsentPurpose>::new());
    let categories = RwSignal::new(Vec::<DataCategory>::new());
    let language = RwSignal::new(StatementLanguage::English);
    let ends_on = RwSignal::new(String::new());
    let statement = RwSignal::new(None::<ConsentStatement>);
    let method = RwSignal::new(ConsentMethod::ElectronicSignature);
    let signature = RwSignal::new(None::<String>);
    let witness = RwSignal::new(String::new());
    let photo = RwSignal::new(None::<EvidenceUpload>);
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let candidates = move || -> Vec<Organization> {
        let own = own();
        organizations.get().and_then(Result::ok).map(|page| page.contents.into_iter().filter(|o| o.id != own).collect()).unwrap_or_default()
    };
    let chosen_ids = move || {
        let all = candidates();
        recipients.get_untracked().iter().filter_map(|i| all.get(*i).map(|o| o.id.clone())).collect::<Vec<_>>()
    };
    let expires_at = move || ends_on.get_untracked().parse::<chrono::NaiveDate>().ok().and_then(|d| d.and_hms_opt(23, 59, 0)).map(|t| t.and_utc());
    // Changing a consent starts from its scope.
    if let Some(old) = supersedes.clone() {
        let token = session.token();
        spawn_local(async move {
            let (Ok(consent), Ok(orgs)) = (
                client::consent(token.as_deref(), &old).await,
                client::organizations(token.as_deref()).await,
            ) else {
                return;
            };
            let own = own();
            let candidates: Vec<Organization> = orgs.contents.into_iter().filter(|o| o.id != own).collect();
            recipients.set(candidates.iter().enumerate().filter(|(_, o)| consent.recipients.iter().any(|r| r.id == o.id)).map(|(i, _)| i).collect());
            purposes.set(consent.purposes);
            categories.set(consent.data_categories);
            language.set(consent.statement_language);
        });
    }
    // A changed scope needs its statement read again.
    Effect::new(move |_| {
        recipients.track();
        purposes.track();
        categories.track();
        language.track();
        ends_on.track();
        statement.set(None);
    });
    let show_statement = move |_| {
        error.set(None);
        let body = ConsentStatementRequest {
            language: language.get_untracked(),
            purposes: purposes.get_untracked(),
            data_categories: categories.get_untracked(),
            recipient_ids: chosen_ids(),
            expires_at: expires_at(),
        };
        if body.recipient_ids.is_empty() || body.purposes.is_empty() || body.data_categories.is_empty() {
            error.set(Some(Msg::ChooseScope));
            return;
        }
        let token = session.token();
        spawn_local(async move {
            match client::consent_statement(token.as_deref(), &body).await {
                Ok(text) => statement.set(Some(text)),
                Err(e) => error.set(Some(problem_message(e.code))),
            }
        });
    };
    let pick_file = move |ev: leptos::ev::Event| {
        let file = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()).and_then(|input| input.files()).and_then(|files| files.get(0));
        photo.set(None);
        if let Some(file) = file {
            spawn_local(async move {
                match read_file(file).await {
                    Ok(upload) => photo.set(Some(upload)),
                    Err(m) => error.set(Some(m)),
                }
            });
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        let evidence = match method.get_untracked() {
            ConsentMethod::ElectronicSignature => match signature.get_untracked() {
                Some(data) => Some(EvidenceUpload { media_type: "image/png".into(), data_base64: data }),
                None => return error.set(Some(Msg::SignFirst)),
            },
            ConsentMethod::PaperForm => photo.get_untracked(),
            ConsentMethod::Verbal => None,
        };
        let body = ConsentInput {
            participant_id: participant_id(),
            method: method.get_untracked(),
            witness_name: (method.get_untracked() == ConsentMethod::Verbal).then(|| witness.get_untracked()),
            given_at: None,
            expires_at: expires_at(),
            purposes: purposes.get_untracked(),
            data_categories: categories.get_untracked(),
            recipient_ids: chosen_ids(),
            statement_language: language.get_untracked(),
            evidence,
            supersedes_id: supersedes.clone(),
        };
        busy.set(true);
        let token = session.token();
        let navigate = navigate.clone();
        spawn_local(async move {
            let saved = client::record_consent(token.as_deref(), &body).await;
            busy.set(false);
            match saved {
                Ok(c) => navigate(&format!("/participants/{}", c.participant_id), NavigateOptions { replace: true, ..Default::default() }),
                Err(e) => error.set(Some(problem_message(e.code))),
            }
        });
    };
    let purpose_options = ConsentPurpose::ALL.iter().map(|p| (*p, Signal::derive(move || labels::purpose(*p).text(i18n.0.get()).to_owned()))).collect::<Vec<_>>();
    let category_options = DataCategory::ALL.iter().map(|c| (*c, Signal::derive(move || labels::category(*c).text(i18n.0.get()).to_owned()))).collect::<Vec<_>>();
    view! {
        <section aria-labelledby="consent-title">
            <h1 id="consent-title">{i18n.t(Msg::RecordConsent)}</h1>
            {replacing.then(|| view! { <p class="notice">{i18n.t(Local::Replacing)}</p> })}
            <form class="card" on:submit=submit novalidate>
                <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                    {move || {
                        let options = candidates().into_iter().enumerate().map(|(i, o)| (i, Signal::derive(move || o.name.clone()))).collect::<Vec<_>>();
                        view! { <Choices legend=Msg::SharedWith options=options chosen=recipients/> }
                    }}
                </Transition>
                <Choices legend=Msg::ForPurposes options=purpose_options chosen=purposes/>
                <Choices legend=Msg::WhichInformation options=category_options chosen=categories/>
                <fieldset class="group">
                    <legend>{i18n.t(Local::StatementLanguage)}</legend>
                    {StatementLanguage::ALL.iter().map(|l| {
                        let l = *l;
                        view! {
                            <label class="check">
                                <input type="radio" name="statement-language" prop:checked=move || language.get() == l on:change=move |_| language.set(l)/>
                                {if l == StatementLanguage::English { "English" } else { "Français" }}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <label for="ends-on">{i18n.t(Local::EndsOn)}</label>
                <input id="ends-on" type="date" bind:value=ends_on/>
                <button type="button" class="link" on:click=show_statement>{i18n.t(Local::ShowStatement)}</button>
                {move || statement.get().map(|s| view! {
                    <p class="field-label">{i18n.t(Local::ReadAloud)}</p>
                    <blockquote class="statement" lang=s.language.code() data-testid="consent-statement">{s.text}</blockquote>
                    <fieldset class="group">
                        <legend>{i18n.t(Local::HowGiven)}</legend>
                        {[(ConsentMethod::ElectronicSignature, Local::SignOnScreen), (ConsentMethod::Verbal, Local::VerbalWitness), (ConsentMethod::PaperForm, Local::PaperPhoto)]
                            .into_iter().map(|(m, label)| view! {
                                <label class="check">
                                    <input type="radio" name="consent-method" prop:checked=move || method.get() == m on:change=move |_| method.set(m)/>
                                    {i18n.t(label)}
                                </label>
                            }).collect_view()}
                    </fieldset>
                    {move || match method.get() {
                        ConsentMethod::ElectronicSignature => view! { <SignaturePad signature=signature/> }.into_any(),
                        ConsentMethod::Verbal => view! {
                            <label for="witness">{i18n.t(Local::WitnessName)}</label>
                            <input id="witness" autocomplete="off" bind:value=witness/>
                        }.into_any(),
                        ConsentMethod::PaperForm => view! {
                            <label for="form-photo">{i18n.t(Local::FormPhoto)}</label>
                            <input id="form-photo" type="file" accept="image/jpeg,image/png,application/pdf" capture="environment" on:change=pick_file/>
                        }.into_any(),
                    }}
                    <button type="submit" class="primary" disabled=move || busy.get()>{i18n.t(Msg::RecordConsent)}</button>
                })}
                <p class="error" role="alert" aria-live="assertive">{move || error.get().map(|m| m.text(i18n.0.get()))}</p>
            </form>
        </section>
    }
}
