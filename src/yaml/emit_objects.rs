//! `inspect`'s YAML of text search dictionaries and configurations (in their schema's
//! document), of publications (at the top level), of a table's NOT NULL constraints, and of
//! domains, collations, range types and aggregates.

use serde_yaml::Value;

use super::emit_values::{Map, names, obj_ref, options, s};
use crate::model::*;

/// Publications, each with the document of its first table's schema: tables as
/// `schema.table`, the actions only when not all four.
pub(super) fn publications(catalog: &Catalog, include: &impl Fn(&str) -> bool) -> Map {
    let mut out = Map::new();
    for (name, p) in &catalog.publications {
        if !p.tables.keys().next().is_some_and(|t| include(&t.schema)) {
            continue;
        }
        let mut tables = Map::new();
        for (t, published) in &p.tables {
            let mut tm = Map::new();
            if !published.columns.is_empty() {
                tm.put("columns", names(&published.columns));
            }
            tm.put_expr("where", &published.filter);
            let key = format!("{}.{}", t.schema, t.name);
            tables.put(
                &key,
                if tm.is_empty() {
                    Value::Null
                } else {
                    tm.done()
                },
            );
        }
        let mut pm = Map::new();
        pm.put("tables", tables.done());
        if p.publish != Publication::default().publish {
            pm.put("publish", names(&p.publish));
        }
        pm.flag("via_partition_root", p.via_partition_root);
        pm.put_opt("comment", &p.comment);
        out.put(name, pm.done());
    }
    out
}

/// A schema's text search dictionaries and configurations; a configuration's mappings in
/// full, and its parser only when it is not the default one.
pub(super) fn text_search(m: &mut Map, catalog: &Catalog, schema: &str) {
    let mut dictionaries = Map::new();
    for (q, d) in catalog.text_search_dictionaries.iter() {
        if q.schema == schema {
            let mut dm = Map::new();
            dm.put("template", s(&d.template));
            if !d.options.is_empty() {
                dm.put("options", options(&d.options));
            }
            dm.put_opt("comment", &d.comment);
            dictionaries.put(&q.name, dm.done());
        }
    }
    if !dictionaries.is_empty() {
        m.put("text_search_dictionaries", dictionaries.done());
    }
    let mut configurations = Map::new();
    for (q, c) in catalog.text_search_configurations.iter() {
        if q.schema == schema {
            let mut cm = Map::new();
            if c.parser != DEFAULT_TS_PARSER {
                cm.put("parser", s(&c.parser));
            }
            let mut mappings = Map::new();
            for (token, list) in &c.mappings {
                mappings.put(token, names(list));
            }
            cm.put("mappings", mappings.done());
            cm.put_opt("comment", &c.comment);
            configurations.put(&q.name, cm.done());
        }
    }
    if !configurations.is_empty() {
        m.put("text_search_configurations", configurations.done());
    }
}

/// PostgreSQL 18's NOT NULL constraints: `not_null_names` (those PostgreSQL would name
/// otherwise), `not_null_not_valid`, `not_null_no_inherit`.
pub(super) fn not_null_names(m: &mut Map, q: &QualName, catalog: &Catalog) {
    let mut pins = Map::new();
    for (column, name) in catalog.not_null_pins(q) {
        pins.put(&column, s(&name));
    }
    if !pins.is_empty() {
        m.put("not_null_names", pins.done());
    }
    let Some(t) = catalog.tables.get(q) else {
        return;
    };
    for (key, set) in [
        ("not_null_not_valid", &t.not_null_not_valid),
        ("not_null_no_inherit", &t.not_null_no_inherit),
    ] {
        if !set.is_empty() {
            m.put(key, names(&set.iter().cloned().collect::<Vec<_>>()));
        }
    }
}

pub(super) fn domain(d: &Domain) -> Value {
    let mut m = Map::new();
    m.put("type", s(&d.data_type));
    m.flag("not_null", d.not_null);
    m.put_expr("default", &d.default);
    if let Some(c) = &d.collation {
        m.put("collation", obj_ref(c));
    }
    if !d.constraints.is_empty() {
        let mut cons = Map::new();
        for (name, c) in &d.constraints {
            let mut cm = Map::new();
            cm.put("check", s(&c.expression.text));
            cm.flag("not_valid", !c.validated);
            cm.put_opt("comment", &c.comment);
            cons.put(name, cm.done());
        }
        m.put("constraints", cons.done());
    }
    m.put_opt("comment", &d.comment);
    m.done()
}

/// A libc collation whose two locales agree is written with `locale`.
pub(super) fn collation(c: &Collation) -> Value {
    let mut m = Map::new();
    if c.provider != "libc" {
        m.put("provider", s(&c.provider));
    }
    m.put_opt("locale", &c.locale);
    match (&c.lc_collate, &c.lc_ctype) {
        (Some(a), Some(b)) if a == b => m.put("locale", s(a)),
        (a, b) => {
            m.put_opt("lc_collate", a);
            m.put_opt("lc_ctype", b);
        }
    }
    if !c.deterministic {
        m.put("deterministic", Value::Bool(false));
    }
    m.done()
}

pub(super) fn range_type(r: &RangeType) -> Value {
    let mut m = Map::new();
    m.put("subtype", s(&r.subtype));
    if let Some(o) = &r.subtype_opclass {
        m.put("subtype_opclass", obj_ref(o));
    }
    if let Some(c) = &r.collation {
        m.put("collation", obj_ref(c));
    }
    m.put_opt("canonical", &r.canonical);
    m.put_opt("subtype_diff", &r.subtype_diff);
    m.put_opt("multirange_type_name", &r.multirange_type_name);
    m.done()
}

pub(super) fn aggregate(a: &Aggregate) -> Value {
    let mut m = Map::new();
    let modify = |x: Option<FinalModify>| x.map(|x| x.sql().to_ascii_lowercase());
    let space = |x: Option<i32>| x.map(|n| n.to_string());
    m.put("sfunc", s(&a.sfunc));
    m.put("stype", s(&a.stype));
    m.put_opt("sspace", &space(a.sspace));
    m.put_opt("finalfunc", &a.finalfunc);
    m.flag("finalfunc_extra", a.finalfunc_extra);
    m.put_opt("finalfunc_modify", &modify(a.finalfunc_modify));
    m.put_opt("combinefunc", &a.combinefunc);
    m.put_opt("serialfunc", &a.serialfunc);
    m.put_opt("deserialfunc", &a.deserialfunc);
    m.put_opt("initcond", &a.initcond);
    m.put_opt("msfunc", &a.msfunc);
    m.put_opt("minvfunc", &a.minvfunc);
    m.put_opt("mstype", &a.mstype);
    m.put_opt("msspace", &space(a.msspace));
    m.put_opt("mfinalfunc", &a.mfinalfunc);
    m.flag("mfinalfunc_extra", a.mfinalfunc_extra);
    m.put_opt("mfinalfunc_modify", &modify(a.mfinalfunc_modify));
    m.put_opt("minitcond", &a.minitcond);
    m.put_opt("sortop", &a.sortop);
    if a.parallel != Parallel::Unsafe {
        m.put("parallel", s(&a.parallel.sql().to_ascii_lowercase()));
    }
    m.flag("hypothetical", a.kind == AggregateKind::Hypothetical);
    m.put_opt("comment", &a.comment);
    m.done()
}
