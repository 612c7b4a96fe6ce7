//! Locks of policies, row security and ownership. Policies and row security are table
//! definitions: ACCESS EXCLUSIVE on the table, and what a new expression reads is opened
//! (ACCESS SHARE) while it is parsed.

use crate::model::naming::identity_sequence_name;
use crate::model::*;
use crate::plan::classify::lock_mode::LockMode::*;
use crate::plan::classify::relations::policy_reads;

use super::lock_set::LockSet;

/// A policy created or altered; `roles_only`: an alteration that leaves its expressions as
/// they were, so nothing is parsed.
pub(super) fn create_or_alter_policy(
    set: &mut LockSet,
    table: &QualName,
    name: &str,
    roles_only: bool,
) {
    if !roles_only {
        for q in policy_reads(set.desired, table, name) {
            set.lock(&q, AccessShare);
        }
    }
    set.lock(table, AccessExclusive);
}

pub(super) fn set_owner(set: &mut LockSet, object: &SecuredObject) {
    match object {
        SecuredObject::Schema(_) => {}
        SecuredObject::Table(q) | SecuredObject::Column(q, _) => {
            // The table's sequences (serial and identity) change owner with it.
            set.lock(q, AccessExclusive);
            for (seq, s) in &set.current.sequences {
                if s.owned_by.as_ref().is_some_and(|o| o.table == *q) {
                    set.lock(seq, AccessExclusive);
                }
            }
            if let Some(t) = set.current.tables.get(q) {
                for c in &t.columns {
                    if let Some(seq) = identity_sequence_name(q, c) {
                        set.lock(&seq, AccessExclusive);
                    }
                }
            }
        }
        SecuredObject::View(q) | SecuredObject::Sequence(q) => set.lock(q, AccessExclusive),
        SecuredObject::Function(_) => {}
    }
}

/// `GRANT` and `REVOKE` lock nothing before PostgreSQL 18; from 18 on they take ACCESS SHARE on
/// the relation (observed on 18).
pub(super) fn set_grants(set: &mut LockSet, object: &SecuredObject) {
    if set.current.server_version < 180000 {
        return;
    }
    match object {
        SecuredObject::Table(q)
        | SecuredObject::Column(q, _)
        | SecuredObject::View(q)
        | SecuredObject::Sequence(q) => set.lock(q, AccessShare),
        SecuredObject::Schema(_) | SecuredObject::Function(_) => {}
    }
}
