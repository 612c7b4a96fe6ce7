//! Publications (`CREATE PUBLICATION … FOR TABLE …`): database-level objects naming tables.

use std::collections::BTreeMap;

use super::expr::Expr;
use super::names::QualName;

/// The actions a publication can publish, in the order PostgreSQL lists them.
pub const PUBLISH_ACTIONS: [&str; 4] = ["insert", "update", "delete", "truncate"];

/// A publication of a list of tables. Managed only when every table it names is in a managed
/// schema; `FOR ALL TABLES` and `FOR TABLES IN SCHEMA` need a superuser, which neither the
/// shadow nor the rehearsal is, and are left alone (reported as not managed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Publication {
    /// The tables, by name, with what of each is published.
    pub tables: BTreeMap<QualName, PublishedTable>,
    /// The actions published, a subset of `PUBLISH_ACTIONS` in that order (all four by
    /// default).
    pub publish: Vec<String>,
    /// `publish_via_partition_root`.
    pub via_partition_root: bool,
    pub comment: Option<String>,
}

impl Default for Publication {
    fn default() -> Self {
        Publication {
            tables: BTreeMap::new(),
            publish: PUBLISH_ACTIONS.iter().map(|a| a.to_string()).collect(),
            via_partition_root: false,
            comment: None,
        }
    }
}

/// One table of a publication: its column list (empty: every column, including those added
/// later) and its row filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PublishedTable {
    pub columns: Vec<String>,
    pub filter: Option<Expr>,
}
