//! Consent: what a participant agreed to share, with whom and what for — recorded with
//! its evidence, never edited, superseded or revoked — and the policy that enforces it.

pub mod error;
pub mod evidence;
pub mod handlers;
pub mod policy;
pub mod repo;
pub mod service;
pub mod statement;

pub use error::ConsentError;

/// The largest consent body: a 5 MB evidence file in base64, and the rest.
const CONSENT_BODY_BYTES: usize = evidence::MAX_EVIDENCE_BYTES / 3 * 4 + 64 * 1024;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::consent_statement).service(
        // Consents carry their evidence file: a larger body than anywhere else.
        utoipa_actix_web::scope("/consents")
            .app_data(actix_web::web::JsonConfig::default().limit(CONSENT_BODY_BYTES).error_handler(crate::http::json_error))
            .service(handlers::create_consent)
            .service(handlers::get_consent)
            .service(handlers::get_consent_evidence)
            .service(handlers::revoke_consent)
            .default_service(actix_web::web::to(crate::http::unknown_route)),
    );
}
