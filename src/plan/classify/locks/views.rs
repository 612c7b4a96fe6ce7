//! Locks of changes to views and materialized views: what their queries read is opened while
//! they are created.

use crate::model::*;
use crate::plan::classify::lock_mode::LockMode::*;
use crate::plan::classify::relations::reads;

use super::lock_set::LockSet;

pub(super) fn create_view(set: &mut LockSet, name: &QualName) {
    for q in reads(set.desired, name) {
        set.lock(&q, AccessShare);
    }
}

pub(super) fn replace_view(set: &mut LockSet, name: &QualName) {
    set.lock(name, AccessExclusive);
    for q in reads(set.desired, name) {
        set.lock(&q, AccessShare);
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
