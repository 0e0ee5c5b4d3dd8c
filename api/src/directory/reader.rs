//! Who reads the directory: a signed-in partner, or — where the instance publishes
//! its directory (`HARBOUR_PUBLIC_DIRECTORY=true`) — anyone, without signing in. The
//! public sees no confidential or partners-only place (see `visibility`).

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};

use super::visibility::Viewer;
use crate::auth::{Permission, Principal};
use crate::error::ApiError;
use crate::state::AppState;

/// A reader of the directory, allowed to read it: the extractor checks `ReadDirectory`,
/// so an endpoint that shows only what every reader sees still takes one (`_reader`).
#[derive(Debug, Clone)]
pub enum Reader {
    /// A signed-in user or API client.
    Partner(Principal),
    /// Anyone, when the directory is public.
    Public,
}

impl Reader {
    /// How this reader sees places.
    pub fn viewer(&self) -> Viewer<'_> {
        match self {
            Reader::Partner(principal) => Viewer::Partner(principal.organization_id.as_str()),
            Reader::Public => Viewer::Public,
        }
    }
}

impl FromRequest for Reader {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Reader, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let public = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.settings.public_directory);
        // A token, when sent, must be valid: a bad one is never read as "public".
        if public && !req.headers().contains_key(header::AUTHORIZATION) {
            return Box::pin(async { Ok(Reader::Public) });
        }
        let principal = Principal::from_request(req, payload);
        // Every directory read needs the same right, so it is checked here, once: a
        // client without `directory:read` is refused before any handler runs.
        Box::pin(async move {
            let principal = principal.await?;
            principal.authorize(Permission::ReadDirectory)?;
            Ok(Reader::Partner(principal))
        })
    }
}
