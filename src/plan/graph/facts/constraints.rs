//! Facts of constraints and indexes.

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

/// The relation an index (or a key's index) is, in the schema of its table.
fn index_key(table: &QualName, name: &str) -> ObjKey {
    ObjKey::Relation(QualName::new(table.schema.clone(), name.to_string()))
}

/// The indexes the partitions of `table` have of their own now (keys' included). A key or
/// index added to a partitioned table gives each partition a part under a name PostgreSQL
/// chooses (`<partition>_pkey`, …), which one of these may hold: those the plan drops go
/// first.
fn partitions_own_indexes(table: &QualName, cur: &Structure<'_>) -> Vec<ObjKey> {
    let mut out = Vec::new();
    for (partition, t) in Table::partitions_of(cur.model, table) {
        out.extend(t.indexes.keys().map(|i| index_key(partition, i)));
        out.extend(
            (t.constraints.iter())
                .filter(|(_, c)| c.kind.has_index())
                .map(|(n, _)| index_key(partition, n)),
        );
    }
    out
}

/// What a partition has from its parent can only be dropped once it is detached (a table
/// that is dropped takes it along instead).
fn inherited_needs_detach(f: &mut Facts, table: &QualName, des: &Structure<'_>) {
    if des.model.tables.contains_key(table) {
        f.needs_gone.push(ObjKey::Partition(table.clone()));
    }
}

pub(super) fn add_constraint(
    table: &QualName,
    name: &str,
    constraint: &Constraint,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates
        .push(ObjKey::Constraint(table.clone(), name.to_string()));
    if let ConstraintKind::PrimaryKey { .. } = constraint.kind {
        // A table has one primary key: the old one goes first.
        f.needs_gone.extend(cur.primary_key_of(table));
    }
    if constraint.kind.has_index() {
        f.creates.push(index_key(table, name));
        f.needs_gone.extend(partitions_own_indexes(table, cur));
    }
    if constraint.only {
        f.needs_new
            .extend(super::partitions::every_partition(table, des));
    }
    // A check reaches the tables that inherit: those that stop doing so leave first.
    if let ConstraintKind::Check {
        no_inherit: false, ..
    } = constraint.kind
    {
        f.needs_gone
            .extend(super::tables::leaving_heirs(table, cur, des));
    }
    if constraint.kind.is_unique_key() {
        // The mirror of the foreign key rule below: foreign keys into this table that
        // are dropped go first, so that undoing the plan step by step re-adds them
        // after this key is gone again.
        f.needs_gone.extend(cur.foreign_keys_into(table));
    }
    f.needs_new
        .extend(des.constraint_deps(table, name, constraint));
    if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
        f.needs_new.push(ObjKey::Logged(fk.ref_table.clone()));
        // PostgreSQL attaches a new foreign key to the first unique index that fits; a
        // key of the referenced table that is going away must be gone first, or the
        // foreign key would hold on to it.
        f.needs_gone.extend(cur.unique_keys_of(&fk.ref_table));
    }
    f
}

pub(super) fn drop_constraint(
    table: &QualName,
    name: &str,
    constraint: &Constraint,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.drops
        .push(ObjKey::Constraint(table.clone(), name.to_string()));
    if constraint.kind.has_index() {
        f.drops.push(index_key(table, name));
    }
    f.needs_old
        .extend(cur.constraint_deps(table, name, constraint));
    inherited_needs_detach(&mut f, table, des);
    // A check a leaving parent gave is the table's own (to drop) once it stops inheriting.
    f.needs_gone
        .extend(super::tables::inheritance_links(table, cur));
    f
}

/// `VALIDATE CONSTRAINT` and `ALTER CONSTRAINT`.
pub(super) fn alter_constraint(table: &QualName, name: &str) -> Facts {
    let mut f = Facts::default();
    f.needs_new
        .push(ObjKey::Constraint(table.clone(), name.to_string()));
    f
}

/// PostgreSQL 18's NOT NULL constraint of a column: added (creates it), dropped, or altered.
pub(super) fn not_null(
    table: &QualName,
    column: &str,
    name: &str,
    from: Option<NotNullState>,
    to: Option<NotNullState>,
) -> Facts {
    let mut f = Facts::default();
    let key = ObjKey::Constraint(table.clone(), name.to_string());
    f.needs_new.push(ObjKey::Relation(table.clone()));
    f.needs_new
        .push(ObjKey::Column(table.clone(), column.to_string()));
    match (from, to) {
        (None, _) => f.creates.push(key),
        (_, None) => f.drops.push(key),
        // Validated, it is made anew for what needs it valid (an identity, a primary key),
        // after the step that adds it.
        (Some(a), Some(b)) if !a.valid && b.valid => {
            f.needs_new.push(key.clone());
            f.creates.push(key);
        }
        _ => f.needs_new.push(key),
    }
    f
}

pub(super) fn add_constraint_using_index(
    table: &QualName,
    name: &str,
    constraint: &Constraint,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates
        .push(ObjKey::Constraint(table.clone(), name.to_string()));
    f.needs_new.push(index_key(table, name));
    f.needs_new
        .extend(des.constraint_deps(table, name, constraint));
    if let ConstraintKind::PrimaryKey { .. } = constraint.kind {
        f.needs_gone.extend(cur.primary_key_of(table));
    }
    f.needs_gone.extend(cur.foreign_keys_into(table));
    f
}

pub(super) fn create_index(
    table: &QualName,
    name: &str,
    index: &Index,
    replaces: Option<&String>,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates.push(index_key(table, name));
    f.needs_gone.extend(partitions_own_indexes(table, cur));
    if index.unique {
        f.needs_gone.extend(cur.foreign_keys_into(table));
    }
    // An index built to replace another has that index's dependencies.
    f.needs_new
        .extend(des.index_deps(table, replaces.map_or(name, |r| r.as_str()), index));
    f
}

/// An index's drop; one that takes partitions' keys along (`CASCADE`) has their facts too.
pub(super) fn drop_index_of(change: &Change, cur: &Structure<'_>, des: &Structure<'_>) -> Facts {
    let Change::DropIndex {
        table,
        name,
        index,
        cascades,
        ..
    } = change
    else {
        return Facts::default();
    };
    let mut facts = drop_index(table, name, index, cur, des);
    for (t, n, c) in cascades {
        facts.absorb(drop_constraint(t, n, c, cur, des));
    }
    facts
}

pub(super) fn drop_index(
    table: &QualName,
    name: &str,
    index: &Index,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.drops.push(index_key(table, name));
    f.drops.extend(attached_indexes(table, name, cur));
    f.needs_old.extend(cur.index_deps(table, name, index));
    inherited_needs_detach(&mut f, table, des);
    f
}

/// Dropping a partitioned index drops the partitions' indexes attached to it, at every level:
/// their names are free once it is gone (a partition's index of its own may take one).
fn attached_indexes(table: &QualName, name: &str, cur: &Structure<'_>) -> Vec<ObjKey> {
    let mut out = Vec::new();
    let mut queue = vec![(table.clone(), name.to_string())];
    while let Some((parent, index)) = queue.pop() {
        for (q, t) in Table::partitions_of(cur.model, &parent) {
            let p = t.partition_of.as_ref();
            for (child, inherited) in p.into_iter().flat_map(|p| &p.inherited_indexes) {
                if inherited.parent_index == index {
                    out.push(index_key(q, child));
                    queue.push((q.clone(), child.clone()));
                }
            }
        }
    }
    out
}

pub(super) fn rename_index(table: &QualName, from: &str, to: &str) -> Facts {
    let mut f = Facts::default();
    // Not a drop of the old name: the index it renames was just built under that name.
    f.needs_new.push(index_key(table, from));
    f.creates.push(index_key(table, to));
    f
}
