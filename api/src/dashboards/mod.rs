//! Coordinator dashboards: referral flow, response times, declines, outcomes, overdue
//! referrals, consents about to expire, participants' plans, the coverage gap map and
//! stale listings — as
//! counts released once per month (or day) with noise, so that no two answers can be
//! differenced ([`release`]), with counts of fewer than five suppressed, and never a
//! participant.

pub mod cache;
pub mod error;
pub mod export;
pub mod figures;
pub mod handlers;
pub mod noise;
pub mod release;
pub mod service;
pub mod suppression;

pub use error::DashboardError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::funnel)
        .service(handlers::response_times)
        .service(handlers::declines)
        .service(handlers::outcomes)
        .service(handlers::overdue)
        .service(handlers::trends)
        .service(handlers::consents_expiring)
        .service(handlers::plan_goals)
        .service(handlers::plan_care)
        .service(handlers::conferences)
        .service(handlers::coverage)
        .service(handlers::stale_listings);
}
