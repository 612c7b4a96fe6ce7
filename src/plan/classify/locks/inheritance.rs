//! How PostgreSQL extends a change's locks to the tables that inherit (`INHERITS`, not
//! partitions): what it does to a parent's columns and checks it does to each heir's, under
//! the same lock. `ALTER TABLE ONLY … DROP COLUMN` too: it makes each heir's copy its own.

use crate::model::*;
use crate::plan::change::{Change, Renamed};
use crate::plan::classify::lock_mode::LockMode;
use crate::plan::classify::relations::all_heirs;

use super::lock_set::LockSet;
use super::tables::only_comment_changes;

/// `CREATE TABLE … INHERITS` takes SHARE UPDATE EXCLUSIVE on each parent (it reads their
/// columns and checks, and records the heir).
pub(super) fn create_heir(set: &mut LockSet, table: &Table) {
    for parent in &table.inherits {
        set.lock(parent, LockMode::ShareUpdateExclusive);
    }
}

/// `ALTER TABLE … [NO] INHERIT parent`: the parent's scans start or stop reading the table's
/// rows. Starting takes more of the parent, whose columns and checks it matches (measured on
/// `pg_locks`).
pub(super) fn set_inherit(set: &mut LockSet, change: &Change) {
    let Change::SetInherit {
        table,
        parent,
        inherit,
    } = change
    else {
        unreachable!("lock_by_kind dispatches SetInherit here");
    };
    set.lock(table, LockMode::AccessExclusive);
    let on_parent = if *inherit {
        LockMode::ShareUpdateExclusive
    } else {
        LockMode::AccessShare
    };
    set.lock(parent, on_parent);
}

pub(super) fn spread_to_heirs(set: &mut LockSet, change: &Change) {
    let Some(parent) = recursing_table(change, set.current) else {
        return;
    };
    let Some(mode) = set.locks.get(parent).copied() else {
        return;
    };
    for heir in all_heirs(set.current, parent) {
        set.lock_known(&heir, mode);
    }
}

/// The table whose heirs the change reaches, if it reaches them.
fn recursing_table<'c>(change: &'c Change, current: &Catalog) -> Option<&'c QualName> {
    match change {
        Change::AddColumn { table, .. } | Change::DropColumn { table, .. } => Some(table),
        Change::AlterColumn {
            table, from, to, ..
        } if !only_comment_changes(from, to) => Some(table),
        // Checks are inherited; keys, exclusions and foreign keys are not.
        Change::AddConstraint {
            table, constraint, ..
        }
        | Change::DropConstraint {
            table, constraint, ..
        }
        | Change::ValidateConstraint {
            table, constraint, ..
        } if matches!(constraint.kind, ConstraintKind::Check { .. }) => Some(table),
        Change::Rename {
            target: Renamed::Column { table },
            ..
        } => Some(table),
        // Renaming a check, or PostgreSQL 18's NOT NULL, renames the heirs' copies too. (The
        // current model may have the plan's renames made already: either name is looked for.)
        Change::Rename {
            target: Renamed::Constraint { table },
            from,
            to,
        } => current.tables.get(table).and_then(|t| {
            let named = |n: &String| n == from || n == to;
            let check = (t.constraints.iter())
                .any(|(n, c)| named(n) && matches!(c.kind, ConstraintKind::Check { .. }));
            let not_null = t.not_null_names.values().any(named);
            (check || not_null).then_some(table)
        }),
        _ => None,
    }
}
