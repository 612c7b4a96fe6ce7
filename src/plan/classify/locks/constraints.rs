//! Locks of changes to constraints and indexes.

use crate::model::*;
use crate::plan::classify::lock_mode::LockMode::*;

use super::lock_set::LockSet;

pub(super) fn add_constraint(set: &mut LockSet, table: &QualName, constraint: &Constraint) {
    match &constraint.kind {
        ConstraintKind::ForeignKey(fk) => {
            set.lock(table, ShareRowExclusive);
            set.lock(&fk.ref_table, ShareRowExclusive);
        }
        // Keys and exclusion constraints build their index under ACCESS EXCLUSIVE (and a
        // SHARE lock for the build itself), checks take ACCESS EXCLUSIVE too.
        _ => set.lock(table, AccessExclusive),
    }
}

/// A foreign key's deferral, or whether it is enforced (PostgreSQL 18, observed there): `NOT
/// ENFORCED` drops the triggers on both tables (ACCESS EXCLUSIVE on each), `ENFORCED` creates
/// them (SHARE ROW EXCLUSIVE on the referenced table) and checks every row.
pub(super) fn alter_constraint(
    set: &mut LockSet,
    table: &QualName,
    from: &Constraint,
    to: &Constraint,
) {
    set.lock(table, AccessExclusive);
    if let (ConstraintKind::ForeignKey(fk), true) = (&to.kind, from.enforced != to.enforced) {
        set.lock(
            &fk.ref_table,
            if to.enforced {
                ShareRowExclusive
            } else {
                AccessExclusive
            },
        );
    }
}

pub(super) fn drop_constraint(set: &mut LockSet, table: &QualName, constraint: &Constraint) {
    set.lock(table, AccessExclusive);
    if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
        set.lock(&fk.ref_table, AccessExclusive);
    }
}

pub(super) fn validate_constraint(set: &mut LockSet, table: &QualName, constraint: &Constraint) {
    set.lock(table, ShareUpdateExclusive);
    if let ConstraintKind::ForeignKey(fk) = &constraint.kind {
        set.lock(&fk.ref_table, RowShare);
    }
}

pub(super) fn create_index(set: &mut LockSet, table: &QualName, concurrently: bool) {
    set.lock(
        table,
        if concurrently {
            ShareUpdateExclusive
        } else {
            Share
        },
    );
}

pub(super) fn drop_index(set: &mut LockSet, table: &QualName, concurrently: bool) {
    set.lock(
        table,
        if concurrently {
            ShareUpdateExclusive
        } else {
            AccessExclusive
        },
    );
}
