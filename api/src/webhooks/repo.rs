//! Subscriptions and their delivery log in the database. The outbox's writes and the
//! dispatcher's claims, which other modules' transactions and the background loop make,
//! are in [`super::outbox`] and [`super::dispatch`].

use diesel::prelude::*;
use harbour_types::{DeliveryStatus, OrganizationId};

use super::outbox::DeliveryRow;
use crate::db::schema::{webhook_deliveries, webhook_subscriptions};
use crate::db::DbConn;

/// How many deliveries a subscription's log shows, newest first.
const LOG_LENGTH: i64 = 200;

/// A subscription as stored, without its sealed secret.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = webhook_subscriptions)]
pub struct SubscriptionRow {
    pub id: String,
    pub organization_id: OrganizationId,
    pub url: String,
    /// Its event types, a JSON list of codes (the outbox's statement matches in it).
    pub event_types: String,
    pub active: bool,
    pub created_at: chrono::NaiveDateTime,
}

/// Stores a subscription with its sealed signing secret.
pub fn insert(conn: &mut DbConn, row: &SubscriptionRow, secret_sealed: &str) -> QueryResult<()> {
    diesel::insert_into(webhook_subscriptions::table).values((row, webhook_subscriptions::secret_sealed.eq(secret_sealed))).execute(conn).map(drop)
}

/// An organization's subscriptions, oldest first.
pub fn for_organization(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<SubscriptionRow>> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::organization_id.eq(organization_id))
        .order(webhook_subscriptions::created_at.asc())
        .select(SubscriptionRow::as_select())
        .load(conn)
}

/// Stops one of an organization's subscriptions and fails its pending deliveries;
/// false when it has none by that id. Call inside a transaction.
pub fn deactivate(conn: &mut DbConn, id: &str, organization_id: &OrganizationId) -> QueryResult<bool> {
    let changed = diesel::update(webhook_subscriptions::table.find(id).filter(webhook_subscriptions::organization_id.eq(organization_id)))
        .set(webhook_subscriptions::active.eq(false))
        .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::subscription_id.eq(id)).filter(webhook_deliveries::status.eq(DeliveryStatus::Pending)))
        .set((webhook_deliveries::status.eq(DeliveryStatus::Failed), webhook_deliveries::last_error.eq("the subscription was stopped")))
        .execute(conn)?;
    Ok(true)
}

/// Whether the organization has a subscription by this id.
pub fn owns(conn: &mut DbConn, id: &str, organization_id: &OrganizationId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(webhook_subscriptions::table.find(id).filter(webhook_subscriptions::organization_id.eq(organization_id)))).get_result(conn)
}

/// A subscription's latest deliveries, newest first.
pub fn log(conn: &mut DbConn, id: &str) -> QueryResult<Vec<DeliveryRow>> {
    webhook_deliveries::table
        .filter(webhook_deliveries::subscription_id.eq(id))
        .order(webhook_deliveries::created_at.desc())
        .limit(LOG_LENGTH)
        .select(DeliveryRow::as_select())
        .load(conn)
}
