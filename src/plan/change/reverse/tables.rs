//! The way back from changes to tables and their parts: columns, constraints, indexes, triggers
//! and policies. (Dropped tables and columns come back from their copy: see `restore`.)

use crate::model::*;

use crate::plan::change::kinds::{CascadedKey, Change, IndexPart, Reverse, Using};

/// Leaving a parent (`NO INHERIT`) makes what the table had from it alone its own, and
/// PostgreSQL cannot make that inherited again.
pub(super) fn inherit_again() -> Reverse {
    Reverse::Irreversible {
        reason: "`ALTER TABLE … INHERIT` would give the parent back, but the columns and checks \
                 the table had from it alone stay its own: PostgreSQL cannot make them \
                 inherited again"
            .into(),
    }
}

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

/// A column that stops being generated cannot become generated again in place; values
/// converted by a `using:` without `down` have no known way back.
pub(super) fn column_irreversible(change: &Change) -> Option<Reverse> {
    let Change::AlterColumn {
        from,
        to,
        using_reverse,
        ..
    } = change
    else {
        return None;
    };
    let generation_dropped = from.generated.is_some() && to.generated.is_none();
    if !generation_dropped && *using_reverse != Using::Unknown {
        return None;
    }
    let reason = if generation_dropped {
        "PostgreSQL 15 cannot make a column generated again; the column would have to be \
         dropped and added back"
    } else {
        "its values are converted by the column's `using:`, which gives no way back \
         (`using: { up: …, down: … }`)"
    };
    Some(Reverse::Irreversible {
        reason: reason.into(),
    })
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
        only: None,
        cascades: Vec::new(),
    })
}

/// An index is built again the way it was dropped (concurrently or not), under its own name.
/// An incomplete partitioned index is created `ON ONLY` its table, and the indexes that were
/// attached to it are built and attached again (in this order: the reverse keeps it). Keys of
/// partitions dropped along come back first, so that creating the partitioned index attaches
/// their indexes (as it adopts any equal index of a partition) rather than build others.
pub(super) fn create_index(
    table: QualName,
    name: String,
    index: Index,
    concurrently: bool,
    only: Option<Vec<IndexPart>>,
    cascades: Vec<CascadedKey>,
) -> Reverse {
    if !cascades.is_empty() {
        let mut out: Vec<Change> = (cascades.into_iter())
            .map(|(table, name, constraint)| Change::AddConstraint {
                table,
                name,
                constraint,
            })
            .collect();
        if let Reverse::Changes(index) =
            create_index(table, name, index, concurrently, only, Vec::new())
        {
            out.extend(index);
        }
        return Reverse::Changes(out);
    }
    if let Some(parts) = only {
        let mut out = vec![Change::CreateIndexOnly {
            table: table.clone(),
            name: name.clone(),
            index,
        }];
        for part in parts {
            out.push(Change::CreateIndex {
                table: part.partition.clone(),
                name: part.name.clone(),
                index: part.index,
                concurrently: false,
                replaces: None,
            });
            out.push(Change::AttachIndex {
                table: part.partition,
                name: part.name,
                parent_table: table.clone(),
                parent_index: name.clone(),
                own_key: None,
            });
        }
        return Reverse::Changes(out);
    }
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
