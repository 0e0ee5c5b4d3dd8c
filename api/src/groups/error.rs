//! What can go wrong with a group, and how each is answered over HTTP.

use crate::error::ApiError;

/// Why a group operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    /// No group by this id.
    #[error("no such group")]
    NotFound,
    /// No member of this group by this id (or one the caller may not see: a private
    /// group's members are not probed by id).
    #[error("no such member of this group")]
    NoSuchMember,
    /// Adding and removing members is for coordinators and the group's co-chairs.
    #[error("coordinators and the group's co-chairs add and remove its members")]
    NotManager,
    /// Removing a member is for coordinators, co-chairs, the person themself and the
    /// agency admins of the member's organization.
    #[error("coordinators, the group's co-chairs, the member themself and their agency admins remove a member")]
    MayNotRemove,
    /// Only coordinators name co-chairs.
    #[error("only coordinators name a group's co-chairs")]
    CoChairsByCoordinators,
    /// A regional group names its region; no other kind does (the field's pointer).
    #[error("a regional group names its region, and only a regional group does")]
    Region(&'static str),
    /// The region named does not exist.
    #[error("no such region")]
    NoSuchRegion,
    /// The survivor advisory's membership is always private.
    #[error("the survivor advisory's membership is always private")]
    SurvivorAdvisoryPrivate,
    /// Membership kept private stays private: made public, it would name everyone who
    /// joined on that promise.
    #[error("a group whose membership is private stays private: make a new group instead")]
    StaysPrivate,
    /// A member is an organization or a person, exactly one.
    #[error("name an organization or a person, not both")]
    OneMember,
    /// The organization or person named is not an active one.
    #[error("no active organization or person by this id")]
    NoSuchMemberToAdd(&'static str),
    /// The version given in If-Match is not the current one.
    #[error("the group changed since it was read")]
    Stale,
    /// Anything else: authorization, the database.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(GroupError);

impl From<GroupError> for ApiError {
    fn from(e: GroupError) -> Self {
        let detail = e.to_string();
        match e {
            GroupError::NotFound | GroupError::NoSuchMember => ApiError::NotFound(detail),
            GroupError::NotManager | GroupError::MayNotRemove | GroupError::CoChairsByCoordinators => ApiError::forbidden(detail),
            GroupError::Region(pointer) => ApiError::invalid(pointer, "invalid", &detail),
            GroupError::NoSuchRegion => ApiError::invalid("/region_id", "not_found", &detail),
            GroupError::SurvivorAdvisoryPrivate | GroupError::StaysPrivate => ApiError::invalid("/private_membership", "invalid", &detail),
            GroupError::OneMember => ApiError::invalid("/organization_id", "one_of", &detail),
            GroupError::NoSuchMemberToAdd(pointer) => ApiError::invalid(pointer, "not_found", &detail),
            GroupError::Stale => ApiError::PreconditionFailed,
            GroupError::Api(api) => api,
        }
    }
}
