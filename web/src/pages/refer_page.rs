//! Referring a participant: find a service that takes referrals, say what they need and
//! how soon, confirm that the participant wants it, and send (or keep a draft). Without
//! a consent naming the service's organization for "referral" the server refuses, and
//! this screen says so and leads to consent capture.

use harbour_types::{ErrorCode, ReferralInput, ReferralNeeds, Urgency};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::participants::labels;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    FindService => "Find a service that takes referrals", "Trouver un service qui accepte les orientations";
    Urgency => "How soon", "Délai";
    ConfirmedWithParticipant => "I checked with the participant that this referral is what they want", "J'ai vérifié avec la personne que cette orientation correspond à ce qu'elle veut";
    SendReferral => "Send referral", "Envoyer l'orientation";
    SaveDraft => "Save as draft", "Enregistrer le brouillon";
    ConsentMissing => "No consent lets this organization receive a referral for this participant. Record one first.", "Aucun consentement ne permet à cet organisme de recevoir une orientation pour cette personne. Recueillez-en un d'abord.";
}}

/// The referral screen.
#[component]
pub fn ReferPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let params = use_params_map();
    let participant_id = move || params.read_untracked().get("id").unwrap_or_default();
    let words = RwSignal::new(String::new());
    let service = RwSignal::new(None::<String>);
    let urgency = RwSignal::new(Urgency::Soon.code().to_owned());
    let need = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let confirmed = RwSignal::new(false);
    let error = RwSignal::new(None::<Msg>);
    let consent_missing = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let found = LocalResource::new(move || {
        let (words, token) = (words.get(), session.token());
        async move { client::referable_services(token.as_deref(), &words).await }
    });
    let to_consent = navigate.clone();
    let submit = move |send: bool| {
        error.set(None);
        consent_missing.set(false);
        let Some(service_id) = service.get_untracked() else {
            return error.set(Some(Msg::ChooseService));
        };
        if send && !confirmed.get_untracked() {
            return error.set(Some(Msg::ConfirmFirst));
        }
        let body = ReferralInput {
            participant_id: participant_id(),
            service_id,
            needs: ReferralNeeds { category_ids: Vec::new(), note: Some(need.get_untracked()).filter(|n| !n.trim().is_empty()) },
            urgency: Urgency::from_code(&urgency.get_untracked()).unwrap_or(Urgency::Soon),
            safe_contact_instructions: Some(contact.get_untracked()).filter(|c| !c.trim().is_empty()),
            participant_confirmed: confirmed.get_untracked(),
            send,
        };
        busy.set(true);
        let token = session.token();
        let navigate = navigate.clone();
        spawn_local(async move {
            let saved = client::create_referral(token.as_deref(), &body).await;
            busy.set(false);
            match saved {
                Ok(r) => navigate(&format!("/referrals/{}", r.id), NavigateOptions { replace: true, ..Default::default() }),
                Err(e) if e.code == ErrorCode::ConsentRequired => consent_missing.set(true),
                Err(e) => error.set(Some(problem_message(e.code))),
            }
        });
    };
    let send = submit.clone();
    let go_consent = {
        let navigate = to_consent;
        move |_| navigate(&format!("/participants/{}/consent", participant_id()), NavigateOptions { replace: true, ..Default::default() })
    };
    view! {
        <section aria-labelledby="refer-title">
            <h1 id="refer-title">{i18n.t(Msg::Refer)}</h1>
            <form class="card" on:submit=move |ev| { ev.prevent_default(); send(true) } novalidate>
                <label for="service-search">{i18n.t(Local::FindService)}</label>
                <input id="service-search" type="search" autocomplete="off" bind:value=words/>
                <fieldset class="group">
                    <legend>{i18n.t(Msg::ChooseService)}</legend>
                    <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Searching)}</p> }>
                        {move || found.get().map(|outcome| match outcome {
                            Ok(results) if results.page.contents.is_empty() => view! { <p class="muted">{i18n.t(Msg::NoResults)}</p> }.into_any(),
                            Ok(results) => results.page.contents.into_iter().map(|hit| {
                                let id = hit.id.clone();
                                let chosen = id.clone();
                                view! {
                                    <label class="check">
                                        <input type="radio" name="service" prop:checked=move || service.get().as_deref() == Some(id.as_str())
                                            on:change=move |_| service.set(Some(chosen.clone()))/>
                                        <span>{hit.name.clone()}<span class="small muted">" — "{hit.organization_name.clone()}</span></span>
                                    </label>
                                }
                            }).collect_view().into_any(),
                            Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                        })}
                    </Transition>
                </fieldset>
                <label for="urgency">{i18n.t(Local::Urgency)}</label>
                <select id="urgency" prop:value=move || urgency.get() on:change=move |ev| urgency.set(event_target_value(&ev))>
                    {Urgency::ALL.iter().map(|u| view! { <option value=u.code()>{i18n.t(labels::urgency(*u))}</option> }).collect_view()}
                </select>
                <label for="need">{i18n.t(Msg::WhatTheyNeed)}</label>
                <textarea id="need" rows="3" bind:value=need></textarea>
                <label for="reach">{i18n.t(Msg::HowToReach)}</label>
                <input id="reach" autocomplete="off" bind:value=contact/>
                <label class="check"><input type="checkbox" bind:checked=confirmed/>{i18n.t(Local::ConfirmedWithParticipant)}</label>
                <p class="error" role="alert" aria-live="assertive">{move || error.get().map(|m| m.text(i18n.0.get()))}</p>
                <Show when=move || consent_missing.get()>
                    <p class="error" role="alert">{i18n.t(Local::ConsentMissing)}</p>
                    <button type="button" class="link" on:click=go_consent.clone()>{i18n.t(Msg::RecordConsent)}</button>
                </Show>
                <button type="submit" class="primary" disabled=move || busy.get()>{i18n.t(Local::SendReferral)}</button>
                <button type="button" class="link" disabled=move || busy.get() on:click=move |_| submit(false)>{i18n.t(Local::SaveDraft)}</button>
            </form>
        </section>
    }
}
