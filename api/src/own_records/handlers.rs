//! `/participants/{id}/own-records`: everything held about a participant, for them.

use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use harbour_types::{OwnRecords, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{page, service};
use crate::audit::Accessor;
use crate::error::ApiError;
use crate::safety_plans::copy::Language;
use crate::state::AppState;

/// How to give the records.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OwnRecordsQuery {
    /// `json` (default) or `html`: one plain page to read or print.
    format: Option<String>,
    /// The page's language: `en` (default) or `fr`.
    lang: Option<String>,
}

/// Everything Harbour holds about the participant — their record, every consent, every
/// referral made for them with what it shared, every revision of their plan — and who saw
/// or received what, when and why: their own copy, produced with them by the organization
/// that holds their record. Producing it is audited, and is the disclosures' last line.
#[utoipa::path(
    tag = "participants",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "The participant's id"), OwnRecordsQuery),
    responses(
        (status = 200, description = "The records, as JSON or as an HTML page", content((OwnRecords = "application/json"), (String = "text/html"))),
        (status = 400, description = "format is not json or html, or lang not en or fr", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A recipient organization, or not a frontline user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such participant the caller may see", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/participants/{id}/own-records")]
pub async fn own_records(state: web::Data<AppState>, accessor: Accessor, id: web::Path<String>, query: web::Query<OwnRecordsQuery>) -> Result<HttpResponse, ApiError> {
    let html = match query.format.as_deref() {
        None | Some("json") => false,
        Some("html") => true,
        Some(_) => return Err(ApiError::BadRequest("format is json or html".into())),
    };
    let language = Language::from_query(query.lang.as_deref()).ok_or_else(|| ApiError::BadRequest("lang is en or fr".into()))?;
    let (records, names) = service::produce(&state, accessor, id.into_inner().into()).await?;
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(if html { response.content_type("text/html; charset=utf-8").body(page::page(&records, &names, language)) } else { response.json(records) })
}
