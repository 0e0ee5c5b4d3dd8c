//! Users of partner organizations: created, deactivated and reset by their own
//! organization's agency admins (or system admins).

pub mod error;
pub mod handlers;
pub mod repo;
pub mod service;

pub use error::UserError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::list_users)
        .service(handlers::create_user)
        .service(handlers::deactivate_user)
        .service(handlers::reset_password);
}
