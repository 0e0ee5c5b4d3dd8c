//! Reading what an index is built from: the active services, the category tree and
//! organization names, in chunks. The one part of the index that knows the database.

use chrono_tz::Tz;
use diesel::prelude::*;
use harbour_types::{OrganizationId, ServiceStatus};

use super::building::{Building, Context, Listing, Patch};
use super::{Index, Point};
use crate::db::schema::{organizations, services, taxonomy_terms};
use crate::db::DbConn;
use crate::directory::repo;
use crate::directory::service::service_dto;
use crate::directory::visibility::Viewer;
use crate::error::ApiError;

/// How many services are loaded from the database at a time while building.
const BUILD_CHUNK: usize = 500;

impl Context {
    /// The whole tree, and the names of these organizations (all with none given).
    fn load(conn: &mut DbConn, organization_ids: Option<&[OrganizationId]>) -> QueryResult<Context> {
        let parents = taxonomy_terms::table.select((taxonomy_terms::id, taxonomy_terms::parent_id)).load(conn)?.into_iter().collect();
        let mut names = organizations::table.select((organizations::id, organizations::name)).into_boxed();
        if let Some(ids) = organization_ids {
            names = names.filter(organizations::id.eq_any(ids.to_vec()));
        }
        Ok(Context { parents, organization_names: names.load(conn)?.into_iter().collect() })
    }
}

impl Index {
    /// Builds the index from every active service in the database.
    pub fn build(conn: &mut DbConn, time_zone: &str) -> Result<Index, ApiError> {
        let zone: Tz = time_zone.parse().map_err(|_| ApiError::Internal(format!("unknown time zone {time_zone}")))?;
        let context = Context::load(conn, None)?;
        let ids: Vec<String> = services::table.filter(services::status.eq(ServiceStatus::Active.code())).order(services::id.asc()).select(services::id).load(conn)?;
        let mut building = Building::new(zone);
        for chunk in ids.chunks(BUILD_CHUNK) {
            for aggregate in repo::load_services(conn, chunk)? {
                building.add(listing(&aggregate, zone), &context);
            }
        }
        Ok(building.finish())
    }

    /// What [`Index::patched`] needs from the database to put these services in afresh.
    pub fn load_patch(conn: &mut DbConn, ids: &[String], time_zone: &str) -> Result<Patch, ApiError> {
        let zone: Tz = time_zone.parse().map_err(|_| ApiError::Internal(format!("unknown time zone {time_zone}")))?;
        let services = repo::load_services(conn, ids)?;
        let organizations: Vec<OrganizationId> = services.iter().map(|s| s.row.organization_id.clone()).collect();
        let listings = services.iter().map(|aggregate| listing(aggregate, zone)).collect();
        Ok(Patch { ids: ids.to_vec(), context: Context::load(conn, Some(&organizations))?, listings })
    }
}

/// A loaded service as the index takes it: as its own organization sees it.
fn listing(aggregate: &repo::ServiceAggregate, zone: Tz) -> Listing {
    let service = service_dto(aggregate, Viewer::Partner(aggregate.row.organization_id.as_str()), zone.name());
    #[expect(clippy::cast_possible_truncation, reason = "a grid centre, kept to within a meter")]
    let points = aggregate
        .locations
        .iter()
        .filter_map(|(_, location)| {
            Some(Point {
                latitude: location.latitude?,
                longitude: location.longitude?,
                coarse: location.coarse_latitude.zip(location.coarse_longitude).map(|(latitude, longitude)| (latitude as f32, longitude as f32)),
                visibility: location.visibility(),
            })
        })
        .collect();
    Listing { service, points }
}
