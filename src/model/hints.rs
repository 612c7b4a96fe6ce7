//! What the desired state says beyond the schema itself: `renamed_from` hints and the
//! `backfill:` of columns.

use std::collections::BTreeMap;

use super::expr::Expr;
use super::names::QualName;

/// An object of the desired state that carries a `renamed_from` hint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RenameHint {
    Table(QualName),
    Column(QualName, String),
    /// A constraint of a table.
    Constraint(QualName, String),
    /// An index of a table.
    Index(QualName, String),
    Enum(QualName),
}

/// The old name a hint gives, and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    pub old: String,
    pub path: String,
}

/// `renamed_from` hints by the object that carries them.
pub type Renames = BTreeMap<RenameHint, Hint>;

/// A column's `backfill`: the expression that fills existing rows, and where it was written.
#[derive(Clone, Debug)]
pub struct ColumnBackfill {
    pub expression: Expr,
    pub path: String,
}

/// Backfills by table and column.
pub type Backfills = BTreeMap<(QualName, String), ColumnBackfill>;
