//! Partner organizations: listed to every partner, created by system admins, kept
//! current by their own agency admins.

pub mod handlers;
pub mod repo;
pub mod service;
