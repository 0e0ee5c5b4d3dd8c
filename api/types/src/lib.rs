//! Request and response bodies of the Harbour API.
//!
//! Shared by the server (which derives OpenAPI schemas from them with the `openapi`
//! feature) and the SPA, so that the two cannot drift apart.

pub mod auth;
pub mod directory;
pub mod organizations;
pub mod paging;
pub mod problem;
pub mod users;

pub use auth::*;
pub use directory::*;
pub use organizations::*;
pub use paging::*;
pub use problem::*;
pub use users::*;
