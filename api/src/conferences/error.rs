//! What can go wrong with a case conference, and how each is answered over HTTP.

use crate::error::ApiError;
use crate::participants::ParticipantError;

/// Why a conference operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ConferenceError {
    /// No conference the caller may see (none by this id, not invited, or the consent
    /// that brought the organization to the table no longer active): one answer for all.
    #[error("no case conference you may see")]
    NotFound,
    /// No action item of this conference's by this id.
    #[error("no such action item")]
    NoSuchAction,
    /// Only the organization that recorded the participant convenes and writes conferences.
    #[error("only the organization that recorded the participant convenes and writes its case conferences")]
    ConvenerOnly,
    /// An organization given an action item changes only its status.
    #[error("only the convening organization rewords, reassigns or moves an action item; yours may change its status")]
    StatusOnly,
    /// The version given in If-Match is not the current one.
    #[error("the conference changed since it was read")]
    Stale,
    /// An organization invited has no active consent naming it for case conferences
    /// (the JSON pointer of the field, and the organization's name).
    #[error("no active consent of the participant's names {1} for case conferences: record their consent first")]
    NoConsent(String, String),
    /// An organization invited is not an active partner, or is the convener itself.
    #[error("invite active partner organizations, each once; the convening organization takes part without being invited")]
    NotInvitable(String),
    /// An action item's organization is neither the convener nor an organization at the table.
    #[error("an action item goes to the convening organization or to one invited, whose consent is active")]
    NotAtTable,
    /// An action item's person is not a frontline user of its organization.
    #[error("an action item's person must be a frontline user of its organization")]
    NotOfOrganization,
    /// A text is only spaces (the JSON pointer of the field).
    #[error("this field is blank")]
    Blank(String),
    /// The participant is not one the caller may see.
    #[error(transparent)]
    Participant(#[from] ParticipantError),
    /// Anything else: authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(ConferenceError);

impl From<ConferenceError> for ApiError {
    fn from(e: ConferenceError) -> Self {
        let detail = e.to_string();
        match e {
            ConferenceError::NotFound | ConferenceError::NoSuchAction => ApiError::NotFound(detail),
            ConferenceError::ConvenerOnly | ConferenceError::StatusOnly => ApiError::forbidden(detail),
            ConferenceError::Stale => ApiError::PreconditionFailed,
            ConferenceError::NoConsent(pointer, _) => ApiError::invalid(&pointer, "consent_missing", &detail),
            ConferenceError::NotInvitable(pointer) => ApiError::invalid(&pointer, "invalid", &detail),
            ConferenceError::NotAtTable => ApiError::invalid("/organization_id", "invalid", &detail),
            ConferenceError::NotOfOrganization => ApiError::invalid("/user_id", "invalid", &detail),
            ConferenceError::Blank(pointer) => ApiError::invalid(&pointer, "required", &detail),
            ConferenceError::Participant(e) => e.into(),
            ConferenceError::Api(api) => api,
        }
    }
}
