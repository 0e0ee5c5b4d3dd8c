//! Directory search: results as you type, quick filters, and a sheet of more (category,
//! region, cultural support, gender, age, space now, takes referrals). What was searched
//! stays in memory while the user opens a service and comes back.

use harbour_types::SearchHit;
use leptos::prelude::*;

use crate::client;
use crate::components::directory::result_card::ResultCard;
use crate::components::position::locate;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

/// Pause after the last keystroke before searching: fewer requests on a slow network.
const TYPING_PAUSE_MS: u64 = 250;

/// What the user searched for, kept for the session's lifetime (in memory only).
#[derive(Debug, Clone, Copy)]
pub struct DirectorySearchState {
    text: RwSignal<String>,
    open_now: RwSignal<bool>,
    open_24_7: RwSignal<bool>,
    no_id: RwSignal<bool>,
    youth: RwSignal<bool>,
    french: RwSignal<bool>,
    category: RwSignal<String>,
    region: RwSignal<String>,
    /// A `culture:` attribute code, or empty for any.
    culture: RwSignal<String>,
    /// `women`, `men`, `gender_diverse`, or empty for anyone.
    gender: RwSignal<String>,
    /// The age of the person looking for help, as typed.
    age: RwSignal<String>,
    /// Only services taking people now.
    has_space: RwSignal<bool>,
    /// Only services that take referrals through Harbour.
    takes_referrals: RwSignal<bool>,
    /// The phone's position, rounded to about a kilometre: enough to sort by distance,
    /// and less revealing in the server's request line and the offline cache.
    near: RwSignal<Option<(f64, f64)>>,
}

impl DirectorySearchState {
    /// An empty search.
    pub fn new() -> DirectorySearchState {
        DirectorySearchState {
            text: RwSignal::new(String::new()),
            open_now: RwSignal::new(false),
            open_24_7: RwSignal::new(false),
            no_id: RwSignal::new(false),
            youth: RwSignal::new(false),
            french: RwSignal::new(false),
            category: RwSignal::new(String::new()),
            region: RwSignal::new(String::new()),
            culture: RwSignal::new(String::new()),
            gender: RwSignal::new(String::new()),
            age: RwSignal::new(String::new()),
            has_space: RwSignal::new(false),
            takes_referrals: RwSignal::new(false),
            near: RwSignal::new(None),
        }
    }

    /// The fields of the "more filters" sheet.
    fn sheet_texts(&self) -> [RwSignal<String>; 5] {
        [self.category, self.region, self.culture, self.gender, self.age]
    }

    fn sheet_flags(&self) -> [RwSignal<bool>; 2] {
        [self.has_space, self.takes_referrals]
    }

    /// How many of the sheet's filters are set (shown on its summary while it is closed).
    fn sheet_count(&self) -> usize {
        self.sheet_texts().iter().filter(|f| !f.get().is_empty()).count() + self.sheet_flags().iter().filter(|f| f.get()).count()
    }

    fn chips(&self) -> [RwSignal<bool>; 5] {
        [self.open_now, self.open_24_7, self.no_id, self.youth, self.french]
    }

    /// True when any filter is set.
    fn filtered(&self) -> bool {
        self.sheet_count() > 0 || self.chips().iter().any(|f| f.get()) || self.near.get().is_some()
    }

    /// Removes every filter; the words stay.
    fn clear_filters(&self) {
        for flag in self.chips().into_iter().chain(self.sheet_flags()) {
            flag.set(false);
        }
        for text in self.sheet_texts() {
            text.set(String::new());
        }
        self.near.set(None);
    }

    /// Starts a search of every listing in a category and a region (a drill-down from
    /// the coordinators' coverage map).
    pub fn show_listings(&self, category: &str, region: &str) {
        self.text.set(String::new());
        self.clear_filters();
        self.category.set(category.to_owned());
        self.region.set(region.to_owned());
    }

    fn query_string(&self, text: &str) -> String {
        let mut parts = vec![format!("q={}", String::from(js_sys::encode_uri_component(text))), "per_page=30".to_owned()];
        let mut attributes = Vec::new();
        if self.open_now.get() {
            parts.push("open_now=true".into());
        }
        if self.open_24_7.get() {
            parts.push("open_24_7=true".into());
        }
        if self.no_id.get() {
            attributes.push("fit:no_id_required");
        }
        if self.youth.get() {
            attributes.push("fit:youth_specific");
        }
        let culture = self.culture.get();
        if !culture.is_empty() {
            attributes.push(&culture);
        }
        if !attributes.is_empty() {
            parts.push(format!("attributes={}", attributes.join(",")));
        }
        if self.french.get() {
            parts.push("language=fr".into());
        }
        if let Ok(age) = self.age.get().trim().parse::<u8>() {
            parts.push(format!("age={age}"));
        }
        if self.has_space.get() {
            parts.push("capacity=accepting".into());
        }
        if self.takes_referrals.get() {
            parts.push("accepts_referrals=true".into());
        }
        if let Some((latitude, longitude)) = self.near.get() {
            parts.push(format!("near={latitude:.2},{longitude:.2}&sort=distance"));
        }
        for (name, value) in [("category", self.category.get()), ("region", self.region.get()), ("gender", self.gender.get())] {
            if !value.is_empty() {
                parts.push(format!("{name}={}", String::from(js_sys::encode_uri_component(&value))));
            }
        }
        parts.join("&")
    }
}

#[component]
fn Toggle(label: Msg, value: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="button" class="chip" aria-pressed=move || value.get().to_string() on:click=move |_| value.update(|v| *v = !*v)>
            {i18n.t(label)}
        </button>
    }
}

#[component]
fn Check(id: &'static str, label: Msg, value: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="check" for=id>
            <input id=id type="checkbox" prop:checked=move || value.get() on:change=move |ev| value.set(event_target_checked(&ev))/>
            {i18n.t(label)}
        </label>
    }
}

/// A select of fixed choices: the empty value first, then each (value, label).
#[component]
fn Choice(id: &'static str, label: Msg, any: Msg, choices: &'static [(&'static str, Msg)], value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id>{i18n.t(label)}</label>
        <select id=id prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="">{i18n.t(any)}</option>
            {choices.iter().map(|(code, label)| view! { <option value=*code>{i18n.t(*label)}</option> }).collect_view()}
        </select>
    }
}

const CULTURES: &[(&str, Msg)] = &[
    ("culture:indigenous", Msg::AttrIndigenous),
    ("culture:african_nova_scotian", Msg::AttrAfricanNovaScotian),
    ("culture:2slgbtq", Msg::Attr2slgbtq),
    ("culture:newcomer", Msg::AttrNewcomer),
];

const GENDERS: &[(&str, Msg)] = &[("women", Msg::GenderWomen), ("men", Msg::GenderMen), ("gender_diverse", Msg::GenderDiverse)];

/// The result cards built with the page's own task; the rest follow in one of their own.
/// A phone fills its screen with about four.
const FIRST_CARDS: usize = 6;

/// Result cards built a moment after the first ones, in a task of their own: building all
/// thirty at once held a slow phone's main thread for one long task (~60 ms here, four
/// times that on Lighthouse's phone), in which a tap could not be answered.
#[component]
fn LaterCards(hits: Vec<SearchHit>) -> impl IntoView {
    let hits = StoredValue::new(hits);
    let ready = RwSignal::new(false);
    set_timeout(move || ready.set(true), std::time::Duration::ZERO);
    move || ready.get().then(|| hits.get_value().into_iter().map(|hit| view! { <ResultCard hit=hit/> }).collect_view())
}

/// The fields of the "more filters" sheet, with the categories and regions they offer.
#[component]
fn SheetFields(state: DirectorySearchState) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let categories = LocalResource::new(move || {
        let token = session.token();
        async move { client::taxonomy_terms(token.as_deref()).await }
    });
    let regions = LocalResource::new(move || {
        let token = session.token();
        async move { client::regions(token.as_deref()).await }
    });
    let category_options = move || {
        let lang = i18n.0.get();
        categories.get().and_then(Result::ok).map(|page| {
            page.contents
                .into_iter()
                .map(|term| {
                    let label = if lang == crate::i18n::Lang::Fr { term.name_fr } else { term.name };
                    let label = if term.parent_id.is_some() { format!("— {label}") } else { label };
                    // Selected here too: a search kept in memory (or opened from the coverage
                    // map) is set before the options arrive, when the select cannot show it yet.
                    let chosen = state.category.get_untracked() == term.id;
                    view! { <option value=term.id selected=chosen>{label}</option> }
                })
                .collect_view()
        })
    };
    let region_options = move || {
        let lang = i18n.0.get();
        regions.get().and_then(Result::ok).map(|list| {
            list.into_iter()
                .map(|r| {
                    let label = if lang == crate::i18n::Lang::Fr { r.name_fr } else { r.name };
                    let chosen = state.region.get_untracked() == r.id;
                    view! { <option value=r.id selected=chosen>{label}</option> }
                })
                .collect_view()
        })
    };
    view! {
        <div class="selects">
            <label for="category">{i18n.t(Msg::Category)}</label>
            <select id="category" prop:value=move || state.category.get() on:change=move |ev| state.category.set(event_target_value(&ev))>
                <option value="">{i18n.t(Msg::AllCategories)}</option>
                {category_options}
            </select>
            <label for="region">{i18n.t(Msg::Region)}</label>
            <select id="region" prop:value=move || state.region.get() on:change=move |ev| state.region.set(event_target_value(&ev))>
                <option value="">{i18n.t(Msg::AllRegions)}</option>
                {region_options}
            </select>
            <Choice id="culture" label=Msg::CulturalSupport any=Msg::AnyCulturalSupport choices=CULTURES value=state.culture/>
            <Choice id="gender" label=Msg::GenderServed any=Msg::Everyone choices=GENDERS value=state.gender/>
            <label for="age">{i18n.t(Msg::AgeOfPerson)}</label>
            <input id="age" type="number" inputmode="numeric" min="0" max="120" autocomplete="off"
                prop:value=move || state.age.get() on:input=move |ev| state.age.set(event_target_value(&ev))/>
        </div>
        <div class="checks">
            <Check id="has-space" label=Msg::HasSpaceNow value=state.has_space/>
            <Check id="takes-referrals" label=Msg::TakesReferrals value=state.takes_referrals/>
        </div>
    }
}

/// The directory screen.
#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let state = expect_context::<DirectorySearchState>();
    // The words actually searched: updated a moment after typing stops.
    let settled = RwSignal::new(state.text.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        state.text.set(value.clone());
        if let Some(handle) = pending.get_value() {
            handle.clear();
        }
        let handle = set_timeout_with_handle(move || settled.set(value), std::time::Duration::from_millis(TYPING_PAUSE_MS)).ok();
        pending.set_value(handle);
    };
    let location_refused = RwSignal::new(false);
    let results = LocalResource::new(move || {
        let query = state.query_string(&settled.get());
        let token = session.token();
        async move { client::search_services(token.as_deref(), &query).await }
    });
    // The sheet's fields are made, and its categories and regions fetched, when it first
    // opens: most searches never open it, and on a slow phone the results then come
    // sooner (two requests fewer beside the search, and ~130 options fewer to build).
    // Open from the start when one of its filters is set (a kept search, a drill-down);
    // otherwise closed, so its first toggle is an opening.
    let sheet_opened = RwSignal::new(state.sheet_count() > 0);
    view! {
        <section aria-labelledby="directory-title">
            <h1 id="directory-title">{i18n.t(Msg::Directory)}</h1>
            <form class="search" role="search" on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                settled.set(state.text.get_untracked());
            }>
                <label for="search-text">{i18n.t(Msg::SearchLabel)}</label>
                <input id="search-text" type="search" autocomplete="off" enterkeyhint="search"
                    placeholder=i18n.t(Msg::SearchPlaceholder) prop:value=move || state.text.get() on:input=on_input/>
            </form>
            <fieldset class="filters">
                <legend>{i18n.t(Msg::Filters)}</legend>
                <div class="chips">
                    <Toggle label=Msg::OpenNow value=state.open_now/>
                    <Toggle label=Msg::Open247 value=state.open_24_7/>
                    <Toggle label=Msg::NoIdNeeded value=state.no_id/>
                    <Toggle label=Msg::YouthOnly value=state.youth/>
                    <Toggle label=Msg::InFrench value=state.french/>
                    <button type="button" class="chip" aria-pressed=move || state.near.get().is_some().to_string() on:click=move |_| {
                        if state.near.get_untracked().is_some() {
                            state.near.set(None);
                        } else {
                            location_refused.set(false);
                            // Rounded to about a kilometre: the server need not learn where a worker stands.
                            locate(2, move |position| {
                                location_refused.set(position.is_none());
                                state.near.set(position);
                            });
                        }
                    }>
                        {i18n.t(Msg::NearMe)}
                    </button>
                </div>
                <Show when=move || location_refused.get()>
                    <p class="error" role="alert">{i18n.t(Msg::LocationUnavailable)}</p>
                </Show>
                <details class="more-filters" open=move || { state.sheet_count() > 0 } on:toggle=move |_| sheet_opened.set(true)>
                    <summary>
                        {i18n.t(Msg::MoreFilters)}
                        <Show when=move || { state.sheet_count() > 0 }>
                            <span class="count" data-testid="filter-count">{move || format!(" ({})", state.sheet_count())}</span>
                        </Show>
                    </summary>
                    <Show when=move || sheet_opened.get()>
                        <SheetFields state=state/>
                    </Show>
                </details>
                <Show when=move || state.filtered()>
                    <button type="button" class="link" on:click=move |_| state.clear_filters()>{i18n.t(Msg::ClearFilters)}</button>
                </Show>
            </fieldset>
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Searching)}</p> }>
                {move || results.get().map(|outcome| match outcome {
                    Ok(found) if found.page.contents.is_empty() => view! { <p class="muted" role="status">{i18n.t(Msg::NoResults)}</p> }.into_any(),
                    Ok(found) => {
                        let mut first = found.page.contents;
                        let rest = first.split_off(first.len().min(FIRST_CARDS));
                        view! {
                            <p class="muted" role="status" data-testid="result-count">{found.page.total_items}" "{i18n.t(Msg::ResultsCount)}</p>
                            <ul class="results">
                                {first.into_iter().map(|hit| view! { <ResultCard hit=hit/> }).collect_view()}
                                <LaterCards hits=rest/>
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}
