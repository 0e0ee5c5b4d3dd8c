//! Creating, listing and revoking an organization's API clients.

use chrono::Utc;
use harbour_types::{ApiClient, ApiClientWithSecret, NewApiClient, OrganizationId};

use super::error::ApiClientError;
use super::repo;
use crate::auth::accounts::{self, ApiClientRow};
use crate::auth::{password, AccountCache, Permission, Principal};
use crate::error::validate;
use crate::state::AppState;

/// An organization's clients.
pub async fn list(state: &AppState, principal: &Principal, organization_id: OrganizationId) -> Result<Vec<ApiClient>, ApiClientError> {
    principal.authorize(Permission::ManageApiClientsOf(&organization_id))?;
    let rows = state.db.run(move |conn| repo::list_for_organization(conn, &organization_id).map_err(ApiClientError::from)).await?;
    Ok(rows.iter().map(ApiClientRow::to_dto).collect())
}

/// Creates a client; its secret is returned once and only its hash is kept.
pub async fn create(state: &AppState, principal: &Principal, organization_id: OrganizationId, input: NewApiClient) -> Result<ApiClientWithSecret, ApiClientError> {
    principal.authorize(Permission::ManageApiClientsOf(&organization_id))?;
    validate(&input)?;
    let secret = password::random_token();
    let row = ApiClientRow {
        id: uuid::Uuid::new_v4().to_string(),
        organization_id,
        name: input.name.trim().to_owned(),
        client_id: format!("hc_{}", uuid::Uuid::new_v4().simple()),
        secret_hash: password::sha256_hex(&secret),
        scopes: accounts::scopes_text(&input.scopes),
        active: true,
        created_at: Utc::now().naive_utc(),
        last_used_at: None,
    };
    let client = row.to_dto();
    state.db.run(move |conn| repo::insert(conn, &row).map_err(ApiClientError::from)).await?;
    Ok(ApiClientWithSecret { client, client_secret: secret })
}

/// Revokes a client of an organization the principal manages; others read as absent.
pub async fn revoke(state: &AppState, recent: &AccountCache, principal: &Principal, id: String) -> Result<(), ApiClientError> {
    let lookup = id.clone();
    let client = state.db.run(move |conn| accounts::find_client(conn, &lookup).map_err(ApiClientError::from)).await?.ok_or(ApiClientError::NotFound)?;
    principal.authorize_owned(Permission::ManageApiClientsOf(&client.organization_id), &client.organization_id, "API client")?;
    state.db.run(move |conn| repo::deactivate(conn, &id).map_err(ApiClientError::from)).await?;
    recent.forget_all();
    Ok(())
}
