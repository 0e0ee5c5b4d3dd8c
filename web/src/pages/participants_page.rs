//! Participants of my organization, found by alias, and those shared with us. The alias
//! searched for travels in a request body, never in the URL.

use harbour_types::ParticipantSearch;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::participants::labels;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

/// The participants screen.
#[component]
pub fn ParticipantsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let alias = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let found = LocalResource::new(move || {
        let body = ParticipantSearch { alias: alias.get(), shared_with_us: shared.get(), page: None, per_page: Some(50) };
        let token = session.token();
        async move { client::search_participants(token.as_deref(), &body).await }
    });
    let go = move |path: String| navigate(&path, NavigateOptions { replace: true, ..Default::default() });
    let go_new = go.clone();
    view! {
        <section aria-labelledby="participants-title">
            <h1 id="participants-title">{i18n.t(Msg::Participants)}</h1>
            <button type="button" class="primary wide" on:click=move |_| go_new("/participants/new".into())>{i18n.t(Msg::RecordParticipant)}</button>
            <div class="segmented" role="group" aria-label=i18n.t(Msg::Participants)>
                <button type="button" class="chip" aria-pressed=move || (!shared.get()).to_string() on:click=move |_| shared.set(false)>{i18n.t(Msg::OurParticipants)}</button>
                <button type="button" class="chip" aria-pressed=move || shared.get().to_string() on:click=move |_| shared.set(true)>{i18n.t(Msg::SharedWithUs)}</button>
            </div>
            <div class="search">
                <label for="alias-search">{i18n.t(Msg::FindByAlias)}</label>
                <input id="alias-search" type="search" autocomplete="off" bind:value=alias/>
            </div>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || found.get().map(|outcome| match outcome {
                    Ok(page) if page.contents.is_empty() => view! { <p class="muted" role="status">{i18n.t(Msg::NoParticipants)}</p> }.into_any(),
                    Ok(page) => {
                        let go = go.clone();
                        view! {
                            <ul class="results">
                                {page.contents.into_iter().map(|p| {
                                    let go = go.clone();
                                    let path = format!("/participants/{}", p.id);
                                    let age = p.age_band.map(labels::age_band);
                                    view! {
                                        <li class="result">
                                            <button type="button" class="result-main" on:click=move |_| go(path.clone())>
                                                <span class="result-name">{p.alias.clone()}</span>
                                                <span class="small muted">{[age.map(str::to_owned), p.pronouns.clone(), Some(p.organization_name.clone())].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</span>
                                            </button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
