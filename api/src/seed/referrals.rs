//! `harbour seed --synthetic-referrals N`: N realistic referral histories over the last
//! two years, for the dashboards' scale tests and benchmarks — sent by the outreach
//! workers of organizations that have them, to services of other organizations that
//! accept referrals, each with its timeline: most answered within hours or days by
//! urgency, some declined (with reasons), withdrawn or expired, most completed.
//! Deterministic for a given N and database. Each sending organization gets one
//! synthetic participant (no identity fields); no consent or audit trail is made up.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use harbour_types::{EventKind, OrganizationId, Outcome, ParticipantId, ReasonCode, ReferralId, ReferralStatus, Role, ServiceStatus, Urgency};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::{new_id, SeedError};
use crate::config::Settings;
use crate::db::schema::{participants, referral_events, referrals, service_regions, service_taxonomy_terms, services, taxonomy_terms, user_roles, users};
use crate::db::{insert_all, Db, DbConn};
use crate::participants::repo::{self as participants_repo, ParticipantRow};
use crate::referrals::repo::{EventRow, ReferralRow};

/// Referrals written per transaction.
const BATCH: usize = 1000;

/// Who sends: an organization, one of its outreach workers and its synthetic participant.
struct Sender {
    organization_id: OrganizationId,
    user_id: String,
    participant_id: ParticipantId,
}

/// Where a referral can go: a service, its organization, region and top-level category.
struct Target {
    service_id: String,
    organization_id: OrganizationId,
    region_id: Option<String>,
    category_id: Option<String>,
}

/// Adds `count` referral histories; returns how many were written.
pub fn seed_synthetic_referrals(db: &Db, count: usize) -> Result<usize, SeedError> {
    let mut conn = db.get()?;
    let senders = senders(&mut conn)?;
    let targets = targets(&mut conn)?;
    if senders.is_empty() || targets.len() < 2 {
        return Err(SeedError::NeedsDemo);
    }
    let settings = Settings::default();
    let mut rng = StdRng::seed_from_u64(count as u64);
    let now = Utc::now().naive_utc();
    // Sent in order over the last two years, as a real partnership writes them (so rows
    // of one period sit together on disk, as they would).
    let start = now - Duration::days(730);
    let spacing = Duration::days(730).num_seconds() as f64 / count.max(1) as f64;
    let mut made = 0;
    while made < count {
        let chunk = (count - made).min(BATCH);
        let mut rows = Vec::with_capacity(chunk);
        let mut events = Vec::with_capacity(chunk * 5);
        for n in made..made + chunk {
            let sent = start + Duration::seconds((spacing * (n as f64 + rng.gen_range(0.0..1.0))) as i64);
            let sender = &senders[rng.gen_range(0..senders.len())];
            let target = loop {
                let target = &targets[rng.gen_range(0..targets.len())];
                if target.organization_id != sender.organization_id {
                    break target;
                }
            };
            let (row, timeline) = history(&mut rng, &settings, sender, target, sent, now);
            events.extend(timeline);
            rows.push(row);
        }
        crate::db::transaction(&mut conn, |conn| -> Result<(), SeedError> {
            insert_all!(conn, referrals::table, &rows)?;
            for events in events.chunks(3000) {
                insert_all!(conn, referral_events::table, events)?;
            }
            Ok(())
        })?;
        made += chunk;
    }
    Ok(made)
}

/// The organizations with an active outreach worker, each with its synthetic participant
/// (made now when missing).
fn senders(conn: &mut DbConn) -> Result<Vec<Sender>, SeedError> {
    let workers: Vec<(OrganizationId, String)> = users::table
        .inner_join(user_roles::table)
        .filter(user_roles::role.eq(Role::OutreachWorker))
        .filter(users::active.eq(true))
        .order((users::organization_id.asc(), users::id.asc()))
        .select((users::organization_id, users::id))
        .load(conn)?;
    let mut first: Vec<(OrganizationId, String)> = Vec::new();
    for (organization, user) in workers {
        if first.last().is_none_or(|(o, _)| *o != organization) {
            first.push((organization, user));
        }
    }
    let now = Utc::now().naive_utc();
    let mut senders = Vec::new();
    for (organization_id, user_id) in first {
        let existing: Option<ParticipantId> = participants::table
            .filter(participants::organization_id.eq(&organization_id))
            .filter(participants::alias.eq("Synthetic participant"))
            .select(participants::id)
            .first(conn)
            .optional()?;
        let participant_id = match existing {
            Some(id) => id,
            None => {
                let id = ParticipantId::from(new_id());
                participants_repo::insert(
                    conn,
                    &ParticipantRow {
                        id: id.clone(),
                        organization_id: organization_id.clone(),
                        alias: "Synthetic participant".into(),
                        alias_folded: "synthetic participant".into(),
                        age_band: None,
                        birth_year: None,
                        pronouns: None,
                        languages: "[]".into(),
                        self_description_sealed: None,
                        legal_name_sealed: None,
                        date_of_birth_sealed: None,
                        phone_sealed: None,
                        safety_notes_sealed: None,
                        contact_method: None,
                        contact_times: None,
                        contact_instructions: None,
                        no_voicemail: false,
                        primary_contact_id: None,
                        need_category_ids: "[]".into(),
                        needs_note: None,
                        version: 1,
                        created_by: user_id.clone(),
                        created_at: now,
                        updated_by: user_id.clone(),
                        updated_at: now,
                    },
                )?;
                id
            }
        };
        senders.push(Sender { organization_id, user_id, participant_id });
    }
    Ok(senders)
}

/// Active services that accept referrals, with the region and top-level category a
/// referral to them counts under (their first of each).
fn targets(conn: &mut DbConn) -> Result<Vec<Target>, SeedError> {
    let services: Vec<(String, OrganizationId)> = services::table
        .filter(services::status.eq(ServiceStatus::Active))
        .filter(services::accepts_referrals.eq(true))
        .order(services::id.asc())
        .select((services::id, services::organization_id))
        .load(conn)?;
    let mut regions: HashMap<String, String> = HashMap::new();
    for (service, region) in service_regions::table.order(service_regions::region_id.desc()).select((service_regions::service_id, service_regions::region_id)).load::<(String, String)>(conn)? {
        regions.insert(service, region);
    }
    let parents: HashMap<String, Option<String>> = taxonomy_terms::table.select((taxonomy_terms::id, taxonomy_terms::parent_id)).load(conn)?.into_iter().collect();
    let top = |mut term: String| {
        while let Some(Some(parent)) = parents.get(&term) {
            term = parent.clone();
        }
        term
    };
    let mut categories: HashMap<String, String> = HashMap::new();
    for (service, term) in service_taxonomy_terms::table
        .order(service_taxonomy_terms::taxonomy_term_id.desc())
        .select((service_taxonomy_terms::service_id, service_taxonomy_terms::taxonomy_term_id))
        .load::<(String, String)>(conn)?
    {
        categories.insert(service, term);
    }
    Ok(services
        .into_iter()
        .map(|(service_id, organization_id)| Target {
            region_id: regions.get(&service_id).cloned(),
            category_id: categories.get(&service_id).cloned().map(&top),
            service_id,
            organization_id,
        })
        .collect())
}

/// One referral sent at `sent` and its timeline, cut at `now` (what has not happened yet has not).
fn history(rng: &mut StdRng, settings: &Settings, sender: &Sender, target: &Target, sent: NaiveDateTime, now: NaiveDateTime) -> (ReferralRow, Vec<EventRow>) {
    let urgency = match rng.gen_range(0..10) {
        0 => Urgency::Emergency,
        1 | 2 => Urgency::SameDay,
        3..=5 => Urgency::Soon,
        _ => Urgency::Routine,
    };
    let due = settings.due_after(urgency);
    // A receiving side typically answers within a fraction of the due time, sometimes late.
    let after = |rng: &mut StdRng, at: NaiveDateTime, scale: Duration| at + Duration::seconds((scale.num_seconds() as f64 * rng.gen_range(0.05..1.6)) as i64);
    let mut steps: Vec<(ReferralStatus, EventKind, NaiveDateTime)> = vec![(ReferralStatus::Draft, EventKind::Created, sent), (ReferralStatus::Sent, EventKind::Sent, sent)];
    let (mut reason, mut outcome) = (None, None);
    let roll = rng.gen_range(0..100);
    if roll < 4 {
        steps.push((ReferralStatus::Withdrawn, EventKind::Withdrawn, after(rng, sent, due)));
    } else if roll < 9 {
        steps.push((ReferralStatus::Expired, EventKind::Expired, sent + Duration::days(i64::from(settings.referral_expire_days))));
    } else {
        let received = after(rng, sent, due / 2);
        steps.push((ReferralStatus::Received, EventKind::Received, received));
        if roll < 24 {
            reason = Some([ReasonCode::NoCapacity, ReasonCode::NoCapacity, ReasonCode::NotEligible, ReasonCode::OutsideServiceArea, ReasonCode::ParticipantDeclined, ReasonCode::Other][rng.gen_range(0..6)]);
            steps.push((ReferralStatus::Declined, EventKind::Declined, after(rng, received, due / 2)));
        } else {
            let accepted = after(rng, received, due / 2);
            steps.push((ReferralStatus::Accepted, EventKind::Accepted, accepted));
            let started = after(rng, accepted, Duration::days(2));
            steps.push((ReferralStatus::InProgress, EventKind::Started, started));
            if roll < 90 {
                let successful = rng.gen_bool(0.85);
                outcome = Some(if successful { Outcome::Successful } else { Outcome::Unsuccessful });
                if !successful {
                    reason = Some([ReasonCode::UnableToContact, ReasonCode::ParticipantDeclined, ReasonCode::NotEligible][rng.gen_range(0..3)]);
                }
                steps.push((ReferralStatus::Completed, EventKind::Completed, after(rng, started, Duration::days(20))));
            }
        }
    }
    steps.retain(|(_, _, at)| *at <= now);
    let reached = |status: ReferralStatus| steps.iter().find(|(s, _, _)| *s == status).map(|(_, _, at)| *at);
    let (status, _, last) = *steps.last().unwrap_or(&(ReferralStatus::Sent, EventKind::Sent, sent));
    let closed = status.is_closed();
    let id = ReferralId::from(new_id());
    let events = steps
        .iter()
        .enumerate()
        .map(|(n, (status, kind, at))| {
            let by_sender = matches!(*kind, EventKind::Created | EventKind::Sent | EventKind::Withdrawn);
            EventRow {
                id: new_id(),
                referral_id: id.clone(),
                ordinal: i32::try_from(n + 1).unwrap_or(i32::MAX),
                at: *at,
                kind: *kind,
                actor_user_id: by_sender.then(|| sender.user_id.clone()),
                actor_client_id: None,
                organization_id: if by_sender { &sender.organization_id } else { &target.organization_id }.clone(),
                status: *status,
                note: None,
            }
        })
        .collect();
    let row = ReferralRow {
        id,
        from_organization_id: sender.organization_id.clone(),
        from_user_id: Some(sender.user_id.clone()),
        from_client_id: None,
        to_organization_id: target.organization_id.clone(),
        service_id: target.service_id.clone(),
        participant_id: sender.participant_id.clone(),
        consent_id: None,
        need_category_ids: "[]".into(),
        needs_note: None,
        urgency,
        safe_contact_instructions: None,
        participant_confirmed: true,
        snapshot_sealed: None,
        redacted_at: None,
        status,
        reason: reason.filter(|_| closed),
        outcome: outcome.filter(|_| status == ReferralStatus::Completed),
        due_at: Some(sent + due),
        // Old unanswered ones were reminded long ago; leave the reminder sweep nothing to do.
        reminded_at: Some(sent + due),
        assignee_id: None,
        version: i32::try_from(steps.len()).unwrap_or(i32::MAX),
        created_at: sent,
        sent_at: Some(sent),
        updated_at: last,
        region_id: target.region_id.clone(),
        category_id: target.category_id.clone(),
        received_at: reached(ReferralStatus::Received),
        accepted_at: reached(ReferralStatus::Accepted),
        closed_at: closed.then_some(last),
    };
    (row, events)
}
