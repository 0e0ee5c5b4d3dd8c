//! The dashboards' tables, added up from released cells ([`release`]) with small counts
//! suppressed ([`suppression`]). For coordinators and system admins only; nothing here
//! names or counts fewer than five people, and no two answers differ by a referral.

use std::sync::Arc;

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use harbour_types::{GoalDomain, GoalStatus, 
    Breakdown, CountRow, CountTable, CoverageCell, CoverageMap, CoverageRow, DashboardScope, Figure, Heading, ReasonCode, ResponseTimes, Span, StaleByOrganization, StaleListings, Timing,
    TimingRow, Urgency,
};

use super::cache::DirectoryCache;
use super::error::DashboardError;
use super::figures::{self, Named};
use super::noise::Noise;
use super::release::{self, Released, ALL_REGIONS};
use super::suppression::{suppress, suppress_columns, THRESHOLD};
use crate::auth::{Permission, Principal};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::state::AppState;

/// The longest period a dashboard covers.
const MAX_DAYS: i64 = 3 * 366;
/// The default period: the last three months released.
const DEFAULT_MONTHS: u32 = 3;
/// "Consents about to expire": within this many days.
const EXPIRING_DAYS: i64 = 30;

/// What a dashboard is asked for — whole months (in the partnership's time zone), the
/// region, and the language of names — by a caller already allowed to ask: holding a
/// `Request` is the proof.
#[derive(Debug, Clone)]
pub struct Request {
    pub scope: DashboardScope,
    /// The first days of the period's months, all released or ready to be.
    months: Vec<NaiveDate>,
    pub french: bool,
    zone: Tz,
}

impl Request {
    /// Checks the caller (coordinators and system admins), then the filters: `from` ≤
    /// `to`, at most about three years, widened to whole months and ending with the last
    /// month released (by default the last three); see [`release`].
    pub fn new(state: &AppState, principal: &Principal, from: Option<NaiveDate>, to: Option<NaiveDate>, region_id: Option<String>, lang: Option<&str>) -> Result<Request, DashboardError> {
        principal.authorize(Permission::ReadDashboards)?;
        let zone = zone(state)?;
        let french = match lang {
            None | Some("en") => false,
            Some("fr") => true,
            Some(_) => return Err(DashboardError::UnknownLanguage),
        };
        if from.zip(to).is_some_and(|(from, to)| from > to) {
            return Err(DashboardError::PeriodReversed);
        }
        let now = Utc::now().naive_utc();
        let settle = Duration::days(i64::from(state.settings.referral_expire_days));
        // The last month released by now: the latest whose end is `settle` past.
        let mut latest = release::first_of(Utc.from_utc_datetime(&now).with_timezone(&zone).date_naive());
        while start_of(zone, latest) + settle > now {
            latest = latest.checked_sub_months(chrono::Months::new(1)).unwrap_or(latest);
        }
        latest = latest.checked_sub_months(chrono::Months::new(1)).unwrap_or(latest);
        let to_month = to.map_or(latest, |to| release::first_of(to).min(latest));
        let from_month = from.map_or_else(|| to_month.checked_sub_months(chrono::Months::new(DEFAULT_MONTHS - 1)).unwrap_or(to_month), release::first_of);
        if from_month > to_month {
            let ready = start_of(zone, release::next_month(from_month)) + settle;
            return Err(DashboardError::NotReleased { from: from_month, ready: Utc.from_utc_datetime(&ready).with_timezone(&zone).date_naive() });
        }
        let region_id = region_id.filter(|r| !r.is_empty());
        let scope = DashboardScope { from: from_month, to: release::last_of(to_month), region_id };
        if (scope.to - scope.from).num_days() >= MAX_DAYS {
            return Err(DashboardError::PeriodTooLong);
        }
        Ok(Request { months: release::months_of(scope.from, scope.to), scope, french, zone })
    }

    /// The released cells' scope.
    fn scope_key(&self) -> String {
        self.scope.region_id.clone().unwrap_or_else(|| ALL_REGIONS.to_owned())
    }

    fn periods(&self) -> Vec<String> {
        self.months.iter().copied().map(release::month_key).collect()
    }
}

fn zone(state: &AppState) -> Result<Tz, ApiError> {
    state.settings.time_zone.parse().map_err(|_| ApiError::Internal("the time zone was validated at start".into()))
}

fn noise(state: &AppState) -> Noise {
    Noise::new(state.settings.dashboard_epsilon)
}

/// The UTC instant a local day starts at (the first one, should midnight repeat).
pub fn start_of(zone: Tz, day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    zone.from_local_datetime(&midnight).earliest().map_or(midnight, |t| t.naive_utc())
}

/// The released cells of `measures` over the request's months and scope, releasing any
/// month not released yet first.
async fn cells(state: &AppState, request: &Request, measures: Vec<String>) -> Result<Released, DashboardError> {
    let periods = request.periods();
    let missing = {
        let periods = periods.clone();
        state.db.run(move |conn| Ok::<_, DashboardError>(release::unreleased(conn, &periods)?)).await?
    };
    if !missing.is_empty() {
        let (zone, noise, months) = (request.zone, noise(state), request.months.clone());
        released_once(state, move |conn, now| release::release_months(conn, zone, &months, noise, now)).await?;
    }
    let scope = request.scope_key();
    state.db.run(move |conn| Ok(release::released(conn, &periods, &scope, &measures)?)).await
}

/// Runs a release in a transaction; when another instance released the same period at
/// the same moment, reads that one instead (a second try finds it released).
async fn released_once<F>(state: &AppState, work: F) -> Result<(), DashboardError>
where
    F: Fn(&mut DbConn, NaiveDateTime) -> Result<(), DashboardError> + Clone + Send + 'static,
{
    for _ in 0..3 {
        let work = work.clone();
        match state.db.transaction(move |conn| work(conn, Utc::now().naive_utc())).await {
            Err(DashboardError::ReleasedElsewhere) => continue,
            other => return other,
        }
    }
    Err(DashboardError::ReleasedElsewhere)
}

/// A released count over the months: the sum of its cells, shown no lower than zero.
fn sum_of(cells: &Released, periods: &[String], measure: &str, row: &str, column: &str) -> u64 {
    let key = (measure.to_owned(), row.to_owned(), column.to_owned());
    let sum: i64 = periods.iter().filter_map(|p| cells.get(p)).filter_map(|c| c.get(&key)).sum();
    sum.max(0).unsigned_abs()
}

/// Refuses filters that leave between 1 and 4 referrals (`population` of them, as
/// released): every figure would be about people who could be recognized.
fn refuse_small(population: u64) -> Result<(), DashboardError> {
    if population > 0 && population < THRESHOLD {
        return Err(DashboardError::PopulationTooSmall);
    }
    Ok(())
}

/// How many referrals were sent in the period: the funnel's statuses added up.
fn population(cells: &Released, periods: &[String]) -> u64 {
    release::funnel_statuses().map(|s| sum_of(cells, periods, release::FUNNEL, s.code(), "referrals")).sum()
}

fn heading(key: &str, label: impl Into<String>) -> Heading {
    Heading { key: key.to_owned(), label: label.into() }
}

/// A table whose rows add up, in each column, to the column's total; suppressed.
fn count_table(table: &str, scope: DashboardScope, columns: Vec<Heading>, rows: Vec<(Heading, Vec<u64>)>) -> CountTable {
    let (headings, values): (Vec<Heading>, Vec<Vec<u64>>) = rows.into_iter().unzip();
    let (figures, totals) = suppress_columns(&values, columns.len());
    let rows = headings.into_iter().zip(figures).map(|(heading, figures)| CountRow { heading, figures }).collect();
    CountTable { table: table.to_owned(), scope, columns, rows, totals }
}

/// Referrals sent in the period, by where they stood when their month was released; the
/// total is how many were sent.
pub async fn funnel(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let cells = cells(state, &request, vec![release::FUNNEL.into()]).await?;
    let periods = request.periods();
    refuse_small(population(&cells, &periods))?;
    let rows = release::funnel_statuses().map(|s| (heading(s.code(), s.code()), vec![sum_of(&cells, &periods, release::FUNNEL, s.code(), "referrals")])).collect();
    Ok(count_table("funnel", request.scope, vec![heading("referrals", "referrals")], rows))
}

/// Referrals sent in the period and declined, by reason.
pub async fn declines(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let cells = cells(state, &request, vec![release::FUNNEL.into(), release::DECLINES.into()]).await?;
    let periods = request.periods();
    refuse_small(population(&cells, &periods))?;
    let rows = ReasonCode::ALL.iter().map(|r| (heading(r.code(), r.code()), vec![sum_of(&cells, &periods, release::DECLINES, r.code(), "declined")])).collect();
    Ok(count_table("declines", request.scope, vec![heading("declined", "declined")], rows))
}

/// Referrals sent in the period and completed, by outcome (and, when unsuccessful, why).
pub async fn outcomes(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let cells = cells(state, &request, vec![release::FUNNEL.into(), release::OUTCOMES.into()]).await?;
    let periods = request.periods();
    refuse_small(population(&cells, &periods))?;
    let rows = release::outcome_rows().into_iter().map(|row| (heading(&row, row.clone()), vec![sum_of(&cells, &periods, release::OUTCOMES, &row, "completed")])).collect();
    Ok(count_table("outcomes", request.scope, vec![heading("completed", "completed")], rows))
}

/// Month by month: the referrals sent in each month of the period, and how many of them
/// stood accepted, declined, completed and expired when the month was released.
pub async fn trends(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    const SERIES: [&str; 5] = ["sent", "accepted", "declined", "completed", "expired"];
    let cells = cells(state, &request, vec![release::FUNNEL.into()]).await?;
    let periods = request.periods();
    refuse_small(population(&cells, &periods))?;
    let rows = periods
        .iter()
        .map(|period| {
            let month = std::slice::from_ref(period);
            let counts = SERIES.iter().map(|&series| if series == "sent" { population(&cells, month) } else { sum_of(&cells, month, release::FUNNEL, series, "referrals") }).collect();
            (heading(period, period.clone()), counts)
        })
        .collect();
    Ok(count_table("trends", request.scope, SERIES.iter().map(|k| heading(k, *k)).collect(), rows))
}

/// The released figures of the moment for today (local), by row: a one-column table's.
async fn today(state: &AppState, request: &Request, measure: &str, scope: String) -> Result<(NaiveDate, Vec<(String, u64)>), DashboardError> {
    let (day, cells) = today_cells(state, request, measure, scope).await?;
    Ok((day, cells.into_iter().map(|(row, _, n)| (row, n)).filter(|(_, n)| *n > 0).collect()))
}

/// The released figures of the moment for today (local), releasing them at the day's
/// first read: each cell's row, column and count.
async fn today_cells(state: &AppState, request: &Request, measure: &str, scope: String) -> Result<(NaiveDate, Vec<(String, String, u64)>), DashboardError> {
    let now = Utc::now();
    let day = now.with_timezone(&request.zone).date_naive();
    let (period, measure) = (release::day_key(day), measure.to_owned());
    let key = period.clone();
    if !state.db.run(move |conn| Ok::<_, DashboardError>(release::unreleased(conn, &[key])?)).await?.is_empty() {
        let noise = noise(state);
        released_once(state, move |conn, now| release::release_day(conn, day, now, now + Duration::days(EXPIRING_DAYS), noise)).await?;
    }
    let cells = state.db.run(move |conn| Ok::<_, DashboardError>(release::released(conn, std::slice::from_ref(&period), &scope, std::slice::from_ref(&measure))?)).await?;
    let rows = cells.into_values().flatten().map(|((_, row, column), value)| (row, column, value.max(0).unsigned_abs())).collect();
    Ok((day, rows))
}

/// Goals in participants' plans now, by domain and status, as released today (the
/// partnership as a whole: regions and periods do not apply).
pub async fn plan_goals(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let (day, cells) = today_cells(state, &request, release::PLAN_GOALS, ALL_REGIONS.to_owned()).await?;
    let figure = |domain: GoalDomain, status: GoalStatus| cells.iter().find(|(r, c, _)| r == domain.code() && c == status.code()).map_or(0, |(_, _, n)| *n);
    let columns = GoalStatus::ALL.iter().map(|s| heading(s.code(), s.code())).collect();
    let rows = GoalDomain::ALL.iter().map(|d| (heading(d.code(), d.code()), GoalStatus::ALL.iter().map(|s| figure(*d, *s)).collect())).collect();
    Ok(count_table("plan_goals", DashboardScope { from: day, to: day, region_id: None }, columns, rows))
}

/// Participants' plans now, as released today: how many have goals, how many a safety
/// plan not past its review date, and how their stage of change moved from the first
/// recorded to the latest (of those recorded more than once).
pub async fn plan_care(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let (day, cells) = today_cells(state, &request, release::PLAN_CARE, ALL_REGIONS.to_owned()).await?;
    let rows = [release::PLANS_WITH_GOALS, release::CURRENT_SAFETY_PLANS, release::STAGE_FORWARD, release::STAGE_SAME, release::STAGE_BACK]
        .into_iter()
        .map(|row| (heading(row, row), vec![cells.iter().find(|(r, _, _)| r == row).map_or(0, |(_, _, n)| *n)]))
        .collect();
    Ok(count_table("plan_care", DashboardScope { from: day, to: day, region_id: None }, vec![heading(release::PARTICIPANTS, release::PARTICIPANTS)], rows))
}

/// Case conferences held and how their action items went, as released today: done on
/// time, done late, open past their date (the partnership as a whole).
pub async fn conferences(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let (day, cells) = today_cells(state, &request, release::CONFERENCES, ALL_REGIONS.to_owned()).await?;
    let rows = [release::CONFERENCES_HELD, release::ACTIONS_ON_TIME, release::ACTIONS_LATE, release::ACTIONS_OVERDUE]
        .into_iter()
        .map(|row| (heading(row, row), vec![cells.iter().find(|(r, _, _)| r == row).map_or(0, |(_, _, n)| *n)]))
        .collect();
    Ok(count_table("conferences", DashboardScope { from: day, to: day, region_id: None }, vec![heading(release::COUNT, release::COUNT)], rows))
}

/// Referrals waiting for an answer past their due time, by receiving organization (in the
/// region if one is given; the period does not apply), as released today.
pub async fn overdue(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let (day, counts) = today(state, &request, release::OVERDUE, request.scope_key()).await?;
    let scope = DashboardScope { from: day, to: day, region_id: request.scope.region_id.clone() };
    let rows = state.db.run(move |conn| organization_rows(conn, counts)).await?;
    Ok(count_table("overdue", scope, vec![heading("overdue", "overdue")], rows))
}

/// Active consents that end within the next 30 days, by the organization that recorded
/// them, as released today — counts only (regions do not apply: consents are not placed in one).
pub async fn consents_expiring(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    let (day, counts) = today(state, &request, release::EXPIRING, ALL_REGIONS.to_owned()).await?;
    let scope = DashboardScope { from: day, to: day + Duration::days(EXPIRING_DAYS), region_id: None };
    let rows = state.db.run(move |conn| organization_rows(conn, counts)).await?;
    Ok(count_table("consents_expiring", scope, vec![heading("expiring", "expiring")], rows))
}

/// Rows for counts by organization id, with their names, ordered by name.
fn organization_rows(conn: &mut DbConn, counts: Vec<(String, u64)>) -> Result<Vec<(Heading, Vec<u64>)>, DashboardError> {
    let ids: Vec<String> = counts.iter().map(|(id, _)| id.clone()).collect();
    let names = figures::names(conn, Named::Organization, &ids, false)?;
    let mut rows: Vec<(Heading, Vec<u64>)> = counts.into_iter().map(|(id, n)| (heading(&id, names.get(&id).cloned().unwrap_or_default()), vec![n])).collect();
    rows.sort_by(|a, b| a.0.label.cmp(&b.0.label).then(a.0.key.cmp(&b.0.key)));
    Ok(rows)
}

/// A span's released figures over a group: its count, and its duration histogram.
#[derive(Debug, Clone, Default)]
struct SpanFigures {
    count: u64,
    buckets: Vec<u64>,
}

fn span_figures(cells: &Released, periods: &[String], by: Option<Breakdown>, group: &str) -> [SpanFigures; 3] {
    let (times, histogram) = (release::times_measure(by), release::histogram_measure(by));
    let spans = Span::ALL;
    std::array::from_fn(|i| SpanFigures {
        count: sum_of(cells, periods, &times, group, spans[i].code()),
        buckets: (0..=release::BUCKET_HOURS.len()).map(|b| sum_of(cells, periods, &histogram, group, &release::bucket_column(spans[i], b))).collect(),
    })
}

/// Median and 90th percentile of the time to first opening, to acceptance and to
/// completion, by urgency, region, category or receiving organization, from the released
/// histograms. Groups of fewer than five get no times; their counts are suppressed like
/// any other.
pub async fn response_times(state: &AppState, request: Request, by: Breakdown) -> Result<ResponseTimes, DashboardError> {
    let measures = vec![release::FUNNEL.into(), release::times_measure(Some(by)), release::histogram_measure(Some(by)), release::times_measure(None), release::histogram_measure(None)];
    let cells = cells(state, &request, measures).await?;
    let periods = request.periods();
    refuse_small(population(&cells, &periods))?;
    let times_measure = release::times_measure(Some(by));
    let groups: HashSet<String> = cells.values().flat_map(|c| c.keys()).filter(|(m, _, _)| *m == times_measure).map(|(_, row, _)| row.clone()).collect();
    let mut rows: Vec<(String, [SpanFigures; 3])> = groups.into_iter().map(|g| (span_figures(&cells, &periods, Some(by), &g), g)).filter(|(s, _)| s.iter().any(|s| s.count > 0)).map(|(s, g)| (g, s)).collect();
    let (french, keys) = (request.french, rows.iter().map(|(g, _)| g.clone()).collect());
    let headings = state.db.run(move |conn| group_headings(conn, by, keys, french)).await?;
    let mut rows: Vec<(Heading, [SpanFigures; 3])> = rows.drain(..).map(|(g, s)| (headings.get(&g).cloned().unwrap_or_else(|| heading(&g, g.clone())), s)).collect();
    match by {
        Breakdown::Urgency => rows.sort_by_key(|(h, _)| Urgency::from_code(&h.key)),
        _ => rows.sort_by(|a, b| a.0.label.cmp(&b.0.label).then(a.0.key.cmp(&b.0.key))),
    }
    // Each referral is in one group, so each span's counts add up over the groups to a
    // total a reader could work out: they are suppressed as a table. The overall figures
    // are released on their own, and suppressed as counts of people.
    let counts: Vec<Vec<u64>> = rows.iter().map(|(_, spans)| spans.iter().map(|s| s.count).collect()).collect();
    let (shown, _) = suppress_columns(&counts, Span::ALL.len());
    let timings = |spans: &[SpanFigures; 3], figures: &[Figure]| -> Vec<Timing> { spans.iter().zip(figures).map(|(s, &count)| timing(s, count)).collect() };
    let overall = span_figures(&cells, &periods, None, release::OVERALL);
    let overall_shown = suppress(&overall.iter().map(|s| s.count).collect::<Vec<_>>(), &[]);
    let rows = rows.into_iter().zip(&shown).map(|((heading, spans), figures)| TimingRow { timings: timings(&spans, figures), heading }).collect();
    Ok(ResponseTimes { scope: request.scope, by, spans: Span::ALL.to_vec(), overall: timings(&overall, &overall_shown), rows })
}

/// A span's figures for the screen: hours to a tenth, and only over five referrals or more.
fn timing(span: &SpanFigures, count: Figure) -> Timing {
    let hours = |p: f64| quantile(&span.buckets, p).filter(|_| span.count >= THRESHOLD).map(|h| (h * 10.0).round() / 10.0);
    Timing { count, median_hours: hours(0.5), p90_hours: hours(0.9) }
}

/// The `p` quantile, in hours, of durations released as a histogram over
/// [`release::BUCKET_HOURS`]: found in its bucket and interpolated across it (evenly
/// spread, as within a bucket nothing more is known). In the last bucket, which has no
/// end, its start.
fn quantile(buckets: &[u64], p: f64) -> Option<f64> {
    let total: u64 = buckets.iter().sum();
    if total == 0 {
        return None;
    }
    let target = p * total as f64;
    let mut below = 0.0;
    for (i, &n) in buckets.iter().enumerate() {
        let start = if i == 0 { 0.0 } else { release::BUCKET_HOURS[i - 1] };
        let Some(&end) = release::BUCKET_HOURS.get(i) else { return Some(start) };
        if n > 0 && below + n as f64 >= target {
            return Some(start + (end - start) * ((target - below) / n as f64));
        }
        below += n as f64;
    }
    None
}

fn group_headings(conn: &mut DbConn, by: Breakdown, keys: Vec<String>, french: bool) -> Result<HashMap<String, Heading>, DashboardError> {
    let kind = match by {
        Breakdown::Urgency => return Ok(keys.into_iter().map(|k| (k.clone(), heading(&k, k.clone()))).collect()),
        Breakdown::Region => Named::Region,
        Breakdown::Category => Named::Category,
        Breakdown::Organization => Named::Organization,
    };
    let names = figures::names(conn, kind, &keys, french)?;
    Ok(keys.into_iter().map(|k| (k.clone(), heading(&k, names.get(&k).cloned().unwrap_or_else(|| k.clone())))).collect())
}

/// The directory figures kept between reads (see [`DirectoryCache`]).
#[derive(Debug, Default)]
pub struct DirectoryFigures {
    coverage: DirectoryCache<CoverageMap>,
    stale: DirectoryCache<StaleListings>,
}

/// The coverage gap map: active services of each category (top-level, or the children of
/// `parent_id`) in each region, and how many accept referrals. Directory data: nothing
/// is suppressed; cells with no service are marked as gaps.
pub async fn coverage(state: &AppState, figures: &Arc<DirectoryFigures>, request: Request, parent_id: Option<String>) -> Result<CoverageMap, DashboardError> {
    let cache = Arc::clone(figures);
    state.db.run(move |conn| {
        let key = format!("{}|{}", parent_id.as_deref().unwrap_or(""), request.french);
        let revision = crate::directory::repo::revision(conn)?;
        cache.coverage.get_or(key, revision, || coverage_now(conn, parent_id, request.french))
    })
    .await
}

fn coverage_now(conn: &mut DbConn, parent_id: Option<String>, french: bool) -> Result<CoverageMap, DashboardError> {
    if let Some(parent) = &parent_id {
        if figures::names(conn, Named::Category, std::slice::from_ref(parent), false)?.is_empty() {
            return Err(DashboardError::UnknownCategory);
        }
    }
    let regions = figures::regions(conn, french)?;
    let categories = figures::categories(conn, parent_id.as_deref(), french)?;
    let counts: HashMap<(String, String), (u64, u64)> = figures::coverage(conn, parent_id.as_deref())?
        .into_iter()
        .map(|c| ((c.category_id, c.region_id), (c.services.unsigned_abs(), c.accepting.unsigned_abs())))
        .collect();
    let rows = categories
        .into_iter()
        .map(|(category, label)| CoverageRow {
            cells: regions
                .iter()
                .map(|(region, _)| {
                    let (services, accepting) = counts.get(&(category.clone(), region.clone())).copied().unwrap_or_default();
                    CoverageCell { services, accepting, gap: services == 0 }
                })
                .collect(),
            category: heading(&category, label),
        })
        .collect();
    Ok(CoverageMap { parent_id, regions: regions.into_iter().map(|(id, label)| heading(&id, label)).collect(), rows })
}

/// Organizations with listings not verified within `after_days` (the configured default
/// when absent), the most stale first.
pub async fn stale(state: &AppState, figures: &Arc<DirectoryFigures>, principal: &Principal, after_days: Option<u32>) -> Result<StaleListings, DashboardError> {
    principal.authorize(Permission::ReadDashboards)?;
    let after_days = after_days.unwrap_or(state.settings.stale_after_days);
    if !(1..=3650).contains(&after_days) {
        return Err(DashboardError::StaleDaysOutOfRange);
    }
    let cache = Arc::clone(figures);
    state.db.run(move |conn| {
        // Kept for the day at most: a listing goes stale by the passing of days, not by a write.
        let now = Utc::now();
        let key = format!("{after_days}|{}", now.date_naive());
        let revision = crate::directory::repo::revision(conn)?;
        cache.stale.get_or(key, revision, || stale_now(conn, now.naive_utc(), after_days))
    })
    .await
}

fn stale_now(conn: &mut DbConn, now: NaiveDateTime, after_days: u32) -> Result<StaleListings, DashboardError> {
    let before = now - Duration::days(i64::from(after_days));
    let mut rows: Vec<StaleByOrganization> = figures::stale_by_organization(conn, before)?
        .into_iter()
        .map(|o| StaleByOrganization { organization: heading(&o.id, o.name), listings: o.listings, stale: o.stale, oldest_verified_on: o.oldest_verified.map(|t| t.date()) })
        .collect();
    rows.sort_by(|a, b| b.stale.cmp(&a.stale).then(a.organization.label.cmp(&b.organization.label)));
    Ok(StaleListings { after_days, rows })
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_are_read_from_the_histogram_across_their_bucket() {
        // Buckets: <0.5, <1, <2, <4, … hours. Ten durations in [1, 2): the median is
        // halfway across, the 90th percentile nine tenths.
        let mut buckets = vec![0; 12];
        buckets[2] = 10;
        assert_eq!(quantile(&buckets, 0.5), Some(1.5));
        assert!(quantile(&buckets, 0.9).is_some_and(|h| (h - 1.9).abs() < 1e-9));
        buckets[11] = 30;
        assert_eq!(quantile(&buckets, 0.5), Some(336.0), "in the open last bucket: its start");
        assert_eq!(quantile(&[0; 12], 0.5), None);
    }
}
