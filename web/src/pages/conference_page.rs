//! One case conference: when and where, who is invited and came, the participant's own
//! voice, the agenda with its notes and decisions, and the action items tracked to done.
//! The convener changes all of it; an invited organization marks its own action items
//! done. The calendar event can be handed to the phone's calendar: it carries no
//! participant datum. Nothing is kept on the device.

use harbour_types::{ActionInput, ActionItem, ActionStatus, Colleague, Conference, OrganizationRef};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::client;
use crate::components::conferences::{action_status, attendance, conference_status, invitable, presence, when, ConferenceForm};
use crate::components::form::{SaveLine, SaveStatus};
use crate::components::nav::use_go;
use crate::i18n::{messages, problem_message, use_i18n, I18n, Msg};
use crate::session::use_session;

messages! { Local {
    Back => "Case conferences", "Conférences de cas";
    Title => "Case conference", "Conférence de cas";
    Convener => "Convened by", "Convoquée par";
    PrimaryContact => "Primary contact", "Personne-ressource principale";
    Minutes => "minutes", "minutes";
    AddToCalendar => "Add to my calendar", "Ajouter à mon agenda";
    Invited => "At the table", "À la table";
    Voice => "Their own voice", "Leur propre voix";
    NothingSaid => "Nothing written yet.", "Rien d'écrit pour l'instant.";
    Agenda => "Agenda", "Ordre du jour";
    NoAgenda => "No agenda yet.", "Pas encore d'ordre du jour.";
    Decided => "Decided", "Décidé";
    Actions => "Action items", "Actions";
    NoActions => "No action items yet.", "Aucune action pour l'instant.";
    DueOn => "By", "D'ici le";
    ActionStatus => "Where the action item stands", "Où en est l'action";
    NewAction => "New action item", "Nouvelle action";
    ActionWords => "What is to be done", "Ce qu'il faut faire";
    Owner => "Who takes it", "Qui s'en charge";
    AddAction => "Add the action item", "Ajouter l'action";
    Change => "Change the conference", "Modifier la conférence";
}}

/// What the screen shares with its parts.
#[derive(Clone, Copy)]
struct Ctx {
    i18n: I18n,
    id: Memo<String>,
    saves: SaveLine,
}

/// The action item as its form would send it again, with another status.
fn action_with(action: &ActionItem, status: ActionStatus) -> ActionInput {
    ActionInput {
        description: action.description.clone(),
        organization_id: action.organization.id.clone(),
        user_id: action.user.as_ref().map(|u| u.id.clone()),
        due_on: action.due_on,
        status: Some(status),
    }
}

/// The conference screen.
#[component]
pub fn ConferencePage() -> impl IntoView {
    let (i18n, session, go) = (use_i18n(), use_session(), use_go());
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let saves = SaveLine::default();
    let conference = LocalResource::new(move || {
        saves.reload.track();
        let (id, token) = (id.get(), session.token());
        async move { client::conference(token.as_deref(), &id).await }
    });
    let ctx = Ctx { i18n, id, saves };
    view! {
        <section aria-labelledby="conference-title">
            <button type="button" class="link-back" on:click=move |_| go("/conferences")>"← "{i18n.t(Local::Back)}</button>
            <SaveStatus line=ctx.saves/>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || conference.get().map(|outcome| match outcome {
                    Ok(c) => view! { <Details ctx=ctx conference=c/> }.into_any(),
                    Err(e) => view! {
                        <h1 id="conference-title">{i18n.t(Local::Title)}</h1>
                        <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

/// The conference as the caller may see it.
#[component]
fn Details(ctx: Ctx, conference: Conference) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let c = conference.clone();
    let own = session.organization().map(|o| o.id).unwrap_or_default();
    let convener = c.convened_by_caller;
    let add_to_calendar = move |_| {
        let (token, id) = (session.token(), ctx.id.get_untracked());
        spawn_local(async move {
            if let Err(e) = client::download_conference_calendar(token.as_deref(), &id).await {
                ctx.saves.failed(problem_message(e.code));
            }
        });
    };
    let (at, status, voice) = (c.starts_at, c.status, c.voice.clone());
    let mut at_table: Vec<OrganizationRef> = vec![c.convener.clone()];
    at_table.extend(c.invited.iter().map(|i| i.organization.clone()));
    view! {
        <article class="card">
            <h1 id="conference-title">{i18n.t(Local::Title)}" — "{c.participant_alias.clone()}</h1>
            <p>{move || when(at, i18n.0.get())}" · "{c.minutes}" "{i18n.t(Local::Minutes)}" · "{i18n.t(conference_status(status))}</p>
            {c.place.clone().map(|p| view! { <p>{p}</p> })}
            {c.link.clone().map(|l| view! { <p class="small"><a href=l.clone() rel="noopener noreferrer" target="_blank">{l.clone()}</a></p> })}
            <dl>
                <dt>{i18n.t(Local::Convener)}</dt><dd>{c.convener.name.clone()}</dd>
                {c.primary_contact.clone().map(|p| view! { <dt>{i18n.t(Local::PrimaryContact)}</dt><dd>{p.name}</dd> })}
            </dl>
            <button type="button" class="link" on:click=add_to_calendar>{i18n.t(Local::AddToCalendar)}</button>
        </article>
        <h2>{i18n.t(Local::Invited)}</h2>
        <ul class="plain">
            {c.invited.iter().map(|inv| {
                let a = inv.attendance;
                view! { <li>{inv.organization.name.clone()}" · "{i18n.t(attendance(a))}</li> }
            }).collect_view()}
        </ul>
        <h2>{i18n.t(Local::Voice)}</h2>
        <p>{i18n.t(presence(voice.presence))}</p>
        <p>{voice.wants_said.clone().unwrap_or_else(|| Local::NothingSaid.text(i18n.0.get_untracked()).to_owned())}</p>
        <h2>{i18n.t(Local::Agenda)}</h2>
        {c.agenda.is_empty().then(|| view! { <p class="muted">{i18n.t(Local::NoAgenda)}</p> })}
        <ol class="agenda">
            {c.agenda.iter().map(|item| view! {
                <li>
                    <h3>{item.title.clone()}</h3>
                    {item.notes.clone().map(|n| view! { <p>{n}</p> })}
                    {(!item.decisions.is_empty()).then(|| view! {
                        <p class="small muted">{i18n.t(Local::Decided)}</p>
                        <ul>{item.decisions.iter().map(|d| view! { <li>{d.clone()}</li> }).collect_view()}</ul>
                    })}
                </li>
            }).collect_view()}
        </ol>
        <h2>{i18n.t(Local::Actions)}</h2>
        {c.actions.is_empty().then(|| view! { <p class="muted">{i18n.t(Local::NoActions)}</p> })}
        <ul class="results">
            {c.actions.iter().map(|a| {
                let may_change = convener || a.organization.id == own;
                view! { <Action ctx=ctx action=a.clone() may_change=may_change/> }
            }).collect_view()}
        </ul>
        {convener.then(|| view! {
            <NewAction ctx=ctx at_table=at_table.clone()/>
            <Change ctx=ctx conference=conference.clone()/>
        })}
    }
}

/// One action item: what, who, by when, where it stands.
#[component]
fn Action(ctx: Ctx, action: ActionItem, may_change: bool) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let status_id = format!("action-status-{}", action.id);
    let current = action.status;
    let who = match &action.user {
        Some(user) => format!("{} ({})", user.name, action.organization.name),
        None => action.organization.name.clone(),
    };
    let change_status = {
        let action = action.clone();
        move |ev: leptos::ev::Event| {
            let Some(status) = ActionStatus::from_code(&event_target_value(&ev)) else { return };
            let body = action_with(&action, status);
            let (token, id, action_id, version) = (session.token(), ctx.id.get_untracked(), action.id.clone(), action.version);
            spawn_local(async move { ctx.saves.after(client::save_action(token.as_deref(), &id, Some((&action_id, version)), &body).await) });
        }
    };
    view! {
        <li class="card">
            <p>{action.description.clone()}</p>
            <p class="small muted">
                {who}" · "{i18n.t(Local::DueOn)}" "{action.due_on.to_string()}" · "{i18n.t(action_status(current))}
                {action.done_on.map(|d| format!(" ({d})"))}
            </p>
            {may_change.then(|| view! {
                <label for=status_id.clone()>{i18n.t(Local::ActionStatus)}</label>
                <select id=status_id on:change=change_status>
                    {ActionStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=*s == current>{i18n.t(action_status(*s))}</option> }).collect_view()}
                </select>
            })}
        </li>
    }
}

/// The convener's form for a new action item: given to an organization at the table, or
/// to one of the convener's own colleagues.
#[component]
fn NewAction(ctx: Ctx, at_table: Vec<OrganizationRef>) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let (words, owner, due) = (RwSignal::new(String::new()), RwSignal::new(format!("organization:{}", at_table[0].id)), RwSignal::new(String::new()));
    let colleagues = LocalResource::new(move || {
        let token = session.token();
        async move { client::colleagues(token.as_deref()).await.unwrap_or_default() }
    });
    let convener = at_table[0].id.clone();
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(due_on) = chrono::NaiveDate::parse_from_str(&due.get_untracked(), "%Y-%m-%d") else { return };
        let (organization_id, user_id) = match owner.get_untracked().split_once(':') {
            Some(("user", user)) => (convener.clone(), Some(user.to_owned())),
            Some((_, organization)) => (organization.to_owned(), None),
            None => return,
        };
        let body = ActionInput { description: words.get_untracked().trim().to_owned(), organization_id, user_id, due_on, status: None };
        let (token, id) = (session.token(), ctx.id.get_untracked());
        spawn_local(async move {
            let saved = client::save_action(token.as_deref(), &id, None, &body).await;
            if saved.is_ok() {
                words.set(String::new());
            }
            ctx.saves.after(saved);
        });
    };
    let colleague_option = |c: Colleague| view! { <option value=format!("user:{}", c.id)>{c.display_name}</option> };
    view! {
        <form class="card" on:submit=add>
            <h2>{i18n.t(Local::NewAction)}</h2>
            <label for="action-words">{i18n.t(Local::ActionWords)}</label>
            <textarea id="action-words" rows="2" maxlength="2000" required bind:value=words></textarea>
            <label for="action-owner">{i18n.t(Local::Owner)}</label>
            <select id="action-owner" on:change=move |ev| owner.set(event_target_value(&ev))>
                {at_table.into_iter().map(|o| view! { <option value=format!("organization:{}", o.id)>{o.name}</option> }).collect_view()}
                {move || colleagues.get().map(|list| list.into_iter().map(colleague_option).collect_view())}
            </select>
            <label for="action-due">{i18n.t(Local::DueOn)}</label>
            <input id="action-due" type="date" required bind:value=due/>
            <button type="submit" class="primary">{i18n.t(Local::AddAction)}</button>
        </form>
    }
}

/// The convener's form to change the conference: the organizations that can be invited are
/// read from the participant's consents when it is opened.
#[component]
fn Change(ctx: Ctx, conference: Conference) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let participant_id = conference.participant_id.clone();
    let named = LocalResource::new(move || {
        let (token, participant_id, own) = (session.token(), participant_id.clone(), session.organization().map(|o| o.id));
        async move { invitable(token.as_deref(), &participant_id, own.as_deref()).await }
    });
    let saved = Callback::new(move |conference: Conference| ctx.saves.after(Ok::<_, ApiError>(conference)));
    view! {
        <details class="card">
            <summary>{i18n.t(Local::Change)}</summary>
            {move || named.get().map(|named| view! {
                <ConferenceForm participant_id=conference.participant_id.clone() existing=Some(conference.clone()) named=named saved=saved/>
            })}
        </details>
    }
}
