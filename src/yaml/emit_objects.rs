//! `inspect`'s YAML of text search dictionaries and configurations (in their schema's
//! document), of publications (at the top level), and of a table's NOT NULL constraints.

use serde_yaml::Value;

use super::emit_values::{Map, names, options, s};
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
