//! Where places are: distance on the earth, the coarse point a hidden place is measured
//! by, and HSDS's `postcode` and `proximity` on the list of services at their locations.
//!
//! A place a reader may not see (`visibility::shows_place`) is measured, for that reader,
//! from its coarse point and never from its coordinates: any answer computed from the
//! coordinates (a distance however rounded, in or out of a radius, nearer or farther
//! than another service) lets someone who asks from many points find them.
//!
//! Harbour has no postcode database (nothing may be fetched at run time, and none comes
//! with the partnership's data), so a postcode's centroid is the middle of the public
//! places the directory knows in it, or, when no place has that full code, in its
//! forward sortation area (its first three characters: a town or a part of a city).
//! Only public places count, for every reader: a centroid must never move with a safe
//! house. And a place whose address this reader may not see is never in an area's
//! results, since being in or out of an area would tell where it is.

use super::repo::{self, LinkRow, LocationRow, PlaceBounds, ServiceFilter};
use super::visibility::{shows_place, Viewer};
use crate::db::DbConn;
use crate::error::ApiError;

const EARTH_RADIUS_KM: f64 = 6371.0;
/// No two points a degree of latitude apart are closer than this (on the sphere
/// `haversine_km` measures on): what bounding boxes are drawn with.
const KM_PER_DEGREE_OF_LATITUDE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;
/// The farthest `proximity` Harbour takes, in meters: across the province and more, and
/// a bound on how many places one request reads.
const MAX_PROXIMITY_M: f64 = 1_000_000.0;
/// A forward sortation area: the first three characters of a Canadian postal code.
const AREA_LENGTH: usize = 3;

/// The grid coarse points are the cells' centres of: a tenth of a degree of latitude
/// (11.1 km) by fifteen hundredths of longitude (11.9 km in Halifax, 11.0 km in
/// Vancouver; at least 5 km up to 70°N). About a town, or a part of a city, across.
const COARSE_LATITUDE_STEP: f64 = 0.1;
const COARSE_LONGITUDE_STEP: f64 = 0.15;
/// A place moved this far, in cell widths, from its coarse point (but no farther) keeps
/// it: a move of a few hundred meters across a cell's edge must not tell anyone that it
/// moved, or which way. (A point starts at most half a width from its cell's centre.)
const COARSE_KEPT_WITHIN: f64 = 0.75;

/// The coarse point of a place at `exact`, given the one it had (`kept`): the centre of
/// its grid cell, or the point it had while it has not moved far from it. The grid is
/// the same as the migration that placed the locations saved before it
/// (`2026-12-06-000020_coarse_points`) computes.
pub fn coarse_point(exact: Option<(f64, f64)>, kept: Option<(f64, f64)>) -> Option<(f64, f64)> {
    let (latitude, longitude) = exact?;
    if let Some((kept_latitude, kept_longitude)) = kept {
        if (latitude - kept_latitude).abs() <= COARSE_KEPT_WITHIN * COARSE_LATITUDE_STEP && (longitude - kept_longitude).abs() <= COARSE_KEPT_WITHIN * COARSE_LONGITUDE_STEP {
            return kept;
        }
    }
    let centre = |degrees: f64, step: f64| ((degrees / step).floor() + 0.5) * step;
    Some((centre(latitude, COARSE_LATITUDE_STEP), centre(longitude, COARSE_LONGITUDE_STEP)))
}

/// A (latitude, longitude) point distances are measured from, with what every
/// measurement from it shares worked out once: a search measures from one point to
/// thousands of places.
#[derive(Debug, Clone, Copy)]
pub struct Origin {
    point: (f64, f64),
    cos_latitude: f64,
    /// With a reach: how many degrees north–south and east–west a place within it can lie.
    spans: Option<(f64, f64)>,
    /// With a reach: the rows and columns of the tiles a place within it can lie in.
    tiles: Option<((u16, u16), (u16, u16))>,
}

impl Origin {
    /// From `point`, for places within `reach_km` (any distance without).
    pub fn new(point: (f64, f64), reach_km: Option<f64>) -> Origin {
        let spans = reach_km.map(|km| spans(point.0, km));
        let tiles = spans.map(|(north_south, east_west)| {
            let (south, west) = Tile::row_and_column((point.0 - north_south, point.1 - east_west));
            let (north, east) = Tile::row_and_column((point.0 + north_south, point.1 + east_west));
            ((south, north), (west, east))
        });
        Origin { point, cos_latitude: point.0.to_radians().cos(), spans, tiles }
    }

    /// False for a service whose places all lie in a tile beyond the reach, told by two
    /// small numbers, before its places are read (see [`Tile`]).
    pub fn may_reach_tile(&self, tile: Tile) -> bool {
        let Some(((south, north), (west, east))) = self.tiles else { return true };
        match tile {
            Tile::SCATTERED => true,
            Tile::NOWHERE => false,
            Tile(n) => (south..=north).contains(&(n / Tile::COLUMNS)) && (west..=east).contains(&(n % Tile::COLUMNS)),
        }
    }

    /// False for a place certainly beyond the reach, told by degrees alone: without the
    /// trigonometry of `km_to`, most of a "near me" search's time when it measured every
    /// place. (Harbour's partnerships are far from the 180th meridian, where degrees of
    /// longitude wrap.)
    pub fn may_reach(&self, (latitude, longitude): (f64, f64)) -> bool {
        self.spans.is_none_or(|(north_south, east_west)| (latitude - self.point.0).abs() <= north_south && (longitude - self.point.1).abs() <= east_west)
    }

    /// The great-circle distance to a place, in km (haversine).
    pub fn km_to(&self, (latitude, longitude): (f64, f64)) -> f64 {
        let (lat1, lon1, lat2, lon2) = (self.point.0.to_radians(), self.point.1.to_radians(), latitude.to_radians(), longitude.to_radians());
        let h = ((lat2 - lat1) / 2.0).sin().powi(2) + self.cos_latitude * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
    }
}

/// Where on the map a service's places lie, coarsely: the square of one degree of
/// latitude by one of longitude they all lie in. A "near me" search with a radius tells
/// most services beyond it by their tile, a two-byte number per service kept in a small
/// array, without reading their places from memory (most of such a search's time was
/// waiting for them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile(u16);

impl Tile {
    const COLUMNS: u16 = 360;
    /// A service without a located place: never within a radius.
    pub const NOWHERE: Tile = Tile(u16::MAX);
    /// A service with places in more than one tile: its places are measured.
    pub const SCATTERED: Tile = Tile(u16::MAX - 1);

    /// The tile of a point's row (from the south pole) and column (from the antimeridian).
    fn row_and_column((latitude, longitude): (f64, f64)) -> (u16, u16) {
        // Within bounds, so the casts neither wrap nor saturate.
        ((latitude + 90.0).floor().clamp(0.0, 179.0) as u16, (longitude + 180.0).floor().clamp(0.0, 359.0) as u16)
    }

    /// The tile all these places lie in.
    pub fn of_places(places: impl IntoIterator<Item = (f64, f64)>) -> Tile {
        places.into_iter().map(|place| {
            let (row, column) = Tile::row_and_column(place);
            Tile(row * Tile::COLUMNS + column)
        }).reduce(|a, b| if a == b { a } else { Tile::SCATTERED }).unwrap_or(Tile::NOWHERE)
    }
}

/// How many degrees north–south and east–west a place within `km` of a centre at
/// `latitude` can lie. Degrees of longitude shrink towards the poles, so east–west is
/// measured at the latitude nearest the pole such a place can have (the floor keeps it
/// finite at the pole).
fn spans(latitude: f64, km: f64) -> (f64, f64) {
    let north_south = km / KM_PER_DEGREE_OF_LATITUDE;
    let poleward = (latitude.abs() + north_south).min(90.0);
    (north_south, km / (KM_PER_DEGREE_OF_LATITUDE * poleward.to_radians().cos().max(0.01)))
}

/// A postal code as people write it, any case and spacing, reduced to its letters and
/// digits: "b3j 1a1" → "B3J1A1".
pub fn normalize_postcode(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// A postal code as it is kept: trimmed, in upper case (so a search by postcode finds it
/// the same way on both databases, whose `LIKE` differ on case).
pub fn stored_postcode(text: &str) -> String {
    text.trim().to_ascii_uppercase()
}

/// The area HSDS's `postcode` and `proximity` ask for.
#[derive(Debug, Clone)]
pub struct PostcodeArea {
    /// The postcode, normalized: a full code, or any start of one of at least three characters.
    postcode: String,
    /// Meters around the postcode's centroid; without it, the places in the postcode itself.
    proximity_m: Option<f64>,
}

impl PostcodeArea {
    /// Reads the two query parameters: none when neither is given.
    pub fn from_query(postcode: Option<&str>, proximity: Option<&str>) -> Result<Option<PostcodeArea>, ApiError> {
        let postcode = postcode.map(normalize_postcode).filter(|p| !p.is_empty());
        let proximity_m = match proximity.map(str::trim).filter(|p| !p.is_empty()) {
            None => None,
            Some(text) => match text.parse::<f64>() {
                Ok(meters) if meters > 0.0 && meters <= MAX_PROXIMITY_M => Some(meters),
                _ => return Err(ApiError::invalid("/proximity", "range", "must be a distance in meters, above 0 and at most 1000000")),
            },
        };
        match (postcode, proximity_m) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(ApiError::invalid("/proximity", "needs_postcode", "proximity is measured from a postcode: give postcode too")),
            (Some(postcode), _) if !(AREA_LENGTH..=10).contains(&postcode.len()) => {
                Err(ApiError::invalid("/postcode", "postcode", "must be a postal code, or at least its first three characters"))
            }
            (Some(postcode), proximity_m) => Ok(Some(PostcodeArea { postcode, proximity_m })),
        }
    }

    fn area_code(&self) -> &str {
        &self.postcode[..AREA_LENGTH]
    }

    fn has_code(&self, postal_code: Option<&str>) -> bool {
        postal_code.is_some_and(|code| normalize_postcode(code).starts_with(&self.postcode))
    }

    /// The links `filter` picks in this area: nearest first from the centroid with a
    /// proximity, each place where this viewer is to measure it from (see [`measured_at`]);
    /// by id without, and then only the places this viewer may see, since a postal code
    /// is part of the address.
    pub fn links(&self, conn: &mut DbConn, filter: &ServiceFilter, viewer: Viewer<'_>) -> Result<Vec<LinkRow>, ApiError> {
        let seen = |row: &LinkRow| shows_place(row.2.visibility(), row.2.organization_id.as_str(), viewer);
        let Some(meters) = self.proximity_m else {
            let rows = repo::service_at_locations_placed(conn, filter, &PlaceBounds::PostcodeStart(self.area_code().to_owned()))?;
            return Ok(rows.into_iter().filter(|row| seen(row) && self.has_code(row.2.postal_code.as_deref())).collect());
        };
        let centre = self.centroid(conn)?;
        let km = meters / 1000.0;
        let origin = Origin::new(centre, Some(km));
        let rows = repo::service_at_locations_placed(conn, filter, &bounding_box(centre, km))?;
        let mut near: Vec<(f64, LinkRow)> = rows
            .into_iter()
            .filter_map(|row| Some((origin.km_to(measured_at(&row.2, viewer)?), row)))
            .filter(|(distance, _)| *distance <= km)
            .collect();
        near.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1 .0.cmp(&b.1 .0)));
        Ok(near.into_iter().map(|(_, row)| row).collect())
    }

    /// The middle of the public places Harbour knows in the postcode, else in its area.
    fn centroid(&self, conn: &mut DbConn) -> Result<(f64, f64), ApiError> {
        let places = repo::public_points_in(conn, self.area_code())?;
        let in_postcode: Vec<(f64, f64)> = places.iter().filter(|(code, ..)| self.has_code(code.as_deref())).map(|(_, lat, lon)| (*lat, *lon)).collect();
        let points = if in_postcode.is_empty() { places.iter().map(|(_, lat, lon)| (*lat, *lon)).collect() } else { in_postcode };
        if points.is_empty() {
            return Err(ApiError::invalid("/postcode", "unknown_postcode", "no public place in the directory has this postcode or its area, so there is nothing to measure from"));
        }
        let count = points.len() as f64;
        let (lat, lon) = points.iter().fold((0.0, 0.0), |sum, p| (sum.0 + p.0, sum.1 + p.1));
        Ok((lat / count, lon / count))
    }
}

/// Where this viewer is to measure a place from: its coordinates when they may see it,
/// else its coarse point (see [`coarse_point`]).
pub fn measured_at(location: &LocationRow, viewer: Viewer<'_>) -> Option<(f64, f64)> {
    if shows_place(location.visibility(), location.organization_id.as_str(), viewer) {
        location.latitude.zip(location.longitude)
    } else {
        location.coarse_latitude.zip(location.coarse_longitude)
    }
}

/// A box around a circle of `km` about `centre`, for the database to narrow by before
/// the distance is measured: a place is in it by its coordinates or its coarse point.
fn bounding_box((latitude, longitude): (f64, f64), km: f64) -> PlaceBounds {
    let (lat_span, lon_span) = spans(latitude, km);
    PlaceBounds::Box { south: latitude - lat_span, north: latitude + lat_span, west: longitude - lon_span, east: longitude + lon_span }
}

#[cfg(test)]
mod tests {
    use super::{coarse_point, normalize_postcode, Origin, PostcodeArea, Tile};

    #[test]
    fn a_coarse_point_is_a_cell_centre_that_stays_while_the_place_moves_a_little() {
        let bridgewater = (44.3777, -64.5183);
        let centre = coarse_point(Some(bridgewater), None).expect("a located place has one");
        assert!((centre.0 - 44.35).abs() < 1e-9 && (centre.1 - -64.575).abs() < 1e-9, "{centre:?}");
        // Every place in the cell has that centre; none is farther than half the cell's diagonal.
        for (north, east) in [(0.0, 0.0), (0.049, 0.074), (-0.049, -0.074), (0.02, -0.07)] {
            let place = (centre.0 + north, centre.1 + east);
            assert_eq!(coarse_point(Some(place), None), Some(centre), "{place:?}");
            assert!(Origin::new(place, None).km_to(centre) < 8.2);
        }
        // The cells are at least 5 km across, north–south and east–west, up to 70°N.
        for latitude in [43.0, 44.65, 49.3, 60.0, 70.0] {
            let west = Origin::new((latitude, -64.5), None);
            assert!(west.km_to((latitude, -64.35)) > 5.0 && west.km_to((latitude + 0.1, -64.5)) > 5.0, "{latitude}");
        }
        // Moved 500 m across the cell's edge, a place keeps its point; moved across the
        // province, it takes its new cell's.
        let by_the_edge = (44.3999, -64.5);
        let kept = coarse_point(Some(by_the_edge), None);
        assert_eq!(coarse_point(Some((44.4044, -64.5)), kept), kept);
        assert_eq!(coarse_point(Some((45.3650, -63.2800)), kept), coarse_point(Some((45.3650, -63.2800)), None));
        assert_eq!(coarse_point(None, kept), None, "a place without coordinates has none");
    }

    #[test]
    fn postcodes_are_read_as_people_write_them() {
        assert_eq!(normalize_postcode(" b3j 1a1 "), "B3J1A1");
        let area = PostcodeArea::from_query(Some("b3j-1a1"), Some("2500")).ok().flatten().expect("a postcode and a proximity");
        assert!(area.has_code(Some("B3J 1A1")) && !area.has_code(Some("B3J 1A2")) && !area.has_code(None));
        assert_eq!(area.area_code(), "B3J");
        assert!(matches!(PostcodeArea::from_query(None, None), Ok(None)));
        assert!(PostcodeArea::from_query(None, Some("100")).is_err(), "proximity needs a postcode");
        assert!(PostcodeArea::from_query(Some("B3"), None).is_err(), "too short to name an area");
        for bad in ["0", "-5", "far", "2000000"] {
            assert!(PostcodeArea::from_query(Some("B3J"), Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn halifax_to_truro_is_about_eighty_km() {
        let (halifax, truro) = ((44.6488, -63.5752), (45.3650, -63.2800));
        let km = Origin::new(halifax, None).km_to(truro);
        assert!((80.0..84.0).contains(&km), "{km}");
        // The box a reach draws keeps every place within it, and leaves out places well
        // beyond it, north or east.
        assert!(Origin::new(halifax, Some(km + 0.1)).may_reach(truro) && !Origin::new(halifax, Some(km * 0.9)).may_reach(truro));
        let sydney = (46.1368, -60.1942);
        assert!(!Origin::new(halifax, Some(100.0)).may_reach(sydney), "{} km away", Origin::new(halifax, None).km_to(sydney));
        let due_east = (44.6488, -63.5752 + 2.0);
        let east_km = Origin::new(halifax, None).km_to(due_east);
        assert!(Origin::new(halifax, Some(east_km + 0.01)).may_reach(due_east) && !Origin::new(halifax, Some(east_km * 0.9)).may_reach(due_east));
    }

    #[test]
    fn a_tile_rules_out_only_services_beyond_the_reach() {
        let halifax = (44.6488, -63.5752);
        let places = (0..2000).map(|n| {
            let n = f64::from(n);
            (halifax.0 + (n * 0.618).fract() * 4.0 - 2.0, halifax.1 + (n * 0.414).fract() * 6.0 - 3.0)
        });
        for km in [0.5, 5.0, 25.0, 120.0] {
            let origin = Origin::new(halifax, Some(km));
            let mut ruled_out = 0;
            for place in places.clone() {
                let tile = Tile::of_places([place]);
                assert!(!origin.may_reach(place) || origin.may_reach_tile(tile), "{place:?} within {km} km");
                ruled_out += usize::from(!origin.may_reach_tile(tile));
            }
            assert!(km > 100.0 || ruled_out > 1000, "{km} km: only {ruled_out} of 2000 ruled out by tile");
        }
        let truro = (45.3650, -63.2800);
        assert_eq!(Tile::of_places([halifax, (44.9, -63.1)]), Tile::of_places([halifax]), "both in one tile");
        assert_eq!(Tile::of_places([halifax, truro]), Tile::SCATTERED);
        assert_eq!(Tile::of_places([]), Tile::NOWHERE);
        let near = Origin::new(halifax, Some(10.0));
        assert!(near.may_reach_tile(Tile::SCATTERED) && !near.may_reach_tile(Tile::NOWHERE) && !near.may_reach_tile(Tile::of_places([truro])));
        assert!(Origin::new(halifax, None).may_reach_tile(Tile::NOWHERE), "without a reach, nothing is ruled out");
    }
}
