//! Columns of tables in use: `SET NOT NULL` proved by a validated check (so that it skips its
//! scan), and new columns whose existing rows are filled in batches (a volatile default, or a
//! `backfill` hint).

use std::collections::BTreeMap;

use super::rewrite::Rewrite;
use crate::model::naming::default_object_name;
use crate::model::*;
use crate::plan::change::{Change, Renumber, Using};

/// NOT NULL without a scan under ACCESS EXCLUSIVE, and which of the steps (counted from the
/// last) makes the column NOT NULL. PostgreSQL 18 adds the constraint `NOT VALID` and validates
/// it under SHARE UPDATE EXCLUSIVE; before, a helper check does the proving.
fn not_null_steps(
    w: &Rewrite<'_>,
    table: &QualName,
    from: &Column,
    to: &Column,
) -> (Vec<Change>, usize) {
    if w.current.server_version >= 180000 {
        let desired = w.desired.tables.get(table);
        let name = (desired
            .and_then(|t| t.not_null_names.get(&to.name))
            .cloned())
        .unwrap_or_else(|| w.desired.not_null_default(table, &to.name));
        // A plain one: what else the desired state says of it (NO INHERIT) is a step of the
        // diff's, after this.
        let not_valid = NotNullState {
            valid: false,
            ..NotNullState::PLAIN
        };
        let step = |from, state| Change::NotNull {
            table: table.clone(),
            column: to.name.clone(),
            name: name.clone(),
            from,
            to: state,
        };
        return (
            vec![
                step(None, Some(not_valid)),
                step(Some(not_valid), Some(NotNullState::PLAIN)),
            ],
            0,
        );
    }
    (helper_check_steps(table, from, to), 1)
}

/// The expression of the check that proves `column` NOT NULL, which lets `SET NOT NULL` skip
/// its scan once the check is validated.
pub fn not_null_proof(column: &str) -> String {
    format!("{} IS NOT NULL", crate::model::quote::ident(column))
}

/// `SET NOT NULL` proved by a helper check: add it, validate, set, drop the helper. The helper
/// is not named `<table>_<column>_not_null`: from PostgreSQL 18 on, `SET NOT NULL` makes a
/// constraint of that name, which would be numbered past a helper holding it.
fn helper_check_steps(table: &QualName, from: &Column, to: &Column) -> Vec<Change> {
    let helper = default_object_name(&table.name, Some(&to.name), "not_null_proof");
    let check = Constraint {
        kind: ConstraintKind::Check {
            expression: Expr::new(not_null_proof(&to.name)),
            no_inherit: false,
        },
        deferrable: false,
        initially_deferred: false,
        validated: false,
        enforced: true,
        only: false,
        comment: None,
    };
    vec![
        Change::AddConstraint {
            table: table.clone(),
            name: helper.clone(),
            constraint: check.clone(),
        },
        Change::ValidateConstraint {
            table: table.clone(),
            name: helper.clone(),
            constraint: Constraint {
                validated: true,
                ..check.clone()
            },
        },
        Change::AlterColumn {
            table: table.clone(),
            from: from.clone(),
            to: to.clone(),
            using: Using::Implicit,
            using_reverse: Using::Implicit,
            renumber: None,
            renumber_reverse: None,
        },
        Change::DropConstraint {
            table: table.clone(),
            name: helper,
            constraint: Constraint {
                validated: true,
                ..check
            },
        },
    ]
}

/// A column of a table in use gains NOT NULL: what else changes first, then the rows still NULL
/// get the column's `backfill`, then NOT NULL is proved by a helper check.
/// `using` and `renumber` are the change's own, going up and going down.
pub(super) fn set_not_null(
    w: &mut Rewrite<'_>,
    table: QualName,
    from: Column,
    to: Column,
    (using, using_reverse): (Using, Using),
    (renumber, renumber_reverse): (Option<Renumber>, Option<Renumber>),
) {
    // An identity can only be added to a NOT NULL column: it comes last, after NOT NULL is
    // proved, with the renumbering of its sequence.
    let identity_last = from.identity.is_none() && to.identity.is_some();
    let (renumber_first, renumber_last) = if identity_last {
        (None, renumber)
    } else {
        (renumber, None)
    };
    let middle = Column {
        not_null: false,
        identity: if identity_last {
            None
        } else {
            to.identity.clone()
        },
        ..to.clone()
    };
    let before = (middle != from).then(|| {
        w.out.push(Change::AlterColumn {
            table: table.clone(),
            from,
            to: middle.clone(),
            using,
            using_reverse,
            renumber: renumber_first,
            renumber_reverse,
        })
    });
    let mut steps = Vec::new();
    // Rows still NULL get the column's `backfill` before NOT NULL is proved.
    if let Some(expression) = w.backfill_of(&table, &to.name) {
        steps.push(Change::Backfill {
            table: table.clone(),
            column: to.name.clone(),
            expression,
            column_existed: true,
        });
    }
    let proved = Column {
        not_null: true,
        ..middle.clone()
    };
    let (proving, from_last) = not_null_steps(w, &table, &middle, &proved);
    steps.extend(proving);
    let last = w.out.chain(before, steps);
    w.set_not_null
        .insert((table.clone(), to.name.clone()), last - from_last);
    if proved != to {
        w.out.chain(
            Some(last),
            vec![Change::AlterColumn {
                table,
                from: proved,
                to,
                using: Using::Implicit,
                using_reverse: Using::Implicit,
                renumber: renumber_last,
                renumber_reverse: None,
            }],
        );
    }
}

/// A new column of a table in use whose default is volatile, or that has a `backfill`: added
/// bare, given its default (for new rows), its existing rows filled in batches, then NOT NULL
/// proved. Any other new column is added as it is.
pub(super) fn add_column(
    w: &mut Rewrite<'_>,
    table: QualName,
    column: Column,
    not_null_name: Option<String>,
) {
    let volatile = column.default.as_ref().is_some_and(|d| d.volatile)
        && column.identity.is_none()
        && column.generated.is_none();
    let backfill = w.backfill_of(&table, &column.name);
    if !volatile && backfill.is_none() {
        w.out.push(Change::AddColumn {
            table,
            column,
            not_null_name,
        });
        return;
    }
    let bare = Column {
        default: None,
        not_null: false,
        ..column.clone()
    };
    let defaulted = Column {
        not_null: false,
        ..column.clone()
    };
    // Existing rows get the `backfill` expression, or else the volatile default.
    let expression = backfill
        .or_else(|| column.default.clone())
        .expect("a backfill or a volatile default");
    let mut steps = vec![
        // Its NOT NULL (and that constraint's name) comes last, by the steps below.
        Change::AddColumn {
            table: table.clone(),
            column: bare.clone(),
            not_null_name: None,
        },
        Change::AlterColumn {
            table: table.clone(),
            from: bare,
            to: defaulted.clone(),
            using: Using::Implicit,
            using_reverse: Using::Implicit,
            renumber: None,
            renumber_reverse: None,
        },
        Change::Backfill {
            table: table.clone(),
            column: column.name.clone(),
            expression,
            column_existed: false,
        },
    ];
    let mut from_last = 0;
    if column.not_null {
        let (proving, n) = not_null_steps(w, &table, &defaulted, &column);
        steps.extend(proving);
        from_last = n;
    }
    let last = w.out.chain(None, steps);
    if column.not_null {
        w.set_not_null
            .insert((table, column.name.clone()), last - from_last);
    }
}

/// A primary key attached `USING INDEX` comes after the SET NOT NULL of each of its columns.
pub(super) fn keys_after_not_null(w: &mut Rewrite<'_>) {
    for (attach, table, columns) in std::mem::take(&mut w.attached_keys) {
        for column in columns {
            if let Some(&set) = w.set_not_null.get(&(table.clone(), column)) {
                w.out.sequence.push((set, attach));
            }
        }
    }
}

/// Changes of one column run in the order the diff made them: a split change (a default handed
/// to an identity: the default released, NOT NULL proved, then the identity added, which
/// PostgreSQL refuses on a column that is nullable or has a default) keeps its steps in order,
/// and a later step moves to the phase of an earlier one.
pub(super) fn alterations_in_order(out: &mut super::rewrite::Online) {
    let mut last: BTreeMap<(QualName, String), usize> = BTreeMap::new();
    for (i, change) in out.changes.iter().enumerate() {
        if let Change::AlterColumn { table, to, .. } = change {
            if let Some(prev) = last.insert((table.clone(), to.name.clone()), i) {
                out.sequence.push((prev, i));
            }
        }
    }
}
