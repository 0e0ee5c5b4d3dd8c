//! API clients: partner systems that act for one organization, with scopes, and
//! authenticate by client credentials at `/auth/token`.

pub mod handlers;
pub mod repo;
pub mod service;
