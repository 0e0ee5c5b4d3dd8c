//! Subscriptions and the delivery log, for the subscribing organization.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::Utc;
use diesel::prelude::*;
use harbour_types::{DeliveryStatus, WebhookDelivery, WebhookEvent, WebhookSubscription, WebhookSubscriptionInput};
use rand::RngCore as _;

use super::outbox::DeliveryRow;
use crate::auth::{Permission, Principal};
use crate::db::schema::{webhook_deliveries, webhook_subscriptions};
use crate::error::ApiError;
use crate::state::AppState;

/// A subscription as stored, without its sealed secret.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_subscriptions)]
struct SubscriptionRow {
    id: String,
    organization_id: String,
    url: String,
    event_types: String,
    active: bool,
    created_at: chrono::NaiveDateTime,
}

fn to_dto(row: SubscriptionRow, secret: Option<String>) -> WebhookSubscription {
    let codes: Vec<String> = serde_json::from_str(&row.event_types).unwrap_or_default();
    WebhookSubscription {
        id: row.id,
        organization_id: row.organization_id,
        url: row.url,
        event_types: codes.iter().filter_map(|c| WebhookEvent::from_code(c)).collect(),
        active: row.active,
        created_at: row.created_at.and_utc(),
        secret,
    }
}

/// Subscribes the caller's organization; the answer carries the signing secret, once.
pub async fn create(state: &AppState, principal: Principal, input: WebhookSubscriptionInput) -> Result<WebhookSubscription, ApiError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    if !(input.url.starts_with("https://") || input.url.starts_with("http://")) {
        return Err(ApiError::invalid("/url", "url", "must be an http or https URL"));
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
    state
        .db
        .run(move |conn| {
            diesel::insert_into(webhook_subscriptions::table)
                .values((&stored, webhook_subscriptions::secret_sealed.eq(&sealed)))
                .execute(conn)
                .map_err(ApiError::from)
        })
        .await?;
    Ok(to_dto(row, Some(secret)))
}

/// The caller's organization's subscriptions.
pub async fn list(state: &AppState, principal: Principal) -> Result<Vec<WebhookSubscription>, ApiError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    let organization_id = principal.organization_id.clone();
    let rows: Vec<SubscriptionRow> = state
        .db
        .run(move |conn| {
            webhook_subscriptions::table
                .filter(webhook_subscriptions::organization_id.eq(organization_id))
                .order(webhook_subscriptions::created_at.asc())
                .select(SubscriptionRow::as_select())
                .load(conn)
                .map_err(ApiError::from)
        })
        .await?;
    Ok(rows.into_iter().map(|r| to_dto(r, None)).collect())
}

/// Stops a subscription (its pending deliveries are not sent).
pub async fn deactivate(state: &AppState, principal: Principal, id: String) -> Result<(), ApiError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    let organization_id = principal.organization_id.clone();
    state
        .db
        .run(move |conn| {
            let changed = diesel::update(webhook_subscriptions::table.find(&id).filter(webhook_subscriptions::organization_id.eq(&organization_id)))
                .set(webhook_subscriptions::active.eq(false))
                .execute(conn)?;
            if changed == 0 {
                return Err(ApiError::NotFound("no such subscription".into()));
            }
            diesel::update(webhook_deliveries::table.filter(webhook_deliveries::subscription_id.eq(&id)).filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.code())))
                .set((webhook_deliveries::status.eq(DeliveryStatus::Failed.code()), webhook_deliveries::last_error.eq("the subscription was stopped")))
                .execute(conn)?;
            Ok(())
        })
        .await
}

/// The delivery log of one of the caller's organization's subscriptions, newest first.
pub async fn deliveries(state: &AppState, principal: Principal, id: String) -> Result<Vec<WebhookDelivery>, ApiError> {
    principal.authorize(Permission::ManageWebhooksOf(&principal.organization_id))?;
    let organization_id = principal.organization_id.clone();
    let rows: Vec<DeliveryRow> = state
        .db
        .run(move |conn| {
            let owned: bool = diesel::select(diesel::dsl::exists(
                webhook_subscriptions::table.find(&id).filter(webhook_subscriptions::organization_id.eq(&organization_id)),
            ))
            .get_result(conn)?;
            if !owned {
                return Err(ApiError::NotFound("no such subscription".into()));
            }
            webhook_deliveries::table
                .filter(webhook_deliveries::subscription_id.eq(&id))
                .order(webhook_deliveries::created_at.desc())
                .limit(200)
                .select(DeliveryRow::as_select())
                .load(conn)
                .map_err(ApiError::from)
        })
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(WebhookDelivery {
                event_type: WebhookEvent::from_code(&r.event_type)?,
                status: DeliveryStatus::from_code(&r.status)?,
                id: r.id,
                referral_id: r.referral_id,
                attempts: r.attempts,
                next_attempt_at: r.next_attempt_at.and_utc(),
                last_status_code: r.last_status_code,
                last_error: r.last_error,
                created_at: r.created_at.and_utc(),
                delivered_at: r.delivered_at.map(|d| d.and_utc()),
            })
        })
        .collect())
}
