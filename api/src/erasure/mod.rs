//! Erasing a participant, and keeping it erased.
//!
//! An agency admin of the owning organization erases a participant on their request
//! (`POST /participants/{id}/erasure`), and the retention sweep erases those with no
//! activity for the partnership's retention period ([`retention`]). In one transaction,
//! [`service::erase_in`] destroys the participant's own key (`data_keys`), so nothing
//! sealed under it opens again from the database or any copy of it; empties their row
//! (the id stays: referrals, consents and audit events name it); deletes their safety
//! plans and consent evidence and ends their consents; removes the participant part and
//! the words written on each of their referrals, whose timelines (and both sides'
//! webhooks) say so; audits it; and enters it in the erasure ledger.
//!
//! The ledger holds ids, dates and codes only. It is kept in the database and, when
//! `HARBOUR_ERASURE_LEDGER` names a file, appended to that file outside it, each line
//! signed by the keyring ([`ledger`]): `harbour restore` re-applies every entry a restored
//! backup lacks, so a restore never brings a participant back.

pub mod error;
pub mod handlers;
pub mod ledger;
pub mod repo;
pub mod retention;
pub mod service;

pub use error::ErasureError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::erase_participant).service(handlers::list_erasures);
}
