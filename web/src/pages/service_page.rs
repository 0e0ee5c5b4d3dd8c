//! One service: call or text in one tap, directions unless the place is confidential,
//! hours, who it is for, what to bring, languages, and how to get it.

use harbour_types::{PhoneKind, Role, ScheduleException, Service, Visibility, Weekday};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;

use crate::client;
use crate::components::directory::badges::{CapacityBadge, OpenBadge};
use crate::components::directory::labels::at_a_glance;
use crate::i18n::{problem_message, use_i18n, Lang, Msg};
use crate::session::use_session;

/// A day's name.
pub fn day_message(day: Weekday) -> Msg {
    match day {
        Weekday::Monday => Msg::Monday,
        Weekday::Tuesday => Msg::Tuesday,
        Weekday::Wednesday => Msg::Wednesday,
        Weekday::Thursday => Msg::Thursday,
        Weekday::Friday => Msg::Friday,
        Weekday::Saturday => Msg::Saturday,
        Weekday::Sunday => Msg::Sunday,
    }
}

/// A signed-in reader's way to the organization's profile (its groups, its services).
fn about_organization(organization_id: String) -> impl IntoView {
    let (i18n, session, go) = (use_i18n(), use_session(), crate::components::nav::use_go());
    let path = format!("/organizations/{organization_id}");
    session.token().map(|_| view! { <button type="button" class="link" on:click=move |_| go(&path)>{i18n.t(Msg::AboutOrganization)}</button> })
}

fn details(service: Service, lang: Lang) -> impl IntoView {
    let t = move |m: Msg| m.text(lang);
    let phones = service.phones.clone();
    let places = service.service_at_locations.iter().map(|sal| sal.location.clone()).collect::<Vec<_>>();
    let ages = match (service.minimum_age, service.maximum_age) {
        (Some(min), Some(max)) => Some(format!("{min}–{max}")),
        (Some(min), None) => Some(format!("{min}+")),
        (None, Some(max)) => Some(format!("≤ {max}")),
        (None, None) => None,
    };
    let languages = service.languages.iter().map(|l| l.code.to_uppercase()).collect::<Vec<_>>().join(", ");
    // The exceptions still to come (dates are the partnership's, read here as the phone's).
    let today = js_sys::Date::new_0();
    let today = chrono::NaiveDate::from_ymd_opt(today.get_full_year() as i32, today.get_month() + 1, today.get_date()).unwrap_or_default();
    let holidays: Vec<ScheduleException> = service.schedule_exceptions.iter().filter(|e| e.date >= today).cloned().collect();
    let attributes: Vec<Msg> = service.harbour_attributes.iter().copied().filter_map(at_a_glance).collect();
    view! {
        <article class="card service" aria-labelledby="service-title">
            <h1 id="service-title">{service.name.clone()}</h1>
            <div class="badges">
                <OpenBadge open=service.open_now open_24_7=service.open_24_7 opens_next=service.opens_next_at/>
                <CapacityBadge capacity=service.capacity.clone()/>
                {attributes.into_iter().map(|m| view! { <span class="badge badge-fit">{t(m)}</span> }).collect_view()}
            </div>
            <div class="actions">
                {phones.into_iter().map(|p| {
                    let (scheme, label) = match p.kind { PhoneKind::Text => ("sms", Msg::Text), PhoneKind::Voice => ("tel", Msg::Call) };
                    let after = p.after_hours.then(|| format!(" ({})", t(Msg::AfterHours)));
                    view! { <a class="call" href=format!("{scheme}:{}", p.number)>{t(label)}" "{p.number.clone()}{after}</a> }
                }).collect_view()}
            </div>
            <p>{service.description.clone()}</p>
            <h2>{t(Msg::HowToRefer)}</h2>
            <p>{service.application_process.clone()}</p>
            <h2>{t(Msg::Where)}</h2>
            <ul class="plain">
                {places.into_iter().map(|place| {
                    let hidden = place.addresses.is_empty() && place.visibility == Visibility::Confidential;
                    let address = place.addresses.first().map(|a| format!("{}, {}", a.address_1, a.city));
                    let directions = match (place.latitude, place.longitude) {
                        (Some(lat), Some(lon)) => Some(format!("https://www.google.com/maps/dir/?api=1&destination={lat},{lon}")),
                        _ => None,
                    };
                    view! {
                        <li>
                            <strong>{place.name.clone()}</strong>
                            {address.map(|a| view! { <div>{a}</div> })}
                            {hidden.then(|| view! { <div class="muted">{t(Msg::ConfidentialLocation)}</div> })}
                            {place.intake_instructions.clone().map(|i| view! { <div>{i}</div> })}
                            {directions.map(|href| view! { <a class="link" href=href rel="noreferrer" target="_blank">{t(Msg::Directions)}</a> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <h2>{t(Msg::Hours)}</h2>
            {if service.open_24_7 {
                view! { <p>{t(Msg::Open247)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {service.schedules.iter().map(|s| view! { <li>{t(day_message(s.byday))}" "{s.opens_at.clone()}"–"{s.closes_at.clone()}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            // Exceptions apply to 24/7 services too: a shelter closed one night says so.
            {(!holidays.is_empty()).then(|| view! {
                <h3>{t(Msg::HolidayHours)}</h3>
                <ul class="plain holidays">
                    {holidays.into_iter().map(|e| {
                        let hours = match (e.opens_at, e.closes_at) {
                            (Some(opens), Some(closes)) => format!("{opens}–{closes}"),
                            _ => t(Msg::ClosedAllDay).to_owned(),
                        };
                        let what = e.description.map(|d| format!(" ({d})"));
                        view! { <li><time datetime=e.date.to_string()>{e.date.to_string()}</time>" "{hours}{what}</li> }
                    }).collect_view()}
                </ul>
            })}
            <dl class="facts">
                {ages.map(|a| view! { <dt>{t(Msg::Ages)}</dt><dd>{a}</dd> })}
                {service.eligibility_description.clone().map(|e| view! { <dt>{t(Msg::Eligibility)}</dt><dd>{e}</dd> })}
                {(!service.required_documents.is_empty()).then(|| {
                    let documents = service.required_documents.iter().filter_map(|d| d.document.clone()).collect::<Vec<_>>().join(", ");
                    view! { <dt>{t(Msg::WhatToBring)}</dt><dd>{documents}</dd> }
                })}
                <dt>{t(Msg::Languages)}</dt><dd>{languages}</dd>
            </dl>
            {about_organization(service.organization_id.clone())}
            <ListingCheck service_id=service.id.clone() verified_at=service.verified_at/>
        </article>
    }
}

/// When a coordinator last confirmed the listing is current; coordinators confirm it here.
#[component]
fn ListingCheck(service_id: String, verified_at: Option<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let verified = RwSignal::new(verified_at);
    let failed = RwSignal::new(None::<Msg>);
    let confirm = move |_| {
        let (service_id, token) = (service_id.clone(), session.token());
        spawn_local(async move {
            match client::verify_service(token.as_deref(), &service_id).await {
                Ok(saved) => {
                    failed.set(None);
                    verified.set(saved.verified_at);
                }
                Err(e) => failed.set(Some(problem_message(e.code))),
            }
        });
    };
    view! {
        <p class="muted small" role="status">
            {move || match verified.get() {
                Some(at) => format!("{} {}", Msg::ListingConfirmed.text(i18n.0.get()), at.date_naive()),
                None => Msg::ListingNeverConfirmed.text(i18n.0.get()).to_owned(),
            }}
        </p>
        <Show when=move || session.has_any_role(&[Role::Coordinator, Role::SystemAdmin])>
            <button type="button" class="link" on:click=confirm.clone()>{i18n.t(Msg::ConfirmListing)}</button>
            <p class="error" role="alert">{move || failed.get().map(|m| m.text(i18n.0.get()))}</p>
        </Show>
    }
}

/// The service screen.
#[component]
pub fn ServicePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let navigate = use_navigate();
    let service = LocalResource::new(move || {
        let id = params.get().get("id").unwrap_or_default();
        let token = session.token();
        async move { client::service(token.as_deref(), &id).await }
    });
    view! {
        <button type="button" class="link-back" on:click=move |_| navigate("/", NavigateOptions { replace: true, ..Default::default() })>
            "← "{i18n.t(Msg::BackToResults)}
        </button>
        <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
            {move || service.get().map(|outcome| match outcome {
                Ok(found) => details(found, i18n.0.get()).into_any(),
                Err(_) => view! { <p class="error" role="alert">{i18n.t(Msg::ServiceNotFound)}</p> }.into_any(),
            })}
        </Transition>
    }
}
