//! Online techniques: changes to tables that already exist (and may be in use) are rewritten
//! into sequences of steps that never hold a lock that blocks writers for long:
//!
//! - an index is built and dropped `CONCURRENTLY`; a changed index is built under a temporary
//!   name, the old one dropped, the new one renamed;
//! - a foreign key or check (of a table or a domain) is added `NOT VALID`, then validated in a
//!   step of its own;
//! - `SET NOT NULL` is proved by a `CHECK (col IS NOT NULL) NOT VALID` that is validated first,
//!   so that `SET NOT NULL` skips its scan; the helper check is dropped after;
//! - a primary key or unique constraint is added `USING INDEX` on an index built concurrently;
//! - a column whose default is volatile is added without it, given the default (new rows), and
//!   its existing rows are backfilled in batches.
//!
//! Pure: changes in, changes out, plus the order the steps of each technique must keep (the
//! dependency graph orders everything else).
//!
//! `techniques` names, for every kind of change, the technique (in the file of its object
//! kind) that rewrites it, and the conditions under which it applies; every other change is
//! kept as it is.

mod columns;
mod constraints;
mod indexes;
mod partitions;
mod rewrite;

#[cfg(test)]
mod tests;

pub use columns::not_null_proof;
pub use rewrite::Online;

use crate::model::*;
use crate::plan::change::Change;
use rewrite::Rewrite;

/// Applies the techniques to the changes of tables that exist in both models.
pub fn techniques(
    changes: Vec<Change>,
    current: &Catalog,
    desired: &Catalog,
    backfills: &crate::model::hints::Backfills,
) -> Online {
    let mut w = Rewrite::new(&changes, current, desired, backfills);
    for change in changes {
        rewrite(&mut w, change);
    }
    partitions::attach_after_what_it_adopts(&mut w.out);
    partitions::detach_before_bounds_check(&mut w.out);
    columns::keys_after_not_null(&mut w);
    columns::alterations_in_order(&mut w.out);
    w.out
}

/// One change through the technique that applies to it, if any.
fn rewrite(w: &mut Rewrite<'_>, change: Change) {
    match change {
        Change::CreateIndex {
            table, name, index, ..
        } if w.has_indexes(&table) => indexes::build_concurrently(w, table, name, index),
        Change::DropIndex {
            table,
            name,
            index,
            only,
            cascades,
            ..
        } if w.has_indexes(&table) && cascades.is_empty() => {
            indexes::drop_concurrently(w, table, name, index, only)
        }
        Change::AddConstraint {
            table,
            name,
            constraint,
        } if w.has_storage(&table) => constraints::add_to_table_in_use(w, table, name, constraint),
        Change::AlterColumn {
            table,
            from,
            to,
            using,
            using_reverse,
            renumber,
            renumber_reverse,
        } if w.existing(&table) && !from.not_null && to.not_null => columns::set_not_null(
            w,
            table,
            from,
            to,
            (using, using_reverse),
            (renumber, renumber_reverse),
        ),
        Change::AddColumn {
            table,
            column,
            not_null_name,
        } if w.existing(&table) => columns::add_column(w, table, column, not_null_name),
        Change::CreateIndex {
            table, name, index, ..
        } if w.partitioned(&table) => {
            indexes::partitioned_index(&mut w.out, &table, &name, index, w.current, w.desired);
        }
        Change::CreateIndex {
            table, name, index, ..
        } if !indexes::own_keys_pinned(w.desired, &table, &name).is_empty() => {
            indexes::adopting_own_keys(&mut w.out, &table, &name, index, w.desired);
        }
        Change::AddConstraint {
            table,
            name,
            constraint,
        } if w.partitioned(&table)
            && matches!(constraint.kind, ConstraintKind::Check { .. })
            && constraint.validated =>
        {
            // A check is added NOT VALID to every partition and validated after.
            w.out.chain(
                None,
                constraints::added_then_validated(table, name, constraint),
            );
        }
        Change::AddConstraint {
            table,
            name,
            constraint,
        } if w.partitioned(&table)
            && matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }) =>
        {
            // PostgreSQL sets the key's columns NOT NULL itself: the key comes after their own
            // SET NOT NULL, so that going down it is dropped before they become nullable again.
            let columns = constraint.kind.columns().to_vec();
            let added = w.out.push(Change::AddConstraint {
                table: table.clone(),
                name,
                constraint,
            });
            w.attached_keys.push((added, table, columns));
        }
        Change::AttachPartition { table, partition } if partition.constraint.is_some() => {
            partitions::attach_partition(&mut w.out, table, partition);
        }
        Change::AddDomainConstraint {
            domain,
            name,
            constraint,
        } if constraint.validated
            && w.current.domains.contains_key(&domain)
            && w.desired.domains.contains_key(&domain) =>
        {
            constraints::add_domain_check(w, domain, name, constraint)
        }
        // Every other change, and those above where their technique does not apply: as it is.
        change @ (Change::CreateSchema { .. }
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
        | Change::AlterColumnSettings { .. }) => {
            w.out.push(change);
        }
    }
}
