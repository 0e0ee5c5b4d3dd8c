//! Participants in the database. Sealed columns hold ciphertext only; sealing and
//! opening happen in [`super::service`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{AgeBand, OrganizationId, ParticipantId, Role, SafeContactMethod};

use crate::db::schema::{organizations, participant_keys, participants, user_roles, users};
use crate::crypto::{CryptoError, Keyring};
use crate::data_keys::{self, ParticipantKey};
use crate::db::DbConn;

/// A row of `participants`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = participants, treat_none_as_null = true)]
pub struct ParticipantRow {
    pub id: ParticipantId,
    pub organization_id: OrganizationId,
    pub alias: String,
    pub alias_folded: String,
    pub age_band: Option<AgeBand>,
    pub birth_year: Option<i32>,
    pub pronouns: Option<String>,
    pub languages: String,
    pub self_description_sealed: Option<String>,
    pub legal_name_sealed: Option<String>,
    pub date_of_birth_sealed: Option<String>,
    pub phone_sealed: Option<String>,
    pub safety_notes_sealed: Option<String>,
    pub contact_method: Option<SafeContactMethod>,
    pub contact_times: Option<String>,
    pub contact_instructions: Option<String>,
    pub no_voicemail: bool,
    pub primary_contact_id: Option<String>,
    pub need_category_ids: String,
    pub needs_note: Option<String>,
    pub version: i32,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

/// A participant with the names shown with it, and their key as stored (sealed).
#[derive(Debug, Clone)]
pub struct ParticipantRecord {
    pub row: ParticipantRow,
    pub organization_name: String,
    pub primary_contact_name: Option<String>,
    pub key_sealed: Option<String>,
}

impl ParticipantRecord {
    /// The participant's key, opened.
    pub fn key(&self, keyring: &Keyring) -> Result<ParticipantKey, CryptoError> {
        data_keys::opened(keyring, &self.row.id, self.key_sealed.as_deref())
    }

    /// The participant's key for writing (made now if they have none yet).
    pub fn key_for_writing(&self, conn: &mut DbConn, keyring: &Keyring) -> Result<ParticipantKey, crate::error::ApiError> {
        data_keys::for_writing_from(conn, keyring, &self.row.id, self.key_sealed.as_deref())
    }
}

/// One participant, unless erased: an erased participant is no one's to read.
pub fn find(conn: &mut DbConn, id: &ParticipantId) -> QueryResult<Option<ParticipantRecord>> {
    let found = participants::table
        .inner_join(organizations::table)
        .left_join(users::table.on(participants::primary_contact_id.eq(users::id.nullable())))
        .left_join(participant_keys::table)
        .filter(participants::id.eq(id))
        .filter(participants::erased_at.is_null())
        .select((ParticipantRow::as_select(), organizations::name, users::display_name.nullable(), participant_keys::key_sealed.nullable()))
        .first::<(ParticipantRow, String, Option<String>, Option<String>)>(conn)
        .optional()?;
    Ok(found.map(|(row, organization_name, primary_contact_name, key_sealed)| ParticipantRecord { row, organization_name, primary_contact_name, key_sealed }))
}

/// A page of participants by alias, among `owner`'s or among the ids given.
pub fn search(conn: &mut DbConn, scope: SearchScope<'_>, alias_folded: &str, offset: i64, limit: i64) -> QueryResult<(Vec<(ParticipantRow, String)>, i64)> {
    let pattern = format!("%{}%", alias_folded.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let filtered = || {
        let mut query = participants::table.inner_join(organizations::table).filter(participants::erased_at.is_null()).into_boxed();
        query = match scope {
            SearchScope::OwnedBy(owner) => query.filter(participants::organization_id.eq(owner.to_owned())),
            SearchScope::Among(ids) => query.filter(participants::id.eq_any(ids.to_vec())),
        };
        if !alias_folded.is_empty() {
            query = query.filter(participants::alias_folded.like(pattern.clone()).escape('\\'));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((participants::alias_folded.asc(), participants::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((ParticipantRow::as_select(), organizations::name))
        .load(conn)?;
    Ok((rows, total))
}

/// Which participants a search looks among.
#[derive(Debug, Clone, Copy)]
pub enum SearchScope<'a> {
    /// Those this organization recorded.
    OwnedBy(&'a OrganizationId),
    /// These ids (participants shared with the caller's organization).
    Among(&'a [ParticipantId]),
}

/// Stores a new participant.
pub fn insert(conn: &mut DbConn, row: &ParticipantRow) -> QueryResult<()> {
    diesel::insert_into(participants::table).values(row).execute(conn).map(drop)
}

/// Replaces a participant's row if it is still at `version`: returns whether it was.
pub fn update(conn: &mut DbConn, row: &ParticipantRow, version: i32) -> QueryResult<bool> {
    diesel::update(participants::table.find(&row.id).filter(participants::version.eq(version)))
        .set(row)
        .execute(conn)
        .map(|n| n == 1)
}

/// Every participant not erased, for re-sealing under their keys.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<ParticipantRow>> {
    participants::table.filter(participants::erased_at.is_null()).select(ParticipantRow::as_select()).load(conn)
}

/// Empties an erased participant's row, keeping its id, owner and dates (referrals,
/// consents and audit events name the id), unless it was erased already: returns
/// whether it was this call that erased it (two instances' sweeps erase once).
pub fn erase(conn: &mut DbConn, id: &ParticipantId, now: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(participants::table.find(id).filter(participants::erased_at.is_null()))
        .set((
            participants::erased_at.eq(now),
            participants::alias.eq(""),
            participants::alias_folded.eq(""),
            participants::age_band.eq(None::<AgeBand>),
            participants::birth_year.eq(None::<i32>),
            participants::pronouns.eq(None::<String>),
            participants::languages.eq("[]"),
            participants::self_description_sealed.eq(None::<String>),
            participants::legal_name_sealed.eq(None::<String>),
            participants::date_of_birth_sealed.eq(None::<String>),
            participants::phone_sealed.eq(None::<String>),
            participants::safety_notes_sealed.eq(None::<String>),
            participants::contact_method.eq(None::<SafeContactMethod>),
            participants::contact_times.eq(None::<String>),
            participants::contact_instructions.eq(None::<String>),
            participants::no_voicemail.eq(false),
            participants::primary_contact_id.eq(None::<String>),
            participants::need_category_ids.eq("[]"),
            participants::needs_note.eq(None::<String>),
            participants::retention_notice_at.eq(None::<NaiveDateTime>),
            participants::version.eq(participants::version + 1),
            participants::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Where a reminder about a participant goes: their primary contact, else `fallback`
/// (whoever wrote what is due), if that account is active.
pub fn reminder_address(conn: &mut DbConn, participant_id: &ParticipantId, fallback: &str) -> QueryResult<Option<String>> {
    let primary: Option<String> = participants::table.find(participant_id).select(participants::primary_contact_id).first(conn)?;
    active_address(conn, &primary.unwrap_or_else(|| fallback.to_owned()))
}

/// A user's address, if their account is active.
pub fn active_address(conn: &mut DbConn, user_id: &str) -> QueryResult<Option<String>> {
    users::table.find(user_id).filter(users::active.eq(true)).select(users::email).first(conn).optional()
}

/// The organization's active users who handle participants (outreach, intake, agency
/// admins): who may be a participant's primary contact.
fn frontline_of(organization_id: &OrganizationId) -> users::BoxedQuery<'static, crate::db::MultiBackend> {
    let frontline = [Role::OutreachWorker, Role::IntakeWorker, Role::AgencyAdmin].map(|r| r.code().to_owned());
    users::table
        .filter(users::organization_id.eq(organization_id.clone()))
        .filter(users::active.eq(true))
        .filter(diesel::dsl::exists(user_roles::table.filter(user_roles::user_id.eq(users::id)).filter(user_roles::role.eq_any(frontline))))
        .into_boxed()
}

/// Whether this user belongs to this organization and is active (a referral's assignee).
pub fn is_active_member(conn: &mut DbConn, user_id: &str, organization_id: &OrganizationId) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::id.eq(user_id)).filter(users::organization_id.eq(organization_id)).filter(users::active.eq(true)),
    ))
    .get_result(conn)
}

/// Whether this user may be the primary contact of the organization's participants.
pub fn is_frontline_colleague(conn: &mut DbConn, user_id: &str, organization_id: &OrganizationId) -> QueryResult<bool> {
    frontline_of(organization_id).filter(users::id.eq(user_id.to_owned())).count().get_result::<i64>(conn).map(|n| n > 0)
}

/// Those who may be the primary contact of the organization's participants, by name: (id, name).
pub fn frontline_colleagues(conn: &mut DbConn, organization_id: &OrganizationId) -> QueryResult<Vec<(String, String)>> {
    frontline_of(organization_id).order((users::display_name.asc(), users::id.asc())).select((users::id, users::display_name)).load(conn)
}

/// The ids among these that name no directory category.
pub fn unknown_categories(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<String>> {
    use crate::db::schema::taxonomy_terms;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let known: Vec<String> = taxonomy_terms::table.filter(taxonomy_terms::id.eq_any(ids)).select(taxonomy_terms::id).load(conn)?;
    Ok(ids.iter().filter(|id| !known.contains(id)).cloned().collect())
}
