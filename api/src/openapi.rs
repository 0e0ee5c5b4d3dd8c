//! The OpenAPI 3.1 document, generated from the same route configuration the server
//! runs ([`crate::routes::routes`]), so the two cannot disagree.

use actix_web::App;
use utoipa::openapi::security::{ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Harbour API",
        description = "The shared system of a multi-agency partnership that helps sexually exploited and trafficked youth: \
a service directory, closed-loop inter-agency referrals and participant consent records.\n\n\
Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`. \
Lists are paged in the Open Referral HSDS 3.0 shape. \
Every POST accepts an `Idempotency-Key` header (1 to 200 visible ASCII characters): the same key with the same request \
returns the first successful response again (with `Idempotent-Replayed: true`) instead of acting twice, for a day; \
the same key with a different request is a 422 (`idempotency_key_reused`); keys belong to the caller. People sign in with a password and get a short-lived \
bearer token; partner systems use OAuth 2.0 client credentials at `/api/v1/auth/token`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Sign-in, tokens and one's own account"),
        (name = "organizations", description = "Partner organizations"),
        (name = "directory", description = "Services, locations, categories and regions (Open Referral HSDS 3.0 shapes)"),
        (name = "participants", description = "Pseudonymous participant records; what a caller sees is decided by consent"),
        (name = "consents", description = "Written consent: recorded with evidence, never edited, superseded or revoked"),
        (name = "safety-plans", description = "A participant's safety plan, in their words, kept revision by revision and sealed at rest: the owning organization writes it; an organization an active consent names for the `safety` category reads the current revision; the participant gets their own printable copy"),
        (name = "plans", description = "A participant's individualized plan: goals in their words, each in a domain of life, with steps that someone owns, due dates and statuses (a step can be a referral); their stage of change over time; review dates and a timeline. The owning organization writes it; an organization an active consent names reads all of it under `case_notes`, its goals' domains and titles under `needs`"),
        (name = "groups", description = "The partnership's groups — the core group, working groups, regional groups, cultural advisories and the survivor advisory — and their members, organizations and people, some of them co-chairs. Coordinators create groups and name co-chairs; coordinators and co-chairs add and remove members. Who belongs to a group whose membership is private (the survivor advisory's always is) is shown only to its members and the coordinators"),
        (name = "conferences", description = "Case conferences around one participant: convened by the organization that recorded them, inviting only organizations an active consent names for `case_conference`; time and place (with an iCalendar invitation carrying nothing about the person), agenda, notes and decisions, attendance, the participant's own voice, and action items with an owner and a due date tracked to done. An organization invited sees the conference while the consent lasts"),
        (name = "referrals", description = "The closed loop between agencies: consent-checked sending, the inbox, each step on a timeline. Statuses map onto HL7 FHIR R4 Task statuses: draft→draft, sent→requested, received→received, accepted→accepted, declined→rejected, in_progress→in-progress, completed→completed, withdrawn→cancelled, expired→failed"),
        (name = "webhooks", description = "Signed notifications of referral events (Standard Webhooks), from a transactional outbox"),
        (name = "audit", description = "The hash-chained audit trail (system admins)"),
        (name = "dashboards", description = "Counts for coordinators and system admins: referral flow, response times, declines, outcomes, overdue referrals, consents about to expire, coverage gaps, stale listings. Never a participant: counts of 1 to 4 people are shown as \"<5\", and other cells that would reveal them as \"x\"; filters leaving 1 to 4 referrals are refused (422 `population_too_small`). Each table is also CSV (`format=csv`)."),
        (name = "users", description = "An organization's staff accounts"),
        (name = "api-clients", description = "Partner systems acting for an organization"),
        (name = "instance", description = "Facts about this instance"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").description(Some("An access token from /api/v1/auth/sign-in")).build()),
        );
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::new([Flow::ClientCredentials(ClientCredentials::new(
                "/api/v1/auth/token",
                Scopes::from_iter([
                    ("directory:read", "Read the service directory"),
                    ("referrals:read", "Read the organization's referrals"),
                    ("referrals:write", "Create and update the organization's referrals"),
                    ("webhooks:manage", "Manage the organization's webhook subscriptions"),
                ]),
            ))])),
        );
    }
}

/// The base document: info, tags and security schemes, without paths.
pub fn base() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

/// The whole document, with every path and schema the server serves.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut document) = App::new().into_utoipa_app().openapi(base()).configure(crate::routes::routes).split_for_parts();
    add_problem_defaults(&mut document);
    document
}

/// Gives every operation a `default` response: any status it does not list (a 400 for a
/// malformed body, a 429 from the rate limit, a 503 while the database is away…) comes as
/// a problem document, which is what `error.rs` guarantees.
fn add_problem_defaults(document: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let problem = ResponseBuilder::new()
        .description("Any other outcome: an RFC 9457 problem")
        .content(crate::error::PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
        .build();
    for item in document.paths.paths.values_mut() {
        for operation in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
            operation.responses.responses.entry("default".into()).or_insert_with(|| problem.clone().into());
        }
    }
}

/// Every documented path with its methods, for the `Allow` header of a 405.
pub fn allowed_methods() -> crate::http::AllowedMethods {
    let paths = document().paths.paths.into_iter().map(|(path, item)| {
        let declared = [("GET", item.get.is_some()), ("PUT", item.put.is_some()), ("POST", item.post.is_some()), ("DELETE", item.delete.is_some()), ("PATCH", item.patch.is_some())];
        (path, declared.into_iter().filter(|(_, declared)| *declared).map(|(m, _)| m).collect())
    });
    crate::http::AllowedMethods::new(paths)
}

/// The document as committed in `openapi/openapi.json`: pretty JSON with a final newline.
pub fn to_committed_json() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("an OpenAPI document always serializes");
    text.push('\n');
    text
}
