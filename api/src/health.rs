//! Liveness and readiness, for orchestrators and load balancers.

use actix_web::{get, web, HttpResponse};
use diesel::RunQueryDsl;
use harbour_types::{InstanceInfo, Problem};

use crate::error::ApiError;
use crate::state::AppState;

/// The process is up.
#[utoipa::path(tag = "health", responses((status = 200, description = "Alive")))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({"status": "ok"}))
}

/// The process can serve: the database answers.
#[utoipa::path(tag = "health", responses(
    (status = 200, description = "Ready"),
    (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json"),
))]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.db.run(|conn| diesel::sql_query("SELECT 1").execute(conn).map_err(|e| ApiError::Unavailable(e.to_string()))).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ok"})))
}

/// Public facts the app needs before sign-in: the partnership's name, where quick exit goes.
#[utoipa::path(tag = "instance", responses((status = 200, description = "This instance", body = InstanceInfo)))]
#[get("/instance")]
pub async fn instance(state: web::Data<AppState>) -> web::Json<InstanceInfo> {
    web::Json(InstanceInfo {
        partnership_name: state.settings.partnership_name.clone(),
        quick_exit_url: state.settings.quick_exit_url.clone(),
        locales: vec!["en".into(), "fr".into()],
        time_zone: state.settings.time_zone.clone(),
    })
}
