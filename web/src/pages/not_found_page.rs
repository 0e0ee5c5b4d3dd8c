//! A client route that does not exist.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::i18n::{use_i18n, Msg};

/// The not-found screen.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    view! {
        <section class="card">
            <h1>{i18n.t(Msg::NotFound)}</h1>
            // Replace, not push: Harbour keeps one history entry, which quick exit replaces.
            <button type="button" class="primary" on:click=move |_| navigate("/", NavigateOptions { replace: true, ..Default::default() })>
                {i18n.t(Msg::GoHome)}
            </button>
        </section>
    }
}
