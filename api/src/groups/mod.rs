//! The partnership's groups: its three tiers of involvement (the core group, working
//! groups, regional groups tied to a region), its cultural advisories and its survivor
//! advisory, or another the partnership names. Members are organizations and people,
//! some of them co-chairs. An organization's memberships show on its profile: the
//! partner's involvement, for the asset map. Who belongs to the survivor advisory is
//! shown only to its members and the partnership's coordinators.

pub mod error;
pub mod handlers;
pub mod repo;
pub mod service;

pub use error::GroupError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::list_groups)
        .service(handlers::create_group)
        .service(handlers::get_group)
        .service(handlers::update_group)
        .service(handlers::add_member)
        .service(handlers::set_co_chair)
        .service(handlers::remove_member)
        .service(handlers::memberships);
}
