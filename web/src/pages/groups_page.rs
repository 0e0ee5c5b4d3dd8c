//! The partnership's groups, by kind: the core group, working groups, regional groups,
//! cultural advisories and the survivor advisory, each with how many belong where the
//! caller may see who does.

use harbour_types::{Group, GroupKind};
use leptos::prelude::*;

use crate::client;
use crate::components::groups::{kind_words, name_of};
use crate::components::nav::use_go;
use crate::i18n::{messages, problem_message, use_i18n, Msg};
use crate::session::use_session;

messages! { Local {
    Title => "Partnership groups", "Groupes du partenariat";
    Intro => "Where partners meet, share and decide: we never identify a survivor or discuss their story at these meetings.", "Là où les partenaires se rencontrent, partagent et décident : nous n'identifions jamais une survivante ou un survivant et ne discutons jamais de son histoire à ces rencontres.";
    Members => "members", "membres";
    Private => "Membership private", "Membres confidentiels";
}}

/// A group in the list, opening it: its region, and how many belong where the caller may
/// see who does.
#[component]
fn GroupCard(group: Group) -> impl IntoView {
    let (i18n, go) = (use_i18n(), use_go());
    let path = format!("/groups/{}", group.id);
    let (shown, count, region) = (group.members_shown, group.members.len(), group.region.clone());
    view! {
        <li class="card">
            <button type="button" class="link" on:click=move |_| go(&path)>{move || name_of(&group, i18n.0.get()).to_owned()}</button>
            <p class="small muted">
                {region.map(|r| view! { {move || i18n.0.get().pick(&r.name, &r.name_fr).to_owned()}" · " })}
                {if shown { view! { {count}" "{i18n.t(Local::Members)} }.into_any() } else { view! { {i18n.t(Local::Private)} }.into_any() }}
            </p>
        </li>
    }
}

/// The groups screen.
#[component]
pub fn GroupsPage() -> impl IntoView {
    let (i18n, session) = (use_i18n(), use_session());
    let groups = LocalResource::new(move || {
        let token = session.token();
        async move { client::groups(token.as_deref()).await }
    });
    view! {
        <section aria-labelledby="groups-title">
            <h1 id="groups-title">{i18n.t(Local::Title)}</h1>
            <p class="small muted">{i18n.t(Local::Intro)}</p>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || groups.get().map(|outcome| match outcome {
                    Ok(list) => GroupKind::ALL.iter().map(|kind| {
                        let of_kind: Vec<Group> = list.iter().filter(|g| g.kind == *kind).cloned().collect();
                        (!of_kind.is_empty()).then(|| view! {
                            <h2>{i18n.t(kind_words(*kind))}</h2>
                            <ul class="results">{of_kind.into_iter().map(|g| view! { <GroupCard group=g/> }).collect_view()}</ul>
                        })
                    }).collect_view().into_any(),
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
