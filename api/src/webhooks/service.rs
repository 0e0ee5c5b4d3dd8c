//! Subscriptions and the delivery log, for the subscribing organization.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::Utc;
use harbour_types::{WebhookDelivery, WebhookEvent, WebhookSubscription, WebhookSubscriptionInput};
use rand::RngCore as _;

use super::error::WebhookError;
use super::repo::{self, SubscriptionRow};
use crate::auth::{Permission, Principal};
use crate::state::AppState;

fn to_dto(row: SubscriptionRow, secret: Option<String>) -> Result<WebhookSubscription, WebhookError> {
    Ok(WebhookSubscription {
        event_types: crate::db::codes_from_json(&row.event_types, WebhookEvent::from_code)?,
        id: row.id,
        organization_id: row.organization_id.into(),
        url: row.url,
        active: row.active,
        created_at: row.created_at.and_utc(),
        secret,
    })
}

/// Subscribes the caller's organization; the answer carries the signing secret, once.
pub async fn create(state: &AppState, principal: Principal, input: WebhookSubscriptionInput) -> Result<WebhookSubscription, WebhookError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    if !(input.url.starts_with("https://") || input.url.starts_with("http://")) {
        return Err(WebhookError::NotHttpUrl);
    }
    let mut key = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut key);
    let secret = format!("whsec_{}", STANDARD.encode(key));
    let id = uuid::Uuid::new_v4().to_string();
    let sealed = state.keyring.seal(secret.as_bytes(), &super::secret_aad(&id));
    let mut codes: Vec<&str> = input.event_types.iter().map(|e| e.code()).collect();
    codes.sort_unstable();
    codes.dedup();
    let row = SubscriptionRow {
        id,
        organization_id: principal.organization_id.clone(),
        url: input.url,
        event_types: serde_json::to_string(&codes).unwrap_or_default(),
        active: true,
        created_at: Utc::now().naive_utc(),
    };
    let stored = row.clone();
    state.db.run(move |conn| repo::insert(conn, &stored, &sealed).map_err(WebhookError::from)).await?;
    to_dto(row, Some(secret))
}

/// The caller's organization's subscriptions.
pub async fn list(state: &AppState, principal: Principal) -> Result<Vec<WebhookSubscription>, WebhookError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    let organization_id = principal.organization_id.clone();
    let rows = state.db.run(move |conn| repo::for_organization(conn, &organization_id).map_err(WebhookError::from)).await?;
    rows.into_iter().map(|r| to_dto(r, None)).collect()
}

/// Stops a subscription (its pending deliveries are not sent).
pub async fn deactivate(state: &AppState, principal: Principal, id: String) -> Result<(), WebhookError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    let organization_id = principal.organization_id.clone();
    let stopped = state.db.transaction(move |conn| repo::deactivate(conn, &id, &organization_id).map_err(WebhookError::from)).await?;
    if stopped {
        Ok(())
    } else {
        Err(WebhookError::NotFound)
    }
}

/// The delivery log of one of the caller's organization's subscriptions, newest first.
pub async fn deliveries(state: &AppState, principal: Principal, id: String) -> Result<Vec<WebhookDelivery>, WebhookError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    let organization_id = principal.organization_id.clone();
    let rows = state
        .db
        .run(move |conn| {
            if !repo::owns(conn, &id, &organization_id)? {
                return Err(WebhookError::NotFound);
            }
            Ok(repo::log(conn, &id)?)
        })
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| WebhookDelivery {
            event_type: r.event_type,
            status: r.status,
            id: r.id,
            referral_id: r.event_type.code().starts_with("referral.").then(|| r.subject_id.clone()),
            conference_id: r.event_type.code().starts_with("conference.").then_some(r.subject_id),
            attempts: r.attempts,
            next_attempt_at: r.next_attempt_at.and_utc(),
            last_status_code: r.last_status_code,
            last_error: r.last_error,
            created_at: r.created_at.and_utc(),
            delivered_at: r.delivered_at.map(|d| d.and_utc()),
        })
        .collect())
}
