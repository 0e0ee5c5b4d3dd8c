//! Where the phone is, from the browser's geolocation.

use leptos::prelude::window;

/// Asks the browser where the phone is, to `decimals` decimal places of a degree (2 is
/// about a kilometre, 5 about a metre); `done` gets the position, or None when refused
/// or unavailable.
pub fn locate(decimals: i32, done: impl FnOnce(Option<(f64, f64)>) + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(geolocation) = window().navigator().geolocation() else {
        done(None);
        return;
    };
    let done = std::rc::Rc::new(std::cell::RefCell::new(Some(done)));
    let on_error = {
        let done = done.clone();
        Closure::once_into_js(move |_: wasm_bindgen::JsValue| {
            if let Some(done) = done.borrow_mut().take() {
                done(None);
            }
        })
    };
    let scale = 10_f64.powi(decimals);
    let on_success = Closure::once_into_js(move |position: web_sys::Position| {
        let coords = position.coords();
        let round = |v: f64| (v * scale).round() / scale;
        if let Some(done) = done.borrow_mut().take() {
            done(Some((round(coords.latitude()), round(coords.longitude()))));
        }
    });
    let _ = geolocation.get_current_position_with_error_callback(on_success.unchecked_ref(), Some(on_error.unchecked_ref()));
}
