//! Tables: created, dropped (or dropped and created again for a new partition key), and
//! altered part by part.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::compare::recreated;
use super::partitions::partition_views;
use super::state::Differ;

impl Differ<'_> {
    pub(super) fn tables(&mut self) {
        for (name, table) in &self.des.tables {
            match self.cur.tables.get(name) {
                None => self.create_table(name, table),
                Some(old) if recreated(old, table) => {
                    let describe = |k: &Option<String>| match k {
                        Some(k) => format!("PARTITION BY {k}"),
                        None => "not partitioned".to_string(),
                    };
                    let parents = |p: &[QualName]| match p {
                        [] => "from no table".to_string(),
                        _ => format!("from ({})", super::inheritance::names(p)),
                    };
                    let why = if old.partition_by != table.partition_by {
                        format!(
                            "the table is {} and should be {}: PostgreSQL cannot change a partition key in place",
                            describe(&old.partition_by),
                            describe(&table.partition_by)
                        )
                    } else {
                        format!(
                            "the table inherits {} and should inherit {}: PostgreSQL's INHERIT would leave the parent's columns and checks declared by the table too",
                            parents(&old.inherits),
                            parents(&table.inherits)
                        )
                    };
                    self.warn(
                        name,
                        format!(
                            "{why}, so the table is dropped (its rows kept in schemaplan_backup) and created again; the rows are not moved into the new table"
                        ),
                    );
                    self.recreate(name, old, table);
                }
                // A partition of a table dropped and created again goes with its parent: it
                // is dropped first and created again after it. One that leaves the parent (a
                // table of its own in the desired state) is detached instead, rows and all.
                Some(old) if table.partition_of.is_some() && self.parent_rebuilt(old) => {
                    self.warn(
                        name,
                        "its parent is dropped and created again: the partition is too (its rows kept in schemaplan_backup)",
                    );
                    self.recreate(name, old, table);
                }
                // So does a table that keeps inheriting from a table dropped and created again.
                Some(old) if self.heir_of_rebuilt(old, table, 0) => {
                    self.warn(
                        name,
                        "a table it inherits from is dropped and created again: the table is too (its rows kept in schemaplan_backup)",
                    );
                    self.recreate(name, old, table);
                }
                Some(old) => self.alter_table(name, old, table),
            }
        }
        for (name, table) in &self.cur.tables {
            if self.des.tables.contains_key(name) {
                continue;
            }
            let remaining = self.keys_between_dropped_tables(name, table);
            self.push(Change::DropTable {
                name: name.clone(),
                table: remaining,
                backup: None,
            });
        }
    }

    /// Whether `table` is a partition whose parent is dropped and created again (a new
    /// partition key), directly or through its own parent.
    pub(super) fn parent_rebuilt(&self, table: &Table) -> bool {
        let mut at = table;
        for _ in 0..64 {
            let Some(p) = &at.partition_of else {
                return false;
            };
            let Some(parent) = self.cur.tables.get(&p.parent) else {
                return false;
            };
            match self.des.tables.get(&p.parent) {
                Some(new) if recreated(parent, new) => return true,
                Some(_) => at = parent,
                None => return false,
            }
        }
        false
    }

    /// Drops the table (its rows kept in a backup) and creates it again as desired.
    fn recreate(&mut self, name: &QualName, old: &Table, table: &Table) {
        let remaining = self.keys_between_dropped_tables(name, old);
        self.push(Change::DropTable {
            name: name.clone(),
            table: remaining,
            backup: None,
        });
        self.create_table(name, table);
    }

    /// Whether a table keeps inheriting from a parent that is dropped and created again
    /// (`DROP TABLE` refuses a parent with heirs), directly or through its own parents.
    fn heir_of_rebuilt(&self, old: &Table, new: &Table, depth: usize) -> bool {
        depth < 64
            && (new.inherits.iter())
                .filter(|p| old.inherits.contains(p))
                .any(|p| match (self.cur.tables.get(p), self.des.tables.get(p)) {
                    (Some(a), Some(b)) => {
                        recreated(a, b)
                            || (b.partition_of.is_some() && self.parent_rebuilt(a))
                            || self.heir_of_rebuilt(a, b, depth + 1)
                    }
                    _ => false,
                })
    }

    /// Foreign keys between tables that are all dropped (or dropped and created again for a new
    /// partition key) would make the drops wait for each other; dropping those keys first
    /// breaks the cycle. The table dropped after them no longer has them: it is returned.
    fn keys_between_dropped_tables(&mut self, name: &QualName, table: &Table) -> Table {
        let mut remaining = table.clone();
        for (cname, con) in &table.constraints {
            if let ConstraintKind::ForeignKey(fk) = &con.kind {
                let gone = match (
                    self.cur.tables.get(&fk.ref_table),
                    self.des.tables.get(&fk.ref_table),
                ) {
                    (Some(old), Some(new)) => recreated(old, new),
                    _ => true,
                };
                if fk.ref_table != *name && gone {
                    remaining.constraints.remove(cname);
                    self.push(Change::DropConstraint {
                        table: name.clone(),
                        name: cname.clone(),
                        constraint: con.clone(),
                    });
                }
            }
        }
        remaining
    }

    fn create_table(&mut self, name: &QualName, table: &Table) {
        // A new partition whose own key is to be its part of an index its parent has already:
        // created a plain table with the key (and the parent's checks, which attaching
        // requires), then attached, which adopts the key's index; created a partition, it
        // would get a new index of its own for that part. So is one whose NOT NULL constraints
        // are not named as its parent's (PostgreSQL 18) under a parent that stays; under a new
        // one, it names them in its `PARTITION OF` column list (below and `render`).
        let attach_later = table.partition_of.clone().filter(|p| {
            self.own_key_for_existing_index(p, table) || self.not_null_named_apart(p, table)
        });
        let table = &match &attach_later {
            Some(p) => {
                let mut plain = Table {
                    partition_of: None,
                    ..table.clone()
                };
                for (cname, con) in &p.inherited_constraints {
                    if matches!(con.kind, ConstraintKind::Check { .. }) {
                        plain.constraints.insert(cname.clone(), con.clone());
                    }
                }
                // Its NOT NULLs named as a partition's would be (PostgreSQL 18).
                if self.cur.server_version >= 180000 {
                    for c in table.columns.iter().filter(|c| c.not_null) {
                        if !plain.not_null_names.contains_key(&c.name) {
                            let inherited = self.des.not_null_default(name, &c.name);
                            plain.not_null_names.insert(c.name.clone(), inherited);
                        }
                    }
                }
                plain
            }
            None => table.clone(),
        };
        let (inline, separate): (BTreeMap<_, _>, BTreeMap<_, _>) =
            table.constraints.clone().into_iter().partition(|(_, c)| {
                c.validated && !c.only && !matches!(c.kind, ConstraintKind::ForeignKey(_))
            });
        // On PostgreSQL 18 a key in a partition's CREATE TABLE gives its columns NOT NULL
        // constraints named after the partition, where a key added later leaves them the
        // parent's: named as the parent's.
        let mut not_null_names = table.not_null_names.clone();
        if table.partition_of.is_some() && self.cur.server_version >= 180000 {
            let keys: BTreeSet<&String> =
                (inline.values()).flat_map(|c| c.kind.columns()).collect();
            for c in &keys {
                if !not_null_names.contains_key(*c) {
                    not_null_names.insert((*c).clone(), self.des.not_null_default(name, c));
                }
            }
            // A partition's CREATE names the rest only where they are not its parent's, which
            // PostgreSQL gives it.
            not_null_names
                .retain(|c, n| keys.contains(c) || *n != self.des.not_null_default(name, c));
        }
        // NOT NULLs the desired state has NOT VALID (PostgreSQL 18): added so after.
        let mut columns = table.columns.clone();
        for c in columns.iter_mut() {
            if c.not_null && table.not_null_not_valid.contains(&c.name) && !c.inherited {
                c.not_null = false;
                self.push(Change::NotNull {
                    table: name.clone(),
                    column: c.name.clone(),
                    name: (table.not_null_names.get(&c.name).cloned())
                        .unwrap_or_else(|| self.des.not_null_default(name, &c.name)),
                    from: None,
                    to: Some(table.not_null_state(&c.name)),
                });
            }
        }
        self.push(Change::CreateTable {
            name: name.clone(),
            table: Table {
                columns,
                not_null_names,
                constraints: inline,
                indexes: BTreeMap::new(),
                policies: BTreeMap::new(),
                statistics: BTreeMap::new(),
                replica_identity: ReplicaIdentity::Default,
                ..table.clone()
            },
        });
        for (pname, policy) in &table.policies {
            self.push(Change::CreatePolicy {
                table: name.clone(),
                name: pname.clone(),
                policy: policy.clone(),
            });
        }
        for (cname, con) in separate {
            self.push(Change::AddConstraint {
                table: name.clone(),
                name: cname,
                constraint: con,
            });
        }
        for (iname, index) in &table.indexes {
            self.create_index(name, iname, index);
        }
        self.create_statistics(name, table);
        if table.replica_identity != ReplicaIdentity::Default {
            self.push(Change::SetReplicaIdentity {
                table: name.clone(),
                from: ReplicaIdentity::Default,
                to: table.replica_identity.clone(),
            });
        }
        if let Some(partition) = attach_later {
            self.push(Change::AttachPartition {
                table: name.clone(),
                partition,
            });
        }
    }

    /// Whether the new partition pins a key of its own as its part of an index its parent
    /// (a partitioned table that stays) has already.
    fn own_key_for_existing_index(&self, p: &PartitionOf, table: &Table) -> bool {
        let Some(parent) = self.staying_parent(p) else {
            return false;
        };
        p.index_names.iter().any(|(index, child)| {
            parent.indexes.contains_key(index) && table.key_named(child).is_some()
        })
    }

    /// Whether the new partition's NOT NULL constraints are named otherwise than its parent's
    /// (a partitioned table that stays).
    fn not_null_named_apart(&self, p: &PartitionOf, table: &Table) -> bool {
        let Some(parent) = self.staying_parent(p).and(self.des.tables.get(&p.parent)) else {
            return false;
        };
        (table.not_null_names.iter())
            .any(|(column, name)| parent.not_null_names.get(column).is_some_and(|n| n != name))
    }

    /// The current partitioned table a partition belongs to, when it stays partitioned so.
    fn staying_parent(&self, p: &PartitionOf) -> Option<&Table> {
        let parent = (self.cur.tables.get(&p.parent)).filter(|t| t.partition_by.is_some())?;
        let staying = (self.des.tables.get(&p.parent)).is_some_and(|d| !recreated(parent, d));
        staying.then_some(parent)
    }

    fn alter_table(&mut self, name: &QualName, old: &Table, new: &Table) {
        let (mut old_view, mut new_view) = partition_views(old, new);
        self.inheritance_views(name, &mut old_view, &mut new_view);
        // A concurrent detach leaves a CHECK of the partition constraint behind: it is the
        // table's from then on (dropped below unless the desired state keeps it).
        if let Some((check, constraint)) = self.repartition(name, old, &old_view, &new_view) {
            old_view.constraints.insert(check, constraint);
        }
        self.partition_not_null(name, old, new);
        self.not_null_names(name, old, new);
        let (old, new) = (&old_view, &new_view);
        self.column_changes(name, old, new);
        self.constraint_changes(name, old, new);
        let rebuilt = self.rebuilt_table_indexes(name, new);
        self.index_changes(name, &old.indexes, &new.indexes, &rebuilt);
        self.statistics_changes(name, old, new);
        if old.unlogged != new.unlogged {
            self.push(Change::SetPersistence {
                table: name.clone(),
                sequence: false,
                unlogged: new.unlogged,
            });
        }
        if old.replica_identity != new.replica_identity {
            self.push(Change::SetReplicaIdentity {
                table: name.clone(),
                from: old.replica_identity.clone(),
                to: new.replica_identity.clone(),
            });
        }
        if !same_options(&old.options, &new.options) {
            self.push(Change::SetOptions {
                table: name.clone(),
                view: false,
                from: old.options.clone(),
                to: new.options.clone(),
            });
        }
        if old.comment != new.comment {
            self.push(Change::SetComment {
                target: CommentTarget::Table(name.clone()),
                from: old.comment.clone(),
                to: new.comment.clone(),
            });
        }
    }
}
