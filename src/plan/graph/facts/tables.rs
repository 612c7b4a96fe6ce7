//! Facts of tables and their columns: creating, dropping, renaming, altering, storage options
//! and persistence.

use crate::model::*;
use crate::plan::change::{Change, Renamed};
use crate::plan::graph::keys::{Facts, identity_sequence, trigger_function};
use crate::plan::graph::structure::Structure;

pub(super) fn create_table(name: &QualName, table: &Table, des: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    let (keys, needs) = des.table_keys(name, table);
    f.creates = keys;
    f.needs_new = needs;
    // A new partition comes after its parent's indexes, which PostgreSQL then creates
    // on it too (a partitioned index built online stays invalid until every partition
    // has its part). Not an index whose part is to be the partition's own key's index: that
    // index adopts the key's, which must be there first. Nor an incomplete one (ON ONLY), which
    // comes after the partitions and gives a part to none but those attached to it.
    if let Some(p) = &table.partition_of {
        if let Some(parent) = des.model.tables.get(&p.parent) {
            for (i, _) in parent.indexes.iter().filter(|(_, i)| i.valid) {
                let own_key = p
                    .index_names
                    .get(i)
                    .and_then(|child| table.key_named(child))
                    .is_some();
                if own_key {
                    continue;
                }
                f.needs_new.push(ObjKey::Relation(QualName::new(
                    p.parent.schema.clone(),
                    i.clone(),
                )));
            }
        }
    }
    // A default partition comes after its siblings, so that creating them does not
    // scan it for their rows.
    if let Some(p) = table.partition_of.as_ref().filter(|p| p.is_default()) {
        for (sibling, _) in Table::partitions_of(des.model, &p.parent) {
            if sibling != name {
                f.needs_new.push(ObjKey::Partition(sibling.clone()));
            }
        }
    }
    f
}

pub(super) fn drop_table(
    name: &QualName,
    table: &Table,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    let (mut keys, mut needs) = cur.table_keys(name, table);
    // Its triggers go with it: the functions they call are dropped after.
    for (tname, trigger) in &table.triggers {
        keys.push(ObjKey::Trigger(name.clone(), tname.clone()));
        needs.push(trigger_function(trigger));
    }
    // Sequences owned by the table go with it, unless the desired state keeps them
    // (their owner then moves first).
    keys.extend(
        cur.sequences_owned_by(name)
            .into_iter()
            .filter(|q| !des.model.sequences.contains_key(q))
            .map(ObjKey::Relation),
    );
    f.drops = keys;
    f.needs_old = needs;
    f
}

pub(super) fn add_column(change: &Change, cur: &Structure<'_>, des: &Structure<'_>) -> Facts {
    let Change::AddColumn {
        table,
        column,
        not_null_name,
    } = change
    else {
        unreachable!("facts dispatches AddColumn here");
    };
    let mut f = Facts::default();
    f.creates
        .push(ObjKey::Column(table.clone(), column.name.clone()));
    // A NOT NULL constraint named apart (PostgreSQL 18), for what needs it by that name.
    f.creates
        .extend((not_null_name.iter()).map(|n| ObjKey::Constraint(table.clone(), n.clone())));
    f.creates.extend(identity_sequence(table, column));
    f.needs_new.push(ObjKey::Relation(table.clone()));
    f.needs_new.extend(des.column_deps(table, column));
    // A partition that leaves the table (and stays a table) is detached first: a column added
    // to the parent before would be added to it too, and stay with it.
    f.needs_gone
        .extend(leaving_partitions(table, cur, des).map(ObjKey::Partition));
    // So is a table that stops inheriting from it.
    f.needs_gone.extend(leaving_heirs(table, cur, des));
    f
}

/// The links of the tables that inherit from `parent` now and stay tables that do not.
pub(super) fn leaving_heirs(
    parent: &QualName,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Vec<ObjKey> {
    (cur.model.tables.iter())
        .filter(|(_, t)| t.inherits.contains(parent))
        .filter(|(q, _)| (des.model.tables.get(*q)).is_some_and(|t| !t.inherits.contains(parent)))
        .map(|(q, _)| ObjKey::Inherits(q.clone(), parent.clone()))
        .collect()
}

/// The partitions of `parent` that are detached and kept as tables of their own (or moved to
/// another parent).
fn leaving_partitions<'s>(
    parent: &'s QualName,
    cur: &'s Structure<'_>,
    des: &'s Structure<'_>,
) -> impl Iterator<Item = QualName> + 's {
    cur.model
        .tables
        .iter()
        .filter(move |(_, t)| t.partition_of.as_ref().is_some_and(|p| p.parent == *parent))
        .filter(move |(q, _)| {
            des.model
                .tables
                .get(*q)
                .is_some_and(|t| t.partition_of.as_ref().is_none_or(|p| p.parent != *parent))
        })
        .map(|(q, _)| q.clone())
}

pub(super) fn drop_column(table: &QualName, column: &Column, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.drops
        .push(ObjKey::Column(table.clone(), column.name.clone()));
    f.drops.extend(identity_sequence(table, column));
    f.needs_old.extend(cur.column_deps(table, column));
    // A column a parent gave is the table's own once the parent has dropped it (`ONLY`).
    // (The change's own column says "own" already: the current model says where it came from.)
    // Or once the table stops inheriting from it (`NO INHERIT`).
    if let Some(t) = cur.model.tables.get(table) {
        if t.column(&column.name).is_some_and(|c| c.inherited) {
            f.needs_gone.extend(
                (t.inherits.iter()).map(|p| ObjKey::Column(p.clone(), column.name.clone())),
            );
            f.needs_gone.extend(inheritance_links(table, cur));
        }
    }
    f
}

/// The links of a table to the parents it inherits from now.
pub(super) fn inheritance_links(table: &QualName, cur: &Structure<'_>) -> Vec<ObjKey> {
    (cur.model.tables.get(table).into_iter())
        .flat_map(|t| t.inherits.iter())
        .map(|p| ObjKey::Inherits(table.clone(), p.clone()))
        .collect()
}

/// `ALTER TABLE … [NO] INHERIT parent`. Stopping comes before what drops the columns and checks
/// the parent gave (the table's own from then on) and before the parent is dropped; starting
/// comes after the table has the parent's columns and checks. A column or check added to the
/// parent meanwhile waits for a table that stops inheriting (see `add_column`).
pub(super) fn set_inherit(change: &Change, cur: &Structure<'_>, des: &Structure<'_>) -> Facts {
    let Change::SetInherit {
        table,
        parent,
        inherit,
    } = change
    else {
        unreachable!("facts dispatches SetInherit here");
    };
    let inherit = *inherit;
    let mut f = Facts::default();
    let link = ObjKey::Inherits(table.clone(), parent.clone());
    let model = if inherit { des.model } else { cur.model };
    let mut keys = vec![
        ObjKey::Relation(table.clone()),
        ObjKey::Relation(parent.clone()),
    ];
    for (from, t) in model.ancestors(parent) {
        keys.extend((t.columns.iter()).map(|c| ObjKey::Column(table.clone(), c.name.clone())));
        keys.extend(
            (t.constraints.iter())
                .filter(|(_, c)| {
                    matches!(
                        c.kind,
                        ConstraintKind::Check {
                            no_inherit: false,
                            ..
                        }
                    )
                })
                .map(|(n, _)| ObjKey::Constraint(table.clone(), n.clone())),
        );
        keys.push(ObjKey::Relation(from.clone()));
    }
    if inherit {
        f.creates.push(link);
        f.needs_new = keys;
    } else {
        f.drops.push(link);
        f.needs_old = keys;
    }
    f
}

pub(super) fn alter_column(
    table: &QualName,
    from: &Column,
    to: &Column,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    // Only a new type (or the end of a generation expression) makes a new version of
    // the column that views must wait for; defaults and NULL-ness do not.
    if from.data_type != to.data_type
        || from.collation != to.collation
        || from.generated != to.generated
    {
        let key = ObjKey::Column(table.clone(), to.name.clone());
        f.drops.push(key.clone());
        f.creates.push(key);
    }
    // An identity needs the column NOT NULL first: on PostgreSQL 18 a constraint of its own,
    // which a step may add.
    if from.identity.is_none() && to.identity.is_some() {
        let name = (des.model.tables.get(table)).and_then(|t| t.not_null_names.get(&to.name));
        f.needs_new
            .extend(name.map(|n| ObjKey::Constraint(table.clone(), n.clone())));
    }
    // An identity brings its sequence along and takes it away.
    if from.identity.as_ref().map(|i| &i.sequence) != to.identity.as_ref().map(|i| &i.sequence) {
        f.drops.extend(identity_sequence(table, from));
        f.creates.extend(identity_sequence(table, to));
    }
    // The column's dependencies (its type, its default's sequence and functions) matter
    // only when the type or the default changes. What PostgreSQL recorded belongs to the
    // column as it is (current) or will be (desired); the middle state of a split change
    // (serial ↔ identity) has none of it.
    let relevant = from.data_type != to.data_type
        || from.default != to.default
        || from.generated != to.generated;
    if relevant {
        let is_current = cur
            .model
            .tables
            .get(table)
            .and_then(|t| t.column(&from.name))
            == Some(from);
        let is_desired = des.model.tables.get(table).and_then(|t| t.column(&to.name)) == Some(to);
        if is_current {
            f.needs_old.extend(cur.column_deps(table, from));
        } else {
            f.needs_old.extend(cur.enum_of(table, &from.data_type));
        }
        if is_desired {
            f.needs_new.extend(des.column_deps(table, to));
        } else {
            f.needs_new.extend(des.enum_of(table, &to.data_type));
        }
    }
    if from.not_null && !to.not_null {
        // A column cannot lose NOT NULL while a primary key still holds it.
        if let Some(t) = cur.model.tables.get(table) {
            for (cname, c) in &t.constraints {
                if let ConstraintKind::PrimaryKey { columns, .. } = &c.kind {
                    if columns.contains(&to.name) {
                        f.needs_gone
                            .push(ObjKey::Constraint(table.clone(), cname.clone()));
                    }
                }
            }
        }
    }
    f
}

pub(super) fn rename(target: &Renamed, from: &str, to: &str, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    let (from, to) = (from.to_string(), to.to_string());
    let (old, new) = match target {
        Renamed::Table { schema } | Renamed::Sequence { schema } => (
            ObjKey::Relation(QualName::new(schema.clone(), from.clone())),
            ObjKey::Relation(QualName::new(schema.clone(), to.clone())),
        ),
        Renamed::Enum { schema } => (
            ObjKey::Type(QualName::new(schema.clone(), from.clone())),
            ObjKey::Type(QualName::new(schema.clone(), to.clone())),
        ),
        Renamed::Column { table } => {
            f.needs_new.push(ObjKey::Relation(table.clone()));
            (
                ObjKey::Column(table.clone(), from.clone()),
                ObjKey::Column(table.clone(), to.clone()),
            )
        }
        Renamed::Constraint { table } => {
            f.needs_new.push(ObjKey::Relation(table.clone()));
            // What a partition has from its parent cannot be renamed on it: detached first.
            f.needs_gone.push(ObjKey::Partition(table.clone()));
            // Nor what a table has from a parent it leaves (PostgreSQL 18's NOT NULL).
            f.needs_gone.extend(inheritance_links(table, cur));
            // A key's index is renamed with it.
            f.drops.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                from.clone(),
            )));
            f.creates.push(ObjKey::Relation(QualName::new(
                table.schema.clone(),
                to.clone(),
            )));
            (
                ObjKey::Constraint(table.clone(), from.clone()),
                ObjKey::Constraint(table.clone(), to.clone()),
            )
        }
    };
    f.drops.push(old);
    f.creates.push(new);
    f
}

/// Storage parameters of a table, or options of a view.
pub(super) fn set_options(table: &QualName) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Relation(table.clone()));
    f
}

/// `SET LOGGED | UNLOGGED` of a table, or of a sequence (`sequence`).
pub(super) fn set_persistence(
    table: &QualName,
    sequence: bool,
    unlogged: bool,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    if sequence {
        // ALTER TABLE … SET [UN]LOGGED also changes the sequences the table owns: a
        // sequence's own change comes after its owner's, whichever way that goes.
        if let Some(owner) = des
            .model
            .sequences
            .get(table)
            .and_then(|s| s.owned_by.as_ref())
        {
            f.needs_new.push(ObjKey::Logged(owner.table.clone()));
            f.needs_gone.push(ObjKey::Logged(owner.table.clone()));
        }
    } else if !unlogged {
        // A logged table may only reference logged tables.
        f.creates.push(ObjKey::Logged(table.clone()));
        f.needs_new
            .extend(des.references_of(table).map(ObjKey::Logged));
    } else {
        // Tables referencing it become unlogged, or lose their reference, first.
        f.drops.push(ObjKey::Logged(table.clone()));
        for fk in cur.foreign_keys_into(table) {
            if let ObjKey::Constraint(source, _) = &fk {
                if source != table {
                    f.needs_gone.push(ObjKey::Logged(source.clone()));
                }
            }
            f.needs_gone.push(fk);
        }
    }
    f
}

/// `REPLICA IDENTITY USING INDEX` needs its index (it is set after the index is built, and
/// released before the index goes).
pub(super) fn set_replica_identity(
    table: &QualName,
    from: &ReplicaIdentity,
    to: &ReplicaIdentity,
) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Relation(table.clone()));
    let index = |name: &String| ObjKey::Relation(QualName::new(table.schema.clone(), name.clone()));
    if let ReplicaIdentity::Index(name) = to {
        f.needs_new.push(index(name));
    }
    if let ReplicaIdentity::Index(name) = from {
        f.needs_old.push(index(name));
    }
    f
}
