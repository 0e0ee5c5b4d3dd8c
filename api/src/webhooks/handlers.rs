//! `/webhooks`: an organization's subscriptions to referral events and their delivery log.

use actix_web::{delete, get, post, web, HttpResponse};
use harbour_types::{Problem, WebhookDelivery, WebhookSubscription, WebhookSubscriptionInput};

use super::service;
use crate::auth::Principal;
use crate::error::{validate, ApiError};
use crate::state::AppState;

/// Subscribes the caller's organization to referral events (agency admins; API clients
/// with `webhooks:manage`). Deliveries are signed the Standard Webhooks way
/// (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256>` over
/// `id.timestamp.body` with the secret returned here once), retried with backoff, and
/// carry ids, event type and status only.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])),
    request_body = WebhookSubscriptionInput,
    responses(
        (status = 201, description = "Subscribed; `secret` is shown this once", body = WebhookSubscription),
        (status = 403, description = "Not an admin, or a client without webhooks:manage", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid URL or no events", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhooks")]
pub async fn create_subscription(state: web::Data<AppState>, principal: Principal, body: web::Json<WebhookSubscriptionInput>) -> Result<HttpResponse, ApiError> {
    validate(&*body)?;
    Ok(HttpResponse::Created().json(service::create(&state, principal, body.into_inner()).await?))
}

/// The caller's organization's subscriptions (without secrets).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])),
    responses(
        (status = 200, description = "Subscriptions", body = Vec<WebhookSubscription>),
        (status = 403, description = "Not allowed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks")]
pub async fn list_subscriptions(state: web::Data<AppState>, principal: Principal) -> Result<web::Json<Vec<WebhookSubscription>>, ApiError> {
    Ok(web::Json(service::list(&state, principal).await?))
}

/// Stops a subscription; what it had pending is not sent.
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])),
    params(("id" = String, Path, description = "The subscription's id")),
    responses(
        (status = 204, description = "Stopped"),
        (status = 404, description = "No such subscription of the caller's organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_subscription(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<HttpResponse, ApiError> {
    service::deactivate(&state, principal, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The delivery log of a subscription, newest first (the last 200).
#[utoipa::path(
    tag = "webhooks",
    security(("bearer" = []), ("client_credentials" = ["webhooks:manage"])),
    params(("id" = String, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "Deliveries", body = Vec<WebhookDelivery>),
        (status = 404, description = "No such subscription of the caller's organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(state: web::Data<AppState>, principal: Principal, id: web::Path<String>) -> Result<web::Json<Vec<WebhookDelivery>>, ApiError> {
    Ok(web::Json(service::deliveries(&state, principal, id.into_inner()).await?))
}
