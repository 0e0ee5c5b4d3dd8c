//! The password change a user must make after an admin created or reset their account.

use harbour_types::ChangePasswordRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

/// The change-password screen. Changing ends every session, so the user signs in again.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Msg>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = ChangePasswordRequest { current_password: current.get_untracked(), new_password: new.get_untracked() };
        let token = session.token();
        spawn_local(async move {
            match client::change_password(token.as_deref(), &body).await {
                Ok(()) => {
                    window().alert_with_message(Msg::PasswordChanged.text(i18n.0.get_untracked())).ok();
                    session.sign_out();
                }
                Err(e) => message.set(Some(problem_message(e.code))),
            }
        });
    };
    view! {
        <section class="card narrow" aria-labelledby="change-password-title">
            <h1 id="change-password-title">{i18n.t(Msg::ChangePassword)}</h1>
            <p>{i18n.t(Msg::ChangePasswordFirst)}</p>
            <form on:submit=submit novalidate>
                <label for="current-password">{i18n.t(Msg::CurrentPassword)}</label>
                <input id="current-password" type="password" autocomplete="current-password" required bind:value=current/>
                <label for="new-password">{i18n.t(Msg::NewPassword)}</label>
                <input id="new-password" type="password" autocomplete="new-password" minlength="12" required bind:value=new/>
                <p class="error" role="alert">{move || message.get().map(|m| m.text(i18n.0.get()))}</p>
                <button type="submit" class="primary">{i18n.t(Msg::ChangePassword)}</button>
            </form>
        </section>
    }
}
