//! The hazards of a change on a database in use.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::classify::lock_mode::LockMode;
use crate::plan::classify::locks::locks;
use crate::plan::classify::relations::default_partition;
use crate::plan::classify::rewrites::rewrites;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Hazard {
    DeletesData,
    TableRewrite,
    LongAccessExclusiveLock,
    IndexBuild,
    IndexDropped,
    ValidationScan,
    EnumRebuild,
    TypeChange,
    AuthzChange,
    /// A materialized view is dropped and created again: its query runs again (and its indexes
    /// are built) while the new one is created, and between the drop and the create readers
    /// find no materialized view.
    MatviewRebuild,
    /// A table is dropped from a schema the desired state never names: a desired state written
    /// for other schemas (or an empty file) would empty it. Gated until the desired state names
    /// the schema (`schemas: {name: {}}`) or `--allow-hazards` does.
    UnnamedSchema,
}

impl Hazard {
    pub const ALL: [Hazard; 11] = [
        Hazard::DeletesData,
        Hazard::TableRewrite,
        Hazard::LongAccessExclusiveLock,
        Hazard::IndexBuild,
        Hazard::IndexDropped,
        Hazard::ValidationScan,
        Hazard::EnumRebuild,
        Hazard::TypeChange,
        Hazard::AuthzChange,
        Hazard::MatviewRebuild,
        Hazard::UnnamedSchema,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Hazard::DeletesData => "DeletesData",
            Hazard::TableRewrite => "TableRewrite",
            Hazard::LongAccessExclusiveLock => "LongAccessExclusiveLock",
            Hazard::IndexBuild => "IndexBuild",
            Hazard::IndexDropped => "IndexDropped",
            Hazard::ValidationScan => "ValidationScan",
            Hazard::EnumRebuild => "EnumRebuild",
            Hazard::TypeChange => "TypeChange",
            Hazard::AuthzChange => "AuthzChange",
            Hazard::MatviewRebuild => "MatviewRebuild",
            Hazard::UnnamedSchema => "UnnamedSchema",
        }
    }

    pub fn parse(name: &str) -> Option<Hazard> {
        Hazard::ALL
            .into_iter()
            .find(|h| h.name().eq_ignore_ascii_case(name.trim()))
    }

    /// Hazards `apply` refuses unless `--allow-hazards` names them.
    pub fn gated(self) -> bool {
        matches!(
            self,
            Hazard::DeletesData | Hazard::TableRewrite | Hazard::UnnamedSchema
        )
    }
}

impl fmt::Display for Hazard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The hazards of a change on a database in use.
pub fn hazards(change: &Change, current: &Catalog, desired: &Catalog) -> Vec<Hazard> {
    let mut out = hazards_by_kind(change, current, desired);
    // A partition joining a parent that has a default partition: the default partition is
    // scanned under ACCESS EXCLUSIVE for rows that now belong to the new one.
    if let Change::CreateTable {
        name,
        table: Table {
            partition_of: Some(p),
            ..
        },
    }
    | Change::AttachPartition {
        table: name,
        partition: p,
    } = change
    {
        if !p.is_default() && default_partition(current, &p.parent, name).is_some() {
            out.push(Hazard::ValidationScan);
        }
    }
    if !rewrites(change, current).is_empty() {
        out.push(Hazard::TableRewrite);
    }
    // A rewrite or a scan done while holding ACCESS EXCLUSIVE blocks everyone for its length.
    let long_work = out
        .iter()
        .any(|h| matches!(h, Hazard::TableRewrite | Hazard::ValidationScan));
    let exclusive = locks(change, current, desired)
        .values()
        .any(|m| *m == LockMode::AccessExclusive);
    if long_work && exclusive {
        out.push(Hazard::LongAccessExclusiveLock);
    }
    out.sort();
    out.dedup();
    out
}

/// The hazards that follow from the kind of change alone.
fn hazards_by_kind(change: &Change, current: &Catalog, desired: &Catalog) -> Vec<Hazard> {
    let mut out = Vec::new();
    let existing = |q: &QualName| current.tables.contains_key(q);
    match change {
        // A generated column's values come back from its expression.
        Change::DropColumn { column, .. } if column.generated.is_some() => {}
        Change::DropTable { .. } | Change::DropColumn { .. } | Change::DropSequence { .. } => {
            out.push(Hazard::DeletesData)
        }
        Change::AlterColumn {
            table, from, to, ..
        } => {
            if from.data_type != to.data_type || from.collation != to.collation {
                out.push(Hazard::TypeChange);
            }
            if !from.not_null && to.not_null && existing(table) {
                out.push(Hazard::ValidationScan);
            }
        }
        Change::RebuildEnum { .. } => out.push(Hazard::EnumRebuild),
        Change::CreateIndex { .. } => out.push(Hazard::IndexBuild),
        Change::AddConstraint {
            table, constraint, ..
        } => {
            if constraint.kind.has_index() {
                out.push(Hazard::IndexBuild);
            }
            // An exclusion constraint checks every existing row against the others while its
            // index is built, under ACCESS EXCLUSIVE: it has no NOT VALID form and no
            // concurrent build to fall back on.
            // So does a temporal key (WITHOUT OVERLAPS), whose GiST index cannot be built
            // concurrently. A constraint not enforced reads no row.
            let checks_rows = matches!(
                constraint.kind,
                ConstraintKind::Check { .. }
                    | ConstraintKind::ForeignKey(_)
                    | ConstraintKind::Exclude(_)
            ) || constraint.kind.without_overlaps();
            if checks_rows && constraint.validated && constraint.enforced && existing(table) {
                out.push(Hazard::ValidationScan);
            }
        }
        Change::ValidateConstraint { .. } => out.push(Hazard::ValidationScan),
        // Validating, or adding valid, reads every row (under SHARE UPDATE EXCLUSIVE or, added,
        // ACCESS EXCLUSIVE).
        Change::NotNull {
            to: Some(to), from, ..
        } if to.valid && from.is_none_or(|f| !f.valid) => out.push(Hazard::ValidationScan),
        Change::NotNull { .. } => {}
        Change::DropIndex { .. } => out.push(Hazard::IndexDropped),
        // Dropped to be created again (a new definition, or something it reads changes).
        Change::DropMaterializedView { name, .. }
            if desired.materialized_views.contains_key(name) =>
        {
            out.push(Hazard::MatviewRebuild)
        }
        Change::CreateMaterializedView { name, view } => {
            if current.materialized_views.contains_key(name) {
                out.push(Hazard::MatviewRebuild);
            }
            if !view.indexes.is_empty() {
                out.push(Hazard::IndexBuild);
            }
        }
        Change::DropConstraint { constraint, .. } if constraint.kind.has_index() => {
            out.push(Hazard::IndexDropped)
        }
        // Without a CHECK that proves the bounds (the online technique's), attaching scans
        // the table under ACCESS EXCLUSIVE.
        Change::AttachPartition { partition, .. } if partition.constraint.is_none() => {
            out.push(Hazard::ValidationScan)
        }
        Change::RebuildDomain { .. } => out.push(Hazard::TypeChange),
        // Every value of the domain, in every table that has a column of it, is checked.
        Change::AddDomainConstraint {
            domain, constraint, ..
        } if constraint.validated && current.domains.contains_key(domain) => {
            out.push(Hazard::ValidationScan)
        }
        Change::ValidateDomainConstraint { .. }
        | Change::SetDomainNotNull { not_null: true, .. } => out.push(Hazard::ValidationScan),
        Change::DropAttribute { stored: true, .. } => out.push(Hazard::DeletesData),
        Change::AlterAttributeType { .. } => out.push(Hazard::TypeChange),
        // Who may see or change which rows changes.
        Change::CreatePolicy { .. }
        | Change::DropPolicy { .. }
        | Change::AlterPolicy { .. }
        | Change::SetRowSecurity { .. }
        | Change::SetGrants { .. }
        | Change::SetOwner { .. }
        | Change::SetDefaultPrivileges { .. } => out.push(Hazard::AuthzChange),
        // No hazard of their own (or none but in the cases above).
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::CreateSequence { .. }
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
        | Change::CreateTable { .. }
        | Change::AddColumn { .. }
        | Change::DropConstraint { .. }
        | Change::AlterConstraint { .. }
        | Change::Rename { .. }
        | Change::RenameIndex { .. }
        | Change::AddConstraintUsingIndex { .. }
        | Change::Backfill { .. }
        | Change::CreateView { .. }
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
        | Change::DropMaterializedView { .. }
        | Change::SetMaterializedViewOptions { .. }
        | Change::SetOptions { .. }
        | Change::SetPersistence { .. }
        | Change::SetReplicaIdentity { .. }
        | Change::SetInherit { .. }
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
        | Change::CreateCompositeType { .. }
        | Change::DropCompositeType { .. }
        | Change::CreateRangeType { .. }
        | Change::DropRangeType { .. }
        | Change::CreateCollation { .. }
        | Change::DropCollation { .. }
        | Change::AddAttribute { .. }
        | Change::DropAttribute { .. }
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
        | Change::AlterColumnSettings { .. } => {}
    }
    out
}
