//! The dashboards' tables, built from the counts of [`figures`] with small counts
//! suppressed ([`suppression`]). For coordinators and system admins only; nothing here
//! names or counts fewer than five people.

use std::sync::Arc;

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use harbour_types::{
    Breakdown, CountRow, CountTable, CoverageCell, CoverageMap, CoverageRow, DashboardScope, Figure, Heading, Outcome, ReasonCode, ReferralStatus, ResponseTimes, Span,
    StaleByOrganization, StaleListings, Timing, TimingRow, Urgency,
};

use super::cache::DirectoryCache;
use super::figures::{self, GroupTimes, Named, SpanTimes, Window};
use super::suppression::{suppress_columns, THRESHOLD};
use crate::auth::{Permission, Principal};
use crate::db::DbConn;
use super::error::DashboardError;
use crate::error::ApiError;
use crate::state::AppState;

/// The longest period a dashboard covers.
const MAX_DAYS: i64 = 3 * 366;
/// The default period: the last 90 days.
const DEFAULT_DAYS: i64 = 90;
/// "Consents about to expire": within this many days.
const EXPIRING_DAYS: i64 = 30;

/// What a dashboard is asked for — the period (local days, in the partnership's time
/// zone), the region, and the language of names — by a caller already allowed to ask:
/// holding a `Request` is the proof.
#[derive(Debug, Clone)]
pub struct Request {
    pub scope: DashboardScope,
    pub window: Window,
    pub french: bool,
    zone: Tz,
}

impl Request {
    /// Checks the caller (coordinators and system admins), then the filters: `from` ≤
    /// `to`, at most about three years; by default the last 90 days.
    pub fn new(state: &AppState, principal: &Principal, from: Option<NaiveDate>, to: Option<NaiveDate>, region_id: Option<String>, lang: Option<&str>) -> Result<Request, DashboardError> {
        principal.authorize(Permission::ReadDashboards)?;
        let zone: Tz = state.settings.time_zone.parse().map_err(|_| ApiError::Internal("the time zone was validated at start".into()))?;
        let today = Utc::now().with_timezone(&zone).date_naive();
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
        if from > to {
            return Err(DashboardError::PeriodReversed);
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(DashboardError::PeriodTooLong);
        }
        let french = match lang {
            None | Some("en") => false,
            Some("fr") => true,
            Some(_) => return Err(DashboardError::UnknownLanguage),
        };
        let region_id = region_id.filter(|r| !r.is_empty());
        let window = Window { start: start_of(zone, from), end: start_of(zone, to + Duration::days(1)), region_id: region_id.clone() };
        Ok(Request { scope: DashboardScope { from, to, region_id }, window, french, zone })
    }
}

/// The UTC instant a local day starts at (the first one, should midnight repeat).
fn start_of(zone: Tz, day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    zone.from_local_datetime(&midnight).earliest().map_or(midnight, |t| t.naive_utc())
}

/// Refuses filters that leave between 1 and 4 referrals (`population` of them): every
/// figure would be about people who could be recognized.
fn refuse_small(population: u64) -> Result<(), DashboardError> {
    if population > 0 && population < THRESHOLD {
        return Err(DashboardError::PopulationTooSmall);
    }
    Ok(())
}

fn require_population(conn: &mut DbConn, window: &Window) -> Result<(), DashboardError> {
    refuse_small(figures::population(conn, window)?)
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

/// Referrals sent in the period, by where they stand now; the total is how many were sent.
pub async fn funnel(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    state.db.run(move |conn| {
        let counts: HashMap<String, u64> = figures::by_status(conn, &request.window)?.into_iter().collect();
        // Every referral sent in the window is in one status: they add up to the population.
        refuse_small(counts.values().sum())?;
        let rows = ReferralStatus::ALL
            .iter()
            .filter(|s| **s != ReferralStatus::Draft)
            .map(|s| (heading(s.code(), s.code()), vec![counts.get(s.code()).copied().unwrap_or(0)]))
            .collect();
        Ok(count_table("funnel", request.scope, vec![heading("referrals", "referrals")], rows))
    })
    .await
}

/// Referrals sent in the period and declined, by reason.
pub async fn declines(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    state.db.run(move |conn| {
        require_population(conn, &request.window)?;
        let mut counts: HashMap<Option<String>, u64> = HashMap::new();
        for closed in figures::closed_by_reason(conn, &request.window, ReferralStatus::Declined.code())? {
            *counts.entry(closed.reason).or_default() += closed.count;
        }
        let rows = ReasonCode::ALL.iter().map(|r| (heading(r.code(), r.code()), vec![counts.get(&Some(r.code().to_owned())).copied().unwrap_or(0)])).collect();
        Ok(count_table("declines", request.scope, vec![heading("declined", "declined")], rows))
    })
    .await
}

/// Referrals sent in the period and completed, by outcome (and, when unsuccessful, why).
pub async fn outcomes(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    state.db.run(move |conn| {
        require_population(conn, &request.window)?;
        let counts: HashMap<(Option<String>, Option<String>), u64> =
            figures::closed_by_reason(conn, &request.window, ReferralStatus::Completed.code())?.into_iter().map(|c| ((c.outcome, c.reason), c.count)).collect();
        let count = |outcome: Outcome, reason: Option<ReasonCode>| {
            counts.iter().filter(|((o, r), _)| o.as_deref() == Some(outcome.code()) && (reason.is_none() || r.as_deref() == reason.map(ReasonCode::code))).map(|(_, n)| n).sum::<u64>()
        };
        let mut rows = vec![(heading(Outcome::Successful.code(), Outcome::Successful.code()), vec![count(Outcome::Successful, None)])];
        for reason in ReasonCode::ALL {
            let key = format!("{}.{}", Outcome::Unsuccessful.code(), reason.code());
            rows.push((heading(&key, key.clone()), vec![count(Outcome::Unsuccessful, Some(*reason))]));
        }
        Ok(count_table("outcomes", request.scope, vec![heading("completed", "completed")], rows))
    })
    .await
}

/// Referrals waiting for an answer past their due time now, by receiving organization
/// (in the region if one is given; the period does not apply).
pub async fn overdue(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    state.db.run(move |conn| {
        let now = Utc::now();
        let counts = figures::overdue(conn, request.window.region_id.as_deref(), now.naive_utc())?;
        let today = now.with_timezone(&request.zone).date_naive();
        let scope = DashboardScope { from: today, to: today, region_id: request.scope.region_id };
        Ok(count_table("overdue", scope, vec![heading("overdue", "overdue")], organization_rows(conn, counts)?))
    })
    .await
}

/// Active consents that end within the next 30 days, by the organization that recorded
/// them — counts only (regions do not apply: consents are not placed in one).
pub async fn consents_expiring(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    state.db.run(move |conn| {
        let now = Utc::now();
        let counts = figures::consents_expiring(conn, now.naive_utc(), (now + Duration::days(EXPIRING_DAYS)).naive_utc())?;
        let today = now.with_timezone(&request.zone).date_naive();
        let scope = DashboardScope { from: today, to: today + Duration::days(EXPIRING_DAYS), region_id: None };
        Ok(count_table("consents_expiring", scope, vec![heading("expiring", "expiring")], organization_rows(conn, counts)?))
    })
    .await
}

/// Rows for counts by organization id, with their names, ordered by name.
fn organization_rows(conn: &mut DbConn, counts: Vec<(String, u64)>) -> Result<Vec<(Heading, Vec<u64>)>, DashboardError> {
    let ids: Vec<String> = counts.iter().map(|(id, _)| id.clone()).collect();
    let names = figures::names(conn, Named::Organization, &ids, false)?;
    let mut rows: Vec<(Heading, Vec<u64>)> = counts.into_iter().map(|(id, n)| (heading(&id, names.get(&id).cloned().unwrap_or_default()), vec![n])).collect();
    rows.sort_by(|a, b| a.0.label.cmp(&b.0.label).then(a.0.key.cmp(&b.0.key)));
    Ok(rows)
}

/// Week by week (weeks start on Monday, local time): referrals sent, accepted, declined,
/// completed and expired in each week of the period.
pub async fn trends(state: &AppState, request: Request) -> Result<CountTable, DashboardError> {
    state.db.run(move |conn| {
        require_population(conn, &request.window)?;
        const SERIES: [&str; 5] = ["sent", "accepted", "declined", "completed", "expired"];
        let monday = |day: NaiveDate| day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let mut weeks: BTreeMap<NaiveDate, Vec<u64>> = BTreeMap::new();
        let mut week = monday(request.scope.from);
        while week <= request.scope.to {
            weeks.insert(week, vec![0; SERIES.len()]);
            week += Duration::days(7);
        }
        for (hour, series, n) in figures::hourly(conn, &request.window)? {
            let day = Utc.from_utc_datetime(&hour).with_timezone(&request.zone).date_naive();
            if let (Some(counts), Some(c)) = (weeks.get_mut(&monday(day)), SERIES.iter().position(|s| *s == series)) {
                counts[c] += n;
            }
        }
        let rows = weeks.into_iter().map(|(week, counts)| (heading(&week.to_string(), week.to_string()), counts)).collect();
        Ok(count_table("trends", request.scope, SERIES.iter().map(|k| heading(k, *k)).collect(), rows))
    })
    .await
}

/// Median and 90th percentile of the time to first opening, to acceptance and to
/// completion, by urgency, region, category or receiving organization. Groups of fewer
/// than five get no times; their counts are suppressed like any other.
pub async fn response_times(state: &AppState, request: Request, by: Breakdown) -> Result<ResponseTimes, DashboardError> {
    state.db.run(move |conn| {
        require_population(conn, &request.window)?;
        let (overall, groups): (Vec<GroupTimes>, Vec<GroupTimes>) = figures::response_times(conn, &request.window, by)?.into_iter().partition(|g| g.overall);
        let headings = group_headings(conn, by, groups.iter().map(|g| g.key.clone()).collect(), request.french)?;
        let mut rows: Vec<(Heading, [SpanTimes; 3])> = groups.into_iter().map(|g| (headings.get(&g.key).cloned().unwrap_or_else(|| heading(&g.key, g.key.clone())), g.spans)).collect();
        match by {
            Breakdown::Urgency => rows.sort_by_key(|(h, _)| Urgency::from_code(&h.key)),
            _ => rows.sort_by(|a, b| a.0.label.cmp(&b.0.label)),
        }
        let overall = overall.first().map_or_else(<[SpanTimes; 3]>::default, |g| g.spans);
        // Each referral is in one group, so each span's counts add up over the groups to
        // its overall count: they are suppressed as a table.
        let counts: Vec<Vec<u64>> = rows.iter().map(|(_, spans)| spans.iter().map(|s| s.count).collect()).collect();
        let (shown, totals) = suppress_columns(&counts, Span::ALL.len());
        let timings = |spans: &[SpanTimes; 3], figures: &[Figure]| -> Vec<Timing> { spans.iter().zip(figures).map(|(s, &count)| timing(s, count)).collect() };
        let rows = rows.into_iter().zip(&shown).map(|((heading, spans), figures)| TimingRow { timings: timings(&spans, figures), heading }).collect();
        Ok(ResponseTimes { scope: request.scope, by, spans: Span::ALL.to_vec(), overall: timings(&overall, &totals), rows })
    })
    .await
}

/// A span's figures for the screen: hours to a tenth, and only over five referrals or more.
fn timing(span: &SpanTimes, count: Figure) -> Timing {
    let hours = |seconds: Option<f64>| seconds.filter(|_| span.count >= THRESHOLD).map(|s| (s / 360.0).round() / 10.0);
    Timing { count, median_hours: hours(span.median), p90_hours: hours(span.p90) }
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
