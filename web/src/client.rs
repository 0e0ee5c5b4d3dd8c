//! The API, one function per endpoint the app calls: the pages name what they want
//! (`client::referral(token, id)`), never a path. Paths, their query strings and the
//! escaping of the ids in them are written here once; `api` does the HTTP.

use harbour_types::{
    ActionInput, ActionItem, CoChairInput, Conference, ConferenceInput, ConferenceSummary, GoalInput, Group, MemberInput, Membership, IndividualPlan, PlanEvent, PlanGoal, PlanInput, PlanStep, StageInput, StageRecord, StepInput,
    AssigneeInput, CapacityInput, ChangePasswordRequest, Colleague, Consent, ConsentInput, ConsentStatement, ConsentStatementRequest, DisclosureReport, ErasureInput, ErasureReceipt, InstanceInfo, Location,
    LocationInput, Organization, Page, Participant, ParticipantInput, ParticipantSearch, ParticipantSummary, Referral, ReferralCounts, ReferralInput, ReferralMessage,
    ReferralMessageInput, ReferralTransition, Region, RegionInput, RevocationInput, SafetyPlan, SafetyPlanInput, SearchResults, Service, ServiceInput, SessionResponse, SignInRequest, TaxonomyTerm,
    TaxonomyTermInput,
};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Serialize;

use crate::api::{self, ApiError};

/// An id as a path segment: escaped, so that no id can reach another path.
fn segment(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

/// Lists the app shows whole (categories, regions, organizations) ask for this many.
const WHOLE_LIST: u32 = 100;

// Session and account.

/// The instance's name and settings, before signing in.
pub async fn instance() -> Result<InstanceInfo, ApiError> {
    api::get("/api/v1/instance", None).await
}

/// Signs in with e-mail and password.
pub async fn sign_in(body: &SignInRequest) -> Result<SessionResponse, ApiError> {
    api::post("/api/v1/auth/sign-in", None, body).await
}

/// A new access token from the refresh cookie.
pub async fn refresh() -> Result<SessionResponse, ApiError> {
    api::post("/api/v1/auth/refresh", None, &serde_json::json!({})).await
}

/// Where signing out goes, also as a beacon when the page is closed.
pub const SIGN_OUT: &str = "/api/v1/auth/sign-out";

/// Ends the session (the refresh cookie).
pub async fn sign_out() -> Result<(), ApiError> {
    api::post_no_content(SIGN_OUT, None, None).await
}

/// Changes one's own password.
pub async fn change_password(token: Option<&str>, body: &ChangePasswordRequest) -> Result<(), ApiError> {
    api::post_no_content("/api/v1/me/password", token, serde_json::to_value(body).ok()).await
}

// Directory.

/// Directory search, with the query string the directory screen built.
pub async fn search_services(token: Option<&str>, query: &str) -> Result<SearchResults, ApiError> {
    api::get(&format!("/api/v1/services/search?{query}"), token).await
}

/// Services taking referrals whose words match `words`, for the new-referral screen.
pub async fn referable_services(token: Option<&str>, words: &str) -> Result<SearchResults, ApiError> {
    search_services(token, &format!("accepts_referrals=true&per_page=20&q={}", segment(words))).await
}

/// One service.
pub async fn service(token: Option<&str>, id: &str) -> Result<Service, ApiError> {
    api::get(&format!("/api/v1/services/{}", segment(id)), token).await
}

/// An organization's services.
pub async fn services_of(token: Option<&str>, organization_id: &str) -> Result<Page<Service>, ApiError> {
    api::get(&format!("/api/v1/services?organization_id={}&per_page={WHOLE_LIST}", segment(organization_id)), token).await
}

/// Creates a service of an organization, or replaces one at `version`.
pub async fn save_service(token: Option<&str>, organization_id: &str, existing: Option<(&str, i32)>, body: &ServiceInput) -> Result<Service, ApiError> {
    save_of_organization(token, "services", organization_id, existing, body).await
}

/// Creates a record of an organization's (`/organizations/{id}/{collection}`), or
/// replaces one at `version` (`/{collection}/{id}`).
async fn save_of_organization<B: Serialize, T: DeserializeOwned>(token: Option<&str>, collection: &str, organization_id: &str, existing: Option<(&str, i32)>, body: &B) -> Result<T, ApiError> {
    match existing {
        Some((id, version)) => api::put_versioned(&format!("/api/v1/{collection}/{}", segment(id)), token, version, body).await,
        None => api::post(&format!("/api/v1/organizations/{}/{collection}", segment(organization_id)), token, body).await,
    }
}

/// Sets a service's capacity.
pub async fn set_capacity(token: Option<&str>, id: &str, version: i32, body: &CapacityInput) -> Result<Service, ApiError> {
    api::put_versioned(&format!("/api/v1/services/{}/capacity", segment(id)), token, version, body).await
}

/// Confirms a service's listing is current.
pub async fn verify_service(token: Option<&str>, id: &str) -> Result<Service, ApiError> {
    api::post(&format!("/api/v1/services/{}/verify", segment(id)), token, &serde_json::json!({})).await
}

/// An organization's places.
pub async fn locations_of(token: Option<&str>, organization_id: &str) -> Result<Vec<Location>, ApiError> {
    api::get(&format!("/api/v1/organizations/{}/locations", segment(organization_id)), token).await
}

/// Creates a place of an organization, or replaces one at `version`.
pub async fn save_location(token: Option<&str>, organization_id: &str, existing: Option<(&str, i32)>, body: &LocationInput) -> Result<Location, ApiError> {
    save_of_organization(token, "locations", organization_id, existing, body).await
}

/// Every category.
pub async fn taxonomy_terms(token: Option<&str>) -> Result<Page<TaxonomyTerm>, ApiError> {
    api::get(&format!("/api/v1/taxonomy_terms?per_page={WHOLE_LIST}"), token).await
}

/// Creates a category, or replaces one at `version`.
pub async fn save_taxonomy_term(token: Option<&str>, existing: Option<(&str, i32)>, body: &TaxonomyTermInput) -> Result<(), ApiError> {
    save_curated(token, "/api/v1/taxonomy_terms", existing, body).await
}

/// Every region.
pub async fn regions(token: Option<&str>) -> Result<Vec<Region>, ApiError> {
    api::get("/api/v1/regions", token).await
}

/// Creates a region, or replaces one at `version`.
pub async fn save_region(token: Option<&str>, existing: Option<(&str, i32)>, body: &RegionInput) -> Result<(), ApiError> {
    save_curated(token, "/api/v1/regions", existing, body).await
}

/// Creates a record of a coordinators' list (`collection`), or replaces one at `version`;
/// the form that saves it reloads the list, so the answer is not read.
async fn save_curated<B: Serialize>(token: Option<&str>, collection: &str, existing: Option<(&str, i32)>, body: &B) -> Result<(), ApiError> {
    let saved: Result<IgnoredAny, ApiError> = match existing {
        Some((id, version)) => api::put_versioned(&format!("{collection}/{}", segment(id)), token, version, body).await,
        None => api::post(collection, token, body).await,
    };
    saved.map(drop)
}

/// One partner organization.
pub async fn organization(token: Option<&str>, id: &str) -> Result<Organization, ApiError> {
    api::get(&format!("/api/v1/organizations/{}", segment(id)), token).await
}

/// The partner organizations.
pub async fn organizations(token: Option<&str>) -> Result<Page<Organization>, ApiError> {
    api::get(&format!("/api/v1/organizations?per_page={WHOLE_LIST}"), token).await
}

// The partnership's groups.

/// Every group, with its members where the caller may see who belongs.
pub async fn groups(token: Option<&str>) -> Result<Vec<Group>, ApiError> {
    api::get("/api/v1/groups", token).await
}

/// One group.
pub async fn group(token: Option<&str>, id: &str) -> Result<Group, ApiError> {
    api::get(&format!("/api/v1/groups/{}", segment(id)), token).await
}

/// Adds a member to a group.
pub async fn add_group_member(token: Option<&str>, id: &str, body: &MemberInput) -> Result<Group, ApiError> {
    api::post(&format!("/api/v1/groups/{}/members", segment(id)), token, body).await
}

/// Names a member co-chair, or no longer.
pub async fn set_co_chair(token: Option<&str>, id: &str, member: &str, body: &CoChairInput) -> Result<Group, ApiError> {
    api::put(&format!("/api/v1/groups/{}/members/{}", segment(id), segment(member)), token, body).await
}

/// Removes a member from a group.
pub async fn remove_group_member(token: Option<&str>, id: &str, member: &str) -> Result<Group, ApiError> {
    api::delete(&format!("/api/v1/groups/{}/members/{}", segment(id), segment(member)), token).await
}

/// The groups an organization belongs to.
pub async fn memberships(token: Option<&str>, organization_id: &str) -> Result<Vec<Membership>, ApiError> {
    api::get(&format!("/api/v1/organizations/{}/memberships", segment(organization_id)), token).await
}

// Participants and consent.

/// Participants found by alias.
pub async fn search_participants(token: Option<&str>, body: &ParticipantSearch) -> Result<Page<ParticipantSummary>, ApiError> {
    api::post("/api/v1/participants/search", token, body).await
}

/// One participant, as this caller may see them.
pub async fn participant(token: Option<&str>, id: &str) -> Result<Participant, ApiError> {
    api::get(&format!("/api/v1/participants/{}", segment(id)), token).await
}

/// The caller's colleagues who can be a participant's primary contact.
pub async fn colleagues(token: Option<&str>) -> Result<Vec<Colleague>, ApiError> {
    api::get("/api/v1/colleagues", token).await
}

/// Records a participant, or replaces one at `version`.
pub async fn save_participant(token: Option<&str>, existing: Option<(&str, i32)>, body: &ParticipantInput) -> Result<Participant, ApiError> {
    match existing {
        Some((id, version)) => api::put_versioned(&format!("/api/v1/participants/{}", segment(id)), token, version, body).await,
        None => api::post("/api/v1/participants", token, body).await,
    }
}

/// A participant's consents this caller may see.
pub async fn participant_consents(token: Option<&str>, id: &str) -> Result<Vec<Consent>, ApiError> {
    api::get(&format!("/api/v1/participants/{}/consents", segment(id)), token).await
}

/// Who saw or received what of a participant.
pub async fn disclosure_report(token: Option<&str>, id: &str) -> Result<DisclosureReport, ApiError> {
    api::get(&format!("/api/v1/participants/{}/disclosures", segment(id)), token).await
}

/// One consent.
pub async fn consent(token: Option<&str>, id: &str) -> Result<Consent, ApiError> {
    api::get(&format!("/api/v1/consents/{}", segment(id)), token).await
}

/// The statement to read to the participant before they consent.
pub async fn consent_statement(token: Option<&str>, body: &ConsentStatementRequest) -> Result<ConsentStatement, ApiError> {
    api::post("/api/v1/consent-statements", token, body).await
}

/// Records a consent.
pub async fn record_consent(token: Option<&str>, body: &ConsentInput) -> Result<Consent, ApiError> {
    api::post("/api/v1/consents", token, body).await
}

/// Records a consent's withdrawal.
pub async fn revoke_consent(token: Option<&str>, id: &str, body: &RevocationInput) -> Result<Consent, ApiError> {
    api::post(&format!("/api/v1/consents/{}/revoke", segment(id)), token, body).await
}

/// A participant's current safety plan, as the caller may see it.
pub async fn safety_plan(token: Option<&str>, participant_id: &str) -> Result<SafetyPlan, ApiError> {
    api::get(&format!("/api/v1/participants/{}/safety-plan", segment(participant_id)), token).await
}

/// Writes the plan's next revision over revision `current` (0 before the first).
pub async fn write_safety_plan(token: Option<&str>, participant_id: &str, current: i32, body: &SafetyPlanInput) -> Result<SafetyPlan, ApiError> {
    api::put_versioned(&format!("/api/v1/participants/{}/safety-plan", segment(participant_id)), token, current, body).await
}

/// A participant's individualized plan, as the caller may see it.
pub async fn plan(token: Option<&str>, participant_id: &str) -> Result<IndividualPlan, ApiError> {
    api::get(&format!("/api/v1/participants/{}/plan", segment(participant_id)), token).await
}

/// Sets the plan's review date over its settings' version `current` (0 the first time).
pub async fn set_plan(token: Option<&str>, participant_id: &str, current: i32, body: &PlanInput) -> Result<IndividualPlan, ApiError> {
    api::put_versioned(&format!("/api/v1/participants/{}/plan", segment(participant_id)), token, current, body).await
}

/// Sets a goal (`existing`: the goal's id and version, to change one).
pub async fn save_goal(token: Option<&str>, participant_id: &str, existing: Option<(&str, i32)>, body: &GoalInput) -> Result<PlanGoal, ApiError> {
    let goals = format!("/api/v1/participants/{}/plan/goals", segment(participant_id));
    match existing {
        Some((id, version)) => api::put_versioned(&format!("{goals}/{}", segment(id)), token, version, body).await,
        None => api::post(&goals, token, body).await,
    }
}

/// Adds a step to a goal, or changes one (`existing`: the step's id and version).
pub async fn save_step(token: Option<&str>, participant_id: &str, goal_id: &str, existing: Option<(&str, i32)>, body: &StepInput) -> Result<PlanStep, ApiError> {
    let steps = format!("/api/v1/participants/{}/plan/goals/{}/steps", segment(participant_id), segment(goal_id));
    match existing {
        Some((id, version)) => api::put_versioned(&format!("{steps}/{}", segment(id)), token, version, body).await,
        None => api::post(&steps, token, body).await,
    }
}

/// Records the participant's stage of change.
pub async fn record_stage(token: Option<&str>, participant_id: &str, body: &StageInput) -> Result<StageRecord, ApiError> {
    api::post(&format!("/api/v1/participants/{}/plan/stages", segment(participant_id)), token, body).await
}

/// The plan's timeline, newest first.
pub async fn plan_timeline(token: Option<&str>, participant_id: &str) -> Result<Vec<PlanEvent>, ApiError> {
    api::get(&format!("/api/v1/participants/{}/plan/timeline", segment(participant_id)), token).await
}

/// Prints the participant's own copy of their plan, in `lang`.
pub async fn print_safety_plan_copy(token: Option<&str>, participant_id: &str, lang: &str, name_organization: bool) -> Result<(), ApiError> {
    let path = format!("/api/v1/participants/{}/safety-plan/copy?lang={lang}&organization={name_organization}", segment(participant_id));
    api::print_page(&path, token).await
}

/// Prints the participant's own records (everything held about them, and who saw it), in `lang`.
pub async fn print_own_records(token: Option<&str>, participant_id: &str, lang: &str) -> Result<(), ApiError> {
    api::print_page(&format!("/api/v1/participants/{}/own-records?format=html&lang={lang}", segment(participant_id)), token).await
}

/// Erases a participant (agency admins of the owning organization).
pub async fn erase_participant(token: Option<&str>, id: &str, body: &ErasureInput) -> Result<ErasureReceipt, ApiError> {
    api::post(&format!("/api/v1/participants/{}/erasure", segment(id)), token, body).await
}

// Case conferences.

/// A participant's case conferences the caller may see.
pub async fn participant_conferences(token: Option<&str>, participant_id: &str) -> Result<Vec<ConferenceSummary>, ApiError> {
    api::get(&format!("/api/v1/participants/{}/conferences", segment(participant_id)), token).await
}

/// The conferences the caller's organization convened or is invited to.
pub async fn conferences(token: Option<&str>) -> Result<Vec<ConferenceSummary>, ApiError> {
    api::get("/api/v1/conferences", token).await
}

/// One conference.
pub async fn conference(token: Option<&str>, id: &str) -> Result<Conference, ApiError> {
    api::get(&format!("/api/v1/conferences/{}", segment(id)), token).await
}

/// Convenes a conference about a participant, or rewrites one at `version`.
pub async fn save_conference(token: Option<&str>, participant_id: &str, existing: Option<(&str, i32)>, body: &ConferenceInput) -> Result<Conference, ApiError> {
    match existing {
        Some((id, version)) => api::put_versioned(&format!("/api/v1/conferences/{}", segment(id)), token, version, body).await,
        None => api::post(&format!("/api/v1/participants/{}/conferences", segment(participant_id)), token, body).await,
    }
}

/// Adds an action item to a conference, or changes one (`existing`: its id and version).
pub async fn save_action(token: Option<&str>, conference_id: &str, existing: Option<(&str, i32)>, body: &ActionInput) -> Result<ActionItem, ApiError> {
    let actions = format!("/api/v1/conferences/{}/actions", segment(conference_id));
    match existing {
        Some((id, version)) => api::put_versioned(&format!("{actions}/{}", segment(id)), token, version, body).await,
        None => api::post(&actions, token, body).await,
    }
}

/// Hands the conference's calendar event to the browser, for the phone's calendar. It
/// carries no participant datum: the time, the place or link, who convenes.
pub async fn download_conference_calendar(token: Option<&str>, id: &str) -> Result<(), ApiError> {
    api::download(&format!("/api/v1/conferences/{}/calendar", segment(id)), token, "case-conference.ics", "text/calendar").await
}

// Referrals.

/// Referrals received (`received`) or sent by the caller's organization.
pub async fn referrals(token: Option<&str>, received: bool) -> Result<Page<Referral>, ApiError> {
    let which = if received { "received" } else { "sent" };
    api::get(&format!("/api/v1/referrals?box={which}&per_page=50"), token).await
}

/// Referrals the caller's organization sent for one of its participants.
pub async fn referrals_for(token: Option<&str>, participant_id: &str) -> Result<Page<Referral>, ApiError> {
    api::get(&format!("/api/v1/referrals?box=sent&participant_id={}&per_page=100", segment(participant_id)), token).await
}

/// The counts on the navigation badge.
pub async fn referral_counts(token: Option<&str>) -> Result<ReferralCounts, ApiError> {
    api::get("/api/v1/referrals/counts", token).await
}

/// One referral.
pub async fn referral(token: Option<&str>, id: &str) -> Result<Referral, ApiError> {
    api::get(&format!("/api/v1/referrals/{}", segment(id)), token).await
}

/// Writes a referral (sent at once, or kept as a draft).
pub async fn create_referral(token: Option<&str>, body: &ReferralInput) -> Result<Referral, ApiError> {
    api::post("/api/v1/referrals", token, body).await
}

/// Takes a step of a referral's life cycle.
pub async fn transition_referral(token: Option<&str>, id: &str, version: i32, body: &ReferralTransition) -> Result<Referral, ApiError> {
    api::post_versioned(&format!("/api/v1/referrals/{}/transitions", segment(id)), token, version, body).await
}

/// Gives a received referral to someone (or to nobody).
pub async fn assign_referral(token: Option<&str>, id: &str, version: i32, body: &AssigneeInput) -> Result<Referral, ApiError> {
    api::put_versioned(&format!("/api/v1/referrals/{}/assignee", segment(id)), token, version, body).await
}

/// The messages on a referral.
pub async fn referral_messages(token: Option<&str>, id: &str) -> Result<Vec<ReferralMessage>, ApiError> {
    api::get(&format!("/api/v1/referrals/{}/messages", segment(id)), token).await
}

/// Writes a message on a referral.
pub async fn post_referral_message(token: Option<&str>, id: &str, body: &ReferralMessageInput) -> Result<ReferralMessage, ApiError> {
    api::post(&format!("/api/v1/referrals/{}/messages", segment(id)), token, body).await
}

// Dashboards.

/// A dashboard's figures, or their CSV, with `query` (filters, `lang`, `format`).
pub fn dashboard(endpoint: &str, query: &str) -> String {
    format!("/api/v1/dashboards/{endpoint}?{query}")
}
