//! What the dashboards read: the referrals of a month to release (what each counts in
//! and how long each span took, never an id), counts of the moment, and the directory's
//! figures.

use chrono::NaiveDateTime;
use diesel::dsl::{count_star, min};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use harbour_types::{ActionStatus, Breakdown, ConferenceStatus, GoalDomain, GoalStatus, Outcome, ReasonCode, ReferralStatus, ServiceStatus, StageOfChange, Urgency};

use super::release;
use crate::db::schema::{case_conferences, conference_actions, consents, organizations, plan_goals, plan_stages, referrals, services};
use crate::db::{load_sql, Bind, DbConn, MultiBackend};
use crate::referrals::repo::AwaitingAnswer;

/// What the dashboards know of one referral sent: where it counts and how long each
/// span took, in seconds — no id, no participant.
#[derive(Debug, Clone)]
pub struct SentReferral {
    pub urgency: Urgency,
    pub region_id: Option<String>,
    pub category_id: Option<String>,
    pub to_organization_id: String,
    pub status: ReferralStatus,
    pub reason: Option<ReasonCode>,
    pub outcome: Option<Outcome>,
    pub sent_at: NaiveDateTime,
    pub received_after: Option<f64>,
    pub accepted_after: Option<f64>,
    /// Only for a referral completed.
    pub completed_after: Option<f64>,
}

impl SentReferral {
    /// The seconds to first opening, to acceptance and to completion, where reached.
    pub fn spans(&self) -> [Option<f64>; 3] {
        [self.received_after, self.accepted_after, self.completed_after]
    }

    /// The group it is in, by `by` (`none` for no region or category).
    pub fn group(&self, by: Breakdown) -> String {
        match by {
            Breakdown::Urgency => self.urgency.code().to_owned(),
            Breakdown::Region => self.region_id.clone().unwrap_or_else(|| release::NONE.to_owned()),
            Breakdown::Category => self.category_id.clone().unwrap_or_else(|| release::NONE.to_owned()),
            Breakdown::Organization => self.to_organization_id.clone(),
        }
    }
}

/// The referrals sent within `[start, end)`.
pub fn sent_between(conn: &mut DbConn, start: NaiveDateTime, end: NaiveDateTime) -> QueryResult<Vec<SentReferral>> {
    type Row = (Urgency, Option<String>, Option<String>, String, ReferralStatus, Option<ReasonCode>, Option<Outcome>, Option<NaiveDateTime>, Option<NaiveDateTime>, Option<NaiveDateTime>, Option<NaiveDateTime>);
    let rows: Vec<Row> = referrals::table
        .filter(referrals::sent_at.ge(start))
        .filter(referrals::sent_at.lt(end))
        .select((
            referrals::urgency,
            referrals::region_id,
            referrals::category_id,
            referrals::to_organization_id,
            referrals::status,
            referrals::reason,
            referrals::outcome,
            referrals::sent_at,
            referrals::received_at,
            referrals::accepted_at,
            referrals::closed_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(urgency, region_id, category_id, to_organization_id, status, reason, outcome, sent, received, accepted, closed)| {
            let sent = sent?;
            // Whole seconds, never below zero (a clock set back).
            let after = |at: Option<NaiveDateTime>| at.map(|at| (at - sent).num_seconds().max(0) as f64);
            let completed = (status == ReferralStatus::Completed).then_some(closed).flatten();
            Some(SentReferral {
                urgency,
                region_id,
                category_id,
                to_organization_id,
                status,
                reason,
                outcome,
                sent_at: sent,
                received_after: after(received),
                accepted_after: after(accepted),
                completed_after: after(completed),
            })
        })
        .collect())
}

/// When the first referral was sent, if one ever was.
pub fn first_sent(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    referrals::table.select(min(referrals::sent_at)).first(conn)
}

/// Every region, top-level category and organization: the rows a release has.
pub fn domain(conn: &mut DbConn) -> QueryResult<release::Domain> {
    use crate::db::schema::{regions, taxonomy_terms};
    Ok(release::Domain {
        regions: regions::table.order(regions::id.asc()).select(regions::id).load(conn)?,
        categories: taxonomy_terms::table.filter(taxonomy_terms::parent_id.is_null()).order(taxonomy_terms::id.asc()).select(taxonomy_terms::id).load(conn)?,
        organizations: organizations::table.order(organizations::id.asc()).select(organizations::id).load(conn)?,
    })
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

/// Goals now, by domain and status (of everyone's plans; no participant).
pub fn plan_goals(conn: &mut DbConn) -> QueryResult<Vec<(GoalDomain, GoalStatus, u64)>> {
    let rows: Vec<(GoalDomain, GoalStatus, i64)> = plan_goals::table
        .group_by((plan_goals::domain, plan_goals::status))
        .select((plan_goals::domain, plan_goals::status, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().map(|(d, s, n)| (d, s, n.unsigned_abs())).collect())
}

/// How many participants' plans stand where, today (`YYYY-MM-DD`): with goals; with a
/// safety plan whose current revision is not past its review date; and, of those whose
/// stage of change was recorded more than once, how many moved on, stayed or went back
/// from the first to the latest.
pub fn plan_care(conn: &mut DbConn, today: &str) -> QueryResult<Vec<(&'static str, u64)>> {
    let with_goals: i64 = plan_goals::table.select(diesel::dsl::count(plan_goals::participant_id).aggregate_distinct()).first(conn)?;
    let current_safety_plans = crate::safety_plans::repo::current_in_review(conn, today)?;
    let stages: Vec<(String, StageOfChange)> = plan_stages::table
        .order((plan_stages::participant_id, plan_stages::recorded_at, plan_stages::id))
        .select((plan_stages::participant_id, plan_stages::stage))
        .load(conn)?;
    let rank = |stage: StageOfChange| StageOfChange::ALL.iter().position(|s| *s == stage);
    let (mut forward, mut same, mut back) = (0, 0, 0);
    for person in stages.chunk_by(|a, b| a.0 == b.0).filter(|p| p.len() > 1) {
        match rank(person[person.len() - 1].1).cmp(&rank(person[0].1)) {
            std::cmp::Ordering::Greater => forward += 1,
            std::cmp::Ordering::Equal => same += 1,
            std::cmp::Ordering::Less => back += 1,
        }
    }
    Ok(vec![
        (release::PLANS_WITH_GOALS, with_goals.unsigned_abs()),
        (release::CURRENT_SAFETY_PLANS, current_safety_plans.unsigned_abs()),
        (release::STAGE_FORWARD, forward),
        (release::STAGE_SAME, same),
        (release::STAGE_BACK, back),
    ])
}

/// Case conferences held, and their action items, by today (`YYYY-MM-DD`): done on or
/// before the due date, done after it, and still open past it.
pub fn conferences(conn: &mut DbConn, today: &str) -> QueryResult<Vec<(&'static str, u64)>> {
    let held: i64 = case_conferences::table.filter(case_conferences::status.eq(ConferenceStatus::Held)).count().get_result(conn)?;
    let done = || conference_actions::table.filter(conference_actions::status.eq(ActionStatus::Done));
    let on_time: i64 = done().filter(conference_actions::done_on.le(conference_actions::due_on.nullable())).count().get_result(conn)?;
    let late: i64 = done().filter(conference_actions::done_on.gt(conference_actions::due_on.nullable())).count().get_result(conn)?;
    let overdue: i64 = conference_actions::table
        .inner_join(case_conferences::table)
        .filter(conference_actions::status.eq(ActionStatus::Open))
        .filter(conference_actions::due_on.lt(today))
        .filter(case_conferences::status.ne(ConferenceStatus::Cancelled))
        .count()
        .get_result(conn)?;
    Ok(vec![
        (release::CONFERENCES_HELD, held.unsigned_abs()),
        (release::ACTIONS_ON_TIME, on_time.unsigned_abs()),
        (release::ACTIONS_LATE, late.unsigned_abs()),
        (release::ACTIONS_OVERDUE, overdue.unsigned_abs()),
    ])
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
