//! The YAML values `inspect` writes: strings, lists of names, mappings that leave empty
//! values out.

use serde_yaml::{Mapping, Value};

use crate::model::{Expr, IndexExpr, IndexKey, ObjRef};

pub(super) fn s(text: &str) -> Value {
    Value::String(text.to_string())
}

pub(super) fn names(list: &[String]) -> Value {
    Value::Sequence(list.iter().map(|n| s(n)).collect())
}

pub(super) struct Map(pub(super) Mapping);

impl Map {
    pub(super) fn new() -> Self {
        Map(Mapping::new())
    }
    pub(super) fn put(&mut self, key: &str, value: Value) {
        self.0.insert(s(key), value);
    }
    pub(super) fn put_opt(&mut self, key: &str, value: &Option<String>) {
        if let Some(v) = value {
            self.put(key, s(v));
        }
    }
    pub(super) fn put_expr(&mut self, key: &str, value: &Option<Expr>) {
        if let Some(v) = value {
            self.put(key, s(&v.text));
        }
    }
    pub(super) fn flag(&mut self, key: &str, value: bool) {
        if value {
            self.put(key, Value::Bool(true));
        }
    }
    pub(super) fn done(self) -> Value {
        Value::Mapping(self.0)
    }
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

pub(super) fn options<'a>(o: impl IntoIterator<Item = (&'a String, &'a String)>) -> Value {
    let mut m = Map::new();
    for (k, v) in o {
        m.put(k, s(v));
    }
    m.done()
}

pub(super) fn obj_ref(r: &ObjRef) -> Value {
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

/// An index key (or an exclusion constraint's element) as a mapping.
pub(super) fn index_key_map(k: &IndexKey) -> Map {
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
