//! Pieces of the participant and consent screens.

pub mod labels;
pub mod signature_pad;

use harbour_types::Participant;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::ApiError;
use crate::client;
use crate::session::use_session;

/// The id in the route (`/participants/:id/…`) and that participant, loaded with the
/// session's token: what every screen about one participant starts from.
pub fn route_participant() -> (Memo<String>, LocalResource<Result<Participant, ApiError>>) {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let participant = LocalResource::new(move || {
        let (id, token) = (id.get(), session.token());
        async move { client::participant(token.as_deref(), &id).await }
    });
    (id, participant)
}
