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

/// An id of one kind of record: a string on the wire and in the database, a type of its
/// own in code, so that a participant's id cannot be passed where a referral's or a
/// consent's is wanted (functions used to take runs of interchangeable `&str`).
macro_rules! typed_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "server", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "server", diesel(sql_type = diesel::sql_types::Text))]
        pub struct $name(String);

        impl $name {
            /// The id as stored and sent.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// An id from the wire or a path: which record it names is checked where it is looked up.
        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        #[cfg(feature = "server")]
        impl<DB: diesel::backend::Backend> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.0.as_str().to_sql(out)
            }
        }

        #[cfg(feature = "server")]
        impl<DB: diesel::backend::Backend> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                String::from_sql(bytes).map($name)
            }
        }
    };
}

pub mod auth;
pub mod conferences;
pub mod dashboards;
pub mod directory;
pub mod erasure;
pub mod groups;
pub mod ids;
pub mod organizations;
pub mod paging;
pub mod participants;
pub mod plans;
pub mod problem;
pub mod referrals;
pub mod safety_plans;
pub mod users;
pub mod webhooks;

pub use auth::*;
pub use conferences::*;
pub use dashboards::*;
pub use directory::*;
pub use erasure::*;
pub use groups::*;
pub use ids::*;
pub use organizations::*;
pub use paging::*;
pub use participants::*;
pub use plans::*;
pub use problem::*;
pub use referrals::*;
pub use safety_plans::*;
pub use users::*;
pub use webhooks::*;
