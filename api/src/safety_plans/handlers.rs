//! `/participants/{id}/safety-plan`: a participant's safety plan, its revisions, and
//! their own copy.

use actix_web::http::header;
use actix_web::{get, put, web, HttpRequest, HttpResponse};
use harbour_types::{Problem, SafetyPlan, SafetyPlanInput, SafetyPlanRevision};
use serde::Deserialize;
use utoipa::IntoParams;

use super::copy::{self, Language};
use super::service;
use crate::audit::Accessor;
use crate::error::{validate, ApiError};
use crate::http::{expected_version, with_etag};
use crate::state::AppState;

/// The current safety plan. The owning organization sees it with who wrote it; an
/// organization an active consent names for `safety` sees its words; for anyone else
/// there is none.
#[utoipa::path(
    tag = "safety-plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The current revision", body = SafetyPlan, headers(("ETag" = String, description = "The revision, for If-Match"))),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No plan yet, or none the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/safety-plan")]
pub async fn get_safety_plan(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let plan = service::get(&state, accessor, id.into_inner().into(), None).await?;
    Ok(with_etag(HttpResponse::Ok(), plan.revision, &plan))
}

/// Writes the plan's next revision with the participant (the owning organization). Send
/// the current revision's ETag in If-Match, `"0"` for a first plan: every earlier
/// revision is kept as it was.
#[utoipa::path(
    tag = "safety-plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("If-Match" = String, Header, description = "The current revision's ETag, \"0\" for a first plan")),
    request_body = SafetyPlanInput,
    responses(
        (status = 200, description = "The new revision", body = SafetyPlan, headers(("ETag" = String, description = "The new revision"))),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Revised by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/participants/{id}/safety-plan")]
pub async fn write_safety_plan(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, id: web::Path<String>, body: web::Json<SafetyPlanInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let expected = expected_version(&req)?;
    let plan = service::write(&state, accessor, id.into_inner().into(), expected, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), plan.revision, &plan))
}

/// Who wrote each revision of the plan and when, newest first (the owning organization).
#[utoipa::path(
    tag = "safety-plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The revisions, newest first", body = Vec<SafetyPlanRevision>),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/safety-plan/revisions")]
pub async fn list_safety_plan_revisions(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<web::Json<Vec<SafetyPlanRevision>>, ApiError> {
    Ok(web::Json(service::history(&state, accessor, id.into_inner().into()).await?))
}

/// One past revision of the plan, as it was written (the owning organization).
#[utoipa::path(
    tag = "safety-plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("revision" = i32, Path, description = "The revision's number, from 1")),
    responses(
        (status = 200, description = "The revision", body = SafetyPlan),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant or revision", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/safety-plan/revisions/{revision}")]
pub async fn get_safety_plan_revision(state: web::Data<AppState>, accessor: Accessor, path: web::Path<(String, i32)>) -> Result<web::Json<SafetyPlan>, ApiError> {
    let (id, revision) = path.into_inner();
    Ok(web::Json(service::get(&state, accessor, id.into(), Some(revision)).await?))
}

/// The participant's copy's options.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CopyQuery {
    /// `en` (default) or `fr`.
    lang: Option<String>,
    /// `true` to name the organization that wrote the plan with them: only if they choose.
    organization: Option<bool>,
}

/// The participant's own copy of their current plan: one plain page, in English or
/// French, to print or keep, titled "My plan", naming no organization unless they choose
/// (the owning organization makes it with them).
#[utoipa::path(
    tag = "safety-plans",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), CopyQuery),
    responses(
        (status = 200, description = "The page", content_type = "text/html", body = String),
        (status = 400, description = "lang is not en or fr", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No plan yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/safety-plan/copy")]
pub async fn safety_plan_copy(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, query: web::Query<CopyQuery>) -> Result<HttpResponse, ApiError> {
    let language = Language::from_query(query.lang.as_deref()).ok_or_else(|| ApiError::BadRequest("lang is en or fr".into()))?;
    let (plan, organization) = service::for_copy(&state, accessor, id.into_inner().into()).await?;
    let page = copy::page(&plan, language, query.organization.unwrap_or(false).then_some(organization.as_str()));
    Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").insert_header((header::CACHE_CONTROL, "no-store")).body(page))
}
