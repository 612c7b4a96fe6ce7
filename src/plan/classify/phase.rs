//! The phase a change belongs to: expand, backfill or contract.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::*;
use crate::plan::change::{Change, removes_privileges};
use crate::plan::classify::type_rules::{binary_compatible, widens};

/// When a step runs, relative to deploying the new application version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Additive: safe while the old application version still runs.
    Expand,
    /// Data steps between expand and contract.
    Backfill,
    /// Destructive or tightening: drops, NOT NULL, narrowing type changes.
    Contract,
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Phase::Expand => "expand",
            Phase::Backfill => "backfill",
            Phase::Contract => "contract",
        })
    }
}

/// The phase a change belongs to on its own (the plan may move it later, after a step it
/// must follow).
pub fn phase(change: &Change, current: &Catalog) -> Phase {
    let existing = |q: &QualName| current.tables.contains_key(q);
    match change {
        Change::DropSchema { .. }
        | Change::DropExtension { .. }
        | Change::DropEnum { .. }
        | Change::RebuildEnum { .. }
        | Change::DropSequence { .. }
        | Change::DropTable { .. }
        | Change::DropColumn { .. }
        | Change::DropConstraint { .. }
        | Change::DropIndex { .. }
        | Change::DropView { .. }
        | Change::DropFunction { .. }
        | Change::DropAggregate { .. }
        | Change::DropTrigger { .. }
        | Change::DropMaterializedView { .. }
        | Change::RenameIndex { .. }
        // A rename breaks every query that still uses the old name.
        | Change::Rename { .. }
        | Change::ValidateConstraint { .. }
        | Change::DropDomain { .. }
        | Change::RebuildDomain { .. }
        | Change::DropDomainConstraint { .. }
        | Change::ValidateDomainConstraint { .. }
        | Change::SetDomainNotNull { not_null: true, .. }
        | Change::DropCompositeType { .. }
        | Change::DropRangeType { .. }
        | Change::DropCollation { .. }
        | Change::DropAttribute { .. }
        | Change::AlterAttributeType { .. }
        | Change::DropStatistics { .. }
        | Change::DropTsDictionary { .. }
        | Change::DropTsConfiguration { .. }
        | Change::DropPublication { .. } => Phase::Contract,
        // A new rule for an existing domain tightens what the old application may write.
        Change::AddDomainConstraint { domain, .. } if current.domains.contains_key(domain) => {
            Phase::Contract
        }
        Change::SetDomainDefault { name, to: None, .. } if current.domains.contains_key(name) => {
            Phase::Contract
        }
        Change::Backfill { .. } | Change::RunHook { .. } => Phase::Backfill,
        // Rows leave the parent; or the table's rows must now keep within its bounds.
        Change::DetachPartition { .. } | Change::AttachPartition { .. } => Phase::Contract,
        // The parent's rows gain or lose the table's, as with a partition.
        Change::SetInherit { .. } => Phase::Contract,
        // Taking access away (a revoke, a dropped policy, row security switched on, another
        // owner) can break the running application: contract. Giving it is expand.
        Change::DropPolicy { .. } | Change::SetOwner { .. } => Phase::Contract,
        Change::SetRowSecurity { from, to, .. }
            if (to.enabled && !from.enabled) || (to.forced && !from.forced) =>
        {
            Phase::Contract
        }
        Change::SetGrants { from, to, .. } | Change::SetDefaultPrivileges { from, to, .. }
            if removes_privileges(from, to) =>
        {
            Phase::Contract
        }
        Change::AddConstraintUsingIndex { table, .. } if existing(table) => Phase::Contract,
        // New rules for existing rows tighten what the old application may write; a constraint
        // not enforced (PostgreSQL 18) is no rule for any row.
        Change::AddConstraint {
            table, constraint, ..
        } if existing(table) && constraint.enforced => Phase::Contract,
        Change::NotNull { table, to: Some(_), .. } if existing(table) => Phase::Contract,
        Change::AlterColumn {
            table, from, to, ..
        } if existing(table) => {
            let tightens = (!from.not_null && to.not_null)
                || (from.default.is_some() && to.default.is_none())
                || (from.data_type != to.data_type
                    && !binary_compatible(&from.data_type, &to.data_type)
                    && !widens(&from.data_type, &to.data_type));
            if tightens {
                Phase::Contract
            } else {
                Phase::Expand
            }
        }
        // Additive, or (in the cases above) loosening.
        Change::NotNull { .. }
        | Change::CreateSchema { .. }
        | Change::CreateExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::CreateSequence { .. }
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
        | Change::CreateTable { .. }
        | Change::AddColumn { .. }
        | Change::AlterColumn { .. }
        | Change::AddConstraint { .. }
        | Change::AlterConstraint { .. }
        | Change::CreateIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::CreateView { .. }
        | Change::ReplaceView { .. }
        | Change::CreateMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::SetComment { .. }
        | Change::CreateFunction { .. }
        | Change::ReplaceFunction { .. }
        | Change::CreateAggregate { .. }
        | Change::ReplaceAggregate { .. }
        | Change::CreateTrigger { .. }
        | Change::ReplaceTrigger { .. }
        | Change::SetTriggerEnabled { .. }
        | Change::UndoHook { .. }
        | Change::Restore { .. }
        | Change::CreateDomain { .. }
        | Change::SetDomainDefault { .. }
        | Change::SetDomainNotNull { .. }
        | Change::AddDomainConstraint { .. }
        | Change::CreateCompositeType { .. }
        | Change::CreateRangeType { .. }
        | Change::CreateCollation { .. }
        | Change::AddAttribute { .. }
        | Change::CreatePolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetReplicaIdentity { .. }
        | Change::SetGrants { .. }
        | Change::SetDefaultPrivileges { .. }
        | Change::CreateIndexOnly { .. }
        | Change::AttachIndex { .. }
        | Change::NameInheritedIndex { .. }
        | Change::DropPartitionedIndex { .. }
        | Change::CreateStatistics { .. }
        | Change::AlterStatistics { .. }
        | Change::CreateTsDictionary { .. }
        | Change::AlterTsDictionary { .. }
        | Change::CreateTsConfiguration { .. }
        | Change::AlterTsConfiguration { .. }
        | Change::CreatePublication { .. }
        | Change::AlterPublication { .. }
        | Change::AlterColumnSettings { .. } => Phase::Expand,
    }
}
