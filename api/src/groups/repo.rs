//! The partnership's groups in the database: the group (`partner_groups`) and its
//! members (`group_members`), each an organization or a person.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{GroupKind, OrganizationId, RegionRef};

use crate::db::schema::{group_members, organizations, partner_groups, regions, users};
use crate::db::DbConn;

/// A row of `partner_groups`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = partner_groups, treat_none_as_null = true)]
pub struct GroupRow {
    pub id: String,
    pub kind: GroupKind,
    pub name: String,
    pub name_fr: String,
    pub description: String,
    pub description_fr: String,
    pub region_id: Option<String>,
    pub private_membership: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_by: Option<String>,
    pub updated_at: NaiveDateTime,
}

/// A row of `group_members`: `organization_id` or `user_id`, never both.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = group_members)]
pub struct MemberRow {
    pub id: String,
    pub group_id: String,
    pub organization_id: Option<OrganizationId>,
    pub user_id: Option<String>,
    pub co_chair: bool,
    pub added_by: Option<String>,
    pub added_at: NaiveDateTime,
}

/// A member with the names a group shows: the organization's (a person's own, for a
/// person), and the person's.
#[derive(Debug, Clone)]
pub struct NamedMember {
    pub row: MemberRow,
    pub organization_id: OrganizationId,
    pub organization_name: String,
    pub person_name: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &GroupRow) -> QueryResult<()> {
    diesel::insert_into(partner_groups::table).values(row).execute(conn).map(drop)
}

/// Rewrites the group if it is still at `expected`; false when someone else wrote first.
pub fn update(conn: &mut DbConn, row: &GroupRow, expected: i32) -> QueryResult<bool> {
    let changed = diesel::update(partner_groups::table.filter(partner_groups::id.eq(&row.id)).filter(partner_groups::version.eq(expected))).set(row).execute(conn)?;
    Ok(changed == 1)
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<GroupRow>> {
    partner_groups::table.find(id).select(GroupRow::as_select()).first(conn).optional()
}

/// Every group, by kind and then name.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<GroupRow>> {
    let mut rows = partner_groups::table.select(GroupRow::as_select()).order((partner_groups::name, partner_groups::id)).load(conn)?;
    rows.sort_by_key(|r| GroupKind::ALL.iter().position(|k| *k == r.kind));
    Ok(rows)
}

/// A region's English and French names.
pub fn region_names(conn: &mut DbConn, id: &str) -> QueryResult<Option<(String, String)>> {
    regions::table.find(id).select((regions::name, regions::name_fr)).first(conn).optional()
}

/// The regions of `groups`, named in English and French, by id: one query for a list.
pub fn regions_of(conn: &mut DbConn, groups: &[GroupRow]) -> QueryResult<std::collections::HashMap<String, RegionRef>> {
    let ids: Vec<&String> = groups.iter().filter_map(|g| g.region_id.as_ref()).collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let found: Vec<(String, String, String)> = regions::table.filter(regions::id.eq_any(ids)).select((regions::id, regions::name, regions::name_fr)).load(conn)?;
    Ok(found.into_iter().map(|(id, name, name_fr)| (id.clone(), RegionRef { id, name, name_fr })).collect())
}

/// The members of groups `ids`, organizations first and then people, each by name.
pub fn members(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<NamedMember>> {
    let organizations_in: Vec<(MemberRow, OrganizationId, String)> = group_members::table
        .inner_join(organizations::table.on(group_members::organization_id.eq(organizations::id.nullable())))
        .filter(group_members::group_id.eq_any(ids))
        .select((MemberRow::as_select(), organizations::id, organizations::name))
        .order((organizations::name, group_members::id))
        .load(conn)?;
    let people: Vec<(MemberRow, OrganizationId, String, String)> = group_members::table
        .inner_join(users::table.on(group_members::user_id.eq(users::id.nullable())))
        .inner_join(organizations::table.on(users::organization_id.eq(organizations::id)))
        .filter(group_members::group_id.eq_any(ids))
        .select((MemberRow::as_select(), organizations::id, organizations::name, users::display_name))
        .order((users::display_name, group_members::id))
        .load(conn)?;
    Ok(organizations_in
        .into_iter()
        .map(|(row, organization_id, organization_name)| NamedMember { row, organization_id, organization_name, person_name: None })
        .chain(people.into_iter().map(|(row, organization_id, organization_name, person)| NamedMember { row, organization_id, organization_name, person_name: Some(person) }))
        .collect())
}

/// The groups an organization belongs to, itself or through one of its people, each
/// with whether it (or one of its people) co-chairs.
pub fn of_organization(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<(String, bool)>> {
    let own: Vec<(String, bool)> = group_members::table
        .filter(group_members::organization_id.eq(organization_id))
        .select((group_members::group_id, group_members::co_chair))
        .load(conn)?;
    let through_people: Vec<(String, bool)> = group_members::table
        .inner_join(users::table.on(group_members::user_id.eq(users::id.nullable())))
        .filter(users::organization_id.eq(organization_id))
        .select((group_members::group_id, group_members::co_chair))
        .load(conn)?;
    let mut groups: Vec<(String, bool)> = Vec::new();
    for (group, co_chair) in own.into_iter().chain(through_people) {
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some(found) => found.1 |= co_chair,
            None => groups.push((group, co_chair)),
        }
    }
    Ok(groups)
}

pub fn find_member(conn: &mut DbConn, group_id: &str, id: &str) -> QueryResult<Option<MemberRow>> {
    group_members::table.filter(group_members::group_id.eq(group_id)).filter(group_members::id.eq(id)).select(MemberRow::as_select()).first(conn).optional()
}

pub fn insert_member(conn: &mut DbConn, row: &MemberRow) -> QueryResult<()> {
    diesel::insert_into(group_members::table).values(row).execute(conn).map(drop)
}

pub fn set_co_chair(conn: &mut DbConn, id: &str, co_chair: bool) -> QueryResult<()> {
    diesel::update(group_members::table.find(id)).set(group_members::co_chair.eq(co_chair)).execute(conn).map(drop)
}

pub fn delete_member(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::delete(group_members::table.find(id)).execute(conn).map(drop)
}

/// An active user's organization, if there is such a user.
pub fn active_user_organization(conn: &mut DbConn, id: &str) -> QueryResult<Option<OrganizationId>> {
    users::table.find(id).filter(users::active.eq(true)).select(users::organization_id).first(conn).optional()
}
