//! Users and their roles in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{OrganizationId, Role};

use crate::auth::accounts::{with_organization, with_roles, UserAccount, UserRow};
use crate::db::schema::{organizations, user_roles, users};
use crate::db::DbConn;

/// A new row of `users`.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub id: &'a str,
    pub organization_id: &'a OrganizationId,
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
            .values((user_roles::user_id.eq(user.id), user_roles::role.eq(role)))
            .execute(conn)?;
    }
    Ok(())
}

/// One page of an organization's users, by name, and their total count.
pub fn list_for_organization(conn: &mut DbConn, organization_id: &OrganizationId, offset: i64, limit: i64) -> QueryResult<(Vec<UserAccount>, i64)> {
    let total = users::table.filter(users::organization_id.eq(organization_id)).count().get_result(conn)?;
    let rows = with_organization()
        .filter(users::organization_id.eq(organization_id))
        .order((users::display_name.asc(), users::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((UserRow::as_select(), organizations::name, organizations::active))
        .load(conn)?;
    Ok((with_roles(conn, rows)?, total))
}

/// Activates or deactivates a user.
pub fn set_active(conn: &mut DbConn, id: &str, active: bool, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((users::active.eq(active), users::updated_at.eq(at)))
        .execute(conn)
        .map(drop)
}

/// The display names of these users, by id (no query for none).
pub fn names(conn: &mut DbConn, ids: &[String]) -> QueryResult<std::collections::HashMap<String, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(users::table.filter(users::id.eq_any(ids)).select((users::id, users::display_name)).load::<(String, String)>(conn)?.into_iter().collect())
}

/// The addresses of those who answer for an organization towards its partners: its
/// active intake workers and agency admins (told of referrals waiting and of case
/// conferences they are invited to).
pub fn partner_desk(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<String>> {
    users::table
        .inner_join(user_roles::table)
        .filter(users::organization_id.eq(organization_id))
        .filter(users::active.eq(true))
        .filter(user_roles::role.eq_any([Role::IntakeWorker, Role::AgencyAdmin]))
        .select(users::email)
        .distinct()
        .load(conn)
}
