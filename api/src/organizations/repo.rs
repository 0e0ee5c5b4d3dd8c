//! Organizations in the database.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{Organization, OrganizationId, OrganizationInput, Sector};

use crate::db::schema::organizations;
use crate::db::DbConn;
use crate::directory::repo::{bump_revision, services_of, Changed};

/// A row of `organizations`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = organizations, treat_none_as_null = true)]
pub struct OrganizationRow {
    pub id: OrganizationId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub sector: String,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub active: bool,
    pub verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl OrganizationRow {
    /// A new row from validated input.
    pub fn new(id: String, input: &OrganizationInput, at: NaiveDateTime) -> OrganizationRow {
        OrganizationRow {
            id: id.into(),
            slug: input.slug.clone(),
            name: input.name.trim().to_owned(),
            description: input.description.trim().to_owned(),
            sector: input.sector.code().to_owned(),
            website: input.website.clone(),
            email: input.email.clone(),
            phone: input.phone.clone(),
            active: true,
            verified_at: None,
            created_at: at,
            updated_at: at,
        }
    }

    /// The organization as partners see it.
    pub fn to_dto(&self) -> Organization {
        Organization {
            id: self.id.to_string(),
            slug: self.slug.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            // Sectors are written only from the enum; an unknown one reads as community.
            sector: Sector::from_code(&self.sector).unwrap_or(Sector::Community),
            website: self.website.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            active: self.active,
            services: None,
        }
    }
}

/// One page of organizations by name, and the total count.
pub fn list(conn: &mut DbConn, offset: i64, limit: i64) -> QueryResult<(Vec<OrganizationRow>, i64)> {
    let total = organizations::table.count().get_result(conn)?;
    let rows = organizations::table
        .order((organizations::name.asc(), organizations::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(OrganizationRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The organization with this id.
pub fn find(conn: &mut DbConn, id: &OrganizationId) -> QueryResult<Option<OrganizationRow>> {
    organizations::table.find(id).select(OrganizationRow::as_select()).first(conn).optional()
}

/// Stores a new organization.
pub fn insert(conn: &mut DbConn, row: &OrganizationRow) -> QueryResult<()> {
    bump_revision(conn, Changed::Services(&[]))?; // a new organization has no services yet
    diesel::insert_into(organizations::table).values(row).execute(conn).map(drop)
}

/// Replaces an organization's details.
pub fn update(conn: &mut DbConn, id: &OrganizationId, input: &OrganizationInput, at: NaiveDateTime) -> QueryResult<usize> {
    let changed = services_of(conn, id)?;
    bump_revision(conn, Changed::Services(&changed))?; // organization names are searched
    diesel::update(organizations::table.find(id))
        .set((
            organizations::slug.eq(&input.slug),
            organizations::name.eq(input.name.trim()),
            organizations::description.eq(input.description.trim()),
            organizations::sector.eq(input.sector.code()),
            organizations::website.eq(&input.website),
            organizations::email.eq(&input.email),
            organizations::phone.eq(&input.phone),
            organizations::updated_at.eq(at),
        ))
        .execute(conn)
}

/// Writes an organization row whole: updates it when the id exists, inserts it otherwise.
pub fn save(conn: &mut DbConn, row: &OrganizationRow) -> QueryResult<()> {
    let changed = services_of(conn, &row.id)?;
    bump_revision(conn, Changed::Services(&changed))?; // organization names are searched
    if diesel::update(organizations::table.find(&row.id)).set(row).execute(conn)? == 0 {
        insert(conn, row)?;
    }
    Ok(())
}

/// The names of these organizations, by id (no query for none).
pub fn names(conn: &mut DbConn, ids: &[OrganizationId]) -> QueryResult<std::collections::HashMap<OrganizationId, String>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(organizations::table.filter(organizations::id.eq_any(ids)).select((organizations::id, organizations::name)).load::<(OrganizationId, String)>(conn)?.into_iter().collect())
}
