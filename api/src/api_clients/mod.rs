//! API clients: partner systems that act for one organization, with scopes, and
//! authenticate by client credentials at `/auth/token`.

pub mod error;
pub mod handlers;
pub mod repo;
pub mod service;

pub use error::ApiClientError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::list_api_clients)
        .service(handlers::create_api_client)
        .service(handlers::revoke_api_client);
}
