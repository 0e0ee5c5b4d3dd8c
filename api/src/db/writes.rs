//! Batched writes: many rows in one INSERT, and a change's writes in one statement.

use super::DbConn;

/// Inserts rows (a slice) in one statement, written by the backend's own connection:
/// through the multi-backend connection diesel cannot write a multi-row INSERT. One or
/// two rows — what most changes write — go as arrays of that size, which diesel prepares
/// once per connection; an INSERT of a list of any length is parsed and planned every time.
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr) => {{
        macro_rules! by_backend {
            ($values:expr) => {
                match $conn {
                    $crate::db::DbConn::Postgresql(c) => diesel::insert_into($table).values($values).execute(c),
                    $crate::db::DbConn::Sqlite(c) => diesel::insert_into($table).values($values).execute(c),
                }
            };
        }
        match &$rows[..] {
            [one] => by_backend!(one),
            [first, second] => by_backend!(&[first.clone(), second.clone()]),
            rows => by_backend!(rows),
        }
    }};
}
pub(crate) use insert_all;

/// One write of a change that goes to the database with the change's others
/// ([`write_together`]).
pub trait Write {
    /// The write as a statement of PostgreSQL's.
    fn statement(&self) -> &dyn diesel::query_builder::QueryFragment<diesel::pg::Pg>;
    /// Does the write on its own, on either backend.
    fn write(&self, conn: &mut DbConn) -> diesel::QueryResult<()>;
    /// Whether the statement is a SELECT (of a function that writes): PostgreSQL runs one
    /// in a WITH only if something reads it, so [`write_together`] puts it last.
    fn is_select(&self) -> bool {
        false
    }
}

/// A statement both backends run as it is, as a [`Write`].
pub struct Statement<Q>(pub Q);

impl<Q> Write for Statement<Q>
where
    Q: diesel::query_builder::QueryFragment<diesel::pg::Pg> + diesel::query_builder::QueryFragment<diesel::sqlite::Sqlite> + diesel::query_builder::QueryId,
{
    fn statement(&self) -> &dyn diesel::query_builder::QueryFragment<diesel::pg::Pg> {
        &self.0
    }

    fn write(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        use diesel::query_dsl::methods::ExecuteDsl;
        match conn {
            DbConn::Postgresql(c) => ExecuteDsl::execute(&self.0, c).map(drop),
            DbConn::Sqlite(c) => ExecuteDsl::execute(&self.0, c).map(drop),
        }
    }
}

/// Does the writes of one change together: on PostgreSQL as one statement, `WITH w0 AS
/// (…), w1 AS (…) <last>`, in one round trip where each took its own (each round trip
/// cost referral creation about 6% of its rate); on SQLite, in this process, in turn.
///
/// At most one may be a SELECT ([`Write::is_select`]); it goes last. They all read one
/// snapshot, so none may read another's rows; constraints and triggers do see them, as
/// they run once the whole statement is done.
pub fn write_together(conn: &mut DbConn, writes: &[&dyn Write]) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    let (mut ordered, selects): (Vec<&dyn Write>, Vec<&dyn Write>) = writes.iter().partition(|w| !w.is_select());
    if selects.len() > 1 {
        return Err(diesel::result::Error::QueryBuilderError("writes together hold at most one SELECT".into()));
    }
    ordered.extend(selects);
    if let (DbConn::Postgresql(pg), [_, _, ..]) = (&mut *conn, &ordered[..]) {
        return Together(&ordered).execute(pg).map(drop);
    }
    ordered.iter().try_for_each(|w| w.write(conn))
}

/// Writes as one statement of PostgreSQL's (see [`write_together`]).
struct Together<'w>(&'w [&'w dyn Write]);

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for Together<'_> {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>) -> diesel::QueryResult<()> {
        let Some((last, first)) = self.0.split_last() else { return Ok(()) };
        for (i, write) in first.iter().enumerate() {
            out.push_sql(&format!("{} w{i} AS (", if i == 0 { "WITH" } else { "," }));
            write.statement().walk_ast(out.reborrow())?;
            out.push_sql(")");
        }
        out.push_sql(" ");
        last.statement().walk_ast(out.reborrow())
    }
}

impl diesel::query_builder::QueryId for Together<'_> {
    type QueryId = ();
    // Its writes' texts make its own: diesel's statement cache keys it by that.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Conn> diesel::RunQueryDsl<Conn> for Together<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::sql::tests::Echo;
    use crate::db::{Bind, HandWritten};
    use diesel::Connection as _;
    use diesel::RunQueryDsl;

    /// Stands for a SELECT of a function that writes: notes how many rows it found.
    struct Tally(Statement<HandWritten<'static>>);

    impl Write for Tally {
        fn statement(&self) -> &dyn diesel::query_builder::QueryFragment<diesel::pg::Pg> {
            self.0.statement()
        }
        fn write(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
            self.0.write(conn)
        }
        fn is_select(&self) -> bool {
            true
        }
    }

    #[test]
    fn writes_together_put_their_select_last_and_hold_only_one() -> Result<(), Box<dyn std::error::Error>> {
        let mut conn = DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:")?);
        diesel::sql_query("CREATE TABLE t (word TEXT NOT NULL, number BIGINT NOT NULL)").execute(&mut conn)?;
        let insert = |word: &str| Statement(HandWritten { sql: "INSERT INTO t (word, number) VALUES (?, 0)".into(), binds: vec![Bind::Text(word.into())].into() });
        let tally = || Tally(Statement(HandWritten { sql: "INSERT INTO t (word, number) SELECT 'tally', count(*) FROM t".into(), binds: Vec::new().into() }));
        let (first, second, counted) = (insert("first"), insert("second"), tally());
        write_together(&mut conn, &[&counted, &first, &second])?;
        let rows: Vec<Echo> = diesel::sql_query("SELECT word, number FROM t ORDER BY rowid").load(&mut conn)?;
        let words: Vec<(&str, i64)> = rows.iter().map(|r| (r.word.as_str(), r.number)).collect();
        assert_eq!(words, [("first", 0), ("second", 0), ("tally", 2)]);
        assert!(write_together(&mut conn, &[&first, &tally(), &tally()]).is_err());
        Ok(())
    }
}
