//! The service directory: services, their locations, phones, hours, capacity and
//! categories, in Open Referral HSDS 3.0 shapes. Agency admins keep their own
//! organization's listings current; every partner reads them; a confidential
//! location's address never leaves its organization (see [`visibility`]).

pub mod caching;
pub mod curation;
pub mod details;
pub mod error;
pub mod handlers;
pub mod nearby;
pub mod reader;
pub mod repo;
pub mod search;
pub mod service;
pub mod visibility;

pub use error::DirectoryError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::api_root)
        .service(handlers::search_services)
        .service(handlers::list_services)
        .service(handlers::get_service)
        .service(handlers::create_service)
        .service(handlers::update_service)
        .service(handlers::set_capacity)
        .service(handlers::list_locations)
        .service(handlers::create_location)
        .service(handlers::update_location)
        .service(handlers::list_taxonomy_terms)
        .service(handlers::get_taxonomy_term)
        .service(handlers::list_regions)
        .service(handlers::list_taxonomies)
        .service(handlers::get_taxonomy)
        .service(handlers::list_service_at_locations)
        .service(handlers::get_service_at_location)
        .service(handlers::verify_service)
        .service(handlers::list_stale)
        .service(handlers::create_taxonomy_term)
        .service(handlers::update_taxonomy_term)
        .service(handlers::create_region)
        .service(handlers::update_region);
}
