//! Referrals: the closed loop from a worker of one organization to a service of another,
//! checked against consent, with a timeline of every step.

pub mod error;
pub mod fhir;
pub mod handlers;
pub mod lifecycle;
pub mod repo;
pub mod service;
pub mod sweep;

pub use error::ReferralError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::create_referral)
        .service(handlers::list_referrals)
        .service(handlers::referral_counts)
        .service(handlers::get_referral)
        .service(handlers::get_referral_fhir)
        .service(handlers::transition_referral)
        .service(handlers::assign_referral)
        .service(handlers::list_referral_messages)
        .service(handlers::post_referral_message);
}
