//! API clients in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{ApiClient, Scope};

use crate::db::schema::api_clients;
use crate::db::DbConn;

/// A row of `api_clients`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: String,
    pub organization_id: String,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub scopes: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

impl ApiClientRow {
    /// The scopes stored, space-separated as in OAuth.
    pub fn scopes(&self) -> Vec<Scope> {
        self.scopes.split(' ').filter_map(Scope::from_code).collect()
    }

    /// The client as its organization's admins see it.
    pub fn to_dto(&self) -> ApiClient {
        ApiClient {
            id: self.id.clone(),
            organization_id: self.organization_id.clone(),
            name: self.name.clone(),
            client_id: self.client_id.clone(),
            scopes: self.scopes(),
            active: self.active,
            created_at: self.created_at.and_utc(),
        }
    }
}

/// Stores scopes the OAuth way: space-separated codes.
pub fn scopes_text(scopes: &[Scope]) -> String {
    let mut codes: Vec<&str> = scopes.iter().map(|s| s.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    codes.join(" ")
}

/// The client with this record id.
pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table.find(id).select(ApiClientRow::as_select()).first(conn).optional()
}

/// The client with this public client id.
pub fn find_by_client_id(conn: &mut DbConn, client_id: &str) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table.filter(api_clients::client_id.eq(client_id)).select(ApiClientRow::as_select()).first(conn).optional()
}

/// An organization's clients, newest first.
pub fn list_for_organization(conn: &mut DbConn, organization_id: &str) -> QueryResult<Vec<ApiClientRow>> {
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

/// Records that the client obtained a token.
pub fn touch(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(api_clients::table.find(id)).set(api_clients::last_used_at.eq(at)).execute(conn).map(drop)
}
