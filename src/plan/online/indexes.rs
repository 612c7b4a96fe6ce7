//! Indexes built and dropped without blocking writes: `CONCURRENTLY`, under a temporary name when
//! an index is rebuilt, and partition by partition on a partitioned table.

use super::rewrite::{Online, Rewrite};
use crate::model::*;
use crate::plan::change::{Change, IndexPart};

/// An index of a table (or materialized view) in use, built concurrently; a changed index is
/// built under a temporary name and renamed once the old one is dropped.
pub(super) fn build_concurrently(w: &mut Rewrite<'_>, table: QualName, name: String, index: Index) {
    if w.is_rebuilt(&table, &name) {
        let temporary = w.fresh_index_name(&table.schema, &name, "schemaplan_new");
        w.out.chain(
            None,
            vec![
                Change::CreateIndex {
                    table: table.clone(),
                    name: temporary.clone(),
                    index,
                    concurrently: true,
                    replaces: Some(name.clone()),
                },
                Change::RenameIndex {
                    table,
                    from: temporary,
                    to: name,
                },
            ],
        );
    } else {
        w.out.push(Change::CreateIndex {
            table,
            name,
            index,
            concurrently: true,
            replaces: None,
        });
    }
}

pub(super) fn drop_concurrently(
    w: &mut Rewrite<'_>,
    table: QualName,
    name: String,
    index: Index,
    only: Option<Vec<IndexPart>>,
) {
    w.out.push(Change::DropIndex {
        table,
        name,
        index,
        concurrently: true,
        only,
        cascades: Vec::new(),
    });
}

/// An index on a partitioned table that exists: `CREATE INDEX CONCURRENTLY` refuses it, and a
/// plain build locks every partition against writes for its length. The index is created
/// `ON ONLY` the table (no build, invalid), each existing partition's index built
/// concurrently under the name PostgreSQL gives it (read from the shadow) and attached; the
/// partitioned index is valid once every partition has one. A sub-partitioned partition gets
/// its own `ON ONLY` index, attached after its partitions' are.
pub(super) fn partitioned_index(
    out: &mut Online,
    table: &QualName,
    name: &str,
    index: Index,
    current: &Catalog,
    desired: &Catalog,
) {
    let only = out.push(Change::CreateIndexOnly {
        table: table.clone(),
        name: name.to_string(),
        index,
    });
    attach_partition_indexes(out, only, table, name, current, desired);
}

/// Builds and attaches the indexes of the existing partitions of `table` to its index `name`
/// (created by step `after`); returns the steps that attach them.
fn attach_partition_indexes(
    out: &mut Online,
    after: usize,
    table: &QualName,
    name: &str,
    current: &Catalog,
    desired: &Catalog,
) -> Vec<usize> {
    let mut attaches = Vec::new();
    let partitions: Vec<(QualName, Table)> = Table::partitions_of(desired, table)
        .filter(|(q, _)| {
            current
                .tables
                .get(*q)
                .and_then(|t| t.partition_of.as_ref())
                .is_some_and(|p| p.parent == *table)
        })
        .map(|(q, t)| (q.clone(), t.clone()))
        .collect();
    for (partition, pt) in partitions {
        let Some((child, inherited)) = pt.partition_of.as_ref().and_then(|p| {
            p.inherited_indexes
                .iter()
                .find(|(_, i)| i.parent_index == name)
        }) else {
            continue;
        };
        let own_key = pt.key_named(child);
        if let Some(own_key) = own_key.cloned() {
            // PostgreSQL attaches the index of the partition's own key (one it has, or one the
            // plan adds) as it is: nothing to build.
            let attach = out.push(Change::AttachIndex {
                table: partition.clone(),
                name: child.clone(),
                parent_table: table.clone(),
                parent_index: name.to_string(),
                own_key: Some(own_key),
            });
            out.sequence.push((after, attach));
            attaches.push(attach);
            continue;
        }
        let built = if pt.partition_by.is_some() {
            let sub = out.push(Change::CreateIndexOnly {
                table: partition.clone(),
                name: child.clone(),
                index: inherited.index.clone(),
            });
            out.sequence.push((after, sub));
            let below = attach_partition_indexes(out, sub, &partition, child, current, desired);
            (sub, below)
        } else {
            let build = out.push(Change::CreateIndex {
                table: partition.clone(),
                name: child.clone(),
                index: inherited.index.clone(),
                concurrently: true,
                replaces: None,
            });
            out.sequence.push((after, build));
            (build, Vec::new())
        };
        let attach = out.push(Change::AttachIndex {
            table: partition.clone(),
            name: child.clone(),
            parent_table: table.clone(),
            parent_index: name.to_string(),
            own_key: None,
        });
        out.sequence.push((built.0, attach));
        for b in built.1 {
            out.sequence.push((b, attach));
        }
        attaches.push(attach);
    }
    attaches
}

/// The partitions of `table` (in `desired`) whose own key is pinned as their part of its index
/// `name`, with the key.
pub(super) fn own_keys_pinned(
    desired: &Catalog,
    table: &QualName,
    name: &str,
) -> Vec<(QualName, String, Constraint)> {
    Table::partitions_of(desired, table)
        .filter_map(|(partition, t)| {
            let child = t.partition_of.as_ref()?.index_names.get(name)?;
            let key = t.key_named(child)?;
            Some((partition.clone(), child.clone(), key.clone()))
        })
        .collect()
}

/// A partitioned index that partitions' own keys are to be part of, on a table this plan
/// creates: created `ON ONLY` (after those partitions and their keys) and each key's index
/// attached, so that undoing it can give the keys back (`AttachIndex::own_key`); the partitions
/// created after it get their parts from PostgreSQL.
pub(super) fn adopting_own_keys(
    out: &mut Online,
    table: &QualName,
    name: &str,
    index: Index,
    desired: &Catalog,
) {
    let only = out.push(Change::CreateIndexOnly {
        table: table.clone(),
        name: name.to_string(),
        index,
    });
    for (partition, child, key) in own_keys_pinned(desired, table, name) {
        let attach = out.push(Change::AttachIndex {
            table: partition,
            name: child,
            parent_table: table.clone(),
            parent_index: name.to_string(),
            own_key: Some(key),
        });
        out.sequence.push((only, attach));
    }
}
