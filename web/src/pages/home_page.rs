//! The home screen after sign-in: who you are and for which organization.

use harbour_types::Role;
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};
use crate::session::{use_session, SessionState};

fn role_message(role: Role) -> Msg {
    match role {
        Role::OutreachWorker => Msg::RoleOutreachWorker,
        Role::IntakeWorker => Msg::RoleIntakeWorker,
        Role::AgencyAdmin => Msg::RoleAgencyAdmin,
        Role::Coordinator => Msg::RoleCoordinator,
        Role::SystemAdmin => Msg::RoleSystemAdmin,
    }
}

/// The home screen.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = move || match session.state.get() {
        SessionState::SignedIn { me, .. } => Some(me),
        _ => None,
    };
    view! {
        <section class="card" aria-labelledby="home-title">
            <h1 id="home-title">{i18n.t(Msg::Welcome)}</h1>
            {move || me().map(|me| {
                let lang = i18n.0.get();
                let roles = me.roles.iter().map(|r| role_message(*r).text(lang)).collect::<Vec<_>>().join(", ");
                view! {
                    <dl class="facts">
                        <dt>{i18n.t(Msg::SignedInAs)}</dt><dd>{me.display_name.clone()}</dd>
                        <dt>{i18n.t(Msg::Organization)}</dt><dd>{me.organization.name.clone()}</dd>
                        <dt>{i18n.t(Msg::Roles)}</dt><dd>{roles}</dd>
                    </dl>
                }
            })}
            <p class="muted">{i18n.t(Msg::ComingNext)}</p>
        </section>
    }
}
