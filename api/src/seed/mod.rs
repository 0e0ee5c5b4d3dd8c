//! `harbour seed --demo`: a demonstration partnership on an empty database, with
//! sign-ins of every role at `<role>@<organization-slug>.demo`.
//!
//! On a database that already holds the demo, it only gives the demo users a fresh
//! password (the one in `HARBOUR_DEMO_PASSWORD`, or a new one) so sign-ins can be printed.

mod demo_data;

use chrono::Utc;
use diesel::prelude::*;
use harbour_types::Role;
use secrecy::ExposeSecret;

use crate::auth::password;
use crate::config::{Mode, Settings};
use crate::db::schema::{organization_regions, organizations, regions, service_regions, service_taxonomy_terms, services, taxonomy_terms, users};
use crate::db::{Db, DbConn, DbError};
use crate::organizations::repo::OrganizationRow;
use crate::users::repo::{self as users_repo, NewUserRow};
use demo_data::{CATEGORIES, ORGANIZATIONS, REGIONS};

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
    Ok(DemoSeed {
        created,
        password,
        users: demo_users().into_iter().map(|(email, role, _)| (email, role)).collect(),
        organizations: ORGANIZATIONS.len(),
        services: ORGANIZATIONS.iter().map(|o| o.services.len()).sum(),
    })
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn insert_demo(conn: &mut DbConn, password_hash: &str) -> Result<(), SeedError> {
    let now = Utc::now().naive_utc();
    let mut region_ids = std::collections::HashMap::new();
    for (slug, name, name_fr) in REGIONS {
        let id = new_id();
        diesel::insert_into(regions::table)
            .values((regions::id.eq(&id), regions::slug.eq(slug), regions::name.eq(name), regions::name_fr.eq(name_fr)))
            .execute(conn)?;
        region_ids.insert(*slug, id);
    }
    let mut term_ids = std::collections::HashMap::new();
    for (code, parent, name, name_fr) in CATEGORIES {
        let id = new_id();
        diesel::insert_into(taxonomy_terms::table)
            .values((
                taxonomy_terms::id.eq(&id),
                taxonomy_terms::code.eq(code),
                taxonomy_terms::parent_id.eq(parent.and_then(|p| term_ids.get(p).cloned())),
                taxonomy_terms::name.eq(name),
                taxonomy_terms::name_fr.eq(name_fr),
                taxonomy_terms::description.eq(""),
            ))
            .execute(conn)?;
        term_ids.insert(*code, id);
    }
    for org in ORGANIZATIONS {
        let org_id = new_id();
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
        for (name, category) in org.services {
            let service_id = new_id();
            diesel::insert_into(services::table)
                .values((
                    services::id.eq(&service_id),
                    services::organization_id.eq(&org_id),
                    services::name.eq(name),
                    services::description.eq(format!("{name}, offered by {}. {}", org.name, org.description)),
                    services::status.eq("active"),
                    services::accepts_referrals.eq(true),
                    services::created_at.eq(now),
                    services::updated_at.eq(now),
                ))
                .execute(conn)?;
            if let Some(term_id) = term_ids.get(category) {
                diesel::insert_into(service_taxonomy_terms::table)
                    .values((service_taxonomy_terms::service_id.eq(&service_id), service_taxonomy_terms::taxonomy_term_id.eq(term_id)))
                    .execute(conn)?;
            }
            for region_id in &org_regions {
                diesel::insert_into(service_regions::table)
                    .values((service_regions::service_id.eq(&service_id), service_regions::region_id.eq(*region_id)))
                    .execute(conn)?;
            }
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
    Ok(())
}
