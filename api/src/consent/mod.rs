//! Consent: what a participant agreed to share, with whom and what for — recorded with
//! its evidence, never edited, superseded or revoked — and the policy that enforces it.

pub mod evidence;
pub mod handlers;
pub mod policy;
pub mod repo;
pub mod service;
pub mod statement;
