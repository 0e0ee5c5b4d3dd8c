//! Coordinator dashboards: referral flow, response times, declines, outcomes, overdue
//! referrals, consents about to expire, the coverage gap map and stale listings — as
//! counts, with counts of fewer than five people suppressed, and never a participant.

pub mod cache;
pub mod export;
pub mod figures;
pub mod handlers;
pub mod service;
pub mod suppression;
