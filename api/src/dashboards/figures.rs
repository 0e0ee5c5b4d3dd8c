//! The raw counts behind the dashboards, aggregated in the database: rows of referrals
//! never leave it, only counts and percentiles (on SQLite, which has no percentile
//! aggregate, the milestone times of the period, without any id).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Integer, Nullable, Text, Timestamp};
use harbour_types::{Breakdown, ReferralStatus, ServiceStatus};

use crate::db::schema::{consents, organizations, referrals, services};
use crate::db::{load_sql, Bind, DbConn, MultiBackend};
use crate::referrals::repo::AwaitingAnswer;

/// The referrals a dashboard counts: sent within `[start, end)`, in a region if given.
#[derive(Debug, Clone)]
pub struct Window {
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub region_id: Option<String>,
}

/// A condition on referrals (boxed, as diesel cannot group a boxed query).
type Condition = Box<dyn BoxableExpression<referrals::table, MultiBackend, SqlType = Bool>>;

/// Referrals in `region`, or all when none.
fn in_region(region_id: Option<&str>) -> Condition {
    match region_id {
        Some(region) => Box::new(referrals::region_id.eq(region.to_owned()).assume_not_null()),
        None => Box::new(diesel::dsl::sql::<Bool>("1 = 1")),
    }
}

impl Window {
    /// `select` (a query on `referrals`) limited to referrals sent in the window, in SQL,
    /// with its binds.
    fn sent_sql(&self, select: &str) -> (String, Vec<Bind>) {
        let mut sql = format!("{select} WHERE sent_at >= ? AND sent_at < ?");
        let mut binds = vec![Bind::Time(self.start), Bind::Time(self.end)];
        if let Some(region) = &self.region_id {
            sql.push_str(" AND region_id = ?");
            binds.push(Bind::Text(region.clone()));
        }
        (sql, binds)
    }

    /// Referrals sent in the window.
    fn sent(&self) -> Condition {
        Box::new(in_region(self.region_id.as_deref()).and(referrals::sent_at.ge(self.start).assume_not_null()).and(referrals::sent_at.lt(self.end).assume_not_null()))
    }
}

/// How many referrals were sent in the window: the population every referral figure is about.
pub fn population(conn: &mut DbConn, window: &Window) -> QueryResult<u64> {
    referrals::table.filter(window.sent()).select(count_star()).first::<i64>(conn).map(i64::unsigned_abs)
}

/// Referrals sent in the window, by where they stand now.
pub fn by_status(conn: &mut DbConn, window: &Window) -> QueryResult<Vec<(String, u64)>> {
    let rows: Vec<(String, i64)> = referrals::table.filter(window.sent()).group_by(referrals::status).select((referrals::status, count_star())).load(conn)?;
    Ok(rows.into_iter().map(|(k, n)| (k, n.unsigned_abs())).collect())
}

/// How many referrals closed with an outcome and a reason.
#[derive(Debug, Clone)]
pub struct ClosedCount {
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub count: u64,
}

/// Referrals sent in the window and closed as `status`, by reason and outcome.
pub fn closed_by_reason(conn: &mut DbConn, window: &Window, status: &str) -> QueryResult<Vec<ClosedCount>> {
    let rows: Vec<(Option<String>, Option<String>, i64)> = referrals::table
        .filter(window.sent())
        .filter(referrals::status.eq(status.to_owned()))
        .group_by((referrals::outcome, referrals::reason))
        .select((referrals::outcome, referrals::reason, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(outcome, reason, n)| ClosedCount { outcome, reason, count: n.unsigned_abs() }).collect())
}

/// Referrals waiting for an answer past their due time now, by receiving organization.
pub fn overdue(conn: &mut DbConn, region_id: Option<&str>, now: NaiveDateTime) -> QueryResult<Vec<(String, u64)>> {
    let rows: Vec<(String, i64)> = referrals::table
        .filter(in_region(region_id))
        .filter(AwaitingAnswer)
        .filter(referrals::due_at.lt(now))
        .group_by(referrals::to_organization_id)
        .select((referrals::to_organization_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(k, n)| (k, n.unsigned_abs())).collect())
}

/// How long one span of a referral's life took over a group: how many referrals went
/// through it, and the median and 90th percentile in seconds (when any did).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SpanTimes {
    pub count: u64,
    pub median: Option<f64>,
    pub p90: Option<f64>,
}

/// The response times of one group of referrals (`overall`: all of them).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupTimes {
    /// The group's key (`none` for referrals with no region or category).
    pub key: String,
    pub overall: bool,
    /// From sending to first opening, to acceptance, to completion.
    pub spans: [SpanTimes; 3],
}

/// Response times of the referrals sent in the window, by `by`, and overall. PostgreSQL
/// computes the percentiles where the rows are (`percentile_cont`); SQLite has no such
/// aggregate, so its rows are read and the same interpolation is done here.
pub fn response_times(conn: &mut DbConn, window: &Window, by: Breakdown) -> QueryResult<Vec<GroupTimes>> {
    let column = match by {
        Breakdown::Urgency => "urgency",
        Breakdown::Region => "region_id",
        Breakdown::Category => "category_id",
        Breakdown::Organization => "to_organization_id",
    };
    match conn {
        DbConn::Postgresql(_) => response_times_in_sql(conn, window, column),
        DbConn::Sqlite(_) => response_times_here(conn, window, by),
    }
}

#[derive(Debug, QueryableByName)]
struct TimesRow {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Integer)]
    overall: i32,
    #[diesel(sql_type = BigInt)]
    open_n: i64,
    #[diesel(sql_type = Nullable<Double>)]
    open_p50: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    open_p90: Option<f64>,
    #[diesel(sql_type = BigInt)]
    accept_n: i64,
    #[diesel(sql_type = Nullable<Double>)]
    accept_p50: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    accept_p90: Option<f64>,
    #[diesel(sql_type = BigInt)]
    complete_n: i64,
    #[diesel(sql_type = Nullable<Double>)]
    complete_p50: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    complete_p90: Option<f64>,
}

fn response_times_in_sql(conn: &mut DbConn, window: &Window, column: &str) -> QueryResult<Vec<GroupTimes>> {
    // Whole seconds, as `response_times_here` counts them, so both backends agree to the second.
    let span = |end: &str, name: &str, only_completed: bool| {
        let seconds = format!("GREATEST(FLOOR(EXTRACT(EPOCH FROM {end} - sent_at)), 0)");
        // (The filter also keeps out the unreached: GREATEST would turn their NULL into 0.)
        let filter = if only_completed { format!(" FILTER (WHERE status = 'completed' AND {end} IS NOT NULL)") } else { format!(" FILTER (WHERE {end} IS NOT NULL)") };
        let count = if only_completed { "COUNT(*) FILTER (WHERE status = 'completed')".to_owned() } else { format!("COUNT({end})") };
        // One sort for both percentiles: PostgreSQL computes an aggregate written twice once.
        let percentiles = format!("(percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY {seconds}){filter})");
        format!("{count} AS {name}_n, {percentiles}[1] AS {name}_p50, {percentiles}[2] AS {name}_p90")
    };
    let spans = format!("{}, {}, {}", span("received_at", "open", false), span("accepted_at", "accept", false), span("closed_at", "complete", true));
    // By group and all together, in one pass.
    let (mut sql, binds) = window.sent_sql(&format!("SELECT COALESCE({column}, 'none') AS key, GROUPING({column}) AS overall, {spans} FROM referrals"));
    sql.push_str(&format!(" GROUP BY GROUPING SETS (({column}), ())"));
    let rows: Vec<TimesRow> = load_sql(conn, &sql, &binds)?;
    let times = |n: i64, median: Option<f64>, p90: Option<f64>| SpanTimes { count: n.unsigned_abs(), median, p90 };
    Ok(rows
        .into_iter()
        .map(|r| GroupTimes {
            key: r.key,
            overall: r.overall == 1,
            spans: [times(r.open_n, r.open_p50, r.open_p90), times(r.accept_n, r.accept_p50, r.accept_p90), times(r.complete_n, r.complete_p50, r.complete_p90)],
        })
        .collect())
}

fn response_times_here(conn: &mut DbConn, window: &Window, by: Breakdown) -> QueryResult<Vec<GroupTimes>> {
    type Milestones = (String, Option<String>, Option<String>, String, ReferralStatus, Option<NaiveDateTime>, Option<NaiveDateTime>, Option<NaiveDateTime>, Option<NaiveDateTime>);
    let rows: Vec<Milestones> = referrals::table
        .filter(window.sent())
        .select((
            referrals::urgency,
            referrals::region_id,
            referrals::category_id,
            referrals::to_organization_id,
            referrals::status,
            referrals::sent_at,
            referrals::received_at,
            referrals::accepted_at,
            referrals::closed_at,
        ))
        .load(conn)?;
    let mut groups: BTreeMap<String, [Vec<f64>; 3]> = BTreeMap::new();
    let mut overall: [Vec<f64>; 3] = Default::default();
    for (urgency, region, category, organization, status, sent, received, accepted, closed) in rows {
        let key = match by {
            Breakdown::Urgency => urgency,
            Breakdown::Region => region.unwrap_or_else(|| "none".into()),
            Breakdown::Category => category.unwrap_or_else(|| "none".into()),
            Breakdown::Organization => organization,
        };
        let Some(sent) = sent else { continue };
        let seconds = |at: Option<NaiveDateTime>| at.map(|at| (at - sent).num_seconds().max(0) as f64);
        let completed = (status == ReferralStatus::Completed).then_some(closed).flatten();
        let group = groups.entry(key).or_default();
        for (s, value) in [seconds(received), seconds(accepted), seconds(completed)].into_iter().enumerate() {
            if let Some(value) = value {
                group[s].push(value);
                overall[s].push(value);
            }
        }
    }
    let summarize = |mut spans: [Vec<f64>; 3]| {
        spans.each_mut().map(|values| {
            values.sort_by(f64::total_cmp);
            SpanTimes { count: values.len() as u64, median: percentile(values, 0.5), p90: percentile(values, 0.9) }
        })
    };
    let mut out: Vec<GroupTimes> = groups.into_iter().map(|(key, spans)| GroupTimes { key, overall: false, spans: summarize(spans) }).collect();
    out.push(GroupTimes { key: "none".into(), overall: true, spans: summarize(overall) });
    Ok(out)
}

/// The `p` quantile of sorted values, interpolated between the two nearest ranks — what
/// PostgreSQL's `percentile_cont` computes.
fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    let last = sorted.len().checked_sub(1)?;
    let rank = p * last as f64;
    let (low, high) = (rank.floor() as usize, rank.ceil() as usize);
    Some(sorted[low] + (sorted[high] - sorted[low]) * (rank - low as f64))
}

#[derive(Debug, QueryableByName)]
struct HourCount {
    #[diesel(sql_type = Timestamp)]
    hour: NaiveDateTime,
    #[diesel(sql_type = Text)]
    series: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Referrals sent, accepted, and closed as declined, completed or expired within the
/// window, by series and UTC hour: hours, so that they can be put in the partnership's
/// local days and weeks exactly.
pub fn hourly(conn: &mut DbConn, window: &Window) -> QueryResult<Vec<(NaiveDateTime, String, u64)>> {
    let hour = |column: &str| match conn {
        DbConn::Postgresql(_) => format!("date_trunc('hour', {column})"),
        DbConn::Sqlite(_) => format!("strftime('%Y-%m-%d %H:00:00', {column})"),
    };
    let mut sql = String::new();
    let mut binds = Vec::new();
    for (column, series, only) in [("sent_at", "'sent'", ""), ("accepted_at", "'accepted'", ""), ("closed_at", "status", " AND status IN ('declined', 'completed', 'expired')")] {
        if !sql.is_empty() {
            sql.push_str(" UNION ALL ");
        }
        sql.push_str(&format!("SELECT {} AS hour, {series} AS series, COUNT(*) AS n FROM referrals WHERE {column} >= ? AND {column} < ?{only}", hour(column)));
        binds.extend([Bind::Time(window.start), Bind::Time(window.end)]);
        if let Some(region) = &window.region_id {
            sql.push_str(" AND region_id = ?");
            binds.push(Bind::Text(region.clone()));
        }
        sql.push_str(" GROUP BY 1, 2");
    }
    let rows: Vec<HourCount> = load_sql(conn, &sql, &binds)?;
    Ok(rows.into_iter().map(|r| (r.hour, r.series, r.n.unsigned_abs())).collect())
}

/// Active consents (neither withdrawn nor replaced) ending within `[now, until)`, by the
/// organization that recorded them.
pub fn consents_expiring(conn: &mut DbConn, now: NaiveDateTime, until: NaiveDateTime) -> QueryResult<Vec<(String, u64)>> {
    let rows: Vec<(String, i64)> = consents::table
        .filter(consents::revoked_at.is_null())
        .filter(consents::superseded_by_id.is_null())
        .filter(consents::expires_at.ge(now))
        .filter(consents::expires_at.lt(until))
        .group_by(consents::organization_id)
        .select((consents::organization_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(k, n)| (k, n.unsigned_abs())).collect())
}

#[derive(Debug, QueryableByName)]
pub struct CoverageCount {
    #[diesel(sql_type = Text)]
    pub region_id: String,
    #[diesel(sql_type = Text)]
    pub category_id: String,
    #[diesel(sql_type = BigInt)]
    pub services: i64,
    #[diesel(sql_type = BigInt)]
    pub accepting: i64,
}

/// Active services by region and category, each category counting the services of its
/// whole subtree once. The categories are the top-level ones, or the children of `parent_id`.
pub fn coverage(conn: &mut DbConn, parent_id: Option<&str>) -> QueryResult<Vec<CoverageCount>> {
    let (roots, binds) = match parent_id {
        Some(parent) => ("parent_id = ?", vec![Bind::Text(parent.to_owned())]),
        None => ("parent_id IS NULL", Vec::new()),
    };
    // Each service once per top category (a service under two subcategories of one
    // category counts once), then joined to its regions.
    let sql = format!(
        "WITH RECURSIVE subtree (id, root) AS ( \
             SELECT id, id FROM taxonomy_terms WHERE {roots} \
             UNION ALL SELECT t.id, s.root FROM taxonomy_terms t JOIN subtree s ON t.parent_id = s.id), \
         pairs AS (SELECT DISTINCT st.service_id, s.root FROM service_taxonomy_terms st JOIN subtree s ON s.id = st.taxonomy_term_id) \
         SELECT r.region_id AS region_id, p.root AS category_id, COUNT(*) AS services, \
                SUM(CASE WHEN sv.accepts_referrals THEN 1 ELSE 0 END) AS accepting \
         FROM pairs p \
         JOIN services sv ON sv.id = p.service_id \
         JOIN service_regions r ON r.service_id = sv.id \
         WHERE sv.status = 'active' \
         GROUP BY r.region_id, p.root"
    );
    load_sql(conn, &sql, &binds)
}

/// An organization's active listings and how many of them are stale.
#[derive(Debug, Clone)]
pub struct OrganizationListings {
    pub id: String,
    pub name: String,
    pub listings: u64,
    pub stale: u64,
    pub oldest_verified: Option<NaiveDateTime>,
}

/// Per organization with stale listings: how many active services it has, how many were
/// not verified since `before`, and its oldest verification.
pub fn stale_by_organization(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<Vec<OrganizationListings>> {
    let listings: Vec<(String, String, i64, Option<NaiveDateTime>)> = services::table
        .inner_join(organizations::table)
        .filter(services::status.eq(ServiceStatus::Active))
        .group_by((organizations::id, organizations::name))
        .select((organizations::id, organizations::name, count_star(), min(services::verified_at)))
        .load(conn)?;
    let stale: std::collections::HashMap<String, i64> = services::table
        .filter(services::status.eq(ServiceStatus::Active))
        .filter(services::verified_at.is_null().or(services::verified_at.lt(before)))
        .group_by(services::organization_id)
        .select((services::organization_id, count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(listings
        .into_iter()
        .filter_map(|(id, name, n, oldest)| {
            let stale = stale.get(&id).copied()?;
            Some(OrganizationListings { id, name, listings: n.unsigned_abs(), stale: stale.unsigned_abs(), oldest_verified: oldest })
        })
        .collect())
}

/// Names of the organizations, regions or categories with these ids (French names of
/// regions and categories when `french`).
pub fn names(conn: &mut DbConn, kind: Named, ids: &[String], french: bool) -> QueryResult<std::collections::HashMap<String, String>> {
    use crate::db::schema::{regions, taxonomy_terms};
    let rows: Vec<(String, String)> = match (kind, french) {
        (Named::Organization, _) => organizations::table.filter(organizations::id.eq_any(ids)).select((organizations::id, organizations::name)).load(conn)?,
        (Named::Region, false) => regions::table.filter(regions::id.eq_any(ids)).select((regions::id, regions::name)).load(conn)?,
        (Named::Region, true) => regions::table.filter(regions::id.eq_any(ids)).select((regions::id, regions::name_fr)).load(conn)?,
        (Named::Category, false) => taxonomy_terms::table.filter(taxonomy_terms::id.eq_any(ids)).select((taxonomy_terms::id, taxonomy_terms::name)).load(conn)?,
        (Named::Category, true) => taxonomy_terms::table.filter(taxonomy_terms::id.eq_any(ids)).select((taxonomy_terms::id, taxonomy_terms::name_fr)).load(conn)?,
    };
    Ok(rows.into_iter().collect())
}

/// What [`names`] looks up.
#[derive(Debug, Clone, Copy)]
pub enum Named {
    Organization,
    Region,
    Category,
}

/// All regions (id, name), ordered by name.
pub fn regions(conn: &mut DbConn, french: bool) -> QueryResult<Vec<(String, String)>> {
    use crate::db::schema::regions;
    let rows: Vec<(String, String, String)> = regions::table.order(regions::name.asc()).select((regions::id, regions::name, regions::name_fr)).load(conn)?;
    Ok(rows.into_iter().map(|(id, en, fr)| (id, if french { fr } else { en })).collect())
}

/// The categories under `parent_id` (top-level when none), (id, name) ordered by name.
pub fn categories(conn: &mut DbConn, parent_id: Option<&str>, french: bool) -> QueryResult<Vec<(String, String)>> {
    use crate::db::schema::taxonomy_terms;
    let mut query = taxonomy_terms::table.into_boxed();
    query = match parent_id {
        Some(parent) => query.filter(taxonomy_terms::parent_id.eq(parent.to_owned())),
        None => query.filter(taxonomy_terms::parent_id.is_null()),
    };
    let rows: Vec<(String, String, String)> = query.order(taxonomy_terms::name.asc()).select((taxonomy_terms::id, taxonomy_terms::name, taxonomy_terms::name_fr)).load(conn)?;
    Ok(rows.into_iter().map(|(id, en, fr)| (id, if french { fr } else { en })).collect())
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_interpolate_like_postgresql() {
        let seconds = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(percentile(&seconds, 0.5), Some(3.0));
        assert!(percentile(&seconds, 0.9).is_some_and(|p| (p - 7.6).abs() < 1e-9));
        assert_eq!(percentile(&[5.0], 0.9), Some(5.0));
        assert_eq!(percentile(&[], 0.5), None);
    }
}
