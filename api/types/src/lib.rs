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
        #[cfg_attr(feature = "server", derive(utoipa::ToSchema, diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
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

        /// Stored as its code, on either backend.
        #[cfg(feature = "server")]
        impl<DB: diesel::backend::Backend> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.code().to_sql(out)
            }
        }

        /// Read from its code: a code this build does not know (written by a newer
        /// version, or by hand) is an error, never taken for another value.
        #[cfg(feature = "server")]
        impl<DB: diesel::backend::Backend> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let code = String::from_sql(bytes)?;
                Self::from_code(&code).ok_or_else(|| format!("{:?} is not a {} this version knows", code, stringify!($name)).into())
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
