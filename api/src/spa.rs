//! Serving the built SPA: its precompressed assets, and index.html for its routes.

use actix_files::NamedFile;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;
use crate::state::AppState;

/// The codings a client accepts (`Accept-Encoding`), without those it refuses (`q=0`).
fn accepted_codings(req: &HttpRequest) -> Vec<String> {
    let header = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    header
        .split(',')
        .filter_map(|part| {
            let mut fields = part.split(';').map(str::trim);
            let coding = fields.next()?.to_ascii_lowercase();
            let refused = fields.any(|f| f.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
            (!coding.is_empty() && !refused).then_some(coding)
        })
        .collect()
}

/// One of the SPA's assets. `cargo xtask build-web` writes a brotli (`.br`) and a gzip
/// (`.gz`) copy beside each, compressed once at settings far too slow for each request:
/// a phone that accepts brotli downloads about 40% less than with on-the-fly gzip.
pub async fn asset(req: HttpRequest, path: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("no such asset".into());
    let (build, file) = path.into_inner();
    // Plain names only: nothing may climb out of the assets folder.
    if [&build, &file].iter().any(|part| part.starts_with('.') || part.contains(['/', '\\'])) {
        return Err(not_found());
    }
    let web_dir = req.app_data::<web::Data<AppState>>().map(|s| s.settings.web_dir.clone()).ok_or_else(not_found)?;
    let plain = web_dir.join("assets").join(&build).join(&file);
    let codings = accepted_codings(&req);
    let variant = [("br", "br"), ("gzip", "gz")].into_iter().find_map(|(coding, suffix)| {
        let path = plain.with_file_name(format!("{file}.{suffix}"));
        (codings.iter().any(|c| c == coding) && path.is_file()).then_some((path, coding))
    });
    let mut response = match &variant {
        Some((path, _)) => {
            let extension = plain.extension().and_then(|e| e.to_str()).unwrap_or_default();
            NamedFile::open_async(path).await.map_err(|_| not_found())?.set_content_type(actix_files::file_extension_to_mime(extension)).disable_content_disposition().into_response(&req)
        }
        None => NamedFile::open_async(plain).await.map_err(|_| not_found())?.disable_content_disposition().into_response(&req),
    };
    let headers = response.headers_mut();
    if let Some((_, coding)) = variant {
        // Set as a header, the body passes the compression middleware untouched.
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// Serves index.html for client-side routes, so a reload on `/settings` works. A missing
/// file (a name with an extension, such as a browser's `/favicon.ico`) is a 404, not the
/// app's page under a wrong name.
pub async fn spa_fallback(req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let file_name = req.path().rsplit('/').next().unwrap_or_default();
    let index = req.app_data::<web::Data<AppState>>().filter(|_| !file_name.contains('.')).map(|s| s.settings.web_dir.join("index.html"));
    let response = match index.map(NamedFile::open_async) {
        Some(open) => match open.await {
            Ok(file) => file.into_response(&req),
            Err(_) => actix_web::ResponseError::error_response(&ApiError::NotFound("the app is not built".into())),
        },
        None => actix_web::ResponseError::error_response(&ApiError::NotFound("not found".into())),
    };
    Ok(ServiceResponse::new(req, response))
}
