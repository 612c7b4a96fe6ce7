//! Facts of views and materialized views.

use crate::model::*;
use crate::plan::graph::keys::Facts;
use crate::plan::graph::structure::Structure;

fn view_column_keys(name: &QualName, view: &View) -> Vec<ObjKey> {
    let mut keys = vec![ObjKey::Relation(name.clone())];
    keys.extend(
        view.columns
            .iter()
            .map(|c| ObjKey::Column(name.clone(), c.name.clone())),
    );
    keys
}

/// The keys a materialized view consists of (itself, its columns, its indexes), and what they
/// need: what its query reads and what its indexes' expressions use.
fn materialized_view_keys(
    model: &Structure<'_>,
    name: &QualName,
    view: &MaterializedView,
) -> (Vec<ObjKey>, Vec<ObjKey>) {
    let mut keys = vec![ObjKey::Relation(name.clone())];
    keys.extend(
        view.columns
            .iter()
            .map(|c| ObjKey::Column(name.clone(), c.name.clone())),
    );
    let mut needs = model.view_deps(name);
    for iname in view.indexes.keys() {
        let index = ObjKey::Relation(QualName::new(name.schema.clone(), iname.clone()));
        needs.extend(model.recorded(&index));
        keys.push(index);
    }
    needs.retain(|k| !keys.contains(k));
    (keys, needs)
}

/// What a view needs, and the text search configurations its query names.
fn with_text_search(
    mut needs: Vec<ObjKey>,
    des: &Structure<'_>,
    name: &QualName,
    text: &str,
) -> Vec<ObjKey> {
    needs.extend(des.text_search_mentioned(&name.schema, text));
    needs
}

pub(super) fn create_view(name: &QualName, view: &View, des: &Structure<'_>) -> Facts {
    Facts {
        creates: view_column_keys(name, view),
        needs_new: with_text_search(des.view_deps(name), des, name, &view.definition.text),
        prefers_new: des.aggregates_mentioned(&name.schema, &view.definition.text),
        ..Facts::default()
    }
}

pub(super) fn drop_view(name: &QualName, view: &View, cur: &Structure<'_>) -> Facts {
    Facts {
        drops: view_column_keys(name, view),
        needs_old: cur.view_deps(name),
        ..Facts::default()
    }
}

pub(super) fn replace_view(
    name: &QualName,
    from: &View,
    to: &View,
    cur: &Structure<'_>,
    des: &Structure<'_>,
) -> Facts {
    let mut creates = view_column_keys(name, to);
    creates.remove(0);
    let mut drops = Vec::new();
    if to.columns.len() > from.columns.len() {
        // Its dependents are rebuilt around it (see diff), so that undoing it — a drop
        // and create — is not blocked by them.
        drops = view_column_keys(name, from);
        drops.remove(0);
    }
    let mut needs_old = cur.view_deps(name);
    needs_old.retain(|k| *k != ObjKey::Schema(name.schema.clone()));
    Facts {
        creates,
        drops,
        needs_new: with_text_search(des.view_deps(name), des, name, &to.definition.text),
        needs_old,
        prefers_new: des.aggregates_mentioned(&name.schema, &to.definition.text),
        ..Facts::default()
    }
}

pub(super) fn create_materialized_view(
    name: &QualName,
    view: &MaterializedView,
    des: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    (f.creates, f.needs_new) = materialized_view_keys(des, name, view);
    f.needs_new
        .extend(des.text_search_mentioned(&name.schema, &view.definition.text));
    f.prefers_new = des.aggregates_mentioned(&name.schema, &view.definition.text);
    f
}

pub(super) fn drop_materialized_view(
    name: &QualName,
    view: &MaterializedView,
    cur: &Structure<'_>,
) -> Facts {
    let mut f = Facts::default();
    (f.drops, f.needs_old) = materialized_view_keys(cur, name, view);
    f
}

pub(super) fn set_materialized_view_options(name: &QualName) -> Facts {
    let mut f = Facts::default();
    f.needs_new.push(ObjKey::Relation(name.clone()));
    f
}
