//! A signature drawn with a finger on the worker's phone, kept as a PNG.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, PointerEvent};

use crate::i18n::{use_i18n, Msg};

/// The drawing surface; `signature` holds the PNG's base64 once something is drawn.
#[component]
pub fn SignaturePad(signature: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drawing = StoredValue::new(false);
    let context = move || -> Option<CanvasRenderingContext2d> { canvas.get()?.get_context("2d").ok()??.dyn_into().ok() };
    // Pointer positions are in CSS pixels; the canvas draws in its own, larger grid.
    let point = move |ev: &PointerEvent| -> Option<(f64, f64)> {
        let c = canvas.get()?;
        let rect = c.get_bounding_client_rect();
        let (sx, sy) = (f64::from(c.width()) / rect.width(), f64::from(c.height()) / rect.height());
        Some(((f64::from(ev.client_x()) - rect.left()) * sx, (f64::from(ev.client_y()) - rect.top()) * sy))
    };
    let down = move |ev: PointerEvent| {
        ev.prevent_default();
        let (Some(ctx), Some((x, y))) = (context(), point(&ev)) else { return };
        drawing.set_value(true);
        ctx.set_line_width(4.0);
        ctx.set_line_cap("round");
        ctx.set_stroke_style_str("#1b1f23");
        ctx.begin_path();
        ctx.move_to(x, y);
        if let Some(c) = canvas.get() {
            let _ = c.set_pointer_capture(ev.pointer_id());
        }
    };
    let moved = move |ev: PointerEvent| {
        if !drawing.get_value() {
            return;
        }
        ev.prevent_default();
        if let (Some(ctx), Some((x, y))) = (context(), point(&ev)) {
            ctx.line_to(x, y);
            ctx.stroke();
        }
    };
    let up = move |_: PointerEvent| {
        if !drawing.get_value() {
            return;
        }
        drawing.set_value(false);
        let png = canvas.get().and_then(|c| c.to_data_url().ok());
        signature.set(png.and_then(|url| url.split_once(',').map(|(_, data)| data.to_owned())));
    };
    let clear = move |_| {
        if let (Some(ctx), Some(c)) = (context(), canvas.get()) {
            ctx.clear_rect(0.0, 0.0, f64::from(c.width()), f64::from(c.height()));
        }
        signature.set(None);
    };
    view! {
        <p class="field-label" id="signature-label">{i18n.t(Msg::SignHere)}</p>
        <canvas node_ref=canvas class="signature" width="600" height="220" role="img" aria-labelledby="signature-label"
            on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up></canvas>
        <button type="button" class="link-back" on:click=clear>{i18n.t(Msg::ClearSignature)}</button>
    }
}
