//! The main navigation: the directory and the partnership's groups for everyone,
//! participants and case conferences for frontline staff (never coordinators or system
//! admins), the dashboard for coordinators and system admins and the category tree and
//! regions they curate, "my organization" for admins.
//! Links replace the history entry: Harbour keeps one, which quick exit replaces.

use harbour_types::Role;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

/// Opens another screen in place of this one: Harbour keeps one history entry, which
/// quick exit replaces.
pub fn use_go() -> impl Fn(&str) + Clone {
    let navigate = use_navigate();
    move |path: &str| navigate(path, NavigateOptions { replace: true, ..Default::default() })
}

#[component]
fn NavLink(path: &'static str, label: Msg, #[prop(optional, into)] waiting: Option<Signal<u64>>) -> impl IntoView {
    let i18n = use_i18n();
    let go = use_go();
    let location = use_location();
    let current = move || location.pathname.get() == path;
    let waiting = move || waiting.map(|w| w.get()).filter(|n| *n > 0);
    view! {
        <button type="button" class="nav-link" aria-current=move || current().then_some("page")
            on:click=move |_| go(path)>
            {i18n.t(label)}
            {move || waiting().map(|n| view! {
                " "<span class="count" data-testid="waiting-count">{n}<span class="visually-hidden">" "{i18n.t(Msg::Waiting)}</span></span>
            })}
        </button>
    }
}

/// Referrals that wait for the caller's organization — unopened, or overdue either way —
/// read again on every change of screen: the in-app reminder.
fn waiting_referrals() -> Signal<u64> {
    let session = use_session();
    let location = use_location();
    let counts = LocalResource::new(move || {
        location.pathname.track();
        let token = session.token();
        async move { crate::client::referral_counts(token.as_deref()).await.ok() }
    });
    Signal::derive(move || counts.get().flatten().map_or(0, |c| c.unopened + c.overdue_received + c.overdue_sent))
}

/// The navigation bar, shown when signed in, under the name of the organization the user works for.
#[component]
pub fn Nav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let admin = move || session.has_any_role(&[Role::AgencyAdmin, Role::SystemAdmin]);
    let frontline = move || session.has_any_role(&[Role::OutreachWorker, Role::IntakeWorker, Role::AgencyAdmin]);
    let coordinator = move || session.has_any_role(&[Role::Coordinator, Role::SystemAdmin]);
    let organization = move || session.organization().map(|o| o.name);
    view! {
        <p class="nav-organization" data-testid="organization-name">{organization}</p>
        <nav class="nav" aria-label=i18n.t(Msg::MainNavigation)>
            <NavLink path="/" label=Msg::Directory/>
            <Show when=frontline><NavLink path="/referrals" label=Msg::Referrals waiting=waiting_referrals()/></Show>
            <Show when=frontline><NavLink path="/participants" label=Msg::Participants/></Show>
            <Show when=frontline><NavLink path="/conferences" label=Msg::Conferences/></Show>
            <NavLink path="/groups" label=Msg::Groups/>
            <Show when=coordinator><NavLink path="/dashboard" label=Msg::Dashboard/></Show>
            <Show when=coordinator><NavLink path="/categories" label=Msg::Categories/></Show>
            <Show when=admin><NavLink path="/my-organization" label=Msg::MyOrganization/></Show>
        </nav>
    }
}
