//! Which existing tables a change rewrites.

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::classify::type_rules::binary_compatible;

/// Tables that existed before the plan and whose storage `change` rewrites.
pub fn rewrites(change: &Change, current: &Catalog) -> Vec<QualName> {
    let existing = |q: &QualName| current.tables.contains_key(q);
    let mut out: Vec<QualName> = match change {
        Change::AddColumn { table, column, .. } if existing(table) => {
            let volatile = column.default.as_ref().is_some_and(|d| d.volatile);
            // A virtual generated column stores nothing: adding it rewrites no row.
            let stored = column.generated.is_some() && !column.is_virtual();
            if column.identity.is_some() || stored || volatile {
                vec![table.clone()]
            } else {
                Vec::new()
            }
        }
        Change::AlterColumn {
            table, from, to, ..
        } if existing(table) => {
            // A virtual column has no stored values to convert (PostgreSQL 18 keeps the file).
            let virtual_ = from.is_virtual() && to.is_virtual();
            if from.data_type != to.data_type
                && !binary_compatible(&from.data_type, &to.data_type)
                && !virtual_
            {
                vec![table.clone()]
            } else {
                Vec::new()
            }
        }
        Change::SetPersistence {
            table,
            sequence: false,
            ..
        } if existing(table) => vec![table.clone()],
        Change::RebuildEnum { columns, .. } => columns
            .iter()
            .map(|c| c.table.clone())
            .filter(|t| existing(t))
            .collect(),
        // Casting a column to a domain with constraints rewrites its table (PostgreSQL checks
        // every value as it copies it).
        Change::RebuildDomain { domains, .. } => domains
            .iter()
            .flat_map(|d| &d.columns)
            .map(|c| c.table.clone())
            .filter(|t| existing(t))
            .collect(),
        // Nothing else rewrites a table that exists (nor these, on a table the plan creates).
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::CreateSequence { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::AlterColumn { .. }
        | Change::AddConstraint { .. }
        | Change::DropConstraint { .. }
        | Change::ValidateConstraint { .. }
        | Change::NotNull { .. }
        | Change::AlterConstraint { .. }
        | Change::CreateIndex { .. }
        | Change::DropIndex { .. }
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::Backfill { .. }
        | Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateMaterializedView { .. }
        | Change::DropMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::SetComment { .. }
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
        | Change::CreatePolicy { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetReplicaIdentity { .. }
        | Change::SetInherit { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. }
        | Change::AttachPartition { .. }
        | Change::DetachPartition { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::NameInheritedIndex { .. }
        | Change::DropPartitionedIndex { .. }
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
        | Change::AlterColumnSettings { .. } => Vec::new(),
    };
    out.sort();
    out.dedup();
    out
}
