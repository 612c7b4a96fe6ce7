//! Locks of changes to types and sequences: a rebuilt enum or domain locks the tables whose
//! columns are cast, a new domain rule the tables it is checked against.

use crate::model::*;
use crate::plan::change::{EnumColumn, RebuiltDomain};
use crate::plan::classify::lock_mode::LockMode::*;
use crate::plan::classify::relations::domain_tables;

use super::lock_set::LockSet;

/// Every table with a column being cast to the rebuilt type.
pub(super) fn rebuild_enum(set: &mut LockSet, columns: &[EnumColumn]) {
    for c in columns {
        set.lock(&c.table, AccessExclusive);
    }
}

pub(super) fn rebuild_domain(set: &mut LockSet, domains: &[RebuiltDomain]) {
    for c in domains.iter().flat_map(|d| &d.columns) {
        set.lock(&c.table, AccessExclusive);
    }
}

pub(super) fn set_sequence_owner(set: &mut LockSet, name: &QualName, to: &Option<ColumnRef>) {
    set.lock(name, ShareRowExclusive);
    if let Some(owner) = to {
        set.lock(&owner.table, AccessShare);
    }
}

/// A new rule of a domain is checked against every table with a column of the domain (or of
/// a domain over it) under SHARE, which blocks writes for the length of the scan.
pub(super) fn check_domain_tables(set: &mut LockSet, name: &QualName) {
    for table in domain_tables(set.current)
        .into_iter()
        .chain(domain_tables(set.desired))
        .filter(|(d, _)| d == name)
        .map(|(_, t)| t)
    {
        set.lock(&table, Share);
    }
}
