//! The read-only transaction every catalog query runs in, counting the queries.

use postgres::Row;

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
}
