//! What the case-conference screens share: the words for where a conference, an
//! invitation, the participant's presence and an action item stand; times as the phone's
//! clock reads them; and the form that convenes a conference or rewrites it. Their own
//! table of words, so that they load with the first of those screens.

use chrono::{DateTime, Utc};
use harbour_types::{
    ActionStatus, AgendaItem, Attendance, Conference, ConferenceInput, ConferenceSummary, ConsentPurpose, ConsentStatus, ConferenceStatus, InvitationInput, OrganizationRef, ParticipantVoice, Presence,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

use crate::client;
use crate::components::form::{optional, save_failure, SaveButton};
use crate::components::nav::use_go;
use crate::i18n::{use_i18n, Lang, Msg};
use crate::session::use_session;

crate::i18n::messages! { Words {
    Scheduled => "Scheduled", "Prévue";
    Held => "Held", "Tenue";
    Cancelled => "Called off", "Annulée";
    Invited => "Invited", "Invité";
    Attended => "Came", "Présent";
    Absent => "Did not come", "Absent";
    Undecided => "Not said yet", "Pas encore dit";
    Attends => "They come", "La personne vient";
    DoesNotAttend => "They do not come", "La personne ne vient pas";
    Open => "To do", "À faire";
    Done => "Done", "Fait";
    Dropped => "Dropped", "Abandonnée";
    OpenActions => "action items to do", "actions à faire";
    When => "When", "Quand";
    HowLong => "How long, in minutes", "Durée, en minutes";
    Place => "Where partners meet", "Où les partenaires se réunissent";
    Link => "Video call link", "Lien de l'appel vidéo";
    InvitationNote => "Time, place and link go in the e-mailed invitation: never write the person's name or address here.", "L'heure, le lieu et le lien vont dans l'invitation envoyée par courriel : n'y écrivez jamais le nom ni l'adresse de la personne.";
    WhoIsInvited => "Organizations invited", "Organismes invités";
    InvitedHint => "Only organizations the participant's consent names for case conferences.", "Seulement les organismes que le consentement de la personne nomme pour les conférences de cas.";
    NoneNamed => "No active consent names an organization for case conferences: record one with the participant first.", "Aucun consentement actif ne nomme d'organisme pour les conférences de cas : enregistrez-en un avec la personne d'abord.";
    Attendance => "Did they come?", "Présence";
    Status => "Where the conference stands", "Où en est la conférence";
    Agenda => "Agenda", "Ordre du jour";
    AgendaTitle => "Item", "Point";
    Notes => "Notes", "Notes";
    Decisions => "Decisions, one per line", "Décisions, une par ligne";
    AddItem => "Add an agenda item", "Ajouter un point";
    RemoveItem => "Remove this item", "Retirer ce point";
    Voice => "Their own voice", "Leur propre voix";
    Presence => "Do they come?", "La personne vient-elle?";
    WantsSaid => "What they want said, in their words", "Ce que la personne veut qu'on dise, dans ses mots";
}}

/// Where a conference stands.
pub fn conference_status(s: ConferenceStatus) -> Words {
    match s {
        ConferenceStatus::Scheduled => Words::Scheduled,
        ConferenceStatus::Held => Words::Held,
        ConferenceStatus::Cancelled => Words::Cancelled,
    }
}

/// Whether an invited organization came.
pub fn attendance(a: Attendance) -> Words {
    match a {
        Attendance::Invited => Words::Invited,
        Attendance::Attended => Words::Attended,
        Attendance::Absent => Words::Absent,
    }
}

/// Whether the participant comes.
pub fn presence(p: Presence) -> Words {
    match p {
        Presence::Undecided => Words::Undecided,
        Presence::Attends => Words::Attends,
        Presence::DoesNotAttend => Words::DoesNotAttend,
    }
}

/// Where an action item stands.
pub fn action_status(s: ActionStatus) -> Words {
    match s {
        ActionStatus::Open => Words::Open,
        ActionStatus::Done => Words::Done,
        ActionStatus::Dropped => Words::Dropped,
    }
}

/// A time on the phone's clock (the partnership's zone, for phones in it).
fn local(at: DateTime<Utc>) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64))
}

/// A time as a `datetime-local` field holds it.
fn to_field(at: DateTime<Utc>) -> String {
    let d = local(at);
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}

/// A `datetime-local` field's time (read on the phone's clock), if it holds one.
fn from_field(value: &str) -> Option<DateTime<Utc>> {
    if value.is_empty() {
        return None;
    }
    let millis = js_sys::Date::new(&JsValue::from_str(value)).get_time();
    (!millis.is_nan()).then(|| DateTime::from_timestamp_millis(millis as i64)).flatten()
}

/// A time in words: the day's short name, the date and the hour on the phone's clock.
pub fn when(at: DateTime<Utc>, lang: Lang) -> String {
    let d = local(at);
    let day = [chrono::Weekday::Sun, chrono::Weekday::Mon, chrono::Weekday::Tue, chrono::Weekday::Wed, chrono::Weekday::Thu, chrono::Weekday::Fri, chrono::Weekday::Sat][d.get_day() as usize % 7];
    format!("{} {:04}-{:02}-{:02} {:02}:{:02}", lang.weekday_short(day), d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}

/// Who can be invited to a conference about a participant: the organizations an active
/// consent of theirs names for case conferences, other than the caller's own.
pub async fn invitable(token: Option<&str>, participant_id: &str, own: Option<&str>) -> Vec<OrganizationRef> {
    let consents = client::participant_consents(token, participant_id).await.unwrap_or_default();
    let mut named: Vec<OrganizationRef> = Vec::new();
    for consent in consents.into_iter().filter(|c| c.status == ConsentStatus::Active && c.purposes.contains(&ConsentPurpose::CaseConference)) {
        for organization in consent.recipients {
            if Some(organization.id.as_str()) != own && !named.iter().any(|n| n.id == organization.id) {
                named.push(organization);
            }
        }
    }
    named
}

/// One conference in a list, opening it.
#[component]
pub fn ConferenceItem(conference: ConferenceSummary, #[prop(optional)] with_alias: bool) -> impl IntoView {
    let i18n = use_i18n();
    let go = use_go();
    let path = format!("/conferences/{}", conference.id);
    let (at, status, open) = (conference.starts_at, conference.status, conference.open_actions);
    let alias = with_alias.then(|| format!("{} — ", conference.participant_alias));
    view! {
        <li class="card">
            <button type="button" class="link" on:click=move |_| go(&path)>
                {alias}{move || when(at, i18n.0.get())}
            </button>
            <p class="small muted">
                {conference.convener.name.clone()}" · "{i18n.t(conference_status(status))}
                {(open > 0).then(|| view! { " · "{open}" "{i18n.t(Words::OpenActions)} })}
            </p>
        </li>
    }
}

/// An agenda item being written.
#[derive(Clone, Copy)]
struct AgendaRow {
    key: u32,
    title: RwSignal<String>,
    notes: RwSignal<String>,
    decisions: RwSignal<String>,
}

impl AgendaRow {
    fn new(key: u32, item: &AgendaItem) -> AgendaRow {
        AgendaRow { key, title: RwSignal::new(item.title.clone()), notes: RwSignal::new(item.notes.clone().unwrap_or_default()), decisions: RwSignal::new(item.decisions.join("\n")) }
    }

    fn item(self) -> Option<AgendaItem> {
        let title = self.title.get_untracked().trim().to_owned();
        let decisions = self.decisions.get_untracked().lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        (!title.is_empty()).then(|| AgendaItem { title, notes: optional(self.notes.get_untracked()), decisions })
    }
}

/// An organization that can be invited, whether it is, and whether it came.
#[derive(Clone)]
struct InviteRow {
    organization: OrganizationRef,
    chosen: RwSignal<bool>,
    attendance: RwSignal<String>,
}

/// Convenes a conference about a participant (`existing` none), or rewrites one. Only the
/// organizations in `named` (those the participant's consent names for case conferences)
/// can be newly invited; one invited before whose consent has ended stays listed, as the
/// server keeps it (it no longer sees the conference), until it is taken off.
#[component]
pub fn ConferenceForm(participant_id: String, existing: Option<Conference>, named: Vec<OrganizationRef>, saved: Callback<Conference>) -> impl IntoView {
    let (i18n, session) = (use_i18n(), use_session());
    let editing = existing.is_some();
    let starts = RwSignal::new(existing.as_ref().map(|c| to_field(c.starts_at)).unwrap_or_default());
    let minutes = RwSignal::new(existing.as_ref().map_or(60, |c| c.minutes).to_string());
    let place = RwSignal::new(existing.as_ref().and_then(|c| c.place.clone()).unwrap_or_default());
    let link = RwSignal::new(existing.as_ref().and_then(|c| c.link.clone()).unwrap_or_default());
    let status = RwSignal::new(existing.as_ref().map_or(ConferenceStatus::Scheduled, |c| c.status).code().to_owned());
    let voice = existing.as_ref().map(|c| c.voice.clone()).unwrap_or_default();
    let presence_chosen = RwSignal::new(voice.presence.code().to_owned());
    let wants_said = RwSignal::new(voice.wants_said.unwrap_or_default());
    let agenda = existing.as_ref().map(|c| c.agenda.clone()).unwrap_or_default();
    let next_key = RwSignal::new(agenda.len() as u32);
    let rows = RwSignal::new(agenda.iter().enumerate().map(|(n, item)| AgendaRow::new(n as u32, item)).collect::<Vec<_>>());
    let mut invites: Vec<InviteRow> = existing.iter().flat_map(|c| c.invited.iter()).map(|i| InviteRow {
        organization: i.organization.clone(),
        chosen: RwSignal::new(true),
        attendance: RwSignal::new(i.attendance.code().to_owned()),
    }).collect();
    for organization in named {
        if !invites.iter().any(|i| i.organization.id == organization.id) {
            invites.push(InviteRow { organization, chosen: RwSignal::new(false), attendance: RwSignal::new(Attendance::Invited.code().to_owned()) });
        }
    }
    let nobody_to_invite = invites.is_empty();
    let (error, busy) = (RwSignal::new(None::<Msg>), RwSignal::new(false));
    let version = existing.as_ref().map(|c| (c.id.clone(), c.version));
    let submit = {
        let invites = invites.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(starts_at) = from_field(&starts.get_untracked()) else {
                error.set(Some(Msg::ErrorValidation));
                return;
            };
            let body = ConferenceInput {
                starts_at,
                minutes: minutes.get_untracked().trim().parse().unwrap_or(0),
                place: optional(place.get_untracked()),
                link: optional(link.get_untracked()),
                status: ConferenceStatus::from_code(&status.get_untracked()),
                invited: invites.iter().filter(|i| i.chosen.get_untracked()).map(|i| InvitationInput {
                    organization_id: i.organization.id.clone(),
                    attendance: Attendance::from_code(&i.attendance.get_untracked()),
                }).collect(),
                agenda: rows.get_untracked().into_iter().filter_map(AgendaRow::item).collect(),
                voice: ParticipantVoice { presence: Presence::from_code(&presence_chosen.get_untracked()).unwrap_or(Presence::Undecided), wants_said: optional(wants_said.get_untracked()) },
            };
            let (token, participant_id, version) = (session.token(), participant_id.clone(), version.clone());
            busy.set(true);
            spawn_local(async move {
                let outcome = client::save_conference(token.as_deref(), &participant_id, version.as_ref().map(|(id, v)| (id.as_str(), *v)), &body).await;
                busy.set(false);
                match outcome {
                    Ok(conference) => {
                        error.set(None);
                        saved.run(conference);
                    }
                    Err(e) => error.set(Some(save_failure(&e))),
                }
            });
        }
    };
    let add_item = move |_| {
        let key = next_key.get_untracked();
        next_key.set(key + 1);
        rows.update(|r| r.push(AgendaRow::new(key, &AgendaItem::default())));
    };
    view! {
        <form class="card" on:submit=submit>
            <label for="conference-starts">{i18n.t(Words::When)}</label>
            <input id="conference-starts" type="datetime-local" required bind:value=starts/>
            <label for="conference-minutes">{i18n.t(Words::HowLong)}</label>
            <input id="conference-minutes" type="number" min="15" max="480" step="15" required bind:value=minutes/>
            <p class="small muted">{i18n.t(Words::InvitationNote)}</p>
            <label for="conference-place">{i18n.t(Words::Place)}</label>
            <input id="conference-place" type="text" maxlength="300" bind:value=place/>
            <label for="conference-link">{i18n.t(Words::Link)}</label>
            <input id="conference-link" type="url" maxlength="2000" bind:value=link/>
            {editing.then(|| view! {
                <label for="conference-status">{i18n.t(Words::Status)}</label>
                <select id="conference-status" on:change=move |ev| status.set(event_target_value(&ev))>
                    {ConferenceStatus::ALL.iter().map(|s| view! { <option value=s.code() selected=move || status.get() == s.code()>{i18n.t(conference_status(*s))}</option> }).collect_view()}
                </select>
            })}
            <fieldset class="group">
                <legend>{i18n.t(Words::WhoIsInvited)}</legend>
                <p class="small muted">{i18n.t(Words::InvitedHint)}</p>
                {nobody_to_invite.then(|| view! { <p class="notice">{i18n.t(Words::NoneNamed)}</p> })}
                {invites.into_iter().map(|row| {
                    let (check_id, attendance_id) = (format!("invite-{}", row.organization.id), format!("attendance-{}", row.organization.id));
                    let (chosen, chosen_attendance) = (row.chosen, row.attendance);
                    view! {
                        <label class="check" for=check_id.clone()>
                            <input id=check_id.clone() type="checkbox" prop:checked=move || chosen.get() on:change=move |ev| chosen.set(event_target_checked(&ev))/>
                            {row.organization.name.clone()}
                        </label>
                        {editing.then(|| view! {
                            <Show when=move || chosen.get()>
                                <label for=attendance_id.clone() class="small">{i18n.t(Words::Attendance)}" — "{row.organization.name.clone()}</label>
                                <select id=attendance_id.clone() on:change=move |ev| chosen_attendance.set(event_target_value(&ev))>
                                    {Attendance::ALL.iter().map(|a| view! { <option value=a.code() selected=move || chosen_attendance.get() == a.code()>{i18n.t(attendance(*a))}</option> }).collect_view()}
                                </select>
                            </Show>
                        })}
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="group">
                <legend>{i18n.t(Words::Agenda)}</legend>
                <For each=move || rows.get() key=|row| row.key let(row)>
                    {
                        let field = |name: &str| format!("agenda-{name}-{}", row.key);
                        let (title_id, notes_id, decisions_id) = (field("title"), field("notes"), field("decisions"));
                        view! {
                            <div class="agenda-item">
                                <label for=title_id.clone()>{i18n.t(Words::AgendaTitle)}</label>
                                <input id=title_id type="text" maxlength="300" bind:value=row.title/>
                                <label for=notes_id.clone()>{i18n.t(Words::Notes)}</label>
                                <textarea id=notes_id rows="3" maxlength="10000" bind:value=row.notes></textarea>
                                <label for=decisions_id.clone()>{i18n.t(Words::Decisions)}</label>
                                <textarea id=decisions_id rows="2" bind:value=row.decisions></textarea>
                                <button type="button" class="link" on:click=move |_| rows.update(|r| r.retain(|x| x.key != row.key))>{i18n.t(Words::RemoveItem)}</button>
                            </div>
                        }
                    }
                </For>
                <button type="button" class="link" on:click=add_item>{i18n.t(Words::AddItem)}</button>
            </fieldset>
            <fieldset class="group">
                <legend>{i18n.t(Words::Voice)}</legend>
                <label for="conference-presence">{i18n.t(Words::Presence)}</label>
                <select id="conference-presence" on:change=move |ev| presence_chosen.set(event_target_value(&ev))>
                    {Presence::ALL.iter().map(|p| view! { <option value=p.code() selected=move || presence_chosen.get() == p.code()>{i18n.t(presence(*p))}</option> }).collect_view()}
                </select>
                <label for="conference-voice">{i18n.t(Words::WantsSaid)}</label>
                <textarea id="conference-voice" rows="3" maxlength="10000" bind:value=wants_said></textarea>
            </fieldset>
            <SaveButton error=error busy=busy/>
        </form>
    }
}
