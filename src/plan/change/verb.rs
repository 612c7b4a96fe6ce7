//! Whether a change creates, drops or alters: the one list the plan summary's sign and the
//! rules that treat every drop alike are drawn from.

use super::kinds::Change;

/// What a change does to the object it touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verb {
    /// Brings an object (or a part of one: a column, a constraint, an attribute) into being.
    Create,
    /// Removes one.
    Drop,
    /// Changes one that stays (or moves data, or renames): everything else.
    Alter,
}

impl Verb {
    /// `+` creates, `-` drops, `~` alters.
    pub fn sign(self) -> char {
        match self {
            Verb::Create => '+',
            Verb::Drop => '-',
            Verb::Alter => '~',
        }
    }
}

impl Change {
    /// Whether the change creates, drops or alters what it touches. Every variant is listed,
    /// so that a new one has to be placed.
    pub fn verb(&self) -> Verb {
        match self {
            Change::CreateSchema { .. }
            | Change::CreateExtension { .. }
            | Change::CreateEnum { .. }
            | Change::CreateSequence { .. }
            | Change::CreateTable { .. }
            | Change::AddColumn { .. }
            | Change::AddConstraint { .. }
            | Change::CreateIndex { .. }
            | Change::AddConstraintUsingIndex { .. }
            | Change::CreateView { .. }
            | Change::CreateMaterializedView { .. }
            | Change::CreateFunction { .. }
            | Change::CreateAggregate { .. }
            | Change::CreateTrigger { .. }
            | Change::CreateDomain { .. }
            | Change::AddDomainConstraint { .. }
            | Change::CreateCompositeType { .. }
            | Change::CreateRangeType { .. }
            | Change::CreateCollation { .. }
            | Change::AddAttribute { .. }
            | Change::CreatePolicy { .. }
            | Change::CreateIndexOnly { .. }
            | Change::CreateStatistics { .. }
            | Change::CreateTsDictionary { .. }
            | Change::CreateTsConfiguration { .. }
            | Change::CreatePublication { .. } => Verb::Create,
            Change::DropSchema { .. }
            | Change::DropExtension { .. }
            | Change::DropEnum { .. }
            | Change::DropSequence { .. }
            | Change::DropTable { .. }
            | Change::DropColumn { .. }
            | Change::DropConstraint { .. }
            | Change::DropIndex { .. }
            | Change::DropView { .. }
            | Change::DropMaterializedView { .. }
            | Change::DropFunction { .. }
            | Change::DropAggregate { .. }
            | Change::DropTrigger { .. }
            | Change::DropDomain { .. }
            | Change::DropDomainConstraint { .. }
            | Change::DropCompositeType { .. }
            | Change::DropRangeType { .. }
            | Change::DropCollation { .. }
            | Change::DropAttribute { .. }
            | Change::DropPolicy { .. }
            | Change::DropPartitionedIndex { .. }
            | Change::DropStatistics { .. }
            | Change::DropTsDictionary { .. }
            | Change::DropTsConfiguration { .. }
            | Change::DropPublication { .. } => Verb::Drop,
            Change::AlterExtension { .. }
            | Change::AddEnumValues { .. }
            | Change::RebuildEnum { .. }
            | Change::AlterSequence { .. }
            | Change::SetSequenceOwner { .. }
            | Change::AlterColumn { .. }
            | Change::ValidateConstraint { .. }
            | Change::NotNull { .. }
            | Change::AlterConstraint { .. }
            | Change::Rename { .. }
            | Change::RenameIndex { .. }
            | Change::Backfill { .. }
            | Change::ReplaceView { .. }
            | Change::SetMaterializedViewOptions { .. }
            | Change::SetOptions { .. }
            | Change::SetPersistence { .. }
            | Change::SetComment { .. }
            | Change::ReplaceFunction { .. }
            | Change::ReplaceAggregate { .. }
            | Change::ReplaceTrigger { .. }
            | Change::SetTriggerEnabled { .. }
            | Change::RunHook { .. }
            | Change::UndoHook { .. }
            | Change::Restore { .. }
            | Change::RebuildDomain { .. }
            | Change::SetDomainDefault { .. }
            | Change::SetDomainNotNull { .. }
            | Change::ValidateDomainConstraint { .. }
            | Change::AlterAttributeType { .. }
            | Change::AlterPolicy { .. }
            | Change::SetRowSecurity { .. }
            | Change::SetReplicaIdentity { .. }
            | Change::SetInherit { .. }
            | Change::SetGrants { .. }
            | Change::SetOwner { .. }
            | Change::SetDefaultPrivileges { .. }
            | Change::AttachPartition { .. }
            | Change::DetachPartition { .. }
            | Change::AttachIndex { .. }
            | Change::NameInheritedIndex { .. }
            | Change::AlterStatistics { .. }
            | Change::AlterTsDictionary { .. }
            | Change::AlterTsConfiguration { .. }
            | Change::AlterPublication { .. }
            | Change::AlterColumnSettings { .. } => Verb::Alter,
        }
    }

    /// `+` creates, `-` drops, `~` alters.
    pub fn sign(&self) -> char {
        self.verb().sign()
    }
}
