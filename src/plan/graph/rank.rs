//! The tie-break between changes the graph leaves free to go in either order.

use crate::model::*;
use crate::plan::change::Change;

/// The default reading order of a plan, used only to break ties between independent changes:
/// enum values first (they commit on their own), then what is added, then what is removed.
pub(super) fn rank(change: &Change) -> u8 {
    match change {
        Change::AddEnumValues { .. } => 0,
        Change::Rename { .. } => 1,
        Change::CreateSchema { .. } => 1,
        Change::CreateExtension { .. } | Change::AlterExtension { .. } => 2,
        Change::CreateEnum { .. } | Change::RebuildEnum { .. } => 3,
        Change::CreateSequence { .. } | Change::AlterSequence { .. } => 4,
        Change::CreateTable { .. } => 5,
        Change::AddColumn { .. } => 6,
        Change::AlterColumn { .. } => 7,
        Change::AddConstraint { constraint, .. } => {
            if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                10
            } else {
                8
            }
        }
        Change::CreateIndex { .. } => 9,
        Change::AddConstraintUsingIndex { .. } => 10,
        Change::Backfill { .. } => 15,
        // Column backfills first, then hooks of the backfill phase, then those that run just
        // before contract.
        Change::RunHook { hook } => match hook.phase {
            crate::model::hook::HookPhase::Backfill => 16,
            crate::model::hook::HookPhase::BeforeContract => 17,
        },
        Change::UndoHook { .. } => 29,
        Change::ValidateConstraint { .. }
        | Change::AlterConstraint { .. }
        | Change::NotNull { .. } => 11,
        Change::SetSequenceOwner { .. } => 12,
        Change::CreateView { .. } | Change::ReplaceView { .. } => 13,
        Change::SetOptions { .. } | Change::SetPersistence { .. } | Change::SetComment { .. } => 14,
        Change::DropView { .. } => 20,
        // After views by default: a materialized view over a view is the common case (the
        // edges order the other one).
        Change::CreateMaterializedView { .. } => 13,
        Change::SetMaterializedViewOptions { .. } => 14,
        Change::DropMaterializedView { .. } => 20,
        Change::DropConstraint { constraint, .. } => {
            if matches!(constraint.kind, ConstraintKind::ForeignKey(_)) {
                21
            } else {
                22
            }
        }
        Change::DropIndex { .. } => 22,
        Change::RenameIndex { .. } => 23,
        Change::DropColumn { .. } => 23,
        Change::DropTable { .. } => 24,
        Change::DropSequence { .. } => 25,
        Change::DropEnum { .. } => 26,
        Change::DropExtension { .. } => 27,
        Change::DropSchema { .. } => 28,
        // Only ever part of a reverse, which keeps its own order.
        Change::Restore { .. } => 29,
        Change::CreateIndexOnly { .. } | Change::AttachIndex { .. } => 9,
        Change::AttachPartition { .. } => 12,
        Change::DetachPartition { .. } => 19,
        Change::SetInherit { inherit: false, .. } => 19,
        Change::SetInherit { inherit: true, .. } => 12,
        Change::DropPartitionedIndex { .. } => 22,
        Change::NameInheritedIndex { .. } => 14,
        // Functions before the tables whose defaults and checks may call them (a function that
        // reads a table waits for it through its dependencies).
        Change::CreateFunction { .. } | Change::ReplaceFunction { .. } => 4,
        Change::CreateTrigger { .. } | Change::ReplaceTrigger { .. } => 13,
        Change::SetTriggerEnabled { .. } => 14,
        Change::DropTrigger { .. } => 20,
        Change::DropFunction { .. } => 25,
        // Aggregates with functions (their support functions come first through the edges),
        // before the views that call them; dropped after those.
        Change::CreateAggregate { .. } | Change::ReplaceAggregate { .. } => 4,
        Change::DropAggregate { .. } => 25,
        // Types come with enums, before the tables that use them, and go after the tables.
        Change::CreateDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::CreateCompositeType { .. }
        | Change::CreateRangeType { .. }
        | Change::AddAttribute { .. }
        | Change::AlterAttributeType { .. } => 3,
        Change::SetDomainDefault { .. } | Change::SetDomainNotNull { .. } => 7,
        Change::AddDomainConstraint { .. } => 8,
        Change::ValidateDomainConstraint { .. } => 11,
        Change::DropDomainConstraint { .. } => 22,
        Change::DropAttribute { .. } => 23,
        Change::DropDomain { .. }
        | Change::DropCompositeType { .. }
        | Change::DropRangeType { .. } => 26,
        // Collations come before the types and columns that use them, and go after them.
        Change::CreateCollation { .. } => 2,
        Change::DropCollation { .. } => 27,
        // Policies may read any table or view: after those are created. Privileges follow
        // their objects; revokes and dropped policies come before the drops of contract.
        Change::SetOwner { .. } => 14,
        Change::CreatePolicy { .. } | Change::AlterPolicy { .. } => 14,
        Change::SetRowSecurity { .. } => 14,
        Change::SetReplicaIdentity { .. } => 14,
        Change::SetGrants { from, to, .. } | Change::SetDefaultPrivileges { from, to, .. } => {
            if crate::plan::change::removes_privileges(from, to) {
                19
            } else {
                14
            }
        }
        Change::DropPolicy { .. } => 19,
        // Statistics come with indexes, after the columns they read, and go before them.
        Change::CreateStatistics { .. } => 9,
        Change::AlterStatistics { .. } | Change::AlterColumnSettings { .. } => 14,
        Change::DropStatistics { .. } => 22,
        // Text search objects come with types, before the views and indexes that name a
        // configuration, and go after them.
        Change::CreateTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. } => 3,
        Change::DropTsDictionary { .. } | Change::DropTsConfiguration { .. } => 26,
        // Publications follow the tables and columns they name, and go before them.
        Change::CreatePublication { .. } | Change::AlterPublication { .. } => 14,
        Change::DropPublication { .. } => 19,
    }
}
