//! Liveness and readiness, for orchestrators and load balancers, and `/metrics`.

use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::Utc;
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

/// The metrics, in Prometheus' text format. When `HARBOUR_METRICS_TOKEN` is set, a scraper
/// must send it as a bearer token.
#[utoipa::path(
    tag = "health",
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 401, description = "A token is configured and this is not it", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if let Some(expected) = &state.settings.metrics_token {
        let given = req.headers().get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if !given.is_some_and(|g| crate::crypto::constant_time_eq(g.as_bytes(), secrecy::ExposeSecret::expose_secret(expected).as_bytes())) {
            return Err(ApiError::unauthenticated("send the metrics token as a bearer token"));
        }
    }
    let now = Utc::now().naive_utc();
    let (pending, oldest, overdue) = state
        .db
        .run(move |conn| {
            let (pending, oldest) = crate::webhooks::outbox::backlog(conn)?;
            Ok::<_, ApiError>((pending, oldest, crate::referrals::repo::overdue_count(conn, now)?))
        })
        .await?;
    let pool = state.db.pool_state();
    let mut out = String::new();
    state.metrics.render_requests(&mut out);
    state.metrics.render_retention(&mut out);
    crate::metrics::gauge(&mut out, "harbour_db_pool_connections", "Database connections open.", pool.connections);
    crate::metrics::gauge(&mut out, "harbour_db_pool_idle_connections", "Database connections open and idle.", pool.idle_connections);
    crate::metrics::gauge(&mut out, "harbour_db_pool_max_connections", "The pool's size.", state.settings.database_pool_size);
    crate::metrics::gauge(&mut out, "harbour_webhook_outbox_pending", "Webhook deliveries waiting to be made.", pending);
    let lag = oldest.map_or(0.0, |t| (now - t).num_milliseconds().max(0) as f64 / 1000.0);
    crate::metrics::gauge(&mut out, "harbour_webhook_outbox_lag_seconds", "Age of the oldest webhook delivery still waiting.", lag);
    crate::metrics::gauge(&mut out, "harbour_referrals_overdue", "Referrals waiting for an answer past their due time.", overdue);
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(out))
}

/// The probes and `/metrics`, at the root: load balancers and scrapers expect them there.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(live).service(ready).service(metrics);
}
