//! Facts of data hooks and column backfills.

use crate::model::hook::{Dependency, Hook};
use crate::model::*;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

pub(super) fn run_hook(hook: &Hook, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    // It reads and writes what it depends on and its batch table: after they are
    // created, before they are dropped.
    let objects = hook
        .depends_on
        .iter()
        .filter_map(|d| match d {
            Dependency::Object(q) => Some(q),
            Dependency::Hook(_) => None,
        })
        .chain(hook.batch.iter().map(|b| &b.table));
    // What the database has is read as it is (a legacy table the contract phase
    // replaces by a view of its name); what it lacks is created first.
    for q in objects {
        let key = ObjKey::Relation(q.clone());
        if cur.model.tables.contains_key(q)
            || cur.model.views.contains_key(q)
            || cur.model.materialized_views.contains_key(q)
        {
            f.needs_old.push(key);
        } else {
            f.needs_new.push(key);
        }
    }
    f
}

pub(super) fn backfill(table: &QualName, column: &str) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Relation(table.clone()));
    f.needs_new
        .push(ObjKey::Column(table.clone(), column.to_string()));
    f
}
