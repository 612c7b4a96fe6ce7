//! Facts of functions and triggers.

use crate::model::*;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

pub(super) fn create_function(id: &FunctionId, def: &Function, des: &Structure<'_>) -> Facts {
    create_routine(id, des, des.function_mentions(id, def))
}

pub(super) fn replace_function(
    id: &FunctionId,
    from: &Function,
    to: &Function,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = replace_routine(id, cur, des, des.function_mentions(id, to));
    f.prefers_old = cur.function_mentions(id, from);
    f
}

/// A function dropped: as any routine, and preferably before what its body names goes, so that
/// the way back (which creates it again, and checks its body) finds them there.
pub(super) fn drop_function(id: &FunctionId, def: &Function, cur: &Structure<'_>) -> Facts {
    let mut f = drop_routine(id, cur);
    f.prefers_old = cur.function_mentions(id, def);
    f
}

/// A function, procedure or aggregate dropped: all three are `ObjKey::Function`s.
pub(super) fn drop_routine(id: &FunctionId, cur: &Structure<'_>) -> Facts {
    let mut f = Facts::default();
    f.drops.push(ObjKey::Function(id.clone()));
    f.needs_old.push(ObjKey::Schema(id.name.schema.clone()));
    f.needs_old
        .extend(cur.recorded(&ObjKey::Function(id.clone())));
    f
}

/// An aggregate needs its support functions and state types (recorded in `pg_depend`; from
/// YAML, resolved by name as preferences); what calls it needs it in turn.
pub(super) fn create_aggregate(id: &FunctionId, def: &Aggregate, des: &Structure<'_>) -> Facts {
    create_routine(id, des, des.aggregate_mentions(id, def))
}

pub(super) fn replace_aggregate(
    id: &FunctionId,
    to: &Aggregate,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    replace_routine(id, cur, des, des.aggregate_mentions(id, to))
}

/// What a new function or aggregate needs: its schema, what `pg_depend` records, and (from
/// YAML) what its text names, as preferences.
fn create_routine(id: &FunctionId, des: &Structure<'_>, mentions: Vec<ObjKey>) -> Facts {
    let mut f = Facts::default();
    f.creates.push(ObjKey::Function(id.clone()));
    f.needs_new.push(ObjKey::Schema(id.name.schema.clone()));
    f.needs_new
        .extend(des.recorded(&ObjKey::Function(id.clone())));
    f.prefers_new = with_columns(mentions, des);
    f
}

/// What a body names, and the columns of the tables among them: a body that reads a column
/// added (or retyped) in the same plan is checked after it.
fn with_columns(mentions: Vec<ObjKey>, des: &Structure<'_>) -> Vec<ObjKey> {
    let mut out = Vec::with_capacity(mentions.len());
    for key in mentions {
        if let ObjKey::Relation(q) = &key {
            if let Some(t) = des.model.tables.get(q) {
                out.extend(
                    t.columns
                        .iter()
                        .map(|c| ObjKey::Column(q.clone(), c.name.clone())),
                );
            }
        }
        out.push(key);
    }
    out
}

fn replace_routine(
    id: &FunctionId,
    cur: &Structure<'_>,
    des: &Structure<'_>,
    mentions: Vec<ObjKey>,
) -> Facts {
    let mut f = Facts::default();
    f.needs_new
        .extend(des.recorded(&ObjKey::Function(id.clone())));
    f.needs_old
        .extend(cur.recorded(&ObjKey::Function(id.clone())));
    f.prefers_new = with_columns(mentions, des);
    f
}

pub(super) fn create_trigger(
    table: &QualName,
    name: &str,
    trigger: &Trigger,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.creates
        .push(ObjKey::Trigger(table.clone(), name.to_string()));
    f.needs_new = des.trigger_deps(table, name, trigger);
    // A partition has a clone of each of its parent's row triggers, under the same name, until
    // it is detached (which drops the clones): the table's own trigger of that name comes
    // after the detach (and going back, goes before the attach clones the parent's again).
    let parent = cur
        .model
        .tables
        .get(table)
        .and_then(|t| t.partition_of.as_ref())
        .and_then(|p| cur.model.tables.get(&p.parent));
    if parent.is_some_and(|p| p.triggers.contains_key(name)) {
        f.needs_gone.push(ObjKey::Partition(table.clone()));
    }
    f
}

pub(super) fn drop_trigger(
    table: &QualName,
    name: &str,
    trigger: &Trigger,
    cur: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    f.drops
        .push(ObjKey::Trigger(table.clone(), name.to_string()));
    f.needs_old = cur.trigger_deps(table, name, trigger);
    f
}

pub(super) fn replace_trigger(
    table: &QualName,
    name: &str,
    from: &Trigger,
    to: &Trigger,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut needs_old = cur.trigger_deps(table, name, from);
    needs_old.retain(|k| *k != ObjKey::Relation(table.clone()));
    Facts {
        needs_new: des.trigger_deps(table, name, to),
        needs_old,
        ..Facts::default()
    }
}

pub(super) fn set_trigger_enabled(table: &QualName, name: &str) -> Facts {
    let mut f = Facts::default();
    f.needs_new
        .push(ObjKey::Trigger(table.clone(), name.to_string()));
    f
}
