//! Every documented endpoint: each module registers its own (`routes` in the module),
//! and this composes them. The server and the OpenAPI generator both use it, so the
//! document cannot list an endpoint the server does not serve.

use actix_web::web;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::{api_clients, audit, auth, conferences, consent, dashboards, directory, erasure, groups, health, organizations, own_records, participants, plans, referrals, safety_plans, users, webhooks};

/// Every documented route.
pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.configure(health::routes).service(
        scope("/api/v1")
            .service(health::instance)
            .configure(auth::routes)
            .configure(organizations::routes)
            .configure(users::routes)
            .configure(api_clients::routes)
            .configure(directory::routes)
            .configure(participants::routes)
            .configure(safety_plans::routes)
            .configure(plans::routes)
            .configure(conferences::routes)
            .configure(groups::routes)
            .configure(consent::routes)
            .configure(referrals::routes)
            .configure(own_records::routes)
            .configure(erasure::routes)
            .configure(webhooks::routes)
            .configure(audit::routes)
            .configure(dashboards::routes)
            .default_service(web::to(crate::http::unknown_route)),
    );
}
