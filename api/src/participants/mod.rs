//! Participants: pseudonymous records owned by the organization that recorded them,
//! with identity and safety fields sealed at rest.

pub mod disclosure;
pub mod error;
pub mod handlers;
pub mod handover;
pub mod repo;
pub mod service;

pub use error::ParticipantError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::create_participant)
        .service(handlers::search_participants)
        .service(handlers::get_participant)
        .service(handlers::update_participant)
        .service(handlers::primary_contact_history)
        .service(handlers::list_colleagues)
        .service(handlers::list_participant_consents)
        .service(handlers::disclosure_report);
}
