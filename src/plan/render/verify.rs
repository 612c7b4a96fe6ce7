//! For a step that runs outside a transaction block, a query that tells whether its whole
//! effect is in place. Such a step commits as it goes (a concurrent index build in three
//! transactions, a backfill batch by batch), so its work and the history's mark cannot commit
//! together: `apply` marks it completed only once this query says so, and an apply that finds
//! it started by an earlier one that was killed asks the query before running it again.
//!
//! Each query returns one row with one boolean. Steps inside a transaction have none: their
//! mark commits with their work.

use crate::model::QualName;
use crate::model::quote::{ident, literal, qualified};
use crate::plan::change::Change;

/// The query that says whether the effect of `change` is in place, for the kinds of change
/// that run outside a transaction block (`None` for the others, and for hooks, whose progress
/// `schemaplan.hooks` records in each batch's transaction).
pub fn verify(change: &Change) -> Option<String> {
    match change {
        Change::CreateIndex {
            table,
            name,
            index,
            concurrently: true,
            ..
        } => {
            let q = literal(&qualified(&QualName::new(
                table.schema.clone(),
                name.to_string(),
            )));
            // A build that was cut short leaves the index behind, INVALID; and the comment
            // comes in a statement of its own after the build.
            Some(format!(
                "SELECT EXISTS (SELECT FROM pg_catalog.pg_index i\n \
                   WHERE i.indexrelid = pg_catalog.to_regclass({q})\n \
                     AND i.indrelid = pg_catalog.to_regclass({t})\n \
                     AND i.indisvalid AND i.indisready AND i.indislive)\n \
                 AND pg_catalog.obj_description(pg_catalog.to_regclass({q}), 'pg_class')\n \
                     IS NOT DISTINCT FROM {comment}",
                t = literal(&qualified(table)),
                comment = index
                    .comment
                    .as_deref()
                    .map_or_else(|| "NULL".to_string(), literal),
            ))
        }
        Change::DropIndex {
            table,
            name,
            concurrently: true,
            ..
        } => Some(format!(
            "SELECT pg_catalog.to_regclass({}) IS NULL",
            literal(&qualified(&QualName::new(
                table.schema.clone(),
                name.to_string()
            )))
        )),
        // No row is left to fill (the block itself stops only after a pass that filled none).
        Change::Backfill { table, column, .. } => Some(format!(
            "SELECT NOT EXISTS (SELECT FROM {} WHERE {} IS NULL)",
            qualified(table),
            ident(column)
        )),
        Change::AddEnumValues { name, to, .. } => {
            let values: Vec<String> = to.iter().map(|v| literal(v)).collect();
            let t = literal(&qualified(name));
            Some(format!(
                "SELECT pg_catalog.to_regtype({t}) IS NOT NULL AND NOT EXISTS (\n \
                   SELECT FROM pg_catalog.unnest(ARRAY[{}]::pg_catalog.text[]) v\n \
                    WHERE v NOT IN (SELECT e.enumlabel::pg_catalog.text FROM pg_catalog.pg_enum e\n \
                                     WHERE e.enumtypid = pg_catalog.to_regtype({t})))",
                values.join(", "),
            ))
        }
        // Detached: no longer among the parent's partitions (a detach cut short leaves the
        // partition attached, pending detach).
        Change::DetachPartition {
            table,
            partition,
            concurrently: true,
            ..
        } => Some(format!(
            "SELECT NOT EXISTS (SELECT FROM pg_catalog.pg_inherits\n \
               WHERE inhrelid = pg_catalog.to_regclass({})\n \
                 AND inhparent = pg_catalog.to_regclass({}))",
            literal(&qualified(table)),
            literal(&qualified(&partition.parent))
        )),
        // A hook records its batches in their own transactions, and its status once verified.
        Change::RunHook { .. } => None,
        // Inside a transaction block: the mark commits with the work.
        Change::CreateIndex { .. }
        | Change::DropIndex { .. }
        | Change::DetachPartition { .. }
        | Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::RebuildEnum { .. }
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
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
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
        | Change::AlterColumnSettings { .. } => None,
    }
}
