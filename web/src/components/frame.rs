//! The frame around every screen: the quick exit, the partnership's name, the language
//! switch, and sign-out when signed in. One line at 360 px whether signed in or not: the
//! bar grew a second line (the organization's name) when a restored session settled, and
//! moved the whole screen down as it showed (layout shift 0.087 in Lighthouse). The
//! organization's name is above the navigation (`nav::Nav`), which comes with the session.

use leptos::prelude::*;

use crate::components::quick_exit::QuickExit;
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

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
    view! {
        <header class="frame-header">
            <QuickExit/>
            <div class="frame-bar">
                <span class="brand">{i18n.t(Msg::AppName)}</span>
                <div class="frame-actions">
                    <LanguageSwitch/>
                    <Show when=move || session.organization().is_some()>
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
