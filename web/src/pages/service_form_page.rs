//! Adding or changing one of the organization's services (agency admins): what it is,
//! how to get it, phones, weekly and holiday hours, who it serves, categories, regions
//! and places. A change sends the version read (If-Match), so a colleague's edit in
//! between is never overwritten unseen. Fields this form does not show (alternate name,
//! fees, interpretation) are sent back as they were.

use harbour_types::{
    PhoneInput, PhoneKind, RequiredDocumentInput, ScheduleExceptionInput, ScheduleInput, Service, ServiceAttribute, ServiceInput, ServiceStatus, Weekday,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::client;
use crate::components::form::{optional, save_failure, term_labels, CheckList, SaveButton};
use crate::components::directory::labels::{attribute_label, status_label};
use crate::components::nav::use_go;
use crate::i18n::{use_i18n, Lang, Msg};
use crate::pages::service_page::day_message;
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    ServiceName => "Name of the service", "Nom du service";
    WhatItOffers => "What it offers", "Ce qu'il offre";
    YoungestAge => "Youngest age served", "Âge minimum";
    OldestAge => "Oldest age served", "Âge maximum";
    LanguageCodes => "Languages (codes, commas between: en, fr, mic)", "Langues (codes séparés par des virgules : en, fr, mic)";
    WebPage => "Web page", "Page Web";
    ServiceEmail => "E-mail address", "Adresse courriel";
    ServiceStatusLabel => "Status", "État";
    FreeOfCharge => "Free of charge", "Gratuit";
    OpenAroundTheClock => "Open 24/7", "Ouvert 24 h sur 24, 7 jours sur 7";
    Phones => "Phone numbers", "Numéros de téléphone";
    PhoneNumber => "Number", "Numéro";
    PhoneKindLabel => "Calls or texts", "Appels ou textos";
    PhoneNote => "What the number is for", "À quoi sert ce numéro";
    AnswersAfterHours => "Answers after hours", "Répond après les heures";
    AddPhone => "Add a phone number", "Ajouter un numéro";
    RemovePhone => "Remove this number", "Retirer ce numéro";
    WeeklyHours => "Weekly hours", "Heures de la semaine";
    Day => "Day", "Jour";
    AddHours => "Add opening hours", "Ajouter des heures";
    RemoveHours => "Remove these hours", "Retirer ces heures";
    Date => "Date", "Date";
    HolidayName => "What day it is", "Quel jour";
    ClosedThatDay => "Closed all day", "Fermé toute la journée";
    AddHoliday => "Add a holiday", "Ajouter un jour férié";
    RemoveHoliday => "Remove this day", "Retirer ce jour";
}}

/// A repeatable group of fields (phones, hours, holiday hours). Rows are keyed, so
/// removing one leaves the fields of the others as typed.
struct Rows<T: Send + Sync + 'static> {
    items: RwSignal<Vec<(u32, T)>>,
    next: StoredValue<u32>,
}

impl<T: Send + Sync + 'static> Clone for Rows<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Rows<T> {}

impl<T: Clone + Send + Sync + 'static> Rows<T> {
    fn new(initial: Vec<T>) -> Self {
        let count = u32::try_from(initial.len()).unwrap_or(u32::MAX);
        Rows { items: RwSignal::new((0..).zip(initial).collect()), next: StoredValue::new(count) }
    }

    fn add(&self, item: T) {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        self.items.update(|rows| rows.push((key, item)));
    }

    fn remove(&self, key: u32) {
        self.items.update(|rows| rows.retain(|(k, _)| *k != key));
    }

    fn values(&self) -> Vec<T> {
        self.items.get_untracked().into_iter().map(|(_, row)| row).collect()
    }
}

#[derive(Clone, Copy)]
struct PhoneFields {
    number: RwSignal<String>,
    kind: RwSignal<String>,
    after_hours: RwSignal<bool>,
    description: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct HoursFields {
    day: RwSignal<String>,
    opens: RwSignal<String>,
    closes: RwSignal<String>,
    /// Not shown; kept so a saved note is not lost.
    description: RwSignal<String>,
}

#[derive(Clone, Copy)]
struct HolidayFields {
    date: RwSignal<String>,
    closed: RwSignal<bool>,
    opens: RwSignal<String>,
    closes: RwSignal<String>,
    description: RwSignal<String>,
}

fn signal(value: impl Into<String>) -> RwSignal<String> {
    RwSignal::new(value.into())
}

/// Harbour's attributes by family, as the form groups them.
const ATTRIBUTE_GROUPS: [(&str, Msg); 5] =
    [("fit:", Msg::HowItWorks), ("culture:", Msg::CulturalSupport), ("gender:", Msg::GenderServed), ("stage:", Msg::StagesOfChange), ("pillar:", Msg::Pillars)];

/// The form, filled from `existing` when changing a service.
#[component]
fn ServiceForm(organization_id: String, existing: Option<Service>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let go = use_go();
    let base = existing.clone();
    let s = existing.as_ref();
    let name = signal(s.map(|s| s.name.clone()).unwrap_or_default());
    let description = signal(s.map(|s| s.description.clone()).unwrap_or_default());
    let application_process = signal(s.map(|s| s.application_process.clone()).unwrap_or_default());
    let eligibility = signal(s.and_then(|s| s.eligibility_description.clone()).unwrap_or_default());
    let minimum_age = signal(s.and_then(|s| s.minimum_age).map(|a| a.to_string()).unwrap_or_default());
    let maximum_age = signal(s.and_then(|s| s.maximum_age).map(|a| a.to_string()).unwrap_or_default());
    // One document per line; a line left as it was keeps its link.
    let required_documents = signal(s.map(|s| s.required_documents.iter().filter_map(|d| d.document.clone()).collect::<Vec<_>>().join("\n")).unwrap_or_default());
    let url = signal(s.and_then(|s| s.url.clone()).unwrap_or_default());
    let email = signal(s.and_then(|s| s.email.clone()).unwrap_or_default());
    let languages = signal(s.map(|s| s.languages.iter().map(|l| l.code.clone()).collect::<Vec<_>>().join(", ")).unwrap_or_default());
    let status = signal(s.map_or(ServiceStatus::Active, |s| s.status).code());
    let accepts_referrals = RwSignal::new(s.is_none_or(|s| s.accepts_referrals));
    let free = RwSignal::new(s.is_none_or(|s| s.free));
    let open_24_7 = RwSignal::new(s.is_some_and(|s| s.open_24_7));
    let phones = Rows::new(
        s.map(|s| s.phones.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|p| PhoneFields {
                number: signal(p.number),
                kind: signal(p.kind.code()),
                after_hours: RwSignal::new(p.after_hours),
                description: signal(p.description.unwrap_or_default()),
            })
            .collect(),
    );
    let hours = Rows::new(
        s.map(|s| s.schedules.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|h| HoursFields { day: signal(h.byday.code()), opens: signal(h.opens_at), closes: signal(h.closes_at), description: signal(h.description.unwrap_or_default()) })
            .collect(),
    );
    let holidays = Rows::new(
        s.map(|s| s.schedule_exceptions.clone())
            .unwrap_or_default()
            .into_iter()
            .map(|e| HolidayFields {
                date: signal(e.date.to_string()),
                closed: RwSignal::new(e.opens_at.is_none()),
                opens: signal(e.opens_at.unwrap_or_default()),
                closes: signal(e.closes_at.unwrap_or_default()),
                description: signal(e.description.unwrap_or_default()),
            })
            .collect(),
    );
    let ids = |list: Option<Vec<String>>| RwSignal::new(list.unwrap_or_default());
    let attributes = ids(s.map(|s| s.harbour_attributes.iter().map(|a| a.code().to_owned()).collect()));
    let categories = ids(s.map(|s| s.categories.iter().map(|c| c.id.clone()).collect()));
    let regions = ids(s.map(|s| s.regions.iter().map(|r| r.id.clone()).collect()));
    let places = ids(s.map(|s| s.service_at_locations.iter().map(|l| l.location_id.clone()).collect()));

    let terms = LocalResource::new(move || {
        let token = session.token();
        async move { client::taxonomy_terms(token.as_deref()).await }
    });
    let region_list = LocalResource::new(move || {
        let token = session.token();
        async move { client::regions(token.as_deref()).await }
    });
    let owner = organization_id.clone();
    let location_list = LocalResource::new(move || {
        let (token, owner) = (session.token(), owner.clone());
        async move { client::locations_of(token.as_deref(), &owner).await }
    });
    let in_language = move |en: String, fr: String| if i18n.0.get() == Lang::Fr { fr } else { en };
    let term_choices = Signal::derive(move || term_labels(terms.get().and_then(Result::ok).map(|p| p.contents).unwrap_or_default(), i18n.0.get()));
    let region_choices = Signal::derive(move || region_list.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|r| (r.id, in_language(r.name, r.name_fr))).collect());
    let place_choices = Signal::derive(move || location_list.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|l| (l.id, l.name)).collect());

    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let age = |text: String| text.trim().parse::<i32>().ok();
        let mut schedule_exceptions = Vec::new();
        for holiday in holidays.values() {
            let date = holiday.date.get_untracked();
            if date.trim().is_empty() {
                continue;
            }
            let Ok(date) = date.parse() else {
                error.set(Some(Msg::DateNotValid));
                return;
            };
            let (opens_at, closes_at) = if holiday.closed.get_untracked() { (None, None) } else { (optional(holiday.opens.get_untracked()), optional(holiday.closes.get_untracked())) };
            schedule_exceptions.push(ScheduleExceptionInput { date, opens_at, closes_at, description: optional(holiday.description.get_untracked()) });
        }
        let body = ServiceInput {
            name: name.get_untracked().trim().to_owned(),
            alternate_name: base.as_ref().and_then(|s| s.alternate_name.clone()),
            description: description.get_untracked(),
            url: optional(url.get_untracked()),
            email: optional(email.get_untracked()),
            status: ServiceStatus::from_code(&status.get_untracked()).unwrap_or(ServiceStatus::Active),
            interpretation_services: base.as_ref().and_then(|s| s.interpretation_services.clone()),
            application_process: application_process.get_untracked(),
            fees_description: base.as_ref().and_then(|s| s.fees_description.clone()),
            free: free.get_untracked(),
            eligibility_description: optional(eligibility.get_untracked()),
            minimum_age: age(minimum_age.get_untracked()),
            maximum_age: age(maximum_age.get_untracked()),
            required_documents: required_documents
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(|line| RequiredDocumentInput {
                    document: line.to_owned(),
                    uri: base.as_ref().and_then(|s| s.required_documents.iter().find(|d| d.document.as_deref() == Some(line))).and_then(|d| d.uri.clone()),
                })
                .collect(),
            open_24_7: open_24_7.get_untracked(),
            accepts_referrals: accepts_referrals.get_untracked(),
            phones: phones
                .values()
                .into_iter()
                .filter_map(|p| {
                    Some(PhoneInput {
                        number: optional(p.number.get_untracked())?,
                        kind: PhoneKind::from_code(&p.kind.get_untracked()).unwrap_or(PhoneKind::Voice),
                        after_hours: p.after_hours.get_untracked(),
                        description: optional(p.description.get_untracked()),
                    })
                })
                .collect(),
            schedules: hours
                .values()
                .into_iter()
                .filter_map(|h| {
                    Some(ScheduleInput {
                        byday: Weekday::from_code(&h.day.get_untracked())?,
                        opens_at: optional(h.opens.get_untracked())?,
                        closes_at: optional(h.closes.get_untracked())?,
                        description: optional(h.description.get_untracked()),
                    })
                })
                .collect(),
            schedule_exceptions,
            location_ids: places.get_untracked(),
            languages: languages.get_untracked().split(',').filter_map(|l| optional(l.to_lowercase())).collect(),
            harbour_attributes: attributes.get_untracked().iter().filter_map(|code| ServiceAttribute::from_code(code)).collect(),
            category_ids: categories.get_untracked(),
            region_ids: regions.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        let token = session.token();
        let base = base.clone();
        let go = go.clone();
        let organization_id = organization_id.clone();
        spawn_local(async move {
            let saved = client::save_service(token.as_deref(), &organization_id, base.as_ref().map(|s| (s.id.as_str(), s.version)), &body).await;
            busy.set(false);
            match saved {
                Ok(s) => go(&format!("/services/{}", s.id)),
                Err(e) => error.set(Some(save_failure(&e))),
            }
        });
    };

    let time_input = move |id: String, label: Msg, value: RwSignal<String>| {
        view! {
            <label for=id.clone()>{i18n.t(label)}</label>
            <input id=id type="time" bind:value=value/>
        }
    };
    view! {
        <form class="card" on:submit=submit novalidate>
            <label for="service-name">{i18n.t(Local::ServiceName)}</label>
            <input id="service-name" required maxlength="200" autocomplete="off" bind:value=name/>
            <label for="service-description">{i18n.t(Local::WhatItOffers)}</label>
            <textarea id="service-description" rows="4" maxlength="8000" bind:value=description></textarea>
            <label for="application-process">{i18n.t(Msg::HowToRefer)}</label>
            <textarea id="application-process" rows="2" maxlength="2000" bind:value=application_process></textarea>
            <label for="eligibility">{i18n.t(Msg::Eligibility)}</label>
            <textarea id="eligibility" rows="2" maxlength="2000" bind:value=eligibility></textarea>
            <div class="pair">
                <div>
                    <label for="minimum-age">{i18n.t(Local::YoungestAge)}</label>
                    <input id="minimum-age" type="number" inputmode="numeric" min="0" max="120" bind:value=minimum_age/>
                </div>
                <div>
                    <label for="maximum-age">{i18n.t(Local::OldestAge)}</label>
                    <input id="maximum-age" type="number" inputmode="numeric" min="0" max="120" bind:value=maximum_age/>
                </div>
            </div>
            <label for="required-documents">{i18n.t(Msg::WhatToBring)}</label>
            <textarea id="required-documents" rows="2" maxlength="2000" bind:value=required_documents></textarea>
            <label for="service-languages">{i18n.t(Local::LanguageCodes)}</label>
            <input id="service-languages" autocomplete="off" bind:value=languages/>
            <label for="service-url">{i18n.t(Local::WebPage)}</label>
            <input id="service-url" type="url" autocomplete="off" bind:value=url/>
            <label for="service-email">{i18n.t(Local::ServiceEmail)}</label>
            <input id="service-email" type="email" autocomplete="off" bind:value=email/>
            <label for="service-status">{i18n.t(Local::ServiceStatusLabel)}</label>
            <select id="service-status" prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                {ServiceStatus::ALL.iter().map(|s| view! { <option value=s.code()>{i18n.t(status_label(*s))}</option> }).collect_view()}
            </select>
            <label class="check"><input type="checkbox" bind:checked=accepts_referrals/>{i18n.t(Msg::TakesReferrals)}</label>
            <label class="check"><input type="checkbox" bind:checked=free/>{i18n.t(Local::FreeOfCharge)}</label>
            <label class="check"><input type="checkbox" bind:checked=open_24_7/>{i18n.t(Local::OpenAroundTheClock)}</label>

            <fieldset class="group">
                <legend>{i18n.t(Local::Phones)}</legend>
                <For each=move || phones.items.get() key=|(key, _)| *key let((key, phone))>
                    <div class="row-group">
                        <label for=format!("phone-{key}")>{i18n.t(Local::PhoneNumber)}</label>
                        <input id=format!("phone-{key}") type="tel" autocomplete="off" bind:value=phone.number/>
                        <label for=format!("phone-kind-{key}")>{i18n.t(Local::PhoneKindLabel)}</label>
                        <select id=format!("phone-kind-{key}") prop:value=move || phone.kind.get() on:change=move |ev| phone.kind.set(event_target_value(&ev))>
                            <option value="voice">{i18n.t(Msg::Call)}</option>
                            <option value="text">{i18n.t(Msg::Text)}</option>
                        </select>
                        <label for=format!("phone-note-{key}")>{i18n.t(Local::PhoneNote)}</label>
                        <input id=format!("phone-note-{key}") autocomplete="off" bind:value=phone.description/>
                        <label class="check"><input type="checkbox" bind:checked=phone.after_hours/>{i18n.t(Local::AnswersAfterHours)}</label>
                        <button type="button" class="link" on:click=move |_| phones.remove(key)>{i18n.t(Local::RemovePhone)}</button>
                    </div>
                </For>
                <button type="button" class="link" on:click=move |_| phones.add(PhoneFields { number: signal(""), kind: signal("voice"), after_hours: RwSignal::new(false), description: signal("") })>
                    {i18n.t(Local::AddPhone)}
                </button>
            </fieldset>

            <fieldset class="group">
                <legend>{i18n.t(Local::WeeklyHours)}</legend>
                <For each=move || hours.items.get() key=|(key, _)| *key let((key, row))>
                    <div class="row-group">
                        <label for=format!("day-{key}")>{i18n.t(Local::Day)}</label>
                        <select id=format!("day-{key}") prop:value=move || row.day.get() on:change=move |ev| row.day.set(event_target_value(&ev))>
                            {Weekday::ALL.iter().map(|d| view! { <option value=d.code()>{i18n.t(day_message(*d))}</option> }).collect_view()}
                        </select>
                        <div class="pair">
                            <div>{time_input(format!("opens-{key}"), Msg::Opens, row.opens)}</div>
                            <div>{time_input(format!("closes-{key}"), Msg::Closes, row.closes)}</div>
                        </div>
                        <button type="button" class="link" on:click=move |_| hours.remove(key)>{i18n.t(Local::RemoveHours)}</button>
                    </div>
                </For>
                <button type="button" class="link" on:click=move |_| hours.add(HoursFields { day: signal("MO"), opens: signal("09:00"), closes: signal("17:00"), description: signal("") })>
                    {i18n.t(Local::AddHours)}
                </button>
            </fieldset>

            <fieldset class="group">
                <legend>{i18n.t(Msg::HolidayHours)}</legend>
                <For each=move || holidays.items.get() key=|(key, _)| *key let((key, row))>
                    <div class="row-group">
                        <label for=format!("holiday-{key}")>{i18n.t(Local::Date)}</label>
                        <input id=format!("holiday-{key}") type="date" bind:value=row.date/>
                        <label for=format!("holiday-name-{key}")>{i18n.t(Local::HolidayName)}</label>
                        <input id=format!("holiday-name-{key}") autocomplete="off" bind:value=row.description/>
                        <label class="check"><input type="checkbox" bind:checked=row.closed/>{i18n.t(Local::ClosedThatDay)}</label>
                        <Show when=move || !row.closed.get()>
                            <div class="pair">
                                <div>{time_input(format!("holiday-opens-{key}"), Msg::Opens, row.opens)}</div>
                                <div>{time_input(format!("holiday-closes-{key}"), Msg::Closes, row.closes)}</div>
                            </div>
                        </Show>
                        <button type="button" class="link" on:click=move |_| holidays.remove(key)>{i18n.t(Local::RemoveHoliday)}</button>
                    </div>
                </For>
                <button type="button" class="link"
                    on:click=move |_| holidays.add(HolidayFields { date: signal(""), closed: RwSignal::new(true), opens: signal(""), closes: signal(""), description: signal("") })>
                    {i18n.t(Local::AddHoliday)}
                </button>
            </fieldset>

            {ATTRIBUTE_GROUPS.iter().map(|(prefix, legend)| {
                let prefix = *prefix;
                let choices = Signal::derive(move || {
                    let lang = i18n.0.get();
                    ServiceAttribute::ALL.iter().filter(|a| a.code().starts_with(prefix)).map(|a| (a.code().to_owned(), attribute_label(*a).text(lang).to_owned())).collect()
                });
                view! { <CheckList id="attribute" legend=*legend choices=choices chosen=attributes/> }
            }).collect_view()}
            <CheckList id="category" legend=Msg::Categories choices=term_choices chosen=categories/>
            <CheckList id="region" legend=Msg::RegionsServed choices=region_choices chosen=regions/>
            <CheckList id="place" legend=Msg::Where choices=place_choices chosen=places/>

            <SaveButton error=error busy=busy/>
        </form>
    }
}

/// Adding a service to the signed-in admin's organization.
#[component]
pub fn NewServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <section aria-labelledby="new-service-title">
            <h1 id="new-service-title">{i18n.t(Msg::AddService)}</h1>
            {move || session.organization().map(|o| o.id).map(|organization_id| view! { <ServiceForm organization_id=organization_id existing=None/> })}
        </section>
    }
}

/// Changing one of the organization's services.
#[component]
pub fn EditServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let service = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        let token = session.token();
        async move { client::service(token.as_deref(), &id).await }
    });
    view! {
        <section aria-labelledby="edit-service-title">
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || service.get().map(|outcome| match outcome {
                    Ok(s) => view! {
                        <h1 id="edit-service-title">{s.name.clone()}</h1>
                        <ServiceForm organization_id=s.organization_id.clone() existing=Some(s)/>
                    }.into_any(),
                    Err(_) => view! { <p class="error" role="alert">{i18n.t(Msg::ServiceNotFound)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
