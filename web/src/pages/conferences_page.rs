//! The case conferences the caller's organization convened or is invited to: the ones
//! coming up, soonest first, then the others, newest first. An invited organization sees
//! a conference only while the participant's consent names it.

use harbour_types::{ConferenceStatus, ConferenceSummary};
use leptos::prelude::*;

use crate::client;
use crate::components::conferences::ConferenceItem;
use crate::i18n::{messages, problem_message, use_i18n, Msg};
use crate::session::use_session;

messages! { Local {
    Title => "Case conferences", "Conférences de cas";
    Intro => "The tables your organization convened or was invited to.", "Les tables que votre organisme a convoquées ou auxquelles il est invité.";
    ComingUp => "Coming up", "À venir";
    Others => "Held, past or called off", "Tenues, passées ou annulées";
    NoConferences => "No case conference.", "Aucune conférence de cas.";
}}

/// The conferences, coming up (soonest first) and the others (newest first).
fn split(list: Vec<ConferenceSummary>) -> (Vec<ConferenceSummary>, Vec<ConferenceSummary>) {
    let now = chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default();
    let (mut coming, others): (Vec<_>, Vec<_>) = list.into_iter().partition(|c| c.status == ConferenceStatus::Scheduled && c.starts_at >= now);
    coming.reverse();
    (coming, others)
}

/// The conferences screen.
#[component]
pub fn ConferencesPage() -> impl IntoView {
    let (i18n, session) = (use_i18n(), use_session());
    let conferences = LocalResource::new(move || {
        let token = session.token();
        async move { client::conferences(token.as_deref()).await }
    });
    let section = move |heading: Local, list: Vec<ConferenceSummary>| {
        (!list.is_empty()).then(|| view! {
            <h2>{i18n.t(heading)}</h2>
            <ul class="results">{list.into_iter().map(|c| view! { <ConferenceItem conference=c with_alias=true/> }).collect_view()}</ul>
        })
    };
    view! {
        <section aria-labelledby="conferences-title">
            <h1 id="conferences-title">{i18n.t(Local::Title)}</h1>
            <p class="small muted">{i18n.t(Local::Intro)}</p>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || conferences.get().map(|outcome| match outcome {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{i18n.t(Local::NoConferences)}</p> }.into_any(),
                    Ok(list) => {
                        let (coming, others) = split(list);
                        view! { {section(Local::ComingUp, coming)} {section(Local::Others, others)} }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
