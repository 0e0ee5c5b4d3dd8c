//! The rules of the partnership's groups. Every partner reads the groups; coordinators
//! create and change them and name co-chairs; coordinators and co-chairs add and remove
//! members; a member leaves by the hand of the person themself or of their agency admins.
//!
//! Who belongs to a group whose membership is private (the survivor advisory's always
//! is) is shown to its members — a person who belongs, or a person of an organization
//! that does — and to coordinators, and to nobody else: not in the group, not in an
//! organization's memberships, not as a count, not to an API client, and a member's id
//! cannot be probed (the same 404 as none). A change of members leaves the group's
//! version and time as they were: watched by someone outside, they would tell when
//! someone joined or left.

use std::collections::HashMap;

use chrono::Utc;
use harbour_types::{CoChairInput, Group, GroupInput, GroupKind, GroupMember, MemberInput, Membership, OrganizationId, OrganizationRef, PersonRef, RegionRef, Role};

use super::error::GroupError;
use super::repo::{self, GroupRow, MemberRow, NamedMember};
use crate::auth::principal::Actor;
use crate::auth::{Permission, Principal};
use crate::db::{ordered_id, DbConn};
use crate::state::AppState;

fn coordinator(principal: &Principal) -> bool {
    principal.authorize(Permission::ManageGroups).is_ok()
}

fn has_role(principal: &Principal, role: Role) -> bool {
    matches!(&principal.actor, Actor::User { roles, .. } if roles.contains(&role))
}

/// Whether this member is the caller: the person, or the caller's organization. An API
/// client is never a member: private membership is for people to see.
fn is_caller(member: &MemberRow, principal: &Principal) -> bool {
    let Some(user) = principal.user_id() else { return false };
    member.user_id.as_deref() == Some(user) || member.organization_id.as_ref() == Some(&principal.organization_id)
}

/// How the caller stands towards a group.
struct Standing {
    members_shown: bool,
    manages: bool,
}

fn standing(principal: &Principal, group: &GroupRow, members: &[NamedMember]) -> Standing {
    let coordinator = coordinator(principal);
    let member = members.iter().any(|m| is_caller(&m.row, principal));
    // A co-chair organization acts through its agency admins; a co-chair person, themself.
    let co_chair = members.iter().any(|m| {
        m.row.co_chair && (m.row.user_id.is_some() && principal.user_id() == m.row.user_id.as_deref() || m.row.organization_id.as_ref() == Some(&principal.organization_id) && has_role(principal, Role::AgencyAdmin))
    });
    Standing { members_shown: !group.private_membership || coordinator || member, manages: coordinator || co_chair }
}

fn member_dto(m: &NamedMember) -> GroupMember {
    GroupMember {
        id: m.row.id.clone(),
        organization: OrganizationRef { id: m.organization_id.to_string(), name: m.organization_name.clone() },
        person: m.person_name.clone().map(|name| PersonRef { id: m.row.user_id.clone().unwrap_or_default(), name }),
        co_chair: m.row.co_chair,
        added_at: m.row.added_at.and_utc(),
    }
}

fn group_dto(principal: &Principal, row: GroupRow, members: &[NamedMember], regions: &HashMap<String, RegionRef>) -> Group {
    let standing = standing(principal, &row, members);
    let region = row.region_id.as_ref().and_then(|id| regions.get(id).cloned());
    Group {
        id: row.id,
        kind: row.kind,
        name: row.name,
        name_fr: row.name_fr,
        description: row.description,
        description_fr: row.description_fr,
        region,
        private_membership: row.private_membership,
        members_shown: standing.members_shown,
        members: if standing.members_shown { members.iter().map(member_dto).collect() } else { Vec::new() },
        may_manage_members: standing.manages,
        version: row.version,
        updated_at: row.updated_at.and_utc(),
    }
}

fn read(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<Group, GroupError> {
    let row = repo::find(conn, id)?.ok_or(GroupError::NotFound)?;
    let members = repo::members(conn, std::slice::from_ref(&row.id))?;
    let regions = repo::regions_of(conn, std::slice::from_ref(&row))?;
    Ok(group_dto(principal, row, &members, &regions))
}

/// The group as stored from a coordinator's input: a regional group's region checked,
/// the survivor advisory's membership private.
fn checked(conn: &mut DbConn, input: &GroupInput) -> Result<(Option<String>, bool), GroupError> {
    let region = match (input.kind, &input.region_id) {
        (GroupKind::Regional, Some(region)) => {
            repo::region_names(conn, region)?.ok_or(GroupError::NoSuchRegion)?;
            Some(region.clone())
        }
        (GroupKind::Regional, None) | (_, Some(_)) => return Err(GroupError::Region("/region_id")),
        (_, None) => None,
    };
    let private = match (input.kind, input.private_membership) {
        (GroupKind::SurvivorAdvisory, Some(false)) => return Err(GroupError::SurvivorAdvisoryPrivate),
        (GroupKind::SurvivorAdvisory, _) => true,
        (_, private) => private.unwrap_or(false),
    };
    Ok((region, private))
}

/// Every group, as the caller may see it.
pub async fn list(state: &AppState, principal: Principal) -> Result<Vec<Group>, GroupError> {
    principal.authorize(Permission::ReadDirectory)?;
    state
        .db
        .run(move |conn| {
            let rows = repo::all(conn)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let members = repo::members(conn, &ids)?;
            let regions = repo::regions_of(conn, &rows)?;
            Ok(rows
                .into_iter()
                .map(|row| {
                    let of_group: Vec<NamedMember> = members.iter().filter(|m| m.row.group_id == row.id).cloned().collect();
                    group_dto(&principal, row, &of_group, &regions)
                })
                .collect())
        })
        .await
}

/// One group, as the caller may see it.
pub async fn get(state: &AppState, principal: Principal, id: String) -> Result<Group, GroupError> {
    principal.authorize(Permission::ReadDirectory)?;
    state.db.run(move |conn| read(conn, &principal, &id)).await
}

/// A new group's row from a coordinator's input, checked.
fn row_of(conn: &mut DbConn, principal: &Principal, input: GroupInput) -> Result<GroupRow, GroupError> {
    let (region_id, private_membership) = checked(conn, &input)?;
    let now = Utc::now().naive_utc();
    Ok(GroupRow {
        id: ordered_id(),
        kind: input.kind,
        name: input.name.trim().to_owned(),
        name_fr: input.name_fr.trim().to_owned(),
        description: input.description.trim().to_owned(),
        description_fr: input.description_fr.trim().to_owned(),
        region_id,
        private_membership,
        version: 1,
        created_at: now,
        updated_by: principal.user_id().map(str::to_owned),
        updated_at: now,
    })
}

/// Creates a group (coordinators).
pub async fn create(state: &AppState, principal: Principal, input: GroupInput) -> Result<Group, GroupError> {
    principal.authorize(Permission::ManageGroups)?;
    state
        .db
        .transaction(move |conn| {
            let row = row_of(conn, &principal, input)?;
            repo::insert(conn, &row)?;
            read(conn, &principal, &row.id)
        })
        .await
}

/// Rewrites a group at `expected` (coordinators); private membership stays private.
pub async fn update(state: &AppState, principal: Principal, id: String, expected: i32, input: GroupInput) -> Result<Group, GroupError> {
    principal.authorize(Permission::ManageGroups)?;
    state
        .db
        .transaction(move |conn| {
            let current = repo::find(conn, &id)?.ok_or(GroupError::NotFound)?;
            let row = GroupRow { id: current.id, version: expected + 1, created_at: current.created_at, ..row_of(conn, &principal, input)? };
            if current.private_membership && !row.private_membership {
                return Err(GroupError::StaysPrivate);
            }
            if !repo::update(conn, &row, expected)? {
                return Err(GroupError::Stale);
            }
            read(conn, &principal, &id)
        })
        .await
}

/// The group and its members, if the caller may see who belongs; a private group's
/// member is not found for anyone else.
fn members_seen(conn: &mut DbConn, principal: &Principal, id: &str) -> Result<(GroupRow, Vec<NamedMember>, Standing), GroupError> {
    let row = repo::find(conn, id)?.ok_or(GroupError::NotFound)?;
    let members = repo::members(conn, std::slice::from_ref(&row.id))?;
    let standing = standing(principal, &row, &members);
    Ok((row, members, standing))
}

/// Adds a member (coordinators and co-chairs; only coordinators name a co-chair).
pub async fn add_member(state: &AppState, principal: Principal, id: String, input: MemberInput) -> Result<Group, GroupError> {
    principal.authorize(Permission::ReadDirectory)?;
    state
        .db
        .transaction(move |conn| {
            let (row, _, standing) = members_seen(conn, &principal, &id)?;
            if !standing.manages {
                return Err(GroupError::NotManager);
            }
            if input.co_chair && !coordinator(&principal) {
                return Err(GroupError::CoChairsByCoordinators);
            }
            let (organization_id, user_id) = match (&input.organization_id, &input.user_id) {
                (Some(organization), None) => {
                    let organization = OrganizationId::from(organization.as_str());
                    crate::organizations::repo::find(conn, &organization)?.filter(|o| o.active).ok_or(GroupError::NoSuchMemberToAdd("/organization_id"))?;
                    (Some(organization), None)
                }
                (None, Some(user)) => {
                    repo::active_user_organization(conn, user)?.ok_or(GroupError::NoSuchMemberToAdd("/user_id"))?;
                    (None, Some(user.clone()))
                }
                _ => return Err(GroupError::OneMember),
            };
            let by = principal.user_id().map(str::to_owned);
            repo::insert_member(conn, &MemberRow { id: ordered_id(), group_id: row.id.clone(), organization_id, user_id, co_chair: input.co_chair, added_by: by, added_at: Utc::now().naive_utc() })?;
            read(conn, &principal, &id)
        })
        .await
}

/// Names a member co-chair, or no longer (coordinators).
pub async fn set_co_chair(state: &AppState, principal: Principal, id: String, member: String, input: CoChairInput) -> Result<Group, GroupError> {
    principal.authorize(Permission::ManageGroups)?;
    state
        .db
        .transaction(move |conn| {
            repo::find(conn, &id)?.ok_or(GroupError::NotFound)?;
            repo::find_member(conn, &id, &member)?.ok_or(GroupError::NoSuchMember)?;
            repo::set_co_chair(conn, &member, input.co_chair)?;
            read(conn, &principal, &id)
        })
        .await
}

/// Removes a member: coordinators and co-chairs, the person themself, and the agency
/// admins of the member's organization (their organization leaving, or one of their people).
pub async fn remove_member(state: &AppState, principal: Principal, id: String, member: String) -> Result<Group, GroupError> {
    principal.authorize(Permission::ReadDirectory)?;
    state
        .db
        .transaction(move |conn| {
            let (_, members, standing) = members_seen(conn, &principal, &id)?;
            let found = members.iter().find(|m| m.row.id == member).filter(|_| standing.members_shown).ok_or(GroupError::NoSuchMember)?;
            let themself = found.row.user_id.is_some() && found.row.user_id.as_deref() == principal.user_id();
            let their_admin = found.organization_id == principal.organization_id && has_role(&principal, Role::AgencyAdmin);
            if !(standing.manages || themself || their_admin) {
                return Err(GroupError::MayNotRemove);
            }
            repo::delete_member(conn, &member)?;
            read(conn, &principal, &id)
        })
        .await
}

/// The groups an organization belongs to (itself or through its people), for its
/// profile: a private group's only to those who may see who belongs to it.
pub async fn memberships(state: &AppState, principal: Principal, organization_id: OrganizationId) -> Result<Vec<Membership>, GroupError> {
    principal.authorize(Permission::ReadDirectory)?;
    state
        .db
        .run(move |conn| {
            crate::organizations::repo::find(conn, &organization_id)?.ok_or(GroupError::Api(crate::error::ApiError::NotFound("no such organization".into())))?;
            let belongs = repo::of_organization(conn, &organization_id)?;
            let mut shown = Vec::new();
            for row in repo::all(conn)? {
                let Some((_, co_chair)) = belongs.iter().find(|(g, _)| *g == row.id) else { continue };
                if row.private_membership {
                    let members = repo::members(conn, std::slice::from_ref(&row.id))?;
                    if !standing(&principal, &row, &members).members_shown {
                        continue;
                    }
                }
                shown.push(Membership { group_id: row.id, kind: row.kind, name: row.name, name_fr: row.name_fr, co_chair: *co_chair });
            }
            Ok(shown)
        })
        .await
}
