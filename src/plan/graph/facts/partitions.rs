//! Facts of partitions: attaching and detaching them, and the indexes of partitioned tables.

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

pub(super) fn attach_partition(
    table: &QualName,
    partition: &PartitionOf,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Partition(table.clone()));
    f.needs_new = des.attach_needs(table, partition);
    // Attaching keeps the table's NOT NULL constraints (PostgreSQL 18) under their names, and
    // they cannot be renamed once it is attached: renamed first.
    if let Some(t) = des.model.tables.get(table) {
        f.needs_new.extend(
            (t.not_null_names.values()).map(|n| ObjKey::Constraint(table.clone(), n.clone())),
        );
    }
    // Attaching clones the parent's row triggers onto the table under their names, and
    // refuses a table that has a trigger of one of those names: the table's own goes first.
    if let Some(parent) = des.model.tables.get(&partition.parent) {
        f.needs_gone
            .extend((parent.triggers.keys()).map(|n| ObjKey::Trigger(table.clone(), n.clone())));
    }
    f
}

pub(super) fn detach_partition(table: &QualName, partition: &PartitionOf) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Partition(table.clone()));
    f.needs_old.push(ObjKey::Relation(table.clone()));
    f.needs_old.push(ObjKey::Relation(partition.parent.clone()));
    f
}

pub(super) fn create_index_only(
    table: &QualName,
    name: &str,
    index: &Index,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Relation(QualName::new(
        table.schema.clone(),
        name.to_string(),
    )));
    f.needs_new.extend(des.index_deps(table, name, index));
    if !index.valid {
        f.needs_new.extend(every_partition(table, des));
    }
    f
}

/// What an incomplete partitioned index or key (`ON ONLY`, `ALTER TABLE ONLY`) comes after:
/// every partition of its table, since PostgreSQL gives one created later its part of it.
pub(super) fn every_partition(table: &QualName, des: &Structure<'_>) -> Vec<ObjKey> {
    (Table::partitions_of(des.model, table))
        .map(|(q, _)| ObjKey::Relation(q.clone()))
        .collect()
}

pub(super) fn attach_index(change: &Change) -> Facts {
    let Change::AttachIndex {
        table,
        name,
        parent_table,
        parent_index,
        ..
    } = change
    else {
        unreachable!("facts dispatches AttachIndex here");
    };
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Relation(QualName::new(
        table.schema.clone(),
        name.to_string(),
    )));
    f.needs_new.push(ObjKey::Relation(QualName::new(
        parent_table.schema.clone(),
        parent_index.to_string(),
    )));
    f
}

pub(super) fn drop_partitioned_index(table: &QualName, name: &str) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Relation(QualName::new(
        table.schema.clone(),
        name.to_string(),
    )));
    f
}

pub(super) fn name_inherited_index(change: &Change) -> Facts {
    let Change::NameInheritedIndex {
        partition,
        parent_index,
        name,
        previous,
        twin,
    } = change
    else {
        unreachable!("facts dispatches NameInheritedIndex here");
    };
    let mut f = Facts::default();
    if *twin {
        // The name is the built index's (which attaching was to adopt): once it is attached.
        f.needs_new.push(ObjKey::Partition(partition.clone()));
        f.needs_new.push(ObjKey::Relation(QualName::new(
            partition.schema.clone(),
            name.to_string(),
        )));
    } else if previous.as_ref().is_some_and(|previous| previous == name) {
        // Keeping a name for the way back: before the parent's index goes.
        f.needs_old.push(ObjKey::Relation(partition.clone()));
        f.needs_old.push(ObjKey::Relation(parent_index.clone()));
    } else {
        f.needs_new.push(ObjKey::Relation(partition.clone()));
        f.needs_new.push(ObjKey::Partition(partition.clone()));
        f.needs_new.push(ObjKey::Relation(parent_index.clone()));
        f.creates.push(ObjKey::Relation(QualName::new(
            partition.schema.clone(),
            name.to_string(),
        )));
    }
    f
}
