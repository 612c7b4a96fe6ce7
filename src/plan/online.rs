//! Online techniques: changes to tables that already exist (and may be in use) are rewritten
//! into sequences of steps that never hold a lock that blocks writers for long:
//!
//! - an index is built and dropped `CONCURRENTLY`; a changed index is built under a temporary
//!   name, the old one dropped, the new one renamed;
//! - a foreign key or check (of a table or a domain) is added `NOT VALID`, then validated in a
//!   step of its own;
//! - `SET NOT NULL` is proved by a `CHECK (col IS NOT NULL) NOT VALID` that is validated first,
//!   so that `SET NOT NULL` skips its scan; the helper check is dropped after;
//! - a primary key or unique constraint is added `USING INDEX` on an index built concurrently;
//! - a column whose default is volatile is added without it, given the default (new rows), and
//!   its existing rows are backfilled in batches.
//!
//! Pure: changes in, changes out, plus the order the steps of each technique must keep (the
//! dependency graph orders everything else).

use std::collections::{BTreeMap, BTreeSet};

use crate::model::naming::bounds_check_name;
use crate::model::naming::default_object_name;
use crate::model::*;
use crate::plan::change::{Change, Using};

/// Changes after the techniques, and extra edges `(a, b)`: change `a` runs before change `b`.
#[derive(Debug, Default)]
pub struct Online {
    pub changes: Vec<Change>,
    pub sequence: Vec<(usize, usize)>,
}

impl Online {
    fn push(&mut self, change: Change) -> usize {
        self.changes.push(change);
        self.changes.len() - 1
    }

    /// Pushes `changes` one after the other, each after the one before it (and after `after`).
    fn chain(&mut self, after: Option<usize>, changes: Vec<Change>) -> usize {
        let mut last = after;
        for change in changes {
            let i = self.push(change);
            if let Some(prev) = last {
                self.sequence.push((prev, i));
            }
            last = Some(i);
        }
        last.expect("a chain has at least one change")
    }
}

/// A name derived from `base` that fits in 63 bytes.
fn derived_name(base: &str, suffix: &str) -> String {
    default_object_name(base, None, suffix)
}

/// The unique index a primary key or unique constraint is attached to.
fn index_for(constraint: &Constraint) -> Index {
    let (columns, include, nulls_not_distinct) = match &constraint.kind {
        ConstraintKind::PrimaryKey { columns, include } => (columns, include, false),
        ConstraintKind::Unique {
            columns,
            include,
            nulls_not_distinct,
        } => (columns, include, *nulls_not_distinct),
        _ => unreachable!("only keys have an index"),
    };
    Index {
        unique: true,
        method: "btree".into(),
        keys: columns
            .iter()
            .map(|c| IndexKey {
                expr: IndexExpr::Column(c.clone()),
                opclass: None,
                collation: None,
                descending: false,
                nulls_first: false,
            })
            .collect(),
        include: include.clone(),
        predicate: None,
        nulls_not_distinct,
        options: BTreeMap::new(),
        comment: None,
        valid: true,
    }
}

/// A constraint added `NOT VALID` (a short lock, no scan), then validated (a scan that blocks
/// no writes).
fn added_then_validated(table: QualName, name: String, constraint: Constraint) -> Vec<Change> {
    vec![
        Change::AddConstraint {
            table: table.clone(),
            name: name.clone(),
            constraint: Constraint {
                validated: false,
                ..constraint.clone()
            },
        },
        Change::ValidateConstraint {
            table,
            name,
            constraint,
        },
    ]
}

/// `SET NOT NULL` without a scan under its lock: helper check, validate, set, drop the helper.
fn not_null_steps(table: &QualName, from: &Column, to: &Column) -> Vec<Change> {
    let helper = default_object_name(&table.name, Some(&to.name), "not_null");
    let check = Constraint {
        kind: ConstraintKind::Check {
            expression: Expr::new(format!(
                "{} IS NOT NULL",
                crate::model::quote::ident(&to.name)
            )),
            no_inherit: false,
        },
        deferrable: false,
        initially_deferred: false,
        validated: false,
        comment: None,
    };
    vec![
        Change::AddConstraint {
            table: table.clone(),
            name: helper.clone(),
            constraint: check.clone(),
        },
        Change::ValidateConstraint {
            table: table.clone(),
            name: helper.clone(),
            constraint: Constraint {
                validated: true,
                ..check.clone()
            },
        },
        Change::AlterColumn {
            table: table.clone(),
            from: from.clone(),
            to: to.clone(),
            using: Using::Implicit,
            using_reverse: Using::Implicit,
            renumber: None,
            renumber_reverse: None,
        },
        Change::DropConstraint {
            table: table.clone(),
            name: helper,
            constraint: Constraint {
                validated: true,
                ..check
            },
        },
    ]
}

/// Applies the techniques to the changes of tables that exist in both models.
pub fn techniques(
    changes: Vec<Change>,
    current: &Catalog,
    desired: &Catalog,
    backfills: &crate::model::hints::Backfills,
) -> Online {
    let backfill_of = |table: &QualName, column: &str| {
        backfills
            .get(&(table.clone(), column.to_string()))
            .map(|b| b.expression.clone())
    };
    // A table whose partition key changes is created anew (see `diff`): not an existing one.
    let existing = |t: &QualName| {
        matches!((current.tables.get(t), desired.tables.get(t)),
            (Some(a), Some(b)) if a.partition_by == b.partition_by)
    };
    // Indexes of a materialized view that stays are built and dropped concurrently too (a
    // plain build blocks its REFRESH, a plain drop its readers). One that is rebuilt gets its
    // indexes with its create.
    let existing_matview = |t: &QualName| {
        current.materialized_views.contains_key(t) && desired.materialized_views.contains_key(t)
    };
    let rebuilt_indexes: BTreeSet<(QualName, String)> = changes
        .iter()
        .filter_map(|c| match c {
            Change::DropIndex { table, name, .. } => Some((table.clone(), name.clone())),
            _ => None,
        })
        .filter(|(t, n)| {
            changes.iter().any(
                |c| matches!(c, Change::CreateIndex { table, name, .. } if table == t && name == n),
            )
        })
        .collect();
    // A partitioned table has no storage of its own: PostgreSQL builds its indexes neither
    // concurrently nor under a helper name, attaches no key `USING INDEX` and no foreign key
    // `NOT VALID`. Its partitions' indexes are built one by one instead (see
    // `partitioned_index`).
    let partitioned = |t: &QualName| {
        current
            .tables
            .get(t)
            .is_some_and(|t| t.partition_by.is_some())
            && desired
                .tables
                .get(t)
                .is_some_and(|t| t.partition_by.is_some())
    };
    let has_storage = |t: &QualName| existing(t) && !partitioned(t);
    let has_indexes = |t: &QualName| has_storage(t) || existing_matview(t);
    let mut out = Online::default();
    // Where each column's SET NOT NULL lands, and the primary keys attached with USING INDEX:
    // a primary key needs its columns NOT NULL first.
    let mut set_not_null: BTreeMap<(QualName, String), usize> = BTreeMap::new();
    let mut attached_keys: Vec<(usize, QualName, Vec<String>)> = Vec::new();
    for change in changes {
        match change {
            Change::CreateIndex {
                table, name, index, ..
            } if has_indexes(&table) => {
                if rebuilt_indexes.contains(&(table.clone(), name.clone())) {
                    let temporary = derived_name(&name, "schemaplan_new");
                    out.chain(
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
                    out.push(Change::CreateIndex {
                        table,
                        name,
                        index,
                        concurrently: true,
                        replaces: None,
                    });
                }
            }
            Change::DropIndex {
                table, name, index, ..
            } if has_indexes(&table) => {
                out.push(Change::DropIndex {
                    table,
                    name,
                    index,
                    concurrently: true,
                });
            }
            Change::AddConstraint {
                table,
                name,
                constraint,
            } if has_storage(&table) => match &constraint.kind {
                ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. }
                    if constraint.validated =>
                {
                    out.chain(None, added_then_validated(table, name, constraint));
                }
                ConstraintKind::PrimaryKey { columns, .. }
                | ConstraintKind::Unique { columns, .. } => {
                    let columns = columns.clone();
                    let primary = matches!(constraint.kind, ConstraintKind::PrimaryKey { .. });
                    let attach = out.chain(
                        None,
                        vec![
                            Change::CreateIndex {
                                table: table.clone(),
                                name: name.clone(),
                                index: index_for(&constraint),
                                concurrently: true,
                                replaces: None,
                            },
                            Change::AddConstraintUsingIndex {
                                table: table.clone(),
                                name,
                                constraint,
                            },
                        ],
                    );
                    if primary {
                        attached_keys.push((attach, table, columns));
                    }
                }
                _ => {
                    out.push(Change::AddConstraint {
                        table,
                        name,
                        constraint,
                    });
                }
            },
            Change::AlterColumn {
                table,
                from,
                to,
                using,
                using_reverse,
                renumber,
                renumber_reverse,
            } if existing(&table) && !from.not_null && to.not_null => {
                let middle = Column {
                    not_null: false,
                    ..to.clone()
                };
                let before = (middle != from).then(|| {
                    out.push(Change::AlterColumn {
                        table: table.clone(),
                        from,
                        to: middle.clone(),
                        using,
                        using_reverse,
                        renumber,
                        renumber_reverse,
                    })
                });
                let mut steps = Vec::new();
                // Rows still NULL get the column's `backfill` before NOT NULL is proved.
                if let Some(expression) = backfill_of(&table, &to.name) {
                    steps.push(Change::Backfill {
                        table: table.clone(),
                        column: to.name.clone(),
                        expression,
                        column_existed: true,
                    });
                }
                steps.extend(not_null_steps(&table, &middle, &to));
                let last = out.chain(before, steps);
                // The SET NOT NULL is the step before the helper's drop.
                set_not_null.insert((table, to.name.clone()), last - 1);
            }
            Change::AddColumn { table, column } if existing(&table) => {
                let volatile = column.default.as_ref().is_some_and(|d| d.volatile)
                    && column.identity.is_none()
                    && column.generated.is_none();
                let backfill = backfill_of(&table, &column.name);
                if !volatile && backfill.is_none() {
                    out.push(Change::AddColumn { table, column });
                    continue;
                }
                let bare = Column {
                    default: None,
                    not_null: false,
                    ..column.clone()
                };
                let defaulted = Column {
                    not_null: false,
                    ..column.clone()
                };
                // Existing rows get the `backfill` expression, or else the volatile default.
                let expression = backfill
                    .or_else(|| column.default.clone())
                    .expect("a backfill or a volatile default");
                let mut steps = vec![
                    Change::AddColumn {
                        table: table.clone(),
                        column: bare.clone(),
                    },
                    Change::AlterColumn {
                        table: table.clone(),
                        from: bare,
                        to: defaulted.clone(),
                        using: Using::Implicit,
                        using_reverse: Using::Implicit,
                        renumber: None,
                        renumber_reverse: None,
                    },
                    Change::Backfill {
                        table: table.clone(),
                        column: column.name.clone(),
                        expression,
                        column_existed: false,
                    },
                ];
                if column.not_null {
                    steps.extend(not_null_steps(&table, &defaulted, &column));
                }
                let last = out.chain(None, steps);
                if column.not_null {
                    set_not_null.insert((table, column.name.clone()), last - 1);
                }
            }
            Change::CreateIndex {
                table, name, index, ..
            } if partitioned(&table) => {
                partitioned_index(&mut out, &table, &name, index, current, desired);
            }
            Change::AddConstraint {
                table,
                name,
                constraint,
            } if partitioned(&table)
                && matches!(constraint.kind, ConstraintKind::Check { .. })
                && constraint.validated =>
            {
                // A check is added NOT VALID to every partition and validated after.
                out.chain(None, added_then_validated(table, name, constraint));
            }
            Change::AttachPartition { table, partition } if partition.constraint.is_some() => {
                attach_partition(&mut out, table, partition);
            }
            // A new check on a domain in use: added NOT VALID (new values are checked at once),
            // then validated in a step of its own, like a table's.
            Change::AddDomainConstraint {
                domain,
                name,
                constraint,
            } if constraint.validated
                && current.domains.contains_key(&domain)
                && desired.domains.contains_key(&domain) =>
            {
                out.chain(
                    None,
                    vec![
                        Change::AddDomainConstraint {
                            domain: domain.clone(),
                            name: name.clone(),
                            constraint: DomainConstraint {
                                validated: false,
                                ..constraint.clone()
                            },
                        },
                        Change::ValidateDomainConstraint {
                            domain,
                            name,
                            constraint,
                        },
                    ],
                );
            }
            other => {
                out.push(other);
            }
        }
    }
    // A table is attached once everything it is to have is built and validated: attaching
    // adopts it then, instead of building or checking it under ACCESS EXCLUSIVE.
    let attaches: Vec<(usize, QualName)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::AttachPartition { table, .. } => Some((i, table.clone())),
            _ => None,
        })
        .collect();
    for (attach, table) in attaches {
        for (i, c) in out.changes.iter().enumerate() {
            let on_table = match c {
                Change::CreateIndex { table: t, .. }
                | Change::AddConstraint { table: t, .. }
                | Change::ValidateConstraint { table: t, .. }
                | Change::AddConstraintUsingIndex { table: t, .. } => *t == table,
                _ => false,
            };
            let already = out.sequence.contains(&(attach, i));
            if on_table && !already {
                out.sequence.push((i, attach));
            }
        }
    }
    for (attach, table, columns) in attached_keys {
        for column in columns {
            if let Some(&set) = set_not_null.get(&(table.clone(), column)) {
                out.sequence.push((set, attach));
            }
        }
    }
    out
}

/// Attaching a table scans it under ACCESS EXCLUSIVE to prove that its rows are within the
/// bounds, unless a valid CHECK of the table implies them: such a check is added `NOT VALID`,
/// validated (which blocks no writes), the table attached (no scan), and the check dropped.
fn attach_partition(out: &mut Online, table: QualName, partition: PartitionOf) {
    let name = bounds_check_name(&table);
    let check = Constraint {
        kind: ConstraintKind::Check {
            expression: Expr::new(partition.constraint.clone().unwrap_or_default()),
            no_inherit: false,
        },
        deferrable: false,
        initially_deferred: false,
        validated: false,
        comment: None,
    };
    let validated = Constraint {
        validated: true,
        ..check.clone()
    };
    out.chain(
        None,
        vec![
            Change::AddConstraint {
                table: table.clone(),
                name: name.clone(),
                constraint: check,
            },
            Change::ValidateConstraint {
                table: table.clone(),
                name: name.clone(),
                constraint: validated.clone(),
            },
            Change::AttachPartition {
                table: table.clone(),
                partition,
            },
            Change::DropConstraint {
                table,
                name,
                constraint: validated,
            },
        ],
    );
}

/// An index on a partitioned table that exists: `CREATE INDEX CONCURRENTLY` refuses it, and a
/// plain build locks every partition against writes for its length. The index is created
/// `ON ONLY` the table (no build, invalid), each existing partition's index built
/// concurrently under the name PostgreSQL gives it (read from the shadow) and attached; the
/// partitioned index is valid once every partition has one. A sub-partitioned partition gets
/// its own `ON ONLY` index, attached after its partitions' are.
fn partitioned_index(
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
        });
        out.sequence.push((built.0, attach));
        for b in built.1 {
            out.sequence.push((b, attach));
        }
        attaches.push(attach);
    }
    attaches
}
