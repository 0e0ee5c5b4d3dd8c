//! What can go wrong with a referral, in the referral's terms; [`ApiError`] says how
//! each is answered over HTTP.

use harbour_types::{ErrorCode, ReferralAction, ReferralStatus};

use super::lifecycle::Side;
use crate::error::ApiError;

/// Why a referral operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum ReferralError {
    /// No referral with this id that the caller's organization sent or received (a draft
    /// shows to its sender only): the same answer whether it exists or not.
    #[error("no such referral")]
    NotFound,
    #[error("is not a participant of your organization")]
    UnknownParticipant,
    /// The participant of a draft being sent is gone.
    #[error("no such participant")]
    ParticipantGone,
    #[error("is not a service of the directory")]
    UnknownService,
    #[error("refer to another organization's service")]
    OwnOrganization,
    #[error("this service does not take referrals now")]
    NotAccepting,
    /// The need at this place of `needs.category_ids` is not a directory category.
    #[error("is not a directory category")]
    UnknownCategory { index: usize },
    #[error("check with the participant that this referral is what they want, then confirm it")]
    NotConfirmed,
    /// No active consent names the receiving organization for the purpose "referral".
    #[error("no active consent lets {receiver} receive a referral for this participant: record one that names {receiver} for the purpose \"referral\"")]
    ConsentRequired { receiver: String },
    /// A step that belongs to the other side.
    #[error("only {} may {} this referral", if *.side == Side::Sender { "the receiving organization" } else { "the sending organization" }, .action.code())]
    WrongSide { side: Side, action: ReferralAction },
    #[error("only the receiving organization assigns a referral")]
    OnlyReceiverAssigns,
    /// A step the referral's state does not allow.
    #[error("the referral is {}; `{}` is not allowed now. Allowed: {}", .status.code(), .action.code(), allowed_text(*.status))]
    NotAllowedNow { status: ReferralStatus, action: ReferralAction },
    /// A step without what it needs: the field, and what to say.
    #[error("{message}")]
    Incomplete { pointer: &'static str, message: &'static str },
    #[error("must be an active user of your organization")]
    UnknownAssignee,
    #[error("write a message")]
    EmptyMessage,
    #[error("box is sent or received")]
    UnknownBox,
    /// `participant_id` filters the sent box only: a receiving organization never learns
    /// a participant's id, so it cannot ask by one.
    #[error("participant_id filters the referrals your organization sent (box=sent) only")]
    ParticipantFilterOnReceived,
    /// The version given is not the referral's current one.
    #[error("the referral changed since it was read")]
    Stale,
    /// Another request changed the referral between this one's read and its write.
    #[error("the referral changed while it was opened: open it again")]
    ChangedWhileOpened,
    #[error("a referral changed during the withdrawal: try again")]
    ChangedDuringWithdrawal,
    /// Anything else: authorization, the database, sealing.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(ReferralError);

fn allowed_text(status: ReferralStatus) -> String {
    let names: Vec<&str> = status.allowed_actions().iter().map(|a| a.code()).collect();
    if names.is_empty() {
        "none: it is closed".to_owned()
    } else {
        names.join(", ")
    }
}

impl From<ReferralError> for ApiError {
    fn from(e: ReferralError) -> Self {
        let detail = e.to_string();
        let invalid = |pointer: &str, code: &str| ApiError::invalid(pointer, code, &detail);
        match e {
            ReferralError::NotFound => ApiError::NotFound(detail),
            ReferralError::ParticipantGone => ApiError::NotFound(detail),
            ReferralError::UnknownParticipant => invalid("/participant_id", "unknown"),
            ReferralError::UnknownService => invalid("/service_id", "unknown"),
            ReferralError::OwnOrganization => invalid("/service_id", "own_organization"),
            ReferralError::NotAccepting => invalid("/service_id", "not_accepting"),
            ReferralError::UnknownCategory { index } => invalid(&format!("/needs/category_ids/{index}"), "unknown"),
            ReferralError::NotConfirmed => invalid("/participant_confirmed", "required"),
            ReferralError::Incomplete { pointer, .. } => invalid(pointer, "required"),
            ReferralError::UnknownAssignee => invalid("/user_id", "unknown"),
            ReferralError::EmptyMessage => invalid("/body", "required"),
            ReferralError::ConsentRequired { .. } => ApiError::Conflict { code: ErrorCode::ConsentRequired, detail },
            ReferralError::NotAllowedNow { .. } => ApiError::Conflict { code: ErrorCode::IllegalTransition, detail },
            ReferralError::ChangedWhileOpened | ReferralError::ChangedDuringWithdrawal => ApiError::Conflict { code: ErrorCode::ChangedMeanwhile, detail },
            ReferralError::WrongSide { .. } | ReferralError::OnlyReceiverAssigns => ApiError::forbidden(detail),
            ReferralError::UnknownBox | ReferralError::ParticipantFilterOnReceived => ApiError::BadRequest(detail),
            ReferralError::Stale => ApiError::PreconditionFailed,
            ReferralError::Api(api) => api,
        }
    }
}
