//! Users of partner organizations: created, deactivated and reset by their own
//! organization's agency admins (or system admins).

pub mod handlers;
pub mod repo;
pub mod service;
