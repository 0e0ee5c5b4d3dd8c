//! A partner organization's profile in the directory: what it does, how to reach it,
//! and the partnership's groups it takes part in — its strengths and involvement, for
//! the asset map (a private group's only to those who may see who belongs to it).

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::client;
use crate::components::groups::name_of_membership;
use crate::components::nav::use_go;
use crate::i18n::{messages, use_i18n, Msg};
use crate::session::use_session;

messages! { Local {
    Groups => "Takes part in", "Participe à";
    NoGroups => "No partnership group yet.", "Aucun groupe du partenariat pour l'instant.";
    CoChairs => "co-chair", "coprésidence";
    NotFound => "This organization could not be found.", "Cet organisme est introuvable.";
    Website => "Website", "Site Web";
}}

/// The organization screen.
#[component]
pub fn OrganizationPage() -> impl IntoView {
    let (i18n, session, go) = (use_i18n(), use_session(), use_go());
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let profile = LocalResource::new(move || {
        let (id, token) = (id.get(), session.token());
        async move {
            let organization = client::organization(token.as_deref(), &id).await?;
            let memberships = client::memberships(token.as_deref(), &id).await.unwrap_or_default();
            Ok::<_, crate::api::ApiError>((organization, memberships))
        }
    });
    view! {
        <section aria-labelledby="organization-title">
            <button type="button" class="link-back" on:click=move |_| go("/")>"← "{i18n.t(Msg::Directory)}</button>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || profile.get().map(|outcome| match outcome {
                    Ok((organization, memberships)) => view! {
                        <article class="card">
                            <h1 id="organization-title">{organization.name.clone()}</h1>
                            <p>{organization.description.clone()}</p>
                            <dl class="facts">
                                {organization.phone.clone().map(|p| view! { <dt>{i18n.t(Msg::Call)}</dt><dd><a href=format!("tel:{p}")>{p.clone()}</a></dd> })}
                                {organization.website.clone().map(|w| view! { <dt>{i18n.t(Local::Website)}</dt><dd><a href=w.clone() rel="noreferrer" target="_blank">{w.clone()}</a></dd> })}
                            </dl>
                        </article>
                        <h2>{i18n.t(Local::Groups)}</h2>
                        {memberships.is_empty().then(|| view! { <p class="muted">{i18n.t(Local::NoGroups)}</p> })}
                        <ul class="plain">
                            {memberships.into_iter().map(|m| {
                                let path = format!("/groups/{}", m.group_id);
                                let go = use_go();
                                let co_chair = m.co_chair;
                                view! {
                                    <li>
                                        <button type="button" class="link" on:click=move |_| go(&path)>{let m = m.clone(); move || name_of_membership(&m, i18n.0.get()).to_owned()}</button>
                                        {co_chair.then(|| view! { " ("{i18n.t(Local::CoChairs)}")" })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(_) => view! {
                        <h1 id="organization-title" class="error" role="alert">{i18n.t(Local::NotFound)}</h1>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}
