//! A participant's case conferences: the ones the caller may see, and, for the
//! organization that recorded the participant, the form that convenes one with the
//! organizations their consent names for case conferences. Nothing is kept on the device.

use leptos::prelude::*;

use crate::client;
use crate::components::conferences::{invitable, ConferenceForm, ConferenceItem};
use crate::components::nav::use_go;
use crate::components::participants::route_participant;
use crate::i18n::{messages, problem_message, use_i18n, Msg};
use crate::session::use_session;

messages! { Local {
    Title => "Case conferences", "Conférences de cas";
    Intro => "Partners at one table with the participant's consent: they lead, in person or through what they want said.", "Les partenaires à une même table, avec le consentement de la personne : elle mène, en personne ou par ce qu'elle veut qu'on dise.";
    NoConferences => "No case conference yet.", "Aucune conférence de cas pour l'instant.";
    Convene => "Convene a case conference", "Convoquer une conférence de cas";
}}

/// The participant's conferences screen.
#[component]
pub fn ParticipantConferencesPage() -> impl IntoView {
    let (i18n, session, go) = (use_i18n(), use_session(), use_go());
    let (id, participant) = route_participant();
    let reload = RwSignal::new(0u32);
    let conferences = LocalResource::new(move || {
        reload.track();
        let (id, token) = (id.get(), session.token());
        async move { client::participant_conferences(token.as_deref(), &id).await }
    });
    let owner = Signal::derive(move || participant.get().and_then(|p| p.ok()).is_some_and(|p| p.access.owner));
    // None until known for the owner: the form is made once, with the organizations it
    // offers, not first with none and then again (which lost what had been typed).
    let named = LocalResource::new(move || {
        let (id, token, owner, own) = (id.get(), session.token(), owner.get(), session.organization().map(|o| o.id));
        async move {
            if !owner {
                return None;
            }
            Some(invitable(token.as_deref(), &id, own.as_deref()).await)
        }
    });
    let back = {
        let go = go.clone();
        move |_| go(&format!("/participants/{}", id.get()))
    };
    let saved = Callback::new(move |conference: harbour_types::Conference| go(&format!("/conferences/{}", conference.id)));
    view! {
        <section aria-labelledby="conferences-title">
            <button type="button" class="link-back" on:click=back>"← "{move || participant.get().and_then(|p| p.ok()).map(|p| p.alias).unwrap_or_default()}</button>
            <h1 id="conferences-title">{i18n.t(Local::Title)}</h1>
            <p class="small muted">{i18n.t(Local::Intro)}</p>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || conferences.get().map(|outcome| match outcome {
                    Ok(list) if list.is_empty() => view! { <p class="muted">{i18n.t(Local::NoConferences)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="results">{list.into_iter().map(|c| view! { <ConferenceItem conference=c/> }).collect_view()}</ul>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
            <Show when=move || owner.get()>
                <h2>{i18n.t(Local::Convene)}</h2>
                {move || named.get().flatten().map(|named| view! { <ConferenceForm participant_id=id.get_untracked() existing=None named=named saved=saved/> })}
            </Show>
        </section>
    }
}
