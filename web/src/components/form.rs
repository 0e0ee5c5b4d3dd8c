//! What the forms share: reading an optional field, saying why a save failed, and the
//! save button with its error line.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{problem_message, use_i18n, Msg};

/// A field's text, trimmed; none when empty.
pub fn optional(value: String) -> Option<String> {
    let value = value.trim().to_owned();
    (!value.is_empty()).then_some(value)
}

/// Why a save failed: someone else saved first (412: the version read is no longer
/// current), or the problem's own message.
pub fn save_failure(error: &ApiError) -> Msg {
    if error.status == 412 {
        Msg::ChangedSinceOpened
    } else {
        problem_message(error.code)
    }
}

/// The error line (read by screen readers as it changes) and the submit button.
#[component]
pub fn SaveButton(error: RwSignal<Option<Msg>>, busy: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="error" role="alert" aria-live="assertive">{move || error.get().map(|m| m.text(i18n.0.get()))}</p>
        <button type="submit" class="primary" disabled=move || busy.get()>
            {move || if busy.get() { i18n.t(Msg::Saving)() } else { i18n.t(Msg::Save)() }}
        </button>
    }
}
