//! Partner organizations: listed to every partner, created by system admins, kept
//! current by their own agency admins.

pub mod error;
pub mod handlers;
pub mod repo;
pub mod service;

pub use error::OrganizationError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::list_organizations)
        .service(handlers::get_organization)
        .service(handlers::create_organization)
        .service(handlers::update_organization);
}
