//! Webhooks for referral and case conference events, in the Standard Webhooks way: subscriptions per
//! organization, a transactional outbox written with the change it announces
//! ([`outbox::deliveries`]), and a dispatcher ([`dispatch`]) that any number of instances
//! run, each claiming due deliveries with a lease so an attempt is made once, signing
//! them (HMAC-SHA256) and retrying with exponential backoff and jitter.

pub mod dispatch;
pub mod error;
pub mod handlers;
pub mod outbox;
pub mod repo;
pub mod service;

pub use error::WebhookError;

/// The place a subscription's secret is sealed for.
fn secret_aad(subscription_id: &str) -> String {
    format!("webhooks/{subscription_id}/secret")
}

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::create_subscription)
        .service(handlers::list_subscriptions)
        .service(handlers::delete_subscription)
        .service(handlers::list_deliveries);
}
