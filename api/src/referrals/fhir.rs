//! A referral as an HL7 FHIR R4 Task with its ServiceRequest (contained), for health-system
//! partners. Statuses map as in [`super::lifecycle::fhir_status`]. The ServiceRequest's
//! `subject` (required by R4) and the Task's `for` are a contained Patient that carries a
//! reference only, never identity: Harbour's participant id for the sending organization,
//! which holds it; for the receiving side, which is not given that id, one of this
//! referral alone. The receiving side reads the consented snapshot from the referral itself.

use harbour_types::{Outcome, Referral, ReferralStatus, Urgency};
use serde_json::{json, Value};

const SYSTEM: &str = "urn:harbour";

fn priority(urgency: Urgency) -> &'static str {
    match urgency {
        Urgency::Routine => "routine",
        Urgency::Soon => "urgent",
        Urgency::SameDay => "asap",
        Urgency::Emergency => "stat",
    }
}

/// The ServiceRequest's own status: what is asked for, whatever the Task's progress.
fn request_status(status: ReferralStatus) -> &'static str {
    match status {
        ReferralStatus::Draft => "draft",
        ReferralStatus::Sent | ReferralStatus::Received | ReferralStatus::Accepted | ReferralStatus::InProgress => "active",
        ReferralStatus::Completed => "completed",
        ReferralStatus::Declined | ReferralStatus::Withdrawn | ReferralStatus::Expired => "revoked",
    }
}

fn organization(reference: &harbour_types::OrganizationRef) -> Value {
    json!({"identifier": {"system": format!("{SYSTEM}:organization"), "value": reference.id}, "display": reference.name})
}

/// The pseudonymous Patient: an identifier and nothing else.
fn subject(referral: &Referral) -> Value {
    let identifier = match &referral.participant_id {
        Some(id) => json!({"system": format!("{SYSTEM}:participant"), "value": id}),
        None => json!({"system": format!("{SYSTEM}:referral-subject"), "value": referral.id}),
    };
    json!({"resourceType": "Patient", "id": "subject", "identifier": [identifier]})
}

/// The Task.
pub fn task(referral: &Referral) -> Value {
    let mut task = json!({
        "resourceType": "Task",
        "id": referral.id,
        "meta": {"versionId": referral.version.to_string(), "lastUpdated": referral.updated_at.to_rfc3339()},
        "identifier": [{"system": format!("{SYSTEM}:referral"), "value": referral.id}],
        "status": referral.fhir_status,
        "businessStatus": {"coding": [{"system": format!("{SYSTEM}:referral-status"), "code": referral.status.code()}]},
        "intent": "order",
        "priority": priority(referral.urgency),
        "focus": {"reference": "#request"},
        "for": {"reference": "#subject"},
        "authoredOn": referral.created_at.to_rfc3339(),
        "lastModified": referral.updated_at.to_rfc3339(),
        "requester": organization(&referral.from_organization),
        "owner": organization(&referral.to_organization),
        "contained": [subject(referral), {
            "resourceType": "ServiceRequest",
            "id": "request",
            "status": request_status(referral.status),
            "intent": "order",
            "priority": priority(referral.urgency),
            "subject": {"reference": "#subject"},
            "code": {"coding": [{"system": format!("{SYSTEM}:service"), "code": referral.service_id, "display": referral.service_name}], "text": referral.service_name},
            "category": referral.needs.category_ids.iter().map(|id| json!({"coding": [{"system": format!("{SYSTEM}:taxonomy-term"), "code": id}]})).collect::<Vec<_>>(),
            "authoredOn": referral.created_at.to_rfc3339(),
            "requester": organization(&referral.from_organization),
            "performer": [organization(&referral.to_organization)],
            "note": referral.needs.note.iter().map(|n| json!({"text": n})).collect::<Vec<_>>(),
        }],
    });
    if let Some(due) = referral.due_at {
        task["restriction"] = json!({"period": {"end": due.to_rfc3339()}});
    }
    if let Some(reason) = referral.reason {
        task["statusReason"] = json!({"coding": [{"system": format!("{SYSTEM}:reason"), "code": reason.code()}], "text": reason.code().replace('_', " ")});
    }
    if let Some(outcome) = referral.outcome {
        task["output"] = json!([{
            "type": {"coding": [{"system": format!("{SYSTEM}:output"), "code": "outcome"}]},
            "valueCode": match outcome { Outcome::Successful => "successful", Outcome::Unsuccessful => "unsuccessful" },
        }]);
    }
    task
}
