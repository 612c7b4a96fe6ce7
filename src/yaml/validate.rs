//! Cross-reference checks of a loaded desired state: every name a constraint, index, foreign
//! key, sequence owner or column type uses must exist, and names must fit PostgreSQL's rules.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::naming::MAX_NAME_BYTES;
use crate::model::source::{Diagnostic, SourceMap, child_path};
use crate::model::*;
use crate::sqltext::types;

/// Types provided by contrib extensions, so a column of such a type is accepted when its
/// extension is declared. An extension missing here may provide any type.
const EXTENSION_TYPES: &[(&str, &[&str])] = &[
    ("btree_gin", &[]),
    ("btree_gist", &[]),
    ("citext", &["citext"]),
    ("cube", &["cube"]),
    ("hstore", &["hstore"]),
    (
        "isn",
        &[
            "ean13", "isbn", "isbn13", "ismn", "ismn13", "issn", "issn13", "upc",
        ],
    ),
    ("ltree", &["lquery", "ltree", "ltxtquery"]),
    ("pg_stat_statements", &[]),
    ("pg_trgm", &[]),
    ("pgcrypto", &[]),
    ("seg", &["seg"]),
    ("tablefunc", &[]),
    ("unaccent", &[]),
    ("uuid-ossp", &[]),
];

struct Checker<'a> {
    sources: &'a SourceMap,
    diags: &'a mut Vec<Diagnostic>,
}

impl Checker<'_> {
    /// Where the object `key` was written.
    fn path_of(&self, key: &ObjKey) -> String {
        object_path(self.sources, key)
    }

    fn report(&mut self, path: &str, message: impl Into<String>) {
        self.diags.push(self.sources.diagnostic(path, message));
    }

    fn name(&mut self, path: &str, what: &str, name: &str) {
        if name.is_empty() {
            self.report(path, format!("a {what} name cannot be empty"));
        } else if name.len() > MAX_NAME_BYTES {
            self.report(
                path,
                format!(
                    "{what} name `{name}` is {} bytes long; PostgreSQL truncates names to {MAX_NAME_BYTES} bytes",
                    name.len()
                ),
            );
        }
    }
}

fn object_path(sources: &SourceMap, key: &ObjKey) -> String {
    sources.objects.get(key).cloned().unwrap_or_default()
}

pub(super) fn validate(catalog: &mut Catalog, sources: &SourceMap, diags: &mut Vec<Diagnostic>) {
    let mut c = Checker { sources, diags };
    check_extensions(&mut c, catalog);
    check_schemas(&mut c, catalog);
    check_enums(&mut c, catalog);
    check_sequences(&mut c, catalog);
    let ext_types = declared_extension_types(catalog);
    fill_referenced_primary_keys(catalog);
    check_domains(&mut c, catalog, ext_types.as_ref());
    check_composite_types(&mut c, catalog, ext_types.as_ref());
    for (tname, table) in &catalog.tables {
        check_table(&mut c, catalog, tname, table, ext_types.as_ref());
    }
    for name in catalog.views.keys() {
        c.name(
            &c.path_of(&ObjKey::Relation(name.clone())),
            "view",
            &name.name,
        );
    }
    check_materialized_views(&mut c, catalog);
    check_relation_names(&mut c, catalog);
}

fn check_extensions(c: &mut Checker<'_>, catalog: &Catalog) {
    for name in catalog.extensions.keys() {
        c.name(
            &c.path_of(&ObjKey::Extension(name.clone())),
            "extension",
            name,
        );
    }
}

fn check_schemas(c: &mut Checker<'_>, catalog: &Catalog) {
    for name in catalog.schemas.keys() {
        let path = c.path_of(&ObjKey::Schema(name.clone()));
        if !path.is_empty() {
            c.name(&path, "schema", name);
        }
        if name.starts_with("pg_") {
            c.report(
                &path,
                format!(
                    "schema name `{name}` is reserved: names starting with pg_ belong to the system"
                ),
            );
        }
        if name == crate::model::naming::HISTORY_SCHEMA
            || name == crate::model::naming::BACKUP_SCHEMA
        {
            c.report(
                &path,
                format!(
                    "schema name `{name}` is reserved: schemaplan keeps its history and backups there"
                ),
            );
        }
    }
}

fn check_enums(c: &mut Checker<'_>, catalog: &Catalog) {
    for (name, e) in &catalog.enums {
        let path = c.path_of(&ObjKey::Type(name.clone()));
        c.name(&path, "enum", &name.name);
        let mut seen = BTreeSet::new();
        for (i, v) in e.values.iter().enumerate() {
            let vp = format!("{}[{i}]", child_path(&path, "values"));
            if v.is_empty() {
                c.report(&vp, "an enum value cannot be empty");
            } else if v.len() > MAX_NAME_BYTES {
                c.report(
                    &vp,
                    format!("enum value `{v}` is longer than {MAX_NAME_BYTES} bytes"),
                );
            }
            if !seen.insert(v) {
                c.report(&vp, format!("enum value `{v}` is listed twice"));
            }
        }
    }
}

fn check_sequences(c: &mut Checker<'_>, catalog: &Catalog) {
    for (name, seq) in &catalog.sequences {
        let path = c.path_of(&ObjKey::Relation(name.clone()));
        c.name(&path, "sequence", &name.name);
        if let Some(t) = &seq.options.data_type {
            if !types::is_integer(t) {
                c.report(
                    &child_path(&path, "type"),
                    format!("a sequence must be smallint, integer or bigint, not `{t}`"),
                );
            }
        }
        if let Some(owner) = &seq.owned_by {
            let known = catalog
                .tables
                .get(&owner.table)
                .map(|t| t.column(&owner.column).is_some());
            match known {
                None => c.report(
                    &child_path(&path, "owned_by"),
                    format!(
                        "owned_by names table {}, which is not in the desired state",
                        owner.table
                    ),
                ),
                Some(false) => c.report(
                    &child_path(&path, "owned_by"),
                    format!(
                        "owned_by names column `{}`, which table {} does not have",
                        owner.column, owner.table
                    ),
                ),
                Some(true) => {}
            }
        }
    }
}

/// The types the declared extensions provide, or `None` when some declared extension is not
/// in `EXTENSION_TYPES` (and so may provide any type).
fn declared_extension_types(catalog: &Catalog) -> Option<BTreeSet<&'static str>> {
    catalog
        .extensions
        .keys()
        .map(|e| {
            EXTENSION_TYPES
                .iter()
                .find(|(name, _)| name == e)
                .map(|(_, types)| types.iter().copied())
        })
        .collect::<Option<Vec<_>>>()
        .map(|lists| lists.into_iter().flatten().collect())
}

/// Foreign keys without referenced columns point at the primary key.
fn fill_referenced_primary_keys(catalog: &mut Catalog) {
    let primary_keys: BTreeMap<QualName, Vec<String>> = catalog
        .tables
        .iter()
        .filter_map(|(q, t)| {
            t.primary_key()
                .map(|(_, pk)| (q.clone(), pk.kind.columns().to_vec()))
        })
        .collect();
    for table in catalog.tables.values_mut() {
        for con in table.constraints.values_mut() {
            if let ConstraintKind::ForeignKey(fk) = &mut con.kind {
                if let (true, Some(cols)) =
                    (fk.ref_columns.is_empty(), primary_keys.get(&fk.ref_table))
                {
                    fk.ref_columns = cols.clone();
                }
            }
        }
    }
}

/// Domains: names, and the types they are built from.
fn check_domains(c: &mut Checker<'_>, catalog: &Catalog, ext_types: Option<&BTreeSet<&str>>) {
    for (name, d) in &catalog.domains {
        let path = c.path_of(&ObjKey::Type(name.clone()));
        c.name(&path, "domain", &name.name);
        let base = Column::new("", d.data_type.clone());
        check_column_type(c, catalog, name, &base, &path, ext_types);
        if d.data_type.trim_end_matches("[]") == crate::model::quote::qualified(name)
            || d.data_type.trim_end_matches("[]") == name.name
        {
            c.report(
                &child_path(&path, "type"),
                format!("domain {name} cannot be built over itself"),
            );
        }
        for cname in d.constraints.keys() {
            c.name(
                &child_path(&child_path(&path, "constraints"), cname),
                "constraint",
                cname,
            );
        }
    }
}

/// Composite types: names, and the types of their attributes.
fn check_composite_types(
    c: &mut Checker<'_>,
    catalog: &Catalog,
    ext_types: Option<&BTreeSet<&str>>,
) {
    for (name, t) in &catalog.composite_types {
        let path = c.path_of(&ObjKey::Type(name.clone()));
        c.name(&path, "composite type", &name.name);
        for a in &t.attributes {
            let apath = child_path(&child_path(&path, "attributes"), &a.name);
            c.name(&apath, "attribute", &a.name);
            let as_column = Column::new(a.name.clone(), a.data_type.clone());
            check_column_type(c, catalog, name, &as_column, &apath, ext_types);
        }
    }
}

/// A table: its name, partition parent, columns, constraints and indexes.
fn check_table(
    c: &mut Checker<'_>,
    catalog: &Catalog,
    tname: &QualName,
    table: &Table,
    ext_types: Option<&BTreeSet<&str>>,
) {
    let tpath = c.path_of(&ObjKey::Relation(tname.clone()));
    c.name(&tpath, "table", &tname.name);
    check_partition_of(c, catalog, tname, table, &tpath);
    check_inherits(c, catalog, tname, table, &tpath);
    let mut columns: BTreeSet<&str> = root_table(catalog, tname)
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    columns.extend(inherited_columns(catalog, tname));
    for col in &table.columns {
        check_column(c, catalog, tname, col, &tpath, ext_types);
    }
    for (cname, con) in &table.constraints {
        check_constraint(c, catalog, tname, cname, con, &columns);
    }
    for (iname, index) in &table.indexes {
        check_table_index(c, tname, iname, index, &columns);
    }
    for (sname, stats) in &table.statistics {
        let spath = c.path_of(&ObjKey::Statistics(QualName::new(
            tname.schema.clone(),
            sname.clone(),
        )));
        c.name(&spath, "statistics", sname);
        let mut seen = BTreeSet::new();
        for col in &stats.columns {
            let p = child_path(&spath, "columns");
            if !columns.contains(col.as_str()) {
                c.report(&p, format!("`{col}` is not a column of table {tname}"));
            } else if !seen.insert(col) {
                c.report(&p, format!("column `{col}` is listed twice"));
            }
        }
    }
}

/// A column's name and type, and the keys that exclude one another.
fn check_column(
    c: &mut Checker<'_>,
    catalog: &Catalog,
    tname: &QualName,
    col: &Column,
    tpath: &str,
    ext_types: Option<&BTreeSet<&str>>,
) {
    let cpath = child_path(&child_path(tpath, "columns"), &col.name);
    c.name(&cpath, "column", &col.name);
    check_column_type(c, catalog, tname, col, &cpath, ext_types);
    if col.identity.is_some() {
        if col.default.is_some() {
            c.report(&cpath, "a column cannot have both `identity` and `default`");
        }
        if col.generated.is_some() {
            c.report(
                &cpath,
                "a column cannot have both `identity` and `generated`",
            );
        }
        if !types::is_integer(&col.data_type) {
            c.report(
                &cpath,
                format!(
                    "an identity column must be smallint, integer or bigint, not `{}`",
                    col.data_type
                ),
            );
        }
    }
    if col.generated.is_some() && col.default.is_some() {
        c.report(
            &cpath,
            "a column cannot have both `generated` and `default`",
        );
    }
}

/// A table constraint: its name, the columns it lists, and a foreign key's reference.
fn check_constraint(
    c: &mut Checker<'_>,
    catalog: &Catalog,
    tname: &QualName,
    cname: &str,
    con: &Constraint,
    columns: &BTreeSet<&str>,
) {
    let cpath = c.path_of(&ObjKey::Constraint(tname.clone(), cname.to_string()));
    c.name(&cpath, "constraint", cname);
    let mut listed: Vec<(&str, &[String])> = vec![("columns", con.kind.columns())];
    if let ConstraintKind::PrimaryKey { include, .. }
    | ConstraintKind::Unique { include, .. }
    | ConstraintKind::Exclude(Exclusion { include, .. }) = &con.kind
    {
        listed.push(("include", include));
    }
    if let ConstraintKind::Exclude(x) = &con.kind {
        for (i, element) in x.elements.iter().enumerate() {
            if let IndexExpr::Column(col) = &element.key.expr {
                if !columns.contains(col.as_str()) {
                    c.report(
                        &child_path(
                            &format!("{}[{i}]", child_path(&cpath, "elements")),
                            "column",
                        ),
                        format!("`{col}` is not a column of table {tname}"),
                    );
                }
            }
        }
    }
    for (key, names) in listed {
        check_column_list(c, &cpath, key, names, columns, tname);
    }
    if let ConstraintKind::ForeignKey(fk) = &con.kind {
        check_foreign_key(c, catalog, &cpath, fk);
        let setting = matches!(fk.on_delete, FkAction::SetNull | FkAction::SetDefault);
        if !fk.on_delete_columns.is_empty() && !setting {
            c.report(
                &child_path(&cpath, "on_delete_columns"),
                "on_delete_columns needs on_delete: set null or set default",
            );
        }
        for (i, col) in fk.on_delete_columns.iter().enumerate() {
            if !fk.columns.contains(col) {
                c.report(
                    &format!("{}[{i}]", child_path(&cpath, "on_delete_columns")),
                    format!("`{col}` is not one of the foreign key's columns"),
                );
            }
        }
    }
}

/// A table's index: its name, and the columns it names.
fn check_table_index(
    c: &mut Checker<'_>,
    tname: &QualName,
    iname: &str,
    index: &Index,
    columns: &BTreeSet<&str>,
) {
    let ipath = c.path_of(&ObjKey::Relation(QualName::new(
        tname.schema.clone(),
        iname.to_string(),
    )));
    c.name(&ipath, "index", iname);
    for (i, key) in index.keys.iter().enumerate() {
        if let IndexExpr::Column(col) = &key.expr {
            if !columns.contains(col.as_str()) {
                c.report(
                    &format!("{}[{i}]", child_path(&ipath, "columns")),
                    format!("index column `{col}` is not a column of table {tname}"),
                );
            }
        }
    }
    check_column_list(c, &ipath, "include", &index.include, columns, tname);
    if index.unique && index.method != "btree" {
        c.report(
            &ipath,
            format!("only btree indexes can be unique, not {}", index.method),
        );
    }
}

/// A materialized view's columns are known only once its query has run in the shadow, which
/// reports an index on a column it lacks.
fn check_materialized_views(c: &mut Checker<'_>, catalog: &Catalog) {
    for (name, view) in &catalog.materialized_views {
        let path = c.path_of(&ObjKey::Relation(name.clone()));
        c.name(&path, "materialized view", &name.name);
        for (iname, index) in &view.indexes {
            let ipath = child_path(&child_path(&path, "indexes"), iname);
            c.name(&ipath, "index", iname);
            if index.unique && index.method != "btree" {
                c.report(
                    &ipath,
                    format!("only btree indexes can be unique, not {}", index.method),
                );
            }
        }
    }
}

fn check_column_list(
    c: &mut Checker<'_>,
    path: &str,
    key: &str,
    names: &[String],
    columns: &BTreeSet<&str>,
    table: &QualName,
) {
    let mut seen = BTreeSet::new();
    for (i, name) in names.iter().enumerate() {
        let p = format!("{}[{i}]", child_path(path, key));
        if !columns.contains(name.as_str()) {
            c.report(&p, format!("`{name}` is not a column of table {table}"));
        } else if !seen.insert(name) {
            c.report(&p, format!("column `{name}` is listed twice"));
        }
    }
}

fn check_column_type(
    c: &mut Checker<'_>,
    catalog: &Catalog,
    table: &QualName,
    col: &Column,
    path: &str,
    ext_types: Option<&BTreeSet<&str>>,
) {
    let tpath = child_path(path, "type");
    let parsed = match types::parse(&col.data_type) {
        Ok(t) => t,
        Err(e) => {
            c.report(&tpath, e);
            return;
        }
    };
    if parsed.builtin {
        return;
    }
    let candidates: Vec<QualName> = match &parsed.schema {
        Some(s) => vec![QualName::new(s.clone(), parsed.name.clone())],
        None => vec![
            QualName::new(table.schema.clone(), parsed.name.clone()),
            QualName::new("public", parsed.name.clone()),
        ],
    };
    if candidates.iter().any(|q| {
        catalog.enums.contains_key(q)
            || catalog.domains.contains_key(q)
            || catalog.composite_types.contains_key(q)
    }) {
        return;
    }
    match ext_types {
        // Some declared extension may provide any type: the shadow database will tell.
        None => {}
        // `inspect` writes extension types qualified (`public.citext`).
        Some(known) if known.contains(parsed.name.as_str()) => {}
        Some(_) => c.report(
            &tpath,
            format!(
                "unknown type `{}`: not a built-in type, an enum, domain or composite type of the desired state, or a type of a declared extension",
                col.data_type
            ),
        ),
    }
}

fn check_foreign_key(c: &mut Checker<'_>, catalog: &Catalog, path: &str, fk: &ForeignKey) {
    let rpath = child_path(path, "references");
    let Some(_) = catalog.tables.get(&fk.ref_table) else {
        let what = if catalog.views.contains_key(&fk.ref_table) {
            "is a view; a foreign key must reference a table"
        } else {
            "is not a table of the desired state"
        };
        c.report(
            &child_path(&rpath, "table"),
            format!("foreign key references {}, which {what}", fk.ref_table),
        );
        return;
    };
    if fk.ref_columns.is_empty() {
        c.report(
            &rpath,
            format!(
                "table {} has no primary key, so the referenced columns must be listed",
                fk.ref_table
            ),
        );
        return;
    }
    // A partition's columns are its root's, and its keys those of its ancestors too.
    let lineage = ancestors(catalog, &fk.ref_table);
    let root = root_table(catalog, &fk.ref_table);
    let mut all_known = true;
    for (i, col) in fk.ref_columns.iter().enumerate() {
        if root.column(col).is_none() {
            all_known = false;
            c.report(
                &format!("{}[{i}]", child_path(&rpath, "columns")),
                format!("`{col}` is not a column of table {}", fk.ref_table),
            );
        }
    }
    if fk.columns.len() != fk.ref_columns.len() {
        c.report(
            path,
            format!(
                "foreign key has {} column(s) but references {}",
                fk.columns.len(),
                fk.ref_columns.len()
            ),
        );
        return;
    }
    if !all_known {
        return;
    }
    let wanted: BTreeSet<&String> = fk.ref_columns.iter().collect();
    let mut by_constraint = false;
    let mut by_index = false;
    for target in lineage {
        let (c, i) = key_on(target, &wanted);
        by_constraint |= c;
        by_index |= i;
    }
    if !by_constraint && !by_index {
        c.report(
            &rpath,
            format!(
                "foreign key references {} ({}), which has no primary key, unique constraint or unique index on exactly those columns",
                fk.ref_table,
                fk.ref_columns.join(", ")
            ),
        );
    }
}

/// `table` and its parents, up to the root (a cycle is cut; `check_partition_of` reports it).
fn ancestors<'c>(catalog: &'c Catalog, name: &QualName) -> Vec<&'c Table> {
    let mut out: Vec<&Table> = Vec::new();
    let mut next = catalog.tables.get(name);
    while let Some(t) = next {
        if out.len() > catalog.tables.len() {
            break;
        }
        out.push(t);
        next = t
            .partition_of
            .as_ref()
            .and_then(|p| catalog.tables.get(&p.parent));
    }
    out
}

/// Whether `target` has a key (constraint, or unique index) on exactly `wanted`.
fn key_on(target: &Table, wanted: &BTreeSet<&String>) -> (bool, bool) {
    let by_constraint = target.constraints.values().any(|k| {
        k.kind.is_unique_key()
            && !k.deferrable
            && k.kind.columns().iter().collect::<BTreeSet<_>>() == *wanted
    });
    let by_index = target.indexes.values().any(|i| {
        i.unique
            && i.predicate.is_none()
            && i.keys
                .iter()
                .all(|k| matches!(k.expr, IndexExpr::Column(_)))
            && i.keys
                .iter()
                .filter_map(|k| match &k.expr {
                    IndexExpr::Column(c) => Some(c),
                    IndexExpr::Expression(_) => None,
                })
                .collect::<BTreeSet<_>>()
                == *wanted
    });
    (by_constraint, by_index)
}

/// Tables, views, sequences and indexes share one namespace per schema; so do enums and the row
/// types of tables and views.
fn check_relation_names(c: &mut Checker<'_>, catalog: &Catalog) {
    let mut relations: BTreeMap<QualName, Vec<(String, String)>> = BTreeMap::new();
    let mut add = |q: QualName, what: String, path: String| {
        relations.entry(q).or_default().push((what, path));
    };
    for q in catalog.tables.keys() {
        add(
            q.clone(),
            format!("table {q}"),
            object_path(c.sources, &ObjKey::Relation(q.clone())),
        );
    }
    for q in catalog.views.keys() {
        add(
            q.clone(),
            format!("view {q}"),
            object_path(c.sources, &ObjKey::Relation(q.clone())),
        );
    }
    for q in catalog.sequences.keys() {
        add(
            q.clone(),
            format!("sequence {q}"),
            object_path(c.sources, &ObjKey::Relation(q.clone())),
        );
    }
    for (q, view) in &catalog.materialized_views {
        let path = object_path(c.sources, &ObjKey::Relation(q.clone()));
        for name in view.indexes.keys() {
            add(
                QualName::new(q.schema.clone(), name.clone()),
                format!("index {name} on {q}"),
                child_path(&child_path(&path, "indexes"), name),
            );
        }
        add(q.clone(), format!("materialized view {q}"), path);
    }
    for (t, table) in &catalog.tables {
        let table_path = object_path(c.sources, &ObjKey::Relation(t.clone()));
        for name in table.indexes.keys() {
            let q = QualName::new(t.schema.clone(), name.clone());
            let path = child_path(&child_path(&table_path, "indexes"), name);
            add(q, format!("index {name} on {t}"), path);
        }
        for (name, con) in &table.constraints {
            if con.kind.has_index() {
                let q = QualName::new(t.schema.clone(), name.clone());
                let path = object_path(c.sources, &ObjKey::Constraint(t.clone(), name.clone()));
                add(
                    q,
                    format!("the index of {} {name} on {t}", con.kind.label()),
                    path,
                );
            }
        }
    }
    for (q, users) in &relations {
        if users.len() > 1 {
            let names: Vec<&str> = users.iter().map(|(w, _)| w.as_str()).collect();
            let (_, path) = &users[users.len() - 1];
            c.report(
                path,
                format!(
                    "name `{}` is used more than once in schema `{}`: {}",
                    q.name,
                    q.schema,
                    names.join(", ")
                ),
            );
        }
    }
    for q in catalog.enums.keys() {
        if catalog.tables.contains_key(q)
            || catalog.views.contains_key(q)
            || catalog.materialized_views.contains_key(q)
        {
            c.report(
                &object_path(c.sources, &ObjKey::Type(q.clone())),
                format!("enum {q} has the name of a table or view, whose row type already uses it"),
            );
        }
    }
    for (q, what) in catalog.domains.keys().map(|q| (q, "domain")).chain(
        catalog
            .composite_types
            .keys()
            .map(|q| (q, "composite type")),
    ) {
        if catalog.tables.contains_key(q) || catalog.views.contains_key(q) {
            c.report(
                &object_path(c.sources, &ObjKey::Type(q.clone())),
                format!(
                    "{what} {q} has the name of a table or view, whose row type already uses it"
                ),
            );
        }
    }
}

/// `renamed_from` hints: a valid name, not the object's own, not a name the desired state still
/// uses for an object of the same kind, and not claimed by two objects.
pub(super) fn renames(
    catalog: &Catalog,
    sources: &SourceMap,
    renames: &crate::model::hints::Renames,
    diags: &mut Vec<Diagnostic>,
) {
    use crate::model::hints::RenameHint;
    let mut c = Checker { sources, diags };
    let mut claimed: BTreeMap<(String, String), &str> = BTreeMap::new();
    for (hint, h) in renames {
        let (what, new, scope, still_there) = match hint {
            RenameHint::Table(q) => (
                "table",
                &q.name,
                format!("table {}", q.schema),
                catalog
                    .tables
                    .contains_key(&QualName::new(q.schema.clone(), h.old.clone())),
            ),
            RenameHint::Column(t, col) => (
                "column",
                col,
                format!("column {t}"),
                catalog
                    .tables
                    .get(t)
                    .is_some_and(|table| table.column(&h.old).is_some()),
            ),
            RenameHint::Constraint(t, con) => (
                "constraint",
                con,
                format!("constraint {t}"),
                catalog
                    .tables
                    .get(t)
                    .is_some_and(|table| table.constraints.contains_key(&h.old)),
            ),
            RenameHint::Index(t, index) => (
                "index",
                index,
                format!("index {}", t.schema),
                catalog
                    .tables
                    .iter()
                    .any(|(q, table)| q.schema == t.schema && table.indexes.contains_key(&h.old)),
            ),
            RenameHint::Enum(q) => (
                "enum",
                &q.name,
                format!("enum {}", q.schema),
                catalog
                    .enums
                    .contains_key(&QualName::new(q.schema.clone(), h.old.clone())),
            ),
        };
        c.name(&h.path, what, &h.old);
        if h.old == *new {
            c.report(
                &h.path,
                format!("`renamed_from: {}` names the {what} itself", h.old),
            );
        } else if still_there {
            c.report(
                &h.path,
                format!(
                    "the desired state still has a {what} named `{}`: an object cannot be renamed from a name that stays in use",
                    h.old
                ),
            );
        }
        if let Some(first) = claimed.insert((scope, h.old.clone()), &h.path) {
            c.report(
                &h.path,
                format!(
                    "`{}` is already the old name of {first}: two objects cannot be renamed from one",
                    h.old
                ),
            );
        }
    }
}

/// The table a partition's columns come from: its parent's parent…, or itself.
fn root_table<'c>(catalog: &'c Catalog, name: &QualName) -> &'c Table {
    let mut current = &catalog.tables[name];
    // A chain longer than the number of tables is a cycle (reported by `check_partition_of`).
    for _ in 0..catalog.tables.len() {
        let Some(parent) = current
            .partition_of
            .as_ref()
            .and_then(|p| catalog.tables.get(&p.parent))
        else {
            break;
        };
        current = parent;
    }
    current
}

/// A partition's parent must be a partitioned table of the desired state, and no table may be
/// its own ancestor.
fn check_partition_of(
    c: &mut Checker<'_>,
    catalog: &Catalog,
    name: &QualName,
    table: &Table,
    path: &str,
) {
    let Some(p) = &table.partition_of else {
        return;
    };
    let ppath = child_path(path, "partition_of");
    let Some(parent) = catalog.tables.get(&p.parent) else {
        c.report(
            &ppath,
            format!(
                "partition_of names table {}, which is not in the desired state",
                p.parent
            ),
        );
        return;
    };
    if parent.partition_by.is_none() {
        c.report(
            &ppath,
            format!(
                "table {} is not partitioned: give it `partition_by` to have partitions",
                p.parent
            ),
        );
    }
    let mut seen = BTreeSet::from([name]);
    let mut next = Some(&p.parent);
    while let Some(q) = next {
        if !seen.insert(q) {
            c.report(
                &ppath,
                format!("table {name} would be a partition of itself"),
            );
            return;
        }
        next = catalog
            .tables
            .get(q)
            .and_then(|t| t.partition_of.as_ref())
            .map(|p| &p.parent);
    }
}

/// The columns `name` has from the tables it inherits, theirs included (a cycle is cut;
/// `check_inherits` reports it).
fn inherited_columns<'c>(catalog: &'c Catalog, name: &QualName) -> BTreeSet<&'c str> {
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::from([name]);
    let mut todo: Vec<&QualName> = catalog
        .tables
        .get(name)
        .map(|t| t.inherits.iter().collect())
        .unwrap_or_default();
    while let Some(q) = todo.pop() {
        let Some(t) = catalog.tables.get(q).filter(|_| seen.insert(q)) else {
            continue;
        };
        out.extend(t.columns.iter().map(|c| c.name.as_str()));
        todo.extend(t.inherits.iter());
    }
    out
}

/// The tables a table inherits must be plain tables of the desired state (neither partitioned
/// nor partitions), and no table may inherit from itself.
fn check_inherits(
    c: &mut Checker<'_>,
    catalog: &Catalog,
    name: &QualName,
    table: &Table,
    path: &str,
) {
    let ipath = child_path(path, "inherits");
    for parent_name in &table.inherits {
        let Some(parent) = catalog.tables.get(parent_name) else {
            c.report(
                &ipath,
                format!("inherits names table {parent_name}, which is not in the desired state"),
            );
            continue;
        };
        if parent.partition_by.is_some() || parent.partition_of.is_some() {
            c.report(
                &ipath,
                format!("table {parent_name} is partitioned or a partition: a table cannot inherit from it"),
            );
        }
    }
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&QualName> = table.inherits.iter().collect();
    while let Some(q) = todo.pop() {
        if q == name {
            c.report(&ipath, format!("table {name} would inherit from itself"));
            return;
        }
        if seen.insert(q) {
            todo.extend(catalog.tables.get(q).iter().flat_map(|t| t.inherits.iter()));
        }
    }
}
