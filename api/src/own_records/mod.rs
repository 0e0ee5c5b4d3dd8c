//! A participant's own records: everything Harbour holds about them — their record, the
//! consents they gave and withdrew, the referrals made for them with what each shared,
//! every revision of their plan — and who saw or received what, when and why (the right
//! of access under PIPEDA and PHIA). Only the organization that holds their record
//! produces it, with them; producing it is audited, and is the report's last line. As
//! JSON, or as one plain printable page in English or French ([`page`]).

pub mod error;
pub mod handlers;
pub mod page;
pub mod service;

pub use error::OwnRecordsError;

/// This module's endpoints, under `/api/v1`.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig<'_>) {
    cfg.service(handlers::own_records);
}
