//! Partitions: attaching and detaching, the parts a partition has from its parent, and the
//! names of the indexes it inherits.

use crate::model::*;
use crate::plan::change::{CascadedKey, Change, Using};

use super::compare::{recreated, same_constraint, same_index};
use super::state::Differ;

impl Differ<'_> {
    /// A table that becomes a partition, stops being one, or moves: detached, then attached.
    pub(super) fn repartition(
        &mut self,
        name: &QualName,
        table: &Table,
        old: &Table,
        new: &Table,
    ) -> Option<(String, Constraint)> {
        let moved = match (&old.partition_of, &new.partition_of) {
            (Some(a), Some(b)) => !a.same_place(b),
            (None, None) => false,
            _ => true,
        };
        if !moved {
            return None;
        }
        let mut left = None;
        if let Some(from) = &old.partition_of {
            // Not concurrently when the parent has a default partition (PostgreSQL refuses),
            // nor before PostgreSQL 14, which has no DETACH … CONCURRENTLY (a model from YAML,
            // version 0, follows 15).
            let has_default = Table::partitions_of(self.cur, &from.parent)
                .any(|(_, t)| t.partition_of.as_ref().is_some_and(|p| p.is_default()));
            let concurrently = !has_default && !(1..140000).contains(&self.cur.server_version);
            let leaves_check = if concurrently {
                detach_check_name(name, table, old, from)
            } else {
                None
            };
            left = leaves_check
                .clone()
                .map(|n| (n, crate::plan::change::partition_check(from)));
            self.push(Change::DetachPartition {
                table: name.clone(),
                partition: from.clone(),
                concurrently,
                leaves_check,
            });
        }
        if let Some(to) = &new.partition_of {
            self.push(Change::AttachPartition {
                table: name.clone(),
                partition: to.clone(),
            });
        }
        left
    }

    /// Columns of a partition that stays where it is, NOT NULL on their own (stricter than the
    /// parent's): set or dropped where the partition differs from what its parent's own change
    /// (which PostgreSQL applies to every partition) leaves it.
    pub(super) fn partition_not_null(&mut self, name: &QualName, old: &Table, new: &Table) {
        let (Some(a), Some(b)) = (&old.partition_of, &new.partition_of) else {
            return;
        };
        if !a.same_place(b) {
            return;
        }
        let (Some(parent_old), Some(parent_new)) = (
            self.cur.tables.get(&a.parent),
            self.des.tables.get(&b.parent),
        ) else {
            return;
        };
        for wanted in &new.columns {
            let (Some(now), Some(p_old), Some(p_new)) = (
                old.column(&wanted.name),
                parent_old.column(&wanted.name),
                parent_new.column(&wanted.name),
            ) else {
                continue;
            };
            let left = if p_old.not_null != p_new.not_null {
                p_new.not_null
            } else {
                now.not_null
            };
            if left == wanted.not_null {
                continue;
            }
            let from = Column {
                not_null: left,
                ..now.clone()
            };
            let to = Column {
                not_null: wanted.not_null,
                ..now.clone()
            };
            self.push(Change::AlterColumn {
                table: name.clone(),
                from,
                to,
                using: Using::Implicit,
                using_reverse: Using::Implicit,
                renumber: None,
                renumber_reverse: None,
            });
        }
    }

    /// Names the desired state pins for the indexes partitions have from their parents'
    /// partitioned indexes: one under another name is renamed, one this plan creates (with the
    /// partition, or with the parent's index) gets its name once it exists. Reads the index
    /// builds that `tables` planned.
    pub(super) fn inherited_index_names(&mut self) {
        for (name, table) in &self.des.tables {
            let Some(p) = &table.partition_of else {
                continue;
            };
            let existing = self.cur.tables.get(name).filter(|t| !recreated(t, table));
            let current = existing
                .and_then(|t| t.partition_of.as_ref())
                .filter(|c| c.parent == p.parent);
            // A table attached (or moved) here keeps the indexes it has, its old parent's
            // included (detaching makes them its own): one already under the wanted name, kept
            // as it is, is the one attaching adopts, so there is nothing to name afterwards.
            let moving = existing.filter(|_| current.is_none());
            let has_name = |wanted: &String| {
                moving.is_some_and(|t| {
                    t.indexes.contains_key(wanted)
                        || t.partition_of.as_ref().is_some_and(|o| {
                            o.inherited_indexes
                                .get(wanted)
                                .is_some_and(|i| i.constraint.is_none())
                        })
                })
            };
            for (parent_index, wanted) in &p.index_names {
                // A parent index this plan drops (to build it again) takes its partitions'
                // indexes along: the one there now is not the one to name, and undoing the plan
                // has nothing to name back (the parent is gone by then).
                let parent_rebuilt = self.drops_index(&p.parent, parent_index);
                let now = current.filter(|_| !parent_rebuilt).and_then(|c| {
                    c.inherited_indexes
                        .iter()
                        .find(|(_, i)| i.parent_index == *parent_index)
                        .map(|(n, _)| n.clone())
                });
                // A table about to be attached gets the index built under its name first
                // (`partition_views`), which attaching adopts: nothing to name then.
                let built = self.out.changes.iter().any(|c| {
                    matches!(c, Change::CreateIndex { table, name: n, .. } if table == name && n == wanted)
                });
                // Nor one that is the partition's own key's index, which building the parent's
                // index adopts under its name (`online`).
                let own_key = table.key_named(wanted).is_some();
                let kept = has_name(wanted) && !self.drops_index(name, wanted);
                let parent_index = QualName::new(p.parent.schema.clone(), parent_index.clone());
                if now.as_ref() != Some(wanted) && !built && !own_key && !kept {
                    self.push(Change::NameInheritedIndex {
                        partition: name.clone(),
                        parent_index,
                        name: wanted.clone(),
                        previous: now,
                        twin: false,
                    });
                } else if let Some(twin) = built.then(|| self.older_twin(name, p, wanted)).flatten()
                {
                    // Attaching adopts the older index of the same definition the table has,
                    // not the one built for it: the two trade names.
                    self.push(Change::NameInheritedIndex {
                        partition: name.clone(),
                        parent_index,
                        name: wanted.clone(),
                        previous: Some(twin),
                        twin: true,
                    });
                }
            }
        }
    }

    /// Whether the changes planned so far drop the index `name` of `table`.
    fn drops_index(&self, table: &QualName, name: &str) -> bool {
        self.out.changes.iter().any(
            |c| matches!(c, Change::DropIndex { table: t, name: n, .. } if t == table && n == name),
        )
    }

    /// An index the table to be attached has of its own now, of the same definition as the one
    /// built (as `wanted`) for it to bring to its parent's index: attaching adopts the first
    /// that matches, which is the older.
    fn older_twin(&self, table: &QualName, p: &PartitionOf, wanted: &str) -> Option<String> {
        let brought = &p.inherited_indexes.get(wanted)?.index;
        let own = &self.cur.tables.get(table)?.indexes;
        own.iter()
            .find(|(n, i)| *n != wanted && same_index(i, brought))
            .map(|(n, _)| n.clone())
    }

    /// A partitioned index this plan drops, whose partitions' attached indexes back keys of the
    /// partitions' own (`ADD PRIMARY KEY USING INDEX` on an attached index): PostgreSQL drops
    /// neither such a key (its index is the parent index's) nor the index alone (the key needs
    /// it). When the plan drops every such key, and no foreign key references them, the drop of
    /// the index takes them along (`CASCADE`), in place of their own steps.
    pub(super) fn cascade_partition_keys(&mut self) {
        let mut folded: Vec<(usize, Vec<CascadedKey>)> = Vec::new();
        for (i, change) in self.out.changes.iter().enumerate() {
            let Change::DropIndex { table, name, .. } = change else {
                continue;
            };
            let mut keys = Vec::new();
            let mut all = true;
            for (partition, part) in Table::partitions_of(self.cur, table) {
                let Some(p) = &part.partition_of else {
                    continue;
                };
                // A key's index has the key's name.
                let backing = (p.inherited_indexes.iter())
                    .filter(|(_, inherited)| inherited.parent_index == *name)
                    .filter_map(|(child, _)| Some((child, part.constraints.get(child)?)));
                for (key, c) in backing {
                    if self.drops_constraint(partition, key) && !referenced(self.cur, partition) {
                        keys.push((partition.clone(), key.clone(), c.clone()));
                    } else {
                        all = false;
                    }
                }
            }
            if all && !keys.is_empty() {
                folded.push((i, keys));
            }
        }
        let mut taken: Vec<(QualName, String)> = Vec::new();
        for (i, keys) in folded {
            taken.extend(keys.iter().map(|(t, n, _)| (t.clone(), n.clone())));
            if let Change::DropIndex { cascades, .. } = &mut self.out.changes[i] {
                *cascades = keys;
            }
        }
        self.out.changes.retain(|c| {
            !matches!(c, Change::DropConstraint { table, name, .. }
                if taken.iter().any(|(t, n)| t == table && n == name))
        });
    }

    /// Whether the changes planned so far drop the constraint `name` of `table`.
    fn drops_constraint(&self, table: &QualName, name: &str) -> bool {
        self.out.changes.iter().any(
            |c| matches!(c, Change::DropConstraint { table: t, name: n, .. } if t == table && n == name),
        )
    }

    /// A partitioned index this plan drops takes its partitions' indexes along; undoing the
    /// plan creates it again, and PostgreSQL names those anew. A step that changes nothing going
    /// up, planned before the drop, names them as they were going down.
    pub(super) fn keep_inherited_index_names(&mut self) {
        let dropped: Vec<(QualName, String)> = self
            .out
            .changes
            .iter()
            .filter_map(|c| {
                if let Change::DropIndex { table, name, .. } = c {
                    Some((table.clone(), name.clone()))
                } else {
                    None
                }
            })
            .collect();
        for (parent, index) in dropped {
            for (partition, table) in Table::partitions_of(self.cur, &parent) {
                if !self.des.tables.contains_key(partition) {
                    continue;
                }
                let Some(p) = &table.partition_of else {
                    continue;
                };
                for (child, inherited) in &p.inherited_indexes {
                    if inherited.parent_index == index && inherited.constraint.is_none() {
                        self.push(Change::NameInheritedIndex {
                            partition: partition.clone(),
                            parent_index: QualName::new(parent.schema.clone(), index.clone()),
                            name: child.clone(),
                            previous: Some(child.clone()),
                            twin: false,
                        });
                    }
                }
            }
        }
    }
}

/// Whether a foreign key of `catalog` references `table`.
fn referenced(catalog: &Catalog, table: &QualName) -> bool {
    (catalog.tables.values().flat_map(|t| t.constraints.values()))
        .any(|c| matches!(&c.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == *table))
}

/// The two sides of an existing table as far as its own columns, constraints and indexes go.
/// A partition that stays where it is has its parent's columns: none are compared. A table
/// that moves (stops being a partition, becomes one, or changes parent) is a table of its own
/// in between: its columns are compared, so that it leaves with the defaults it is to have as
/// a table (a detached partition keeps the parent's), and arrives with the columns, types, NOT
/// NULLs and defaults its new parent gives (attaching copies none of them: PostgreSQL refuses
/// a table whose columns differ, and keeps the table's defaults). A model from YAML alone lists
/// no columns for a partition (the shadow's has them): then none are compared. A table that
/// stops being a partition keeps what it had from its parent (it becomes its own); a table
/// that becomes one must have, before it is attached, what it is to inherit (so that attaching
/// adopts it instead of building it under ACCESS EXCLUSIVE) — a constraint or index it already
/// has that is the same but named otherwise is adopted as it is.
pub(super) fn partition_views(old: &Table, new: &Table) -> (Table, Table) {
    let (mut old_view, mut new_view) = (old.clone(), new.clone());
    if old.partition_of.is_none() && new.partition_of.is_none() {
        return (old_view, new_view);
    }
    let moved = match (&old.partition_of, &new.partition_of) {
        (Some(a), Some(b)) => !a.same_place(b),
        _ => true,
    };
    let listed = |t: &Table| t.partition_of.is_none() || !t.columns.is_empty();
    if !moved || !listed(old) || !listed(new) {
        old_view.columns.clear();
        new_view.columns.clear();
    }
    if !moved {
        return (old_view, new_view);
    }
    if let Some(p) = &old.partition_of {
        absorb_inherited(&mut old_view, p);
    }
    if let Some(p) = &new.partition_of {
        absorb_inherited(&mut new_view, p);
        for (name, con) in p.inherited_constraints.clone() {
            if old_view.constraints.contains_key(&name) {
                continue;
            }
            let twin = old_view
                .constraints
                .iter()
                .find(|(n, c)| !new_view.constraints.contains_key(*n) && same_constraint(c, &con));
            if let Some((n, c)) = twin {
                let (n, c) = (n.clone(), c.clone());
                new_view.constraints.remove(&name);
                new_view.constraints.insert(n, c);
            }
        }
        for (name, inherited) in &p.inherited_indexes {
            if inherited.constraint.is_some() || old_view.indexes.contains_key(name) {
                continue;
            }
            let twin = old_view.indexes.iter().find(|(n, i)| {
                !new_view.indexes.contains_key(*n) && same_index(i, &inherited.index)
            });
            if let Some((n, i)) = twin {
                let (n, i) = (n.clone(), i.clone());
                new_view.indexes.remove(name);
                new_view.indexes.insert(n, i);
            }
        }
    }
    (old_view, new_view)
}

/// The name PostgreSQL gives the CHECK that `DETACH PARTITION … CONCURRENTLY` adds to the
/// table: `<table>_<first column of the partition constraint>_check`, numbered past names the
/// table already uses. `None` when the table already has a check of that expression (then
/// PostgreSQL adds none).
fn detach_check_name(
    name: &QualName,
    table: &Table,
    own: &Table,
    partition: &PartitionOf,
) -> Option<String> {
    let constraint = partition.constraint.as_deref()?;
    let already = own.constraints.values().any(|c| {
        matches!(&c.kind, ConstraintKind::Check { expression, .. } if expression.text == constraint)
    });
    if already {
        return None;
    }
    let column = crate::sqltext::reprint::identifiers(constraint)
        .into_iter()
        .find(|word| table.column(word).is_some())?;
    let mut check = crate::model::naming::default_object_name(&name.name, Some(&column), "check");
    let mut n = 0;
    while own.constraints.contains_key(&check) {
        n += 1;
        check = crate::model::naming::default_object_name(
            &name.name,
            Some(&column),
            &format!("check{n}"),
        );
    }
    Some(check)
}

/// What a partition has from its parent, counted as its own.
fn absorb_inherited(table: &mut Table, partition: &PartitionOf) {
    for (name, con) in &partition.inherited_constraints {
        table.constraints.insert(name.clone(), con.clone());
    }
    for (name, inherited) in &partition.inherited_indexes {
        if inherited.constraint.is_none() {
            table.indexes.insert(name.clone(), inherited.index.clone());
        }
    }
}
