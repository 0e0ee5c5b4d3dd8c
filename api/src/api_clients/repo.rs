//! API clients in the database.

use diesel::prelude::*;
use harbour_types::OrganizationId;

use crate::auth::accounts::ApiClientRow;
use crate::db::schema::api_clients;
use crate::db::DbConn;

/// An organization's clients, newest first.
pub fn list_for_organization(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<ApiClientRow>> {
    api_clients::table
        .filter(api_clients::organization_id.eq(organization_id))
        .order((api_clients::created_at.desc(), api_clients::id.asc()))
        .select(ApiClientRow::as_select())
        .load(conn)
}

/// Stores a new client.
pub fn insert(conn: &mut DbConn, row: &ApiClientRow) -> QueryResult<()> {
    diesel::insert_into(api_clients::table).values(row).execute(conn).map(drop)
}

/// Revokes a client: it can no longer obtain tokens, and its tokens stop working.
pub fn deactivate(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::update(api_clients::table.find(id)).set(api_clients::active.eq(false)).execute(conn).map(drop)
}
