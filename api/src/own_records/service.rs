//! Gathering a participant's own records in one transaction, so that every part is of
//! the same moment and the audit event of producing it lands with it.

use chrono::Utc;
use harbour_types::{AccessPurpose, AuditAction, DataCategory, OwnRecords, ParticipantId};

use super::error::OwnRecordsError;
use crate::audit::{self, Accessor, AuditEntry};
use crate::consent::policy::{self, Access};
use crate::participants::{disclosure, service::readable, service::shaped};
use crate::state::AppState;

/// What the page names in words: the organization producing it, and categories (English, French) by id.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub organization: String,
    pub categories: std::collections::HashMap<String, (String, String)>,
}

/// Everything held about the participant, for the organization that holds their record.
/// Producing it discloses every category to the participant, through that organization:
/// it is audited so, before the disclosures are read, so that it is their last line.
pub async fn produce(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<(OwnRecords, Names), OwnRecordsError> {
    policy::require_frontline(&accessor.principal)?;
    let keyring = state.keyring.clone();
    state
        .db
        .transaction(move |conn| {
            let (record, access) = readable(conn, &accessor.principal, &participant_id)?;
            if access != Access::Owner {
                return Err(OwnRecordsError::OwnerOnly);
            }
            audit::record(
                conn,
                &accessor,
                &AuditEntry {
                    action: AuditAction::OwnRecordsProduced,
                    entity_type: "participant",
                    entity_id: participant_id.as_str(),
                    participant_id: Some(&participant_id),
                    consent_id: None,
                    purpose: AccessPurpose::DirectCare,
                    categories: DataCategory::ALL.to_vec(),
                },
            )?;
            let records = OwnRecords {
                generated_at: Utc::now(),
                participant: shaped(&keyring, &record, &Access::Owner)?,
                consents: crate::consent::service::for_owner_copy(conn, &accessor.principal, &participant_id)?,
                referrals: crate::referrals::service::for_owner_copy(conn, &keyring, &participant_id)?,
                safety_plan: crate::safety_plans::service::for_owner_copy(conn, &keyring, &participant_id)?,
                plan: crate::plans::service::for_owner_copy(conn, &keyring, &record)?,
                conferences: crate::conferences::service::for_owner_copy(conn, &keyring, &record)?,
                disclosures: disclosure::disclosures(conn, &participant_id)?,
            };
            let mut needs: Vec<String> = records.participant.needs.iter().flat_map(|n| n.category_ids.clone()).collect();
            needs.extend(records.referrals.iter().flat_map(|r| r.needs.category_ids.clone()));
            let categories = crate::directory::repo::category_names(conn, &needs)?;
            Ok((records, Names { organization: record.organization_name, categories }))
        })
        .await
}
