//! Locks of partition changes, and how PostgreSQL extends a change's locks to partitions: it
//! applies what it does to a partitioned table to each of its partitions, a partition joining
//! or leaving touches its parent and the default partition.

use crate::model::*;
use crate::plan::change::{Change, Renamed};
use crate::plan::classify::lock_mode::LockMode::{self, *};
use crate::plan::classify::relations::{all_partitions, default_partition, parent_references};

use super::lock_set::LockSet;
use super::tables::only_comment_changes;

/// `CREATE TABLE … PARTITION OF` takes ACCESS EXCLUSIVE on the parent, and scans its default
/// partition (if any) for rows that belong to the new partition.
pub(super) fn create_table(set: &mut LockSet, name: &QualName, table: &Table) {
    if let Some(p) = &table.partition_of {
        set.lock(&p.parent, AccessExclusive);
        partition_neighbours(set, name, p);
        // A foreign key into the parent (one that stays, on tables that stay) gets a clone for
        // the new partition, with triggers on the referencing table.
        let rebuilt = |q: &QualName| {
            set.current.tables.get(q).map(|t| &t.partition_by)
                != set.desired.tables.get(q).map(|t| &t.partition_by)
        };
        let referencing: Vec<QualName> = set
            .current
            .tables
            .iter()
            .filter(|(q, t)| {
                t.constraints.iter().any(|(c, con)| {
                    matches!(&con.kind, ConstraintKind::ForeignKey(fk) if fk.ref_table == p.parent)
                        && set
                            .desired
                            .tables
                            .get(*q)
                            .is_some_and(|d| d.constraints.get(c) == Some(con))
                })
            })
            .filter(|(q, _)| !rebuilt(q) && !rebuilt(&p.parent))
            .map(|(q, _)| q.clone())
            .collect();
        // Before PostgreSQL 15 the clone adds no trigger there: the referencing table is only
        // read (a model from YAML, version 0, follows 15).
        let mode = if (1..150000).contains(&set.current.server_version) {
            AccessShare
        } else {
            ShareRowExclusive
        };
        for q in referencing {
            set.lock(&q, mode);
        }
    }
}

pub(super) fn attach(set: &mut LockSet, table: &QualName, partition: &PartitionOf) {
    set.lock(&partition.parent, ShareUpdateExclusive);
    set.lock(table, AccessExclusive);
    partition_neighbours(set, table, partition);
    // Adopting the table's copy of a foreign key of the parent replaces its triggers
    // on the referenced table.
    for referenced in parent_references(set.current, set.desired, &partition.parent) {
        set.lock(&referenced, AccessExclusive);
    }
}

pub(super) fn detach(
    set: &mut LockSet,
    table: &QualName,
    partition: &PartitionOf,
    concurrently: bool,
) {
    // The detached table's foreign keys get triggers of their own on the tables they
    // reference.
    for referenced in parent_references(set.current, set.desired, &partition.parent) {
        set.lock(&referenced, ShareRowExclusive);
    }
    if concurrently {
        // The first transaction takes SHARE UPDATE EXCLUSIVE; the second, once every
        // query that saw the partition has ended, ACCESS EXCLUSIVE on the partition.
        set.lock(&partition.parent, ShareUpdateExclusive);
        set.lock(table, AccessExclusive);
    } else {
        set.lock(&partition.parent, AccessExclusive);
        // PostgreSQL 13 takes the partition itself in SHARE UPDATE EXCLUSIVE, unless it drops
        // the partition's clones of the parent's row triggers (14 brought the concurrent
        // detach and with it ACCESS EXCLUSIVE here; a model from YAML follows 15).
        let cloned_triggers = set
            .current
            .tables
            .get(&partition.parent)
            .is_some_and(|t| t.triggers.values().any(|t| t.for_each_row));
        let old_detach = (1..140000).contains(&set.current.server_version) && !cloned_triggers;
        set.lock(
            table,
            if old_detach {
                ShareUpdateExclusive
            } else {
                AccessExclusive
            },
        );
        if let Some(default) = default_partition(set.current, &partition.parent, table) {
            set.lock(&default, AccessExclusive);
        }
    }
}

/// Locks that a partition joining `partition.parent` takes besides its parent: the default
/// partition, scanned for rows that now belong to the new one.
fn partition_neighbours(set: &mut LockSet, table: &QualName, partition: &PartitionOf) {
    // A parent dropped and created again (a new partition key) has none of its partitions
    // when its new ones are created: a default partition comes after its siblings.
    let rebuilt = set
        .current
        .tables
        .get(&partition.parent)
        .map(|t| &t.partition_by)
        != set
            .desired
            .tables
            .get(&partition.parent)
            .map(|t| &t.partition_by);
    if partition.is_default() || rebuilt {
        return;
    }
    if let Some(default) = default_partition(set.current, &partition.parent, table) {
        set.lock(&default, LockMode::AccessExclusive);
    }
}

/// PostgreSQL applies what it does to a partitioned table to each of its partitions, under
/// the same lock (unless the change concerns the named table alone).
pub(super) fn spread_to_partitions(set: &mut LockSet, change: &Change) {
    if concerns_named_table_alone(change) {
        return;
    }
    // Validating a foreign key into a partitioned table reads its partitions.
    let validated_into = if let Change::ValidateConstraint { constraint, .. } = change {
        match &constraint.kind {
            ConstraintKind::ForeignKey(fk) => Some(&fk.ref_table),
            _ => None,
        }
    } else {
        None
    };
    // A key or exclusion constraint of a partitioned table builds an index on each partition
    // under SHARE (its columns are NOT NULL already: their SET NOT NULL comes first).
    let builds_index = matches!(
        change,
        Change::AddConstraint { constraint, .. } if matches!(
            constraint.kind,
            ConstraintKind::PrimaryKey { .. } | ConstraintKind::Unique { .. } | ConstraintKind::Exclude(_)
        )
    );
    // From PostgreSQL 18 on, a primary key also gives each partition the NOT NULL constraints
    // of its columns, under ACCESS EXCLUSIVE (observed on 18).
    let key_not_nulls = set.current.server_version >= 180000
        && matches!(
            change,
            Change::AddConstraint { constraint, .. }
                if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. })
        );
    for (table, mode) in set.locks.clone() {
        let mode = if validated_into == Some(&table) {
            LockMode::AccessShare
        } else if key_not_nulls {
            LockMode::AccessExclusive
        } else if builds_index {
            LockMode::Share
        } else {
            mode
        };
        // A new partition is created after its parent's indexes (it gets its part of them
        // then): an index build meets only the partitions there already are; a dropped
        // table only those it has.
        // A key dropped before its table is dropped and created again (a new partition key)
        // meets the partitions the table has now.
        let rebuilt = |t: &QualName| {
            set.current.tables.get(t).map(|t| &t.partition_by)
                != set.desired.tables.get(t).map(|t| &t.partition_by)
        };
        let partitions = if matches!(
            change,
            Change::CreateIndex { .. } | Change::DropTable { .. }
        ) || (matches!(change, Change::DropConstraint { .. })
            && rebuilt(&table))
        {
            all_partitions(set.current, set.current, &table)
        } else {
            all_partitions(set.current, set.desired, &table)
        };
        for partition in partitions {
            // A partition the desired state lacks, or of a parent dropped and created again,
            // has a drop of its own, ordered before its parent's: the parent's drop no longer
            // meets it.
            let dropped_first = matches!(change, Change::DropTable { .. })
                && (!set.desired.tables.contains_key(&partition) || rebuilt(&table));
            // A partition that leaves its parent is detached before a column is added to
            // the parent (plan::graph): the addition no longer meets it.
            let detached_first = matches!(change, Change::AddColumn { .. })
                && set
                    .desired
                    .tables
                    .get(&partition)
                    .is_some_and(|t| t.partition_of.as_ref().is_none_or(|p| p.parent != table));
            if set.created != Some(&partition) && !dropped_first && !detached_first {
                set.lock_known(&partition, mode);
            }
        }
    }
}

/// The CHECK that proves a hash partition's bounds before it is attached names its parent by
/// `regclass`: validating it looks the parent up.
pub(super) fn hash_bounds_check_reads_parent(set: &mut LockSet, change: &Change) {
    if let Change::ValidateConstraint { table, name, .. } = change {
        let hash_parent = set
            .desired
            .tables
            .get(table)
            .and_then(|t| t.partition_of.as_ref())
            .filter(|p| p.bounds.starts_with("FOR VALUES WITH"));
        if let Some(p) = hash_parent {
            if *name == crate::model::naming::bounds_check_name(table) {
                set.lock(&p.parent, LockMode::AccessShare);
            }
        }
    }
}

/// Dropping a partition detaches it first: its parent is locked, and the default partition
/// whose constraint changes.
pub(super) fn dropped_partition_detaches_first(set: &mut LockSet, change: &Change) {
    if let Change::DropTable { name, table, .. } = change {
        if let Some(p) = &table.partition_of {
            set.lock(&p.parent, LockMode::AccessExclusive);
            if let Some(default) = default_partition(set.current, &p.parent, name) {
                set.lock_known(&default, LockMode::AccessExclusive);
            }
        }
    }
}

/// The changes PostgreSQL applies to the named relation only, not to its partitions.
fn concerns_named_table_alone(change: &Change) -> bool {
    match change {
        Change::AlterColumn { from, to, .. } => only_comment_changes(from, to),
        Change::Rename { target, .. } => matches!(target, Renamed::Table { .. }),
        Change::CreateTable { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::SetComment { .. }
        | Change::CreateView { .. }
        | Change::ReplaceView { .. }
        | Change::SetSequenceOwner { .. }
        | Change::CreateStatistics { .. }
        | Change::DropStatistics { .. }
        | Change::AlterStatistics { .. }
        | Change::CreateTsDictionary { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. }
        | Change::CreatePublication { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. }
        | Change::SetRowSecurity { .. }
        // Policies are the named table's own.
        | Change::CreatePolicy { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        // REPLICA IDENTITY never recurses; [NO] INHERIT is the named table's link alone.
        | Change::SetReplicaIdentity { .. }
        | Change::SetInherit { .. } => true,
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::RebuildEnum { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::DropTable { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::AddConstraint { .. }
        | Change::DropConstraint { .. }
        | Change::ValidateConstraint { .. }
        | Change::NotNull { .. }
        | Change::AlterConstraint { .. }
        | Change::CreateIndex { .. }
        | Change::DropIndex { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::Backfill { .. }
        | Change::DropView { .. }
        | Change::CreateMaterializedView { .. }
        | Change::DropMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::CreateFunction { .. }
        | Change::DropFunction { .. }
        | Change::ReplaceFunction { .. }
        | Change::CreateAggregate { .. }
        | Change::DropAggregate { .. }
        | Change::ReplaceAggregate { .. }
        | Change::CreateTrigger { .. }
        | Change::DropTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::SetTriggerEnabled { .. }
        | Change::RunHook { .. }
        | Change::UndoHook { .. }
        | Change::Restore { .. }
        | Change::CreateDomain { .. }
        | Change::DropDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull { .. }
        | Change::AddDomainConstraint { .. }
        | Change::DropDomainConstraint { .. }
        | Change::ValidateDomainConstraint { .. }
        | Change::CreateCompositeType { .. }
        | Change::DropCompositeType { .. }
        | Change::CreateRangeType { .. }
        | Change::DropRangeType { .. }
        | Change::CreateCollation { .. }
        | Change::DropCollation { .. }
        | Change::AddAttribute { .. }
        | Change::DropAttribute { .. }
        | Change::AlterAttributeType { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. }
        | Change::NameInheritedIndex { .. }
        | Change::DropPartitionedIndex { .. }
        | Change::AlterColumnSettings { .. } => false,
    }
}
