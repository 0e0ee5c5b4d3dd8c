//! `/participants/{id}/plan`: a participant's individualized plan, its goals and steps,
//! their stage of change, and the plan's timeline.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use harbour_types::{GoalInput, IndividualPlan, PlanEvent, PlanGoal, PlanInput, PlanStep, Problem, StageInput, StageRecord, StepInput};

use super::service;
use crate::audit::Accessor;
use crate::error::{validate, ApiError};
use crate::http::{expected_version, with_etag};
use crate::state::AppState;

/// The plan. The owning organization sees all of it; an organization an active consent
/// names sees all of it under `case_notes`, its goals' domains and titles under `needs`;
/// for anyone else there is no such participant.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The plan, as the caller may see it", body = IndividualPlan, headers(("ETag" = String, description = "The plan's settings' version, for If-Match"))),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No participant whose plan the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/plan")]
pub async fn get_plan(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let plan = service::get(&state, accessor, id.into_inner().into()).await?;
    Ok(with_etag(HttpResponse::Ok(), plan.version, &plan))
}

/// Sets the plan's review date (the owning organization). Send the plan's ETag in
/// If-Match, `"0"` the first time.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("If-Match" = String, Header, description = "The plan's ETag, \"0\" the first time")),
    request_body = PlanInput,
    responses(
        (status = 200, description = "The plan", body = IndividualPlan, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/participants/{id}/plan")]
pub async fn set_plan(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, id: web::Path<String>, body: web::Json<PlanInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let expected = expected_version(&req)?;
    let plan = service::set(&state, accessor, id.into_inner().into(), expected, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), plan.version, &plan))
}

/// Sets a goal with the participant, in their words (the owning organization).
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, the first answer comes back")),
    request_body = GoalInput,
    responses(
        (status = 201, description = "The goal", body = PlanGoal, headers(("ETag" = String, description = "The goal's version"))),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/participants/{id}/plan/goals")]
pub async fn add_goal(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, body: web::Json<GoalInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let goal = service::add_goal(&state, accessor, id.into_inner().into(), body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), goal.version.unwrap_or(1), &goal))
}

/// Rewords a goal, moves it to another domain or changes its status (kept when
/// `status` is left out). Send the goal's ETag in If-Match.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("goal" = String, Path, description = "The goal's id"), ("If-Match" = String, Header, description = "The goal's ETag")),
    request_body = GoalInput,
    responses(
        (status = 200, description = "The goal", body = PlanGoal, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant or goal", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/participants/{id}/plan/goals/{goal}")]
pub async fn update_goal(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, path: web::Path<(String, String)>, body: web::Json<GoalInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let expected = expected_version(&req)?;
    let (id, goal) = path.into_inner();
    let goal = service::update_goal(&state, accessor, id.into(), goal, expected, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), goal.version.unwrap_or(1), &goal))
}

/// Adds a step to a goal: what is to be done, who owns it (the participant, a frontline
/// colleague, a partner organization), by when; it can be one of the participant's
/// referrals sent by the caller's organization.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("goal" = String, Path, description = "The goal's id"), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, the first answer comes back")),
    request_body = StepInput,
    responses(
        (status = 201, description = "The step", body = PlanStep, headers(("ETag" = String, description = "The step's version"))),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant or goal", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body: an owner or referral that is not allowed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/participants/{id}/plan/goals/{goal}/steps")]
pub async fn add_step(state: web::Data<AppState>, accessor: Accessor, path: web::Path<(String, String)>, body: web::Json<StepInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let (id, goal) = path.into_inner();
    let step = service::add_step(&state, accessor, id.into(), goal, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), step.version, &step))
}

/// Changes a step (its status kept when left out). Send the step's ETag in If-Match.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "The participant's id"),
        ("goal" = String, Path, description = "The goal's id"),
        ("step" = String, Path, description = "The step's id"),
        ("If-Match" = String, Header, description = "The step's ETag"),
    ),
    request_body = StepInput,
    responses(
        (status = 200, description = "The step", body = PlanStep, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant, goal or step", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body: an owner or referral that is not allowed", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/participants/{id}/plan/goals/{goal}/steps/{step}")]
pub async fn update_step(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, path: web::Path<(String, String, String)>, body: web::Json<StepInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let expected = expected_version(&req)?;
    let (id, goal, step) = path.into_inner();
    let step = service::update_step(&state, accessor, id.into(), (goal, step), expected, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), step.version, &step))
}

/// Records the stage of change the participant says they are at now; the earlier ones
/// stay, so the plan shows their movement.
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, the first answer comes back")),
    request_body = StageInput,
    responses(
        (status = 201, description = "The stage, as recorded", body = StageRecord),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/participants/{id}/plan/stages")]
pub async fn record_stage(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, body: web::Json<StageInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    Ok(HttpResponse::Created().json(service::record_stage(&state, accessor, id.into_inner().into(), body.into_inner()).await?))
}

/// What moved in the plan, newest first: goals set and changed, steps added and done,
/// stages recorded, review dates set — without their words (the owning organization, and
/// under `case_notes`).
#[utoipa::path(
    tag = "plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The timeline, newest first", body = Vec<PlanEvent>),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No participant whose plan's timeline the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/plan/timeline")]
pub async fn plan_timeline(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<web::Json<Vec<PlanEvent>>, ApiError> {
    Ok(web::Json(service::timeline(&state, accessor, id.into_inner().into()).await?))
}
