//! Released figures: what the referral dashboards are made of, so that no two answers can
//! be set against each other to count one young person's referral.
//!
//! Suppressing small counts is not enough on its own: the funnel from September to the
//! 29th of November and to the 30th differ by the referrals of one day, and two regions'
//! figures by what is in neither. So the figures come from a fixed calendar and are drawn
//! once:
//! - A period is a calendar month in the partnership's time zone; a dashboard covers whole
//!   months ([`months_of`]). A month is released once every referral sent in it has had
//!   its answer or expired (`HARBOUR_REFERRAL_EXPIRE_DAYS` after it ends): its referrals
//!   are counted then, as they stand, into cells (a table's row and column, for every
//!   region and for all regions) over every row a table can have, zeros included.
//! - Each cell gets its own random noise ([`Noise`]) and is kept as released. Any
//!   dashboard over any months adds up released cells, so asking again gives the same
//!   answer, and overlapping periods, regions or tables give nothing but sums of the same
//!   noisy cells: a difference of two answers is a difference of released cells, each of
//!   them as uncertain as its noise.
//! - The figures of the moment (overdue referrals, consents about to expire) are released
//!   the same way once a day, at the day's first read.
//!
//! The privacy budget: a referral is in the cells of one month only, where it counts in
//! one cell of each table released with it, once per scope (its region, and all regions):
//! 2 × (3 tables + 2 × 3 spans × 5 breakdowns) = 66 cells of ε each, once and for good.
//! A young person with k referrals in a year has spent 66·k·ε for that year, and nothing
//! more however often or however anyone asks.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use harbour_types::{Breakdown, GoalDomain, GoalStatus, Outcome, ReasonCode, ReferralStatus, Span, Urgency};

use super::error::DashboardError;
use super::figures::{self, SentReferral};
use super::noise::Noise;
use crate::db::schema::{dashboard_cells, dashboard_releases};
use crate::db::{insert_all, DbConn};

/// The scope of figures over every region (a region's scope is its id).
pub const ALL_REGIONS: &str = "*";
/// The group of referrals without a region or a category.
pub const NONE: &str = "none";

/// The tables released for each month.
pub const FUNNEL: &str = "funnel";
pub const DECLINES: &str = "declines";
pub const OUTCOMES: &str = "outcomes";
/// The tables released for each day.
pub const OVERDUE: &str = "overdue";
pub const EXPIRING: &str = "consents_expiring";
/// Goals by domain (rows) and status (columns).
pub const PLAN_GOALS: &str = "plan_goals";
/// Participants' plans: the rows below, one column of participants.
pub const PLAN_CARE: &str = "plan_care";
pub const PLANS_WITH_GOALS: &str = "with_goals";
pub const CURRENT_SAFETY_PLANS: &str = "current_safety_plan";
pub const STAGE_FORWARD: &str = "stage_moved_on";
pub const STAGE_SAME: &str = "stage_unchanged";
pub const STAGE_BACK: &str = "stage_went_back";
/// The one column of [`PLAN_CARE`].
pub const PARTICIPANTS: &str = "participants";
/// Case conferences and their action items: the rows below, one column of counts.
pub const CONFERENCES: &str = "conferences";
pub const CONFERENCES_HELD: &str = "conferences_held";
pub const ACTIONS_ON_TIME: &str = "actions_done_on_time";
pub const ACTIONS_LATE: &str = "actions_done_late";
pub const ACTIONS_OVERDUE: &str = "actions_open_overdue";
/// The one column of [`CONFERENCES`].
pub const COUNT: &str = "count";

/// Upper bounds, in hours, of the histogram buckets response times are released in; a
/// last bucket holds everything longer.
pub const BUCKET_HOURS: [f64; 11] = [0.5, 1.0, 2.0, 4.0, 8.0, 12.0, 24.0, 48.0, 72.0, 168.0, 336.0];

/// The table of how many referrals went through each span, by `by` (`None`: overall).
pub fn times_measure(by: Option<Breakdown>) -> String {
    format!("times.{}", by.map_or("all", Breakdown::code))
}

/// The table of each span's durations, bucketed, by `by` (`None`: overall).
pub fn histogram_measure(by: Option<Breakdown>) -> String {
    format!("hist.{}", by.map_or("all", Breakdown::code))
}

/// The row key of the overall figures.
pub const OVERALL: &str = "all";

/// A released cell's place: scope, table, row, column.
pub type CellKey = (String, String, String, String);

/// The period key of a month (`2026-11`) and of a day (`2026-12-07`).
pub fn month_key(first_day: NaiveDate) -> String {
    first_day.format("%Y-%m").to_string()
}

pub fn day_key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// The first days of the months from the one of `from` to the one of `to`.
pub fn months_of(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut months = Vec::new();
    let mut month = first_of(from);
    while month <= to {
        months.push(month);
        month = next_month(month);
    }
    months
}

pub fn first_of(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

pub fn next_month(first_day: NaiveDate) -> NaiveDate {
    first_day.checked_add_months(chrono::Months::new(1)).unwrap_or(first_day)
}

/// The last day of the month of `day`.
pub fn last_of(day: NaiveDate) -> NaiveDate {
    next_month(first_of(day)) - Duration::days(1)
}

/// Whatever a month's tables can have a row for: the rows are released whether or not a
/// referral falls in them, so that a row's presence says nothing.
#[derive(Debug, Clone, Default)]
pub struct Domain {
    pub regions: Vec<String>,
    pub categories: Vec<String>,
    pub organizations: Vec<String>,
}

/// The rows of the outcomes table: successful, then unsuccessful by reason.
pub fn outcome_rows() -> Vec<String> {
    let mut rows = vec![Outcome::Successful.code().to_owned()];
    rows.extend(ReasonCode::ALL.iter().map(|r| format!("{}.{}", Outcome::Unsuccessful.code(), r.code())));
    rows
}

/// The statuses of the funnel: every one but draft (a draft was never sent).
pub fn funnel_statuses() -> impl Iterator<Item = ReferralStatus> {
    ReferralStatus::ALL.iter().copied().filter(|s| *s != ReferralStatus::Draft)
}

/// The bucket of a duration.
fn bucket(seconds: f64) -> usize {
    BUCKET_HOURS.iter().position(|&h| seconds < h * 3600.0).unwrap_or(BUCKET_HOURS.len())
}

/// The histogram column of a span's bucket.
pub fn bucket_column(span: Span, bucket: usize) -> String {
    format!("{}.{bucket}", span.code())
}

/// The true counts of a month's referrals, cell by cell — every cell of every table for
/// every scope, zeros included.
pub fn count_month(referrals: &[SentReferral], domain: &Domain) -> BTreeMap<CellKey, u64> {
    let mut cells: BTreeMap<CellKey, u64> = BTreeMap::new();
    let scopes: Vec<String> = std::iter::once(ALL_REGIONS.to_owned()).chain(domain.regions.iter().cloned()).collect();
    let groups = |scope: &str, by: Breakdown| -> Vec<String> {
        let mut all: Vec<String> = match by {
            Breakdown::Urgency => Urgency::ALL.iter().map(|u| u.code().to_owned()).collect(),
            // In a region's scope every referral is in that region.
            Breakdown::Region if scope != ALL_REGIONS => vec![scope.to_owned()],
            Breakdown::Region => domain.regions.clone(),
            Breakdown::Category => domain.categories.clone(),
            Breakdown::Organization => domain.organizations.clone(),
        };
        if matches!(by, Breakdown::Category) || (matches!(by, Breakdown::Region) && scope == ALL_REGIONS) {
            all.push(NONE.to_owned());
        }
        all
    };
    for scope in &scopes {
        let mut zero = |measure: &str, row: &str, column: &str| {
            cells.insert((scope.clone(), measure.to_owned(), row.to_owned(), column.to_owned()), 0);
        };
        for status in funnel_statuses() {
            zero(FUNNEL, status.code(), "referrals");
        }
        for reason in ReasonCode::ALL {
            zero(DECLINES, reason.code(), "declined");
        }
        for row in outcome_rows() {
            zero(OUTCOMES, &row, "completed");
        }
        for by in std::iter::once(None).chain(Breakdown::ALL.iter().copied().map(Some)) {
            let rows = by.map_or_else(|| vec![OVERALL.to_owned()], |by| groups(scope, by));
            for row in rows {
                for span in Span::ALL {
                    zero(&times_measure(by), &row, span.code());
                    for b in 0..=BUCKET_HOURS.len() {
                        zero(&histogram_measure(by), &row, &bucket_column(*span, b));
                    }
                }
            }
        }
    }
    for referral in referrals {
        let mut scopes = vec![ALL_REGIONS.to_owned()];
        scopes.extend(referral.region_id.clone());
        for scope in &scopes {
            let mut add = |measure: &str, row: &str, column: &str| {
                *cells.entry((scope.clone(), measure.to_owned(), row.to_owned(), column.to_owned())).or_default() += 1;
            };
            add(FUNNEL, referral.status.code(), "referrals");
            if let (ReferralStatus::Declined, Some(reason)) = (referral.status, referral.reason) {
                add(DECLINES, reason.code(), "declined");
            }
            match (referral.status, referral.outcome, referral.reason) {
                (ReferralStatus::Completed, Some(Outcome::Successful), _) => add(OUTCOMES, Outcome::Successful.code(), "completed"),
                (ReferralStatus::Completed, Some(Outcome::Unsuccessful), Some(reason)) => add(OUTCOMES, &format!("{}.{}", Outcome::Unsuccessful.code(), reason.code()), "completed"),
                _ => {}
            }
            for (span, seconds) in Span::ALL.iter().zip(referral.spans()) {
                let Some(seconds) = seconds else { continue };
                for by in std::iter::once(None).chain(Breakdown::ALL.iter().copied().map(Some)) {
                    let row = by.map_or_else(|| OVERALL.to_owned(), |by| referral.group(by));
                    add(&times_measure(by), &row, span.code());
                    add(&histogram_measure(by), &row, &bucket_column(*span, bucket(seconds)));
                }
            }
        }
    }
    cells
}

/// Releases `period` — its true `cells` each with noise added — unless it already is,
/// in the caller's transaction. Two instances releasing the same period at once: the
/// second's claim fails (on PostgreSQL once the first commits) with
/// [`DashboardError::ReleasedElsewhere`], and the caller reads the first's.
pub fn release(conn: &mut DbConn, period: &str, cells: BTreeMap<CellKey, u64>, noise: Noise, now: NaiveDateTime) -> Result<(), DashboardError> {
    if unreleased(conn, &[period.to_owned()])?.is_empty() {
        return Ok(());
    }
    let claim = [(dashboard_releases::period.eq(period.to_owned()), dashboard_releases::released_at.eq(now))];
    match insert_all!(conn, dashboard_releases::table, claim) {
        Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => return Err(DashboardError::ReleasedElsewhere),
        other => other?,
    };
    let mut rng = rand::thread_rng();
    let rows: Vec<_> = cells
        .into_iter()
        .map(|((scope, measure, row, column), count)| {
            (
                dashboard_cells::period.eq(period.to_owned()),
                dashboard_cells::scope.eq(scope),
                dashboard_cells::measure.eq(measure),
                dashboard_cells::row_key.eq(row),
                dashboard_cells::column_key.eq(column),
                dashboard_cells::value.eq(noise.add(&mut rng, count)),
            )
        })
        .collect();
    // Six binds a row: PostgreSQL takes at most 65,535 in one statement.
    for chunk in rows.chunks(2000) {
        insert_all!(conn, dashboard_cells::table, chunk)?;
    }
    Ok(())
}

/// The periods of `periods` not released yet.
pub fn unreleased(conn: &mut DbConn, periods: &[String]) -> QueryResult<Vec<String>> {
    let done: Vec<String> = dashboard_releases::table.filter(dashboard_releases::period.eq_any(periods)).select(dashboard_releases::period).load(conn)?;
    Ok(periods.iter().filter(|p| !done.contains(p)).cloned().collect())
}

/// Released cells of `measures` in `scope`, by period, then (measure, row, column).
pub type Released = HashMap<String, HashMap<(String, String, String), i64>>;

pub fn released(conn: &mut DbConn, periods: &[String], scope: &str, measures: &[String]) -> QueryResult<Released> {
    let rows: Vec<(String, String, String, String, i64)> = dashboard_cells::table
        .filter(dashboard_cells::period.eq_any(periods))
        .filter(dashboard_cells::scope.eq(scope))
        .filter(dashboard_cells::measure.eq_any(measures))
        .select((dashboard_cells::period, dashboard_cells::measure, dashboard_cells::row_key, dashboard_cells::column_key, dashboard_cells::value))
        .load(conn)?;
    let mut out: Released = HashMap::new();
    for (period, measure, row, column, value) in rows {
        out.entry(period).or_default().insert((measure, row, column), value);
    }
    Ok(out)
}

/// Releases, in the caller's transaction, the months of `months` (first days, all
/// settled) not released yet: the referrals sent in each, counted as they stand. A month
/// that ended before the first referral was ever sent is released with no cells: there
/// is nothing in it to count, or to hide.
pub fn release_months(conn: &mut DbConn, zone: chrono_tz::Tz, months: &[NaiveDate], noise: Noise, now: NaiveDateTime) -> Result<(), DashboardError> {
    let keys: Vec<String> = months.iter().copied().map(month_key).collect();
    let missing = unreleased(conn, &keys)?;
    if missing.is_empty() {
        return Ok(());
    }
    let first_sent = figures::first_sent(conn)?;
    let domain = figures::domain(conn)?;
    for month in months.iter().copied().filter(|m| missing.contains(&month_key(*m))) {
        let (start, end) = (super::service::start_of(zone, month), super::service::start_of(zone, next_month(month)));
        let cells = match first_sent {
            Some(first) if first < end => count_month(&figures::sent_between(conn, start, end)?, &domain),
            _ => BTreeMap::new(),
        };
        release(conn, &month_key(month), cells, noise, now)?;
    }
    Ok(())
}

/// Releases `day`'s figures of the moment, at `now`, unless they already are.
pub fn release_day(conn: &mut DbConn, day: NaiveDate, now: NaiveDateTime, expiring_until: NaiveDateTime, noise: Noise) -> Result<(), DashboardError> {
    let key = day_key(day);
    if unreleased(conn, std::slice::from_ref(&key))?.is_empty() {
        return Ok(());
    }
    let domain = figures::domain(conn)?;
    let mut cells: BTreeMap<CellKey, u64> = BTreeMap::new();
    for scope in std::iter::once(ALL_REGIONS.to_owned()).chain(domain.regions.iter().cloned()) {
        let region = (scope != ALL_REGIONS).then_some(scope.as_str());
        let counts: HashMap<String, u64> = figures::overdue(conn, region, now)?.into_iter().collect();
        for organization in &domain.organizations {
            cells.insert((scope.clone(), OVERDUE.to_owned(), organization.clone(), OVERDUE.to_owned()), counts.get(organization).copied().unwrap_or(0));
        }
    }
    let expiring: HashMap<String, u64> = figures::consents_expiring(conn, now, expiring_until)?.into_iter().collect();
    for organization in &domain.organizations {
        cells.insert((ALL_REGIONS.to_owned(), EXPIRING.to_owned(), organization.clone(), "expiring".to_owned()), expiring.get(organization).copied().unwrap_or(0));
    }
    // Plans are the partnership's as a whole: participants are placed in no region.
    let goals: HashMap<(GoalDomain, GoalStatus), u64> = figures::plan_goals(conn)?.into_iter().map(|(d, s, n)| ((d, s), n)).collect();
    for domain in GoalDomain::ALL {
        for status in GoalStatus::ALL {
            let n = goals.get(&(*domain, *status)).copied().unwrap_or(0);
            cells.insert((ALL_REGIONS.to_owned(), PLAN_GOALS.to_owned(), domain.code().to_owned(), status.code().to_owned()), n);
        }
    }
    for (row, n) in figures::plan_care(conn, &key)? {
        cells.insert((ALL_REGIONS.to_owned(), PLAN_CARE.to_owned(), row.to_owned(), PARTICIPANTS.to_owned()), n);
    }
    for (row, n) in figures::conferences(conn, &key)? {
        cells.insert((ALL_REGIONS.to_owned(), CONFERENCES.to_owned(), row.to_owned(), COUNT.to_owned()), n);
    }
    release(conn, &key, cells, noise, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn referral(status: ReferralStatus, region: Option<&str>, received_hours: Option<f64>) -> SentReferral {
        SentReferral {
            urgency: Urgency::Routine,
            region_id: region.map(str::to_owned),
            category_id: None,
            to_organization_id: "org-b".into(),
            status,
            reason: None,
            outcome: None,
            sent_at: NaiveDate::from_ymd_opt(2026, 11, 3).unwrap_or_default().and_hms_opt(12, 0, 0).unwrap_or_default(),
            received_after: received_hours.map(|h| h * 3600.0),
            accepted_after: None,
            completed_after: None,
        }
    }

    fn domain() -> Domain {
        Domain { regions: vec!["halifax".into(), "sydney".into()], categories: vec!["housing".into()], organizations: vec!["org-a".into(), "org-b".into()] }
    }

    #[test]
    fn every_row_is_released_for_every_scope_whether_or_not_anything_is_in_it() {
        let empty = count_month(&[], &domain());
        let one = count_month(&[referral(ReferralStatus::Declined, Some("sydney"), Some(3.0))], &domain());
        let keys = |cells: &BTreeMap<CellKey, u64>| cells.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(&empty), keys(&one), "the same cells, so that which cells exist says nothing");
        assert!(empty.values().all(|&n| n == 0));
        let cell = |scope: &str, measure: &str, row: &str, column: &str| one[&(scope.into(), measure.into(), row.into(), column.into())];
        assert_eq!(cell("sydney", FUNNEL, "declined", "referrals"), 1);
        assert_eq!(cell(ALL_REGIONS, FUNNEL, "declined", "referrals"), 1);
        assert_eq!(cell("halifax", FUNNEL, "declined", "referrals"), 0);
        assert_eq!(cell(ALL_REGIONS, &histogram_measure(None), OVERALL, "first_open.3"), 1, "3 hours is in [2, 4), the fourth bucket");
        assert_eq!(cell("sydney", &times_measure(Some(Breakdown::Organization)), "org-b", "first_open"), 1);
    }

    #[test]
    fn a_referral_without_a_region_counts_in_all_regions_only() {
        let cells = count_month(&[referral(ReferralStatus::Sent, None, None)], &domain());
        let in_scope = |scope: &str| cells.iter().filter(|((s, m, _, _), _)| s == scope && m == FUNNEL).map(|(_, n)| n).sum::<u64>();
        assert_eq!((in_scope(ALL_REGIONS), in_scope("halifax"), in_scope("sydney")), (1, 0, 0));
        assert_eq!(cells[&(ALL_REGIONS.into(), times_measure(Some(Breakdown::Region)), NONE.into(), "first_open".into())], 0, "never opened: not timed");
    }

    #[test]
    fn months_are_whole_calendar_months() {
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        assert_eq!(months_of(day(9, 14), day(11, 29)), [day(9, 1), day(10, 1), day(11, 1)]);
        assert_eq!(last_of(day(2, 3)), day(2, 28));
        assert_eq!(month_key(day(11, 1)), "2026-11");
    }
}
