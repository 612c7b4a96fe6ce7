//! The read-only transaction every catalog query runs in, counting the queries.

use postgres::Client;
use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;

#[derive(Debug, thiserror::Error)]
#[error("reading the catalog ({what}): {}", crate::pg::conn::server_message::server_message(.source))]
pub struct IntrospectError {
    pub what: &'static str,
    #[source]
    pub source: postgres::Error,
}

/// Session settings under which PostgreSQL prints expressions the same way everywhere: no schema
/// on the search path (every name comes out qualified), and fixed time zone, date, interval and
/// float output, which constants of those types depend on.
///
/// JIT is off: the catalog queries are planned as costly enough to compile (a join over every
/// index column of GitLab's schema), and compiling them took most of their time (645 ms of the
/// index columns' 700; 85 without).
pub const PRINTING_SETTINGS: &str = "SET LOCAL search_path = ''; SET LOCAL TimeZone = 'UTC'; \
     SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL IntervalStyle = 'postgres'; \
     SET LOCAL extra_float_digits = 1; SET LOCAL jit = off";

const BEGIN: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// The introspection transaction, and how many queries it has run so far.
///
/// The transaction is begun and ended by hand rather than through `postgres::Transaction`: when
/// `pg_export_snapshot()` fails it is rolled back and begun again on the same client, which a
/// `Transaction` borrowing the client cannot express. Dropped uncommitted (an error on the
/// way), it is rolled back, so the client is left as it was found.
pub(super) struct Session<'c> {
    client: &'c mut Client,
    pub(super) queries: usize,
    open: bool,
}

impl<'c> Session<'c> {
    /// Begins the transaction under [`PRINTING_SETTINGS`].
    pub(super) fn begin(client: &'c mut Client) -> Result<Session<'c>, IntrospectError> {
        let mut s = Session {
            client,
            queries: 0,
            open: false,
        };
        s.start(None)?;
        Ok(s)
    }

    /// Begins a helper's transaction on the snapshot another session exported (see `share`).
    pub(super) fn importing(
        client: &'c mut Client,
        snapshot: &str,
    ) -> Result<Session<'c>, IntrospectError> {
        let mut s = Session {
            client,
            queries: 0,
            open: false,
        };
        s.start(Some(snapshot))?;
        Ok(s)
    }

    /// `BEGIN`, the snapshot imported first when there is one (`SET TRANSACTION SNAPSHOT` must
    /// come before any query), then the settings.
    fn start(&mut self, snapshot: Option<&str>) -> Result<(), IntrospectError> {
        let begin = match snapshot {
            Some(id) => format!(
                "{BEGIN}; SET TRANSACTION SNAPSHOT {}",
                crate::model::quote::literal(id)
            ),
            None => BEGIN.to_string(),
        };
        (self.client.batch_execute(&begin)).map_err(|source| IntrospectError {
            what: "begin",
            source,
        })?;
        self.open = true;
        (self.client.batch_execute(PRINTING_SETTINGS)).map_err(|source| IntrospectError {
            what: "session settings",
            source,
        })
    }

    /// Exports the transaction's snapshot for helper sessions (`pg_export_snapshot()`, as
    /// `pg_dump -j` does). `None` when the server refuses (a standby before PostgreSQL 10, a
    /// pooler, no right to the function): the failure ended the transaction, which is begun
    /// again, and the read goes on alone. Its snapshot is then another, which no query of the
    /// objects has read yet (the caller exports before the first).
    pub(super) fn export(&mut self) -> Result<Option<String>, IntrospectError> {
        match (self.client).query_one("SELECT pg_catalog.pg_export_snapshot()", &[]) {
            Ok(row) => Ok(Some(row.get(0))),
            Err(_) => {
                self.open = false;
                (self.client.batch_execute("ROLLBACK")).map_err(|source| IntrospectError {
                    what: "rollback",
                    source,
                })?;
                self.start(None)?;
                Ok(None)
            }
        }
    }

    pub(super) fn commit(mut self) -> Result<(), IntrospectError> {
        self.open = false;
        (self.client.batch_execute("COMMIT")).map_err(|source| IntrospectError {
            what: "commit",
            source,
        })
    }

    pub(super) fn query(
        &mut self,
        what: &'static str,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, IntrospectError> {
        self.queries += 1;
        (self.client.query(sql, params)).map_err(|source| IntrospectError { what, source })
    }

    /// The rows of a query one at a time, as they arrive: a kind with a row per column or per
    /// dependency of 10,000 tables held 30 MB of rows at once, on top of the model they fill.
    pub(super) fn rows(
        &mut self,
        what: &'static str,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Rows<'_>, IntrospectError> {
        self.queries += 1;
        let rows = (self.client)
            .query_raw(sql, params.iter().copied())
            .map_err(|source| IntrospectError { what, source })?;
        Ok(Rows { what, rows })
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if self.open && !self.client.is_closed() {
            let _ = self.client.batch_execute("ROLLBACK");
        }
    }
}

/// The rows of one query, read from the connection as they are asked for.
pub(super) struct Rows<'s> {
    what: &'static str,
    rows: postgres::RowIter<'s>,
}

impl Iterator for Rows<'_> {
    type Item = Result<Row, IntrospectError>;

    fn next(&mut self) -> Option<Self::Item> {
        let what = self.what;
        (self.rows.next())
            .map_err(|source| IntrospectError { what, source })
            .transpose()
    }
}
