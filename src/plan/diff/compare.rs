//! Pure comparisons of an object's current and desired definitions: whether it can be changed
//! in place, or must be dropped and created again.

use crate::model::*;

/// Whether a view can be changed with `CREATE OR REPLACE VIEW`: the old columns stay as they
/// are (same names and types, same order) and new ones may only be appended.
pub(super) fn view_replaceable(from: &View, to: &View) -> bool {
    to.columns.len() >= from.columns.len() && to.columns[..from.columns.len()] == from.columns[..]
}

/// ALTER POLICY changes roles and expressions, but can neither remove an expression nor change
/// the command or PERMISSIVE/RESTRICTIVE.
pub(super) fn policy_alterable(from: &Policy, to: &Policy) -> bool {
    from.permissive == to.permissive
        && from.command == to.command
        && (from.using.is_none() || to.using.is_some())
        && (from.with_check.is_none() || to.with_check.is_some())
}

pub(super) fn same_constraint(a: &Constraint, b: &Constraint) -> bool {
    a.kind == b.kind
        && a.deferrable == b.deferrable
        && a.initially_deferred == b.initially_deferred
        && a.enforced == b.enforced
        && a.only == b.only
}

pub(super) fn same_index(a: &Index, b: &Index) -> bool {
    Index {
        comment: None,
        ..a.clone()
    } == Index {
        comment: None,
        ..b.clone()
    }
}

/// A table whose partition key changes (or that becomes or stops being partitioned) cannot be
/// altered: it is dropped and created again. So is one that gains a parent to inherit from
/// (see `gains_parent`).
pub(super) fn recreated(old: &Table, new: &Table) -> bool {
    old.partition_by != new.partition_by || gains_parent(old, new)
}

/// Whether a table is to inherit from a parent it does not inherit from now (or from its
/// parents in another order). `ALTER TABLE … INHERIT` would leave the parent's columns and
/// checks declared by the table as well (`attislocal`, `conislocal`), which a table created
/// `INHERITS (…)` does not, and nothing turns that off; and it needs those columns and checks
/// there first. Only parents left out (`NO INHERIT`) are done in place.
pub(super) fn gains_parent(old: &Table, new: &Table) -> bool {
    let mut current = old.inherits.iter();
    !new.inherits.iter().all(|p| current.any(|o| o == p))
}

pub(super) fn column_retyped(a: &Column, b: &Column) -> bool {
    a.data_type != b.data_type || a.collation != b.collation
}

/// A changed generation expression (or a plain column becoming generated) cannot be altered in
/// place before PostgreSQL 17: the column is dropped and added again. So is a column changing
/// between stored and virtual, and a virtual column becoming plain (PostgreSQL 18 has no `DROP
/// EXPRESSION` for it). A virtual column's new expression is `SET EXPRESSION`, in place.
pub(super) fn column_recreated(a: &Column, b: &Column) -> bool {
    if a.is_virtual() && b.is_virtual() {
        return false;
    }
    (b.generated.is_some() && (a.generated != b.generated || a.generated_kind != b.generated_kind))
        || (a.is_virtual() && b.generated.is_none())
}

/// Whether `to` keeps every value of `from` in the same relative order.
pub(super) fn is_extension_of(from: &[String], to: &[String]) -> bool {
    let mut it = to.iter();
    from.iter().all(|v| it.any(|w| w == v))
}

/// Whether a domain gets a rule its existing values must be checked against: NOT NULL, a new or
/// changed validated constraint, or a constraint to validate.
pub(super) fn domain_tightens(old: &Domain, new: &Domain) -> bool {
    (!old.not_null && new.not_null)
        || new.constraints.iter().any(|(n, c)| {
            c.validated
                && old
                    .constraints
                    .get(n)
                    .is_none_or(|p| p.expression != c.expression || !p.validated)
        })
}

/// Whether two materialized views hold the same rows: same query, same columns. Whether it is
/// populated is the data's state (a `REFRESH` changes it), not its definition.
pub(super) fn same_matview_query(a: &MaterializedView, b: &MaterializedView) -> bool {
    a.definition == b.definition && a.columns == b.columns
}
