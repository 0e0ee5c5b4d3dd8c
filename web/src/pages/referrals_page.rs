//! The referrals inbox: received and sent, overdue first (the server's order), with
//! urgency and status at a glance. Lists carry no participant details.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::participants::labels;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

/// The inbox screen.
#[component]
pub fn ReferralsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let received = RwSignal::new(true);
    let list = LocalResource::new(move || {
        let (received, token) = (received.get(), session.token());
        async move { client::referrals(token.as_deref(), received).await }
    });
    view! {
        <section aria-labelledby="referrals-title">
            <h1 id="referrals-title">{i18n.t(Msg::Referrals)}</h1>
            <div class="segmented" role="group" aria-label=i18n.t(Msg::Referrals)>
                <button type="button" class="chip" aria-pressed=move || received.get().to_string() on:click=move |_| received.set(true)>{i18n.t(Msg::Received)}</button>
                <button type="button" class="chip" aria-pressed=move || (!received.get()).to_string() on:click=move |_| received.set(false)>{i18n.t(Msg::Sent)}</button>
            </div>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || list.get().map(|outcome| match outcome {
                    Ok(page) if page.contents.is_empty() => view! { <p class="muted" role="status">{i18n.t(Msg::NoReferrals)}</p> }.into_any(),
                    Ok(page) => {
                        let navigate = navigate.clone();
                        view! {
                            <ul class="results">
                                {page.contents.into_iter().map(|r| {
                                    let navigate = navigate.clone();
                                    let path = format!("/referrals/{}", r.id);
                                    let (status, class) = labels::referral_status(r.status);
                                    let other = if received.get_untracked() { r.from_organization.name.clone() } else { r.to_organization.name.clone() };
                                    view! {
                                        <li class="result">
                                            <button type="button" class="result-main" on:click=move |_| navigate(&path, NavigateOptions { replace: true, ..Default::default() })>
                                                <span class="result-name">{r.service_name.clone()}</span>
                                                <span class="small muted">{other}</span>
                                            </button>
                                            <div class="badges">
                                                {r.overdue.then(|| view! { <span class="badge badge-closed">{i18n.t(Msg::Overdue)}</span> })}
                                                <span class="badge">{i18n.t(labels::urgency(r.urgency))}</span>
                                                <span class=class>{i18n.t(status)}</span>
                                            </div>
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
