//! Small labels shared by result cards and the service page: open or closed, capacity
//! and how old that figure is.

use chrono::Datelike;
use harbour_types::{Capacity, CapacityStatus};
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Open now or closed now, and when closed, when it opens: `opens_next` comes at the
/// partnership's offset on that day, so its day and hour are the partnership's (whose
/// time zone the hours are read in) wherever the phone is.
#[component]
pub fn OpenBadge(open: bool, open_24_7: bool, opens_next: Option<chrono::DateTime<chrono::FixedOffset>>) -> impl IntoView {
    let i18n = use_i18n();
    // A 24/7 service closed on a holiday says closed, and when it opens again.
    let (class, label) = match (open_24_7, open) {
        (true, true) => ("badge badge-open", Msg::Open247),
        (false, true) => ("badge badge-open", Msg::OpenLabel),
        (_, false) => ("badge badge-closed", Msg::ClosedLabel),
    };
    let next = move || {
        let lang = i18n.0.get();
        opens_next.filter(|_| !open).map(|at| format!(" · {} {} {}", Msg::OpensAt.text(lang), lang.weekday_short(at.weekday()), at.format("%H:%M")))
    };
    view! { <span class=class>{i18n.t(label)}{next}</span> }
}

fn age_text(updated: Option<chrono::DateTime<chrono::Utc>>, lang: crate::i18n::Lang) -> Option<String> {
    let updated_ms = updated?.timestamp_millis() as f64;
    let minutes = ((js_sys::Date::now() - updated_ms) / 60_000.0).max(0.0) as i64;
    let (amount, unit) = match minutes {
        m if m < 60 => (m, Msg::MinutesAgo),
        m if m < 48 * 60 => (m / 60, Msg::HoursAgo),
        m => (m / (24 * 60), Msg::DaysAgo),
    };
    Some(format!("{} {amount} {}", Msg::UpdatedAgo.text(lang), unit.text(lang)))
}

/// Accepting, waitlist or full, with spots and how long ago it was updated.
#[component]
pub fn CapacityBadge(capacity: Capacity) -> impl IntoView {
    let i18n = use_i18n();
    let (class, label) = match capacity.status {
        CapacityStatus::Accepting => ("badge badge-open", Msg::CapacityAccepting),
        CapacityStatus::Waitlist => ("badge badge-wait", Msg::CapacityWaitlist),
        CapacityStatus::Full => ("badge badge-closed", Msg::CapacityFull),
    };
    let spots = match (capacity.available, capacity.unit.clone()) {
        (Some(available), Some(unit)) => Some(format!(" · {available} {unit}")),
        (Some(available), None) => Some(format!(" · {available}")),
        _ => None,
    };
    let updated = capacity.updated;
    view! {
        <span class=class>{i18n.t(label)}{spots}</span>
        <span class="muted small">{move || age_text(updated, i18n.0.get())}</span>
    }
}
