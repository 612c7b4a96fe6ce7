//! Locks of changes to tables and their columns, options, persistence and names, of data steps
//! (backfills, restores) and of triggers.

use crate::model::naming::identity_sequence_name;
use crate::model::*;
use crate::plan::change::{Renamed, Renumber, Restored};
use crate::plan::classify::lock_mode::LockMode::*;

use super::lock_set::LockSet;

pub(super) fn drop_table(set: &mut LockSet, name: &QualName, table: &Table) {
    set.lock(name, AccessExclusive);
    for con in table.constraints.values() {
        if let ConstraintKind::ForeignKey(fk) = &con.kind {
            set.lock(&fk.ref_table, AccessExclusive);
        }
    }
    // Sequences it owns go with it (those the desired state keeps have moved first).
    for (seq, s) in &set.current.sequences {
        if s.owned_by.as_ref().is_some_and(|o| o.table == *name)
            && !set.desired.sequences.contains_key(seq)
        {
            set.lock(seq, AccessExclusive);
        }
    }
    for c in &table.columns {
        if let Some(seq) = identity_sequence_name(name, c) {
            set.lock(&seq, AccessExclusive);
        }
    }
}

pub(super) fn drop_column(set: &mut LockSet, table: &QualName, column: &Column) {
    set.lock(table, AccessExclusive);
    if let Some(seq) = identity_sequence_name(table, column) {
        set.lock(&seq, AccessExclusive);
    }
}

/// Whether only the column's comment changes (which takes a weaker lock, on the table alone).
pub(super) fn only_comment_changes(from: &Column, to: &Column) -> bool {
    Column {
        comment: to.comment.clone(),
        ..from.clone()
    } == *to
}

pub(super) fn alter_column(
    set: &mut LockSet,
    table: &QualName,
    from: &Column,
    to: &Column,
    renumber: &Option<Renumber>,
) {
    if only_comment_changes(from, to) {
        set.lock(table, ShareUpdateExclusive);
    } else {
        set.lock(table, AccessExclusive);
    }
    if let (Some(a), Some(b)) = (&from.identity, &to.identity) {
        // Any change to an identity, or to its column's type, alters its sequence.
        if a != b || from.data_type != to.data_type {
            if let Some(seq) = identity_sequence_name(table, from) {
                set.lock(&seq, ShareRowExclusive);
            }
        }
    }
    if let (Some(_), None) = (&from.identity, &to.identity) {
        if let Some(seq) = identity_sequence_name(table, from) {
            set.lock(&seq, AccessExclusive);
        }
    }
    // Renumbering sets a sequence that exists before the step (an identity's is created
    // by the step itself).
    if let Some(Renumber::Sequence(seq)) = renumber {
        set.lock(seq, RowExclusive);
    }
}

/// The old name exists by definition (neither model has it any more).
pub(super) fn rename(set: &mut LockSet, target: &Renamed, from: &str) {
    match target {
        Renamed::Table { schema } | Renamed::Sequence { schema } => set.lock_known(
            &QualName::new(schema.clone(), from.to_string()),
            AccessExclusive,
        ),
        Renamed::Column { table } | Renamed::Constraint { table } => {
            set.lock(table, AccessExclusive)
        }
        Renamed::Enum { .. } => {}
    }
}

/// Options of a view, or storage parameters of a table.
pub(super) fn set_options(
    set: &mut LockSet,
    table: &QualName,
    view: bool,
    from: &StorageOptions,
    to: &StorageOptions,
) {
    if view {
        set.lock(table, AccessExclusive);
        return;
    }
    // Storage parameters that only affect maintenance or new pages are changed under a
    // weaker lock.
    let light = from
        .keys()
        .chain(to.keys())
        .all(|k| k == "fillfactor" || k.starts_with("autovacuum_") || k.starts_with("toast."));
    set.lock(
        table,
        if light {
            ShareUpdateExclusive
        } else {
            AccessExclusive
        },
    );
}

/// `ALTER COLUMN … SET STATISTICS` and `SET (…)`/`RESET (…)` take SHARE UPDATE EXCLUSIVE;
/// `SET STORAGE` and `SET COMPRESSION` ACCESS EXCLUSIVE (PostgreSQL 15).
pub(super) fn alter_column_settings(
    set: &mut LockSet,
    table: &QualName,
    from: &ColumnSettings,
    to: &ColumnSettings,
) {
    let exclusive = from.storage != to.storage || from.compression != to.compression;
    set.lock(
        table,
        if exclusive {
            AccessExclusive
        } else {
            ShareUpdateExclusive
        },
    );
}

/// `SET LOGGED | UNLOGGED`: a table's sequences change with it.
pub(super) fn set_persistence(set: &mut LockSet, table: &QualName, sequence: bool) {
    set.lock(table, AccessExclusive);
    if !sequence && set.current.sequences_follow_table_persistence() {
        for (seq, s) in &set.current.sequences {
            if s.owned_by.as_ref().is_some_and(|o| o.table == *table) {
                set.lock(seq, AccessExclusive);
            }
        }
    }
}

pub(super) fn restore(set: &mut LockSet, into: &Restored) {
    match into {
        Restored::Rows { table, .. } | Restored::Values { table, .. } => {
            set.lock(table, RowExclusive)
        }
        Restored::Positions { sequences } => {
            for s in sequences {
                set.lock(s, RowExclusive);
            }
        }
    }
}
