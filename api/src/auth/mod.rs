//! Identity and access: password sign-in, access and refresh tokens, API client
//! credentials, and the guard ([`Principal`] + [`Permission`]) every endpoint uses.

pub mod accounts;
pub mod error;
pub mod handlers;
pub mod password;
pub mod policy;
pub mod principal;
pub mod refresh;
pub mod service;
pub mod throttle;

pub use error::AuthError;
pub use policy::Permission;
pub use principal::{AccountCache, Actor, Principal};
pub use throttle::Throttle;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::sign_in)
        .service(handlers::refresh)
        .service(handlers::sign_out)
        .service(handlers::client_token)
        .service(handlers::get_me)
        .service(handlers::change_password);
}
