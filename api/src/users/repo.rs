//! Users and their roles in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{Role, User};

use crate::db::schema::{organizations, user_roles, users};
use crate::db::DbConn;

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub organization_id: String,
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
            organization_id: self.row.organization_id.clone(),
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

/// A new row of `users`.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub id: &'a str,
    pub organization_id: &'a str,
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub locale: &'a str,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Inserts a user and their roles. Call inside a transaction.
pub fn insert(conn: &mut DbConn, user: &NewUserRow<'_>, roles: &[Role]) -> QueryResult<()> {
    diesel::insert_into(users::table).values(user).execute(conn)?;
    for role in roles {
        diesel::insert_into(user_roles::table)
            .values((user_roles::user_id.eq(user.id), user_roles::role.eq(role.code())))
            .execute(conn)?;
    }
    Ok(())
}

fn roles_of(conn: &mut DbConn, user_ids: &[String]) -> QueryResult<Vec<(String, Role)>> {
    let rows: Vec<(String, String)> = user_roles::table
        .filter(user_roles::user_id.eq_any(user_ids))
        .select((user_roles::user_id, user_roles::role))
        .load(conn)?;
    // A role code this build does not know (written by a newer version) grants nothing.
    Ok(rows.into_iter().filter_map(|(id, code)| Role::from_code(&code).map(|r| (id, r))).collect())
}

fn accounts(conn: &mut DbConn, rows: Vec<(UserRow, String, bool)>) -> QueryResult<Vec<UserAccount>> {
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

fn with_organization() -> diesel::dsl::InnerJoin<users::table, organizations::table> {
    users::table.inner_join(organizations::table)
}

/// The user with this id.
pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserAccount>> {
    let row = with_organization()
        .filter(users::id.eq(id))
        .select((UserRow::as_select(), organizations::name, organizations::active))
        .first(conn)
        .optional()?;
    Ok(accounts(conn, row.into_iter().collect())?.pop())
}

/// The user with this e-mail address (stored lowercased).
pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<UserAccount>> {
    let row = with_organization()
        .filter(users::email.eq(email))
        .select((UserRow::as_select(), organizations::name, organizations::active))
        .first(conn)
        .optional()?;
    Ok(accounts(conn, row.into_iter().collect())?.pop())
}

/// One page of an organization's users, by name, and their total count.
pub fn list_for_organization(conn: &mut DbConn, organization_id: &str, offset: i64, limit: i64) -> QueryResult<(Vec<UserAccount>, i64)> {
    let total = users::table.filter(users::organization_id.eq(organization_id)).count().get_result(conn)?;
    let rows = with_organization()
        .filter(users::organization_id.eq(organization_id))
        .order((users::display_name.asc(), users::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((UserRow::as_select(), organizations::name, organizations::active))
        .load(conn)?;
    Ok((accounts(conn, rows)?, total))
}

/// Records a successful sign-in.
pub fn touch_sign_in(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id))).set(users::last_sign_in_at.eq(at)).execute(conn).map(drop)
}

/// Activates or deactivates a user.
pub fn set_active(conn: &mut DbConn, id: &str, active: bool, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((users::active.eq(active), users::updated_at.eq(at)))
        .execute(conn)
        .map(drop)
}

/// Replaces a user's password hash.
pub fn set_password(conn: &mut DbConn, id: &str, password_hash: &str, must_change: bool, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((users::password_hash.eq(password_hash), users::must_change_password.eq(must_change), users::updated_at.eq(at)))
        .execute(conn)
        .map(drop)
}
