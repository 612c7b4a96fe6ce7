//! Views and materialized views.

use std::collections::BTreeMap;

use super::expr::*;
use super::names::*;
use super::routine::Trigger;
use super::security::*;
use super::table::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct View {
    /// The `SELECT` text, without a trailing semicolon.
    pub definition: Expr,
    /// Output columns with their types, as introspected (empty for a view loaded from YAML).
    pub columns: Vec<ViewColumn>,
    pub options: StorageOptions,
    pub comment: Option<String>,
    /// Comments on the view's columns, by column name.
    pub column_comments: BTreeMap<String, String>,
    pub owner: Option<String>,
    pub grants: Grants,
    /// Triggers by name (`INSTEAD OF … FOR EACH ROW` that make the view writable, or statement
    /// triggers).
    pub triggers: BTreeMap<String, Trigger>,
}

/// A materialized view: a query whose rows are stored, with indexes of its own. PostgreSQL has
/// no `CREATE OR REPLACE` for it: a new definition means dropping and creating it again (its
/// rows are derived from the query, so nothing is lost).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaterializedView {
    /// The `SELECT` text, without a trailing semicolon.
    pub definition: Expr,
    /// Output columns with their types, as introspected (empty for one loaded from YAML).
    pub columns: Vec<ViewColumn>,
    /// Created populated (`WITH DATA`, the default) or `WITH NO DATA`. Read back as whether it
    /// is populated, which a `REFRESH` changes: it is what a create uses, never compared.
    pub with_data: bool,
    /// Storage parameters (`fillfactor`, `autovacuum_*`), as PostgreSQL prints them.
    pub options: StorageOptions,
    pub comment: Option<String>,
    /// Comments on its columns, by column name.
    pub column_comments: BTreeMap<String, String>,
    /// Its indexes by name (index names are unique per schema). A unique index on columns only,
    /// without a predicate, is what `REFRESH MATERIALIZED VIEW CONCURRENTLY` needs.
    pub indexes: BTreeMap<String, Index>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ViewColumn {
    pub name: String,
    pub data_type: String,
    /// A collation other than the type's default: `CREATE OR REPLACE VIEW` cannot change it.
    pub collation: Option<ObjRef>,
}
