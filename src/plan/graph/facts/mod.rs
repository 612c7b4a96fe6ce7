//! What each change creates, drops and needs: `facts` names, for every kind of change, the
//! function (in the file of its object kind) that reads its facts.

mod comments;
mod constraints;
mod functions;
mod hooks;
mod partitions;
mod publications;
mod schemas;
mod security;
mod sequences;
mod statistics;
mod tables;
mod textsearch;
mod types;
mod views;

use crate::plan::change::Change;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

/// The facts of one change: `cur` is the model it starts from, `des` the one it leads to.
pub(super) fn facts(change: &Change, cur: &Structure<'_>, des: &Structure<'_>) -> Facts {
    match change {
        Change::CreateSchema { name, .. } => schemas::create_schema(name),
        Change::DropSchema { name, .. } => schemas::drop_schema(name),
        Change::CreateExtension { name, ext } => schemas::create_extension(name, ext),
        Change::AlterExtension { name, to, .. } => schemas::alter_extension(name, to),
        Change::DropExtension { name, ext } => schemas::drop_extension(name, ext),
        Change::CreateEnum { name, .. } => types::create_enum(name),
        Change::DropEnum { name, .. } => types::drop_enum(name),
        Change::AddEnumValues { name, .. } => types::add_enum_values(name),
        Change::RebuildEnum { name, columns, .. } => types::rebuild_enum(name, columns),
        Change::CreateSequence { name, .. } => sequences::create_sequence(name, des),
        Change::DropSequence { name, .. } => sequences::drop_sequence(name, cur),
        Change::AlterSequence { name, .. } => sequences::alter_sequence(name),
        Change::SetSequenceOwner { name, from, to } => {
            sequences::set_sequence_owner(name, from.as_ref(), to.as_ref())
        }
        Change::CreateTable { name, table } => tables::create_table(name, table, des),
        Change::DropTable { name, table, .. } => tables::drop_table(name, table, cur, des),
        Change::AddColumn { .. } => tables::add_column(change, cur, des),
        Change::DropColumn { table, column, .. } => tables::drop_column(table, column, cur),
        Change::AlterColumn {
            table, from, to, ..
        } => tables::alter_column(table, from, to, cur, des),
        Change::AddConstraint {
            table,
            name,
            constraint,
        } => constraints::add_constraint(table, name, constraint, cur, des),
        Change::DropConstraint {
            table,
            name,
            constraint,
        } => constraints::drop_constraint(table, name, constraint, cur, des),
        Change::ValidateConstraint { table, name, .. }
        | Change::AlterConstraint { table, name, .. } => constraints::alter_constraint(table, name),
        Change::NotNull {
            table,
            column,
            name,
            from,
            to,
        } => constraints::not_null(table, column, name, *from, *to),
        Change::CreateIndex {
            table,
            name,
            index,
            replaces,
            ..
        } => constraints::create_index(table, name, index, replaces.as_ref(), cur, des),
        Change::DropIndex { .. } => constraints::drop_index_of(change, cur, des),
        Change::Rename { target, from, to } => tables::rename(target, from, to, cur),
        Change::RenameIndex { table, from, to } => constraints::rename_index(table, from, to),
        Change::AddConstraintUsingIndex {
            table,
            name,
            constraint,
        } => constraints::add_constraint_using_index(table, name, constraint, cur, des),
        Change::RunHook { hook } => hooks::run_hook(hook, cur),
        // Only ever part of a reverse, which keeps its own order.
        Change::UndoHook { .. } => Facts::default(),
        Change::Backfill { table, column, .. } => hooks::backfill(table, column),
        Change::CreateView { name, view } => views::create_view(name, view, des),
        Change::DropView { name, view } => views::drop_view(name, view, cur),
        Change::ReplaceView { name, from, to } => views::replace_view(name, from, to, cur, des),
        Change::SetOptions { table, .. } => tables::set_options(table),
        Change::CreateMaterializedView { name, view } => {
            views::create_materialized_view(name, view, des)
        }
        Change::DropMaterializedView { name, view } => {
            views::drop_materialized_view(name, view, cur)
        }
        Change::SetMaterializedViewOptions { name, .. } => {
            views::set_materialized_view_options(name)
        }
        Change::SetPersistence {
            table,
            sequence,
            unlogged,
        } => tables::set_persistence(table, *sequence, *unlogged, cur, des),
        Change::SetComment { target, .. } => comments::set_comment(target),
        // Only ever part of a reverse, which keeps its own order.
        Change::Restore { .. } => Facts::default(),
        Change::AttachPartition { table, partition } => {
            partitions::attach_partition(table, partition, des)
        }
        Change::DetachPartition {
            table, partition, ..
        } => partitions::detach_partition(table, partition),
        Change::SetInherit { .. } => tables::set_inherit(change, cur, des),
        Change::CreateIndexOnly { table, name, index } => {
            partitions::create_index_only(table, name, index, des)
        }
        Change::AttachIndex { .. } => partitions::attach_index(change),
        Change::DropPartitionedIndex { table, name, .. } => {
            partitions::drop_partitioned_index(table, name)
        }
        Change::NameInheritedIndex { .. } => partitions::name_inherited_index(change),
        Change::CreateFunction { id, def } => functions::create_function(id, def, des),
        Change::ReplaceFunction { id, from, to } => {
            functions::replace_function(id, from, to, cur, des)
        }
        Change::DropFunction { id, def } => functions::drop_function(id, def, cur),
        Change::CreateAggregate { id, def } => functions::create_aggregate(id, def, des),
        Change::ReplaceAggregate { id, to, .. } => functions::replace_aggregate(id, to, cur, des),
        Change::DropAggregate { id, .. } => functions::drop_routine(id, cur),
        Change::CreateTrigger {
            table,
            name,
            trigger,
        } => functions::create_trigger(table, name, trigger, cur, des),
        Change::DropTrigger {
            table,
            name,
            trigger,
        } => functions::drop_trigger(table, name, trigger, cur),
        Change::ReplaceTrigger {
            table,
            name,
            from,
            to,
        } => functions::replace_trigger(table, name, from, to, cur, des),
        Change::SetTriggerEnabled { table, name, .. } => {
            functions::set_trigger_enabled(table, name)
        }
        Change::CreateDomain { name, def } => types::create_domain(name, def, des),
        Change::DropDomain { name, def } => types::drop_domain(name, def, cur),
        Change::RebuildDomain { domains, .. } => types::rebuild_domain(domains, cur, des),
        Change::SetDomainDefault { name, .. } | Change::SetDomainNotNull { name, .. } => {
            types::alter_domain(name)
        }
        Change::AddDomainConstraint { domain, name, .. } => {
            types::add_domain_constraint(domain, name)
        }
        Change::DropDomainConstraint { domain, name, .. } => {
            types::drop_domain_constraint(domain, name)
        }
        Change::ValidateDomainConstraint { domain, name, .. } => {
            types::validate_domain_constraint(domain, name)
        }
        Change::CreateCompositeType { name, def } => types::create_composite_type(name, def, des),
        Change::DropCompositeType { name, def } => types::drop_composite_type(name, def, cur),
        Change::CreateRangeType { name, def } => types::create_range_type(name, def, des),
        Change::DropRangeType { name, def } => types::drop_range_type(name, def, cur),
        Change::CreateCollation { name, .. } => types::create_collation(name),
        Change::DropCollation { name, .. } => types::drop_collation(name, cur),
        Change::AddAttribute {
            type_name,
            attribute,
        } => types::add_attribute(type_name, attribute, des),
        Change::DropAttribute {
            type_name,
            attribute,
            ..
        } => types::drop_attribute(type_name, attribute, cur),
        Change::AlterAttributeType {
            type_name,
            from,
            to,
        } => types::alter_attribute_type(type_name, from, to, cur, des),
        Change::CreatePolicy { table, name, .. } => security::create_policy(table, name, des),
        Change::DropPolicy { table, name, .. } => security::drop_policy(table, name, cur),
        Change::AlterPolicy { table, name, .. } => security::alter_policy(table, name, cur, des),
        Change::SetRowSecurity { table, .. } => security::set_row_security(table),
        Change::SetReplicaIdentity { table, from, to } => {
            tables::set_replica_identity(table, from, to)
        }
        Change::SetOwner { object, .. } => security::set_owner(object),
        Change::SetGrants {
            object,
            grantee,
            from,
            to,
        } => security::set_grants(object, grantee, from, to, cur, des),
        Change::SetDefaultPrivileges { key, from, to, .. } => {
            security::set_default_privileges(key, from, to)
        }
        Change::CreateStatistics { table, name, stats } => {
            statistics::create_statistics(table, name, stats, des)
        }
        Change::DropStatistics { table, name, stats } => {
            statistics::drop_statistics(table, name, stats, cur)
        }
        Change::AlterStatistics { table, name, .. } => statistics::alter_statistics(table, name),
        Change::AlterColumnSettings { table, column, .. } => {
            statistics::alter_column_settings(table, column)
        }
        Change::CreatePublication { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. } => publications::facts(change),
        Change::CreateTsDictionary { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. } => textsearch::facts(change, cur, des),
    }
}
