//! Case conferences: partners brought to one table around one participant, with their
//! consent. The organization that recorded the participant convenes one, inviting only
//! organizations named in an active consent of theirs that covers `case_conference`;
//! sets the time and a place or link (an iCalendar invitation goes to each partner by
//! e-mail, carrying nothing about the person), the agenda, notes and decisions per item,
//! attendance, and the participant's own voice (what they want said, and whether they
//! come); and gives out action items with an owner and a due date, tracked to done, with
//! a reminder on the due date. An organization invited sees the conference while the
//! consent lasts — a withdrawal hides it from them on the next request — and marks its
//! own action items done. Partner systems hear of conferences scheduled and action items
//! given by webhook, ids only.

pub mod calendar;
pub mod error;
pub mod handlers;
pub mod repo;
pub mod service;

pub use error::ConferenceError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::list_of_participant)
        .service(handlers::convene)
        .service(handlers::list)
        .service(handlers::get_conference)
        .service(handlers::update_conference)
        .service(handlers::conference_calendar)
        .service(handlers::add_action)
        .service(handlers::update_action);
}
