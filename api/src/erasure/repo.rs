//! The erasure ledger in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{ErasureMethod, ErasureReason, OrganizationId, ParticipantId};
use serde::{Deserialize, Serialize};

use crate::db::schema::{erasures, organizations, users};
use crate::db::DbConn;

/// A row of `erasures`: an entry of the ledger (also a line of its file, [`super::ledger`]).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, Serialize, Deserialize)]
#[diesel(table_name = erasures)]
pub struct ErasureRow {
    pub participant_id: ParticipantId,
    pub organization_id: OrganizationId,
    pub erased_at: NaiveDateTime,
    pub method: ErasureMethod,
    pub reason: ErasureReason,
    pub erased_by: Option<String>,
    #[serde(skip)]
    pub reapplied_at: Option<NaiveDateTime>,
}

/// Enters an erasure in the ledger.
pub fn insert(conn: &mut DbConn, row: &ErasureRow) -> QueryResult<()> {
    diesel::insert_into(erasures::table).values(row).execute(conn).map(drop)
}

/// An entry with the name of who made it (none: Harbour).
pub type Named = (ErasureRow, Option<String>);

/// A page of the ledger, newest first, and the total: one organization's, or all.
pub fn page(conn: &mut DbConn, organization_id: Option<&OrganizationId>, offset: i64, limit: i64) -> QueryResult<(Vec<Named>, i64)> {
    let filtered = || {
        let mut query = erasures::table.left_join(users::table.on(erasures::erased_by.eq(users::id.nullable()))).into_boxed();
        if let Some(organization_id) = organization_id {
            query = query.filter(erasures::organization_id.eq(organization_id.clone()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((erasures::erased_at.desc(), erasures::participant_id.asc()))
        .offset(offset)
        .limit(limit)
        .select((ErasureRow::as_select(), users::display_name.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

/// The whole ledger, oldest first (for a restore to re-apply).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<ErasureRow>> {
    erasures::table.order(erasures::erased_at.asc()).select(ErasureRow::as_select()).load(conn)
}

/// Whether the ledger has this participant.
pub fn contains(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(erasures::table.find(participant_id))).get_result(conn)
}

/// Whether an organization exists (a restored backup may predate it).
pub fn organization_exists(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(organizations::table.find(organization_id))).get_result(conn)
}
