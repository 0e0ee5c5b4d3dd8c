//! Curating the shared directory, for coordinators: the category tree and regions,
//! verifying listings, and finding the ones nobody has confirmed for too long.

use std::collections::HashMap;

use chrono::{Duration, Utc};
use harbour_types::{Page, PageRequest, Region, RegionInput, Service, StaleListing, TaxonomyTerm, TaxonomyTermInput};

use diesel::QueryResult;

use super::repo::{self, RegionRow, TermRow};
use super::search::DirectorySearch;
use super::service;
use crate::auth::{Permission, Principal};
use crate::db::DbConn;
use super::error::DirectoryError;
use crate::state::AppState;

fn code_is_well_formed(code: &str) -> bool {
    code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
}

/// Marks a listing verified now.
pub async fn verify(state: &AppState, principal: &Principal, id: String) -> Result<Service, DirectoryError> {
    principal.authorize(Permission::CurateDirectory)?;
    let lookup = id.clone();
    let found = state.db.run(move |conn| repo::verify_service(conn, &lookup, Utc::now().naive_utc()).map_err(DirectoryError::from)).await?;
    if !found {
        return Err(DirectoryError::NotFound("service"));
    }
    // Search does not show when a listing was verified: nothing to wait for. (The
    // revision moved, for the dashboards' stale listings; the poll rebuilds search.)
    service::get(state, super::visibility::Viewer::Partner(principal.organization_id.as_str()), id).await
}

/// Listings not verified within the configured number of days, oldest first.
pub async fn stale(state: &AppState, principal: &Principal, request: PageRequest) -> Result<Page<StaleListing>, DirectoryError> {
    principal.authorize(Permission::CurateDirectory)?;
    let before = Utc::now().naive_utc() - Duration::days(i64::from(state.settings.stale_after_days));
    let (offset, limit) = crate::db::page_bounds(request);
    let (rows, total) = state.db.run(move |conn| repo::stale_services(conn, before, offset, limit).map_err(DirectoryError::from)).await?;
    let listings = rows
        .into_iter()
        .map(|(service_id, name, organization_id, organization_name, verified_at, updated_at)| StaleListing {
            service_id,
            name,
            organization_id,
            organization_name,
            verified_at: verified_at.map(|t| t.and_utc()),
            last_modified: updated_at.and_utc(),
        })
        .collect();
    Ok(Page::new(listings, total.unsigned_abs(), request))
}

/// Checks a category change: a well-formed code, an existing parent, and no cycle.
fn check_term(parents: &HashMap<String, Option<String>>, id: &str, input: &TaxonomyTermInput) -> Result<(), DirectoryError> {
    if !code_is_well_formed(&input.code) {
        return Err(DirectoryError::BadCode);
    }
    let mut ancestor = input.parent_id.clone();
    for _ in 0..=parents.len() {
        match ancestor {
            None => return Ok(()),
            Some(ref parent) if parent == id => return Err(DirectoryError::UnderItself),
            Some(parent) => {
                ancestor = parents.get(&parent).cloned().ok_or(DirectoryError::UnknownParent)?;
            }
        }
    }
    Err(DirectoryError::Cycle)
}

/// A coordinator's change to the category tree or the regions: a new one, or a
/// replacement of the one with this id if nobody changed it since `version` was read.
pub enum Curated {
    New,
    Replacing { id: String, version: i32 },
}

impl Curated {
    fn id(&self) -> String {
        match self {
            Curated::New => uuid::Uuid::new_v4().to_string(),
            Curated::Replacing { id, .. } => id.clone(),
        }
    }

    fn next_version(&self) -> i32 {
        match self {
            Curated::New => 1,
            Curated::Replacing { version, .. } => version + 1,
        }
    }

    /// Writes a new row, or replaces the current one if it is still at the version read.
    /// When nothing was replaced, `exists` tells a row that is gone (404) from one someone
    /// else saved since (412): read only then, so a save that goes through reads nothing.
    fn write<Row>(
        &self,
        conn: &mut DbConn,
        what: &'static str,
        row: &Row,
        exists: impl FnOnce(&mut DbConn) -> QueryResult<bool>,
        insert: impl FnOnce(&mut DbConn, &Row) -> QueryResult<()>,
        update: impl FnOnce(&mut DbConn, &Row, i32) -> QueryResult<bool>,
    ) -> Result<(), DirectoryError> {
        let Curated::Replacing { version, .. } = self else {
            return Ok(insert(conn, row)?);
        };
        if update(conn, row, *version)? {
            return Ok(());
        }
        if exists(conn)? {
            Err(DirectoryError::Stale)
        } else {
            Err(DirectoryError::NotFound(what))
        }
    }
}

/// Adds or replaces a category, recording who and when.
pub async fn save_term(state: &AppState, search: &DirectorySearch, principal: &Principal, change: Curated, input: TaxonomyTermInput) -> Result<TaxonomyTerm, DirectoryError> {
    principal.authorize(Permission::CurateDirectory)?;
    let id = change.id();
    let row = TermRow {
        id: id.clone(),
        code: input.code.trim().to_owned(),
        parent_id: input.parent_id.clone(),
        name: input.name.trim().to_owned(),
        name_fr: input.name_fr.trim().to_owned(),
        description: input.description.trim().to_owned(),
        version: change.next_version(),
        updated_at: Some(Utc::now().naive_utc()),
        updated_by: Some(service::acting_user(principal)?),
    };
    let saved = row.clone();
    state
        .db
        .transaction(move |conn| {
            let parents: HashMap<String, Option<String>> = repo::term_parents(conn)?.into_iter().collect();
            check_term(&parents, &id, &input)?;
            change.write(conn, "taxonomy term", &row, |conn| Ok(repo::find_term(conn, &id)?.is_some()), repo::insert_term, repo::update_term)
        })
        .await?;
    service::reindex(state, search).await;
    Ok(service::term_dto(saved))
}

/// Adds or replaces a region, recording who and when.
pub async fn save_region(state: &AppState, search: &DirectorySearch, principal: &Principal, change: Curated, input: RegionInput) -> Result<Region, DirectoryError> {
    principal.authorize(Permission::CurateDirectory)?;
    if !input.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(DirectoryError::BadSlug);
    }
    let row = RegionRow {
        id: change.id(),
        slug: input.slug,
        name: input.name.trim().to_owned(),
        name_fr: input.name_fr.trim().to_owned(),
        version: change.next_version(),
        updated_at: Some(Utc::now().naive_utc()),
        updated_by: Some(service::acting_user(principal)?),
    };
    let saved = row.clone();
    state
        .db
        .transaction(move |conn| {
            let id = row.id.clone();
            change.write(conn, "region", &row, |conn| Ok(repo::find_region(conn, &id)?.is_some()), repo::insert_region, repo::update_region)
        })
        .await?;
    service::reindex(state, search).await;
    Ok(service::region_dto(saved))
}
