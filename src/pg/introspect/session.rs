//! The read-only transaction every catalog query runs in, counting the queries.

use postgres::Row;
use postgres::fallible_iterator::FallibleIterator;

#[derive(Debug, thiserror::Error)]
#[error("reading the catalog ({what}): {}", crate::pg::conn::server_message::server_message(.source))]
pub struct IntrospectError {
    pub what: &'static str,
    #[source]
    pub source: postgres::Error,
}

/// The introspection transaction, and how many queries it has run so far.
pub(super) struct Session<'c> {
    pub(super) tx: postgres::Transaction<'c>,
    pub(super) queries: usize,
}

impl Session<'_> {
    pub(super) fn query(
        &mut self,
        what: &'static str,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>, IntrospectError> {
        self.queries += 1;
        self.tx
            .query(sql, params)
            .map_err(|source| IntrospectError { what, source })
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
        let rows = (self.tx)
            .query_raw(sql, params.iter().copied())
            .map_err(|source| IntrospectError { what, source })?;
        Ok(Rows { what, rows })
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
