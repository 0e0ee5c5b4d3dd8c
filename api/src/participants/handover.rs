//! The primary contact: the colleague of the owning organization who coordinates a
//! participant's case and its communication with partners. Setting or changing it, when
//! the participant is recorded or changed, is a hand-over: kept in the case's history
//! (who, from whom, by whom, when), and the new contact is told by e-mail when SMTP is
//! set — an e-mail that names no one, with a link to sign in and see.

use std::collections::HashMap;

use chrono::{NaiveDateTime, Utc};
use diesel::prelude::*;
use harbour_types::{AuditAction, Colleague, DataCategory, ParticipantId, PrimaryContactChange};

use super::error::ParticipantError;
use crate::audit::{self, Accessor, AuditEntry};
use crate::consent::policy::{self, Access};
use crate::db::schema::{primary_contact_changes, users};
use crate::db::DbConn;
use crate::state::AppState;

const SUBJECT: &str = "Harbour: a case is now yours / un dossier vous est confié";

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = primary_contact_changes)]
struct ChangeRow {
    id: String,
    participant_id: ParticipantId,
    from_user_id: Option<String>,
    to_user_id: Option<String>,
    changed_by: String,
    changed_at: NaiveDateTime,
}

/// Keeps a hand-over from `from` to `to` by `by`, when they differ. Returns the address
/// to tell: the new contact's, unless they made the change themselves.
pub fn record(conn: &mut DbConn, participant_id: &ParticipantId, from: Option<&str>, to: Option<&str>, by: &str) -> QueryResult<Option<String>> {
    if from == to {
        return Ok(None);
    }
    let row = ChangeRow {
        id: uuid::Uuid::new_v4().to_string(),
        participant_id: participant_id.clone(),
        from_user_id: from.map(str::to_owned),
        to_user_id: to.map(str::to_owned),
        changed_by: by.to_owned(),
        changed_at: Utc::now().naive_utc(),
    };
    diesel::insert_into(primary_contact_changes::table).values(&row).execute(conn)?;
    match to.filter(|to| *to != by) {
        Some(to) => super::repo::active_address(conn, to),
        None => Ok(None),
    }
}

/// Tells the new contact, when SMTP is set; a failure is logged (the hand-over stands,
/// and the app shows it).
pub async fn tell(state: &AppState, address: String, participant_id: &ParticipantId) {
    let settings = &state.settings;
    let Ok(Some(mailer)) = crate::mail::Mailer::new(settings.smtp_url.as_deref(), &settings.smtp_from, &settings.public_url) else { return };
    let link = mailer.link(&format!("/participants/{participant_id}"));
    let body = format!(
        "A colleague made you the primary contact of a participant's case in Harbour. Sign in to see it:\n{link}\n\n\
         Un ou une collègue vous a confié le dossier d'une personne participante dans Harbour. Connectez-vous pour le voir :\n{link}\n\n         This message carries no information about the person. / Ce message ne contient aucun renseignement sur la personne.\n"
    );
    if let Err(e) = mailer.send(&[address], SUBJECT, &body).await {
        tracing::warn!(error = %e, "a hand-over notice was not sent");
    }
}

/// Deletes a participant's hand-overs (an erasure).
pub fn forget(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<usize> {
    diesel::delete(primary_contact_changes::table.filter(primary_contact_changes::participant_id.eq(participant_id))).execute(conn)
}

/// The hand-overs of a participant's case, oldest first: for the owning organization
/// only (404 to anyone else, whom it does not concern); reading it is audited.
pub async fn history(state: &AppState, accessor: Accessor, id: ParticipantId) -> Result<Vec<PrimaryContactChange>, ParticipantError> {
    policy::require_frontline(&accessor.principal)?;
    state
        .db
        .transaction(move |conn| {
            let (_, access) = super::service::readable(conn, &accessor.principal, &id)?;
            if access != Access::Owner {
                return Err(ParticipantError::NotFound);
            }
            let rows: Vec<ChangeRow> = primary_contact_changes::table
                .filter(primary_contact_changes::participant_id.eq(&id))
                .order((primary_contact_changes::changed_at.asc(), primary_contact_changes::id.asc()))
                .select(ChangeRow::as_select())
                .load(conn)?;
            let ids: Vec<&String> = rows.iter().flat_map(|r| [r.from_user_id.as_ref(), r.to_user_id.as_ref(), Some(&r.changed_by)]).flatten().collect();
            let names: HashMap<String, String> = users::table.filter(users::id.eq_any(ids)).select((users::id, users::display_name)).load(conn)?.into_iter().collect();
            let read = AuditEntry { categories: vec![DataCategory::Contact], ..super::service::written(AuditAction::ParticipantRead, &id) };
            audit::record(conn, &accessor, &read)?;
            let name = |user: &Option<String>| user.as_ref().and_then(|u| names.get(u)).cloned();
            Ok(rows
                .iter()
                .map(|r| PrimaryContactChange {
                    from_user_id: r.from_user_id.clone(),
                    from_name: name(&r.from_user_id),
                    to_user_id: r.to_user_id.clone(),
                    to_name: name(&r.to_user_id),
                    changed_by_name: names.get(&r.changed_by).cloned(),
                    changed_at: r.changed_at.and_utc(),
                })
                .collect())
        })
        .await
}

/// The caller's colleagues who may be a participant's primary contact (active, and
/// handling participants), by name: what the app's picker offers.
pub async fn colleagues(state: &AppState, accessor: Accessor) -> Result<Vec<Colleague>, ParticipantError> {
    policy::require_frontline(&accessor.principal)?;
    let organization_id = accessor.principal.organization_id.clone();
    let rows = state.db.run(move |conn| super::repo::frontline_colleagues(conn, &organization_id).map_err(ParticipantError::from)).await?;
    Ok(rows.into_iter().map(|(id, display_name)| Colleague { id, display_name }).collect())
}
