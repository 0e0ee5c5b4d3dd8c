//! One referral: where it stands, what the participant shared (receiving side, while the
//! consent holds), the steps this side may take, the timeline, and the messages between
//! the two organizations. Each step sends the version read, so nobody's answer is lost.

use harbour_types::{AssigneeInput, Outcome, ReasonCode, Referral, ReferralAction, ReferralMessageInput, ReferralStatus, ReferralTransition};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::client;
use crate::components::form::save_failure;
use crate::components::participants::labels;
use crate::i18n::{colon, problem_message, use_i18n, Msg};
use crate::session::{use_session, SessionState};

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    AssignToMe => "I'll handle it (assign to me)", "Je m'en occupe (me l'attribuer)";
    AssignedTo => "Handled by", "Prise en charge par";
    Due => "Answer due", "Réponse attendue";
    From => "From", "De";
    To => "To", "À";
    Timeline => "Timeline", "Historique";
    Messages => "Messages", "Messages";
    NoMessages => "No message yet.", "Aucun message.";
    WriteMessage => "Message to the other organization", "Message à l'autre organisme";
    SendMessage => "Send", "Envoyer";
    ReasonLabel => "Reason", "Motif";
    NoteLabel => "Note", "Note";
    OutcomeLabel => "Outcome", "Résultat";
    ParticipantRedacted => "The participant withdrew consent: their details were removed.", "La personne a retiré son consentement : ses renseignements ont été retirés.";
    ReferralNotFound => "This referral could not be found.", "Cette orientation est introuvable.";
    PlanStep => "A step of their plan", "Une étape de son plan";
}}

/// The step of the participant's individualized plan this referral is, if any, opening the
/// plan: the other half of the link a step makes to its referral. For the sending
/// organization only, which holds the participant (a read of the plan, audited as one).
#[component]
fn PlanStep(participant_id: String, referral_id: String) -> impl IntoView {
    let (i18n, session) = (use_i18n(), use_session());
    let go = crate::components::nav::use_go();
    let plan_path = format!("/participants/{participant_id}/plan");
    let step = LocalResource::new(move || {
        let (token, participant_id, referral_id) = (session.token(), participant_id.clone(), referral_id.clone());
        async move {
            let plan = client::plan(token.as_deref(), &participant_id).await.ok()?;
            plan.goals.into_iter().find_map(|g| {
                let step = g.steps.into_iter().find(|s| s.referral.as_ref().is_some_and(|r| r.id == referral_id))?;
                Some(format!("{} — {}", g.title, step.description))
            })
        }
    });
    move || step.get().flatten().map(|words| {
        let (go, plan_path) = (go.clone(), plan_path.clone());
        view! {
            <p class="small">{i18n.t(Local::PlanStep)}{move || colon(i18n.0.get())}
                <button type="button" class="link" on:click=move |_| go(&plan_path)>{words}</button>
            </p>
        }
    })
}

/// The steps this side may take from a state (the server checks them again).
fn steps(status: ReferralStatus, sender: bool) -> Vec<ReferralAction> {
    status.allowed_actions().iter().copied().filter(|a| a.by_sender() == sender).collect()
}

/// The step form: a reason for declining, an outcome for closing, a note for any.
#[component]
fn Steps(referral: Referral, sender: bool, changed: Callback<Referral>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let chosen = RwSignal::new(None::<ReferralAction>);
    let reason = RwSignal::new(String::new());
    let outcome = RwSignal::new(Outcome::Successful.code().to_owned());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let (id, version) = (StoredValue::new(referral.id.clone()), referral.version);
    let take = move |action: ReferralAction| {
        let needs_form = matches!(action, ReferralAction::Decline | ReferralAction::Complete);
        if needs_form && chosen.get_untracked() != Some(action) {
            return chosen.set(Some(action));
        }
        let body = ReferralTransition {
            action,
            reason: ReasonCode::from_code(&reason.get_untracked()),
            outcome: (action == ReferralAction::Complete).then(|| Outcome::from_code(&outcome.get_untracked())).flatten(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
        };
        let token = session.token();
        let id = id.get_value();
        spawn_local(async move {
            match client::transition_referral(token.as_deref(), &id, version, &body).await {
                Ok(updated) => changed.run(updated),
                Err(e) => error.set(Some(save_failure(&e))),
            }
        });
    };
    let available = steps(referral.status, sender);
    let me = match session.state.get_untracked() {
        SessionState::SignedIn { me, .. } => Some(me.id),
        _ => None,
    };
    let mine = referral.assignee.as_ref().map(|a| a.id.clone()) == me;
    let open = !referral.status.is_closed();
    let take_it = move |_| {
        let body = AssigneeInput { user_id: me.clone() };
        let token = session.token();
        let id = id.get_value();
        spawn_local(async move {
            match client::assign_referral(token.as_deref(), &id, version, &body).await {
                Ok(updated) => changed.run(updated),
                Err(e) => error.set(Some(save_failure(&e))),
            }
        });
    };
    view! {
        {(!sender && open && !mine).then(|| view! {
            <button type="button" class="link" on:click=take_it>{i18n.t(Local::AssignToMe)}</button>
        })}
        <div class="actions">
            {available.into_iter().map(|a| view! {
                <button type="button" class=if a == ReferralAction::Withdraw { "link" } else { "primary step" } on:click=move |_| take(a)>{i18n.t(labels::action(a))}</button>
            }).collect_view()}
        </div>
        <Show when=move || chosen.get().is_some()>
            <div class="group">
                <Show when=move || chosen.get() == Some(ReferralAction::Complete)>
                    <label for="outcome">{i18n.t(Local::OutcomeLabel)}</label>
                    <select id="outcome" prop:value=move || outcome.get() on:change=move |ev| outcome.set(event_target_value(&ev))>
                        <option value="successful">{i18n.t(Msg::OutcomeSuccessful)}</option>
                        <option value="unsuccessful">{i18n.t(Msg::OutcomeUnsuccessful)}</option>
                    </select>
                </Show>
                <label for="reason">{i18n.t(Local::ReasonLabel)}</label>
                <select id="reason" prop:value=move || reason.get() on:change=move |ev| reason.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {ReasonCode::ALL.iter().map(|r| view! { <option value=r.code()>{i18n.t(labels::reason(*r))}</option> }).collect_view()}
                </select>
                <label for="step-note">{i18n.t(Local::NoteLabel)}</label>
                <textarea id="step-note" rows="2" bind:value=note></textarea>
                <button type="button" class="primary" on:click=move |_| { if let Some(a) = chosen.get_untracked() { take(a) } }>
                    {move || chosen.get().map(|a| labels::action(a).text(i18n.0.get()))}
                </button>
            </div>
        </Show>
        <p class="error" role="alert" aria-live="assertive">{move || error.get().map(|m| m.text(i18n.0.get()))}</p>
    }
}

/// The messages between the two sides.
#[component]
fn Thread(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let generation = RwSignal::new(0u32);
    let referral_id = StoredValue::new(id);
    let messages = LocalResource::new(move || {
        generation.track();
        let token = session.token();
        async move { client::referral_messages(token.as_deref(), &referral_id.get_value()).await }
    });
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ReferralMessageInput { body: text.get_untracked() };
        if body.body.trim().is_empty() {
            return;
        }
        let token = session.token();
        spawn_local(async move {
            match client::post_referral_message(token.as_deref(), &referral_id.get_value(), &body).await {
                Ok(_) => {
                    text.set(String::new());
                    generation.update(|g| *g += 1);
                }
                Err(e) => error.set(Some(problem_message(e.code))),
            }
        });
    };
    view! {
        <h2>{i18n.t(Local::Messages)}</h2>
        <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
            {move || messages.get().map(|outcome| match outcome {
                Ok(list) if list.is_empty() => view! { <p class="muted">{i18n.t(Local::NoMessages)}</p> }.into_any(),
                Ok(list) => view! {
                    <ol class="plain">
                        {list.into_iter().map(|m| view! {
                            <li class="result">
                                <p class="small muted">{format!("{} — {} · {}", m.author_name, m.organization.name, m.at.format("%Y-%m-%d %H:%M UTC"))}</p>
                                <p>{m.body}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
            })}
        </Transition>
        <form on:submit=send>
            <label for="message">{i18n.t(Local::WriteMessage)}</label>
            <textarea id="message" rows="2" bind:value=text></textarea>
            <button type="submit" class="primary">{i18n.t(Local::SendMessage)}</button>
            <p class="error" role="alert">{move || error.get().map(|m| m.text(i18n.0.get()))}</p>
        </form>
    }
}

/// The referral screen.
#[component]
pub fn ReferralPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let current = RwSignal::new(None::<Referral>);
    let loaded = LocalResource::new(move || {
        let (id, token) = (params.read().get("id").unwrap_or_default(), session.token());
        async move { client::referral(token.as_deref(), &id).await }
    });
    let own = move || match session.state.get_untracked() {
        SessionState::SignedIn { me, .. } => me.organization.id,
        _ => String::new(),
    };
    let changed = Callback::new(move |r: Referral| current.set(Some(r)));
    let lang = move || i18n.0.get();
    view! {
        <section aria-labelledby="referral-title">
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || loaded.get().map(|outcome| match outcome.map(|r| current.get().filter(|c| c.id == r.id).unwrap_or(r)) {
                    Ok(r) => {
                        let sender = r.from_organization.id == own();
                        let (status, class) = labels::referral_status(r.status);
                        let participant = r.participant.clone();
                        view! {
                            <article class="card">
                                <h1 id="referral-title">{r.service_name.clone()}</h1>
                                <div class="badges">
                                    {r.overdue.then(|| view! { <span class="badge badge-closed">{i18n.t(Msg::Overdue)}</span> })}
                                    <span class="badge">{i18n.t(labels::urgency(r.urgency))}</span>
                                    <span class=class>{i18n.t(status)}</span>
                                </div>
                                <dl class="facts">
                                    <dt>{i18n.t(Local::From)}</dt><dd>{format!("{} — {}", r.from_user_name, r.from_organization.name)}</dd>
                                    <dt>{i18n.t(Local::To)}</dt><dd>{r.to_organization.name.clone()}</dd>
                                    {r.assignee.clone().map(|a| view! { <dt>{i18n.t(Local::AssignedTo)}</dt><dd>{a.name}</dd> })}
                                    {r.primary_contact.clone().map(|c| view! { <dt>{i18n.t(Msg::PrimaryContact)}</dt><dd>{c.name}</dd> })}
                                    {r.due_at.map(|d| view! { <dt>{i18n.t(Local::Due)}</dt><dd>{d.format("%Y-%m-%d %H:%M UTC").to_string()}</dd> })}
                                    {r.needs.note.clone().map(|n| view! { <dt>{i18n.t(Msg::WhatTheyNeed)}</dt><dd>{n}</dd> })}
                                    {r.safe_contact_instructions.clone().map(|c| view! { <dt>{i18n.t(Msg::HowToReach)}</dt><dd>{c}</dd> })}
                                    {participant.map(|p| view! {
                                        <dt>{i18n.t(Msg::Participants)}</dt>
                                        <dd>{[Some(p.alias.clone()), p.pronouns.clone(), p.needs.as_ref().and_then(|n| n.note.clone())].into_iter().flatten().collect::<Vec<_>>().join(" · ")}</dd>
                                    })}
                                </dl>
                                {r.participant_redacted.then(|| view! { <p class="notice">{i18n.t(Local::ParticipantRedacted)}</p> })}
                                {r.participant_id.clone().filter(|_| sender).map(|p| view! { <PlanStep participant_id=p referral_id=r.id.clone()/> })}
                                <Steps referral=r.clone() sender=sender changed=changed/>
                            </article>
                            <h2>{i18n.t(Local::Timeline)}</h2>
                            <ol class="plain timeline">
                                {r.timeline.iter().map(|e| {
                                    let (status, _) = labels::referral_status(e.status);
                                    let note = e.note.clone();
                                    view! {
                                        <li>
                                            <span class="small muted">{e.at.format("%Y-%m-%d %H:%M").to_string()}</span>" "
                                            <strong>{move || status.text(lang())}</strong>" — "{format!("{} ({})", e.actor_name, e.organization.name)}
                                            {note.map(|n| view! { <br/><span>{n}</span> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            <Thread id=r.id.clone()/>
                        }.into_any()
                    }
                    Err(_) => view! { <p class="error" role="alert">{i18n.t(Local::ReferralNotFound)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
