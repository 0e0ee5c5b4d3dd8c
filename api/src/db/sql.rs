//! Hand-written SQL, for what diesel's query builder cannot write for both backends.

use std::borrow::Cow;

use super::DbConn;

/// A value bound to a hand-written query.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    /// Text or NULL.
    OptionalText(Option<String>),
    Time(chrono::NaiveDateTime),
    BigInt(i64),
    SmallInt(i16),
}

/// A hand-written statement, with `?` where its binds go (numbered for PostgreSQL as it
/// is written out), for what diesel's query builder cannot write for both backends
/// (recursive tree walks, grouping by hour, calling a function). Unlike
/// `diesel::sql_query`, which is parsed and planned again on every call, each connection
/// prepares it once and reuses it, keyed by its text: for referral creation's short
/// queries on PostgreSQL, parsing and planning cost more than running them. Its text
/// must therefore come from a bounded set (values always go in binds), and have no `?`
/// of its own. Borrowed where it is run at once, owned where it is handed on (a
/// [`Write`]).
pub struct HandWritten<'a> {
    pub sql: Cow<'a, str>,
    pub binds: Cow<'a, [Bind]>,
}

impl<DB> diesel::query_builder::QueryFragment<DB> for HandWritten<'_>
where
    DB: diesel::backend::Backend
        + diesel::sql_types::HasSqlType<diesel::sql_types::Text>
        + diesel::sql_types::HasSqlType<diesel::sql_types::Timestamp>
        + diesel::sql_types::HasSqlType<diesel::sql_types::BigInt>
        + diesel::sql_types::HasSqlType<diesel::sql_types::SmallInt>,
    String: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
    chrono::NaiveDateTime: diesel::serialize::ToSql<diesel::sql_types::Timestamp, DB>,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
    i16: diesel::serialize::ToSql<diesel::sql_types::SmallInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamp};
        let mut pieces = self.sql.split('?');
        out.push_sql(pieces.next().unwrap_or_default());
        let mut binds = self.binds.iter();
        for piece in pieces {
            match binds.next() {
                Some(Bind::Text(text)) => out.push_bind_param::<Text, _>(text)?,
                Some(Bind::OptionalText(text)) => out.push_bind_param::<Nullable<Text>, _>(text)?,
                Some(Bind::Time(time)) => out.push_bind_param::<Timestamp, _>(time)?,
                Some(Bind::BigInt(n)) => out.push_bind_param::<BigInt, _>(n)?,
                Some(Bind::SmallInt(n)) => out.push_bind_param::<SmallInt, _>(n)?,
                None => return Err(diesel::result::Error::QueryBuilderError("a hand-written query has more `?` than binds".into())),
            }
            out.push_sql(piece);
        }
        match binds.next() {
            Some(_) => Err(diesel::result::Error::QueryBuilderError("a hand-written query has more binds than `?`".into())),
            None => Ok(()),
        }
    }
}

impl diesel::query_builder::QueryId for HandWritten<'_> {
    type QueryId = ();
    // No type of its own: diesel's statement cache then keys it by its text.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for HandWritten<'_> {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Conn> diesel::RunQueryDsl<Conn> for HandWritten<'_> {}

/// Runs a [`HandWritten`] query on either backend.
pub fn load_sql<R>(conn: &mut DbConn, sql: &str, binds: &[Bind]) -> diesel::QueryResult<Vec<R>>
where
    R: diesel::QueryableByName<diesel::pg::Pg> + diesel::QueryableByName<diesel::sqlite::Sqlite> + 'static,
{
    use diesel::RunQueryDsl;
    let query = HandWritten { sql: sql.into(), binds: binds.into() };
    match conn {
        DbConn::Postgresql(c) => query.load(c),
        DbConn::Sqlite(c) => query.load(c),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use diesel::Connection as _;
    use diesel::RunQueryDsl;

    /// A row of a word and a number, as the database tests read them back.
    #[derive(diesel::QueryableByName, PartialEq, Debug)]
    pub(in crate::db) struct Echo {
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub word: String,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        pub number: i64,
    }

    #[test]
    fn hand_written_queries_bind_in_order_and_refuse_a_miscount() -> Result<(), Box<dyn std::error::Error>> {
        let mut conn = diesel::SqliteConnection::establish(":memory:")?;
        let binds = [Bind::Text("shelter".into()), Bind::BigInt(7)];
        // Twice: the second run reuses the statement prepared by the first.
        for _ in 0..2 {
            let rows: Vec<Echo> = HandWritten { sql: "SELECT ? AS word, ? AS number".into(), binds: binds[..].into() }.load(&mut conn)?;
            assert_eq!(rows, [Echo { word: "shelter".into(), number: 7 }]);
        }
        assert!(HandWritten { sql: "SELECT ? AS word, ? AS number".into(), binds: binds[..1].into() }.load::<Echo>(&mut conn).is_err());
        assert!(HandWritten { sql: "SELECT 'a' AS word, ? AS number".into(), binds: binds[..].into() }.load::<Echo>(&mut conn).is_err());
        Ok(())
    }
}
