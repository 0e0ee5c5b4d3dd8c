//! The coordinators' dashboard: where referrals stand, month by month, response times,
//! declines, outcomes, overdue referrals, consents about to end, coverage gaps and stale
//! listings. Counts only, suppressed by the server; each chart has its table and a CSV.
//! One column on a phone, two on a laptop.

use harbour_types::{Breakdown, CountTable, GoalDomain, GoalStatus, CoverageMap, Figure, Heading, Outcome, ReasonCode, ReferralStatus, ResponseTimes, Span, StaleListings, Timing, Urgency};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::{api, client};
use crate::components::charts::{BarChart, HeatMap, LineChart};
use crate::components::participants::labels;
use crate::components::plans::{domain, goal_status};
use crate::i18n::{problem_message, use_i18n, Lang, Msg};
use crate::pages::directory_page::DirectorySearchState;
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    WithGoals => "Participants with goals", "Personnes ayant des objectifs";
    CurrentSafetyPlan => "With a safety plan not past its review date", "Avec un plan de sécurité à jour";
    StageMovedOn => "Stage of change: moved on", "Stade de changement : a progressé";
    StageUnchanged => "Stage of change: unchanged", "Stade de changement : inchangé";
    StageWentBack => "Stage of change: went back", "Stade de changement : a reculé";
    AreaOfLife => "Area of life", "Domaine de vie";
    ConferencesHeld => "Conferences held", "Conférences tenues";
    ActionsOnTime => "Action items done on time", "Actions faites à temps";
    ActionsLate => "Action items done late", "Actions faites en retard";
    ActionsOverdue => "Action items open past their date", "Actions en retard, encore à faire";
    DashboardIntro => "Counts only: no participant is ever shown. “<5” stands for 1 to 4; “x” hides a figure that would let a “<5” be worked out.", "Des nombres seulement : aucune personne n'est jamais montrée. « <5 » signifie de 1 à 4; « x » cache un nombre qui permettrait de retrouver un « <5 ».";
    PeriodFrom => "From", "Du";
    PeriodTo => "To", "Au";
    ShowFigures => "Show", "Afficher";
    DashboardReleases => "Figures cover whole months. A month is released once its referrals have had their answers (two weeks after it ends, as referrals expire) and never changes after; each count carries a little random noise, so that no referral can be worked out by comparing figures.", "Les chiffres portent sur des mois entiers. Un mois est publié quand ses orientations ont eu leur réponse (deux semaines après sa fin, quand elles expirent) et ne change plus ensuite; chaque nombre porte un peu de bruit aléatoire, pour qu'aucune orientation ne puisse être retrouvée en comparant des chiffres.";
    MonthOf => "Month", "Mois";
    BreakdownBy => "By", "Selon";
    ByUrgency => "How soon", "Délai";
    ByRegion => "Region", "Région";
    ByCategory => "Need", "Besoin";
    ByOrganization => "Receiving organization", "Organisme destinataire";
    SpanFirstOpen => "To first opening", "Jusqu'à l'ouverture";
    SpanAccept => "To acceptance", "Jusqu'à l'acceptation";
    SpanComplete => "To closing", "Jusqu'à la clôture";
    Median => "Median", "Médiane";
    Percentile90 => "90th percentile", "90e centile";
    HowMany => "How many", "Combien";
    GapsCount => "Gaps (no service)", "Lacunes (aucun service)";
    AcceptingShort => "taking referrals", "acceptent des orientations";
    StaleHint => "Not verified in the last", "Non vérifiées depuis";
    Days => "days", "jours";
    Listings => "Listings", "Fiches";
    StaleCount => "Not verified", "Non vérifiées";
    OldestVerified => "Oldest verification", "Plus ancienne vérification";
    Never => "never", "jamais";
    TableView => "Table view", "Vue en tableau";
    DownloadCsv => "Download CSV", "Télécharger (CSV)";
    Total => "Total", "Total";
    NothingToShow => "Nothing to show.", "Rien à afficher.";
}}

/// Reads `/api/v1/dashboards/{endpoint}` with the applied filters, in the interface's language.
fn figures<T>(endpoint: &'static str, query: Signal<String>) -> LocalResource<Result<T, api::ApiError>>
where
    T: serde::de::DeserializeOwned + 'static,
{
    let session = use_session();
    let i18n = use_i18n();
    LocalResource::new(move || {
        let path = client::dashboard(endpoint, &format!("{}&lang={}", query.get(), i18n.0.get().tag()));
        let token = session.token();
        async move { api::get::<T>(&path, token.as_deref()).await }
    })
}

/// A dashboard panel: its title, a hint, the content, and the CSV of the same figures.
#[component]
fn Panel(id: &'static str, title: Msg, #[prop(optional)] hint: Option<Msg>, csv: Signal<String>, children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let failed = RwSignal::new(None::<Msg>);
    let download = move |_| {
        let path = csv.get_untracked();
        let token = session.token();
        leptos::task::spawn_local(async move {
            let outcome = api::download(&path, token.as_deref(), &format!("harbour-{id}.csv"), "text/csv").await;
            failed.set(outcome.err().map(|e| problem_message(e.code)));
        });
    };
    view! {
        <section class="card panel" aria-labelledby=format!("{id}-title") data-testid=id>
            <h2 id=format!("{id}-title")>{i18n.t(title)}</h2>
            {hint.map(|h| view! { <p class="small muted">{i18n.t(h)}</p> })}
            {children()}
            <button type="button" class="link-back" on:click=download>{i18n.t(Local::DownloadCsv)}</button>
            {move || failed.get().map(|m| view! { <p class="error" role="alert">{i18n.t(m)}</p> })}
        </section>
    }
}

/// What a panel shows of its figures: "loading", then `render` of them, or the problem.
fn loaded<T>(data: LocalResource<Result<T, api::ApiError>>, render: impl Fn(T) -> AnyView + Send + Sync + 'static) -> impl IntoView
where
    T: Clone + 'static,
{
    let i18n = use_i18n();
    view! {
        <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
            {move || data.get().map(|outcome| match outcome {
                Ok(figures) => render(figures),
                Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
            })}
        </Transition>
    }
}

/// The name of a row: codes through the interface's words, records by their name.
type Namer = fn(&Heading, Lang) -> String;

/// A row named by its key through this screen's words, or by its own label.
fn keyed(h: &Heading, lang: Lang, words: &[(&str, Local)]) -> String {
    words.iter().find(|(key, _)| *key == h.key).map_or_else(|| h.label.clone(), |(_, w)| w.text(lang).to_owned())
}

fn care_name(h: &Heading, lang: Lang) -> String {
    keyed(h, lang, &[
        ("with_goals", Local::WithGoals),
        ("current_safety_plan", Local::CurrentSafetyPlan),
        ("stage_moved_on", Local::StageMovedOn),
        ("stage_unchanged", Local::StageUnchanged),
        ("stage_went_back", Local::StageWentBack),
    ])
}

fn conference_name(h: &Heading, lang: Lang) -> String {
    keyed(h, lang, &[
        ("conferences_held", Local::ConferencesHeld),
        ("actions_done_on_time", Local::ActionsOnTime),
        ("actions_done_late", Local::ActionsLate),
        ("actions_open_overdue", Local::ActionsOverdue),
    ])
}

fn status_name(h: &Heading, lang: Lang) -> String {
    ReferralStatus::from_code(&h.key).map_or_else(|| h.label.clone(), |s| labels::referral_status(s).0.text(lang).to_owned())
}

fn reason_name(h: &Heading, lang: Lang) -> String {
    ReasonCode::from_code(&h.key).map_or_else(|| h.label.clone(), |r| labels::reason(r).text(lang).to_owned())
}

fn outcome_name(h: &Heading, lang: Lang) -> String {
    match h.key.split_once('.') {
        Some((_, reason)) => format!("{} — {}", Msg::OutcomeUnsuccessful.text(lang), ReasonCode::from_code(reason).map_or(reason, |r| labels::reason(r).text(lang))),
        None if h.key == Outcome::Successful.code() => Msg::OutcomeSuccessful.text(lang).to_owned(),
        None => h.label.clone(),
    }
}

fn record_name(h: &Heading, _: Lang) -> String {
    h.label.clone()
}

fn figure_cell(f: Figure) -> impl IntoView {
    view! { <td class="num">{f.text()}</td> }
}

/// A one-column table of counts as bars, with its table view.
#[component]
fn CountPanel(id: &'static str, title: Msg, #[prop(optional)] hint: Option<Msg>, endpoint: &'static str, query: Signal<String>, name: Namer) -> impl IntoView {
    let i18n = use_i18n();
    let data = figures::<CountTable>(endpoint, query);
    let csv = Signal::derive(move || client::dashboard(endpoint, &format!("{}&format=csv&lang={}", query.get(), i18n.0.get().tag())));
    view! {
        <Panel id title csv>
            {hint.map(|h| view! { <p class="small muted">{i18n.t(h)}</p> })}
            {loaded(data, move |table| match table {
                table if table.rows.is_empty() => view! { <p class="muted">{i18n.t(Local::NothingToShow)}</p> }.into_any(),
                table => {
                    let lang = i18n.0.get();
                    let bars: Vec<(String, Figure)> = table.rows.iter().map(|r| (name(&r.heading, lang), r.figures[0])).collect();
                    let total = table.totals.first().copied().unwrap_or(Figure::Count(0));
                    view! {
                        <figure>
                            <BarChart title=title.text(lang).to_owned() bars=bars.clone()/>
                            <figcaption class="small">{Local::Total.text(lang)}": "{total.text()}</figcaption>
                        </figure>
                        <details>
                            <summary>{i18n.t(Local::TableView)}</summary>
                            <table class="figures">
                                <tbody>
                                    {bars.into_iter().map(|(label, f)| view! { <tr><th scope="row">{label}</th>{figure_cell(f)}</tr> }).collect_view()}
                                    <tr class="total"><th scope="row">{i18n.t(Local::Total)}</th>{figure_cell(total)}</tr>
                                </tbody>
                            </table>
                        </details>
                    }.into_any()
                }
        })}
        </Panel>
    }
}

/// Goals in participants' plans now: areas of life by status, as a table.
#[component]
fn GoalsPanel(query: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let data = figures::<CountTable>("plans/goals", query);
    let csv = Signal::derive(move || client::dashboard("plans/goals", &format!("{}&format=csv&lang={}", query.get(), i18n.0.get().tag())));
    view! {
        <Panel id="plan-goals" title=Msg::GoalsByArea csv>
            {loaded(data, move |table| {
                let lang = i18n.0.get();
                let named = |h: &Heading| GoalStatus::from_code(&h.key).map_or_else(|| h.label.clone(), |s| goal_status(s).text(lang).to_owned());
                let area = |h: &Heading| GoalDomain::from_code(&h.key).map_or_else(|| h.label.clone(), |d| domain(d).text(lang).to_owned());
                view! {
                    <div class="scroll" tabindex="0" role="region" aria-label=Msg::GoalsByArea.text(lang)>
                    <table class="figures">
                        <thead><tr><th scope="col">{Local::AreaOfLife.text(lang)}</th>{table.columns.iter().map(|c| view! { <th scope="col">{named(c)}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {table.rows.iter().map(|r| view! { <tr><th scope="row">{area(&r.heading)}</th>{r.figures.iter().map(|f| figure_cell(*f)).collect_view()}</tr> }).collect_view()}
                            <tr class="total"><th scope="row">{Local::Total.text(lang)}</th>{table.totals.iter().map(|f| figure_cell(*f)).collect_view()}</tr>
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            })}
        </Panel>
    }
}

/// Month by month: sent, and of those accepted, declined, completed, expired.
#[component]
fn TrendsPanel(query: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let data = figures::<CountTable>("referrals/trends", query);
    let csv = Signal::derive(move || client::dashboard("referrals/trends", &format!("{}&format=csv", query.get())));
    let series_name = |key: &str, lang: Lang| match key {
        "sent" => Msg::Sent.text(lang),
        "accepted" => Msg::ReferralStatusAccepted.text(lang),
        "declined" => Msg::ReferralStatusDeclined.text(lang),
        "completed" => Msg::ReferralStatusCompleted.text(lang),
        _ => Msg::ReferralStatusExpired.text(lang),
    };
    view! {
        <Panel id="trends" title=Msg::MonthByMonth csv>
            {loaded(data, move |table| {
                let lang = i18n.0.get();
                let weeks: Vec<String> = table.rows.iter().map(|r| r.heading.key.clone()).collect();
                // The three lines that tell the story; the table has all five.
                let series: Vec<(String, Vec<Figure>)> = [0usize, 3, 2]
                    .iter()
                    .map(|&c| (series_name(&table.columns[c].key, lang).to_owned(), table.rows.iter().map(|r| r.figures[c]).collect()))
                    .collect();
                let legend: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
                view! {
                    <figure>
                        <LineChart title=Msg::MonthByMonth.text(lang).to_owned() weeks=weeks series=series/>
                        <figcaption class="legend small">
                            {legend.into_iter().enumerate().map(|(i, n)| view! { <span class=format!("key key-{i}")>{n}</span> }).collect_view()}
                        </figcaption>
                    </figure>
                    <details>
                        <summary>{i18n.t(Local::TableView)}</summary>
                        <div class="scroll" tabindex="0" role="region" aria-label=Msg::MonthByMonth.text(lang)>
                        <table class="figures">
                            <thead><tr><th scope="col">{i18n.t(Local::MonthOf)}</th>
                                {table.columns.iter().map(|c| view! { <th scope="col" class="num">{series_name(&c.key, lang)}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {table.rows.into_iter().map(|r| view! { <tr><th scope="row">{r.heading.label}</th>{r.figures.into_iter().map(figure_cell).collect_view()}</tr> }).collect_view()}
                                <tr class="total"><th scope="row">{i18n.t(Local::Total)}</th>{table.totals.into_iter().map(figure_cell).collect_view()}</tr>
                            </tbody>
                        </table>
                        </div>
                    </details>
                }.into_any()
            }
            )}
        </Panel>
    }
}

fn hours(h: Option<f64>) -> String {
    h.map_or_else(|| "–".to_owned(), |h| format!("{h:.1} h"))
}

/// A span's three cells: how many, median, 90th percentile.
fn timing_cells(t: &Timing) -> impl IntoView {
    view! { {figure_cell(t.count)}<td class="num">{hours(t.median_hours)}</td><td class="num">{hours(t.p90_hours)}</td> }
}

/// Median and 90th percentile by urgency, region, need or receiving organization.
#[component]
fn TimesPanel(query: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let by = RwSignal::new(Breakdown::Urgency);
    let with_by = Signal::derive(move || format!("{}&by={}", query.get(), by.get().code()));
    let data = figures::<ResponseTimes>("referrals/response-times", with_by);
    let csv = Signal::derive(move || client::dashboard("referrals/response-times", &format!("{}&format=csv&lang={}", with_by.get(), i18n.0.get().tag())));
    let breakdowns = [(Breakdown::Urgency, Local::ByUrgency), (Breakdown::Region, Local::ByRegion), (Breakdown::Category, Local::ByCategory), (Breakdown::Organization, Local::ByOrganization)];
    let span_name = |s: Span| match s {
        Span::FirstOpen => Local::SpanFirstOpen,
        Span::Accept => Local::SpanAccept,
        Span::Complete => Local::SpanComplete,
    };
    view! {
        <Panel id="response-times" title=Msg::ResponseTimes hint=Msg::ResponseTimesHint csv>
            <label for="breakdown">{i18n.t(Local::BreakdownBy)}</label>
            <select id="breakdown" on:change=move |ev| by.set(Breakdown::from_code(&event_target_value(&ev)).unwrap_or(Breakdown::Urgency))>
                {breakdowns.into_iter().map(|(b, m)| view! { <option value=b.code() selected=move || by.get() == b>{i18n.t(m)}</option> }).collect_view()}
            </select>
            {loaded(data, move |times| {
                let lang = i18n.0.get();
                let name = |h: &Heading| Urgency::from_code(&h.key).map_or_else(|| h.label.clone(), |u| labels::urgency(u).text(lang).to_owned());
                // The chart: median hours to acceptance, the step a partnership watches most.
                let bars: Vec<(String, Figure)> = times.rows.iter().map(|r| (name(&r.heading), r.timings[1].median_hours.map_or(r.timings[1].count, |h| Figure::Count(h.round() as u64)))).collect();
                view! {
                    <figure>
                        <BarChart title=format!("{} — {} ({})", Local::SpanAccept.text(lang), Local::Median.text(lang), "h") bars=bars/>
                        <figcaption class="small">{Local::SpanAccept.text(lang)}", "{Local::Median.text(lang)}" (h)"</figcaption>
                    </figure>
                    <details>
                        <summary>{i18n.t(Local::TableView)}</summary>
                        <div class="scroll" tabindex="0" role="region" aria-label=Msg::ResponseTimes.text(lang)>
                        <table class="figures">
                            <thead>
                                <tr><th scope="col" rowspan="2">{i18n.t(Local::BreakdownBy)}</th>
                                    {times.spans.iter().map(|s| view! { <th scope="colgroup" colspan="3">{i18n.t(span_name(*s))}</th> }).collect_view()}
                                </tr>
                                <tr>{times.spans.iter().map(|_| view! {
                                    <th scope="col" class="num">{i18n.t(Local::HowMany)}</th>
                                    <th scope="col" class="num">{i18n.t(Local::Median)}</th>
                                    <th scope="col" class="num">{i18n.t(Local::Percentile90)}</th>
                                }).collect_view()}</tr>
                            </thead>
                            <tbody>
                                {times.rows.iter().map(|r| view! {
                                    <tr><th scope="row">{name(&r.heading)}</th>
                                        {r.timings.iter().map(timing_cells).collect_view()}
                                    </tr>
                                }).collect_view()}
                                <tr class="total"><th scope="row">{i18n.t(Local::Total)}</th>
                                    {times.overall.iter().map(timing_cells).collect_view()}
                                </tr>
                            </tbody>
                        </table>
                        </div>
                    </details>
                }.into_any()
            }
            )}
        </Panel>
    }
}

/// The coverage gap map; choosing a cell opens the directory on its listings.
#[component]
fn CoveragePanel() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let search = expect_context::<DirectorySearchState>();
    let data = figures::<CoverageMap>("coverage", Signal::derive(String::new));
    let csv = Signal::derive(move || client::dashboard("coverage", &format!("format=csv&lang={}", i18n.0.get().tag())));
    let open = move |category: String, region: String| {
        search.show_listings(&category, &region);
        navigate("/", NavigateOptions { replace: true, ..Default::default() });
    };
    view! {
        <Panel id="coverage" title=Msg::Coverage hint=Msg::CoverageHint csv>
            {loaded(data, move |map| {
                let lang = i18n.0.get();
                let rows: Vec<String> = map.rows.iter().map(|r| r.category.label.clone()).collect();
                let columns: Vec<String> = map.regions.iter().map(|r| r.label.clone()).collect();
                let cells: Vec<Vec<u64>> = map.rows.iter().map(|r| r.cells.iter().map(|c| c.services).collect()).collect();
                let ids = StoredValue::new((map.rows.iter().map(|r| r.category.key.clone()).collect::<Vec<_>>(), map.regions.iter().map(|r| r.key.clone()).collect::<Vec<_>>()));
                let pick = {
                    let open = open.clone();
                    move |(r, c): (usize, usize)| ids.with_value(|(categories, regions)| open(categories[r].clone(), regions[c].clone()))
                };
                let open = open.clone();
                view! {
                    <figure class="scroll" tabindex="0" role="region" aria-label=Msg::Coverage.text(lang)>
                        <HeatMap title=Msg::Coverage.text(lang).to_owned() gaps_label=Local::GapsCount.text(lang).to_owned() rows=rows columns=columns cells=cells on_pick=pick/>
                    </figure>
                    <details>
                        <summary>{i18n.t(Local::TableView)}</summary>
                        <div class="scroll" tabindex="0" role="region" aria-label=Msg::Coverage.text(lang)>
                        <table class="figures coverage">
                            <thead><tr><th scope="col">{i18n.t(Msg::Category)}</th>
                                {map.regions.iter().map(|r| view! { <th scope="col" class="num">{r.label.clone()}</th> }).collect_view()}
                            </tr></thead>
                            <tbody>
                                {map.rows.into_iter().map(|row| {
                                    let category = row.category.key.clone();
                                    view! {
                                        <tr><th scope="row">{row.category.label.clone()}</th>
                                            {row.cells.iter().zip(&map.regions).map(|(cell, region)| {
                                                let (open, category, region_id) = (open.clone(), category.clone(), region.key.clone());
                                                let label = format!("{} / {}: {} ({} {})", row.category.label, region.label, cell.services, cell.accepting, Local::AcceptingShort.text(lang));
                                                view! {
                                                    <td class=if cell.gap { "num gap" } else { "num" }>
                                                        <button type="button" class="cell" aria-label=label on:click=move |_| open(category.clone(), region_id.clone())>{cell.services}</button>
                                                    </td>
                                                }
                                            }).collect_view()}
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    </details>
                }.into_any()
            }
            )}
        </Panel>
    }
}

/// Organizations whose listings were not verified lately.
#[component]
fn StalePanel() -> impl IntoView {
    let i18n = use_i18n();
    let data = figures::<StaleListings>("stale-listings", Signal::derive(String::new));
    let csv = Signal::derive(|| client::dashboard("stale-listings", "format=csv"));
    view! {
        <Panel id="stale" title=Msg::StaleListings csv>
            {loaded(data, move |stale| view! {
                <p class="small muted">{i18n.t(Local::StaleHint)}" "{stale.after_days}" "{i18n.t(Local::Days)}</p>
                {if stale.rows.is_empty() {
                    view! { <p class="muted">{i18n.t(Local::NothingToShow)}</p> }.into_any()
                } else {
                    view! {
                        <div class="scroll" tabindex="0" role="region" aria-label=Msg::StaleListings.text(i18n.0.get())>
                        <table class="figures">
                            <thead><tr>
                                <th scope="col">{i18n.t(Msg::MyOrganization)}</th>
                                <th scope="col" class="num">{i18n.t(Local::Listings)}</th>
                                <th scope="col" class="num">{i18n.t(Local::StaleCount)}</th>
                                <th scope="col">{i18n.t(Local::OldestVerified)}</th>
                            </tr></thead>
                            <tbody>
                                {stale.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <th scope="row">{r.organization.label}</th>
                                        <td class="num">{r.listings}</td>
                                        <td class="num">{r.stale}</td>
                                        <td>{r.oldest_verified_on.map_or_else(|| Local::Never.text(i18n.0.get()).to_owned(), |d| d.to_string())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any()
                }}
            }.into_any()
            )}
        </Panel>
    }
}

/// The dashboard screen.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (from, to, region) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let applied = RwSignal::new(String::new());
    let query = Signal::derive(move || applied.get());
    let regions = LocalResource::new(move || {
        let token = session.token();
        async move { client::regions(token.as_deref()).await }
    });
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A month field gives `2026-09`: the server takes the whole month of any of its days.
        let first_day = |month: String| if month.is_empty() { month } else { format!("{month}-01") };
        let parts: Vec<String> = [("from", first_day(from.get_untracked())), ("to", first_day(to.get_untracked())), ("region_id", region.get_untracked())]
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", String::from(js_sys::encode_uri_component(&v))))
            .collect();
        applied.set(parts.join("&"));
    };
    let region_options = move || {
        let lang = i18n.0.get();
        regions.get().and_then(Result::ok).map(|list| {
            list.into_iter().map(|r| view! { <option value=r.id>{if lang == Lang::Fr { r.name_fr } else { r.name }}</option> }).collect_view()
        })
    };
    view! {
        <section class="dashboard" aria-labelledby="dashboard-title">
            <h1 id="dashboard-title">{i18n.t(Msg::Dashboard)}</h1>
            <p class="small muted">{i18n.t(Local::DashboardIntro)}</p>
            <p class="small muted">{i18n.t(Local::DashboardReleases)}</p>
            <form class="filters dashboard-filters" on:submit=apply>
                <div>
                    <label for="period-from">{i18n.t(Local::PeriodFrom)}</label>
                    <input id="period-from" type="month" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="period-to">{i18n.t(Local::PeriodTo)}</label>
                    <input id="period-to" type="month" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </div>
                <div>
                    <label for="dashboard-region">{i18n.t(Msg::Region)}</label>
                    <select id="dashboard-region" on:change=move |ev| region.set(event_target_value(&ev))>
                        <option value="">{i18n.t(Msg::AllRegions)}</option>
                        {region_options}
                    </select>
                </div>
                <button type="submit" class="primary">{i18n.t(Local::ShowFigures)}</button>
            </form>
            <div class="dashboard-grid">
                <CountPanel id="funnel" title=Msg::ReferralFlow hint=Msg::ReferralFlowHint endpoint="referrals/funnel" query name=status_name/>
                <TrendsPanel query/>
                <TimesPanel query/>
                <CountPanel id="declines" title=Msg::Declines endpoint="referrals/declines" query name=reason_name/>
                <CountPanel id="outcomes" title=Msg::Outcomes endpoint="referrals/outcomes" query name=outcome_name/>
                <CountPanel id="overdue" title=Msg::OverdueNow endpoint="referrals/overdue" query name=record_name/>
                <CountPanel id="consents" title=Msg::ConsentsExpiring endpoint="consents/expiring" query name=record_name/>
                <CountPanel id="plan-care" title=Msg::PlansNow endpoint="plans/care" query name=care_name/>
                <GoalsPanel query/>
                <CountPanel id="conferences" title=Msg::ConferencesAndActions endpoint="conferences" query name=conference_name/>
                <CoveragePanel/>
                <StalePanel/>
            </div>
        </section>
    }
}
