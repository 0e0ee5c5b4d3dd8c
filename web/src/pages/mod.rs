//! One module per screen.

pub mod categories_page;
pub mod change_password_page;
pub mod conference_page;
pub mod conferences_page;
pub mod consent_page;
pub mod dashboard_page;
pub mod directory_page;
pub mod disclosure_page;
pub mod group_page;
pub mod groups_page;
pub mod my_organization_page;
pub mod not_found_page;
pub mod organization_page;
pub mod participant_form_page;
pub mod participant_conferences_page;
pub mod participant_page;
pub mod participants_page;
pub mod place_form_page;
pub mod plan_page;
pub mod refer_page;
pub mod referral_page;
pub mod referrals_page;
pub mod safety_plan_page;
pub mod service_form_page;
pub mod service_page;
pub mod sign_in_page;
