//! Locks of changes to views and materialized views: what their queries read is opened while
//! they are created.

use crate::model::*;
use crate::plan::classify::lock_mode::LockMode::*;
use crate::plan::classify::relations::reads;

use super::lock_set::LockSet;

pub(super) fn create_view(set: &mut LockSet, name: &QualName) {
    read_by_view(set, name);
}

pub(super) fn replace_view(set: &mut LockSet, name: &QualName) {
    set.lock(name, AccessExclusive);
    read_by_view(set, name);
}

/// What a view's query reads is opened while it is created. On PostgreSQL 17 and later, from
/// the minor releases that lock what a dependency points at, that includes the composite types
/// whose fields it selects (observed on 17.11 and 18.6, not on 17.10 or 18.4).
fn read_by_view(set: &mut LockSet, name: &QualName) {
    let composite_types_too = set.current.server_version >= 170000
        && super::regclass::locks_dependencies(set.current.server_version);
    for q in reads(set.desired, name) {
        if composite_types_too && set.desired.composite_types.contains_key(&q) {
            set.lock_known(&q, AccessShare);
        } else {
            set.lock(&q, AccessShare);
        }
    }
}

/// Creating a materialized view reads what its query names; populating it plans the
/// query, which also reads the relations of the views it goes through (not those of
/// other materialized views, which are read like tables). Its indexes are built on the
/// new relation alone.
pub(super) fn create_materialized_view(
    set: &mut LockSet,
    name: &QualName,
    view: &MaterializedView,
) {
    let desired = set.desired;
    let mut read = reads(desired, name);
    if view.with_data {
        let mut pending = read.clone();
        while let Some(q) = pending.pop() {
            if desired.views.contains_key(&q) {
                for r in reads(desired, &q) {
                    if !read.contains(&r) {
                        read.push(r.clone());
                        pending.push(r);
                    }
                }
            }
        }
    }
    for q in read {
        set.lock(&q, AccessShare);
    }
}
