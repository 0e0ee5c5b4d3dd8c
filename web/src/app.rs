//! The root: language and session contexts, the frame, and the router.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{Lazy, LazyRoute};
use leptos_router::path;

use crate::components::frame::Frame;
use crate::components::nav::Nav;
use crate::i18n::{use_i18n, I18n, Lang, Msg};
use crate::pages::directory_page::{DirectoryPage, DirectorySearchState};
use crate::pages::categories_page::CategoriesPage;
use crate::pages::conference_page::ConferencePage;
use crate::pages::conferences_page::ConferencesPage;
use crate::pages::consent_page::ConsentPage;
use crate::pages::dashboard_page::DashboardPage;
use crate::pages::disclosure_page::DisclosurePage;
use crate::pages::group_page::GroupPage;
use crate::pages::groups_page::GroupsPage;
use crate::pages::my_organization_page::MyOrganizationPage;
use crate::pages::organization_page::OrganizationPage;
use crate::pages::participant_form_page::{EditParticipantPage, NewParticipantPage};
use crate::pages::participant_conferences_page::ParticipantConferencesPage;
use crate::pages::participant_page::ParticipantPage;
use crate::pages::participants_page::ParticipantsPage;
use crate::pages::plan_page::PlanPage;
use crate::pages::refer_page::ReferPage;
use crate::pages::referral_page::ReferralPage;
use crate::pages::referrals_page::ReferralsPage;
use crate::pages::safety_plan_page::SafetyPlanPage;
use crate::pages::place_form_page::{EditPlacePage, NewPlacePage};
use crate::pages::service_form_page::{EditServicePage, NewServicePage};
use crate::pages::{change_password_page::ChangePasswordPage, not_found_page::NotFoundPage, service_page::ServicePage, sign_in_page::SignInPage};
use crate::session::{use_session, Session, SessionState};

/// Screens whose code loads when one of their group is first opened: `xtask build-web`
/// splits each group (a `#[lazy]` function) into its own wasm chunks, so a phone
/// downloads only the directory, the service page and sign-in before it can search. A
/// group is what one kind of user opens together. Split per screen, the code the
/// screens share fell into ~110 small chunks, and a referral's screen took 50 requests,
/// six at a time over HTTP/1.1, before it could show.
macro_rules! lazy_screens {
    ($group:ident($kind:ident) { $($screen:ident => $page:ident),+ $(,)? }) => {
        // Each variant is named as the route's screen it stands for.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $kind {
            $($screen),+
        }

        #[leptos::lazy]
        fn $group(screen: $kind) -> AnyView {
            match screen {
                $($kind::$screen => view! { <$page/> }.into_any()),+
            }
        }

        $(
            struct $screen;

            impl LazyRoute for $screen {
                fn data() -> Self {
                    $screen
                }

                async fn view(_this: Self) -> AnyView {
                    $group($kind::$screen).await
                }
            }
        )+
    };
}

// An agency admin's and a coordinator's upkeep of the directory.
lazy_screens!(organization_screens(OrganizationScreens) {
    MyOrganizationScreen => MyOrganizationPage,
    NewServiceScreen => NewServicePage,
    EditServiceScreen => EditServicePage,
    NewPlaceScreen => NewPlacePage,
    EditPlaceScreen => EditPlacePage,
    CategoriesScreen => CategoriesPage,
});
// A worker's participants, their consent and referring them.
lazy_screens!(participant_screens(ParticipantScreens) {
    ParticipantsScreen => ParticipantsPage,
    NewParticipantScreen => NewParticipantPage,
    ParticipantScreen => ParticipantPage,
    EditParticipantScreen => EditParticipantPage,
    ConsentScreen => ConsentPage,
    DisclosureScreen => DisclosurePage,
    ReferScreen => ReferPage,
    SafetyPlanScreen => SafetyPlanPage,
    PlanScreen => PlanPage,
    ParticipantConferencesScreen => ParticipantConferencesPage,
});
// The referrals an organization sent and received: what an intake worker opens.
lazy_screens!(referral_screens(ReferralScreens) {
    ReferralsScreen => ReferralsPage,
    ReferralScreen => ReferralPage,
});
// Case conferences: what the organizations at the table open (a participant's own list,
// where one is convened, is with the participant screens).
lazy_screens!(conference_screens(ConferenceScreens) {
    ConferencesScreen => ConferencesPage,
    ConferenceScreen => ConferencePage,
});
// The partnership's community of practice: its groups, and each partner's profile with
// the groups it takes part in.
lazy_screens!(community_screens(CommunityScreens) {
    GroupsScreen => GroupsPage,
    GroupScreen => GroupPage,
    OrganizationScreen => OrganizationPage,
});
lazy_screens!(dashboard_screens(DashboardScreens) {
    DashboardScreen => DashboardPage,
});

/// The app.
#[component]
pub fn App() -> impl IntoView {
    let browser_lang = window().navigator().language().map_or(Lang::En, |l| Lang::from_tag(&l));
    let i18n = I18n(RwSignal::new(browser_lang));
    provide_context(i18n);
    provide_context(Session::start(i18n));
    provide_context(DirectorySearchState::new());
    // Screen readers pronounce the page in the language it is shown in.
    Effect::new(move |_| {
        let lang = i18n.0.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.tag());
        }
        document().set_title(Msg::AppName.text(lang));
    });
    view! {
        <Router>
            <Frame>
                <Screens/>
            </Frame>
        </Router>
    }
}

/// Sign-in until there is a session; the routed screens after.
#[component]
fn Screens() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    move || match session.state.get() {
        SessionState::Restoring => view! { <p class="loading" role="status">{i18n.t(Msg::Loading)}</p> }.into_any(),
        SessionState::SignedOut => view! { <SignInPage/> }.into_any(),
        SessionState::Offline => view! {
            <div class="offline" role="status">
                <p>{i18n.t(Msg::OfflineBanner)}</p>
                <button type="button" class="link-back" on:click=move |_| session.refresh(i18n)>{i18n.t(Msg::TryAgain)}</button>
            </div>
            <Routes fallback=|| view! { <DirectoryPage/> }>
                <Route path=path!("/") view=DirectoryPage/>
                <Route path=path!("/services/:id") view=ServicePage/>
            </Routes>
        }
        .into_any(),
        SessionState::SignedIn { me, .. } if me.must_change_password => view! { <ChangePasswordPage/> }.into_any(),
        SessionState::SignedIn { .. } => view! {
            <Nav/>
            <Routes fallback=|| view! { <NotFoundPage/> }>
                <Route path=path!("/") view=DirectoryPage/>
                <Route path=path!("/services/:id") view=ServicePage/>
                <Route path=path!("/my-organization") view={Lazy::<MyOrganizationScreen>::new()}/>
                <Route path=path!("/my-organization/services/new") view={Lazy::<NewServiceScreen>::new()}/>
                <Route path=path!("/my-organization/services/:id/edit") view={Lazy::<EditServiceScreen>::new()}/>
                <Route path=path!("/my-organization/places/new") view={Lazy::<NewPlaceScreen>::new()}/>
                <Route path=path!("/my-organization/places/:id/edit") view={Lazy::<EditPlaceScreen>::new()}/>
                <Route path=path!("/dashboard") view={Lazy::<DashboardScreen>::new()}/>
                <Route path=path!("/categories") view={Lazy::<CategoriesScreen>::new()}/>
                <Route path=path!("/participants") view={Lazy::<ParticipantsScreen>::new()}/>
                <Route path=path!("/participants/new") view={Lazy::<NewParticipantScreen>::new()}/>
                <Route path=path!("/participants/:id") view={Lazy::<ParticipantScreen>::new()}/>
                <Route path=path!("/participants/:id/edit") view={Lazy::<EditParticipantScreen>::new()}/>
                <Route path=path!("/participants/:id/consent") view={Lazy::<ConsentScreen>::new()}/>
                <Route path=path!("/participants/:id/disclosures") view={Lazy::<DisclosureScreen>::new()}/>
                <Route path=path!("/participants/:id/refer") view={Lazy::<ReferScreen>::new()}/>
                <Route path=path!("/participants/:id/safety-plan") view={Lazy::<SafetyPlanScreen>::new()}/>
                <Route path=path!("/participants/:id/plan") view={Lazy::<PlanScreen>::new()}/>
                <Route path=path!("/participants/:id/conferences") view={Lazy::<ParticipantConferencesScreen>::new()}/>
                <Route path=path!("/conferences") view={Lazy::<ConferencesScreen>::new()}/>
                <Route path=path!("/conferences/:id") view={Lazy::<ConferenceScreen>::new()}/>
                <Route path=path!("/groups") view={Lazy::<GroupsScreen>::new()}/>
                <Route path=path!("/groups/:id") view={Lazy::<GroupScreen>::new()}/>
                <Route path=path!("/organizations/:id") view={Lazy::<OrganizationScreen>::new()}/>
                <Route path=path!("/referrals") view={Lazy::<ReferralsScreen>::new()}/>
                <Route path=path!("/referrals/:id") view={Lazy::<ReferralScreen>::new()}/>
            </Routes>
        }
        .into_any(),
    }
}
