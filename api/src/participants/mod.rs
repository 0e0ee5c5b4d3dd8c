//! Participants: pseudonymous records owned by the organization that recorded them,
//! with identity and safety fields sealed at rest.

pub mod handlers;
pub mod repo;
pub mod service;
