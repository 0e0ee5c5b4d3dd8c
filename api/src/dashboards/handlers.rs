//! `/dashboards`: figures for coordinators and system admins, as JSON or CSV.

use actix_web::{get, web, HttpResponse};
use chrono::NaiveDate;
use harbour_types::{Breakdown, CountTable, CoverageMap, Problem, ResponseTimes, StaleListings};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use super::service::DirectoryFigures;
use super::{export, service};
use crate::auth::Principal;
use crate::error::ApiError;
use crate::state::AppState;

/// The filters every dashboard takes.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filters {
    /// A day of the period's first month (local): the period starts on the 1st. By
    /// default, two months before `to`'s.
    from: Option<NaiveDate>,
    /// A day of the period's last month (local): the period ends on its last day, or at
    /// the end of the last month released if that is earlier. By default, the last month
    /// released: a month is released `HARBOUR_REFERRAL_EXPIRE_DAYS` after it ends.
    to: Option<NaiveDate>,
    /// Only referrals counted in this region.
    region_id: Option<String>,
    /// Language of names: `en` (default) or `fr`.
    lang: Option<String>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

impl Filters {
    /// The request, once the caller is known to be allowed to make it.
    fn request(&self, state: &AppState, principal: &Principal) -> Result<service::Request, ApiError> {
        Ok(service::Request::new(state, principal, self.from, self.to, self.region_id.clone(), self.lang.as_deref())?)
    }

    fn csv(&self) -> Result<bool, ApiError> {
        wants_csv(self.format.as_deref())
    }
}

fn wants_csv(format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(_) => Err(ApiError::BadRequest("format is json or csv".into())),
    }
}

/// The body as JSON, or as a CSV download named `name`.
fn respond<T: Serialize>(csv: bool, body: &T, name: &str, to_csv: fn(&T) -> String) -> HttpResponse {
    if csv {
        return crate::http::csv_download(&format!("harbour-{name}.csv"), to_csv(body));
    }
    HttpResponse::Ok().json(body)
}

async fn count_table<F, Fut>(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>, name: &str, build: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(web::Data<AppState>, service::Request) -> Fut,
    Fut: std::future::Future<Output = Result<CountTable, super::DashboardError>>,
{
    let request = filters.request(&state, &principal)?;
    let csv = filters.csv()?;
    let table = build(state, request).await?;
    Ok(respond(csv, &table, name, export::count_table))
}

/// Referrals sent in the period, by where they stood when their month was released (sent
/// and not yet opened, received, accepted, declined, in progress, completed, withdrawn,
/// expired); the total is how many were sent. Every referral dashboard covers whole
/// months, each released once with noise on every count, so that no two answers differ
/// by one referral.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "The funnel (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, no month of it released yet (`not_released`), or fewer than 5 referrals match (`population_too_small`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/referrals/funnel")]
pub async fn funnel(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "funnel", |s, r| async move { service::funnel(&s, r).await }).await
}

/// Referrals sent in the period and declined, by reason.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Declines by reason (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, no month of it released yet (`not_released`), or fewer than 5 referrals match (`population_too_small`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/referrals/declines")]
pub async fn declines(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "declines", |s, r| async move { service::declines(&s, r).await }).await
}

/// Referrals sent in the period and completed, by outcome (`successful`, or
/// `unsuccessful.<reason>`).
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Outcomes (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, no month of it released yet (`not_released`), or fewer than 5 referrals match (`population_too_small`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/referrals/outcomes")]
pub async fn outcomes(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "outcomes", |s, r| async move { service::outcomes(&s, r).await }).await
}

/// Referrals waiting for an answer past their due time now, by receiving organization
/// (the region applies; the period does not).
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Overdue now (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/referrals/overdue")]
pub async fn overdue(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "overdue", |s, r| async move { service::overdue(&s, r).await }).await
}

/// Month by month (local time): referrals sent, and of those how many stood accepted,
/// declined, completed and expired when their month was released.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Trends (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, no month of it released yet (`not_released`), or fewer than 5 referrals match (`population_too_small`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/referrals/trends")]
pub async fn trends(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "trends", |s, r| async move { service::trends(&s, r).await }).await
}

/// Active consents ending within the next 30 days, by the organization that recorded
/// them: counts only.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Consents about to expire (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/consents/expiring")]
pub async fn consents_expiring(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "consents-expiring", |s, r| async move { service::consents_expiring(&s, r).await }).await
}

/// Goals in participants' plans now, by domain (rows) and status (columns), as released
/// today with noise, counts under 5 suppressed; no participant.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Goals by domain and status (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/plans/goals")]
pub async fn plan_goals(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "plan-goals", |s, r| async move { service::plan_goals(&s, r).await }).await
}

/// Participants' plans now, as released today with noise, counts under 5 suppressed: with
/// goals (`with_goals`), with a safety plan not past its review date
/// (`current_safety_plan`), and their stage of change from first to latest record
/// (`stage_moved_on`, `stage_unchanged`, `stage_went_back`).
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Plans (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/plans/care")]
pub async fn plan_care(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "plan-care", |s, r| async move { service::plan_care(&s, r).await }).await
}

/// Case conferences and their action items, as released today with noise, counts under
/// 5 suppressed: conferences held (`conferences_held`), action items done by their date
/// (`actions_done_on_time`), after it (`actions_done_late`), and open past it
/// (`actions_open_overdue`).
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters),
    responses(
        (status = 200, description = "Conferences (JSON, or CSV with `format=csv`)", content((CountTable = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/conferences")]
pub async fn conferences(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>) -> Result<HttpResponse, ApiError> {
    count_table(state, principal, filters, "conferences", |s, r| async move { service::conferences(&s, r).await }).await
}

/// What response times are broken down by.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ByQuery {
    /// `urgency` (default), `region`, `category` or `organization` (receiving).
    by: Option<Breakdown>,
}

/// Median and 90th percentile, in hours, from sending to first opening, to acceptance
/// and to completion, for referrals sent in the period.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters, ByQuery),
    responses(
        (status = 200, description = "Response times (JSON, or CSV with `format=csv`)", content((ResponseTimes = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad period, no month of it released yet (`not_released`), or fewer than 5 referrals match (`population_too_small`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/referrals/response-times")]
pub async fn response_times(state: web::Data<AppState>, principal: Principal, filters: web::Query<Filters>, by: web::Query<ByQuery>) -> Result<HttpResponse, ApiError> {
    let request = filters.request(&state, &principal)?;
    let csv = filters.csv()?;
    let times = service::response_times(&state, request, by.by.unwrap_or(Breakdown::Urgency)).await?;
    Ok(respond(csv, &times, "response-times", export::response_times))
}

/// Which categories the coverage map shows.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// Show the children of this category (default: the top-level categories).
    parent_id: Option<String>,
}

/// The coverage gap map: active services, and those accepting referrals, per category ×
/// region; cells with none are gaps. Directory data, not suppressed.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(Filters, CoverageQuery),
    responses(
        (status = 200, description = "The map (JSON, or CSV with `format=csv`)", content((CoverageMap = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such parent category", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/coverage")]
pub async fn coverage(state: web::Data<AppState>, figures: web::Data<DirectoryFigures>, principal: Principal, filters: web::Query<Filters>, query: web::Query<CoverageQuery>) -> Result<HttpResponse, ApiError> {
    let request = filters.request(&state, &principal)?;
    let csv = filters.csv()?;
    let map = service::coverage(&state, &figures.into_inner(), request, query.into_inner().parent_id).await?;
    Ok(respond(csv, &map, "coverage", export::coverage))
}

/// After how long a listing is stale.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StaleQuery {
    /// Not verified within this many days (default `HARBOUR_STALE_AFTER_DAYS`).
    days: Option<u32>,
    /// `json` (default) or `csv`.
    format: Option<String>,
}

/// Per organization: its active listings and how many were not verified within `days`.
#[utoipa::path(
    tag = "dashboards",
    security(("bearer" = [])),
    params(StaleQuery),
    responses(
        (status = 200, description = "Stale listings (JSON, or CSV with `format=csv`)", content((StaleListings = "application/json"), (String = "text/csv"))),
        (status = 403, description = "Not a coordinator or system admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/dashboards/stale-listings")]
pub async fn stale_listings(state: web::Data<AppState>, figures: web::Data<DirectoryFigures>, principal: Principal, query: web::Query<StaleQuery>) -> Result<HttpResponse, ApiError> {
    let listings = service::stale(&state, &figures.into_inner(), &principal, query.days).await?;
    let csv = wants_csv(query.format.as_deref())?;
    Ok(respond(csv, &listings, "stale-listings", export::stale))
}
