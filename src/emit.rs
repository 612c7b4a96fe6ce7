//! Model → desired-state YAML (what `inspect` writes). The output loads back into the same model,
//! so `plan` against the inspected database is empty. Values PostgreSQL would fill in by itself
//! (default sequence options, default names) are left out to keep the files readable.

use serde_yaml::{Mapping, Value};

use crate::model::*;

fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

fn names(list: &[String]) -> Value {
    Value::Sequence(list.iter().map(|n| s(n)).collect())
}

struct Map(Mapping);

impl Map {
    fn new() -> Self {
        Map(Mapping::new())
    }
    fn put(&mut self, key: &str, value: Value) {
        self.0.insert(s(key), value);
    }
    fn put_opt(&mut self, key: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.put(key, s(v));
        }
    }
    fn put_expr(&mut self, key: &str, value: &Option<Expr>) {
        if let Some(v) = value {
            self.put(key, s(&v.text));
        }
    }
    fn flag(&mut self, key: &str, value: bool) {
        if value {
            self.put(key, Value::Bool(true));
        }
    }
    fn done(self) -> Value {
        Value::Mapping(self.0)
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

fn obj_ref(r: &ObjRef) -> Value {
    match r.schema.as_deref() {
        None | Some("pg_catalog") => s(&r.name),
        Some(schema) => {
            let mut m = Map::new();
            m.put("schema", s(schema));
            m.put("name", s(&r.name));
            m.done()
        }
    }
}

fn options(o: &std::collections::BTreeMap<String, String>) -> Value {
    let mut m = Map::new();
    for (k, v) in o {
        m.put(k, s(v));
    }
    m.done()
}

/// Sequence options that differ from PostgreSQL's defaults for the given type.
fn sequence_options(m: &mut Map, o: &SequenceOptions, data_type: Option<&str>) {
    let defaults = crate::render::default_sequence_options(data_type, o.increment.unwrap_or(1));
    for (key, value, default) in [
        ("start", o.start, defaults.start),
        ("increment", o.increment, defaults.increment),
        ("min", o.min_value, defaults.min_value),
        ("max", o.max_value, defaults.max_value),
        ("cache", o.cache, defaults.cache),
    ] {
        if let Some(v) = value {
            if Some(v) != default {
                m.put(key, Value::Number(v.into()));
            }
        }
    }
    if o.cycle == Some(true) {
        m.put("cycle", Value::Bool(true));
    }
}

/// The whole model as one YAML document.
pub fn to_yaml(catalog: &Catalog) -> String {
    document(catalog, |_| true)
}

/// One document per schema (for `inspect --output DIR`), extensions going with their schema.
pub fn per_schema(catalog: &Catalog) -> Vec<(String, String)> {
    catalog
        .schema_names()
        .into_iter()
        .map(|schema| {
            let text = document(catalog, |s| s == schema);
            (schema, text)
        })
        .collect()
}

fn document(catalog: &Catalog, include: impl Fn(&str) -> bool) -> String {
    let mut root = Map::new();
    let mut exts = Map::new();
    for (name, e) in &catalog.extensions {
        // Extensions in schemas that are not part of the model (pg_catalog's plpgsql) stay out.
        let schema = e.schema.as_deref().unwrap_or("public");
        if !catalog.schemas.contains_key(schema) || !include(schema) {
            continue;
        }
        let mut m = Map::new();
        m.put_opt("schema", &e.schema);
        m.put_opt("version", &e.version);
        exts.put(name, if m.is_empty() { Value::Null } else { m.done() });
    }
    if !exts.is_empty() {
        root.put("extensions", exts.done());
    }
    let mut schemas = Map::new();
    for name in catalog.schema_names() {
        if include(&name) {
            schemas.put(&name, schema(catalog, &name));
        }
    }
    root.put("schemas", schemas.done());
    let body = serde_yaml::to_string(&root.done()).expect("YAML values always serialize");
    format!("# Desired state written by `schemaplan inspect`.\n{body}")
}

fn schema(catalog: &Catalog, name: &str) -> Value {
    let mut m = Map::new();
    if let Some(sch) = catalog.schemas.get(name) {
        m.put_opt("comment", &sch.comment);
    }
    let in_schema = |q: &QualName| q.schema == name;

    let mut enums = Map::new();
    for (q, e) in catalog.enums.iter().filter(|(q, _)| in_schema(q)) {
        let values = names(&e.values);
        enums.put(
            &q.name,
            match &e.comment {
                None => values,
                Some(c) => {
                    let mut em = Map::new();
                    em.put("values", values);
                    em.put("comment", s(c));
                    em.done()
                }
            },
        );
    }
    if !enums.is_empty() {
        m.put("enums", enums.done());
    }

    let mut seqs = Map::new();
    for (q, seq) in catalog.sequences.iter().filter(|(q, _)| in_schema(q)) {
        let mut sm = Map::new();
        let data_type = seq.options.data_type.as_deref();
        if let Some(t) = data_type {
            if t != "bigint" {
                sm.put("type", s(t));
            }
        }
        sequence_options(&mut sm, &seq.options, data_type);
        if let Some(owner) = &seq.owned_by {
            let mut om = Map::new();
            if owner.table.schema != q.schema {
                om.put("schema", s(&owner.table.schema));
            }
            om.put("table", s(&owner.table.name));
            om.put("column", s(&owner.column));
            sm.put("owned_by", om.done());
        }
        sm.flag("unlogged", seq.unlogged);
        sm.put_opt("comment", &seq.comment);
        seqs.put(&q.name, sm.done());
    }
    if !seqs.is_empty() {
        m.put("sequences", seqs.done());
    }

    let mut tables = Map::new();
    for (q, t) in catalog.tables.iter().filter(|(q, _)| in_schema(q)) {
        tables.put(&q.name, table(q, t));
    }
    if !tables.is_empty() {
        m.put("tables", tables.done());
    }

    let mut views = Map::new();
    for (q, v) in catalog.views.iter().filter(|(q, _)| in_schema(q)) {
        let mut vm = Map::new();
        vm.put("definition", s(&v.definition.text));
        if !v.options.is_empty() {
            vm.put("options", options(&v.options));
        }
        vm.put_opt("comment", &v.comment);
        if !v.column_comments.is_empty() {
            vm.put("column_comments", options(&v.column_comments));
        }
        views.put(&q.name, vm.done());
    }
    if !views.is_empty() {
        m.put("views", views.done());
    }
    if m.is_empty() { Value::Null } else { m.done() }
}

fn table(q: &QualName, t: &Table) -> Value {
    let mut m = Map::new();
    match &t.partition_of {
        // A partition's columns, and what it has from its parent, are the parent's.
        Some(p) => partition_of(&mut m, q, p),
        None => {
            let mut cols = Map::new();
            for c in &t.columns {
                cols.put(&c.name, column(&q.name, c));
            }
            m.put("columns", cols.done());
        }
    }
    m.put_opt("partition_by", &t.partition_by);

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
            ConstraintKind::PrimaryKey { columns, include } => {
                let plain = *name == crate::load::default_primary_key_name(&q.name)
                    && include.is_empty()
                    && !con.deferrable
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
                    deferral(&mut pm);
                    pm.put_opt("comment", &con.comment);
                    m.put("primary_key", pm.done());
                }
            }
            ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
            } => {
                if include.is_empty()
                    && !nulls_not_distinct
                    && !con.deferrable
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
                    deferral(&mut um);
                    um.put_opt("comment", &con.comment);
                    unique.put(name, um.done());
                }
            }
            ConstraintKind::Check {
                expression,
                no_inherit,
            } => {
                if !no_inherit && con.validated && con.comment.is_none() {
                    checks.put(name, s(&expression.text));
                } else {
                    let mut cm = Map::new();
                    cm.put("expression", s(&expression.text));
                    cm.flag("no_inherit", *no_inherit);
                    cm.flag("not_valid", !con.validated);
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
                deferral(&mut fm);
                fm.flag("not_valid", !con.validated);
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

    let mut indexes = Map::new();
    for (name, index) in &t.indexes {
        indexes.put(name, index_value(index));
    }
    if !indexes.is_empty() {
        m.put("indexes", indexes.done());
    }
    if !t.options.is_empty() {
        m.put("options", options(&t.options));
    }
    m.flag("unlogged", t.unlogged);
    m.put_opt("comment", &t.comment);
    m.done()
}

/// `partition_of: parent` (or `{ schema, table }` in another schema) and `bounds`.
fn partition_of(m: &mut Map, q: &QualName, p: &PartitionOf) {
    if p.parent.schema == q.schema {
        m.put("partition_of", s(&p.parent.name));
    } else {
        let mut pm = Map::new();
        pm.put("schema", s(&p.parent.schema));
        pm.put("table", s(&p.parent.name));
        m.put("partition_of", pm.done());
    }
    m.put("bounds", s(&p.bounds));
}

fn column(table: &str, c: &Column) -> Value {
    let mut m = Map::new();
    m.put("type", s(&c.data_type));
    m.flag("not_null", c.not_null);
    m.put_expr("default", &c.default);
    if let Some(identity) = &c.identity {
        let mut im = Map::new();
        if let Some(seq) = &identity.sequence {
            if *seq != crate::load::default_object_name(table, Some(&c.name), "seq") {
                im.put("sequence", s(seq));
            }
        }
        sequence_options(&mut im, &identity.options, Some(&c.data_type));
        let kind = if identity.always {
            "always"
        } else {
            "by default"
        };
        if im.is_empty() {
            m.put("identity", s(kind));
        } else {
            let mut full = Map::new();
            full.put("generated", s(kind));
            for (k, v) in im.0 {
                full.0.insert(k, v);
            }
            m.put("identity", full.done());
        }
    }
    m.put_expr("generated", &c.generated);
    if let Some(coll) = &c.collation {
        m.put("collation", obj_ref(coll));
    }
    m.put_opt("comment", &c.comment);
    if m.0.len() == 1 {
        // Only the type: `title: text`.
        return s(&c.data_type);
    }
    m.done()
}

/// The mapping form of an index key (or exclusion element): `column` or `expression`, and the
/// options that differ from the defaults.
fn index_key_map(k: &IndexKey) -> Map {
    let mut km = Map::new();
    match &k.expr {
        IndexExpr::Column(c) => km.put("column", s(c)),
        IndexExpr::Expression(e) => km.put("expression", s(&e.text)),
    }
    if k.descending {
        km.put("order", s("desc"));
    }
    if k.nulls_first != k.descending {
        km.put("nulls", s(if k.nulls_first { "first" } else { "last" }));
    }
    if let Some(o) = &k.opclass {
        km.put("opclass", obj_ref(o));
    }
    if let Some(c) = &k.collation {
        km.put("collation", obj_ref(c));
    }
    km
}

fn index_value(index: &Index) -> Value {
    let mut m = Map::new();
    let keys: Vec<Value> = index
        .keys
        .iter()
        .map(|k| {
            let plain =
                k.opclass.is_none() && k.collation.is_none() && !k.descending && !k.nulls_first;
            match (&k.expr, plain) {
                (IndexExpr::Column(c), true) => s(c),
                _ => index_key_map(k).done(),
            }
        })
        .collect();
    m.put("columns", Value::Sequence(keys));
    m.flag("unique", index.unique);
    if index.method != "btree" {
        m.put("method", s(&index.method));
    }
    if !index.include.is_empty() {
        m.put("include", names(&index.include));
    }
    m.put_expr("where", &index.predicate);
    m.flag("nulls_not_distinct", index.nulls_not_distinct);
    if !index.options.is_empty() {
        m.put("options", options(&index.options));
    }
    m.put_opt("comment", &index.comment);
    m.done()
}
