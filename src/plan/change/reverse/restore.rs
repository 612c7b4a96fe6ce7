//! The way back from drops that kept what they removed in `schemaplan_backup`: the object is
//! created again and its rows, values or positions put back from the copy.

use crate::model::*;

use crate::plan::change::kinds::{Backup, Change, Restored, Reverse, Using};

impl Backup {
    /// The change that sets the kept sequences back to their positions.
    fn restore_positions(&self) -> Option<Change> {
        Some(Change::Restore {
            from: self.positions.clone()?,
            into: Restored::Positions {
                sequences: self.sequences.clone(),
            },
            last: false,
        })
    }

    /// Sequences to create before the object comes back, not yet owned by it.
    fn recreate_sequences(&self) -> impl Iterator<Item = Change> + '_ {
        self.recreate
            .iter()
            .map(|(name, def)| Change::CreateSequence {
                name: name.clone(),
                def: Sequence {
                    owned_by: None,
                    ..def.clone()
                },
            })
    }

    /// Gives the recreated sequences back to their owners.
    fn reown_sequences(&self) -> impl Iterator<Item = Change> + '_ {
        self.recreate
            .iter()
            .filter(|(_, def)| def.owned_by.is_some())
            .map(|(name, def)| Change::SetSequenceOwner {
                name: name.clone(),
                from: None,
                to: def.owned_by.clone(),
            })
    }
}

/// The way back from dropping a sequence that was kept: the sequence as it was (not yet owned),
/// its position, then its owner.
pub(super) fn restore_sequence(name: QualName, def: Sequence, backup: Option<Backup>) -> Reverse {
    let Some(backup) = backup else {
        return Reverse::Irreversible {
            reason: "dropping a sequence loses its position (--no-backup)".into(),
        };
    };
    let mut out = vec![Change::CreateSequence {
        name: name.clone(),
        def: Sequence {
            owned_by: None,
            ..def.clone()
        },
    }];
    out.extend(backup.restore_positions());
    mark_last_restore(&mut out);
    if def.owned_by.is_some() {
        out.push(Change::SetSequenceOwner {
            name,
            from: None,
            to: def.owned_by,
        });
    }
    Reverse::Changes(out)
}

/// The way back from dropping a table that was kept: the table as it was created (keys and
/// checks inline), its rows, then its foreign keys and indexes (built over the rows at once),
/// and its sequences' positions. Without a copy (`--no-backup`) there is no way back.
pub(super) fn restore_table(name: QualName, table: Table, backup: Option<Backup>) -> Reverse {
    let Some(backup) = backup else {
        return Reverse::Irreversible {
            reason: "dropping a table deletes its rows (--no-backup)".into(),
        };
    };
    let (inline, separate): (
        std::collections::BTreeMap<_, _>,
        std::collections::BTreeMap<_, _>,
    ) = table
        .constraints
        .clone()
        .into_iter()
        .partition(|(_, c)| c.validated && !matches!(c.kind, ConstraintKind::ForeignKey(_)));
    let mut out: Vec<Change> = backup.recreate_sequences().collect();
    out.push(Change::CreateTable {
        name: name.clone(),
        table: Table {
            constraints: inline,
            indexes: Default::default(),
            policies: Default::default(),
            statistics: Default::default(),
            // Switched on once the rows are back: forced row security would hold the rows
            // of a restore by the table's owner to policies.
            row_security: RowSecurity::default(),
            ..table.clone()
        },
    });
    if let Some(data) = &backup.data {
        out.push(Change::Restore {
            from: data.clone(),
            into: Restored::Rows {
                table: name.clone(),
                columns: table.columns.clone(),
            },
            last: false,
        });
    }
    for (cname, constraint) in separate {
        out.push(Change::AddConstraint {
            table: name.clone(),
            name: cname,
            constraint,
        });
    }
    for (iname, index) in table.indexes {
        out.push(Change::CreateIndex {
            table: name.clone(),
            name: iname,
            index,
            concurrently: false,
            replaces: None,
        });
    }
    for (sname, stats) in table.statistics.clone() {
        out.push(Change::CreateStatistics {
            table: name.clone(),
            name: sname,
            stats,
        });
    }
    // Triggers come back once the rows are in (putting rows back fires none).
    for (tname, trigger) in table.triggers.clone() {
        out.push(Change::CreateTrigger {
            table: name.clone(),
            name: tname,
            trigger,
        });
    }
    // Policies may read other tables: they come back once the rows are in.
    for (pname, policy) in table.policies {
        out.push(Change::CreatePolicy {
            table: name.clone(),
            name: pname,
            policy,
        });
    }
    if table.row_security != RowSecurity::default() {
        out.push(Change::SetRowSecurity {
            table: name.clone(),
            from: RowSecurity::default(),
            to: table.row_security,
        });
    }
    if table.replica_identity != ReplicaIdentity::Default {
        out.push(Change::SetReplicaIdentity {
            table: name.clone(),
            from: ReplicaIdentity::Default,
            to: table.replica_identity,
        });
    }
    out.extend(backup.restore_positions());
    mark_last_restore(&mut out);
    out.extend(backup.reown_sequences());
    Reverse::Changes(out)
}

/// The way back from dropping a column: a generated column is computed again; a kept column is
/// added back bare, filled from the copy row by row, then given its default, NOT NULL and
/// identity, and its sequences their positions.
pub(super) fn restore_column(dropped: Change) -> Reverse {
    let Change::DropColumn {
        table,
        column,
        backup,
        only,
    } = dropped
    else {
        unreachable!("reverse dispatches DropColumn here");
    };
    if only {
        return parent_column_irreversible(&column, backup.as_ref());
    }
    if column.generated.is_some() {
        return Reverse::Changes(vec![Change::AddColumn {
            table,
            column,
            not_null_name: None,
        }]);
    }
    let Some(backup) = backup else {
        return Reverse::Irreversible {
            reason: "dropping a column deletes its values (--no-backup)".into(),
        };
    };
    let Some(data) = backup.data.clone().filter(|_| backup.key_is_unique) else {
        return Reverse::Irreversible {
            reason: format!(
                "the table has no primary key or unique key of NOT NULL columns to match its \
                 rows by; the values are kept in {}",
                backup
                    .data
                    .as_ref()
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| "no copy".into())
            ),
        };
    };
    let bare = Column {
        not_null: false,
        default: None,
        identity: None,
        ..column.clone()
    };
    let mut out: Vec<Change> = backup.recreate_sequences().collect();
    out.push(Change::AddColumn {
        table: table.clone(),
        column: bare.clone(),
        not_null_name: None,
    });
    out.push(Change::Restore {
        from: data,
        into: Restored::Values {
            table: table.clone(),
            column: column.clone(),
            key: backup.key.clone(),
        },
        last: false,
    });
    if bare != column {
        out.push(Change::AlterColumn {
            table,
            from: bare,
            to: column,
            using: Using::Implicit,
            using_reverse: Using::Implicit,
            renumber: None,
            renumber_reverse: None,
        });
    }
    out.extend(backup.restore_positions());
    mark_last_restore(&mut out);
    out.extend(backup.reown_sequences());
    Reverse::Changes(out)
}

/// The last restore of a reverse also removes the backup schema when it is left empty.
fn mark_last_restore(changes: &mut [Change]) {
    if let Some(Change::Restore { last, .. }) = changes
        .iter_mut()
        .rev()
        .find(|c| matches!(c, Change::Restore { .. }))
    {
        *last = true;
    }
}

/// A parent's column dropped with `ONLY` stays in the tables that inherit, as their own: added
/// back to the parent it would merge with those copies, and PostgreSQL has no statement that
/// makes a column inherited alone again.
fn parent_column_irreversible(column: &Column, backup: Option<&Backup>) -> Reverse {
    let kept = backup
        .and_then(|b| b.data.as_ref())
        .map(|d| format!("; its values are kept in {d}"))
        .unwrap_or_default();
    Reverse::Irreversible {
        reason: format!(
            "the tables that inherit keep column {} as their own, and PostgreSQL cannot make it \
             inherited alone again{kept}",
            column.name
        ),
    }
}
