//! `harbour seed --demo`: a demonstration partnership on an empty database, with
//! sign-ins of every role at `<role>@<organization-slug>.demo`.
//!
//! On a database that already holds the demo, it only gives the demo users a fresh
//! password (the one in `HARBOUR_DEMO_PASSWORD`, or a new one) so sign-ins can be printed.

mod demo_data;
mod referrals;
mod synthetic;

pub use referrals::seed_synthetic_referrals;
pub use synthetic::seed_synthetic;

use chrono::{Datelike, Utc};
use diesel::prelude::*;
use harbour_types::{AccessibilityInput, OrganizationId, PhoneKind, RequiredDocumentInput, Role};
use secrecy::ExposeSecret;

use crate::auth::password;
use crate::config::{Mode, Settings};
use crate::db::schema::{organization_regions, organizations, users};
use crate::directory::details;
use crate::directory::repo::{self as directory_repo, ExceptionRow, LocationRow, PhoneRow, RegionRow, ScheduleRow, ServiceChildren, ServiceRow, TermRow};
use crate::db::{Db, DbConn, DbError};
use crate::organizations::repo::OrganizationRow;
use crate::users::repo::{self as users_repo, NewUserRow};
use demo_data::{CATEGORIES, CONFIDENTIAL, ORGANIZATIONS, REGIONS, TOWNS};
use harbour_types::{CapacityStatus, ServiceAttribute, ServiceStatus, Visibility, Weekday};

/// What `seed --demo` did, for printing.
#[derive(Debug)]
pub struct DemoSeed {
    /// Whether the demo was created now (false: it was there; passwords were reset).
    pub created: bool,
    /// The password of every demo user.
    pub password: String,
    /// Demo sign-ins as (e-mail, role).
    pub users: Vec<(String, &'static str)>,
    /// How many organizations and services the demo holds.
    pub organizations: usize,
    /// How many services the demo holds.
    pub services: usize,
}

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Demo data must never be mixed into a real partnership's database.
    #[error("refusing to seed demo data in production mode")]
    Production,
    /// The database holds organizations that are not the demo's.
    #[error("the database already holds data that is not the demo; seed an empty database")]
    NotEmpty,
    /// Synthetic services need the demo's regions and categories.
    #[error("seed the demo first (harbour seed --demo): synthetic services use its regions and categories")]
    NeedsDemo,
    /// A database failure.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for SeedError {
    fn from(e: diesel::result::Error) -> Self {
        SeedError::Db(DbError::Query(e))
    }
}

fn demo_email(role: &str, slug: &str) -> String {
    format!("{role}@{slug}.demo")
}

fn demo_users() -> Vec<(String, &'static str, &'static str)> {
    ORGANIZATIONS
        .iter()
        .flat_map(|org| demo_data::roles_for(org.slug).iter().map(move |role| (demo_email(role, org.slug), *role, org.slug)))
        .collect()
}

/// Seeds the demo partnership, or refreshes the demo users' password if it is there.
pub fn seed_demo(db: &Db, settings: &Settings) -> Result<DemoSeed, SeedError> {
    if settings.mode == Mode::Production {
        return Err(SeedError::Production);
    }
    let password = settings.demo_password.as_ref().map_or_else(password::temporary_password, |p| p.expose_secret().to_owned());
    // One hash for every demo user: hashing ninety times would only slow the demo down.
    let password_hash = password::hash(&password);
    let mut conn = db.get()?;
    let created = crate::db::transaction(&mut conn, |conn| -> Result<bool, SeedError> {
        let existing: i64 = organizations::table.count().get_result(conn)?;
        let demo_present = organizations::table
            .filter(organizations::slug.eq(demo_data::PARTNERSHIP_OFFICE))
            .count()
            .get_result::<i64>(conn)?
            > 0;
        match (existing, demo_present) {
            (0, _) => {
                insert_demo(conn, &password_hash)?;
                Ok(true)
            }
            (_, true) => {
                let at = Utc::now().naive_utc();
                diesel::update(users::table.filter(users::email.like("%.demo")))
                    .set((users::password_hash.eq(&password_hash), users::must_change_password.eq(false), users::active.eq(true), users::updated_at.eq(at)))
                    .execute(conn)?;
                Ok(false)
            }
            _ => Err(SeedError::NotEmpty),
        }
    })?;
    if created {
        // Two years of referral histories, so the coordinators' dashboards have something to show.
        seed_synthetic_referrals(db, DEMO_REFERRALS)?;
    }
    Ok(DemoSeed {
        created,
        password,
        users: demo_users().into_iter().map(|(email, role, _)| (email, role)).collect(),
        organizations: ORGANIZATIONS.len(),
        services: ORGANIZATIONS.iter().map(|o| o.services.len()).sum(),
    })
}

/// How many synthetic referral histories the demo holds.
const DEMO_REFERRALS: usize = 800;

pub(crate) fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn insert_demo(conn: &mut DbConn, password_hash: &str) -> Result<(), SeedError> {
    let now = Utc::now().naive_utc();
    let mut region_ids = std::collections::HashMap::new();
    for (slug, name, name_fr) in REGIONS {
        let id = new_id();
        let row = RegionRow { id: id.clone(), slug: (*slug).to_owned(), name: (*name).to_owned(), name_fr: (*name_fr).to_owned(), version: 1, updated_at: Some(now), updated_by: None };
        directory_repo::insert_region(conn, &row)?;
        region_ids.insert(*slug, id);
    }
    let mut term_ids = std::collections::HashMap::new();
    for (code, parent, name, name_fr) in CATEGORIES {
        let id = new_id();
        let term = TermRow {
            id: id.clone(),
            code: (*code).to_owned(),
            parent_id: parent.and_then(|p| term_ids.get(p).cloned()),
            name: (*name).to_owned(),
            name_fr: (*name_fr).to_owned(),
            description: String::new(),
            version: 1,
            updated_at: Some(now),
            updated_by: None,
        };
        directory_repo::insert_term(conn, &term)?;
        term_ids.insert(*code, id);
    }
    let mut services_seeded = 0;
    let mut organization_ids = std::collections::HashMap::new();
    for org in ORGANIZATIONS {
        let org_id = OrganizationId::from(new_id());
        organization_ids.insert(org.slug, org_id.clone());
        let row = OrganizationRow {
            id: org_id.clone(),
            slug: org.slug.into(),
            name: org.name.into(),
            description: org.description.into(),
            sector: org.sector.into(),
            website: None,
            email: Some(format!("info@{}.demo", org.slug)),
            phone: None,
            active: true,
            verified_at: Some(now),
            created_at: now,
            updated_at: now,
        };
        crate::organizations::repo::insert(conn, &row)?;
        let org_regions: Vec<&String> = org.regions.iter().filter_map(|r| region_ids.get(r)).collect();
        for region_id in &org_regions {
            diesel::insert_into(organization_regions::table)
                .values((organization_regions::organization_id.eq(&org_id), organization_regions::region_id.eq(*region_id)))
                .execute(conn)?;
        }
        let location = demo_location(org, &org_id, now);
        directory_repo::insert_location(conn, &location)?;
        for (index, (name, category)) in org.services.iter().enumerate() {
            let service_id = new_id();
            let around_the_clock = matches!(*category, "crisis" | "housing.emergency");
            directory_repo::insert_service(conn, &demo_service(&service_id, &org_id, org, name, category, index, around_the_clock, now))?;
            let children = ServiceChildren {
                phones: vec![PhoneRow {
                    id: new_id(),
                    service_id: service_id.clone(),
                    number: format!("902-555-{:04}", 100 + services_seeded),
                    kind: PhoneKind::Voice,
                    after_hours: around_the_clock,
                    description: None,
                    position: 0,
                }],
                schedules: demo_hours(&service_id, name, around_the_clock),
                exceptions: if around_the_clock { Vec::new() } else { holiday_closures(&service_id, now.year()) },
                location_ids: vec![location.id.clone()],
                languages: if index.is_multiple_of(3) { vec!["en".into(), "fr".into()] } else { vec!["en".into()] },
                attributes: demo_attributes(org, category, around_the_clock),
                category_ids: term_ids.get(category).cloned().into_iter().collect(),
                region_ids: org_regions.iter().map(|r| (*r).clone()).collect(),
            };
            directory_repo::replace_children(conn, &service_id, &children)?;
            services_seeded += 1;
        }
        for role in demo_data::roles_for(org.slug) {
            let email = demo_email(role, org.slug);
            let role_words = role.replace('_', " ");
            let display_name = format!("{}{} ({})", role_words[..1].to_uppercase(), &role_words[1..], org.name);
            let roles: Vec<Role> = Role::from_code(role).into_iter().collect();
            users_repo::insert(
                conn,
                &NewUserRow {
                    id: &new_id(),
                    organization_id: &org_id,
                    email: &email,
                    display_name: &display_name,
                    password_hash,
                    locale: "en",
                    active: true,
                    must_change_password: false,
                    created_at: now,
                    updated_at: now,
                },
                &roles,
            )?;
        }
    }
    insert_groups(conn, &region_ids, &organization_ids, now)?;
    Ok(())
}

/// The demo's groups: [`demo_data::GROUPS`], and a regional group for each region.
fn insert_groups(
    conn: &mut DbConn,
    region_ids: &std::collections::HashMap<&str, String>,
    organization_ids: &std::collections::HashMap<&str, OrganizationId>,
    now: chrono::NaiveDateTime,
) -> Result<(), SeedError> {
    use crate::groups::repo::{self as groups, GroupRow, MemberRow};
    let regional: Vec<(String, Vec<String>)> = REGIONS
        .iter()
        .map(|(slug, ..)| {
            let members = ORGANIZATIONS.iter().filter(|o| o.regions.contains(slug)).enumerate().map(|(n, o)| format!("{}{}", if n == 0 { "*" } else { "" }, o.slug)).collect();
            ((*slug).to_owned(), members)
        })
        .collect();
    let listed = demo_data::GROUPS.iter().map(|(kind, name, name_fr, description, description_fr, members)| (*kind, *name, *name_fr, (*description, *description_fr), None, members.iter().map(|m| (*m).to_owned()).collect::<Vec<_>>()));
    let regional_words = ("Partners of the region, meeting to build its own response.", "Les partenaires de la région, qui se réunissent pour bâtir sa propre réponse.");
    let regions = REGIONS.iter().zip(regional).map(|((slug, name, name_fr), (_, members))| ("regional", *name, *name_fr, regional_words, region_ids.get(slug).cloned(), members));
    for (kind, name, name_fr, (description, description_fr), region_id, members) in listed.chain(regions) {
        let kind = harbour_types::GroupKind::from_code(kind).expect("a demo group's kind is a known one");
        let group = GroupRow {
            id: new_id(),
            kind,
            name: name.to_owned(),
            name_fr: name_fr.to_owned(),
            description: description.to_owned(),
            description_fr: description_fr.to_owned(),
            region_id,
            private_membership: kind == harbour_types::GroupKind::SurvivorAdvisory,
            version: 1,
            created_at: now,
            updated_by: None,
            updated_at: now,
        };
        groups::insert(conn, &group)?;
        for member in members {
            let (co_chair, slug) = member.strip_prefix('*').map_or((false, member.as_str()), |s| (true, s));
            let organization_id = organization_ids.get(slug).cloned();
            groups::insert_member(conn, &MemberRow { id: new_id(), group_id: group.id.clone(), organization_id, user_id: None, co_chair, added_by: None, added_at: now })?;
        }
    }
    Ok(())
}

fn demo_location(org: &demo_data::DemoOrganization, org_id: &OrganizationId, now: chrono::NaiveDateTime) -> LocationRow {
    let (_, town, postal_code, latitude, longitude) = TOWNS.iter().find(|(region, ..)| Some(region) == org.regions.first()).copied().unwrap_or(TOWNS[0]);
    let confidential = CONFIDENTIAL.contains(&org.slug);
    let id = new_id();
    let step_free = AccessibilityInput { description: Some("Step-free entrance".into()), details: None, url: None };
    LocationRow {
        accessibility: details::kept(&details::accessibility_typed(&id, &[step_free])),
        id,
        organization_id: org_id.clone(),
        name: format!("{} – {town}", org.name),
        description: String::new(),
        visibility: if confidential { Visibility::Confidential } else { Visibility::Public },
        address_1: Some(format!("{} Demo Street", 10 + org.slug.len() * 7)),
        city: Some(town.to_owned()),
        state_province: Some("NS".into()),
        postal_code: Some(postal_code.to_owned()),
        country: "CA".into(),
        latitude: Some(latitude),
        longitude: Some(longitude),
        intake_instructions: confidential.then(|| "Call the intake line, day or night: staff arrange a safe meeting place.".to_owned()),
        version: 1,
        created_at: now,
        updated_at: now,
        updated_by: None,
        coarse_latitude: None,
        coarse_longitude: None,
    }
    .placed(None)
}

#[expect(clippy::too_many_arguments, reason = "demo data is built from all of these")]
fn demo_service(
    id: &str,
    org_id: &OrganizationId,
    org: &demo_data::DemoOrganization,
    name: &str,
    category: &str,
    index: usize,
    around_the_clock: bool,
    now: chrono::NaiveDateTime,
) -> ServiceRow {
    let housing = category.starts_with("housing");
    // Housing shows the three capacity states across the demo.
    let capacity = [CapacityStatus::Accepting, CapacityStatus::Waitlist, CapacityStatus::Full][index % 3];
    ServiceRow {
        id: id.to_owned(),
        organization_id: org_id.clone(),
        name: name.to_owned(),
        description: format!("{name}, offered by {}. {}", org.name, org.description),
        status: ServiceStatus::Active,
        accepts_referrals: true,
        created_at: now,
        updated_at: now,
        alternate_name: None,
        url: None,
        email: Some(format!("intake@{}.demo", org.slug)),
        interpretation_services: index.is_multiple_of(3).then(|| "Interpretation by phone in many languages".to_owned()),
        application_process: if around_the_clock { "Call or walk in, any time.".into() } else { "Call to book, or ask your worker to refer.".into() },
        fees_description: None,
        free: true,
        eligibility_description: None,
        minimum_age: org.description.contains("youth").then_some(12),
        maximum_age: org.description.contains("youth").then_some(24),
        required_documents: details::kept(&details::documents_typed(id, &[RequiredDocumentInput { document: "None".into(), uri: None }])),
        open_24_7: around_the_clock,
        capacity_status: if housing { capacity } else { CapacityStatus::Accepting },
        capacity_available: housing.then_some(if capacity == CapacityStatus::Accepting { 3 } else { 0 }),
        capacity_maximum: housing.then_some(12),
        capacity_unit: housing.then(|| "beds".to_owned()),
        capacity_updated_at: housing.then_some(now),
        verified_at: Some(now),
        version: 1,
        updated_by: None,
    }
}

/// Weekday office hours; night outreach runs past midnight; 24/7 services need no rows.
fn demo_hours(service_id: &str, name: &str, around_the_clock: bool) -> Vec<ScheduleRow> {
    if around_the_clock {
        return Vec::new();
    }
    let (days, opens, closes): (&[Weekday], &str, &str) = if name.to_lowercase().contains("night") {
        (&[Weekday::Thursday, Weekday::Friday, Weekday::Saturday], "20:00", "04:00")
    } else {
        (&[Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday], "09:00", "17:00")
    };
    days.iter()
        .map(|day| ScheduleRow {
            id: new_id(),
            service_id: service_id.to_owned(),
            weekday: day.code().to_owned(),
            opens_at: opens.to_owned(),
            closes_at: closes.to_owned(),
            description: None,
        })
        .collect()
}

/// The statutory holidays at the end of `year` on which offices close (Nova Scotia).
fn holiday_closures(service_id: &str, year: i32) -> Vec<ExceptionRow> {
    [(year, 12, 25, "Christmas Day"), (year, 12, 26, "Boxing Day"), (year + 1, 1, 1, "New Year's Day")]
        .into_iter()
        .filter_map(|(y, m, d, name)| {
            Some(ExceptionRow {
                id: new_id(),
                service_id: service_id.to_owned(),
                date: chrono::NaiveDate::from_ymd_opt(y, m, d)?.to_string(),
                opens_at: None,
                closes_at: None,
                description: Some(name.to_owned()),
            })
        })
        .collect()
}

fn demo_attributes(org: &demo_data::DemoOrganization, category: &str, around_the_clock: bool) -> Vec<ServiceAttribute> {
    let mut attributes = vec![ServiceAttribute::TraumaInformed, ServiceAttribute::ExploitationTrained];
    if org.description.contains("youth") {
        attributes.push(ServiceAttribute::YouthSpecific);
    }
    if around_the_clock || matches!(category, "basic-needs" | "health" | "health.sexual" | "peer-support") {
        attributes.extend([ServiceAttribute::NoIdRequired, ServiceAttribute::WalkIn]);
    }
    if org.sector == "peer_survivor_led" {
        attributes.extend([ServiceAttribute::PeerSupport, ServiceAttribute::NoSelfIdentification, ServiceAttribute::HarmReduction]);
    }
    if org.slug.contains("mikmaw") || org.slug.contains("indigenous") {
        attributes.push(ServiceAttribute::CultureIndigenous);
    }
    if org.slug.contains("african") {
        attributes.push(ServiceAttribute::CultureAfricanNovaScotian);
    }
    if org.slug.contains("rainbow") {
        attributes.extend([ServiceAttribute::Culture2slgbtq, ServiceAttribute::LgbtqAffirming]);
    }
    if org.slug.contains("newcomer") {
        attributes.push(ServiceAttribute::CultureNewcomer);
    }
    attributes
}
