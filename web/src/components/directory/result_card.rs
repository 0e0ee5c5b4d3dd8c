//! One search result: what an outreach worker needs to decide in a glance, and a way
//! to call straight from the list.

use harbour_types::SearchHit;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use super::badges::{CapacityBadge, OpenBadge};
use super::labels::at_a_glance;
use crate::i18n::{use_i18n, Msg};

/// A result card.
#[component]
pub fn ResultCard(hit: SearchHit) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let path = format!("/services/{}", hit.id);
    let distance = hit.distance_km.map(|km| (km, hit.distance_approximate));
    let phone = hit.phone.clone();
    let attributes: Vec<Msg> = hit.harbour_attributes.iter().copied().filter_map(at_a_glance).collect();
    view! {
        <li class="result">
            // Replace, not push: Harbour keeps one history entry, which quick exit replaces.
            <button type="button" class="result-main" on:click=move |_| navigate(&path, NavigateOptions { replace: true, ..Default::default() })>
                <span class="result-name">{hit.name.clone()}</span>
                <span class="muted">{hit.organization_name.clone()}</span>
            </button>
            <div class="badges">
                <OpenBadge open=hit.open_now open_24_7=hit.open_24_7 opens_next=hit.opens_next_at/>
                <CapacityBadge capacity=hit.capacity.clone()/>
                {distance.map(|(km, rough)| view! {
                    <span class="badge">{move || if rough { format!("{} {km:.0} {}", Msg::About.text(i18n.0.get()), Msg::KmAway.text(i18n.0.get())) } else { format!("{km:.1} {}", Msg::KmAway.text(i18n.0.get())) }}</span>
                })}
                {attributes.into_iter().map(|label| view! { <span class="badge badge-fit">{i18n.t(label)}</span> }).collect_view()}
            </div>
            {phone.map(|p| view! {
                <a class="call" href=format!("tel:{}", p.number)>{i18n.t(Msg::Call)}" "{p.number.clone()}</a>
            })}
        </li>
    }
}
