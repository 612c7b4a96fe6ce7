//! The way back from partition changes: attaching and detaching partitions, and the
//! partitioned indexes built over them.

use crate::model::*;

use crate::plan::change::kinds::{Change, Reverse};

/// An attached partition is detached again (plainly, inside the transaction).
pub(super) fn detach(table: QualName, partition: PartitionOf) -> Reverse {
    Reverse::by(Change::DetachPartition {
        table,
        partition,
        concurrently: false,
        leaves_check: None,
    })
}

/// A detached table is attached again, and the CHECK a concurrent detach left behind dropped.
pub(super) fn attach_again(
    table: QualName,
    partition: PartitionOf,
    leaves_check: Option<String>,
) -> Reverse {
    let mut out = vec![Change::AttachPartition {
        table: table.clone(),
        partition: partition.clone(),
    }];
    if let Some(name) = leaves_check {
        out.push(Change::DropConstraint {
            table,
            name,
            constraint: partition_check(&partition),
        });
    }
    Reverse::Changes(out)
}

/// Attaching an index is undone by dropping the partitioned index it joined (with every index
/// attached to it): PostgreSQL cannot detach an index.
/// A partitioned index goes with every index attached to it (PostgreSQL cannot detach one). An
/// index that backs a key of the partition's own holds the key: both go (`CASCADE`), and the key
/// is added again, built anew.
pub(super) fn drop_partitioned_index(attach: Change) -> Reverse {
    let Change::AttachIndex {
        table: partition,
        name: child,
        parent_table,
        parent_index,
        own_key,
    } = attach
    else {
        unreachable!("reverse hands AttachIndex here");
    };
    let drop = Change::DropPartitionedIndex {
        table: parent_table,
        name: parent_index,
        cascade: own_key.is_some(),
    };
    match own_key {
        None => Reverse::by(drop),
        Some(key) => Reverse::Changes(vec![
            drop,
            Change::AddConstraint {
                table: partition,
                name: child,
                constraint: key,
            },
        ]),
    }
}

/// Dropping a partitioned index only ever appears inside a reverse.
pub(super) fn undo_drop_partitioned_index() -> Reverse {
    Reverse::Irreversible {
        reason: "dropping a partitioned index is itself the reverse of building one".into(),
    }
}

/// The partition constraint of `partition` as a CHECK of the table (what a concurrent detach
/// leaves behind).
pub fn partition_check(partition: &PartitionOf) -> Constraint {
    Constraint {
        kind: ConstraintKind::Check {
            expression: Expr::new(partition.constraint.clone().unwrap_or_default()),
            no_inherit: false,
        },
        deferrable: false,
        initially_deferred: false,
        validated: true,
        enforced: true,
        only: false,
        comment: None,
    }
}
