//! One of the partnership's groups: what it does, its region, and who belongs — where
//! the caller may see it (a private group's members only to its members and the
//! coordinators). Coordinators and co-chairs add organizations and remove members;
//! coordinators name co-chairs; an agency admin takes their own organization out.

use harbour_types::{CoChairInput, Group, GroupMember, MemberInput, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::client;
use crate::components::form::{SaveLine, SaveStatus};
use crate::components::groups::{kind_words, name_of};
use crate::components::nav::use_go;
use crate::i18n::{messages, problem_message, use_i18n, Msg};
use crate::session::use_session;

messages! { Local {
    Back => "Partnership groups", "Groupes du partenariat";
    Members => "Members", "Membres";
    NoMembers => "No member yet.", "Aucun membre pour l'instant.";
    Private => "Who belongs is shared only with its members and the partnership's coordinators.", "Les membres ne sont connus que des autres membres et des coordonnatrices et coordonnateurs du partenariat.";
    CoChair => "Co-chair", "Coprésidence";
    MakeCoChair => "Make co-chair", "Nommer à la coprésidence";
    NotCoChair => "No longer co-chair", "Retirer de la coprésidence";
    Remove => "Remove", "Retirer";
    AddOrganization => "Add an organization", "Ajouter un organisme";
    Organization => "Organization", "Organisme";
    Add => "Add", "Ajouter";
}}

/// The group screen.
#[component]
pub fn GroupPage() -> impl IntoView {
    let (i18n, session, go) = (use_i18n(), use_session(), use_go());
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let saves = SaveLine::default();
    let group = LocalResource::new(move || {
        saves.reload.track();
        let (id, token) = (id.get(), session.token());
        async move { client::group(token.as_deref(), &id).await }
    });
    view! {
        <section aria-labelledby="group-title">
            <button type="button" class="link-back" on:click=move |_| go("/groups")>"← "{i18n.t(Local::Back)}</button>
            <SaveStatus line=saves/>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || group.get().map(|outcome| match outcome {
                    Ok(g) => view! { <Details group=g saves=saves/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Details(group: Group, saves: SaveLine) -> impl IntoView {
    let i18n = use_i18n();
    let (g, manages) = (group.clone(), group.may_manage_members);
    let description = move || i18n.0.get().pick(&g.description, &g.description_fr).to_owned();
    let region = group.region.clone();
    let members = group.members.clone();
    let empty = members.is_empty();
    view! {
        <article class="card">
            <h1 id="group-title">{let g = group.clone(); move || name_of(&g, i18n.0.get()).to_owned()}</h1>
            <p class="small muted">
                {i18n.t(kind_words(group.kind))}
                {region.map(|r| view! { " · "{move || i18n.0.get().pick(&r.name, &r.name_fr).to_owned()} })}
            </p>
            <p>{description}</p>
        </article>
        <h2>{i18n.t(Local::Members)}</h2>
        {if !group.members_shown {
            view! { <p class="notice">{i18n.t(Local::Private)}</p> }.into_any()
        } else if empty {
            view! { <p class="muted">{i18n.t(Local::NoMembers)}</p> }.into_any()
        } else {
            view! {
                <ul class="results">
                    {members.into_iter().map(|m| view! { <Member group_id=group.id.clone() member=m manages=manages saves=saves/> }).collect_view()}
                </ul>
            }.into_any()
        }}
        {manages.then(|| view! { <AddOrganization group_id=group.id.clone() saves=saves/> })}
    }
}

/// One member: the organization, or the person and their organization; whether they
/// co-chair; and what the caller may do about them.
#[component]
fn Member(group_id: String, member: GroupMember, manages: bool, saves: SaveLine) -> impl IntoView {
    let (i18n, session) = (use_i18n(), use_session());
    let coordinator = session.has_any_role(&[Role::Coordinator, Role::SystemAdmin]);
    let own_admin = session.has_any_role(&[Role::AgencyAdmin]) && session.organization().is_some_and(|o| o.id == member.organization.id);
    let name = match &member.person {
        Some(person) => format!("{} ({})", person.name, member.organization.name),
        None => member.organization.name.clone(),
    };
    let co_chair = member.co_chair;
    let (remove_group, remove_member) = (group_id.clone(), member.id.clone());
    let remove = move |_| {
        let (token, group, member) = (session.token(), remove_group.clone(), remove_member.clone());
        spawn_local(async move { saves.after(client::remove_group_member(token.as_deref(), &group, &member).await) });
    };
    let member_id = member.id.clone();
    let toggle = move |_| {
        let (token, group, member) = (session.token(), group_id.clone(), member_id.clone());
        spawn_local(async move { saves.after(client::set_co_chair(token.as_deref(), &group, &member, &CoChairInput { co_chair: !co_chair }).await) });
    };
    let label = name.clone();
    view! {
        <li class="card">
            <p>{name}</p>
            {co_chair.then(|| view! { <span class="badge">{i18n.t(Local::CoChair)}</span> })}
            <div class="actions">
                {coordinator.then(|| view! {
                    <button type="button" class="link" on:click=toggle>{i18n.t(if co_chair { Local::NotCoChair } else { Local::MakeCoChair })}</button>
                })}
                {(manages || own_admin).then(|| view! {
                    <button type="button" class="link" aria-label=move || format!("{} — {label}", Local::Remove.text(i18n.0.get())) on:click=remove>{i18n.t(Local::Remove)}</button>
                })}
            </div>
        </li>
    }
}

/// A coordinator's or co-chair's form to add an organization.
#[component]
fn AddOrganization(group_id: String, saves: SaveLine) -> impl IntoView {
    let (i18n, session) = (use_i18n(), use_session());
    let chosen = RwSignal::new(String::new());
    let organizations = LocalResource::new(move || {
        let token = session.token();
        async move { client::organizations(token.as_deref()).await.map(|p| p.contents).unwrap_or_default() }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let organization = chosen.get_untracked();
        if organization.is_empty() {
            return;
        }
        let (token, group) = (session.token(), group_id.clone());
        let body = MemberInput { organization_id: Some(organization), user_id: None, co_chair: false };
        spawn_local(async move { saves.after(client::add_group_member(token.as_deref(), &group, &body).await) });
    };
    view! {
        <form class="card" on:submit=add>
            <h2>{i18n.t(Local::AddOrganization)}</h2>
            <label for="member-organization">{i18n.t(Local::Organization)}</label>
            <select id="member-organization" on:change=move |ev| chosen.set(event_target_value(&ev))>
                <option value="">"—"</option>
                {move || organizations.get().map(|list| list.into_iter().map(|o| view! { <option value=o.id>{o.name}</option> }).collect_view())}
            </select>
            <button type="submit" class="primary">{i18n.t(Local::Add)}</button>
        </form>
    }
}
