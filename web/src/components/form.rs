//! What the forms share: reading an optional field, saying why a save failed, the save
//! button with its error line, the line of a screen of small saves, and a list of
//! checkboxes (categories, attributes).

use leptos::prelude::*;

use crate::api::ApiError;
use harbour_types::TaxonomyTerm;

use crate::i18n::{problem_message, use_i18n, Lang, Msg};

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

crate::i18n::messages! { Words {
    Saved => "Saved.", "Enregistré.";
}}

/// What a screen of many small saves (a plan's goals and steps, a conference's action
/// items) shares: the line saying the last save went through or why it failed, and the
/// counter whose change reloads what the screen shows.
#[derive(Clone, Copy)]
pub struct SaveLine {
    said: RwSignal<Option<Result<(), Msg>>>,
    /// Tracked by the screen's resources; a save moves it on.
    pub reload: RwSignal<u32>,
}

impl Default for SaveLine {
    fn default() -> Self {
        SaveLine { said: RwSignal::new(None), reload: RwSignal::new(0) }
    }
}

impl SaveLine {
    /// After a save: reloads what the screen shows, or says why it failed.
    pub fn after<T>(self, outcome: Result<T, ApiError>) {
        match outcome {
            Ok(_) => {
                self.said.set(Some(Ok(())));
                self.reload.update(|g| *g += 1);
            }
            Err(e) => self.said.set(Some(Err(save_failure(&e)))),
        }
    }

    /// Says why something other than a save failed.
    pub fn failed(self, why: Msg) {
        self.said.set(Some(Err(why)));
    }
}

/// The line of a [`SaveLine`], read by screen readers as it changes.
#[component]
pub fn SaveStatus(line: SaveLine) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class=move || if matches!(line.said.get(), Some(Err(_))) { "error" } else { "notice" } role="status" aria-live="polite">
            {move || line.said.get().map(|said| match said {
                Ok(()) => Words::Saved.text(i18n.0.get()),
                Err(why) => why.text(i18n.0.get()),
            })}
        </p>
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

/// A list of checkboxes for choosing several of `choices` (value, label).
#[component]
pub fn CheckList(id: &'static str, legend: Msg, choices: Signal<Vec<(String, String)>>, chosen: RwSignal<Vec<String>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="group">
            <legend>{i18n.t(legend)}</legend>
            <For each=move || choices.get() key=|(value, label)| (value.clone(), label.clone()) let((value, label))>
                {
                    let input_id = format!("{id}-{value}");
                    let (checked, toggled) = (value.clone(), value.clone());
                    view! {
                        <label class="check" for=input_id.clone()>
                            <input id=input_id.clone() type="checkbox" prop:checked=move || chosen.with(|c| c.contains(&checked))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|c| {
                                        c.retain(|v| *v != toggled);
                                        if on {
                                            c.push(toggled.clone());
                                        }
                                    });
                                }/>
                            {label}
                        </label>
                    }
                }
            </For>
        </fieldset>
    }
}

/// Categories as a check list offers them (id, name in `lang`), a child marked under its parent.
pub fn term_labels(terms: Vec<TaxonomyTerm>, lang: Lang) -> Vec<(String, String)> {
    terms
        .into_iter()
        .map(|t| {
            let name = if lang == Lang::Fr { t.name_fr } else { t.name };
            (t.id, if t.parent_id.is_some() { format!("— {name}") } else { name })
        })
        .collect()
}
