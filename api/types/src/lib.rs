//! Request and response bodies of the Harbour API.
//!
//! Shared by the server (which derives OpenAPI schemas from them with the `server`
//! feature) and the SPA, so that the two cannot drift apart.

/// An enum sent and stored as stable string codes, with `ALL`, `code` and `from_code`.
/// (Codes are `tt`, not `literal`: a `literal` reaches derive macros wrapped in an
/// invisible group, and utoipa then missed the rename and documented the variant names.)
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:tt),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),*
        }

        impl $name {
            /// Every value, in a stable order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The code, as stored and sent.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            /// The value with this code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

pub mod auth;
pub mod dashboards;
pub mod directory;
pub mod organizations;
pub mod paging;
pub mod participants;
pub mod problem;
pub mod referrals;
pub mod users;
pub mod webhooks;

pub use auth::*;
pub use dashboards::*;
pub use directory::*;
pub use organizations::*;
pub use paging::*;
pub use participants::*;
pub use problem::*;
pub use referrals::*;
pub use users::*;
pub use webhooks::*;
