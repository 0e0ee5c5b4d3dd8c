//! Listing, creating and editing organizations.

use chrono::Utc;
use harbour_types::{Organization, OrganizationId, OrganizationInput, Page, PageRequest};

use super::error::OrganizationError;
use super::repo::{self, OrganizationRow};
use crate::auth::{AccountCache, Permission, Principal};
use crate::error::validate;
use crate::state::AppState;

/// One page of organizations.
pub async fn list(state: &AppState, request: PageRequest) -> Result<Page<Organization>, OrganizationError> {
    let (offset, limit) = crate::db::page_bounds(request);
    let (rows, total) = state.db.run(move |conn| repo::list(conn, offset, limit).map_err(OrganizationError::from)).await?;
    Ok(Page::new(rows.iter().map(OrganizationRow::to_dto).collect(), total.unsigned_abs(), request))
}

/// Every organization whose name or description has `words` (forgiving as the
/// directory search is), by name. The partnership's organizations are a short list.
pub async fn find(state: &AppState, words: &str) -> Result<Vec<Organization>, OrganizationError> {
    let words: Vec<String> = crate::directory::search::text::words(words).collect();
    let (rows, _) = state.db.run(|conn| repo::list(conn, 0, i64::MAX).map_err(OrganizationError::from)).await?;
    Ok(rows.iter().filter(|o| crate::directory::search::text::finds(&words, &format!("{} {}", o.name, o.description))).map(OrganizationRow::to_dto).collect())
}

/// One organization.
pub async fn get(state: &AppState, id: OrganizationId) -> Result<Organization, OrganizationError> {
    let row = state.db.run(move |conn| repo::find(conn, &id).map_err(OrganizationError::from)).await?;
    row.map(|r| r.to_dto()).ok_or(OrganizationError::NotFound)
}

/// Creates an organization. A taken slug is a 409.
pub async fn create(state: &AppState, principal: &Principal, input: OrganizationInput) -> Result<Organization, OrganizationError> {
    principal.authorize(Permission::ManageOrganizations)?;
    validate(&input)?;
    let row = OrganizationRow::new(uuid::Uuid::new_v4().to_string(), &input, Utc::now().naive_utc());
    let dto = row.to_dto();
    state.db.run(move |conn| repo::insert(conn, &row).map_err(OrganizationError::from)).await?;
    Ok(dto)
}

/// Replaces an organization's details.
pub async fn update(state: &AppState, recent: &AccountCache, principal: &Principal, id: OrganizationId, input: OrganizationInput) -> Result<Organization, OrganizationError> {
    principal.authorize(Permission::EditOrganization(&id))?;
    validate(&input)?;
    let organization = state
        .db
        .transaction(move |conn| {
            if repo::update(conn, &id, &input, Utc::now().naive_utc())? == 0 {
                return Err(OrganizationError::NotFound);
            }
            repo::find(conn, &id)?.map(|r| r.to_dto()).ok_or(OrganizationError::NotFound)
        })
        .await?;
    // Deactivating an organization takes every one of its accounts' rights away.
    recent.forget_all();
    Ok(organization)
}
