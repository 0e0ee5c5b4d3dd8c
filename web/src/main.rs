//! Harbour's single-page app: mobile first, English and French, quick exit everywhere.
//! The access token lives in memory only; the refresh token in an httpOnly cookie.

mod api;
mod client;
mod app;
mod components;
mod i18n;
mod pages;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
