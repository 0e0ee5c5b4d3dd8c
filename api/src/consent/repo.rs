//! Consents in the database. Content columns are written once; only the supersede and
//! revocation columns are ever set afterwards, once each.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use harbour_types::{ConsentId, ConsentMethod, ConsentPurpose, DataCategory, OrganizationId, OrganizationRef, ParticipantId, RevocationMethod, StatementLanguage};

use crate::db::schema::{consent_evidence, consent_recipients, consents, organizations, participants, users};
use crate::db::{codes_from_json, DbConn};

/// A row of `consents`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = consents)]
pub struct ConsentRow {
    pub id: ConsentId,
    pub participant_id: ParticipantId,
    pub organization_id: OrganizationId,
    pub recorded_by: String,
    pub method: ConsentMethod,
    pub witness_name: Option<String>,
    pub given_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub purposes: String,
    pub data_categories: String,
    pub statement_language: StatementLanguage,
    pub statement_text: String,
    pub evidence_media_type: Option<String>,
    pub evidence_sha256: Option<String>,
    pub evidence_size: Option<i64>,
    pub supersedes_id: Option<ConsentId>,
    pub superseded_by_id: Option<ConsentId>,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_by: Option<String>,
    pub revocation_method: Option<RevocationMethod>,
    pub revocation_note: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The organization that recorded a participant, if the participant exists.
pub fn participant_owner(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Option<OrganizationId>> {
    participants::table.find(participant_id).select(participants::organization_id).first(conn).optional()
}

/// A consent with the organizations it names and the names shown with it.
#[derive(Debug, Clone)]
pub struct ConsentRecord {
    pub row: ConsentRow,
    /// The row's purposes and data categories, read from their JSON lists.
    pub purposes: Vec<ConsentPurpose>,
    pub categories: Vec<DataCategory>,
    pub organization_name: String,
    pub recipients: Vec<OrganizationRef>,
    pub recorded_by_name: String,
    pub revoked_by_name: Option<String>,
}

impl ConsentRecord {
    /// Whether it names this organization.
    pub fn names(&self, organization_id: &OrganizationId) -> bool {
        self.recipients.iter().any(|r| r.id == organization_id.as_str())
    }
}

/// Stores a new consent, its recipients and its sealed evidence. Call inside a transaction.
pub fn insert(conn: &mut DbConn, row: &ConsentRow, recipients: &[String], sealed_evidence: Option<&str>) -> QueryResult<()> {
    diesel::insert_into(consents::table).values(row).execute(conn)?;
    for organization_id in recipients {
        diesel::insert_into(consent_recipients::table)
            .values((consent_recipients::consent_id.eq(&row.id), consent_recipients::organization_id.eq(organization_id)))
            .execute(conn)?;
    }
    if let Some(sealed) = sealed_evidence {
        diesel::insert_into(consent_evidence::table)
            .values((consent_evidence::consent_id.eq(&row.id), consent_evidence::sealed.eq(sealed)))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks a consent replaced, unless it already was: returns whether it was marked.
pub fn mark_superseded(conn: &mut DbConn, id: &ConsentId, by: &ConsentId) -> QueryResult<bool> {
    diesel::update(consents::table.find(id).filter(consents::superseded_by_id.is_null()).filter(consents::revoked_at.is_null()))
        .set(consents::superseded_by_id.eq(by))
        .execute(conn)
        .map(|n| n == 1)
}

/// Records a revocation, unless one is already recorded: returns whether it was recorded.
pub fn revoke(conn: &mut DbConn, id: &ConsentId, at: NaiveDateTime, by: &str, method: RevocationMethod, note: Option<&str>) -> QueryResult<bool> {
    diesel::update(consents::table.find(id).filter(consents::revoked_at.is_null()))
        .set((
            consents::revoked_at.eq(at),
            consents::revoked_by.eq(by),
            consents::revocation_method.eq(method),
            consents::revocation_note.eq(note),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// One consent.
pub fn find(conn: &mut DbConn, id: &ConsentId) -> QueryResult<Option<ConsentRecord>> {
    let rows = with_names().filter(consents::id.eq(id)).order(named_organizations.field(organizations::name).asc()).load(conn)?;
    Ok(complete(conn, rows)?.pop())
}

/// Every consent a participant gave, newest first.
pub fn for_participant(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<ConsentRecord>> {
    let rows = with_names()
        .filter(consents::participant_id.eq(participant_id))
        .order((consents::given_at.desc(), consents::created_at.desc(), consents::id.asc(), named_organizations.field(organizations::name).asc()))
        .load(conn)?;
    complete(conn, rows)
}

/// Every consent a participant gave, newest first, held as they are until the caller's
/// transaction ends: for a disclosure decided from them (a referral's snapshot).
///
/// Each statement of a READ COMMITTED transaction reads what was committed when it
/// began, so unheld, a referral could go out under a consent withdrawn a moment before,
/// after the withdrawal had redacted the referrals it could see. On PostgreSQL the rows
/// are locked FOR SHARE first: a withdrawal (or supersession) updating one waits for the
/// disclosure to commit, then redacts what it finds; a disclosure waits for a withdrawal
/// to commit, then reads it. SQLite takes one writer at a time: nothing to hold there.
pub fn held_for_participant(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<ConsentRecord>> {
    if let DbConn::Postgresql(pg) = conn {
        consents::table.filter(consents::participant_id.eq(participant_id)).select(consents::id).for_share().load::<String>(pg)?;
    }
    for_participant(conn, participant_id)
}

diesel::alias!(organizations as named_organizations: NamedOrganizations);

/// A consent with its organization's name, its recorder's, and one organization it names.
type NamedRow = (ConsentRow, String, String, Option<(String, String)>);

/// Consents joined to their organization, their recorder and, a row each, the
/// organizations they name.
type ConsentsWithNames = diesel::dsl::LeftJoinOn<
    diesel::dsl::LeftJoinOn<
        diesel::dsl::InnerJoinOn<
            diesel::dsl::InnerJoinOn<consents::table, organizations::table, diesel::dsl::Eq<organizations::id, consents::organization_id>>,
            users::table,
            diesel::dsl::Eq<users::id, consents::recorded_by>,
        >,
        consent_recipients::table,
        diesel::dsl::Eq<consent_recipients::consent_id, consents::id>,
    >,
    diesel::query_source::Alias<NamedOrganizations>,
    diesel::dsl::Eq<diesel::query_source::AliasedField<NamedOrganizations, organizations::id>, consent_recipients::organization_id>,
>;
type RecipientColumns = (diesel::query_source::AliasedField<NamedOrganizations, organizations::id>, diesel::query_source::AliasedField<NamedOrganizations, organizations::name>);
type NamedColumns = (diesel::dsl::AsSelect<ConsentRow, crate::db::MultiBackend>, organizations::name, users::display_name, diesel::dsl::Nullable<RecipientColumns>);

/// Consents with the names every one shows, read in the same query: referral creation
/// reads a participant's consents inside its transaction, where each round trip counts.
fn with_names() -> diesel::dsl::IntoBoxed<'static, diesel::dsl::Select<ConsentsWithNames, NamedColumns>, crate::db::MultiBackend> {
    consents::table
        .inner_join(organizations::table.on(organizations::id.eq(consents::organization_id)))
        .inner_join(users::table.on(users::id.eq(consents::recorded_by)))
        .left_join(consent_recipients::table.on(consent_recipients::consent_id.eq(consents::id)))
        .left_join(named_organizations.on(named_organizations.field(organizations::id).eq(consent_recipients::organization_id)))
        .select((ConsentRow::as_select(), organizations::name, users::display_name, named_organizations.fields((organizations::id, organizations::name)).nullable()))
        .into_boxed()
}

/// The ids of participants with a consent naming this organization that is not revoked,
/// superseded or expired at `now`. (The policy still decides what each consent allows.)
pub fn participants_naming(conn: &mut DbConn, organization_id: &OrganizationId, now: NaiveDateTime) -> QueryResult<Vec<ParticipantId>> {
    consents::table
        .inner_join(consent_recipients::table)
        .filter(consent_recipients::organization_id.eq(organization_id))
        .filter(consents::revoked_at.is_null())
        .filter(consents::superseded_by_id.is_null())
        .filter(consents::expires_at.gt(now))
        .select(consents::participant_id)
        .distinct()
        .load(conn)
}

/// The sealed evidence of a consent.
pub fn evidence(conn: &mut DbConn, consent_id: &ConsentId) -> QueryResult<Option<String>> {
    consent_evidence::table.find(consent_id).select(consent_evidence::sealed).first(conn).optional()
}

/// Every sealed evidence file, for re-sealing under a new key.
pub fn all_evidence(conn: &mut DbConn) -> QueryResult<Vec<(ConsentId, ParticipantId, String)>> {
    consent_evidence::table.inner_join(consents::table).select((consent_evidence::consent_id, consents::participant_id, consent_evidence::sealed)).load(conn)
}

/// Replaces a sealed evidence file by the same file sealed under another key.
pub fn reseal_evidence(conn: &mut DbConn, consent_id: &ConsentId, sealed: &str) -> QueryResult<()> {
    diesel::update(consent_evidence::table.find(consent_id)).set(consent_evidence::sealed.eq(sealed)).execute(conn).map(drop)
}

/// Gathers each consent's rows (one per organization it names, in order) into a record,
/// with its revoker's name.
fn complete(conn: &mut DbConn, rows: Vec<NamedRow>) -> QueryResult<Vec<ConsentRecord>> {
    let mut records: Vec<ConsentRecord> = Vec::new();
    for (row, organization_name, recorded_by_name, recipient) in rows {
        if records.last().is_none_or(|r| r.row.id != row.id) {
            let purposes = codes_from_json(&row.purposes, ConsentPurpose::from_code)?;
            let categories = codes_from_json(&row.data_categories, DataCategory::from_code)?;
            records.push(ConsentRecord { row, purposes, categories, organization_name, recipients: Vec::new(), recorded_by_name, revoked_by_name: None });
        }
        if let (Some(record), Some((id, name))) = (records.last_mut(), recipient) {
            record.recipients.push(OrganizationRef { id, name });
        }
    }
    // Few consents are revoked: their revokers' names cost a query only when one is.
    let revokers: Vec<String> = records.iter().filter_map(|r| r.row.revoked_by.clone()).collect();
    if !revokers.is_empty() {
        let names: std::collections::HashMap<String, String> = users::table.filter(users::id.eq_any(&revokers)).select((users::id, users::display_name)).load(conn)?.into_iter().collect();
        for record in &mut records {
            record.revoked_by_name = record.row.revoked_by.as_ref().and_then(|id| names.get(id).cloned());
        }
    }
    Ok(records)
}

/// A participant's erasure, for their consents: every one not yet withdrawn is recorded
/// as withdrawn now (`method`, by `by`; none: Harbour), every evidence file is deleted,
/// and witnesses' names and notes are emptied. Returns how many consents it ended and
/// how many files it deleted.
pub fn erase_for(conn: &mut DbConn, participant_id: &ParticipantId, now: NaiveDateTime, by: Option<&str>, method: RevocationMethod) -> QueryResult<(usize, usize)> {
    let of_participant = consents::table.filter(consents::participant_id.eq(participant_id)).select(consents::id);
    let files = diesel::delete(consent_evidence::table.filter(consent_evidence::consent_id.eq_any(of_participant))).execute(conn)?;
    let ended = diesel::update(consents::table.filter(consents::participant_id.eq(participant_id)).filter(consents::revoked_at.is_null()))
        .set((consents::revoked_at.eq(now), consents::revoked_by.eq(by), consents::revocation_method.eq(method)))
        .execute(conn)?;
    diesel::update(consents::table.filter(consents::participant_id.eq(participant_id)))
        .set((consents::witness_name.eq(None::<String>), consents::revocation_note.eq(None::<String>)))
        .execute(conn)?;
    Ok((ended, files))
}

/// Consents whose evidence file is still kept though they ended before `cutoff`
/// (withdrawn, expired, or replaced by a consent given then), at most `at_most`.
pub fn evidence_ended_before(conn: &mut DbConn, cutoff: NaiveDateTime, at_most: i64) -> QueryResult<Vec<ConsentId>> {
    let kept = || consents::table.inner_join(consent_evidence::table);
    let mut ended: Vec<ConsentId> = kept()
        .filter(consents::revoked_at.lt(cutoff).or(consents::revoked_at.is_null().and(consents::superseded_by_id.is_null()).and(consents::expires_at.lt(cutoff))))
        .limit(at_most)
        .select(consents::id)
        .load(conn)?;
    let replaced: Vec<(ConsentId, ConsentId)> = kept()
        .filter(consents::revoked_at.is_null())
        .filter(consents::superseded_by_id.is_not_null())
        .select((consents::id, consents::superseded_by_id.assume_not_null()))
        .load(conn)?;
    if !replaced.is_empty() {
        let by: Vec<&ConsentId> = replaced.iter().map(|(_, by)| by).collect();
        let given_before: Vec<ConsentId> = consents::table.filter(consents::id.eq_any(by)).filter(consents::given_at.lt(cutoff)).select(consents::id).load(conn)?;
        ended.extend(replaced.into_iter().filter(|(_, by)| given_before.contains(by)).map(|(id, _)| id));
    }
    ended.truncate(usize::try_from(at_most).unwrap_or(usize::MAX));
    Ok(ended)
}

/// Deletes these consents' evidence files; returns how many.
pub fn delete_evidence(conn: &mut DbConn, consent_ids: &[ConsentId]) -> QueryResult<usize> {
    diesel::delete(consent_evidence::table.filter(consent_evidence::consent_id.eq_any(consent_ids))).execute(conn)
}
