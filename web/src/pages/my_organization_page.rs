//! "My organization", for agency admins: their services, with capacity updated in one
//! tap, a way into each service's details, and a way to add one. Each save sends the version read (If-Match), so a colleague's change is never
//! overwritten unseen: a conflict reloads the service and says so.

use harbour_types::{CapacityInput, CapacityStatus, Service};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client;
use crate::components::directory::badges::CapacityBadge;
use crate::components::directory::labels::visibility_label;
use crate::components::nav::use_go;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    EditService => "Edit details", "Modifier la fiche";
    OurPlaces => "Our places", "Nos lieux";
    EditPlace => "Edit place", "Modifier le lieu";
    MyServices => "Our services and capacity", "Nos services et leur capacité";
    SpotsAvailable => "Spots free", "Places libres";
    Capacity => "Capacity", "Capacité";
    SaveCapacity => "Save", "Enregistrer";
    NoServicesYet => "Your organization has no services listed yet.", "Votre organisme n'a encore aucun service inscrit.";
}}

fn status_message(status: CapacityStatus) -> Msg {
    match status {
        CapacityStatus::Accepting => Msg::CapacityAccepting,
        CapacityStatus::Waitlist => Msg::CapacityWaitlist,
        CapacityStatus::Full => Msg::CapacityFull,
    }
}

/// One service's capacity controls.
#[component]
fn CapacityEditor(service: Service, reload: Callback<()>, notify: Callback<(Msg, bool)>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let status = RwSignal::new(service.capacity.status);
    let available = RwSignal::new(service.capacity.available.map(|n| n.to_string()).unwrap_or_default());
    let id = service.id.clone();
    let version = service.version;
    let capacity = service.capacity.clone();
    let spots_id = format!("spots-{}", service.id);
    let service_name = service.name.clone();
    let edit_path = format!("/my-organization/services/{}/edit", service.id);
    let go = use_go();
    let save = move |chosen: CapacityStatus| {
        status.set(chosen);
        let body = CapacityInput {
            status: chosen,
            available: available.get_untracked().trim().parse().ok(),
            maximum: capacity.maximum,
            unit: capacity.unit.clone(),
        };
        let (id, token) = (id.clone(), session.token());
        spawn_local(async move {
            match client::set_capacity(token.as_deref(), &id, version, &body).await {
                Ok(_) => {
                    notify.run((Msg::CapacitySaved, false));
                    reload.run(());
                }
                Err(e) if e.status == 412 => {
                    notify.run((Msg::ChangedElsewhere, true));
                    reload.run(());
                }
                Err(e) => notify.run((problem_message(e.code), true)),
            }
        });
    };
    let save_current = save.clone();
    view! {
        <li class="result">
            <span class="result-name">{service.name.clone()}</span>
            <div class="badges"><CapacityBadge capacity=service.capacity.clone()/></div>
            <div class="segmented" role="group" aria-label=i18n.t(Local::Capacity)>
                {CapacityStatus::ALL.iter().copied().map(|choice| {
                    let save = save.clone();
                    view! {
                        <button type="button" class="chip" aria-pressed=move || (status.get() == choice).to_string() on:click=move |_| save(choice)>
                            {i18n.t(status_message(choice))}
                        </button>
                    }
                }).collect_view()}
            </div>
            <label for=spots_id.clone()>{i18n.t(Local::SpotsAvailable)}</label>
            <div class="inline">
                <input id=spots_id type="number" inputmode="numeric" min="0" bind:value=available/>
                <button type="button" class="primary" on:click=move |_| save_current(status.get_untracked())>{i18n.t(Local::SaveCapacity)}</button>
            </div>
            <button type="button" class="link" aria-label=move || format!("{} — {}", i18n.t(Local::EditService)(), service_name)
                on:click=move |_| go(&edit_path)>{i18n.t(Local::EditService)}</button>
        </li>
    }
}

/// The my-organization screen.
#[component]
pub fn MyOrganizationPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let generation = RwSignal::new(0u32);
    let organization = move || session.organization();
    let services = LocalResource::new(move || {
        generation.track();
        let token = session.token();
        let organization = organization().map(|o| o.id).unwrap_or_default();
        async move {
            client::services_of(token.as_deref(), &organization).await
        }
    });
    let places = LocalResource::new(move || {
        let token = session.token();
        let organization = organization().map(|o| o.id).unwrap_or_default();
        async move { client::locations_of(token.as_deref(), &organization).await }
    });
    let go = use_go();
    let reload = Callback::new(move |()| generation.update(|g| *g += 1));
    // Kept here, not in each service's row: a save reloads the rows, and the
    // confirmation must outlive that.
    let message = RwSignal::new(None::<(Msg, bool)>);
    let notify = Callback::new(move |m: (Msg, bool)| message.set(Some(m)));
    view! {
        <section aria-labelledby="my-org-title">
            <h1 id="my-org-title">{move || organization().map(|o| o.name)}</h1>
            <h2>{i18n.t(Local::MyServices)}</h2>
            <button type="button" class="link" on:click={
                let go = go.clone();
                move |_| go("/my-organization/services/new")
            }>{i18n.t(Msg::AddService)}</button>
            <p class=move || if message.get().is_some_and(|m| m.1) { "error" } else { "notice" } role="status" aria-live="polite">
                {move || message.get().map(|(m, _)| m.text(i18n.0.get()))}
            </p>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || services.get().map(|outcome| match outcome {
                    Ok(page) if page.contents.is_empty() => view! { <p class="muted">{i18n.t(Local::NoServicesYet)}</p> }.into_any(),
                    Ok(page) => view! {
                        <ul class="results">
                            {page.contents.into_iter().map(|service| view! { <CapacityEditor service=service reload=reload notify=notify/> }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
            <h2>{i18n.t(Local::OurPlaces)}</h2>
            <button type="button" class="link" on:click={
                let go = go.clone();
                move |_| go("/my-organization/places/new")
            }>{i18n.t(Msg::AddPlace)}</button>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || places.get().and_then(Result::ok).map(|list| view! {
                    <ul class="plain">
                        {list.into_iter().map(|place| {
                            let (go, path) = (go.clone(), format!("/my-organization/places/{}/edit", place.id));
                            let label = format!("{} — {}", Local::EditPlace.text(i18n.0.get_untracked()), place.name);
                            view! {
                                <li>
                                    <button type="button" class="link" aria-label=label on:click=move |_| go(&path)>{place.name.clone()}</button>
                                    <div class="muted small">{i18n.t(visibility_label(place.visibility))}</div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })}
            </Transition>
        </section>
    }
}
