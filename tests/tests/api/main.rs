//! Black-box tests of the Harbour API over real HTTP, on SQLite and on PostgreSQL.

#![expect(clippy::unwrap_used, reason = "a test that unwraps fails loudly, which is what a test should do")]

mod access;
mod audit;
mod backups;
mod api_clients;
mod browser;
mod cli;
mod conferences;
mod curation;
mod dashboards;
mod directory;
mod durability;
mod erasure;
mod errors;
mod exchange;
mod fhir;
mod foundation;
mod fuzz;
mod groups;
mod handover;
mod headers;
mod hsds;
mod idempotency;
mod limits;
mod locating;
mod matrix;
mod metrics;
mod outage;
mod own_records;
mod participants;
mod proxy;
mod public;
mod referrals;
mod reminders;
mod retention;
mod plans;
mod safety_plans;
mod search;
mod sessions;
mod tokens;
mod webhooks;
