//! A participant's individualized plan: their goals by area of life, the steps towards
//! each and who takes them, their stage of change if they want to say, a review date and
//! what moved. Read as the server sends it (the whole plan to the owning organization and
//! under `case_notes`, the goals alone under `needs`), written by the owning organization;
//! nothing is kept on the device.

use harbour_types::{
    Colleague, DataCategory, Organization, GoalDomain, GoalInput, GoalStatus, IndividualPlan, PlanEvent, PlanEventKind, PlanGoal, PlanInput, PlanStep, Referral, StageInput, StageOfChange, StepInput, StepOwnerInput, StepOwnerKind, StepStatus,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::form::{SaveLine, SaveStatus};
use crate::components::participants::route_participant;
use crate::components::plans::{domain, goal_status};
use crate::i18n::{colon, messages, problem_message, use_i18n, I18n, Lang, Msg};
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
messages! { Local {
    Title => "Goals and steps", "Objectifs et étapes";
    Intro => "Goals in their words, the steps towards them, and who takes each. They lead.", "Des objectifs dans leurs mots, les étapes pour y arriver et qui s'en charge. La personne mène.";
    GoalsOnly => "Shared under consent: the goals only.", "Partagé avec consentement : les objectifs seulement.";
    Stage => "Stage of change", "Stade de changement";
    StageHint => "Only if they want to say: never required.", "Seulement si la personne veut le dire : jamais obligatoire.";
    NotSaid => "Not said", "Non précisé";
    RecordStage => "Record the stage", "Noter le stade";
    Precontemplation => "Not thinking of a change", "Ne pense pas à changer";
    Contemplation => "Thinking about it", "Y réfléchit";
    Preparation => "Getting ready", "Se prépare";
    Action => "Making the change", "Passe à l'action";
    Maintenance => "Keeping it up", "Maintient le changement";
    Review => "Go over the plan again on", "Revoir le plan le";
    SaveReview => "Save the date", "Enregistrer la date";
    Goals => "Goals", "Objectifs";
    NoGoals => "No goals yet.", "Aucun objectif pour l'instant.";
    NewGoal => "New goal", "Nouvel objectif";
    GoalWords => "The goal, in their words", "L'objectif, dans leurs mots";
    Area => "Area of life", "Domaine de vie";
    AddGoal => "Add the goal", "Ajouter l'objectif";
    Planned => "To do", "À faire";
    InProgress => "Under way", "En cours";
    Done => "Done", "Fait";
    Dropped => "Dropped", "Abandonnée";
    GoalStatus => "Where the goal stands", "Où en est l'objectif";
    StepStatus => "Where the step stands", "Où en est l'étape";
    AddStep => "Add a step", "Ajouter une étape";
    StepWords => "What is to be done", "Ce qu'il faut faire";
    Owner => "Who takes it", "Qui s'en charge";
    Themself => "The participant", "La personne participante";
    DueOn => "By", "D'ici le";
    IsReferral => "It is this referral", "C'est cette orientation";
    NoReferral => "None", "Aucune";
    Referral => "Referral", "Orientation";
    Timeline => "What moved", "Ce qui a bougé";
    GoalAdded => "Goal set", "Objectif fixé";
    GoalUpdated => "Goal changed", "Objectif modifié";
    StepAdded => "Step added", "Étape ajoutée";
    StepUpdated => "Step changed", "Étape modifiée";
    StageRecorded => "Stage recorded", "Stade noté";
    ReviewSet => "Review date set", "Date de révision fixée";
}}

fn stage(s: StageOfChange) -> Local {
    match s {
        StageOfChange::Precontemplation => Local::Precontemplation,
        StageOfChange::Contemplation => Local::Contemplation,
        StageOfChange::Preparation => Local::Preparation,
        StageOfChange::Action => Local::Action,
        StageOfChange::Maintenance => Local::Maintenance,
    }
}

fn step_status(s: StepStatus) -> Local {
    match s {
        StepStatus::Planned => Local::Planned,
        StepStatus::InProgress => Local::InProgress,
        StepStatus::Done => Local::Done,
        StepStatus::Dropped => Local::Dropped,
    }
}

fn event(kind: PlanEventKind) -> Local {
    match kind {
        PlanEventKind::GoalAdded => Local::GoalAdded,
        PlanEventKind::GoalUpdated => Local::GoalUpdated,
        PlanEventKind::StepAdded => Local::StepAdded,
        PlanEventKind::StepUpdated => Local::StepUpdated,
        PlanEventKind::StageRecorded => Local::StageRecorded,
        PlanEventKind::ReviewSet => Local::ReviewSet,
    }
}

/// An event's status, in words: a goal's or step's status, a stage, or a date.
fn event_status(e: &PlanEvent, lang: Lang) -> String {
    let status = e.status.clone().unwrap_or_default();
    let word = match e.kind {
        PlanEventKind::GoalAdded | PlanEventKind::GoalUpdated => GoalStatus::from_code(&status).map(|s| goal_status(s).text(lang)),
        PlanEventKind::StepAdded | PlanEventKind::StepUpdated => StepStatus::from_code(&status).map(|s| step_status(s).text(lang)),
        PlanEventKind::StageRecorded => StageOfChange::from_code(&status).map(|s| stage(s).text(lang)),
        PlanEventKind::ReviewSet => None,
    };
    word.map_or(status, str::to_owned)
}

/// The owner picked in a step's form: `participant`, `user:ID` or `organization:ID`.
fn owner_of(choice: &str) -> StepOwnerInput {
    match choice.split_once(':') {
        Some(("user", id)) => StepOwnerInput { kind: StepOwnerKind::User, id: Some(id.to_owned()) },
        Some(("organization", id)) => StepOwnerInput { kind: StepOwnerKind::Organization, id: Some(id.to_owned()) },
        _ => StepOwnerInput { kind: StepOwnerKind::Participant, id: None },
    }
}

/// A step as its form would send it again, with another status.
fn step_with(step: &PlanStep, status: StepStatus) -> StepInput {
    StepInput {
        description: step.description.clone(),
        owner: StepOwnerInput { kind: step.owner.kind, id: step.owner.id.clone() },
        due_on: step.due_on,
        status: Some(status),
        referral_id: step.referral.as_ref().map(|r| r.id.clone()),
    }
}

/// What the screen shares with its parts.
#[derive(Clone, Copy)]
struct Ctx {
    i18n: I18n,
    id: Memo<String>,
    owner: Signal<bool>,
    saves: SaveLine,
    /// What a new step can be given to and be: loaded once for the screen, for the owner only.
    choices: LocalResource<Choices>,
}

/// The organization's frontline colleagues, the partner organizations, and the referrals it sent for this participant.
type Choices = (Vec<Colleague>, Vec<Organization>, Vec<Referral>);

/// The individualized plan screen.
#[component]
pub fn PlanPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let (id, participant) = route_participant();
    let saves = SaveLine::default();
    let plan = LocalResource::new(move || {
        saves.reload.track();
        let (id, token) = (id.get(), session.token());
        async move { client::plan(token.as_deref(), &id).await }
    });
    let timeline = LocalResource::new(move || {
        saves.reload.track();
        let (id, token) = (id.get(), session.token());
        async move { client::plan_timeline(token.as_deref(), &id).await.unwrap_or_default() }
    });
    let owner = Signal::derive(move || participant.get().and_then(|p| p.ok()).is_some_and(|p| p.access.owner));
    let choices = LocalResource::new(move || {
        let (token, owner, participant) = (session.token(), owner.get(), id.get());
        async move {
            if !owner {
                return Choices::default();
            }
            let colleagues = client::colleagues(token.as_deref()).await.unwrap_or_default();
            let organizations = client::organizations(token.as_deref()).await.map(|p| p.contents).unwrap_or_default();
            let sent = client::referrals_for(token.as_deref(), &participant).await.map(|p| p.contents).unwrap_or_default();
            (colleagues, organizations, sent)
        }
    });
    let ctx = Ctx { i18n, id, owner, saves, choices };
    let back = move |_| navigate(&format!("/participants/{}", id.get()), NavigateOptions { replace: true, ..Default::default() });
    view! {
        <section aria-labelledby="goals-title">
            <button type="button" class="link-back" on:click=back>"← "{move || participant.get().and_then(|p| p.ok()).map(|p| p.alias).unwrap_or_default()}</button>
            <h1 id="goals-title">{i18n.t(Local::Title)}</h1>
            <p class="small muted">{i18n.t(Local::Intro)}</p>
            <SaveStatus line=ctx.saves/>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || plan.get().map(|outcome| match outcome {
                    Ok(p) => view! { <Plan ctx=ctx plan=p/> }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
            {move || timeline.get().filter(|t| !t.is_empty()).map(|events| {
                let goals = plan.get().and_then(|p| p.ok()).map(|p| p.goals).unwrap_or_default();
                view! { <Timeline ctx=ctx events=events goals=goals/> }
            })}
        </section>
    }
}

/// The plan itself: the stage, the review date and the goals.
#[component]
fn Plan(ctx: Ctx, plan: IndividualPlan) -> impl IntoView {
    let i18n = ctx.i18n;
    let whole = plan.categories.contains(&DataCategory::CaseNotes);
    let version = plan.version;
    let review = RwSignal::new(plan.review_on.map(|d| d.to_string()).unwrap_or_default());
    let chosen_stage = RwSignal::new(String::new());
    let session = use_session();
    let save_review = move |_| {
        let body = PlanInput { review_on: chrono::NaiveDate::parse_from_str(&review.get_untracked(), "%Y-%m-%d").ok() };
        let (token, id) = (session.token(), ctx.id.get_untracked());
        spawn_local(async move { ctx.saves.after(client::set_plan(token.as_deref(), &id, version, &body).await) });
    };
    let record = move |_| {
        let Some(stage) = StageOfChange::from_code(&chosen_stage.get_untracked()) else { return };
        let (token, id) = (session.token(), ctx.id.get_untracked());
        spawn_local(async move { ctx.saves.after(client::record_stage(token.as_deref(), &id, &StageInput { stage }).await) });
    };
    let current_stage = plan.stages.first().map(|s| (s.stage, s.recorded_at.format("%Y-%m-%d").to_string()));
    let goals = plan.goals.clone();
    view! {
        {(!whole).then(|| view! { <p class="notice">{i18n.t(Local::GoalsOnly)}</p> })}
        {whole.then(|| view! {
            <div class="card">
                <h2>{i18n.t(Local::Stage)}</h2>
                <p>{move || current_stage.clone().map_or_else(|| Local::NotSaid.text(i18n.0.get()).to_owned(), |(s, at)| format!("{} · {at}", stage(s).text(i18n.0.get())))}</p>
                <Show when=move || ctx.owner.get()>
                    <p class="small muted">{i18n.t(Local::StageHint)}</p>
                    <label for="stage">{i18n.t(Local::Stage)}</label>
                    <select id="stage" on:change=move |ev| chosen_stage.set(event_target_value(&ev))>
                        <option value="">{i18n.t(Local::NotSaid)}</option>
                        {StageOfChange::ALL.iter().map(|s| view! { <option value=s.code()>{i18n.t(stage(*s))}</option> }).collect_view()}
                    </select>
                    <button type="button" class="primary" on:click=record>{i18n.t(Local::RecordStage)}</button>
                </Show>
                <label for="review-on">{i18n.t(Local::Review)}</label>
                <input id="review-on" type="date" bind:value=review disabled=move || !ctx.owner.get()/>
                <Show when=move || ctx.owner.get()>
                    <button type="button" class="link" on:click=save_review>{i18n.t(Local::SaveReview)}</button>
                </Show>
            </div>
        })}
        <h2>{i18n.t(Local::Goals)}</h2>
        {goals.is_empty().then(|| view! { <p class="muted">{i18n.t(Local::NoGoals)}</p> })}
        <ul class="results">
            {goals.into_iter().map(|g| view! { <Goal ctx=ctx goal=g/> }).collect_view()}
        </ul>
        <Show when=move || ctx.owner.get()>
            <NewGoal ctx=ctx/>
        </Show>
    }
}

/// One goal, its steps, and (for the owner) its status and a form for a new step.
#[component]
fn Goal(ctx: Ctx, goal: PlanGoal) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let status_id = format!("goal-status-{}", goal.id);
    let change_status = {
        let goal = goal.clone();
        move |ev: leptos::ev::Event| {
            let Some(status) = GoalStatus::from_code(&event_target_value(&ev)) else { return };
            let body = GoalInput { domain: goal.domain, title: goal.title.clone(), status: Some(status) };
            let (token, id, goal_id, version) = (session.token(), ctx.id.get_untracked(), goal.id.clone(), goal.version.unwrap_or(1));
            spawn_local(async move { ctx.saves.after(client::save_goal(token.as_deref(), &id, Some((&goal_id, version)), &body).await) });
        }
    };
    let (domain_label, status) = (domain(goal.domain), goal.status);
    let goal_id = goal.id.clone();
    view! {
        <li class="card">
            <h3>{goal.title.clone()}</h3>
            <p class="small muted">{i18n.t(domain_label)}{status.map(|s| view! { " · " {i18n.t(goal_status(s))} })}</p>
            {status.map(|current| view! {
                <Show when=move || ctx.owner.get()>
                    <label for=status_id.clone()>{i18n.t(Local::GoalStatus)}</label>
                    <select id=status_id.clone() on:change=change_status.clone()>
                        {GoalStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=*s == current>{i18n.t(goal_status(*s))}</option> }).collect_view()}
                    </select>
                </Show>
            })}
            <ul class="steps">
                {goal.steps.into_iter().map(|s| view! { <Step ctx=ctx goal_id=goal_id.clone() step=s/> }).collect_view()}
            </ul>
            <Show when=move || ctx.owner.get() && status.is_some()>
                <NewStep ctx=ctx goal_id=goal.id.clone()/>
            </Show>
        </li>
    }
}

/// One step: what, who, by when, the referral it is, and its status.
#[component]
fn Step(ctx: Ctx, goal_id: String, step: PlanStep) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let status_id = format!("step-status-{}", step.id);
    let who = step.owner.name.clone();
    let due = step.due_on.map(|d| d.to_string());
    let referral = step.referral.clone();
    let current = step.status;
    let change_status = {
        let step = step.clone();
        move |ev: leptos::ev::Event| {
            let Some(status) = StepStatus::from_code(&event_target_value(&ev)) else { return };
            let body = step_with(&step, status);
            let (token, id, goal_id, step_id, version) = (session.token(), ctx.id.get_untracked(), goal_id.clone(), step.id.clone(), step.version);
            spawn_local(async move { ctx.saves.after(client::save_step(token.as_deref(), &id, &goal_id, Some((&step_id, version)), &body).await) });
        }
    };
    view! {
        <li>
            <p>{step.description.clone()}</p>
            <p class="small muted">
                {move || who.clone().unwrap_or_else(|| Local::Themself.text(i18n.0.get()).to_owned())}
                {due.map(|d| view! { " · " {i18n.t(Local::DueOn)} " " {d} })}
                " · " {i18n.t(step_status(current))}
            </p>
            {referral.map(|r| view! {
                <p class="small"><a href=format!("/referrals/{}", r.id)>{move || format!("{}{}{} — {}", Local::Referral.text(i18n.0.get()), colon(i18n.0.get()), r.service_name, r.organization_name)}</a></p>
            })}
            <Show when=move || ctx.owner.get()>
                <label for=status_id.clone()>{i18n.t(Local::StepStatus)}</label>
                <select id=status_id.clone() on:change=change_status.clone()>
                    {StepStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=*s == current>{i18n.t(step_status(*s))}</option> }).collect_view()}
                </select>
            </Show>
        </li>
    }
}

/// The form for a new goal.
#[component]
fn NewGoal(ctx: Ctx) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let (area, words) = (RwSignal::new(GoalDomain::Housing.code().to_owned()), RwSignal::new(String::new()));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(domain) = GoalDomain::from_code(&area.get_untracked()) else { return };
        let body = GoalInput { domain, title: words.get_untracked().trim().to_owned(), status: None };
        let (token, id) = (session.token(), ctx.id.get_untracked());
        spawn_local(async move {
            let saved = client::save_goal(token.as_deref(), &id, None, &body).await;
            if saved.is_ok() {
                words.set(String::new());
            }
            ctx.saves.after(saved);
        });
    };
    view! {
        <form class="card" on:submit=add>
            <h2>{i18n.t(Local::NewGoal)}</h2>
            <label for="goal-area">{i18n.t(Local::Area)}</label>
            <select id="goal-area" on:change=move |ev| area.set(event_target_value(&ev))>
                {GoalDomain::ALL.iter().map(|d| view! { <option value=d.code()>{i18n.t(domain(*d))}</option> }).collect_view()}
            </select>
            <label for="goal-words">{i18n.t(Local::GoalWords)}</label>
            <textarea id="goal-words" rows="2" maxlength="500" required bind:value=words></textarea>
            <button type="submit" class="primary">{i18n.t(Local::AddGoal)}</button>
        </form>
    }
}

/// The form for a new step of a goal: who takes it among the participant, the
/// organization's frontline colleagues and the partner organizations; the referral it is,
/// among the ones sent for this participant.
#[component]
fn NewStep(ctx: Ctx, goal_id: String) -> impl IntoView {
    let (i18n, session) = (ctx.i18n, use_session());
    let (words, owner, due, referral) = (RwSignal::new(String::new()), RwSignal::new("participant".to_owned()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let choices = ctx.choices;
    let field = |name: &str| format!("step-{name}-{goal_id}");
    let (words_id, owner_id, due_id, referral_id) = (field("words"), field("owner"), field("due"), field("referral"));
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = StepInput {
            description: words.get_untracked().trim().to_owned(),
            owner: owner_of(&owner.get_untracked()),
            due_on: chrono::NaiveDate::parse_from_str(&due.get_untracked(), "%Y-%m-%d").ok(),
            status: None,
            referral_id: Some(referral.get_untracked()).filter(|r| !r.is_empty()),
        };
        let (token, id, goal_id) = (session.token(), ctx.id.get_untracked(), goal_id.clone());
        spawn_local(async move { ctx.saves.after(client::save_step(token.as_deref(), &id, &goal_id, None, &body).await) });
    };
    view! {
        <details>
            <summary>{i18n.t(Local::AddStep)}</summary>
            <form on:submit=add>
                <label for=words_id.clone()>{i18n.t(Local::StepWords)}</label>
                <textarea id=words_id rows="2" maxlength="1000" required bind:value=words></textarea>
                <label for=owner_id.clone()>{i18n.t(Local::Owner)}</label>
                <select id=owner_id on:change=move |ev| owner.set(event_target_value(&ev))>
                    <option value="participant">{i18n.t(Local::Themself)}</option>
                    {move || choices.get().map(|(colleagues, organizations, _)| view! {
                        {colleagues.into_iter().map(|c| view! { <option value=format!("user:{}", c.id)>{c.display_name}</option> }).collect_view()}
                        {organizations.into_iter().map(|o| view! { <option value=format!("organization:{}", o.id)>{o.name}</option> }).collect_view()}
                    })}
                </select>
                <label for=due_id.clone()>{i18n.t(Local::DueOn)}</label>
                <input id=due_id type="date" bind:value=due/>
                <label for=referral_id.clone()>{i18n.t(Local::IsReferral)}</label>
                <select id=referral_id on:change=move |ev| referral.set(event_target_value(&ev))>
                    <option value="">{i18n.t(Local::NoReferral)}</option>
                    {move || choices.get().map(|(_, _, sent)| {
                        sent.into_iter().map(|r| view! {
                            <option value=r.id.clone()>{format!("{} — {}", r.service_name, r.to_organization.name)}</option>
                        }).collect_view()
                    })}
                </select>
                <button type="submit" class="primary">{i18n.t(Local::AddStep)}</button>
            </form>
        </details>
    }
}

/// What moved, newest first, each event naming its goal.
#[component]
fn Timeline(ctx: Ctx, events: Vec<PlanEvent>, goals: Vec<PlanGoal>) -> impl IntoView {
    let i18n = ctx.i18n;
    view! {
        <h2>{i18n.t(Local::Timeline)}</h2>
        <ol class="timeline">
            {events.into_iter().map(|e| {
                let goal = e.goal_id.as_ref().and_then(|g| goals.iter().find(|x| x.id == *g)).map(|g| g.title.clone());
                let by = e.recorded_by_name.clone().map(|n| format!(" · {n}")).unwrap_or_default();
                let at = e.recorded_at.format("%Y-%m-%d").to_string();
                view! {
                    <li>
                        <span class="small muted">{at}{by}</span>
                        <p>{move || { let lang = i18n.0.get(); format!("{}{}{}", event(e.kind).text(lang), colon(lang), event_status(&e, lang)) }}</p>
                        {goal.map(|g| view! { <p class="small">{g}</p> })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}
