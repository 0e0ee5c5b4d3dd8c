//! `harbour bootstrap`: the first organization and system admin of a new instance.
//! Refused once any user exists, so it cannot be used to add an admin behind the
//! partnership's back.

use chrono::Utc;
use diesel::prelude::*;
use harbour_types::{OrganizationInput, Role, Sector};

use crate::auth::password;
use crate::db::schema::users;
use crate::db::{Db, DbError};
use crate::organizations::repo::{self as organizations_repo, OrganizationRow};
use crate::users::repo::{self as users_repo, NewUserRow};

/// Why bootstrapping failed.
#[derive(Debug, thiserror::Error)]
pub enum BootstrapError {
    /// Users exist: admins are added through the API from now on.
    #[error("this instance already has users; add admins through the API")]
    AlreadyBootstrapped,
    /// The input is not valid.
    #[error("{0}")]
    Invalid(String),
    /// A database failure.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for BootstrapError {
    fn from(e: diesel::result::Error) -> Self {
        BootstrapError::Db(e.into())
    }
}

/// Creates the first organization and its system admin; returns the temporary password.
pub fn bootstrap(db: &Db, organization_name: &str, slug: &str, email: &str) -> Result<String, BootstrapError> {
    let input = OrganizationInput {
        name: organization_name.to_owned(),
        slug: slug.to_owned(),
        description: String::new(),
        sector: Sector::Community,
        website: None,
        email: None,
        phone: None,
    };
    validator::Validate::validate(&input).map_err(|e| BootstrapError::Invalid(format!("organization: {e}")))?;
    let email = email.trim().to_lowercase();
    if !validator::ValidateEmail::validate_email(&email) {
        return Err(BootstrapError::Invalid("the e-mail address is not valid".into()));
    }
    let temporary = password::temporary_password();
    let hash = password::hash(&temporary);
    let mut conn = db.get()?;
    crate::db::transaction(&mut conn, |conn| -> Result<(), BootstrapError> {
        let existing: i64 = users::table.count().get_result(conn)?;
        if existing > 0 {
            return Err(BootstrapError::AlreadyBootstrapped);
        }
        let now = Utc::now().naive_utc();
        let organization = OrganizationRow::new(uuid::Uuid::new_v4().to_string(), &input, now);
        organizations_repo::insert(conn, &organization)?;
        let user = NewUserRow {
            id: &uuid::Uuid::new_v4().to_string(),
            organization_id: &organization.id,
            email: &email,
            display_name: "System admin",
            password_hash: &hash,
            locale: "en",
            active: true,
            must_change_password: true,
            created_at: now,
            updated_at: now,
        };
        users_repo::insert(conn, &user, &[Role::SystemAdmin, Role::AgencyAdmin])?;
        Ok(())
    })?;
    Ok(temporary)
}
