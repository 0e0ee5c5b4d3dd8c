//! Referrals: the closed loop from a worker of one organization to a service of another,
//! checked against consent, with a timeline of every step.

pub mod fhir;
pub mod handlers;
pub mod lifecycle;
pub mod repo;
pub mod service;
