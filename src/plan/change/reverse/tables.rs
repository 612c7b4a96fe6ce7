//! The way back from changes to tables and their parts: columns, constraints, indexes, triggers
//! and policies. (Dropped tables and columns come back from their copy: see `restore`.)

use crate::model::*;

use crate::plan::change::kinds::{Change, Reverse};

/// A table the plan creates is dropped again; it holds only rows written since, so nothing is
/// kept.
/// A created partition is detached first: PostgreSQL refuses to drop a partition of a table
/// that a foreign key references (the key's clone for the partition depends on it).
pub(super) fn drop_created_table(name: QualName, table: Table) -> Reverse {
    let detach = table
        .partition_of
        .clone()
        .map(|partition| Change::DetachPartition {
            table: name.clone(),
            partition,
            concurrently: false,
            leaves_check: None,
        });
    let drop = Change::DropTable {
        name,
        table,
        backup: None,
    };
    Reverse::Changes(detach.into_iter().chain(std::iter::once(drop)).collect())
}

/// A column the plan adds is dropped again, without a copy.
pub(super) fn drop_added_column(table: QualName, column: Column) -> Reverse {
    Reverse::by(Change::DropColumn {
        table,
        column,
        backup: None,
        only: false,
    })
}

/// A column that stops being generated cannot become generated again in place.
pub(super) fn generated_column_irreversible() -> Reverse {
    Reverse::Irreversible {
        reason: "PostgreSQL 15 cannot make a column generated again; the column would \
                 have to be dropped and added back"
            .into(),
    }
}

/// A constraint added (inline or on an index built beforehand) is dropped again.
pub(super) fn drop_constraint(table: QualName, name: String, constraint: Constraint) -> Reverse {
    Reverse::by(Change::DropConstraint {
        table,
        name,
        constraint,
    })
}

pub(super) fn add_constraint(table: QualName, name: String, constraint: Constraint) -> Reverse {
    Reverse::by(Change::AddConstraint {
        table,
        name,
        constraint,
    })
}

/// PostgreSQL cannot mark a constraint NOT VALID again: it is added back that way.
pub(super) fn add_constraint_not_valid(
    table: QualName,
    name: String,
    constraint: Constraint,
) -> Reverse {
    Reverse::Changes(vec![
        Change::DropConstraint {
            table: table.clone(),
            name: name.clone(),
            constraint: constraint.clone(),
        },
        Change::AddConstraint {
            table,
            name,
            constraint: Constraint {
                validated: false,
                ..constraint
            },
        },
    ])
}

/// An index is dropped the way it was built (concurrently or not).
pub(super) fn drop_index(
    table: QualName,
    name: String,
    index: Index,
    concurrently: bool,
) -> Reverse {
    Reverse::by(Change::DropIndex {
        table,
        name,
        index,
        concurrently,
    })
}

/// An index is built again the way it was dropped (concurrently or not), under its own name.
pub(super) fn create_index(
    table: QualName,
    name: String,
    index: Index,
    concurrently: bool,
) -> Reverse {
    Reverse::by(Change::CreateIndex {
        table,
        name,
        index,
        concurrently,
        replaces: None,
    })
}

/// Triggers and policies: a created one is dropped again, a dropped one created back.
pub(super) fn drop_trigger(table: QualName, name: String, trigger: Trigger) -> Reverse {
    Reverse::by(Change::DropTrigger {
        table,
        name,
        trigger,
    })
}

pub(super) fn create_trigger(table: QualName, name: String, trigger: Trigger) -> Reverse {
    Reverse::by(Change::CreateTrigger {
        table,
        name,
        trigger,
    })
}

pub(super) fn drop_policy(table: QualName, name: String, policy: Policy) -> Reverse {
    Reverse::by(Change::DropPolicy {
        table,
        name,
        policy,
    })
}

pub(super) fn create_policy(table: QualName, name: String, policy: Policy) -> Reverse {
    Reverse::by(Change::CreatePolicy {
        table,
        name,
        policy,
    })
}
