//! Model → desired-state YAML (what `inspect` writes). The output loads back into the same model,
//! so `plan` against the inspected database is empty. Values PostgreSQL would fill in by itself
//! (default sequence options, default names) are left out to keep the files readable.

use serde_yaml::Value;

use super::emit_constraints::put_constraints;
use super::emit_objects::{
    aggregate, collation, domain, not_null_names, publications, range_type, text_search,
};
use super::emit_values::{Map, index_key_map, names, obj_ref, options, s};
use crate::model::*;

/// Sequence options that differ from PostgreSQL's defaults for the given type.
fn sequence_options(m: &mut Map, o: &SequenceOptions, data_type: Option<&str>) {
    let defaults =
        crate::plan::render::default_sequence_options(data_type, o.increment.unwrap_or(1));
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

/// The first line of every document `inspect` writes (the second of a file it writes, after
/// `schema_line`): how `inspect --output DIR` knows the files it may replace or remove.
pub const INSPECT_HEADER: &str = "# Desired state written by `schemaplan inspect`.";

/// The first line of every file `inspect --output` writes: a YAML language server (VS Code's
/// YAML extension, …) checks and completes the file against the JSON Schema `inspect` writes
/// beside it, under this relative name. A YAML comment: the loader reads past it.
pub fn schema_line() -> String {
    format!(
        "# yaml-language-server: $schema={}",
        super::jsonschema::FILE_NAME
    )
}

/// A document of `to_yaml` or `per_schema` as `inspect` writes it to a file: `schema_line`
/// first.
pub fn for_file(document: &str) -> String {
    format!("{}\n{document}", schema_line())
}

/// Whether `text` is a file `inspect` wrote: `INSPECT_HEADER` first, or after a
/// `# yaml-language-server:` line (what `for_file` writes; older versions wrote none).
pub fn written_by_inspect(text: &str) -> bool {
    let rest = match text.split_once('\n') {
        Some((first, rest)) if first.starts_with("# yaml-language-server:") => rest,
        _ => text,
    };
    rest.starts_with(INSPECT_HEADER)
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
    // A catalog read off a database speaks for every role: a copy of it is a copy of its
    // privileges, grants the target has and it has not are revoked (superusers aside).
    if catalog.every_role {
        root.put("roles", s(crate::yaml::lower::EVERY_ROLE));
    } else if !catalog.roles.is_empty() {
        root.put(
            "roles",
            Value::Sequence(catalog.roles.iter().map(|r| s(r)).collect()),
        );
    }
    // Default privileges for all schemas go with the first schema's document.
    let first = catalog
        .schema_names()
        .into_iter()
        .next()
        .unwrap_or_default();
    let defaults = default_privileges(catalog, |schema| include(schema.unwrap_or(&first)));
    if !defaults.is_empty() {
        root.put("default_privileges", Value::Sequence(defaults));
    }
    let publications = publications(catalog, &include);
    if !publications.is_empty() {
        root.put("publications", publications.done());
    }
    let schemas = catalog
        .schema_names()
        .into_iter()
        .filter(|name| include(name))
        .map(|name| schema(catalog, name))
        .collect();
    let mut out = format!("{INSPECT_HEADER}\n").into_bytes();
    let document = Document {
        root,
        schemas: Schemas(schemas),
    };
    serde_yaml::to_writer(&mut out, &document).expect("YAML values always serialize");
    String::from_utf8(out).expect("serde_yaml writes UTF-8")
}

/// The root mapping of a document: `root`'s entries, then `schemas:`. Serialized as it is
/// written rather than built as one `Value` first: a schema's tables are the bulk of a
/// document, and each becomes a `Value` only while it is written (a `Value` of 10,000 tables
/// took 140 MB). Every mapping says its length as `Value`'s does, so the YAML is the same
/// byte for byte.
struct Document<'a> {
    root: Map,
    schemas: Schemas<'a>,
}

impl serde::Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.root.0.len() + 1))?;
        for (key, value) in &self.root.0 {
            map.serialize_entry(key, value)?;
        }
        map.serialize_entry("schemas", &self.schemas)?;
        map.end()
    }
}

struct Schemas<'a>(Vec<(String, SchemaBody<'a>)>);

impl serde::Serialize for Schemas<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, body) in &self.0 {
            map.serialize_entry(name, body)?;
        }
        map.end()
    }
}

/// What a schema's mapping holds: the kinds before `tables:`, its tables (each made a `Value`
/// when it is written), the kinds after.
struct SchemaBody<'a> {
    before: Map,
    tables: Tables<'a>,
    after: Map,
}

impl serde::Serialize for SchemaBody<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let has_tables = !self.tables.0.is_empty();
        let len = self.before.0.len() + usize::from(has_tables) + self.after.0.len();
        if len == 0 {
            return serializer.serialize_unit();
        }
        let mut map = serializer.serialize_map(Some(len))?;
        for (key, value) in &self.before.0 {
            map.serialize_entry(key, value)?;
        }
        if has_tables {
            map.serialize_entry("tables", &self.tables)?;
        }
        for (key, value) in &self.after.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

struct Tables<'a>(Vec<(&'a QualName, &'a Table)>, &'a Catalog);

impl serde::Serialize for Tables<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (q, t) in &self.0 {
            map.serialize_entry(&q.name, &table(q, t, self.1))?;
        }
        map.end()
    }
}

fn schema(catalog: &Catalog, name: String) -> (String, SchemaBody<'_>) {
    let mut m = Map::new();
    if let Some(sch) = catalog.schemas.get(&name) {
        m.put_opt("comment", &sch.comment);
        put_grants(&mut m, &sch.grants, &catalog.roles);
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

    let mut domains = Map::new();
    for (q, d) in catalog.domains.iter().filter(|(q, _)| in_schema(q)) {
        domains.put(&q.name, domain(d));
    }
    if !domains.is_empty() {
        m.put("domains", domains.done());
    }

    let mut composites = Map::new();
    for (q, t) in catalog.composite_types.iter().filter(|(q, _)| in_schema(q)) {
        let mut attributes = Map::new();
        for a in &t.attributes {
            let value = if a.collation.is_none() && a.comment.is_none() {
                s(&a.data_type)
            } else {
                let mut am = Map::new();
                am.put("type", s(&a.data_type));
                if let Some(c) = &a.collation {
                    am.put("collation", obj_ref(c));
                }
                am.put_opt("comment", &a.comment);
                am.done()
            };
            attributes.put(&a.name, value);
        }
        let mut tm = Map::new();
        tm.put("attributes", attributes.done());
        tm.put_opt("comment", &t.comment);
        composites.put(&q.name, tm.done());
    }
    if !composites.is_empty() {
        m.put("composite_types", composites.done());
    }

    let mut collations = Map::new();
    for (q, c) in catalog.collations.iter().filter(|(q, _)| in_schema(q)) {
        collations.put(&q.name, collation(c));
    }
    if !collations.is_empty() {
        m.put("collations", collations.done());
    }
    let mut ranges = Map::new();
    for (q, r) in catalog.range_types.iter().filter(|(q, _)| in_schema(q)) {
        ranges.put(&q.name, range_type(r));
    }
    if !ranges.is_empty() {
        m.put("range_types", ranges.done());
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
        put_grants(&mut sm, &seq.grants, &catalog.roles);
        seqs.put(&q.name, sm.done());
    }
    if !seqs.is_empty() {
        m.put("sequences", seqs.done());
    }

    let before = std::mem::replace(&mut m, Map::new());
    let tables = Tables(
        catalog
            .tables
            .iter()
            .filter(|(q, _)| in_schema(q))
            .collect(),
        catalog,
    );

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
        put_grants(&mut vm, &v.grants, &catalog.roles);
        let mut triggers = Map::new();
        for (name, tr) in &v.triggers {
            triggers.put(name, trigger(q, tr));
        }
        if !triggers.is_empty() {
            vm.put("triggers", triggers.done());
        }
        views.put(&q.name, vm.done());
    }
    if !views.is_empty() {
        m.put("views", views.done());
    }

    for (key, kind) in [
        ("functions", RoutineKind::Function),
        ("procedures", RoutineKind::Procedure),
    ] {
        let mut routines = Map::new();
        let in_kind: Vec<(&FunctionId, &Function)> = catalog
            .functions
            .iter()
            .filter(|(id, f)| in_schema(&id.name) && f.kind == kind)
            .collect();
        for (id, f) in &in_kind {
            // Overloads are told apart by their argument types in the key.
            let overloaded = in_kind.iter().filter(|(o, _)| o.name == id.name).count() > 1;
            let label = if overloaded {
                format!("{}({})", id.name.name, id.args)
            } else {
                id.name.name.clone()
            };
            routines.put(&label, function(f, &catalog.roles));
        }
        if !routines.is_empty() {
            m.put(key, routines.done());
        }
    }

    let mut aggregates = Map::new();
    for (id, a) in catalog
        .aggregates
        .iter()
        .filter(|(id, _)| in_schema(&id.name))
    {
        aggregates.put(&format!("{}({})", id.name.name, a.arguments), aggregate(a));
    }
    if !aggregates.is_empty() {
        m.put("aggregates", aggregates.done());
    }

    let mut matviews = Map::new();
    for (q, v) in catalog
        .materialized_views
        .iter()
        .filter(|(q, _)| in_schema(q))
    {
        matviews.put(&q.name, materialized_view(v));
    }
    if !matviews.is_empty() {
        m.put("materialized_views", matviews.done());
    }
    text_search(&mut m, catalog, &name);
    let body = SchemaBody {
        before,
        tables,
        after: m,
    };
    (name, body)
}

fn function(f: &Function, roles: &std::collections::BTreeSet<String>) -> Value {
    let mut m = Map::new();
    if !f.arguments.is_empty() {
        m.put("arguments", s(&f.arguments));
    }
    m.put_opt("returns", &f.returns);
    m.put("language", s(&f.language));
    if f.volatility != Volatility::Volatile {
        m.put("volatility", s(&f.volatility.sql().to_ascii_lowercase()));
    }
    m.flag("strict", f.strict);
    if f.security_definer {
        m.put("security", s("definer"));
    }
    m.flag("leakproof", f.leakproof);
    if f.parallel != Parallel::Unsafe {
        m.put("parallel", s(&f.parallel.sql().to_ascii_lowercase()));
    }
    m.put_opt("cost", &f.cost);
    m.put_opt("rows", &f.rows);
    if !f.settings.is_empty() {
        m.put("set", options(&f.settings));
    }
    m.put(if f.sql_body { "sql_body" } else { "body" }, s(&f.body));
    m.put_opt("comment", &f.comment);
    put_grants(&mut m, &f.grants, roles);
    m.done()
}

fn trigger(table: &QualName, t: &Trigger) -> Value {
    let mut m = Map::new();
    m.put("timing", s(&t.timing.sql().to_ascii_lowercase()));
    m.put("events", names(&t.events));
    if !t.update_of.is_empty() {
        m.put("update_of", names(&t.update_of));
    }
    m.put(
        "for_each",
        s(if t.for_each_row { "row" } else { "statement" }),
    );
    m.put_expr("when", &t.when);
    let function = if t.function.schema == table.schema {
        t.function.name.clone()
    } else {
        t.function.to_string()
    };
    m.put("function", s(&function));
    if !t.arguments.is_empty() {
        m.put("arguments", names(&t.arguments));
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        let mut r = Map::new();
        r.put_opt("old_table", &t.old_table);
        r.put_opt("new_table", &t.new_table);
        m.put("referencing", r.done());
    }
    m.flag("constraint", t.constraint);
    m.flag("deferrable", t.deferrable && !t.initially_deferred);
    m.flag("initially_deferred", t.initially_deferred);
    match t.enabled {
        TriggerEnabled::Origin => {}
        TriggerEnabled::Disabled => m.put("enabled", Value::Bool(false)),
        TriggerEnabled::Replica => m.put("enabled", s("replica")),
        TriggerEnabled::Always => m.put("enabled", s("always")),
    }
    m.put_opt("comment", &t.comment);
    m.done()
}

fn materialized_view(v: &MaterializedView) -> Value {
    let mut m = Map::new();
    m.put("query", s(&v.definition.text));
    if !v.with_data {
        m.put("with_data", Value::Bool(false));
    }
    if !v.options.is_empty() {
        m.put("options", options(&v.options));
    }
    m.put_opt("comment", &v.comment);
    if !v.column_comments.is_empty() {
        m.put("column_comments", options(&v.column_comments));
    }
    let mut indexes = Map::new();
    for (name, index) in &v.indexes {
        indexes.put(name, index_value(index));
    }
    if !indexes.is_empty() {
        m.put("indexes", indexes.done());
    }
    m.done()
}

/// A table's parents (`inherits`): a name in the table's schema, `{ schema, table }` elsewhere.
fn parents(q: &QualName, inherits: &[QualName]) -> Value {
    let parents = inherits.iter().map(|p| {
        if p.schema == q.schema {
            s(&p.name)
        } else {
            let mut pm = Map::new();
            pm.put("schema", s(&p.schema));
            pm.put("table", s(&p.name));
            pm.done()
        }
    });
    Value::Sequence(parents.collect())
}

fn table(q: &QualName, t: &Table, catalog: &Catalog) -> Value {
    let roles = &catalog.roles;
    let mut m = Map::new();
    match &t.partition_of {
        // A partition's columns, and what it has from its parent, are the parent's.
        Some(p) => partition(&mut m, q, t, p),
        None => {
            let mut cols = Map::new();
            // Columns a parent alone declares are the parent's.
            for c in t.columns.iter().filter(|c| !c.inherited) {
                let identity_grants = t.identity_grants.get(&c.name).map(|g| (g, roles));
                let mut value = column(&q.name, c, identity_grants);
                if let Some(grants) = t.column_grants.get(&c.name) {
                    let mut cm = match value {
                        Value::Mapping(map) => Map(map),
                        _ => {
                            let mut cm = Map::new();
                            cm.put("type", s(&c.data_type));
                            cm
                        }
                    };
                    put_grants(&mut cm, grants, roles);
                    value = cm.done();
                }
                cols.put(&c.name, value);
            }
            if !cols.is_empty() || t.inherits.is_empty() {
                m.put("columns", cols.done());
            }
        }
    }
    if !t.inherits.is_empty() {
        m.put("inherits", parents(q, &t.inherits));
    }
    m.put_opt("partition_by", &t.partition_by);
    not_null_names(&mut m, q, catalog);

    put_constraints(&mut m, q, t);

    let mut indexes = Map::new();
    for (name, index) in &t.indexes {
        let mut value = index_value(index);
        // Incomplete (created ON ONLY the partitioned table); an invalid index of another
        // table is one a concurrent build left, which the desired state has built whole.
        if !index.valid && t.partition_by.is_some() {
            if let Value::Mapping(m) = &mut value {
                m.insert(s("only"), Value::Bool(true));
            }
        }
        indexes.put(name, value);
    }
    if !indexes.is_empty() {
        m.put("indexes", indexes.done());
    }
    put_statistics(&mut m, t);
    let mut triggers = Map::new();
    for (name, tr) in &t.triggers {
        triggers.put(name, trigger(q, tr));
    }
    if !triggers.is_empty() {
        m.put("triggers", triggers.done());
    }
    if !t.options.is_empty() {
        m.put("options", options(&t.options));
    }
    m.flag("unlogged", t.unlogged);
    m.put_opt("comment", &t.comment);
    put_grants(&mut m, &t.grants, roles);
    put_row_security(&mut m, t.row_security);
    put_replica_identity(&mut m, &t.replica_identity);
    let mut policies = Map::new();
    for (name, p) in &t.policies {
        policies.put(name, policy(p));
    }
    if !policies.is_empty() {
        m.put("policies", policies.done());
    }
    m.done()
}

// ---- Security: grants, policies, default privileges ----

/// `row_level_security: enabled | forced | forced_only`.
fn put_row_security(m: &mut Map, rls: RowSecurity) {
    match (rls.enabled, rls.forced) {
        (true, true) => m.put("row_level_security", s("forced")),
        (true, false) => m.put("row_level_security", s("enabled")),
        // FORCE without ENABLE has no effect until it is enabled, but it is kept.
        (false, true) => m.put("row_level_security", s("forced_only")),
        (false, false) => {}
    }
}

/// `replica_identity: full | nothing | { index: name }` (nothing for the default).
fn put_replica_identity(m: &mut Map, identity: &ReplicaIdentity) {
    match identity {
        ReplicaIdentity::Default => {}
        ReplicaIdentity::Full => m.put("replica_identity", s("full")),
        ReplicaIdentity::Nothing => m.put("replica_identity", s("nothing")),
        ReplicaIdentity::Index(index) => {
            let mut r = Map::new();
            r.put("index", s(index));
            m.put("replica_identity", r.done());
        }
    }
}

/// `grants: { role: [select, update with grant option] }` for the roles the model speaks for.
fn put_grants(m: &mut Map, grants: &Grants, roles: &std::collections::BTreeSet<String>) {
    let mut gm = Map::new();
    for (grantee, privileges) in grants {
        if roles.contains(grantee) {
            gm.put(grantee, privilege_list(privileges));
        }
    }
    if !gm.is_empty() {
        m.put("grants", gm.done());
    }
}

fn privilege_list(privileges: &Privileges) -> Value {
    Value::Sequence(
        privileges
            .iter()
            .map(|(p, option)| {
                let word = p.sql().to_ascii_lowercase();
                s(&if *option {
                    format!("{word} with grant option")
                } else {
                    word
                })
            })
            .collect(),
    )
}

fn policy(p: &Policy) -> Value {
    let mut m = Map::new();
    if !p.permissive {
        m.put("as", s("restrictive"));
    }
    if p.command != PolicyCommand::All {
        m.put("command", s(&p.command.sql().to_ascii_lowercase()));
    }
    if !(p.roles.len() == 1 && p.roles.contains(PUBLIC_ROLE)) {
        m.put(
            "roles",
            Value::Sequence(p.roles.iter().map(|r| s(r)).collect()),
        );
    }
    m.put_expr("using", &p.using);
    m.put_expr("with_check", &p.with_check);
    m.put_opt("comment", &p.comment);
    if m.is_empty() { Value::Null } else { m.done() }
}

fn default_privileges(catalog: &Catalog, include: impl Fn(Option<&str>) -> bool) -> Vec<Value> {
    let mut out = Vec::new();
    for (key, grants) in &catalog.default_privileges {
        if !include(key.schema.as_deref()) {
            continue;
        }
        let mut m = Map::new();
        m.put("for_role", s(&key.role));
        m.put_opt("schema", &key.schema);
        m.put("on", s(&key.on.sql().to_ascii_lowercase()));
        put_grants(&mut m, grants, &catalog.roles);
        if m.0.contains_key(s("grants")) {
            out.push(m.done());
        }
    }
    out
}

/// A partition: where it belongs, and its columns stricter than the parent's (but for those its
/// own primary key makes so).
fn partition(m: &mut Map, q: &QualName, t: &Table, p: &PartitionOf) {
    partition_of(m, q, p);
    let keyed: Vec<&String> = t
        .constraints
        .values()
        .filter(|c| matches!(c.kind, ConstraintKind::PrimaryKey { .. }))
        .flat_map(|c| c.kind.columns())
        .collect();
    let stricter: Vec<String> = (p.not_null.iter())
        .filter(|c| !keyed.contains(c))
        .cloned()
        .collect();
    if !stricter.is_empty() {
        m.put("not_null", names(&stricter));
    }
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
    // The names of the indexes it has from its parent's partitioned indexes: PostgreSQL would
    // choose others when creating them.
    let mut names = Map::new();
    for (parent_index, child) in &p.index_names {
        names.put(parent_index, s(child));
    }
    if !names.is_empty() {
        m.put("index_names", names.done());
    }
}

/// A column; `identity_grants`: the grants on its identity's sequence, written under
/// `identity:` for the roles spoken for.
fn column(
    table: &str,
    c: &Column,
    identity_grants: Option<(&Grants, &std::collections::BTreeSet<String>)>,
) -> Value {
    let mut m = Map::new();
    m.put("type", s(&c.data_type));
    m.flag("not_null", c.not_null);
    m.put_expr("default", &c.default);
    if let Some(identity) = &c.identity {
        let mut im = Map::new();
        if let Some(seq) = &identity.sequence {
            if *seq != crate::model::naming::default_object_name(table, Some(&c.name), "seq") {
                im.put("sequence", s(seq));
            }
        }
        sequence_options(&mut im, &identity.options, Some(&c.data_type));
        if let Some((grants, roles)) = identity_grants {
            put_grants(&mut im, grants, roles);
        }
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
    match &c.generated {
        Some(e) if c.generated_kind == GeneratedKind::Virtual => {
            let mut g = Map::new();
            g.put("expression", s(&e.text));
            g.put("virtual", Value::Bool(true));
            m.put("generated", g.done());
        }
        _ => m.put_expr("generated", &c.generated),
    }
    if let Some(coll) = &c.collation {
        m.put("collation", obj_ref(coll));
    }
    m.put_opt("comment", &c.comment);
    column_settings(&mut m, &c.settings);
    if m.0.len() == 1 {
        // Only the type: `title: text`.
        return s(&c.data_type);
    }
    m.done()
}

/// A column's `statistics`, `storage`, `compression` and `options`, where set.
fn column_settings(m: &mut Map, settings: &ColumnSettings) {
    if let Some(n) = settings.statistics {
        m.put("statistics", Value::Number(n.into()));
    }
    if let Some(storage) = settings.storage {
        m.put("storage", s(storage.yaml()));
    }
    m.put_opt("compression", &settings.compression);
    if !settings.options.is_empty() {
        m.put("options", options(&settings.options));
    }
}

/// A table's `statistics:`, when it has any.
fn put_statistics(m: &mut Map, t: &Table) {
    let mut statistics = Map::new();
    for (name, st) in &t.statistics {
        statistics.put(name, statistics_value(st));
    }
    if !statistics.is_empty() {
        m.put("statistics", statistics.done());
    }
}

/// Extended statistics: `columns` (names, and `{ expression }`), `kinds` unless all,
/// `target`, `comment`.
fn statistics_value(st: &Statistics) -> Value {
    let mut m = Map::new();
    let columns: Vec<Value> = st
        .columns
        .iter()
        .map(|c| s(c))
        .chain(st.expressions.iter().map(|e| {
            let mut em = Map::new();
            em.put("expression", s(&e.text));
            em.done()
        }))
        .collect();
    m.put("columns", Value::Sequence(columns));
    if st.effective_kinds() != Statistics::KINDS && !st.kinds.is_empty() {
        m.put("kinds", names(&st.kinds));
    }
    if let Some(n) = st.target {
        m.put("target", Value::Number(n.into()));
    }
    m.put_opt("comment", &st.comment);
    m.done()
}

/// The mapping form of an index key (or exclusion element): `column` or `expression`, and the
/// options that differ from the defaults.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::load_sources;

    /// The schema line is a comment the loader reads past: a file `inspect` writes loads to the
    /// model its document loads to, and is still known as `inspect`'s, as are older files
    /// without the line.
    #[test]
    fn the_schema_line_changes_nothing_the_loader_reads() {
        let written = "schemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: { type: bigint, not_null: true }\n        primary_key: [id]\n";
        let catalog = load_sources(&[("a.yaml".into(), written.into())])
            .unwrap()
            .catalog;
        let document = to_yaml(&catalog);
        let file = for_file(&document);
        assert_eq!(
            file.lines().next(),
            Some("# yaml-language-server: $schema=schemaplan.schema.json")
        );
        assert_eq!(file.lines().nth(1), Some(INSPECT_HEADER));
        let back = load_sources(&[("b.yaml".into(), file.clone())]).unwrap();
        assert_eq!(back.catalog, catalog);
        assert_eq!(to_yaml(&back.catalog), document);
        // Where an object is reported moves down by the line.
        let line =
            |d: &crate::yaml::Desired| d.sources.locate("schemas.public.tables.t").unwrap().line;
        let plain = load_sources(&[("c.yaml".into(), document.clone())]).unwrap();
        assert_eq!(line(&back), line(&plain) + 1);

        assert!(written_by_inspect(&file));
        assert!(written_by_inspect(&document));
        assert!(!written_by_inspect(written));
        assert!(!written_by_inspect(&format!(
            "{}\n{written}",
            schema_line()
        )));
        assert!(!written_by_inspect(&format!("# mine\n{document}")));
    }

    /// The document is written as it is serialized, not built as one `Value`: it must be the
    /// YAML a `Value` of it gives, byte for byte, where serde_yaml's output depends on more than
    /// one entry or on the depth: a one-entry mapping whose key starts with `!`, block scalars
    /// that keep their trailing line breaks (`|+`, after which a document ends with `...`) or
    /// start with spaces, keys that need quotes or are written `? …`, a schema with nothing in
    /// it.
    #[test]
    fn the_streamed_document_is_the_yaml_of_its_value() {
        let mut catalog = Catalog::default();
        for schema in ["public", "yes", "two\nlines", "empty"] {
            catalog.schemas.insert(schema.into(), Schema::default());
        }
        let mut kept = Table::default();
        let mut column = Column::new("id", "bigint");
        column.comment = Some("ends in two breaks\n\n".into());
        kept.columns.push(column);
        kept.comment = Some("  leading spaces\n\nand an empty line".into());
        catalog
            .tables
            .insert(QualName::new("public", "!tag"), kept.clone());
        catalog
            .tables
            .insert(QualName::new("yes", "no"), kept.clone());
        catalog
            .tables
            .insert(QualName::new("yes", "3"), Table::default());
        catalog
            .tables
            .insert(QualName::new("two\nlines", "a\rb"), kept);
        catalog.enums.insert(
            QualName::new("yes", "mood"),
            EnumType {
                values: vec!["ok".into()],
                ..Default::default()
            },
        );
        for document in [to_yaml(&catalog)]
            .into_iter()
            .chain(per_schema(&catalog).into_iter().map(|(_, d)| d))
        {
            let body = document
                .strip_prefix(INSPECT_HEADER)
                .unwrap()
                .trim_start_matches('\n');
            let value: Value = serde_yaml::from_str(body).unwrap();
            assert_eq!(serde_yaml::to_string(&value).unwrap(), body, "{document}");
        }
    }
}
