//! The frame around every screen: the quick exit, the partnership's and the user's
//! organization's names, the language switch, and sign-out when signed in.

use leptos::prelude::*;

use crate::components::quick_exit::QuickExit;
use crate::i18n::{use_i18n, Msg};
use crate::session::{use_session, SessionState};

/// The language switch: names the other language in that language.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || i18n.0.get().other();
    view! {
        <button type="button" class="link-button" lang=move || other().tag()
            aria-label=i18n.t(Msg::SwitchLanguageLabel)
            on:click=move |_| i18n.0.update(|l| *l = l.other())>
            {i18n.t(Msg::SwitchLanguage)}
        </button>
    }
}

/// The frame, with the screen as its children.
#[component]
pub fn Frame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let organization = move || match session.state.get() {
        SessionState::SignedIn { me, .. } => Some(me.organization.name),
        _ => None,
    };
    view! {
        <header class="frame-header">
            <QuickExit/>
            <div class="frame-bar">
                <span class="brand">{i18n.t(Msg::AppName)}</span>
                <span class="frame-org" data-testid="frame-organization">{organization}</span>
                <div class="frame-actions">
                    <LanguageSwitch/>
                    <Show when=move || organization().is_some()>
                        <button type="button" class="link-button" on:click=move |_| session.sign_out()>
                            {i18n.t(Msg::SignOut)}
                        </button>
                    </Show>
                </div>
            </div>
        </header>
        <main id="main" class="frame-main" tabindex="-1">{children()}</main>
    }
}
