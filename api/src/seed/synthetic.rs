//! `harbour seed --synthetic N`: N realistic services for scale tests and benchmarks —
//! Nova Scotia places, the demo category tree, schedules (office, evening past midnight,
//! 24/7), capacities, attributes and languages — spread over organizations of four
//! services each. Deterministic: the same N gives the same data.

use chrono::Utc;
use diesel::prelude::*;
use harbour_types::{CapacityStatus, OrganizationId, PhoneKind, ServiceAttribute, ServiceStatus, Visibility, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{new_id, SeedError};
use crate::db::schema::{regions, taxonomy_terms};
use crate::db::{Db, DbConn};
use crate::directory::repo::{self as directory_repo, LocationRow, PhoneRow, ScheduleRow, ServiceChildren, ServiceRow};
use crate::organizations::repo::{self as organizations_repo, OrganizationRow};

/// Nova Scotia communities and their coordinates.
/// (place, its forward sortation area, latitude, longitude)
const PLACES: &[(&str, &str, f64, f64)] = &[
    ("Halifax", "B3J", 44.6488, -63.5752), ("Dartmouth", "B2Y", 44.6713, -63.5772), ("Bedford", "B4A", 44.7325, -63.6556), ("Sackville", "B4C", 44.7735, -63.6840),
    ("Sydney", "B1P", 46.1368, -60.1942), ("Glace Bay", "B1A", 46.1969, -59.9570), ("New Waterford", "B1H", 46.2476, -60.0827), ("Port Hawkesbury", "B9A", 45.6155, -61.3483),
    ("Kentville", "B4N", 45.0770, -64.4960), ("Wolfville", "B4P", 45.0917, -64.3626), ("Windsor", "B0N", 44.9900, -64.1340), ("Digby", "B0V", 44.6200, -65.7600),
    ("Bridgewater", "B4V", 44.3780, -64.5190), ("Lunenburg", "B0J", 44.3770, -64.3090), ("Liverpool", "B0T", 44.0380, -64.7180), ("Chester", "B0J", 44.5420, -64.2390),
    ("Truro", "B2N", 45.3650, -63.2800), ("Amherst", "B4H", 45.8300, -64.2100), ("New Glasgow", "B2H", 45.5870, -62.6450), ("Pictou", "B0K", 45.6780, -62.7090),
    ("Antigonish", "B2G", 45.6169, -61.9986), ("Guysborough", "B0H", 45.3900, -61.4990), ("Yarmouth", "B5A", 43.8375, -66.1174), ("Shelburne", "B0T", 43.7630, -65.3230),
];

/// The letters Canada Post uses in postal codes.
const LDU_LETTERS: &[u8] = b"ABCEGHJKLMNPRSTVWXYZ";

const KINDS: &[(&str, &str)] = &[
    ("Youth Shelter", "housing.emergency"), ("Transitional Housing", "housing.transitional"), ("Counselling Centre", "mental-health.counselling"),
    ("Addictions Clinic", "addictions"), ("Sexual Health Clinic", "health.sexual"), ("Legal Clinic", "legal"), ("Food Bank", "basic-needs"),
    ("Learning Centre", "education"), ("Job Centre", "employment"), ("Family Resource Centre", "family"), ("Peer Support Circle", "peer-support"),
    ("Crisis Line", "crisis"), ("Friendship Centre", "cultural"), ("Newcomer Services", "immigration"), ("Outreach Team", "safety-planning"),
];

const SECTORS: &[&str] = &["community", "health", "justice", "legal", "cultural", "peer_survivor_led", "education", "government"];

/// Adds `count` synthetic services (and their organizations and locations). Needs the
/// regions and categories of `seed --demo`, which it loads first when absent.
pub fn seed_synthetic(db: &Db, count: usize) -> Result<usize, SeedError> {
    let mut conn = db.get()?;
    let terms: Vec<(String, String)> = taxonomy_terms::table.select((taxonomy_terms::code, taxonomy_terms::id)).load(&mut conn)?;
    let region_ids: Vec<String> = regions::table.order(regions::slug.asc()).select(regions::id).load(&mut conn)?;
    if terms.is_empty() || region_ids.is_empty() {
        return Err(SeedError::NeedsDemo);
    }
    let mut rng = StdRng::seed_from_u64(count as u64);
    let mut made = 0;
    // One transaction per few hundred services: bounded memory, and a crash loses one chunk.
    while made < count {
        let chunk = (count - made).min(400);
        crate::db::transaction(&mut conn, |conn| -> Result<(), SeedError> {
            for start in (0..chunk).step_by(4) {
                organization(conn, &mut rng, made + start, (chunk - start).min(4), &terms, &region_ids)?;
            }
            Ok(())
        })?;
        made += chunk;
    }
    Ok(made)
}

fn organization(conn: &mut DbConn, rng: &mut StdRng, number: usize, services: usize, terms: &[(String, String)], region_ids: &[String]) -> Result<(), SeedError> {
    let now = Utc::now().naive_utc();
    let (place, area, latitude, longitude) = PLACES[rng.gen_range(0..PLACES.len())];
    let org_id = OrganizationId::from(new_id());
    let name = format!("{place} Community Services {number}");
    organizations_repo::insert(
        conn,
        &OrganizationRow {
            id: org_id.clone(),
            slug: format!("synthetic-{number}"),
            name: name.clone(),
            description: format!("Community services in and around {place}."),
            sector: SECTORS[rng.gen_range(0..SECTORS.len())].into(),
            website: None,
            email: None,
            phone: None,
            active: true,
            verified_at: Some(now - chrono::Duration::days(rng.gen_range(0..400))),
            created_at: now,
            updated_at: now,
        },
    )?;
    let confidential = rng.gen_bool(0.05);
    let location = LocationRow {
        id: new_id(),
        organization_id: org_id.clone(),
        name: format!("{name} – {place}"),
        description: String::new(),
        visibility: if confidential { Visibility::Confidential } else { Visibility::Public },
        address_1: Some(format!("{} Main Street", rng.gen_range(1..999))),
        city: Some(place.into()),
        state_province: Some("NS".into()),
        // The area's code with a local part made from the organization's number (no draw from
        // `rng`, so the rest of the synthetic data stays as it was).
        postal_code: Some(format!("{area} {}{}{}", number % 10, char::from(LDU_LETTERS[number / 10 % LDU_LETTERS.len()]), number / 200 % 10)),
        country: "CA".into(),
        latitude: Some(latitude + rng.gen_range(-0.05..0.05)),
        longitude: Some(longitude + rng.gen_range(-0.05..0.05)),
        accessibility: None,
        intake_instructions: confidential.then(|| "Call the intake line first.".to_owned()),
        version: 1,
        created_at: now,
        updated_at: now,
        updated_by: None,
        coarse_latitude: None,
        coarse_longitude: None,
    }
    .placed(None);
    directory_repo::insert_location(conn, &location)?;
    for _ in 0..services {
        let (kind, category) = KINDS[rng.gen_range(0..KINDS.len())];
        let around_the_clock = matches!(category, "crisis" | "housing.emergency") || rng.gen_bool(0.05);
        let capacity = [CapacityStatus::Accepting, CapacityStatus::Waitlist, CapacityStatus::Full][rng.gen_range(0..3)];
        let id = new_id();
        let service_name = format!("{place} {kind}");
        directory_repo::insert_service(
            conn,
            &ServiceRow {
                id: id.clone(),
                organization_id: org_id.clone(),
                name: service_name.clone(),
                description: format!("{service_name} run by {name}. Free, confidential support for youth and adults in {place}."),
                status: ServiceStatus::Active,
                accepts_referrals: rng.gen_bool(0.8),
                created_at: now,
                updated_at: now,
                alternate_name: None,
                url: None,
                email: None,
                interpretation_services: None,
                application_process: "Call or walk in.".into(),
                fees_description: None,
                free: true,
                eligibility_description: None,
                minimum_age: rng.gen_bool(0.4).then_some(12),
                maximum_age: rng.gen_bool(0.4).then_some(24),
                required_documents: None,
                open_24_7: around_the_clock,
                capacity_status: capacity,
                capacity_available: Some(rng.gen_range(0..10)),
                capacity_maximum: Some(10),
                capacity_unit: Some("spots".into()),
                capacity_updated_at: Some(now - chrono::Duration::hours(rng.gen_range(0..200))),
                verified_at: Some(now),
                version: 1,
                updated_by: None,
            },
        )?;
        let (days, opens, closes): (&[Weekday], &str, &str) = if around_the_clock {
            (&[], "", "")
        } else if rng.gen_bool(0.2) {
            (&[Weekday::Thursday, Weekday::Friday, Weekday::Saturday], "20:00", "03:00")
        } else {
            (&[Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday], "09:00", "17:00")
        };
        let attributes: Vec<ServiceAttribute> = ServiceAttribute::ALL.iter().copied().filter(|_| rng.gen_bool(0.15)).collect();
        let category_id = terms.iter().find(|(code, _)| code == category).map(|(_, id)| id.clone());
        directory_repo::replace_children(
            conn,
            &id,
            &ServiceChildren {
                phones: vec![PhoneRow {
                    id: new_id(),
                    service_id: id.clone(),
                    number: format!("902-555-{:04}", rng.gen_range(0..10000)),
                    kind: PhoneKind::Voice,
                    after_hours: around_the_clock,
                    description: None,
                    position: 0,
                }],
                schedules: days
                    .iter()
                    .map(|day| ScheduleRow {
                        id: new_id(),
                        service_id: id.clone(),
                        weekday: day.code().into(),
                        opens_at: opens.into(),
                        closes_at: closes.into(),
                        description: None,
                    })
                    .collect(),
                exceptions: Vec::new(),
                location_ids: vec![location.id.clone()],
                languages: if rng.gen_bool(0.3) { vec!["en".into(), "fr".into()] } else { vec!["en".into()] },
                attributes,
                category_ids: category_id.into_iter().collect(),
                region_ids: vec![region_ids[rng.gen_range(0..region_ids.len())].clone()],
            },
        )?;
    }
    Ok(())
}
