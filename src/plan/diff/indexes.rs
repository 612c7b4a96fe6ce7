//! Stand-alone indexes of a relation that stays.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::plan::change::{Change, CommentTarget, IndexPart};

use super::compare::same_index;
use super::state::Differ;

impl Differ<'_> {
    /// Indexes of a table that stays to be built again: those the rebuild closure reached, and
    /// those reading a column dropped and added again.
    pub(super) fn rebuilt_table_indexes(&self, name: &QualName, new: &Table) -> BTreeSet<String> {
        new.indexes
            .iter()
            .filter(|(iname, index)| {
                self.rebuild_indexes
                    .contains(&(name.clone(), (*iname).clone()))
                    || index
                        .columns()
                        .any(|c| self.recreated_columns.contains(&(name.clone(), c.clone())))
            })
            .map(|(iname, _)| iname.clone())
            .collect()
    }

    /// Stand-alone indexes of a relation that stays (a table, a materialized view): added,
    /// dropped, dropped and built again when their definition changes or they are in
    /// `rebuilt` (`online` turns these into concurrent builds), or given a new comment.
    pub(super) fn index_changes(
        &mut self,
        relation: &QualName,
        old: &BTreeMap<String, Index>,
        new: &BTreeMap<String, Index>,
        rebuilt: &BTreeSet<String>,
    ) {
        for (iname, index) in new {
            match old.get(iname) {
                Some(prev)
                    if same_index(prev, index)
                        && !rebuilt.contains(iname)
                        && !self.parts_change(relation, iname, index) =>
                {
                    // The same parameters in another order: set again in the desired order
                    // (ALTER TABLE accepts an index), no rebuild.
                    if !same_options(&prev.options, &index.options) {
                        self.push(Change::SetOptions {
                            table: QualName::new(relation.schema.clone(), iname.clone()),
                            view: false,
                            from: prev.options.clone(),
                            to: index.options.clone(),
                        });
                    }
                    if prev.comment != index.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Index(QualName::new(
                                relation.schema.clone(),
                                iname.clone(),
                            )),
                            from: prev.comment.clone(),
                            to: index.comment.clone(),
                        });
                    }
                }
                prev => {
                    if let Some(prev) = prev {
                        self.push(Change::DropIndex {
                            table: relation.clone(),
                            name: iname.clone(),
                            index: prev.clone(),
                            concurrently: false,
                            only: self.incomplete_parts(relation, iname, prev),
                            cascades: Vec::new(),
                        });
                    }
                    self.create_index(relation, iname, index);
                }
            }
        }
        for (iname, index) in old {
            if !new.contains_key(iname) {
                self.push(Change::DropIndex {
                    table: relation.clone(),
                    name: iname.clone(),
                    index: index.clone(),
                    concurrently: false,
                    only: self.incomplete_parts(relation, iname, index),
                    cascades: Vec::new(),
                });
            }
        }
    }

    /// A new index. An incomplete one of a partitioned table (invalid: created `ON ONLY` it,
    /// with the indexes of some partitions attached) is created so, after every partition (one
    /// created after it would get its part from PostgreSQL); the partitions' indexes that the
    /// desired state has attached to it are built (a partition's own key's index is taken as
    /// it is) and attached.
    pub(super) fn create_index(&mut self, table: &QualName, name: &str, index: &Index) {
        if !incomplete(self.des, table, index) {
            self.push(Change::CreateIndex {
                table: table.clone(),
                name: name.to_string(),
                index: index.clone(),
                concurrently: false,
                replaces: None,
            });
            return;
        }
        self.push(Change::CreateIndexOnly {
            table: table.clone(),
            name: name.to_string(),
            index: index.clone(),
        });
        for (partition, pt) in Table::partitions_of(self.des, table) {
            let Some((child, part)) = part_of(pt, name, index) else {
                continue;
            };
            let own_key = pt.key_named(&child).cloned();
            if own_key.is_none() {
                self.push(Change::CreateIndex {
                    table: partition.clone(),
                    name: child.clone(),
                    index: part,
                    concurrently: false,
                    replaces: None,
                });
            }
            self.push(Change::AttachIndex {
                table: partition.clone(),
                name: child,
                parent_table: table.clone(),
                parent_index: name.to_string(),
                own_key,
            });
        }
    }

    /// Whether an incomplete partitioned index that stays would cover other partitions than
    /// the desired state says: PostgreSQL gives a partition created (or attached) later a part
    /// of it, and detaches none, so it is then built again.
    fn parts_change(&self, table: &QualName, name: &str, index: &Index) -> bool {
        if !incomplete(self.des, table, index) {
            return false;
        }
        let attached = |catalog: &Catalog| -> BTreeSet<QualName> {
            Table::partitions_of(catalog, table)
                .filter(|(_, t)| part_of(t, name, index).is_some())
                .map(|(q, _)| q.clone())
                .collect()
        };
        let now = attached(self.cur);
        let partition_here = |catalog: &Catalog, q: &QualName| {
            (catalog.tables.get(q))
                .and_then(|t| t.partition_of.as_ref())
                .is_some_and(|p| p.parent == *table)
        };
        let after: BTreeSet<QualName> = Table::partitions_of(self.des, table)
            .map(|(q, _)| q.clone())
            .filter(|q| now.contains(q) || !partition_here(self.cur, q))
            .collect();
        after != attached(self.des)
    }

    /// An index of a partitioned table that is invalid was created `ON ONLY` it and covers
    /// only the partitions whose indexes are attached to it (in the current catalog): those.
    fn incomplete_parts(
        &self,
        table: &QualName,
        name: &str,
        index: &Index,
    ) -> Option<Vec<IndexPart>> {
        if !incomplete(self.cur, table, index) {
            return None;
        }
        let mut parts = Vec::new();
        for (partition, t) in Table::partitions_of(self.cur, table) {
            let Some(p) = &t.partition_of else {
                continue;
            };
            for (child, inherited) in &p.inherited_indexes {
                if inherited.parent_index == name && inherited.constraint.is_none() {
                    parts.push(IndexPart {
                        partition: partition.clone(),
                        name: child.clone(),
                        index: inherited.index.clone(),
                    });
                }
            }
        }
        Some(parts)
    }
}

/// Whether `index` of `table` is an incomplete partitioned index: invalid on a partitioned
/// table, where it was created `ON ONLY` (elsewhere an invalid index is a failed build).
fn incomplete(catalog: &Catalog, table: &QualName, index: &Index) -> bool {
    !index.valid && (catalog.tables.get(table)).is_some_and(|t| t.partition_by.is_some())
}

/// The part a partition has of its parent's partitioned index `name` (of definition `index`):
/// read from a catalog, its index as it is; from YAML, the name `index_names` pins, with the
/// parent's definition.
fn part_of(partition: &Table, name: &str, index: &Index) -> Option<(String, Index)> {
    let p = partition.partition_of.as_ref()?;
    let read = (p.inherited_indexes.iter()).find(|(_, i)| i.parent_index == name);
    match read {
        Some((child, i)) => Some((child.clone(), i.index.clone())),
        None => p.index_names.get(name).map(|child| {
            let whole = Index {
                valid: true,
                ..index.clone()
            };
            (child.clone(), whole)
        }),
    }
}
