//! Harbour's API: the service directory, referrals and consent, over REST/JSON.
//!
//! Domain modules (`auth`, `organizations`, `users`, `api_clients`, `directory`,
//! `participants`, `consent`, `referrals`, `webhooks`, `dashboards`, `audit`) hold
//! `handlers` (thin HTTP edges), `service` (rules and transactions) and `repo`
//! (queries), or the parts of these they need (`auth` has no tables of its own,
//! `dashboards` reads through `figures`, `audit` writes from `mod.rs`). `db` is the one
//! way to the database, `error` the one way errors leave.

pub mod api_clients;
pub mod audit;
pub mod backup;
pub mod auth;
pub mod bootstrap;
pub mod config;
pub mod consent;
pub mod crypto;
pub mod dashboards;
pub mod db;
pub mod directory;
pub mod error;
pub mod health;
pub mod http;
pub mod idempotency;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod organizations;
pub mod rate_limit;
pub mod participants;
pub mod referrals;
pub mod seed;
pub mod startup;
pub mod state;
pub mod users;
pub mod webhooks;
