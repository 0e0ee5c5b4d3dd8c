//! The quick-exit control: on every screen, first in the tab order, and Esc pressed
//! twice within a second does the same.

use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

/// Two Esc presses this close together leave the site.
const DOUBLE_ESC_MS: f64 = 1000.0;

/// The quick-exit button, and the Esc-twice shortcut while it is on screen.
#[component]
pub fn QuickExit() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let last_esc = StoredValue::new(f64::NEG_INFINITY);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() == "Escape" {
            let now = js_sys_now();
            if now - last_esc.get_value() <= DOUBLE_ESC_MS {
                session.quick_exit();
            }
            last_esc.set_value(now);
        }
    });
    on_cleanup(move || handle.remove());
    view! {
        <button type="button" class="quick-exit" title=i18n.t(Msg::QuickExitHint) aria-label=i18n.t(Msg::QuickExitHint)
            on:click=move |_| session.quick_exit()>
            {i18n.t(Msg::QuickExit)}
        </button>
    }
}

fn js_sys_now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}
