//! The referral life cycle: which step is allowed from which state, by which side, and
//! what each step needs. Mapped onto HL7 FHIR Task statuses in [`fhir_status`].

use harbour_types::{EventKind, Outcome, ReasonCode, ReferralAction, ReferralStatus, ReferralTransition};

use super::error::ReferralError;

/// Which organization a step belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The organization that sent the referral.
    Sender,
    /// The organization of the service referred to.
    Receiver,
}

/// The side that takes a step.
pub fn side_of(action: ReferralAction) -> Side {
    if action.by_sender() {
        Side::Sender
    } else {
        Side::Receiver
    }
}

/// The timeline's word for a step.
pub fn event_kind(action: ReferralAction) -> EventKind {
    match action {
        ReferralAction::Send => EventKind::Sent,
        ReferralAction::Accept => EventKind::Accepted,
        ReferralAction::Decline => EventKind::Declined,
        ReferralAction::Start => EventKind::Started,
        ReferralAction::Complete => EventKind::Completed,
        ReferralAction::Withdraw => EventKind::Withdrawn,
    }
}

/// Whether a referral still waits for the receiving side's answer.
pub fn awaiting_answer(status: ReferralStatus) -> bool {
    matches!(status, ReferralStatus::Sent | ReferralStatus::Received)
}

/// Refuses a step that the state does not allow (409, naming the state and the steps
/// it allows) or that lacks what it needs (422).
pub fn check(status: ReferralStatus, step: &ReferralTransition) -> Result<(), ReferralError> {
    if !status.allowed_actions().contains(&step.action) {
        return Err(ReferralError::NotAllowedNow { status, action: step.action });
    }
    let note_given = step.note.as_deref().is_some_and(|n| !n.trim().is_empty());
    let incomplete = |pointer, message| Err(ReferralError::Incomplete { pointer, message });
    match step.action {
        ReferralAction::Decline if step.reason.is_none() => incomplete("/reason", "say why it is declined"),
        ReferralAction::Complete if step.outcome.is_none() => incomplete("/outcome", "closing needs an outcome"),
        ReferralAction::Complete if step.outcome == Some(Outcome::Unsuccessful) && step.reason.is_none() => incomplete("/reason", "an unsuccessful outcome needs a reason"),
        _ if step.reason == Some(ReasonCode::Other) && !note_given => incomplete("/note", "say what the other reason is"),
        _ => Ok(()),
    }
}

/// The HL7 FHIR R4 Task status of a referral state, for health-system partners.
pub fn fhir_status(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Draft => "draft",
        ReferralStatus::Sent => "requested",
        ReferralStatus::Received => "received",
        ReferralStatus::Accepted => "accepted",
        ReferralStatus::Declined => "rejected",
        ReferralStatus::InProgress => "in-progress",
        ReferralStatus::Completed => "completed",
        ReferralStatus::Withdrawn => "cancelled",
        ReferralStatus::Expired => "failed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(action: ReferralAction) -> ReferralTransition {
        ReferralTransition { action, reason: None, outcome: None, note: None }
    }

    #[test]
    fn every_state_allows_only_its_steps_and_closed_ones_none() {
        for status in ReferralStatus::ALL.iter().copied() {
            for action in ReferralAction::ALL.iter().copied() {
                let mut s = step(action);
                s.reason = Some(ReasonCode::NoCapacity);
                s.outcome = Some(Outcome::Successful);
                assert_eq!(check(status, &s).is_ok(), status.allowed_actions().contains(&action), "{status:?} {action:?}");
            }
        }
        assert!(ReferralStatus::Completed.allowed_actions().is_empty());
        assert_eq!(fhir_status(ReferralStatus::Withdrawn), "cancelled");
    }

    #[test]
    fn decline_and_close_need_their_reasons() {
        assert!(check(ReferralStatus::Received, &step(ReferralAction::Decline)).is_err());
        assert!(check(ReferralStatus::Accepted, &step(ReferralAction::Complete)).is_err());
        let mut unsuccessful = step(ReferralAction::Complete);
        unsuccessful.outcome = Some(Outcome::Unsuccessful);
        assert!(check(ReferralStatus::InProgress, &unsuccessful).is_err());
        unsuccessful.reason = Some(ReasonCode::Other);
        assert!(check(ReferralStatus::InProgress, &unsuccessful).is_err(), "other needs a note");
        unsuccessful.note = Some("moved away".into());
        assert!(check(ReferralStatus::InProgress, &unsuccessful).is_ok());
    }
}
