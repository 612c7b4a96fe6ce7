//! Every variant of `Change`, by an exhaustive match: a new variant does not compile until it is
//! listed here, and then fails the coverage test of each table until the table has a row for it.

use crate::plan::change::Change;

/// The names of the variants, in declaration order: `VARIANTS[variant(c)]` names `c`'s.
pub const VARIANTS: [&str; 77] = [
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
        Change::CreateTrigger { .. } => 40,
        Change::DropTrigger { .. } => 41,
        Change::ReplaceTrigger { .. } => 42,
        Change::SetTriggerEnabled { .. } => 43,
        Change::RunHook { .. } => 44,
        Change::UndoHook { .. } => 45,
        Change::Restore { .. } => 46,
        Change::CreateDomain { .. } => 47,
        Change::DropDomain { .. } => 48,
        Change::RebuildDomain { .. } => 49,
        Change::SetDomainDefault { .. } => 50,
        Change::SetDomainNotNull { .. } => 51,
        Change::AddDomainConstraint { .. } => 52,
        Change::DropDomainConstraint { .. } => 53,
        Change::ValidateDomainConstraint { .. } => 54,
        Change::CreateCompositeType { .. } => 55,
        Change::DropCompositeType { .. } => 56,
        Change::AddAttribute { .. } => 57,
        Change::DropAttribute { .. } => 58,
        Change::AlterAttributeType { .. } => 59,
        Change::CreatePolicy { .. } => 60,
        Change::DropPolicy { .. } => 61,
        Change::AlterPolicy { .. } => 62,
        Change::SetRowSecurity { .. } => 63,
        Change::SetGrants { .. } => 64,
        Change::SetOwner { .. } => 65,
        Change::SetDefaultPrivileges { .. } => 66,
        Change::AttachPartition { .. } => 67,
        Change::DetachPartition { .. } => 68,
        Change::CreateIndexOnly { .. } => 69,
        Change::AttachIndex { .. } => 70,
        Change::NameInheritedIndex { .. } => 71,
        Change::DropPartitionedIndex { .. } => 72,
        Change::CreateStatistics { .. } => 73,
        Change::DropStatistics { .. } => 74,
        Change::AlterStatistics { .. } => 75,
        Change::AlterColumnSettings { .. } => 76,
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
