//! The locks a change takes on relations that exist when it runs: `locks` dispatches on the kind
//! of change to the files that know each kind's locks, then adds those PostgreSQL takes on
//! partitions and on the tables that inherit.

mod comments;
mod constraints;
mod functions;
mod inheritance;
mod lock_set;
mod partitions;
mod regclass;
mod security;
mod tables;
mod types;
mod views;

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::classify::lock_mode::LockMode::*;
use crate::plan::classify::lock_mode::Locks;

use lock_set::LockSet;

/// The locks `change` takes on relations that exist when it runs, as PostgreSQL 15 takes them:
/// relations of the current or the desired model (one made earlier in the plan counts), except
/// the one the change itself creates.
pub fn locks(change: &Change, current: &Catalog, desired: &Catalog) -> Locks {
    let mut set = LockSet::new(change, current, desired);
    lock_by_kind(&mut set, change);
    partitions::spread_to_partitions(&mut set, change);
    inheritance::spread_to_heirs(&mut set, change);
    partitions::hash_bounds_check_reads_parent(&mut set, change);
    partitions::dropped_partition_detaches_first(&mut set, change);
    regclass::stored_expressions_lock_what_they_name(&mut set, change);
    set.locks
}

/// The locks of the change on the relations it names (and their sequences, the tables they
/// reference, what their definitions read).
fn lock_by_kind(set: &mut LockSet, change: &Change) {
    match change {
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::CreateSequence { .. } => {}
        // A hook's SQL is the user's: its locks are whatever it takes, observed by the
        // rehearsal and not predicted.
        Change::RunHook { .. } | Change::UndoHook { .. } => {}
        Change::CreateFunction { id, def } | Change::ReplaceFunction { id, to: def, .. } => {
            functions::create_function(set, id, def)
        }
        Change::DropFunction { .. } => {}
        // Aggregates are catalog rows: no relation is locked, whatever their state type or
        // support functions (PostgreSQL 15, observed by the rehearsal).
        Change::CreateAggregate { .. }
        | Change::DropAggregate { .. }
        | Change::ReplaceAggregate { .. } => {}
        Change::CreateTrigger { table, .. }
        | Change::ReplaceTrigger { table, .. }
        | Change::SetTriggerEnabled { table, .. } => set.lock(table, ShareRowExclusive),
        Change::DropTrigger { table, .. } => set.lock(table, AccessExclusive),
        Change::CreateTable { name, table } => {
            partitions::create_table(set, name, table);
            inheritance::create_heir(set, table);
        }
        Change::DropTable { name, table, .. } => tables::drop_table(set, name, table),
        Change::AddColumn { table, .. } => set.lock(table, AccessExclusive),
        Change::DropColumn { table, column, .. } => tables::drop_column(set, table, column),
        Change::AlterColumn {
            table,
            from,
            to,
            renumber,
            ..
        } => tables::alter_column(set, table, from, to, renumber),
        Change::AddConstraint {
            table, constraint, ..
        } => constraints::add_constraint(set, table, constraint),
        Change::DropConstraint {
            table, constraint, ..
        } => constraints::drop_constraint(set, table, constraint),
        Change::ValidateConstraint {
            table, constraint, ..
        } => constraints::validate_constraint(set, table, constraint),
        Change::AlterConstraint {
            table, from, to, ..
        } => constraints::alter_constraint(set, table, from, to),
        // VALIDATE alone takes SHARE UPDATE EXCLUSIVE; ADD, DROP and [NO] INHERIT ACCESS
        // EXCLUSIVE (PostgreSQL 18).
        Change::NotNull {
            table,
            from: Some(a),
            to: Some(b),
            ..
        } if !a.valid && b.valid && a.no_inherit == b.no_inherit => {
            set.lock(table, ShareUpdateExclusive)
        }
        Change::NotNull { table, .. } => set.lock(table, AccessExclusive),
        Change::CreateIndex {
            table,
            concurrently,
            ..
        } => constraints::create_index(set, table, *concurrently),
        Change::DropIndex {
            table,
            concurrently,
            ..
        } => constraints::drop_index(set, table, *concurrently),
        // Renaming an index locks the index alone.
        Change::RenameIndex { .. } | Change::NameInheritedIndex { .. } => {}
        Change::Rename { target, from, .. } => tables::rename(set, target, from),
        Change::AddConstraintUsingIndex { table, .. } => set.lock(table, AccessExclusive),
        Change::Backfill { table, .. } => set.lock(table, RowExclusive),
        Change::CreateView { name, .. } => views::create_view(set, name),
        Change::ReplaceView { name, .. } => views::replace_view(set, name),
        Change::DropView { name, .. } => set.lock(name, AccessExclusive),
        Change::CreateMaterializedView { name, view } => {
            views::create_materialized_view(set, name, view)
        }
        // Dropping it locks it alone (its indexes go with it).
        Change::DropMaterializedView { name, .. } => set.lock(name, AccessExclusive),
        Change::SetMaterializedViewOptions { name, .. } => set.lock(name, ShareUpdateExclusive),
        Change::SetOptions {
            table,
            view,
            from,
            to,
        } => tables::set_options(set, table, *view, from, to),
        Change::SetPersistence {
            table, sequence, ..
        } => tables::set_persistence(set, table, *sequence),
        Change::RebuildEnum { columns, .. } => types::rebuild_enum(set, columns),
        Change::AlterSequence { name, .. } => set.lock(name, ShareRowExclusive),
        Change::SetSequenceOwner { name, to, .. } => types::set_sequence_owner(set, name, to),
        Change::DropSequence { name, .. } => set.lock(name, AccessExclusive),
        Change::SetComment { target, .. } => comments::set_comment(set, target),
        Change::Restore { into, .. } => tables::restore(set, into),
        Change::AttachPartition { table, partition } => partitions::attach(set, table, partition),
        Change::DetachPartition {
            table,
            partition,
            concurrently,
            ..
        } => partitions::detach(set, table, partition, *concurrently),
        Change::CreateIndexOnly { table, .. } => set.lock(table, Share),
        Change::AttachIndex {
            table,
            parent_table,
            ..
        } => {
            set.lock(table, AccessShare);
            set.lock(parent_table, AccessShare);
        }
        Change::DropPartitionedIndex { table, .. } => set.lock(table, AccessExclusive),
        // Domains are types, not relations: changing one locks no relation, except that a new
        // rule is checked against the tables that use it.
        Change::CreateDomain { .. }
        | Change::DropDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull {
            not_null: false, ..
        }
        | Change::DropDomainConstraint { .. }
        | Change::CreateCompositeType { .. }
        // Range types and collations are not relations: no relation is locked, whatever uses
        // them (a drop waits for nothing, as nothing may use what it drops).
        | Change::CreateRangeType { .. }
        | Change::DropRangeType { .. }
        | Change::CreateCollation { .. }
        | Change::DropCollation { .. } => {}
        Change::AddDomainConstraint {
            constraint: DomainConstraint {
                validated: false, ..
            },
            ..
        } => {}
        Change::SetDomainNotNull { name, .. }
        | Change::AddDomainConstraint { domain: name, .. }
        | Change::ValidateDomainConstraint { domain: name, .. } => {
            types::check_domain_tables(set, name)
        }
        Change::RebuildDomain { domains, .. } => types::rebuild_domain(set, domains),
        // A composite type is a relation of its own (its attributes are its columns): altering
        // or dropping it locks it, and nothing that uses it.
        Change::DropCompositeType { name, .. } => set.lock_known(name, AccessExclusive),
        Change::AddAttribute { type_name, .. }
        | Change::DropAttribute { type_name, .. }
        | Change::AlterAttributeType { type_name, .. } => {
            set.lock_known(type_name, AccessExclusive)
        }
        Change::CreatePolicy { table, name, .. } => {
            security::create_or_alter_policy(set, table, name, false)
        }
        Change::AlterPolicy {
            table,
            name,
            from,
            to,
        } => {
            let roles_only = from.using == to.using && from.with_check == to.with_check;
            security::create_or_alter_policy(set, table, name, roles_only)
        }
        Change::DropPolicy { table, .. }
        | Change::SetRowSecurity { table, .. }
        | Change::SetReplicaIdentity { table, .. } => set.lock(table, AccessExclusive),
        Change::SetInherit { .. } => inheritance::set_inherit(set, change),
        // GRANT and REVOKE change catalog rows only; ALTER DEFAULT PRIVILEGES touches no
        // relation.
        Change::SetGrants { object, .. } => security::set_grants(set, object),
        Change::SetDefaultPrivileges { .. } => {}
        Change::SetOwner { object, .. } => security::set_owner(set, object),
        // Statistics are objects of their own: creating or dropping them locks their table
        // against concurrent schema changes and ANALYZE, not against reads or writes; their
        // target is altered without locking the table (measured on PostgreSQL 15).
        Change::CreateStatistics { table, .. } | Change::DropStatistics { table, .. } => {
            set.lock(table, ShareUpdateExclusive)
        }
        Change::AlterStatistics { .. } => {}
        // Text search objects are no relations: their DDL locks none (PostgreSQL 15).
        Change::CreateTsDictionary { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. } => {}
        Change::CreatePublication { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. } => publication(set, change),
        Change::AlterColumnSettings {
            table, from, to, ..
        } => tables::alter_column_settings(set, table, from, to),
    }
}

/// Adding tables to a publication (`CREATE`, `ALTER … SET TABLE`) locks every table it names,
/// old and new, against schema changes (SHARE UPDATE EXCLUSIVE), not against reads or writes;
/// its options and its drop lock no relation (measured on PostgreSQL 15).
fn publication(set: &mut LockSet, change: &Change) {
    match change {
        Change::CreatePublication { def, .. } => {
            for t in def.tables.keys() {
                set.lock(t, ShareUpdateExclusive);
            }
        }
        Change::AlterPublication { from, to, .. } if from.tables != to.tables => {
            for t in from.tables.keys().chain(to.tables.keys()) {
                set.lock(t, ShareUpdateExclusive);
            }
        }
        _ => {}
    }
}
