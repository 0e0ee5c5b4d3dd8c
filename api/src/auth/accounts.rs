//! The accounts that authenticate, as their tables hold them: users (with their roles and
//! organization) and API clients. `users` and `api_clients` manage them; this is what
//! signing in and every request read, kept here so that authentication sits below them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{ApiClient, OrganizationId, Role, Scope, User};

use crate::db::schema::{api_clients, organizations, user_roles, users};
use crate::db::DbConn;

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub organization_id: OrganizationId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub locale: String,
    pub active: bool,
    pub must_change_password: bool,
    pub last_sign_in_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A user with the facts needed to authorize and describe them.
#[derive(Debug, Clone)]
pub struct UserAccount {
    pub row: UserRow,
    pub roles: Vec<Role>,
    pub organization_name: String,
    pub organization_active: bool,
}

impl UserAccount {
    /// The user as their organization's admins see them.
    pub fn to_dto(&self) -> User {
        User {
            id: self.row.id.clone(),
            organization_id: self.row.organization_id.to_string(),
            email: self.row.email.clone(),
            display_name: self.row.display_name.clone(),
            roles: self.roles.clone(),
            locale: self.row.locale.clone(),
            active: self.row.active,
            must_change_password: self.row.must_change_password,
            last_sign_in_at: self.row.last_sign_in_at.map(|t| t.and_utc()),
        }
    }

    /// Whether the user may act at all: both they and their organization are active.
    pub fn can_act(&self) -> bool {
        self.row.active && self.organization_active
    }
}

fn roles_of(conn: &mut DbConn, user_ids: &[String]) -> QueryResult<Vec<(String, Role)>> {
    user_roles::table
        .filter(user_roles::user_id.eq_any(user_ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)
}

pub(crate) fn with_roles(conn: &mut DbConn, rows: Vec<(UserRow, String, bool)>) -> QueryResult<Vec<UserAccount>> {
    let ids: Vec<String> = rows.iter().map(|(u, _, _)| u.id.clone()).collect();
    let roles = roles_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(row, organization_name, organization_active)| {
            let mut own: Vec<Role> = roles.iter().filter(|(id, _)| *id == row.id).map(|(_, r)| *r).collect();
            own.sort();
            UserAccount { row, roles: own, organization_name, organization_active }
        })
        .collect())
}

pub(crate) fn with_organization() -> diesel::dsl::InnerJoin<users::table, organizations::table> {
    users::table.inner_join(organizations::table)
}

/// The user with this id.
pub fn find_user(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserAccount>> {
    let row = with_organization()
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), organizations::name, organizations::active))
        .first(conn)
        .optional()?;
    Ok(with_roles(conn, row.into_iter().collect())?.pop())
}

/// The user with this e-mail address (stored lowercased).
pub fn find_user_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<UserAccount>> {
    let row = with_organization()
        .filter(users::email.eq(email))
        .select((UserRow::as_select(), organizations::name, organizations::active))
        .first(conn)
        .optional()?;
    Ok(with_roles(conn, row.into_iter().collect())?.pop())
}

/// Records a successful sign-in.
pub fn touch_sign_in(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id))).set(users::last_sign_in_at.eq(at)).execute(conn).map(drop)
}

/// Replaces a user's password hash.
pub fn set_password(conn: &mut DbConn, id: &str, password_hash: &str, must_change: bool, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((users::password_hash.eq(password_hash), users::must_change_password.eq(must_change), users::updated_at.eq(at)))
        .execute(conn)
        .map(drop)
}

/// A row of `api_clients`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: String,
    pub organization_id: OrganizationId,
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
            organization_id: self.organization_id.to_string(),
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
pub fn find_client(conn: &mut DbConn, id: &str) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table.find(id).select(ApiClientRow::as_select()).first(conn).optional()
}

/// The client with this public client id.
pub fn find_client_by_client_id(conn: &mut DbConn, client_id: &str) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table.filter(api_clients::client_id.eq(client_id)).select(ApiClientRow::as_select()).first(conn).optional()
}

/// Records that the client obtained a token.
pub fn touch_client(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(api_clients::table.find(id)).set(api_clients::last_used_at.eq(at)).execute(conn).map(drop)
}
