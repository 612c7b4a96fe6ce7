//! Partitions attached without a scan under ACCESS EXCLUSIVE: a check that implies the bounds
//! is validated first, and everything the table is to have is built before it is attached.

use super::rewrite::Online;
use crate::model::naming::bounds_check_name;
use crate::model::*;
use crate::plan::change::Change;

/// Attaching a table scans it under ACCESS EXCLUSIVE to prove that its rows are within the
/// bounds, unless a valid CHECK of the table implies them: such a check is added `NOT VALID`,
/// validated (which blocks no writes), the table attached (no scan), and the check dropped.
pub(super) fn attach_partition(out: &mut Online, table: QualName, partition: PartitionOf) {
    let name = bounds_check_name(&table);
    let check = Constraint {
        kind: ConstraintKind::Check {
            expression: Expr::new(partition.constraint.clone().unwrap_or_default()),
            no_inherit: false,
        },
        deferrable: false,
        initially_deferred: false,
        validated: false,
        enforced: true,
        only: false,
        comment: None,
    };
    let validated = Constraint {
        validated: true,
        ..check.clone()
    };
    out.chain(
        None,
        vec![
            Change::AddConstraint {
                table: table.clone(),
                name: name.clone(),
                constraint: check,
            },
            Change::ValidateConstraint {
                table: table.clone(),
                name: name.clone(),
                constraint: validated.clone(),
            },
            Change::AttachPartition {
                table: table.clone(),
                partition,
            },
            Change::DropConstraint {
                table,
                name,
                constraint: validated,
            },
        ],
    );
}

/// A table is attached once everything it is to have is built and validated: attaching
/// adopts it then, instead of building or checking it under ACCESS EXCLUSIVE.
pub(super) fn attach_after_what_it_adopts(out: &mut Online) {
    let attaches: Vec<(usize, QualName)> = out
        .changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            if let Change::AttachPartition { table, .. } = c {
                Some((i, table.clone()))
            } else {
                None
            }
        })
        .collect();
    for (attach, table) in attaches {
        for (i, c) in out.changes.iter().enumerate() {
            let on_table = built_on(c) == Some(&table);
            let already = out.sequence.contains(&(attach, i));
            if on_table && !already {
                out.sequence.push((i, attach));
            }
        }
    }
}

/// A partition that moves to another parent under the same bounds is detached before the check
/// that proves them is added: `DETACH … CONCURRENTLY` adds a check of the old bounds only when
/// the table has no equivalent one, and the plan expects it to (it drops that check
/// afterwards). Under other bounds the check is added and validated first, while the table is
/// still attached.
pub(super) fn detach_before_bounds_check(out: &mut Online) {
    let mut pairs = Vec::new();
    for (d, c) in out.changes.iter().enumerate() {
        let Change::DetachPartition {
            table, partition, ..
        } = c
        else {
            continue;
        };
        let check = bounds_check_name(table);
        let old_bounds = partition.constraint.as_deref();
        for (a, other) in out.changes.iter().enumerate() {
            let same_bounds = matches!(other, Change::AddConstraint { table: t, name, constraint }
                if t == table && *name == check && matches!(&constraint.kind,
                    ConstraintKind::Check { expression, .. } if Some(expression.text.as_str()) == old_bounds));
            if same_bounds {
                pairs.push((d, a));
            }
        }
    }
    out.sequence.extend(pairs);
}

/// The table a change builds or validates something on that attaching the table as a
/// partition would otherwise build or check under its lock.
fn built_on(change: &Change) -> Option<&QualName> {
    match change {
        Change::CreateIndex { table, .. }
        | Change::AddConstraint { table, .. }
        | Change::ValidateConstraint { table, .. }
        | Change::NotNull { table, .. }
        | Change::AddConstraintUsingIndex { table, .. } => Some(table),
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
        | Change::SetSequenceOwner { .. }
        | Change::CreateTable { .. }
        | Change::DropTable { .. }
        | Change::AddColumn { .. }
        | Change::DropColumn { .. }
        | Change::AlterColumn { .. }
        | Change::DropConstraint { .. }
        | Change::AlterConstraint { .. }
        | Change::DropIndex { .. }
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
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
        | Change::AlterColumnSettings { .. } => None,
    }
}
