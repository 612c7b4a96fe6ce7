//! Alterations carry the state before and after them: each is undone by the same alteration
//! from its new state back to its old.

use std::mem::swap;

use crate::plan::change::kinds::{Change, EnumColumn};

/// The change with what it holds of the state before and after it exchanged. Changes that hold
/// no such pair (creations, drops, data steps) come back as they are.
pub(super) fn with_states_swapped(change: &Change) -> Change {
    use Change::*;
    let mut change = change.clone();
    match &mut change {
        AlterExtension { from, to, .. } => swap(from, to),
        AlterSequence { from, to, .. } => swap(from, to),
        SetSequenceOwner { from, to, .. } => swap(from, to),
        AlterConstraint { from, to, .. } => swap(from, to),
        NotNull { from, to, .. } => swap(from, to),
        RenameIndex { from, to, .. } => swap(from, to),
        Rename { from, to, .. } => swap(from, to),
        ReplaceView { from, to, .. } => swap(from, to),
        SetMaterializedViewOptions { from, to, .. } => swap(from, to),
        SetOptions { from, to, .. } => swap(from, to),
        SetComment { from, to, .. } => swap(from, to),
        ReplaceFunction { from, to, .. } => swap(from, to),
        ReplaceAggregate { from, to, .. } => swap(from, to),
        ReplaceTrigger { from, to, .. } => swap(from, to),
        SetTriggerEnabled { from, to, .. } => swap(from, to),
        SetDomainDefault { from, to, .. } => swap(from, to),
        AlterAttributeType { from, to, .. } => swap(from, to),
        AlterPolicy { from, to, .. } => swap(from, to),
        SetRowSecurity { from, to, .. } => swap(from, to),
        SetReplicaIdentity { from, to, .. } => swap(from, to),
        SetGrants { from, to, .. } => swap(from, to),
        SetOwner { from, to, .. } => swap(from, to),
        SetDefaultPrivileges { from, to, .. } => swap(from, to),
        AlterStatistics { from, to, .. } => swap(from, to),
        AlterTsDictionary { from, to, .. } => swap(from, to),
        AlterTsConfiguration { from, to, .. } => swap(from, to),
        AlterPublication { from, to, .. } => swap(from, to),
        AlterColumnSettings { from, to, .. } => swap(from, to),
        SetPersistence { unlogged, .. } => *unlogged = !*unlogged,
        SetDomainNotNull { not_null, .. } => *not_null = !*not_null,
        SetInherit { inherit, .. } => *inherit = !*inherit,
        AlterColumn {
            from,
            to,
            using,
            using_reverse,
            renumber,
            renumber_reverse,
            ..
        } => {
            swap(from, to);
            swap(using, using_reverse);
            swap(renumber, renumber_reverse);
        }
        RebuildEnum {
            from, to, columns, ..
        } => {
            swap(from, to);
            columns.iter_mut().for_each(swap_defaults);
        }
        RebuildDomain { domains, .. } => {
            for d in domains {
                swap(&mut d.from, &mut d.to);
                d.columns.iter_mut().for_each(swap_defaults);
            }
        }
        // The index goes back to the name it had.
        NameInheritedIndex {
            name,
            previous: Some(previous),
            ..
        } => swap(name, previous),
        NameInheritedIndex { previous: None, .. } => {}
        CreateSchema { .. }
        | DropSchema { .. }
        | CreateExtension { .. }
        | DropExtension { .. }
        | CreateEnum { .. }
        | DropEnum { .. }
        | AddEnumValues { .. }
        | CreateSequence { .. }
        | DropSequence { .. }
        | CreateTable { .. }
        | DropTable { .. }
        | AddColumn { .. }
        | DropColumn { .. }
        | AddConstraint { .. }
        | DropConstraint { .. }
        | ValidateConstraint { .. }
        | CreateIndex { .. }
        | DropIndex { .. }
        | AddConstraintUsingIndex { .. }
        | Backfill { .. }
        | CreateView { .. }
        | DropView { .. }
        | CreateMaterializedView { .. }
        | DropMaterializedView { .. }
        | CreateFunction { .. }
        | DropFunction { .. }
        | CreateAggregate { .. }
        | DropAggregate { .. }
        | CreateTrigger { .. }
        | DropTrigger { .. }
        | RunHook { .. }
        | UndoHook { .. }
        | Restore { .. }
        | CreateDomain { .. }
        | DropDomain { .. }
        | AddDomainConstraint { .. }
        | DropDomainConstraint { .. }
        | ValidateDomainConstraint { .. }
        | CreateCompositeType { .. }
        | DropCompositeType { .. }
        | CreateRangeType { .. }
        | DropRangeType { .. }
        | CreateCollation { .. }
        | DropCollation { .. }
        | AddAttribute { .. }
        | DropAttribute { .. }
        | CreatePolicy { .. }
        | DropPolicy { .. }
        | AttachPartition { .. }
        | DetachPartition { .. }
        | CreateIndexOnly { .. }
        | AttachIndex { .. }
        | DropPartitionedIndex { .. }
        | CreateStatistics { .. }
        | DropStatistics { .. }
        | CreateTsDictionary { .. }
        | DropTsDictionary { .. }
        | CreateTsConfiguration { .. }
        | DropTsConfiguration { .. }
        | CreatePublication { .. }
        | DropPublication { .. } => {}
    }
    change
}

/// A column of a rebuilt type gets back the default it had before the rebuild.
fn swap_defaults(column: &mut EnumColumn) {
    swap(&mut column.default_before, &mut column.default_after);
}
