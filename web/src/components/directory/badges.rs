//! Small labels shared by result cards and the service page: open or closed, capacity
//! and how old that figure is.

use harbour_types::{Capacity, CapacityStatus};
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// Open now or closed now.
#[component]
pub fn OpenBadge(open: bool, open_24_7: bool, opens_next: Option<chrono::DateTime<chrono::Utc>>) -> impl IntoView {
    let i18n = use_i18n();
    // A 24/7 service closed on a holiday says closed, and when it opens again.
    let (class, label) = match (open_24_7, open) {
        (true, true) => ("badge badge-open", Msg::Open247),
        (false, true) => ("badge badge-open", Msg::OpenLabel),
        (_, false) => ("badge badge-closed", Msg::ClosedLabel),
    };
    let session = crate::session::use_session();
    let zone = move || session.instance.get().map(|i| i.time_zone);
    let next = move || {
        let lang = i18n.0.get();
        opens_next.filter(|_| !open).map(|at| format!(" · {} {}", Msg::OpensAt.text(lang), local_weekday_time(at, lang, zone().as_deref())))
    };
    view! { <span class=class>{i18n.t(label)}{next}</span> }
}

thread_local! {
    /// The formatter of [`local_weekday_time`], kept for its language and zone: a
    /// `toLocaleString` with options builds a new `Intl.DateTimeFormat` on every call
    /// (0.16 ms against 0.002 ms for a kept one, measured in V8), paid by every closed
    /// service's card: at night, most of a page of thirty.
    static WEEKDAY_TIME: std::cell::RefCell<Option<(crate::i18n::Lang, Option<String>, js_sys::Function)>> = const { std::cell::RefCell::new(None) };
}

/// "Tue 09:00" in the partnership's time zone, whose hours these are (the phone's own
/// zone until the instance's facts have arrived).
fn local_weekday_time(at: chrono::DateTime<chrono::Utc>, lang: crate::i18n::Lang, zone: Option<&str>) -> String {
    let format = WEEKDAY_TIME.with_borrow_mut(|kept| match kept {
        Some((kept_lang, kept_zone, format)) if *kept_lang == lang && kept_zone.as_deref() == zone => format.clone(),
        _ => {
            let options = js_sys::Object::new();
            for (key, value) in [("weekday", "short"), ("hour", "2-digit"), ("minute", "2-digit")] {
                let _ = js_sys::Reflect::set(&options, &key.into(), &value.into());
            }
            if let Some(zone) = zone {
                let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &zone.into());
            }
            let locales = js_sys::Array::of1(&lang.tag().into());
            let format = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
            *kept = Some((lang, zone.map(str::to_owned), format.clone()));
            format
        }
    });
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.timestamp_millis() as f64));
    format.call1(&wasm_bindgen::JsValue::NULL, &date).ok().and_then(|text| text.as_string()).unwrap_or_default()
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
