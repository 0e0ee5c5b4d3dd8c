//! Adding or changing one of the organization's places (agency admins): where services
//! are delivered, who may see the address (a safe house's stays inside the
//! organization; others read only how to reach it), and how to get in. A change sends
//! the version read (If-Match). Its coordinates can be typed, or taken from the phone
//! while standing at the place.

use harbour_types::{Accessibility, AccessibilityInput, Location, LocationInput, Visibility};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

use crate::client;
use crate::components::form::{optional, save_failure, SaveButton};
use crate::components::directory::labels::visibility_label;
use crate::components::nav::use_go;
use crate::components::position::locate;
use crate::i18n::{use_i18n, Msg};
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    PlaceName => "Name of the place", "Nom du lieu";
    WhatItIs => "What it is", "Ce que c'est";
    WhoSeesTheAddress => "Who may see the address", "Qui peut voir l'adresse";
    StreetAddress => "Street address", "Adresse";
    City => "City or community", "Ville ou communauté";
    Province => "Province", "Province";
    PostalCode => "Postal code", "Code postal";
    Latitude => "Latitude", "Latitude";
    Longitude => "Longitude", "Longitude";
    Accessibility => "Accessibility", "Accessibilité";
    HowToReachIt => "How to reach it when the address is hidden", "Comment s'y rendre quand l'adresse est cachée";
    PlaceNotFound => "This place could not be found.", "Ce lieu est introuvable.";
    UseWhereIAm => "Use where I am now", "Utiliser ma position actuelle";
    PositionUnavailable => "Your position is not available: allow it, or type the coordinates.", "Votre position n'est pas disponible : autorisez-la, ou tapez les coordonnées.";
}}

/// The form, filled from `existing` when changing a place.
#[component]
fn PlaceForm(organization_id: String, existing: Option<Location>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let go = use_go();
    let base = existing.clone();
    let l = existing.as_ref();
    let address = l.and_then(|l| l.addresses.first().cloned());
    let text = |value: Option<String>| RwSignal::new(value.unwrap_or_default());
    let name = text(l.map(|l| l.name.clone()));
    let description = text(l.map(|l| l.description.clone()));
    let visibility = RwSignal::new(l.map_or(Visibility::Public, |l| l.visibility).code().to_owned());
    let street = text(address.as_ref().map(|a| a.address_1.clone()));
    let city = text(address.as_ref().map(|a| a.city.clone()));
    let province = text(Some(address.as_ref().map_or_else(|| "NS".to_owned(), |a| a.state_province.clone())));
    let postal_code = text(address.as_ref().map(|a| a.postal_code.clone()));
    let latitude = text(l.and_then(|l| l.latitude).map(|v| v.to_string()));
    let longitude = text(l.and_then(|l| l.longitude).map(|v| v.to_string()));
    // One provision per line; a line left as it was keeps its details and link.
    let kept_accessibility: Vec<Accessibility> = l.map(|l| l.accessibility.clone()).unwrap_or_default();
    let accessibility = text(Some(kept_accessibility.iter().filter_map(|a| a.description.clone().or_else(|| a.details.clone())).collect::<Vec<_>>().join("\n")));
    let intake = text(l.and_then(|l| l.intake_instructions.clone()));
    let position_refused = RwSignal::new(false);
    // Standing at the place is how most agencies will know its coordinates: to the metre.
    let use_position = move |_| {
        position_refused.set(false);
        locate(5, move |position| match position {
            Some((lat, lng)) => {
                latitude.set(lat.to_string());
                longitude.set(lng.to_string());
            }
            None => position_refused.set(true),
        });
    };
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let coordinate = |value: RwSignal<String>| value.get_untracked().trim().replace(',', ".").parse::<f64>().ok();
        let body = LocationInput {
            name: name.get_untracked().trim().to_owned(),
            description: description.get_untracked(),
            visibility: Visibility::from_code(&visibility.get_untracked()).unwrap_or(Visibility::Public),
            address_1: optional(street.get_untracked()),
            city: optional(city.get_untracked()),
            state_province: optional(province.get_untracked()),
            postal_code: optional(postal_code.get_untracked()),
            latitude: coordinate(latitude),
            longitude: coordinate(longitude),
            accessibility: accessibility
                .get_untracked()
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(|line| match kept_accessibility.iter().find(|a| a.description.as_deref().or(a.details.as_deref()) == Some(line)) {
                    Some(a) => AccessibilityInput { description: a.description.clone(), details: a.details.clone(), url: a.url.clone() },
                    None => AccessibilityInput { description: Some(line.to_owned()), details: None, url: None },
                })
                .collect(),
            intake_instructions: optional(intake.get_untracked()),
        };
        busy.set(true);
        error.set(None);
        let token = session.token();
        let base = base.clone();
        let go = go.clone();
        let organization_id = organization_id.clone();
        spawn_local(async move {
            let saved = client::save_location(token.as_deref(), &organization_id, base.as_ref().map(|l| (l.id.as_str(), l.version)), &body).await;
            busy.set(false);
            match saved {
                Ok(_) => go("/my-organization"),
                Err(e) => error.set(Some(save_failure(&e))),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit novalidate>
            <label for="place-name">{i18n.t(Local::PlaceName)}</label>
            <input id="place-name" required maxlength="200" autocomplete="off" bind:value=name/>
            <label for="place-description">{i18n.t(Local::WhatItIs)}</label>
            <textarea id="place-description" rows="2" maxlength="2000" bind:value=description></textarea>
            <label for="place-visibility">{i18n.t(Local::WhoSeesTheAddress)}</label>
            <select id="place-visibility" prop:value=move || visibility.get() on:change=move |ev| visibility.set(event_target_value(&ev))>
                {Visibility::ALL.iter().map(|v| view! { <option value=v.code()>{i18n.t(visibility_label(*v))}</option> }).collect_view()}
            </select>
            <label for="place-street">{i18n.t(Local::StreetAddress)}</label>
            <input id="place-street" maxlength="200" autocomplete="off" bind:value=street/>
            <label for="place-city">{i18n.t(Local::City)}</label>
            <input id="place-city" maxlength="100" autocomplete="off" bind:value=city/>
            <div class="pair">
                <div>
                    <label for="place-province">{i18n.t(Local::Province)}</label>
                    <input id="place-province" maxlength="60" autocomplete="off" bind:value=province/>
                </div>
                <div>
                    <label for="place-postal-code">{i18n.t(Local::PostalCode)}</label>
                    <input id="place-postal-code" maxlength="12" autocomplete="off" bind:value=postal_code/>
                </div>
            </div>
            <div class="pair">
                <div>
                    <label for="place-latitude">{i18n.t(Local::Latitude)}</label>
                    <input id="place-latitude" inputmode="decimal" autocomplete="off" bind:value=latitude/>
                </div>
                <div>
                    <label for="place-longitude">{i18n.t(Local::Longitude)}</label>
                    <input id="place-longitude" inputmode="decimal" autocomplete="off" bind:value=longitude/>
                </div>
            </div>
            <button type="button" class="chip" on:click=use_position>{i18n.t(Local::UseWhereIAm)}</button>
            <Show when=move || position_refused.get()>
                <p class="error" role="alert">{i18n.t(Local::PositionUnavailable)}</p>
            </Show>
            <label for="place-accessibility">{i18n.t(Local::Accessibility)}</label>
            <textarea id="place-accessibility" rows="2" maxlength="1000" bind:value=accessibility></textarea>
            <label for="place-intake">{i18n.t(Local::HowToReachIt)}</label>
            <textarea id="place-intake" rows="2" maxlength="1000" bind:value=intake></textarea>
            <SaveButton error=error busy=busy/>
        </form>
    }
}

/// Adding a place to the signed-in admin's organization.
#[component]
pub fn NewPlacePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    view! {
        <section aria-labelledby="new-place-title">
            <h1 id="new-place-title">{i18n.t(Msg::AddPlace)}</h1>
            {move || session.organization().map(|o| o.id).map(|organization_id| view! { <PlaceForm organization_id=organization_id existing=None/> })}
        </section>
    }
}

/// Changing one of the organization's places (read from its list: there is one list
/// per organization, and it is short).
#[component]
pub fn EditPlacePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let place = LocalResource::new(move || {
        let id = params.read().get("id").unwrap_or_default();
        let organization = session.organization().map(|o| o.id).unwrap_or_default();
        let token = session.token();
        async move {
            let places = client::locations_of(token.as_deref(), &organization).await?;
            Ok::<_, crate::api::ApiError>(places.into_iter().find(|l| l.id == id))
        }
    });
    view! {
        <section aria-labelledby="edit-place-title">
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || place.get().map(|outcome| match (outcome, session.organization().map(|o| o.id)) {
                    (Ok(Some(l)), Some(organization_id)) => view! {
                        <h1 id="edit-place-title">{l.name.clone()}</h1>
                        <PlaceForm organization_id=organization_id existing=Some(l)/>
                    }.into_any(),
                    _ => view! { <p class="error" role="alert">{i18n.t(Local::PlaceNotFound)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
