//! Safety plans: written with a participant, in their words — warning signs, safe people
//! and places, safe ways to reach them and code words, what to do if found, emergency
//! contacts, digital safety, documents, next time. Every change is a new revision, kept
//! with who wrote it and when; the words are sealed at rest like identity. The plan is
//! the participant's `safety` data: the owning organization sees and writes it, an
//! organization an active consent names for `safety` reads its current revision, nobody
//! else learns it exists. The participant can be handed their own copy ([`copy`]).

pub mod copy;
pub mod error;
pub mod handlers;
pub mod repo;
pub mod service;
pub mod sweep;

pub use error::SafetyPlanError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::get_safety_plan)
        .service(handlers::write_safety_plan)
        .service(handlers::list_safety_plan_revisions)
        .service(handlers::get_safety_plan_revision)
        .service(handlers::safety_plan_copy);
}
