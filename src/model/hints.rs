//! What the desired state says beyond the schema itself: `renamed_from` hints, the
//! `backfill:` and the `using:` of columns.

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

/// A column's `using`: how its values convert when its type changes (`ALTER COLUMN … TYPE …
/// USING`), and back when the plan is rolled back (`down`, if given), where it was written.
#[derive(Clone, Debug)]
pub struct Conversion {
    pub up: Expr,
    pub down: Option<Expr>,
    pub path: String,
}

/// Conversions by table and column.
pub type Conversions = BTreeMap<(QualName, String), Conversion>;
