//! Sign-in: e-mail and password, with errors announced to screen readers.

use harbour_types::SignInRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::client;
use crate::i18n::{problem_message, use_i18n, Msg};
use crate::session::use_session;

/// The sign-in screen.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = SignInRequest { email: email.get_untracked(), password: password.get_untracked() };
        spawn_local(async move {
            match client::sign_in(&body).await {
                Ok(response) => {
                    password.set(String::new());
                    session.accept(response, i18n);
                }
                Err(e) => error.set(Some(problem_message(e.code))),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{i18n.t(Msg::SignInTitle)}</h1>
            <p class="muted">{i18n.t(Msg::SignInIntro)}</p>
            <form on:submit=submit novalidate>
                <label for="email">{i18n.t(Msg::Email)}</label>
                <input id="email" name="email" type="email" autocomplete="username" inputmode="email" required bind:value=email/>
                <label for="password">{i18n.t(Msg::Password)}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required bind:value=password/>
                <p class="error" role="alert" aria-live="assertive">{move || error.get().map(|m| m.text(i18n.0.get()))}</p>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t(Msg::SigningIn)() } else { i18n.t(Msg::SignIn)() }}
                </button>
            </form>
        </section>
    }
}
