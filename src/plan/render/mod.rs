//! The one place that writes SQL text. Every identifier goes through `ident` and every string
//! literal through `literal`; nothing else in the crate formats SQL.
//!
//! `statements` names, for every kind of change, the renderer (in the file of its object kind)
//! that writes its SQL. The other public functions here write the queries that other modules
//! run themselves (the search path, sample data, hook batches, roles of the shadow cluster).

mod aggregates;
mod backups;
mod comments;
mod constraints;
mod fragments;
mod functions;
mod hooks;
mod indexes;
mod partitions;
mod publications;
mod samples;
mod schemas;
mod security;
mod sequences;
mod session;
mod statistics;
mod tables;
mod textsearch;
mod types;
mod verify;
mod views;

#[cfg(test)]
mod tests;

pub use functions::LIST_SETTINGS;
pub use hooks::{hook_batch, hook_next_range, hook_remaining};
pub use samples::{
    delete_orphans, load_rows, rows_checksum, sample_rows, sequence_position, set_sequence_position,
};
pub use schemas::search_path_for;
pub(crate) use sequences::{default_sequence_options, numbers_and_defaults};
pub use session::session_settings;
pub use verify::verify;

use crate::plan::change::Change;

/// The statements that carry out `change`, in order, without trailing semicolons.
pub fn statements(change: &Change) -> Vec<String> {
    match change {
        Change::CreateSchema { name, schema } => schemas::create_schema(name, schema),
        Change::DropSchema { name, .. } => schemas::drop_schema(name),
        Change::CreateExtension { name, ext } => schemas::create_extension(name, ext),
        Change::DropExtension { name, .. } => schemas::drop_extension(name),
        Change::AlterExtension { name, from, to } => schemas::alter_extension(name, from, to),
        Change::CreateEnum { name, def } => types::create_enum(name, def),
        Change::DropEnum { name, .. } => types::drop_enum(name),
        Change::AddEnumValues { name, from, to } => types::add_enum_values(name, from, to),
        Change::RebuildEnum {
            name, to, columns, ..
        } => types::rebuild_enum(name, to, columns),
        Change::CreateSequence { name, def } => sequences::create_sequence(name, def),
        Change::DropSequence { name, backup, .. } => {
            sequences::drop_sequence(name, backup.as_ref())
        }
        Change::AlterSequence { name, from, to } => sequences::alter_sequence(name, from, to),
        Change::SetSequenceOwner { name, to, .. } => sequences::set_owner(name, to.as_ref()),
        Change::CreateTable { name, table } => tables::create_table(name, table),
        Change::DropTable {
            name,
            table,
            backup,
        } => tables::drop_table(name, table, backup.as_ref()),
        Change::AddColumn {
            table,
            column,
            not_null_name,
        } => tables::add_column(table, column, not_null_name.as_deref()),
        Change::DropColumn { .. } => tables::drop_column(change),
        Change::Restore { from, into, last } => backups::restore(from, into, *last),
        Change::AlterColumn {
            table,
            from,
            to,
            using,
            renumber,
            ..
        } => tables::alter_column(table, from, to, using, renumber.as_ref()),
        Change::AddConstraint {
            table,
            name,
            constraint,
        } => constraints::add_constraint(table, name, constraint),
        Change::DropConstraint { table, name, .. } => constraints::drop_constraint(table, name),
        Change::ValidateConstraint { table, name, .. } => constraints::validate(table, name),
        Change::NotNull { .. } => constraints::not_null(change),
        Change::AlterConstraint { .. } => constraints::alter_constraint(change),
        Change::CreateIndex {
            table,
            name,
            index,
            concurrently,
            ..
        } => indexes::create_index(table, name, index, *concurrently),
        Change::DropIndex { .. } => indexes::drop_index_of(change),
        Change::Rename { target, from, to } => tables::rename(target, from, to),
        Change::RenameIndex { table, from, to } => indexes::rename_index(table, from, to),
        Change::AddConstraintUsingIndex {
            table,
            name,
            constraint,
        } => constraints::add_constraint_using_index(table, name, constraint),
        Change::Backfill {
            table,
            column,
            expression,
            ..
        } => hooks::backfill(table, column, expression),
        Change::CreateView { name, view } => views::create_view(name, view),
        Change::DropView { name, .. } => views::drop_view(name),
        Change::ReplaceView { name, from, to } => views::replace_view(name, from, to),
        Change::SetOptions {
            table,
            view,
            from,
            to,
        } => tables::set_options(table, *view, from, to),
        Change::CreateMaterializedView { name, view } => {
            views::create_materialized_view(name, view)
        }
        Change::DropMaterializedView { name, .. } => views::drop_materialized_view(name),
        Change::SetMaterializedViewOptions { name, from, to } => {
            views::set_materialized_view_options(name, from, to)
        }
        Change::SetPersistence {
            table,
            sequence,
            unlogged,
        } => tables::set_persistence(table, *sequence, *unlogged),
        Change::SetComment { target, to, .. } => comments::set_comment(target, to.as_deref()),
        Change::RunHook { hook } => hooks::run_hook(hook),
        Change::UndoHook { hook } => hooks::undo_hook(hook),
        Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::DropPartitionedIndex { .. }
        | Change::NameInheritedIndex { .. } => partitions::statements(change),
        Change::CreateFunction { id, def } => functions::create_function(id, def),
        Change::ReplaceFunction { id, to, .. } => functions::replace_function(id, to),
        Change::DropFunction { id, def } => functions::drop_function(id, def),
        Change::CreateAggregate { id, def } => aggregates::create_aggregate(id, def),
        Change::ReplaceAggregate { id, to, .. } => aggregates::replace_aggregate(id, to),
        Change::DropAggregate { id, def } => aggregates::drop_aggregate(id, def),
        Change::CreateTrigger {
            table,
            name,
            trigger,
        } => functions::create_trigger(table, name, trigger),
        Change::ReplaceTrigger {
            table,
            name,
            from,
            to,
        } => functions::replace_trigger(table, name, from, to),
        Change::DropTrigger { table, name, .. } => functions::drop_trigger(table, name),
        Change::SetTriggerEnabled {
            table, name, to, ..
        } => functions::set_trigger_enabled(table, name, *to),
        Change::CreatePolicy {
            table,
            name,
            policy,
        } => security::create_policy(table, name, policy),
        Change::DropPolicy { table, name, .. } => security::drop_policy(table, name),
        Change::AlterPolicy {
            table,
            name,
            from,
            to,
        } => security::alter_policy(table, name, from, to),
        Change::SetRowSecurity { table, from, to } => security::set_row_security(table, from, to),
        Change::SetReplicaIdentity { table, to, .. } => tables::set_replica_identity(table, to),
        Change::SetInherit {
            table,
            parent,
            inherit,
        } => tables::set_inherit(table, parent, *inherit),
        Change::SetGrants {
            object,
            grantee,
            from,
            to,
        } => security::set_grants(object, grantee, from, to),
        Change::SetOwner { object, to, .. } => security::set_owner(object, to),
        Change::SetDefaultPrivileges {
            key,
            grantee,
            from,
            to,
        } => security::set_default_privileges(key, grantee, from, to),
        Change::CreateDomain { name, def } => types::create_domain(name, def),
        Change::DropDomain { name, .. } => types::drop_domain(name),
        Change::RebuildDomain { domains, .. } => types::rebuild_domain(domains),
        Change::SetDomainDefault { name, to, .. } => types::set_domain_default(name, to.as_ref()),
        Change::SetDomainNotNull { name, not_null } => types::set_domain_not_null(name, *not_null),
        Change::AddDomainConstraint {
            domain,
            name,
            constraint,
        } => types::add_domain_constraint(domain, name, constraint),
        Change::DropDomainConstraint { domain, name, .. } => {
            types::drop_domain_constraint(domain, name)
        }
        Change::ValidateDomainConstraint { domain, name, .. } => {
            types::validate_domain_constraint(domain, name)
        }
        Change::CreateCompositeType { name, def } => types::create_composite_type(name, def),
        Change::DropCompositeType { name, .. } => types::drop_composite_type(name),
        Change::CreateRangeType { name, def } => types::create_range_type(name, def),
        Change::DropRangeType { name, .. } => types::drop_range_type(name),
        Change::CreateCollation { name, def } => types::create_collation(name, def),
        Change::DropCollation { name, .. } => types::drop_collation(name),
        Change::AddAttribute {
            type_name,
            attribute,
        } => types::add_attribute(type_name, attribute),
        Change::DropAttribute {
            type_name,
            attribute,
            ..
        } => types::drop_attribute(type_name, attribute),
        Change::AlterAttributeType { type_name, to, .. } => types::alter_attribute(type_name, to),
        Change::CreateStatistics { .. }
        | Change::DropStatistics { .. }
        | Change::AlterStatistics { .. }
        | Change::AlterColumnSettings { .. } => statistics::statements(change),
        Change::CreateTsDictionary { .. }
        | Change::DropTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::DropTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. } => textsearch::statements(change),
        Change::CreatePublication { .. }
        | Change::DropPublication { .. }
        | Change::AlterPublication { .. } => publications::statements(change),
    }
}
