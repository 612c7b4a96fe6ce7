//! Every variant of `Change`, by an exhaustive match: a new variant does not compile until it is
//! listed here, and then fails the coverage test of each table until the table has a row for it.

use crate::plan::change::Change;

/// The names of the variants, in declaration order: `VARIANTS[variant(c)]` names `c`'s.
pub const VARIANTS: [&str; 81] = [
    "CreateSchema",
    "DropSchema",
    "CreateExtension",
    "DropExtension",
    "AlterExtension",
    "CreateEnum",
    "DropEnum",
    "AddEnumValues",
    "RebuildEnum",
    "CreateSequence",
    "DropSequence",
    "AlterSequence",
    "SetSequenceOwner",
    "CreateTable",
    "DropTable",
    "AddColumn",
    "DropColumn",
    "AlterColumn",
    "AddConstraint",
    "DropConstraint",
    "ValidateConstraint",
    "AlterConstraint",
    "CreateIndex",
    "DropIndex",
    "Rename",
    "RenameIndex",
    "AddConstraintUsingIndex",
    "Backfill",
    "CreateView",
    "DropView",
    "ReplaceView",
    "CreateMaterializedView",
    "DropMaterializedView",
    "SetMaterializedViewOptions",
    "SetOptions",
    "SetPersistence",
    "SetComment",
    "CreateFunction",
    "DropFunction",
    "ReplaceFunction",
    "CreateAggregate",
    "DropAggregate",
    "ReplaceAggregate",
    "CreateTrigger",
    "DropTrigger",
    "ReplaceTrigger",
    "SetTriggerEnabled",
    "RunHook",
    "UndoHook",
    "Restore",
    "CreateDomain",
    "DropDomain",
    "RebuildDomain",
    "SetDomainDefault",
    "SetDomainNotNull",
    "AddDomainConstraint",
    "DropDomainConstraint",
    "ValidateDomainConstraint",
    "CreateCompositeType",
    "DropCompositeType",
    "AddAttribute",
    "DropAttribute",
    "AlterAttributeType",
    "CreatePolicy",
    "DropPolicy",
    "AlterPolicy",
    "SetRowSecurity",
    "SetGrants",
    "SetOwner",
    "SetDefaultPrivileges",
    "AttachPartition",
    "DetachPartition",
    "CreateIndexOnly",
    "AttachIndex",
    "NameInheritedIndex",
    "DropPartitionedIndex",
    "CreateStatistics",
    "DropStatistics",
    "AlterStatistics",
    "AlterColumnSettings",
    "SetReplicaIdentity",
];

/// The index of `change`'s variant in `VARIANTS`.
pub fn variant(change: &Change) -> usize {
    match change {
        Change::CreateSchema { .. } => 0,
        Change::DropSchema { .. } => 1,
        Change::CreateExtension { .. } => 2,
        Change::DropExtension { .. } => 3,
        Change::AlterExtension { .. } => 4,
        Change::CreateEnum { .. } => 5,
        Change::DropEnum { .. } => 6,
        Change::AddEnumValues { .. } => 7,
        Change::RebuildEnum { .. } => 8,
        Change::CreateSequence { .. } => 9,
        Change::DropSequence { .. } => 10,
        Change::AlterSequence { .. } => 11,
        Change::SetSequenceOwner { .. } => 12,
        Change::CreateTable { .. } => 13,
        Change::DropTable { .. } => 14,
        Change::AddColumn { .. } => 15,
        Change::DropColumn { .. } => 16,
        Change::AlterColumn { .. } => 17,
        Change::AddConstraint { .. } => 18,
        Change::DropConstraint { .. } => 19,
        Change::ValidateConstraint { .. } => 20,
        Change::AlterConstraint { .. } => 21,
        Change::CreateIndex { .. } => 22,
        Change::DropIndex { .. } => 23,
        Change::Rename { .. } => 24,
        Change::RenameIndex { .. } => 25,
        Change::AddConstraintUsingIndex { .. } => 26,
        Change::Backfill { .. } => 27,
        Change::CreateView { .. } => 28,
        Change::DropView { .. } => 29,
        Change::ReplaceView { .. } => 30,
        Change::CreateMaterializedView { .. } => 31,
        Change::DropMaterializedView { .. } => 32,
        Change::SetMaterializedViewOptions { .. } => 33,
        Change::SetOptions { .. } => 34,
        Change::SetPersistence { .. } => 35,
        Change::SetComment { .. } => 36,
        Change::CreateFunction { .. } => 37,
        Change::DropFunction { .. } => 38,
        Change::ReplaceFunction { .. } => 39,
        Change::CreateAggregate { .. } => 40,
        Change::DropAggregate { .. } => 41,
        Change::ReplaceAggregate { .. } => 42,
        Change::CreateTrigger { .. } => 43,
        Change::DropTrigger { .. } => 44,
        Change::ReplaceTrigger { .. } => 45,
        Change::SetTriggerEnabled { .. } => 46,
        Change::RunHook { .. } => 47,
        Change::UndoHook { .. } => 48,
        Change::Restore { .. } => 49,
        Change::CreateDomain { .. } => 50,
        Change::DropDomain { .. } => 51,
        Change::RebuildDomain { .. } => 52,
        Change::SetDomainDefault { .. } => 53,
        Change::SetDomainNotNull { .. } => 54,
        Change::AddDomainConstraint { .. } => 55,
        Change::DropDomainConstraint { .. } => 56,
        Change::ValidateDomainConstraint { .. } => 57,
        Change::CreateCompositeType { .. } => 58,
        Change::DropCompositeType { .. } => 59,
        Change::AddAttribute { .. } => 60,
        Change::DropAttribute { .. } => 61,
        Change::AlterAttributeType { .. } => 62,
        Change::CreatePolicy { .. } => 63,
        Change::DropPolicy { .. } => 64,
        Change::AlterPolicy { .. } => 65,
        Change::SetRowSecurity { .. } => 66,
        Change::SetGrants { .. } => 67,
        Change::SetOwner { .. } => 68,
        Change::SetDefaultPrivileges { .. } => 69,
        Change::AttachPartition { .. } => 70,
        Change::DetachPartition { .. } => 71,
        Change::CreateIndexOnly { .. } => 72,
        Change::AttachIndex { .. } => 73,
        Change::NameInheritedIndex { .. } => 74,
        Change::DropPartitionedIndex { .. } => 75,
        Change::CreateStatistics { .. } => 76,
        Change::DropStatistics { .. } => 77,
        Change::AlterStatistics { .. } => 78,
        Change::AlterColumnSettings { .. } => 79,
        Change::SetReplicaIdentity { .. } => 80,
    }
}

/// The variants no change of `covered` is of, by name (empty when every variant has a row).
pub fn missing<'a>(covered: impl IntoIterator<Item = &'a Change>) -> Vec<&'static str> {
    let mut seen = [false; VARIANTS.len()];
    for change in covered {
        let index = variant(change);
        // The match and the names must agree.
        let debug = format!("{change:?}");
        assert!(
            debug.starts_with(&format!("{} {{", VARIANTS[index])),
            "variant {index} is named {} but is {debug}",
            VARIANTS[index]
        );
        seen[index] = true;
    }
    VARIANTS
        .iter()
        .zip(seen)
        .filter(|(_, seen)| !seen)
        .map(|(name, _)| *name)
        .collect()
}

/// Asserts that every variant is among `covered`, naming the table that lacks rows.
pub fn assert_covers<'a>(table: &str, covered: impl IntoIterator<Item = &'a Change>) {
    let missing = missing(covered);
    assert!(
        missing.is_empty(),
        "the {table} table has no row for: {}",
        missing.join(", ")
    );
}
