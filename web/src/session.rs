//! The signed-in session, held in memory only: nothing about the user or their work is
//! written to localStorage, sessionStorage or IndexedDB. A reload restores the session
//! through the httpOnly refresh cookie, which scripts cannot read.

use harbour_types::{ErrorCode, InstanceInfo, Me, SessionResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::{api, client};
use crate::i18n::{Lang, I18n};

/// Where quick exit goes when the instance could not be asked.
const FALLBACK_EXIT: &str = "https://www.theweathernetwork.com/";
/// Refresh this many seconds before the access token expires.
const REFRESH_MARGIN_SECONDS: u64 = 60;
/// Where boot.js leaves the refresh it starts (the name is written there too).
const RESTORE_AT_BOOT: &str = "harbourRestore";

/// Whether we know yet if there is a session.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionState {
    /// Asking the server whether the refresh cookie still holds a session.
    Restoring,
    /// Nobody is signed in.
    SignedOut,
    /// No connection to the server: the directory saved on this device is shown.
    Offline,
    /// Signed in.
    SignedIn {
        /// The access token, in memory only.
        token: String,
        /// The user.
        me: Me,
    },
}

/// The app's session and instance facts, provided at the root.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// The session.
    pub state: RwSignal<SessionState>,
    /// This instance's public facts.
    pub instance: RwSignal<Option<InstanceInfo>>,
    /// Bumped by every new session and sign-out, so a refresh planned for an older
    /// session never fires: two refreshes of one token would end the session.
    generation: StoredValue<u64>,
}

impl Session {
    /// A session that starts by restoring from the refresh cookie.
    pub fn start(i18n: I18n) -> Session {
        let session = Session { state: RwSignal::new(SessionState::Restoring), instance: RwSignal::new(None), generation: StoredValue::new(0) };
        spawn_local(async move {
            if let Ok(info) = client::instance().await {
                session.instance.set(Some(info));
            }
        });
        // boot.js asked while the app downloaded: one round trip less before a
        // signed-in screen shows on a slow network. Asking again would spend the
        // refresh cookie twice, which ends the session.
        spawn_local(async move {
            match api::started_at_boot::<SessionResponse>(RESTORE_AT_BOOT).await {
                Some(answer) => session.settle(answer, i18n),
                None => session.refresh(i18n),
            }
        });
        session
    }

    /// The access token, if signed in.
    pub fn token(&self) -> Option<String> {
        match self.state.get_untracked() {
            SessionState::SignedIn { token, .. } => Some(token),
            _ => None,
        }
    }

    /// The signed-in user's organization (tracked: screens follow a change of session).
    pub fn organization(&self) -> Option<harbour_types::OrganizationRef> {
        match self.state.get() {
            SessionState::SignedIn { me, .. } => Some(me.organization),
            _ => None,
        }
    }

    /// True when the signed-in user has any of `roles` (tracked).
    pub fn has_any_role(&self, roles: &[harbour_types::Role]) -> bool {
        match self.state.get() {
            SessionState::SignedIn { me, .. } => me.roles.iter().any(|r| roles.contains(r)),
            _ => false,
        }
    }

    /// Takes a new session from the server, and plans its refresh.
    pub fn accept(self, response: SessionResponse, i18n: I18n) {
        i18n.0.set(Lang::from_tag(&response.user.locale));
        let delay = response.expires_in.saturating_sub(REFRESH_MARGIN_SECONDS).max(5);
        self.state.set(SessionState::SignedIn { token: response.access_token, me: response.user });
        let generation = self.next_generation();
        set_timeout(
            move || {
                if self.generation.get_value() == generation {
                    self.refresh(i18n);
                }
            },
            std::time::Duration::from_secs(delay),
        );
    }

    fn next_generation(self) -> u64 {
        self.generation.update_value(|g| *g += 1);
        self.generation.get_value()
    }

    /// Exchanges the refresh cookie for a new access token; signs out when refused, and
    /// goes offline when the server cannot be reached.
    pub fn refresh(self, i18n: I18n) {
        spawn_local(async move { self.settle(client::refresh().await, i18n) });
    }

    /// Takes the answer to a refresh: signed in, signed out, or offline.
    fn settle(self, answer: Result<SessionResponse, api::ApiError>, i18n: I18n) {
        match answer {
            Ok(response) => self.accept(response, i18n),
            Err(e) if e.code == ErrorCode::Offline => self.state.set(SessionState::Offline),
            Err(_) => self.state.set(SessionState::SignedOut),
        }
    }

    /// Signs out on the server and forgets everything held in memory.
    pub fn sign_out(self) {
        self.next_generation();
        self.state.set(SessionState::SignedOut);
        spawn_local(async move {
            let _ = client::sign_out().await;
        });
    }

    /// Leaves at once: ends the session (the request survives the page going away),
    /// drops what is in memory, and replaces this page with a neutral site so that
    /// Back does not return to Harbour.
    pub fn quick_exit(self) {
        let url = self.instance.get_untracked().map_or_else(|| FALLBACK_EXIT.to_owned(), |i| i.quick_exit_url);
        self.next_generation();
        self.state.set(SessionState::SignedOut);
        let window = leptos::prelude::window();
        let _ = window.navigator().send_beacon(client::SIGN_OUT);
        let _ = window.location().replace(&url);
    }
}

/// The session context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
