//! Newline-delimited JSON, HSDS's `format=ndjson`: the parameter, the lines, and a
//! response body streamed from chunks that a domain service makes on the blocking pool
//! (a [`Chunks`] receiver: plain bytes, so services never hold an HTTP type).

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::HttpResponse;

use crate::error::ApiError;

/// What a streaming service hands back: each chunk is whole lines. The sender stops
/// once this is dropped (the client went away).
pub type Chunks = tokio::sync::mpsc::Receiver<Vec<u8>>;

/// HSDS's `format`: `json` (default, paged) or `ndjson` (every match, one per line).
pub fn wanted(format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        None | Some("json") => Ok(false),
        Some("ndjson") => Ok(true),
        Some(_) => Err(ApiError::invalid("/format", "format", "must be json or ndjson")),
    }
}

/// Items as newline-delimited JSON: one object per line.
pub fn lines<T: serde::Serialize>(items: impl IntoIterator<Item = T>) -> Result<Vec<u8>, ApiError> {
    let mut lines = Vec::new();
    for item in items {
        serde_json::to_writer(&mut lines, &item).map_err(|e| ApiError::Internal(e.to_string()))?;
        lines.push(b'\n');
    }
    Ok(lines)
}

/// A newline-delimited JSON response. Its headers go out before its lines are read, so
/// nobody can tell yet whether they show something that must not be kept (a safe house's
/// address to its own organization): it is never stored by the app's offline cache.
pub fn response() -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response.content_type("application/x-ndjson").insert_header((header::CACHE_CONTROL, "no-store"));
    response
}

/// A streamed response of these chunks, in order.
pub fn streamed(chunks: Chunks) -> HttpResponse {
    let body = futures_util::stream::unfold(chunks, |mut chunks| async move { chunks.recv().await.map(|chunk| (Ok::<_, actix_web::Error>(Bytes::from(chunk)), chunks)) });
    response().streaming(body)
}
