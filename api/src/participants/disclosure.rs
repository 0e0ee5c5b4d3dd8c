//! The disclosure report: for one participant, who saw or received what, when, and under
//! which consent — read from the audit trail, for the owning organization.

use std::collections::HashMap;

use chrono::Utc;
use diesel::prelude::*;
use harbour_types::{AccessPurpose, AuditAction, DataCategory, Disclosure, DisclosureReport, OrganizationRef, ParticipantId};

use super::service::readable;
use crate::audit::{self, repo, Accessor, AuditEntry};
use crate::consent::policy::{self, Access};
use crate::db::schema::{api_clients, organizations, users};
use super::error::ParticipantError;
use crate::state::AppState;

/// The report on one participant of the caller's organization. Producing it is itself
/// an audited access, and is the report's last line.
pub async fn report(state: &AppState, accessor: Accessor, participant_id: ParticipantId) -> Result<DisclosureReport, ParticipantError> {
    policy::require_frontline(&accessor.principal)?;
    state
        .db
        .transaction(move |conn| {
            let (participant, access) = readable(conn, &accessor.principal, &participant_id)?;
            if access != Access::Owner {
                return Err(ParticipantError::ReportForOwnerOnly);
            }
            audit::record(
                conn,
                &accessor,
                &AuditEntry {
                    action: AuditAction::DisclosureReportRead,
                    entity_type: "participant",
                    entity_id: participant_id.as_str(),
                    participant_id: Some(&participant_id),
                    consent_id: None,
                    purpose: AccessPurpose::DirectCare,
                    categories: Vec::new(),
                },
            )?;
            let disclosures = disclosures(conn, &participant_id)?;
            Ok(DisclosureReport { participant_id: participant.row.id.into(), alias: participant.row.alias, generated_at: Utc::now(), disclosures })
        })
        .await
}

/// Every access to the participant's data, oldest first, with who and which organization.
pub fn disclosures(conn: &mut crate::db::DbConn, participant_id: &ParticipantId) -> Result<Vec<Disclosure>, diesel::result::Error> {
    let events = repo::for_participant(conn, participant_id)?;
    let people: Vec<&str> = events.iter().map(|e| e.actor_id.as_str()).collect();
    let mut names: HashMap<String, String> = users::table.filter(users::id.eq_any(&people)).select((users::id, users::display_name)).load(conn)?.into_iter().collect();
    names.extend(api_clients::table.filter(api_clients::id.eq_any(&people)).select((api_clients::id, api_clients::name)).load::<(String, String)>(conn)?);
    let organization_ids: Vec<&str> = events.iter().map(|e| e.organization_id.as_str()).collect();
    let organization_names: HashMap<String, String> =
        organizations::table.filter(organizations::id.eq_any(&organization_ids)).select((organizations::id, organizations::name)).load(conn)?.into_iter().collect();
    events
        .into_iter()
        .map(|e| {
            Ok(Disclosure {
                occurred_at: e.occurred_at.and_utc(),
                actor_name: if e.actor_kind == audit::HARBOUR_ACTOR { "Harbour".into() } else { names.get(&e.actor_id).cloned().unwrap_or_default() },
                organization: OrganizationRef { name: organization_names.get(e.organization_id.as_str()).cloned().unwrap_or_default(), id: e.organization_id.into() },
                action: e.action,
                purpose: e.purpose,
                data_categories: crate::db::codes_from_json(&e.data_categories, DataCategory::from_code)?,
                consent_id: e.consent_id.map(String::from),
            })
        })
        .collect()
}

/// The report as CSV (RFC 4180), one line per access, for a spreadsheet or a records request.
pub fn to_csv(report: &DisclosureReport) -> String {
    let mut out = String::from("occurred_at,actor,organization,action,purpose,data_categories,consent_id\r\n");
    for d in &report.disclosures {
        let categories: Vec<&str> = d.data_categories.iter().map(|c| c.code()).collect();
        let fields = [
            d.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            d.actor_name.clone(),
            d.organization.name.clone(),
            d.action.code().to_owned(),
            d.purpose.code().to_owned(),
            categories.join(" "),
            d.consent_id.clone().unwrap_or_default(),
        ];
        out.push_str(&crate::http::csv_line(&fields));
    }
    out
}
