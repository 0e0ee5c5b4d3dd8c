//! Referrals and their timelines in the database.

use chrono::NaiveDateTime;
use diesel::expression::{AppearsOnTable, ValidGrouping};
use diesel::prelude::*;
use diesel::query_builder::{QueryFragment, QueryId};
use diesel::sql_types::{Bool, Integer, Nullable};
use harbour_types::{ConsentId, EventKind, OrganizationId, Outcome, ParticipantId, ReasonCode, ReferralId, ReferralStatus, ServiceStatus, Urgency};

use super::lifecycle::awaiting_answer;

use crate::db::schema::{api_clients, organizations, participants, referral_events, referral_messages, referral_tallies, referrals, services, users};
use crate::db::{load_sql, Bind, DbConn, MultiBackend, Statement, Write};

/// A row of `referrals`.
// `None` is inserted as NULL, not DEFAULT: the INSERT's text is then the same for every
// row, so each connection prepares it once (an insert naming DEFAULT is re-planned each time).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = referrals, treat_none_as_default_value = false)]
pub struct ReferralRow {
    pub id: ReferralId,
    pub from_organization_id: OrganizationId,
    pub from_user_id: Option<String>,
    pub from_client_id: Option<String>,
    pub to_organization_id: OrganizationId,
    pub service_id: String,
    pub participant_id: ParticipantId,
    pub consent_id: Option<ConsentId>,
    pub need_category_ids: String,
    pub needs_note: Option<String>,
    pub urgency: Urgency,
    pub safe_contact_instructions: Option<String>,
    pub participant_confirmed: bool,
    pub snapshot_sealed: Option<String>,
    pub redacted_at: Option<NaiveDateTime>,
    pub status: ReferralStatus,
    pub reason: Option<ReasonCode>,
    pub outcome: Option<Outcome>,
    pub due_at: Option<NaiveDateTime>,
    pub reminded_at: Option<NaiveDateTime>,
    pub assignee_id: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    /// Where the referral counts on the dashboards: see [`service_for_referral`].
    pub region_id: Option<String>,
    pub category_id: Option<String>,
    /// Milestones, for response times: first opened (or answered) by the receiver,
    /// accepted, and closed (declined, completed, withdrawn or expired).
    pub received_at: Option<NaiveDateTime>,
    pub accepted_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

/// A row of `referral_events`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = referral_events, treat_none_as_default_value = false)]
pub struct EventRow {
    pub id: String,
    pub referral_id: ReferralId,
    pub ordinal: i32,
    pub at: NaiveDateTime,
    pub kind: EventKind,
    pub actor_user_id: Option<String>,
    pub actor_client_id: Option<String>,
    pub organization_id: OrganizationId,
    pub status: ReferralStatus,
    pub note: Option<String>,
}

/// A row of `referral_messages`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = referral_messages)]
pub struct MessageRow {
    pub id: String,
    pub referral_id: ReferralId,
    pub at: NaiveDateTime,
    pub author_id: String,
    pub organization_id: OrganizationId,
    pub body: String,
}

/// The names shown with a referral.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub from_organization: String,
    pub from_user: String,
    pub to_organization: String,
    pub service: String,
    pub assignee: Option<String>,
    /// The participant's primary contact at the sending organization now: id and name.
    pub primary_contact: Option<(String, String)>,
}

/// One referral.
pub fn find(conn: &mut DbConn, id: &ReferralId) -> QueryResult<Option<ReferralRow>> {
    referrals::table.find(id).select(ReferralRow::as_select()).first(conn).optional()
}

/// Every referral made for a participant, oldest first.
pub fn of_participant(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Vec<ReferralRow>> {
    referrals::table.filter(referrals::participant_id.eq(participant_id)).order(referrals::created_at.asc()).select(ReferralRow::as_select()).load(conn)
}

/// The names of its organizations, author and service.
pub fn names(conn: &mut DbConn, row: &ReferralRow) -> QueryResult<Names> {
    Ok(names_of(conn, std::slice::from_ref(row))?.pop().unwrap_or_default())
}

/// The names shown with each of these referrals, in their order: one query per kind of
/// name however many referrals (an inbox page asked five per row before).
pub fn names_of(conn: &mut DbConn, rows: &[ReferralRow]) -> QueryResult<Vec<Names>> {
    use std::collections::HashMap;
    fn ids<'a, Id: Ord + ?Sized + 'a>(ids: impl Iterator<Item = &'a Id>) -> Vec<&'a Id> {
        let mut ids: Vec<&Id> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }
    let organization_ids = ids(rows.iter().flat_map(|r| [r.from_organization_id.as_str(), r.to_organization_id.as_str()]));
    let user_ids = ids(rows.iter().flat_map(|r| r.from_user_id.iter().chain(&r.assignee_id)));
    let client_ids = ids(rows.iter().filter_map(|r| r.from_client_id.as_ref()));
    let service_ids = ids(rows.iter().map(|r| &r.service_id));
    let organizations: HashMap<String, String> =
        organizations::table.filter(organizations::id.eq_any(organization_ids)).select((organizations::id, organizations::name)).load(conn)?.into_iter().collect();
    let users: HashMap<String, String> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        users::table.filter(users::id.eq_any(user_ids)).select((users::id, users::display_name)).load(conn)?.into_iter().collect()
    };
    let clients: HashMap<String, String> = if client_ids.is_empty() {
        HashMap::new()
    } else {
        api_clients::table.filter(api_clients::id.eq_any(client_ids)).select((api_clients::id, api_clients::name)).load(conn)?.into_iter().collect()
    };
    let services: HashMap<String, String> = services::table.filter(services::id.eq_any(service_ids)).select((services::id, services::name)).load(conn)?.into_iter().collect();
    let participant_ids = ids(rows.iter().map(|r| r.participant_id.as_str()));
    let contacts: HashMap<String, (String, String)> = participants::table
        .inner_join(users::table.on(participants::primary_contact_id.eq(users::id.nullable())))
        .filter(participants::id.eq_any(participant_ids))
        .select((participants::id, users::id, users::display_name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(participant, user, name)| (participant, (user, name)))
        .collect();
    let name = |names: &HashMap<String, String>, id: &str| names.get(id).cloned().unwrap_or_default();
    Ok(rows
        .iter()
        .map(|row| Names {
            from_organization: name(&organizations, row.from_organization_id.as_str()),
            to_organization: name(&organizations, row.to_organization_id.as_str()),
            from_user: match (&row.from_user_id, &row.from_client_id) {
                (Some(user), _) => name(&users, user),
                (None, Some(client)) => name(&clients, client),
                (None, None) => String::new(),
            },
            service: name(&services, &row.service_id),
            assignee: row.assignee_id.as_ref().and_then(|id| users.get(id).cloned()),
            primary_contact: contacts.get(row.participant_id.as_str()).cloned(),
        })
        .collect())
}

/// What a list is filtered by, besides the organization and its side.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<ReferralStatus>,
    pub urgency: Option<Urgency>,
    pub service_id: Option<String>,
    pub assignee_id: Option<String>,
    /// Only overdue referrals (`true`), or only the others.
    pub overdue: Option<bool>,
    /// Only referrals about this participant.
    pub participant_id: Option<ParticipantId>,
}

/// Declares an expression of fixed SQL text, worked out once. Unlike a `sql()` literal,
/// which diesel assumes may change and so parses and plans again on every call, its
/// statements stay prepared; and the constants in its text, unlike binds, are known to a
/// prepared statement's generic plan, which then reads the indexes over them. Each is a
/// type of its own: diesel keys prepared statements by type.
macro_rules! fixed_sql {
    ($(#[$doc:meta])* $name:ident: $sql_type:ty = $text:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, QueryId, ValidGrouping)]
        pub(crate) struct $name;

        impl $name {
            fn text() -> &'static str {
                static TEXT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| $text);
                &TEXT
            }
        }

        impl Expression for $name {
            type SqlType = $sql_type;
        }

        impl AppearsOnTable<referrals::table> for $name {}

        impl SelectableExpression<referrals::table> for $name {}

        impl<DB: diesel::backend::Backend> QueryFragment<DB> for $name {
            fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> QueryResult<()> {
                out.push_sql(Self::text());
                Ok(())
            }
        }
    };
}

fixed_sql! {
    /// The urgency's rank (`Urgency::ALL` order: routine 0 … emergency 3; the codes sort
    /// the wrong way alphabetically): the very text of the inbox indexes' expression
    /// (migration `…000010_inbox_indexes`), so the database reads inboxes in this order
    /// straight from those indexes.
    UrgencyRank: Integer = {
        let ranks: String = Urgency::ALL.iter().enumerate().map(|(rank, urgency)| format!(" WHEN '{}' THEN {rank}", urgency.code())).collect();
        format!("CASE urgency{ranks} ELSE 0 END")
    }
}

fixed_sql! {
    /// Still awaiting an answer (`status IN ('sent', 'received')`).
    AwaitingAnswer: Bool = {
        let awaiting: Vec<String> = ReferralStatus::ALL.iter().filter(|s| awaiting_answer(**s)).map(|s| format!("'{}'", s.code())).collect();
        format!("status IN ({})", awaiting.join(", "))
    }
}

/// Whether a referral awaiting an answer is past its due time at `now`. Never NULL: a
/// referral without a due time is simply not overdue.
fn overdue(now: NaiveDateTime) -> Box<dyn BoxableExpression<referrals::table, MultiBackend, SqlType = Nullable<Bool>>> {
    Box::new(AwaitingAnswer.and(referrals::due_at.is_not_null()).and(referrals::due_at.lt(now)))
}

/// How many referrals awaiting an answer are past their due time at `now`.
pub fn overdue_count(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<i64> {
    referrals::table.filter(AwaitingAnswer).filter(referrals::due_at.lt(now)).select(diesel::dsl::count_star()).first(conn)
}

/// The status a box leaves out: a draft is its author's alone, so no receiver sees it.
fn hidden_from_box(sent: bool) -> Option<&'static str> {
    (!sent).then_some(ReferralStatus::Draft.code())
}

/// The referrals an organization sent (`sent`) or received (`!sent`), filtered.
fn filtered(organization_id: &OrganizationId, sent: bool, filter: &ListFilter, now: NaiveDateTime) -> referrals::BoxedQuery<'static, MultiBackend> {
    let mut query = referrals::table.into_boxed();
    query = if sent {
        query.filter(referrals::from_organization_id.eq(organization_id.to_owned()))
    } else {
        query.filter(referrals::to_organization_id.eq(organization_id.to_owned()))
    };
    if let Some(hidden) = hidden_from_box(sent) {
        query = query.filter(referrals::status.ne(hidden));
    }
    if let Some(status) = &filter.status {
        query = query.filter(referrals::status.eq(*status));
    }
    if let Some(urgency) = &filter.urgency {
        query = query.filter(referrals::urgency.eq(*urgency));
    }
    if let Some(service) = &filter.service_id {
        query = query.filter(referrals::service_id.eq(service.clone()));
    }
    if let Some(assignee) = &filter.assignee_id {
        query = query.filter(referrals::assignee_id.eq(assignee.clone()));
    }
    if let Some(participant) = &filter.participant_id {
        query = query.filter(referrals::participant_id.eq(participant.clone()));
    }
    match filter.overdue {
        Some(true) => query.filter(overdue(now)),
        Some(false) => query.filter(diesel::dsl::not(overdue(now))),
        None => query,
    }
}

/// How many referrals an organization sent or received match `filter` at `now`. An
/// inbox or outbox as a whole, or one status of it, is added up from the tallies the
/// database keeps (migration `…000018_referral_tallies`): counting it cost a read of the
/// organization's whole history on every page. Narrower filters are counted.
pub fn count_for_organization(conn: &mut DbConn, organization_id: &OrganizationId, sent: bool, filter: &ListFilter, now: NaiveDateTime) -> QueryResult<i64> {
    let ListFilter { status, urgency, service_id, assignee_id, overdue, participant_id } = filter;
    if urgency.is_none() && service_id.is_none() && assignee_id.is_none() && overdue.is_none() && participant_id.is_none() {
        let mut tallies = referral_tallies::table
            .filter(referral_tallies::organization_id.eq(organization_id.to_owned()))
            .filter(referral_tallies::box_.eq(if sent { "sent" } else { "received" }))
            .select(referral_tallies::referrals)
            .into_boxed();
        if let Some(hidden) = hidden_from_box(sent) {
            tallies = tallies.filter(referral_tallies::status.ne(hidden));
        }
        if let Some(status) = status {
            tallies = tallies.filter(referral_tallies::status.eq(*status));
        }
        // A few hundred rows at most (statuses × stripes), added here: SUM of a BIGINT is a NUMERIC on PostgreSQL.
        return Ok(tallies.load::<i64>(conn)?.into_iter().sum());
    }
    filtered(organization_id, sent, filter, now).count().get_result(conn)
}

/// One page of what [`count_for_organization`] counts: overdue at `now` first, then the
/// most urgent, then the newest. Overdue referrals are few and read whole; the rest come
/// in index order, so a busy organization's page costs a page, not its whole history.
pub fn page_for_organization(conn: &mut DbConn, organization_id: &OrganizationId, sent: bool, filter: &ListFilter, now: NaiveDateTime, offset: i64, limit: i64) -> QueryResult<Vec<ReferralRow>> {
    let ordered_ids = |overdue: bool| {
        let part = ListFilter { overdue: Some(overdue), ..filter.clone() };
        filtered(organization_id, sent, &part, now).order((UrgencyRank.desc(), referrals::created_at.desc(), referrals::id.desc())).select(referrals::id)
    };
    let overdue: Vec<ReferralId> = if filter.overdue == Some(false) { Vec::new() } else { ordered_ids(true).load(conn)? };
    let skipped = usize::try_from(offset).unwrap_or_default();
    let wanted = usize::try_from(limit).unwrap_or_default();
    let mut ids: Vec<ReferralId> = overdue.iter().skip(skipped).take(wanted).cloned().collect();
    if ids.len() < wanted && filter.overdue != Some(true) {
        let past_overdue = i64::try_from(skipped.saturating_sub(overdue.len())).unwrap_or(i64::MAX);
        let rest = i64::try_from(wanted - ids.len()).unwrap_or_default();
        ids.extend(ordered_ids(false).offset(past_overdue).limit(rest).load::<ReferralId>(conn)?);
    }
    let mut rows = referrals::table.filter(referrals::id.eq_any(&ids)).select(ReferralRow::as_select()).load(conn)?;
    rows.sort_by_key(|row| ids.iter().position(|id| *id == row.id));
    Ok(rows)
}

/// The storing of a new referral, a write of its change ([`crate::db::write_together`]).
pub fn insertion(row: &ReferralRow) -> impl Write + '_ {
    Statement(diesel::insert_into(referrals::table).values(row))
}

/// Replaces a referral's row if it is still at `version`: returns whether it was.
pub fn update(conn: &mut DbConn, row: &ReferralRow, version: i32) -> QueryResult<bool> {
    diesel::update(referrals::table.find(&row.id).filter(referrals::version.eq(version)))
        .set((
            referrals::consent_id.eq(&row.consent_id),
            referrals::snapshot_sealed.eq(&row.snapshot_sealed),
            referrals::redacted_at.eq(row.redacted_at),
            referrals::status.eq(&row.status),
            referrals::reason.eq(&row.reason),
            referrals::outcome.eq(&row.outcome),
            referrals::due_at.eq(row.due_at),
            referrals::assignee_id.eq(&row.assignee_id),
            referrals::version.eq(row.version),
            referrals::sent_at.eq(row.sent_at),
            referrals::updated_at.eq(row.updated_at),
            referrals::received_at.eq(row.received_at),
            referrals::accepted_at.eq(row.accepted_at),
            referrals::closed_at.eq(row.closed_at),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// The referrals that carry a snapshot under this consent.
pub fn carrying_snapshot_under(conn: &mut DbConn, consent_id: &ConsentId) -> QueryResult<Vec<ReferralRow>> {
    referrals::table
        .filter(referrals::consent_id.eq(consent_id))
        .filter(referrals::snapshot_sealed.is_not_null())
        .select(ReferralRow::as_select())
        .load(conn)
}

/// Referrals closed before `cutoff` that still keep their snapshot, oldest first.
pub fn closed_with_snapshot_before(conn: &mut DbConn, cutoff: NaiveDateTime, at_most: i64) -> QueryResult<Vec<ReferralRow>> {
    referrals::table
        .filter(referrals::snapshot_sealed.is_not_null())
        .filter(referrals::closed_at.lt(cutoff))
        .order(referrals::closed_at.asc())
        .limit(at_most)
        .select(ReferralRow::as_select())
        .load(conn)
}

/// A participant's erasure, for one of their referrals: the participant part — the
/// snapshot, the needs note, the safe-contact instructions — goes (columns `update`
/// leaves alone, since no step of the life cycle changes them).
pub fn erase_participant_part(conn: &mut DbConn, row: &ReferralRow, version: i32) -> QueryResult<bool> {
    diesel::update(referrals::table.find(&row.id).filter(referrals::version.eq(version)))
        .set((
            referrals::snapshot_sealed.eq(None::<String>),
            referrals::needs_note.eq(None::<String>),
            referrals::safe_contact_instructions.eq(None::<String>),
            referrals::redacted_at.eq(row.redacted_at),
            referrals::version.eq(row.version),
            referrals::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// A participant's erasure, for the words people wrote on these referrals: messages are
/// deleted and timeline notes emptied (either may have named or described them).
pub fn erase_words(conn: &mut DbConn, referral_ids: &[ReferralId]) -> QueryResult<()> {
    diesel::delete(referral_messages::table.filter(referral_messages::referral_id.eq_any(referral_ids))).execute(conn)?;
    diesel::update(referral_events::table.filter(referral_events::referral_id.eq_any(referral_ids))).set(referral_events::note.eq(None::<String>)).execute(conn)?;
    Ok(())
}

/// The appending of events to a referral's timeline, a write each.
pub fn event_insertions(events: &[EventRow]) -> Vec<impl Write + '_> {
    events.iter().map(|event| Statement(diesel::insert_into(referral_events::table).values(event))).collect()
}

/// The next ordinal on a referral's timeline.
pub fn next_ordinal(conn: &mut DbConn, referral_id: &ReferralId) -> QueryResult<i32> {
    let last: Option<i32> = referral_events::table.filter(referral_events::referral_id.eq(referral_id)).select(diesel::dsl::max(referral_events::ordinal)).first(conn)?;
    Ok(last.unwrap_or(0) + 1)
}

/// A referral's timeline with the actors' (user's or client's) and organizations' names, oldest first.
pub fn timeline(conn: &mut DbConn, referral_id: &ReferralId) -> QueryResult<Vec<(EventRow, Option<String>, String)>> {
    let rows: Vec<(EventRow, Option<String>, Option<String>, String)> = referral_events::table
        .left_join(users::table)
        .left_join(api_clients::table)
        .inner_join(organizations::table)
        .filter(referral_events::referral_id.eq(referral_id))
        .order(referral_events::ordinal.asc())
        .select((EventRow::as_select(), users::display_name.nullable(), api_clients::name.nullable(), organizations::name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(event, user, client, organization)| (event, user.or(client), organization)).collect())
}

/// What writing a referral needs to know of its service, and where the referral counts
/// on the dashboards.
#[derive(Debug, Clone, QueryableByName)]
pub struct ServiceFacts {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub organization_id: OrganizationId,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub organization_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub status: ServiceStatus,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub accepts_referrals: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub region_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub category_id: Option<String>,
}

/// Deeper than any category tree the partnership keeps.
const MAX_TAXONOMY_DEPTH: usize = 32;

/// A service's organization (and its name), name, status and whether it takes referrals,
/// with the cell of the dashboards a referral to it counts in, fixed when it is written
/// so that each referral falls in exactly one cell (what lets small cells be suppressed
/// soundly): the region of the service — when it serves several, the first one the
/// sending organization also serves, else the first by name — and the top-level category
/// of the first need named, else of the service's first category. One query: it runs
/// inside referral creation's transaction, where each round trip counts.
pub fn service_for_referral(conn: &mut DbConn, service_id: &str, from_organization_id: &OrganizationId, need_category_ids: &[String]) -> QueryResult<Option<ServiceFacts>> {
    // The category: up the tree from where it starts to its top. The tree has no cycles
    // (curation refuses them); the depth bound only guards bad data.
    let (start, bind) = match need_category_ids.first() {
        Some(need) => ("?", need.clone()),
        None => ("(SELECT taxonomy_term_id FROM service_taxonomy_terms WHERE service_id = ? ORDER BY taxonomy_term_id LIMIT 1)", service_id.to_owned()),
    };
    let sql = format!(
        "WITH RECURSIVE up (id, parent_id, depth) AS ( \
             SELECT id, parent_id, 0 FROM taxonomy_terms WHERE id = {start} \
             UNION ALL SELECT t.id, t.parent_id, up.depth + 1 FROM taxonomy_terms t JOIN up ON t.id = up.parent_id WHERE up.depth < {MAX_TAXONOMY_DEPTH}) \
         SELECT s.organization_id AS organization_id, o.name AS organization_name, s.name AS name, s.status AS status, \
                s.accepts_referrals AS accepts_referrals, \
                (SELECT sr.region_id FROM service_regions sr JOIN regions r ON r.id = sr.region_id \
                 LEFT JOIN organization_regions reg ON reg.region_id = sr.region_id AND reg.organization_id = ? \
                 WHERE sr.service_id = s.id ORDER BY CASE WHEN reg.region_id IS NULL THEN 1 ELSE 0 END, r.name, sr.region_id LIMIT 1) AS region_id, \
                (SELECT id FROM up ORDER BY depth DESC LIMIT 1) AS category_id \
         FROM services s JOIN organizations o ON o.id = s.organization_id WHERE s.id = ?"
    );
    let binds = [Bind::Text(bind), Bind::Text(from_organization_id.to_string()), Bind::Text(service_id.to_owned())];
    Ok(load_sql::<ServiceFacts>(conn, &sql, &binds)?.pop())
}

/// Adds a message.
pub fn add_message(conn: &mut DbConn, message: &MessageRow) -> QueryResult<()> {
    diesel::insert_into(referral_messages::table).values(message).execute(conn).map(drop)
}

/// A referral's messages with their authors' and organizations' names, oldest first.
pub fn messages(conn: &mut DbConn, referral_id: &ReferralId) -> QueryResult<Vec<(MessageRow, String, String)>> {
    referral_messages::table
        .inner_join(users::table)
        .inner_join(organizations::table)
        .filter(referral_messages::referral_id.eq(referral_id))
        .order((referral_messages::at.asc(), referral_messages::id.asc()))
        .select((MessageRow::as_select(), users::display_name, organizations::name))
        .load(conn)
}

/// Referrals still waiting for an answer that were sent before `cutoff`, the longest waiting first, at most `limit`.
pub fn unanswered_sent_before(conn: &mut DbConn, cutoff: NaiveDateTime, limit: i64) -> QueryResult<Vec<ReferralRow>> {
    referrals::table
        .filter(AwaitingAnswer)
        .filter(referrals::sent_at.lt(cutoff))
        .order((referrals::sent_at.asc(), referrals::id.asc()))
        .limit(limit)
        .select(ReferralRow::as_select())
        .load(conn)
}

/// Overdue referrals (still waiting for an answer past their due time) not yet reminded of.
pub fn overdue_unreminded(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<ReferralRow>> {
    referrals::table
        .filter(AwaitingAnswer)
        .filter(referrals::due_at.lt(now))
        .filter(referrals::reminded_at.is_null())
        .select(ReferralRow::as_select())
        .load(conn)
}

/// Marks the reminder sent, unless another instance did first: returns whether this one did.
pub fn mark_reminded(conn: &mut DbConn, id: &ReferralId, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(referrals::table.find(id).filter(referrals::reminded_at.is_null())).set(referrals::reminded_at.eq(at)).execute(conn).map(|n| n == 1)
}

/// Who is reminded of an overdue referral: the receiving organization's intake workers
/// and agency admins (and its assignee), and the worker who sent it.
pub fn reminder_addresses(conn: &mut DbConn, row: &ReferralRow) -> QueryResult<Vec<String>> {
    let mut addresses = crate::users::repo::partner_desk(conn, &row.to_organization_id)?;
    for user in [&row.assignee_id, &row.from_user_id].into_iter().flatten() {
        if let Some(email) = crate::participants::repo::active_address(conn, user)? {
            addresses.push(email);
        }
    }
    addresses.sort();
    addresses.dedup();
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    /// The inbox order must be written as the indexes have it, or they go unused.
    #[test]
    fn the_urgency_rank_is_the_inbox_indexes_expression() {
        for migration in [
            include_str!("../../../migrations/postgres/2026-11-24-000010_inbox_indexes/up.sql"),
            include_str!("../../../migrations/sqlite/2026-11-24-000010_inbox_indexes/up.sql"),
        ] {
            assert_eq!(migration.matches(&format!("({}) DESC", super::UrgencyRank::text())).count(), 2);
        }
    }

    /// The overdue and expiry reads must name the statuses as the partial indexes do, or they go unused.
    #[test]
    fn awaiting_an_answer_is_the_awaiting_indexes_condition() {
        for (migration, indexes) in [
            (include_str!("../../../migrations/postgres/2026-12-02-000016_awaiting_answer_indexes/up.sql"), 2),
            (include_str!("../../../migrations/sqlite/2026-12-02-000016_awaiting_answer_indexes/up.sql"), 2),
            (include_str!("../../../migrations/postgres/2026-12-04-000019_awaiting_by_sent_at/up.sql"), 1),
            (include_str!("../../../migrations/sqlite/2026-12-04-000019_awaiting_by_sent_at/up.sql"), 1),
        ] {
            assert_eq!(migration.matches(&format!("WHERE {};", super::AwaitingAnswer::text())).count(), indexes);
        }
    }
}
