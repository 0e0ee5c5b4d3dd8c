//! Individualized plans: what a participant wants to change, in their words — goals,
//! each in a domain of life (housing, health … peer support), with steps that someone
//! owns (the participant, a colleague, a partner organization), a due date and a status;
//! a step can be one of their referrals. The stage of change they say they are at is
//! recorded over time and never required: they lead. Review dates, and a timeline of
//! what moved. The words are sealed under the participant's key. The plan is the
//! participant's `case_notes` (goals' domains and titles also their `needs`): the owning
//! organization writes it, an organization an active consent names reads what the
//! consent covers, nobody else learns it exists.

pub mod error;
pub mod handlers;
pub mod repo;
pub mod service;

pub use error::PlanError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::get_plan)
        .service(handlers::set_plan)
        .service(handlers::add_goal)
        .service(handlers::update_goal)
        .service(handlers::add_step)
        .service(handlers::update_step)
        .service(handlers::record_stage)
        .service(handlers::plan_timeline);
}
