//! The way back from each change: `Change::reverse` dispatches on the kind of change to the
//! files that know how each kind is undone.

mod alterations;
mod data_steps;
mod partitions;
mod restore;
mod tables;
mod types;

pub use partitions::partition_check;

use super::kinds::{Change, Reverse};

impl Change {
    /// The change that undoes this one, computed from the definitions it carries.
    pub fn reverse(&self) -> Reverse {
        use Change::*;
        if let Some(none) = tables::column_irreversible(self) {
            return none;
        }
        match self.clone() {
            // Schemas, extensions, enums and sequences.
            CreateSchema { name, schema } => Reverse::by(DropSchema { name, schema }),
            DropSchema { name, schema } => Reverse::by(CreateSchema { name, schema }),
            CreateExtension { name, ext } => Reverse::by(DropExtension { name, ext }),
            DropExtension { name, ext } => Reverse::by(CreateExtension { name, ext }),
            AlterExtension { from, to, .. } if from.version != to.version => {
                types::extension_downgrade()
            }
            CreateEnum { name, def } => Reverse::by(DropEnum { name, def }),
            DropEnum { name, def } => Reverse::by(CreateEnum { name, def }),
            AddEnumValues { .. } => types::enum_value_removal(),
            CreateSequence { name, def } => types::drop_created_sequence(name, def),
            DropSequence { name, def, backup } => restore::restore_sequence(name, def, backup),
            // Tables and their parts.
            CreateTable { name, table } => tables::drop_created_table(name, table),
            DropTable {
                name,
                table,
                backup,
            } => restore::restore_table(name, table, backup),
            AddColumn { table, column, .. } => tables::drop_added_column(table, column),
            dropped @ DropColumn { .. } => restore::restore_column(dropped),
            AddConstraint {
                table,
                name,
                constraint,
            }
            | AddConstraintUsingIndex {
                table,
                name,
                constraint,
            } => tables::drop_constraint(table, name, constraint),
            DropConstraint {
                table,
                name,
                constraint,
            } => tables::add_constraint(table, name, constraint),
            ValidateConstraint {
                table,
                name,
                constraint,
            } => tables::add_constraint_not_valid(table, name, constraint),
            CreateIndex {
                table,
                name,
                index,
                concurrently,
                ..
            } => tables::drop_index(table, name, index, concurrently),
            DropIndex {
                table,
                name,
                index,
                concurrently,
                only,
                cascades,
            } => tables::create_index(table, name, index, concurrently, only, cascades),
            CreateTrigger {
                table,
                name,
                trigger,
            } => tables::drop_trigger(table, name, trigger),
            DropTrigger {
                table,
                name,
                trigger,
            } => tables::create_trigger(table, name, trigger),
            CreatePolicy {
                table,
                name,
                policy,
            } => tables::drop_policy(table, name, policy),
            DropPolicy {
                table,
                name,
                policy,
            } => tables::create_policy(table, name, policy),
            CreateStatistics { .. }
            | DropStatistics { .. }
            | CreateTsDictionary { .. }
            | DropTsDictionary { .. }
            | CreateTsConfiguration { .. }
            | DropTsConfiguration { .. }
            | CreatePublication { .. }
            | DropPublication { .. } => Reverse::by(counterpart(self.clone())),
            // Views and functions.
            CreateView { name, view } => Reverse::by(DropView { name, view }),
            DropView { name, view } => Reverse::by(CreateView { name, view }),
            CreateMaterializedView { .. } | DropMaterializedView { .. } => {
                Reverse::by(counterpart(self.clone()))
            }
            CreateFunction { id, def } => Reverse::by(DropFunction { id, def }),
            DropFunction { id, def } => Reverse::by(CreateFunction { id, def }),
            CreateAggregate { id, def } => Reverse::by(DropAggregate { id, def }),
            DropAggregate { id, def } => Reverse::by(CreateAggregate { id, def }),
            // Data steps.
            Backfill {
                table,
                column,
                column_existed,
                ..
            } => data_steps::undo_backfill(table, column, column_existed),
            RunHook { hook } => data_steps::undo_hook(hook),
            UndoHook { hook } => Reverse::by(RunHook { hook }),
            Restore { .. } => data_steps::undo_restore(),
            // Domains and composite types.
            CreateDomain { name, def } => Reverse::by(DropDomain { name, def }),
            DropDomain { name, def } => Reverse::by(CreateDomain { name, def }),
            AddDomainConstraint {
                domain,
                name,
                constraint,
            } => types::drop_domain_constraint(domain, name, constraint),
            DropDomainConstraint {
                domain,
                name,
                constraint,
            } => types::add_domain_constraint(domain, name, constraint),
            ValidateDomainConstraint {
                domain,
                name,
                constraint,
            } => types::add_domain_constraint_not_valid(domain, name, constraint),
            CreateCompositeType { name, def } => Reverse::by(DropCompositeType { name, def }),
            DropCompositeType { name, def } => Reverse::by(CreateCompositeType { name, def }),
            CreateRangeType { name, def } => Reverse::by(DropRangeType { name, def }),
            DropRangeType { name, def } => Reverse::by(CreateRangeType { name, def }),
            CreateCollation { name, def } => Reverse::by(DropCollation { name, def }),
            DropCollation { name, def } => Reverse::by(CreateCollation { name, def }),
            AddAttribute {
                type_name,
                attribute,
            } => types::drop_added_attribute(type_name, attribute),
            DropAttribute {
                type_name,
                attribute,
                stored,
            } => types::add_dropped_attribute(type_name, attribute, stored),
            // Partitions and partitioned indexes.
            AttachPartition { table, partition } => partitions::detach(table, partition),
            DetachPartition {
                table,
                partition,
                leaves_check,
                ..
            } => partitions::attach_again(table, partition, leaves_check),
            CreateIndexOnly { table, name, .. } => Reverse::by(DropPartitionedIndex {
                table,
                name,
                cascade: false,
            }),
            attach @ AttachIndex { .. } => partitions::drop_partitioned_index(attach),
            // It names an index created in the same plan, which undoing the plan drops.
            NameInheritedIndex { previous: None, .. } => Reverse::Changes(Vec::new()),
            DropPartitionedIndex { .. } => partitions::undo_drop_partitioned_index(),
            SetInherit { inherit: false, .. } => tables::inherit_again(),
            // Alterations: the same change from the new state back to the old.
            AlterExtension { .. }
            | RebuildEnum { .. }
            | AlterSequence { .. }
            | SetSequenceOwner { .. }
            | AlterColumn { .. }
            | AlterConstraint { .. }
            | NotNull { .. }
            | RenameIndex { .. }
            | Rename { .. }
            | ReplaceView { .. }
            | SetMaterializedViewOptions { .. }
            | SetOptions { .. }
            | SetPersistence { .. }
            | SetComment { .. }
            | ReplaceFunction { .. }
            | ReplaceAggregate { .. }
            | ReplaceTrigger { .. }
            | SetTriggerEnabled { .. }
            | RebuildDomain { .. }
            | SetDomainDefault { .. }
            | SetDomainNotNull { .. }
            | AlterAttributeType { .. }
            | AlterPolicy { .. }
            | SetRowSecurity { .. }
            | SetReplicaIdentity { .. }
            | SetInherit { .. }
            | SetGrants { .. }
            | SetOwner { .. }
            | SetDefaultPrivileges { .. }
            | NameInheritedIndex { .. }
            | AlterStatistics { .. }
            | AlterTsDictionary { .. }
            | AlterTsConfiguration { .. }
            | AlterPublication { .. }
            | AlterColumnSettings { .. } => Reverse::by(alterations::with_states_swapped(self)),
        }
    }
}

/// The drop of what a create made, or the create of what a drop removed, for objects that hold
/// no data of their own and need nothing else to come back (materialized views, whose rows
/// their query gives; statistics, text search objects, publications).
fn counterpart(change: Change) -> Change {
    use Change::*;
    match change {
        CreateMaterializedView { name, view } => DropMaterializedView { name, view },
        DropMaterializedView { name, view } => CreateMaterializedView { name, view },
        CreateStatistics { table, name, stats } => DropStatistics { table, name, stats },
        DropStatistics { table, name, stats } => CreateStatistics { table, name, stats },
        CreateTsDictionary { name, def } => DropTsDictionary { name, def },
        DropTsDictionary { name, def } => CreateTsDictionary { name, def },
        CreateTsConfiguration { name, def } => DropTsConfiguration { name, def },
        DropTsConfiguration { name, def } => CreateTsConfiguration { name, def },
        CreatePublication { name, def } => DropPublication { name, def },
        DropPublication { name, def } => CreatePublication { name, def },
        other => unreachable!("{} has no counterpart here", other.kind()),
    }
}
