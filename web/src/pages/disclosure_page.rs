//! The disclosure report, printable: everyone who saw or received a participant's
//! information, when, why and under which consent.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::client;
use crate::components::participants::labels;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

/// The report screen.
#[component]
pub fn DisclosurePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let report = LocalResource::new(move || {
        let (id, token) = (params.read().get("id").unwrap_or_default(), session.token());
        async move { client::disclosure_report(token.as_deref(), &id).await }
    });
    let lang = move || i18n.0.get();
    view! {
        <section aria-labelledby="report-title" class="report">
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || report.get().map(|outcome| match outcome {
                    Ok(r) => view! {
                        <h1 id="report-title">{i18n.t(Msg::DisclosureReport)}" — "{r.alias.clone()}</h1>
                        <p class="muted">{i18n.t(Msg::DisclosureIntro)}" "{r.generated_at.format("%Y-%m-%d %H:%M UTC").to_string()}</p>
                        <button type="button" class="link no-print" on:click=move |_| { let _ = window().print(); }>{i18n.t(Msg::Print)}</button>
                        <ol class="plain disclosures">
                            {r.disclosures.into_iter().map(|d| {
                                let categories = d.data_categories.clone();
                                view! {
                                    <li class="result">
                                        <dl class="facts small">
                                            <dt>{i18n.t(Msg::When)}</dt><dd>{d.occurred_at.format("%Y-%m-%d %H:%M:%S UTC").to_string()}</dd>
                                            <dt>{i18n.t(Msg::Who)}</dt><dd>{format!("{} — {}", d.actor_name, d.organization.name)}</dd>
                                            <dt>{i18n.t(Msg::WhatDone)}</dt><dd><code>{d.action.code()}</code></dd>
                                            <dt>{i18n.t(Msg::Why)}</dt><dd><code>{d.purpose.code()}</code></dd>
                                            <Show when={let empty = categories.is_empty(); move || !empty}>
                                                <dt>{i18n.t(Msg::WhichInformation)}</dt>
                                                <dd>{let categories = categories.clone(); move || categories.iter().map(|c| labels::category(*c).text(lang())).collect::<Vec<_>>().join(", ")}</dd>
                                            </Show>
                                        </dl>
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
