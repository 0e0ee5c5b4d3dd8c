//! The one HTTP client of the app: JSON in and out, bearer token, problem+json errors.

use gloo_net::http::{Request, RequestBuilder, Response};
use harbour_types::{ErrorCode, Problem};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;

/// Why a call failed: a problem from the server, or no answer at all.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The problem's code (`Offline` when the server could not be reached).
    pub code: ErrorCode,
    /// The HTTP status, 0 when offline.
    pub status: u16,
}

impl ApiError {
    fn offline() -> ApiError {
        ApiError { code: ErrorCode::Offline, status: 0 }
    }
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json::<T>().await.map_err(|_| ApiError { code: ErrorCode::BadResponse, status: response.status() });
    }
    let status = response.status();
    let code = response.json::<Problem>().await.ok().and_then(|p| ErrorCode::from_code(&p.code)).unwrap_or(ErrorCode::Error);
    Err(ApiError { code, status })
}

fn with_token(builder: RequestBuilder, token: Option<&str>) -> RequestBuilder {
    match token {
        Some(token) => builder.header("Authorization", &format!("Bearer {token}")),
        None => builder,
    }
}

/// GET a JSON resource.
pub async fn get<T: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<T, ApiError> {
    let response = with_token(Request::get(path), token).send().await.map_err(|_| ApiError::offline())?;
    read(response).await
}

/// POST a JSON body and read a JSON answer.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, token: Option<&str>, body: &B) -> Result<T, ApiError> {
    let request = with_token(Request::post(path), token).json(body).map_err(|_| ApiError { code: ErrorCode::BadRequest, status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::offline())?;
    read(response).await
}

/// The answer to a request boot.js started before the app ran, left on `window` under
/// `name` as a promise of a fetch `Response`; taken once: `None` when there is none.
pub async fn started_at_boot<T: DeserializeOwned>(name: &str) -> Option<Result<T, ApiError>> {
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str(name);
    let promise = js_sys::Reflect::get(&window, &key).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    // Taken even if it cannot be removed: bailing out here would refresh a second time.
    let _ = js_sys::Reflect::delete_property(&window, &key);
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(response) => Some(read(Response::from(response.dyn_into::<web_sys::Response>().ok()?)).await),
        Err(_) => Some(Err(ApiError::offline())),
    }
}

/// PUT a JSON body with `If-Match: "version"`: a stale version gets a 412 error.
pub async fn put_versioned<B: Serialize, T: DeserializeOwned>(path: &str, token: Option<&str>, version: i32, body: &B) -> Result<T, ApiError> {
    let request = with_token(Request::put(path), token)
        .header("If-Match", &format!("\"{version}\""))
        .json(body)
        .map_err(|_| ApiError { code: ErrorCode::BadRequest, status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::offline())?;
    read(response).await
}

/// PUT a JSON body to a resource that takes no version (a flag on a membership).
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, token: Option<&str>, body: &B) -> Result<T, ApiError> {
    let request = with_token(Request::put(path), token).json(body).map_err(|_| ApiError { code: ErrorCode::BadRequest, status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::offline())?;
    read(response).await
}

/// DELETE, reading the JSON answer.
pub async fn delete<T: DeserializeOwned>(path: &str, token: Option<&str>) -> Result<T, ApiError> {
    let response = with_token(Request::delete(path), token).send().await.map_err(|_| ApiError::offline())?;
    read(response).await
}

/// POST a JSON body with `If-Match: "version"` (a step of a life cycle).
pub async fn post_versioned<B: Serialize, T: DeserializeOwned>(path: &str, token: Option<&str>, version: i32, body: &B) -> Result<T, ApiError> {
    let request = with_token(Request::post(path), token)
        .header("If-Match", &format!("\"{version}\""))
        .json(body)
        .map_err(|_| ApiError { code: ErrorCode::BadRequest, status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::offline())?;
    read(response).await
}

/// POST, with or without a JSON body, to an endpoint that answers with no content.
pub async fn post_no_content(path: &str, token: Option<&str>, body: Option<serde_json::Value>) -> Result<(), ApiError> {
    let builder = with_token(Request::post(path), token);
    let request = match body {
        Some(body) => builder.json(&body),
        None => builder.build(),
    }
    .map_err(|_| ApiError { code: ErrorCode::BadRequest, status: 0 })?;
    let response = request.send().await.map_err(|_| ApiError::offline())?;
    if response.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(response).await.map(drop)
    }
}

/// GETs a file (a CSV export, a calendar event) with the bearer token and hands it to the
/// browser as a download named `filename`: a plain link could not carry the token.
pub async fn download(path: &str, token: Option<&str>, filename: &str, media_type: &str) -> Result<(), ApiError> {
    let response = with_token(Request::get(path), token).send().await.map_err(|_| ApiError::offline())?;
    if !response.ok() {
        return read::<serde_json::Value>(response).await.map(drop);
    }
    let text = response.text().await.map_err(|_| ApiError::offline())?;
    let failed = || ApiError { code: ErrorCode::Error, status: 0 };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(&text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|_| failed())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed())?;
    let link: web_sys::HtmlAnchorElement = leptos::prelude::document().create_element("a").map_err(|_| failed())?.unchecked_into();
    link.set_href(&url);
    link.set_download(filename);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// GETs a printable page with the bearer token and prints it from a hidden frame: nothing
/// of it is saved on the device (a download would leave a file a finder could open).
pub async fn print_page(path: &str, token: Option<&str>) -> Result<(), ApiError> {
    use wasm_bindgen::closure::Closure;
    let response = with_token(Request::get(path), token).send().await.map_err(|_| ApiError::offline())?;
    if !response.ok() {
        return read::<serde_json::Value>(response).await.map(drop);
    }
    let html = response.text().await.map_err(|_| ApiError::offline())?;
    let failed = || ApiError { code: ErrorCode::Error, status: 0 };
    let document = leptos::prelude::document();
    let frame: web_sys::HtmlIFrameElement = document.create_element("iframe").map_err(|_| failed())?.unchecked_into();
    frame.set_title("print");
    let _ = frame.set_attribute("aria-hidden", "true");
    let _ = frame.set_attribute("style", "position:fixed;width:0;height:0;border:0");
    frame.set_srcdoc(&html);
    let printed = frame.clone();
    let on_load = Closure::once_into_js(move || {
        if let Some(window) = printed.content_window() {
            let _ = window.print();
        }
        printed.remove();
    });
    frame.set_onload(Some(on_load.unchecked_ref()));
    document.body().ok_or_else(failed)?.append_child(&frame).map_err(|_| failed())?;
    Ok(())
}
