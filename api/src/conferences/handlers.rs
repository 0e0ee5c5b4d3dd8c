//! `/participants/{id}/conferences` and `/conferences`: case conferences, their
//! calendar files and their action items.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use harbour_types::{ActionInput, ActionItem, Conference, ConferenceInput, ConferenceSummary, Problem};

use super::service;
use crate::audit::Accessor;
use crate::error::{validate, ApiError};
use crate::http::{expected_version, with_etag};
use crate::state::AppState;

/// A participant's case conferences the caller may see, latest first: all of them for
/// the organization that recorded the participant; for another, those it is invited to,
/// while an active consent names it for `case_conference`.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id")),
    responses(
        (status = 200, description = "The conferences", body = Vec<ConferenceSummary>),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No participant whose conferences the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/conferences")]
pub async fn list_of_participant(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<web::Json<Vec<ConferenceSummary>>, ApiError> {
    Ok(web::Json(service::of_participant(&state, accessor, id.into_inner().into()).await?))
}

/// Convenes a case conference about a participant (the organization that recorded
/// them). Each organization invited must be named in an active consent of the
/// participant's that covers `case_conference`; each is sent a calendar invitation.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, the first answer comes back")),
    request_body = ConferenceInput,
    responses(
        (status = 201, description = "The conference", body = Conference, headers(("ETag" = String, description = "The conference's version"))),
        (status = 403, description = "Not the organization that recorded the participant, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body: an organization no consent names for case conferences (code `consent_missing`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/participants/{id}/conferences")]
pub async fn convene(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, body: web::Json<ConferenceInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let conference = service::convene(&state, accessor, id.into_inner().into(), body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), conference.version, &conference))
}

/// The case conferences the caller's organization convened or is invited to (while the
/// consent lasts), latest first.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The conferences", body = Vec<ConferenceSummary>),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/conferences")]
pub async fn list(state: web::Data<AppState>, accessor: Accessor) -> Result<web::Json<Vec<ConferenceSummary>>, ApiError> {
    Ok(web::Json(service::of_organization(&state, accessor).await?))
}

/// A case conference: its time and place, the organizations invited and who came, the
/// agenda with notes and decisions, the participant's voice, the action items.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conference's id")),
    responses(
        (status = 200, description = "The conference", body = Conference, headers(("ETag" = String, description = "The conference's version, for If-Match"))),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No conference the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/conferences/{id}")]
pub async fn get_conference(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let conference = service::get(&state, accessor, id.into_inner().into()).await?;
    Ok(with_etag(HttpResponse::Ok(), conference.version, &conference))
}

/// Rewrites a case conference (its convener): time, place, invitations and
/// attendance, agenda, notes and decisions, the participant's voice. Organizations
/// newly invited, and all of them when the time, place or status changes, get an
/// updated invitation (or a cancellation). Send the conference's ETag in If-Match.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conference's id"), ("If-Match" = String, Header, description = "The conference's ETag")),
    request_body = ConferenceInput,
    responses(
        (status = 200, description = "The conference", body = Conference, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Not the convener, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No conference the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body: an organization no consent names for case conferences (code `consent_missing`)", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/conferences/{id}")]
pub async fn update_conference(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, id: web::Path<String>, body: web::Json<ConferenceInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let expected = expected_version(&req)?;
    let conference = service::update(&state, accessor, id.into_inner().into(), expected, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), conference.version, &conference))
}

/// The conference as an iCalendar file (RFC 5545) to add to one's calendar: when,
/// where, a link to Harbour — nothing about the person.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conference's id")),
    responses(
        (status = 200, description = "The event", body = String, content_type = "text/calendar"),
        (status = 403, description = "Not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No conference the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/conferences/{id}/calendar")]
pub async fn conference_calendar(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let calendar = service::calendar(&state, accessor, id.into_inner().into()).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"conference.ics\""))
        .insert_header(("Cache-Control", "no-store"))
        .body(calendar))
}

/// Gives an action item to the convener or to an organization at the table, with a due
/// date (the convener); the organization given it hears by webhook.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conference's id"), ("Idempotency-Key" = Option<String>, Header, description = "Sent again with the same key, the first answer comes back")),
    request_body = ActionInput,
    responses(
        (status = 201, description = "The action item", body = ActionItem, headers(("ETag" = String, description = "The action item's version"))),
        (status = 403, description = "Not the convener, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No conference the caller may see", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body: an organization not at the table, a person not of it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/conferences/{id}/actions")]
pub async fn add_action(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, body: web::Json<ActionInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let action = service::add_action(&state, accessor, id.into_inner().into(), body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Created(), action.version, &action))
}

/// Changes an action item: the convener all of it; the organization it was given to,
/// its status alone (send the rest as it is). Send the action item's ETag in If-Match.
#[utoipa::path(
    tag = "conferences",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The conference's id"), ("action" = String, Path, description = "The action item's id"), ("If-Match" = String, Header, description = "The action item's ETag")),
    request_body = ActionInput,
    responses(
        (status = 200, description = "The action item", body = ActionItem, headers(("ETag" = String, description = "The new version"))),
        (status = 403, description = "Neither the convener nor the organization given it; or it changed more than the status", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No conference the caller may see, or no such action item", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed by someone else since read", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/conferences/{id}/actions/{action}")]
pub async fn update_action(state: web::Data<AppState>, accessor: Accessor, req: HttpRequest, path: web::Path<(String, String)>, body: web::Json<ActionInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    let expected = expected_version(&req)?;
    let (id, action) = path.into_inner();
    let action = service::update_action(&state, accessor, (id.into(), action), expected, body.into_inner()).await?;
    Ok(with_etag(HttpResponse::Ok(), action.version, &action))
}
