//! The raw counts behind the dashboards, aggregated in the database: rows of referrals
//! never leave it, only counts, and (for response times) the milestone times of the
//! referrals in the period, without any id.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use crate::db::schema::{consents, organizations, referrals, services};
use crate::db::{hour_of, load_sql, Bind, DbConn, MultiBackend};

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

/// Referrals sent in the window and closed as `status`, by reason and outcome.
pub fn closed_by_reason(conn: &mut DbConn, window: &Window, status: &str) -> QueryResult<Vec<(Option<String>, Option<String>, u64)>> {
    let rows: Vec<(Option<String>, Option<String>, i64)> = referrals::table
        .filter(window.sent())
        .filter(referrals::status.eq(status.to_owned()))
        .group_by((referrals::outcome, referrals::reason))
        .select((referrals::outcome, referrals::reason, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(o, r, n)| (o, r, n.unsigned_abs())).collect())
}

/// Referrals waiting for an answer past their due time now, by receiving organization.
pub fn overdue(conn: &mut DbConn, region_id: Option<&str>, now: NaiveDateTime) -> QueryResult<Vec<(String, u64)>> {
    let rows: Vec<(String, i64)> = referrals::table
        .filter(in_region(region_id))
        .filter(referrals::status.eq_any(["sent", "received"]))
        .filter(referrals::due_at.lt(now))
        .group_by(referrals::to_organization_id)
        .select((referrals::to_organization_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(k, n)| (k, n.unsigned_abs())).collect())
}

/// What response times are computed from, for one referral sent in the window: its
/// groupings and milestones — no id, no participant.
#[derive(Debug, Clone, Queryable)]
pub struct Milestones {
    pub urgency: String,
    pub region_id: Option<String>,
    pub category_id: Option<String>,
    pub to_organization_id: String,
    pub status: String,
    pub sent_at: Option<NaiveDateTime>,
    pub received_at: Option<NaiveDateTime>,
    pub accepted_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

/// The milestones of the referrals sent in the window.
pub fn milestones(conn: &mut DbConn, window: &Window) -> QueryResult<Vec<Milestones>> {
    referrals::table
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
        .load(conn)
}

#[derive(Debug, QueryableByName)]
struct HourCount {
    #[diesel(sql_type = Text)]
    hour: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// How many referrals reached a milestone (`column`, optionally only those now in
/// `status`) within `[window.start, window.end)`, by UTC hour (`YYYY-MM-DD HH`): hours,
/// so that they can be put in the partnership's local days and weeks exactly.
pub fn hourly(conn: &mut DbConn, window: &Window, column: Milestone, status: Option<&str>) -> QueryResult<Vec<(String, u64)>> {
    let column = column.column();
    let mut sql = format!("SELECT {} AS hour, COUNT(*) AS n FROM referrals WHERE {column} >= ? AND {column} < ?", hour_of(conn, column));
    let mut binds = vec![Bind::Time(window.start), Bind::Time(window.end)];
    if let Some(status) = status {
        sql.push_str(" AND status = ?");
        binds.push(Bind::Text(status.to_owned()));
    }
    if let Some(region) = &window.region_id {
        sql.push_str(" AND region_id = ?");
        binds.push(Bind::Text(region.clone()));
    }
    sql.push_str(" GROUP BY hour");
    let rows: Vec<HourCount> = load_sql(conn, &sql, &binds)?;
    Ok(rows.into_iter().map(|r| (r.hour, r.n.unsigned_abs())).collect())
}

/// A milestone column of `referrals`.
#[derive(Debug, Clone, Copy)]
pub enum Milestone {
    Sent,
    Accepted,
    Closed,
}

impl Milestone {
    fn column(self) -> &'static str {
        match self {
            Milestone::Sent => "sent_at",
            Milestone::Accepted => "accepted_at",
            Milestone::Closed => "closed_at",
        }
    }
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
    let sql = format!(
        "WITH RECURSIVE subtree (id, root) AS ( \
             SELECT id, id FROM taxonomy_terms WHERE {roots} \
             UNION ALL SELECT t.id, s.root FROM taxonomy_terms t JOIN subtree s ON t.parent_id = s.id) \
         SELECT r.region_id AS region_id, s.root AS category_id, COUNT(DISTINCT sv.id) AS services, \
                COUNT(DISTINCT CASE WHEN sv.accepts_referrals THEN sv.id END) AS accepting \
         FROM services sv \
         JOIN service_regions r ON r.service_id = sv.id \
         JOIN service_taxonomy_terms st ON st.service_id = sv.id \
         JOIN subtree s ON s.id = st.taxonomy_term_id \
         WHERE sv.status = 'active' \
         GROUP BY r.region_id, s.root"
    );
    load_sql(conn, &sql, &binds)
}

/// Per organization with active services: how many, how many were not verified since
/// `before`, and the oldest verification.
pub fn stale_by_organization(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<Vec<(String, String, u64, u64, Option<NaiveDateTime>)>> {
    let listings: Vec<(String, String, i64, Option<NaiveDateTime>)> = services::table
        .inner_join(organizations::table)
        .filter(services::status.eq("active"))
        .group_by((organizations::id, organizations::name))
        .select((organizations::id, organizations::name, count_star(), min(services::verified_at)))
        .load(conn)?;
    let stale: std::collections::HashMap<String, i64> = services::table
        .filter(services::status.eq("active"))
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
            Some((id, name, n.unsigned_abs(), stale.unsigned_abs(), oldest))
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
