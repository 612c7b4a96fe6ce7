//! A table's constraints as `inspect` writes them: `primary_key`, `unique`, `checks`,
//! `foreign_keys` and `exclude`, each in its shortest form that loads back to the same model.

use serde_yaml::Value;

use super::emit_values::{Map, index_key_map, names, s};
use crate::model::*;

pub(super) fn put_constraints(m: &mut Map, q: &QualName, t: &Table) {
    let mut unique = Map::new();
    let mut checks = Map::new();
    let mut fks = Map::new();
    let mut exclude = Map::new();
    for (name, con) in &t.constraints {
        let deferral = |cm: &mut Map| {
            cm.flag("deferrable", con.deferrable && !con.initially_deferred);
            cm.flag("initially_deferred", con.initially_deferred);
        };
        match &con.kind {
            ConstraintKind::PrimaryKey {
                columns,
                include,
                without_overlaps,
            } => {
                let plain = *name == crate::model::naming::default_primary_key_name(&q.name)
                    && include.is_empty()
                    && !without_overlaps
                    && !con.deferrable
                    && !con.only
                    && con.comment.is_none();
                if plain {
                    m.put("primary_key", names(columns));
                } else {
                    let mut pm = Map::new();
                    pm.put("name", s(name));
                    pm.put("columns", names(columns));
                    if !include.is_empty() {
                        pm.put("include", names(include));
                    }
                    put_last_column(&mut pm, "without_overlaps", *without_overlaps, columns);
                    deferral(&mut pm);
                    pm.flag("only", con.only);
                    pm.put_opt("comment", &con.comment);
                    m.put("primary_key", pm.done());
                }
            }
            ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
                without_overlaps,
            } => {
                if include.is_empty()
                    && !nulls_not_distinct
                    && !without_overlaps
                    && !con.deferrable
                    && !con.only
                    && con.comment.is_none()
                {
                    unique.put(name, names(columns));
                } else {
                    let mut um = Map::new();
                    um.put("columns", names(columns));
                    if !include.is_empty() {
                        um.put("include", names(include));
                    }
                    um.flag("nulls_not_distinct", *nulls_not_distinct);
                    put_last_column(&mut um, "without_overlaps", *without_overlaps, columns);
                    deferral(&mut um);
                    um.flag("only", con.only);
                    um.put_opt("comment", &con.comment);
                    unique.put(name, um.done());
                }
            }
            ConstraintKind::Check {
                expression,
                no_inherit,
            } => {
                if !no_inherit && con.validated && con.enforced && con.comment.is_none() {
                    checks.put(name, s(&expression.text));
                } else {
                    let mut cm = Map::new();
                    cm.put("expression", s(&expression.text));
                    cm.flag("no_inherit", *no_inherit);
                    cm.flag("not_valid", !con.validated);
                    put_enforced(&mut cm, con);
                    cm.put_opt("comment", &con.comment);
                    checks.put(name, cm.done());
                }
            }
            ConstraintKind::ForeignKey(fk) => {
                let mut fm = Map::new();
                fm.put("columns", names(&fk.columns));
                let mut rm = Map::new();
                if fk.ref_table.schema != q.schema {
                    rm.put("schema", s(&fk.ref_table.schema));
                }
                rm.put("table", s(&fk.ref_table.name));
                rm.put("columns", names(&fk.ref_columns));
                fm.put("references", rm.done());
                if fk.on_delete != FkAction::NoAction {
                    fm.put("on_delete", s(fk.on_delete.yaml()));
                }
                if !fk.on_delete_columns.is_empty() {
                    fm.put("on_delete_columns", names(&fk.on_delete_columns));
                }
                if fk.on_update != FkAction::NoAction {
                    fm.put("on_update", s(fk.on_update.yaml()));
                }
                if fk.match_full {
                    fm.put("match", s("full"));
                }
                put_last_column(&mut fm, "period", fk.period, &fk.columns);
                deferral(&mut fm);
                fm.flag("not_valid", !con.validated);
                put_enforced(&mut fm, con);
                fm.put_opt("comment", &con.comment);
                fks.put(name, fm.done());
            }
            ConstraintKind::Exclude(x) => {
                let mut xm = Map::new();
                if x.method != "gist" {
                    xm.put("using", s(&x.method));
                }
                let elements: Vec<Value> = x
                    .elements
                    .iter()
                    .map(|e| {
                        let mut em = index_key_map(&e.key);
                        em.put("with", s(&e.operator));
                        em.done()
                    })
                    .collect();
                xm.put("elements", Value::Sequence(elements));
                if !x.include.is_empty() {
                    xm.put("include", names(&x.include));
                }
                xm.put_expr("where", &x.predicate);
                deferral(&mut xm);
                xm.put_opt("comment", &con.comment);
                exclude.put(name, xm.done());
            }
        }
    }
    if !unique.is_empty() {
        m.put("unique", unique.done());
    }
    if !checks.is_empty() {
        m.put("checks", checks.done());
    }
    if !fks.is_empty() {
        m.put("foreign_keys", fks.done());
    }
    if !exclude.is_empty() {
        m.put("exclude", exclude.done());
    }
}

/// `without_overlaps: valid_at` or `period: valid_at`: the last column, when the key or foreign
/// key is temporal.
fn put_last_column(m: &mut Map, key: &str, temporal: bool, columns: &[String]) {
    if let (true, Some(last)) = (temporal, columns.last()) {
        m.put(key, s(last));
    }
}

/// `enforced: false`, written only for a constraint not enforced (PostgreSQL 18).
fn put_enforced(m: &mut Map, con: &Constraint) {
    if !con.enforced {
        m.put("enforced", Value::Bool(false));
    }
}
