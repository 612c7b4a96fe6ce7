//! The locks of one change as they are gathered, and what tells a relation that exists when the
//! change runs from one it creates.

use crate::model::*;
use crate::plan::change::Change;
use crate::plan::classify::lock_mode::{LockMode, Locks, add_lock};
use crate::plan::classify::relations::identity_sequences;

pub(super) struct LockSet<'a> {
    pub(super) locks: Locks,
    pub(super) current: &'a Catalog,
    pub(super) desired: &'a Catalog,
    /// The relation the change itself creates: nobody else can be using it.
    pub(super) created: Option<&'a QualName>,
}

impl<'a> LockSet<'a> {
    pub(super) fn new(change: &'a Change, current: &'a Catalog, desired: &'a Catalog) -> Self {
        LockSet {
            locks: Locks::new(),
            current,
            desired,
            created: created_relation(change),
        }
    }

    /// Whether `q` is a relation of the current or the desired model (one made earlier in the
    /// plan counts), other than the one the change creates.
    pub(super) fn exists(&self, q: &QualName) -> bool {
        let known = |c: &Catalog, q: &QualName| {
            c.tables.contains_key(q)
                || c.views.contains_key(q)
                || c.sequences.contains_key(q)
                || c.materialized_views.contains_key(q)
                || identity_sequences(c).any(|s| s == *q)
        };
        self.created != Some(q) && (known(self.current, q) || known(self.desired, q))
    }

    /// Takes `mode` on `q` if it exists when the change runs.
    pub(super) fn lock(&mut self, q: &QualName, mode: LockMode) {
        if self.exists(q) {
            add_lock(&mut self.locks, q.clone(), mode);
        }
    }

    /// Takes `mode` on `q`, which exists whatever the models say (an old name, a composite
    /// type).
    pub(super) fn lock_known(&mut self, q: &QualName, mode: LockMode) {
        add_lock(&mut self.locks, q.clone(), mode);
    }
}

/// The relation a change creates, if it creates one.
fn created_relation(change: &Change) -> Option<&QualName> {
    match change {
        Change::CreateTable { name, .. }
        | Change::CreateView { name, .. }
        | Change::CreateSequence { name, .. }
        | Change::CreateMaterializedView { name, .. } => Some(name),
        Change::CreateSchema { .. }
        | Change::DropSchema { .. }
        | Change::CreateExtension { .. }
        | Change::DropExtension { .. }
        | Change::AlterExtension { .. }
        | Change::CreateEnum { .. }
        | Change::DropEnum { .. }
        | Change::AddEnumValues { .. }
        | Change::RebuildEnum { .. }
        | Change::DropSequence { .. }
        | Change::AlterSequence { .. }
        | Change::SetSequenceOwner { .. }
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
        | Change::DropView { .. }
        | Change::ReplaceView { .. }
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
