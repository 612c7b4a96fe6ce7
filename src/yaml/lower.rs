//! YAML tree → schema model. Shape errors (unknown keys, values of the wrong type, objects
//! defined twice) are collected here; cross-references are checked by `validate`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::node::{Node, NodeKind};
use crate::model::hints::{Backfills, ColumnBackfill, Hint, RenameHint, Renames};
use crate::model::naming::default_primary_key_name;
use crate::model::source::{Diagnostic, Location, SourceMap, child_path};
use crate::model::*;

/// What the lowering produces.
pub(crate) struct Lowered {
    pub catalog: Catalog,
    pub sources: SourceMap,
    pub renames: Renames,
    pub hooks: Vec<crate::model::hook::Hook>,
    pub backfills: Backfills,
    pub role_uses: RoleUses,
}

pub(crate) struct Lowerer<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
    file: Arc<str>,
    catalog: Catalog,
    sources: SourceMap,
    renames: Renames,
    hooks: Vec<crate::model::hook::Hook>,
    backfills: Backfills,
    /// Schemas whose comment was given, so a second one is reported as a duplicate.
    schema_comments: HashMap<String, String>,
    /// Every role named (roles list, grantees, owners, policy roles, `for_role`).
    role_uses: RoleUses,
    /// Grantees and where each grant was written: they must be in `roles:`.
    grantees: Vec<(String, String)>,
}

/// Roles the desired state names, each with the path where it was first named.
pub type RoleUses = BTreeMap<String, String>;

/// The checked keys of one YAML mapping.
struct Fields<'n> {
    path: String,
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> Fields<'n> {
    fn get(&self, key: &str) -> Option<(&'n Node, String)> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(k, v)| (*v, child_path(&self.path, k)))
    }
}

const EXTENSION_KEYS: &[&str] = &["schema", "version"];
const SCHEMA_KEYS: &[&str] = &[
    "comment",
    "enums",
    "sequences",
    "tables",
    "views",
    "functions",
    "procedures",
    "materialized_views",
    "domains",
    "composite_types",
    "owner",
    "grants",
];
const DOMAIN_KEYS: &[&str] = &[
    "type",
    "not_null",
    "default",
    "collation",
    "constraints",
    "comment",
];
const DOMAIN_CONSTRAINT_KEYS: &[&str] = &["check", "not_valid", "comment"];
const COMPOSITE_KEYS: &[&str] = &["attributes", "comment"];
const ATTRIBUTE_KEYS: &[&str] = &["type", "collation", "comment"];
const ENUM_KEYS: &[&str] = &["values", "comment", "renamed_from"];
const SEQUENCE_KEYS: &[&str] = &[
    "type",
    "unlogged",
    "start",
    "increment",
    "min",
    "max",
    "cache",
    "cycle",
    "owned_by",
    "comment",
    "owner",
    "grants",
];
const OWNED_BY_KEYS: &[&str] = &["schema", "table", "column"];
const TABLE_KEYS: &[&str] = &[
    "columns",
    "unlogged",
    "primary_key",
    "unique",
    "checks",
    "foreign_keys",
    "exclude",
    "indexes",
    "options",
    "comment",
    "renamed_from",
    "partition_by",
    "partition_of",
    "bounds",
    "index_names",
    "triggers",
    "owner",
    "grants",
    "row_level_security",
    "policies",
];
const COLUMN_KEYS: &[&str] = &[
    "type",
    "not_null",
    "default",
    "identity",
    "generated",
    "collation",
    "comment",
    "renamed_from",
    "backfill",
    "grants",
];
const IDENTITY_KEYS: &[&str] = &[
    "generated",
    "sequence",
    "start",
    "increment",
    "min",
    "max",
    "cache",
    "cycle",
];
const PRIMARY_KEY_KEYS: &[&str] = &[
    "name",
    "columns",
    "include",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
];
const UNIQUE_KEYS: &[&str] = &[
    "columns",
    "include",
    "nulls_not_distinct",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
];
const CHECK_KEYS: &[&str] = &[
    "expression",
    "no_inherit",
    "not_valid",
    "comment",
    "renamed_from",
];
const FOREIGN_KEY_KEYS: &[&str] = &[
    "columns",
    "references",
    "on_delete",
    "on_delete_columns",
    "on_update",
    "match",
    "deferrable",
    "initially_deferred",
    "not_valid",
    "comment",
    "renamed_from",
];
const EXCLUDE_KEYS: &[&str] = &[
    "using",
    "elements",
    "include",
    "where",
    "deferrable",
    "initially_deferred",
    "comment",
    "renamed_from",
];
const EXCLUDE_ELEMENT_KEYS: &[&str] = &[
    "column",
    "expression",
    "with",
    "order",
    "nulls",
    "opclass",
    "collation",
];
const REFERENCES_KEYS: &[&str] = &["schema", "table", "columns"];
const INDEX_KEYS: &[&str] = &[
    "columns",
    "unique",
    "method",
    "include",
    "where",
    "nulls_not_distinct",
    "options",
    "comment",
    "renamed_from",
];
const PARTITION_OF_KEYS: &[&str] = &["schema", "table"];
const INDEX_COLUMN_KEYS: &[&str] = &[
    "column",
    "expression",
    "order",
    "nulls",
    "opclass",
    "collation",
];
const MATERIALIZED_VIEW_KEYS: &[&str] = &[
    "query",
    "with_data",
    "indexes",
    "options",
    "comment",
    "column_comments",
];
const VIEW_KEYS: &[&str] = &[
    "definition",
    "options",
    "comment",
    "column_comments",
    "owner",
    "grants",
];
const POLICY_KEYS: &[&str] = &["as", "command", "roles", "using", "with_check", "comment"];
const DEFAULT_PRIVILEGES_KEYS: &[&str] = &["for_role", "schema", "on", "grants"];
const OBJREF_KEYS: &[&str] = &["schema", "name"];
const FUNCTION_KEYS: &[&str] = &[
    "arguments",
    "returns",
    "language",
    "volatility",
    "strict",
    "security",
    "leakproof",
    "parallel",
    "cost",
    "rows",
    "set",
    "body",
    "sql_body",
    "comment",
    "grants",
];
const TRIGGER_KEYS: &[&str] = &[
    "timing",
    "events",
    "update_of",
    "for_each",
    "when",
    "function",
    "arguments",
    "referencing",
    "constraint",
    "deferrable",
    "initially_deferred",
    "enabled",
    "comment",
];
const REFERENCING_KEYS: &[&str] = &["old_table", "new_table"];
const HOOK_KEYS: &[&str] = &[
    "phase",
    "depends_on",
    "up",
    "down",
    "batch",
    "verify",
    "comment",
];
const BATCH_KEYS: &[&str] = &["table", "key", "size", "pause"];
const VERIFY_KEYS: &[&str] = &["name", "sql"];

impl<'d> Lowerer<'d> {
    pub fn new(diags: &'d mut Vec<Diagnostic>) -> Self {
        let mut catalog = Catalog::default();
        // `public` always exists in a new database; it is managed unless `--schema` says
        // otherwise, so the desired state has it even when no file names it.
        catalog.schemas.insert("public".into(), Schema::default());
        Lowerer {
            diags,
            file: Arc::from(""),
            catalog,
            sources: SourceMap::default(),
            renames: Renames::new(),
            hooks: Vec::new(),
            backfills: Backfills::new(),
            schema_comments: HashMap::new(),
            role_uses: RoleUses::new(),
            grantees: Vec::new(),
        }
    }

    pub fn finish(mut self) -> Lowered {
        // An extension's home schema is part of the desired state, created if missing.
        let homes: Vec<String> = self
            .catalog
            .extensions
            .values()
            .filter_map(|e| e.schema.clone())
            .collect();
        for schema in homes {
            self.catalog.schemas.entry(schema).or_default();
        }
        if !self.schema_comments.contains_key("public") {
            if let Some(public) = self.catalog.schemas.get_mut("public") {
                public.comment = Some(crate::model::naming::PUBLIC_SCHEMA_COMMENT.into());
            }
        }
        self.resolve_hook_dependencies();
        self.resolve_trigger_functions();
        self.check_grantees();
        Lowered {
            catalog: self.catalog,
            sources: self.sources,
            renames: self.renames,
            hooks: self.hooks,
            backfills: self.backfills,
            role_uses: self.role_uses,
        }
    }

    /// `depends_on: [name]` names a hook when a hook has that name, else a relation in
    /// `public`; a hook cannot depend on itself.
    fn resolve_hook_dependencies(&mut self) {
        let names: std::collections::BTreeSet<String> =
            self.hooks.iter().map(|h| h.name.clone()).collect();
        let mut problems = Vec::new();
        for hook in &mut self.hooks {
            for dep in &mut hook.depends_on {
                if let crate::model::hook::Dependency::Object(q) = dep {
                    if q.schema.is_empty() {
                        *dep = if names.contains(&q.name) {
                            crate::model::hook::Dependency::Hook(q.name.clone())
                        } else {
                            crate::model::hook::Dependency::Object(QualName::new("public", &q.name))
                        };
                    }
                }
                if *dep == crate::model::hook::Dependency::Hook(hook.name.clone()) {
                    problems.push((hook.name.clone(), "a hook cannot depend on itself"));
                }
            }
        }
        for (name, message) in problems {
            let path = child_path(&child_path("hooks", &name), "depends_on");
            self.diags.push(self.sources.diagnostic(&path, message));
        }
    }

    /// Records the `renamed_from` hint of a mapping, if it has one (its keys were checked).
    fn hint(&mut self, node: &Node, path: &str, hint: RenameHint) {
        let NodeKind::Map(entries) = &node.kind else {
            return;
        };
        let Some((_, value)) = entries.iter().find(
            |(k, _)| matches!(&k.kind, NodeKind::Scalar { text, .. } if text == "renamed_from"),
        ) else {
            return;
        };
        let p = child_path(path, "renamed_from");
        if let Some(old) = self.string(value, &p) {
            self.renames.insert(hint, Hint { old, path: p });
        }
    }

    fn location(&self, node: &Node) -> Location {
        Location {
            file: self.file.clone(),
            line: node.mark.line,
            column: node.mark.column,
        }
    }

    fn error(&mut self, node: &Node, path: &str, message: impl Into<String>) {
        let location = self.location(node);
        self.diags.push(Diagnostic {
            location,
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Remembers where `path` was written; the first record wins, so a named object is
    /// located at its name rather than at its body.
    fn record(&mut self, node: &Node, path: &str) {
        if !self.sources.nodes.contains_key(path) {
            let location = self.location(node);
            self.sources.nodes.insert(path.to_string(), location);
        }
    }

    /// Checks that `node` is a mapping with only `allowed` keys, each at most once.
    fn fields<'n>(&mut self, node: &'n Node, path: &str, allowed: &[&str]) -> Option<Fields<'n>> {
        self.record(node, path);
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => {
                return Some(Fields {
                    path: path.to_string(),
                    entries: Vec::new(),
                });
            }
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a mapping, found {}", node.describe()),
                );
                return None;
            }
        };
        let mut out: Vec<(&'n str, &'n Node)> = Vec::new();
        for (key, value) in entries {
            let Some(k) = self.key(key, path) else {
                continue;
            };
            if !allowed.contains(&k) {
                let hint = suggestion(k, allowed)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("expected one of: {}", allowed.join(", ")));
                self.error(key, path, format!("unknown key `{k}` ({hint})"));
                continue;
            }
            if let Some((_, first)) = out.iter().find(|(seen, _)| *seen == k) {
                let line = first.mark.line;
                self.error(
                    key,
                    path,
                    format!("duplicate key `{k}` (first given on line {line})"),
                );
                continue;
            }
            let child = child_path(path, k);
            self.record(value, &child);
            out.push((k, value));
        }
        Some(Fields {
            path: path.to_string(),
            entries: out,
        })
    }

    /// The entries of a mapping of named objects (`tables:`, `columns:` …) in file order,
    /// reporting repeated names.
    fn named<'n>(&mut self, node: &'n Node, path: &str) -> Vec<(&'n str, &'n Node, String)> {
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => return Vec::new(),
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a mapping of names, found {}", node.describe()),
                );
                return Vec::new();
            }
        };
        let mut out: Vec<(&'n str, &'n Node, String)> = Vec::new();
        let mut seen: HashMap<&'n str, usize> = HashMap::new();
        for (key, value) in entries {
            let Some(name) = self.key(key, path) else {
                continue;
            };
            if let Some(&line) = seen.get(name) {
                self.error(
                    key,
                    path,
                    format!("`{name}` is defined twice (first on line {line})"),
                );
                continue;
            }
            seen.insert(name, key.mark.line);
            let child = child_path(path, name);
            self.record(key, &child);
            out.push((name, value, child));
        }
        out
    }

    fn key<'n>(&mut self, key: &'n Node, path: &str) -> Option<&'n str> {
        match &key.kind {
            NodeKind::Scalar { text, .. } => Some(text.as_str()),
            _ => {
                self.error(
                    key,
                    path,
                    format!("a key must be a name, found {}", key.describe()),
                );
                None
            }
        }
    }

    fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar { text, .. } => Some(text.clone()),
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a string, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// A non-empty SQL fragment (expression, type, view body).
    fn sql(&mut self, node: &Node, path: &str) -> Option<String> {
        let text = self.string(node, path)?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.error(node, path, "expected SQL text, found an empty string");
            return None;
        }
        Some(trimmed.to_string())
    }

    /// An SQL expression or query, kept as written (the shadow database normalises it).
    fn expr(&mut self, node: &Node, path: &str) -> Option<Expr> {
        self.sql(node, path).map(Expr::new)
    }

    /// A string that may be left empty with `null`.
    fn optional_string(&mut self, node: &Node, path: &str) -> Option<String> {
        match node.kind {
            NodeKind::Null => None,
            _ => self.string(node, path),
        }
    }

    fn bool(&mut self, node: &Node, path: &str) -> Option<bool> {
        if let NodeKind::Scalar { text, .. } = &node.kind {
            match text.to_ascii_lowercase().as_str() {
                "true" => return Some(true),
                "false" => return Some(false),
                _ => {}
            }
        }
        self.error(node, path, "expected true or false");
        None
    }

    fn int(&mut self, node: &Node, path: &str) -> Option<i64> {
        if let NodeKind::Scalar { text, .. } = &node.kind {
            if let Ok(v) = text.trim().parse::<i64>() {
                return Some(v);
            }
        }
        self.error(node, path, "expected an integer");
        None
    }

    /// A list of names; a single name may be written without brackets.
    fn names(&mut self, node: &Node, path: &str) -> Option<Vec<String>> {
        match &node.kind {
            NodeKind::Scalar { text, .. } => Some(vec![text.clone()]),
            NodeKind::Seq(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    self.record(item, &p);
                    out.push(self.string(item, &p)?);
                }
                Some(out)
            }
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a list of names, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// A choice among fixed words, compared without regard to case, `_` or `-`.
    fn word(&mut self, node: &Node, path: &str, choices: &[&str]) -> Option<String> {
        let text = self.string(node, path)?;
        let normal = text.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        if choices.contains(&normal.as_str()) {
            Some(normal)
        } else {
            self.error(
                node,
                path,
                format!("`{text}` is not one of: {}", choices.join(", ")),
            );
            None
        }
    }

    fn obj_ref(&mut self, node: &Node, path: &str) -> Option<ObjRef> {
        if let NodeKind::Map(_) = node.kind {
            let f = self.fields(node, path, OBJREF_KEYS)?;
            let schema = match f.get("schema") {
                Some((n, p)) => self.optional_string(n, &p),
                None => None,
            };
            let Some((n, p)) = f.get("name") else {
                self.error(node, path, "missing key `name`");
                return None;
            };
            let name = self.string(n, &p)?;
            return Some(ObjRef { schema, name });
        }
        let name = self.string(node, path)?;
        Some(ObjRef { schema: None, name })
    }

    fn options(&mut self, node: &Node, path: &str) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (name, value, p) in self.named(node, path) {
            if let Some(v) = self.string(value, &p) {
                out.insert(name.to_string(), v);
            }
        }
        out
    }

    fn define(&mut self, key: ObjKey, path: &str, node: &Node) -> bool {
        if let Some(first) = self.sources.objects.get(&key) {
            let first_loc = self
                .sources
                .locate(first)
                .map(|l| l.to_string())
                .unwrap_or_default();
            let what = describe_key(&key);
            self.error(
                node,
                path,
                format!("{what} is defined twice (first at {first_loc})"),
            );
            return false;
        }
        self.sources.objects.insert(key, path.to_string());
        true
    }

    pub fn document(&mut self, file: Arc<str>, doc: &Node) {
        self.file = file;
        let Some(f) = self.fields(
            doc,
            "",
            &[
                "extensions",
                "schemas",
                "hooks",
                "roles",
                "default_privileges",
            ],
        ) else {
            return;
        };
        if let Some((node, path)) = f.get("roles") {
            self.roles(node, &path);
        }
        if let Some((node, path)) = f.get("default_privileges") {
            self.default_privileges(node, &path);
        }
        if let Some((node, path)) = f.get("hooks") {
            for (name, spec, p) in self.named(node, &path) {
                if self.hooks.iter().any(|h| h.name == name) {
                    self.error(spec, &p, format!("hook `{name}` is defined twice"));
                    continue;
                }
                if let Some(hook) = self.hook(name, spec, &p) {
                    self.hooks.push(hook);
                }
            }
        }
        if let Some((node, path)) = f.get("extensions") {
            self.extensions(node, &path);
        }
        if let Some((node, path)) = f.get("schemas") {
            for (name, schema, p) in self.named(node, &path) {
                self.schema(name, schema, &p);
            }
        }
    }

    fn extensions(&mut self, node: &Node, path: &str) {
        let entries: Vec<(String, Option<&Node>, String, &Node)> = match &node.kind {
            NodeKind::Seq(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    self.record(item, &p);
                    if let Some(name) = self.string(item, &p) {
                        out.push((name, None, p, item));
                    }
                }
                out
            }
            _ => self
                .named(node, path)
                .into_iter()
                .map(|(n, v, p)| (n.to_string(), Some(v), p, v))
                .collect(),
        };
        for (name, spec, path, at) in entries {
            let mut ext = Extension::default();
            if let Some(spec) = spec {
                if let Some(f) = self.fields(spec, &path, EXTENSION_KEYS) {
                    if let Some((n, p)) = f.get("schema") {
                        ext.schema = self.optional_string(n, &p);
                    }
                    if let Some((n, p)) = f.get("version") {
                        ext.version = self.optional_string(n, &p);
                    }
                }
            }
            if self.define(ObjKey::Extension(name.clone()), &path, at) {
                self.catalog.extensions.insert(name, ext);
            }
        }
    }

    fn schema(&mut self, name: &str, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, SCHEMA_KEYS) else {
            return;
        };
        self.sources
            .objects
            .entry(ObjKey::Schema(name.to_string()))
            .or_insert_with(|| path.to_string());
        self.catalog.schemas.entry(name.to_string()).or_default();
        if let Some((n, p)) = f.get("comment") {
            if let Some(first) = self.schema_comments.get(name).cloned() {
                let first_loc = self
                    .sources
                    .locate(&first)
                    .map(|l| l.to_string())
                    .unwrap_or_default();
                self.error(
                    n,
                    &p,
                    format!("the comment of schema `{name}` is given twice (first at {first_loc})"),
                );
            } else {
                let comment = self.optional_string(n, &p);
                self.schema_comments.insert(name.to_string(), p.clone());
                self.catalog
                    .schemas
                    .get_mut(name)
                    .expect("inserted above")
                    .comment = comment;
            }
        }
        if let Some((n, p)) = f.get("owner") {
            let owner = self.owner(n, &p);
            if let Some(schema) = self.catalog.schemas.get_mut(name) {
                schema.owner = owner;
            }
        }
        if let Some((n, p)) = f.get("grants") {
            let grants = self.grants(n, &p, Privilege::SCHEMA, "a schema");
            if let Some(schema) = self.catalog.schemas.get_mut(name) {
                schema.grants = grants;
            }
        }
        if let Some((node, path)) = f.get("enums") {
            for (enum_name, spec, p) in self.named(node, &path) {
                self.enum_type(QualName::new(name, enum_name), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("domains") {
            for (domain_name, spec, p) in self.named(node, &path) {
                self.domain(QualName::new(name, domain_name), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("composite_types") {
            for (type_name, spec, p) in self.named(node, &path) {
                self.composite_type(QualName::new(name, type_name), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("sequences") {
            for (seq_name, spec, p) in self.named(node, &path) {
                self.sequence(QualName::new(name, seq_name), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("tables") {
            for (table_name, spec, p) in self.named(node, &path) {
                self.table(QualName::new(name, table_name), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("views") {
            for (view_name, spec, p) in self.named(node, &path) {
                self.view(QualName::new(name, view_name), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("materialized_views") {
            for (view_name, spec, p) in self.named(node, &path) {
                self.materialized_view(QualName::new(name, view_name), spec, &p);
            }
        }
        for (key, kind) in [
            ("functions", RoutineKind::Function),
            ("procedures", RoutineKind::Procedure),
        ] {
            if let Some((node, path)) = f.get(key) {
                for (function_name, spec, p) in self.named(node, &path) {
                    self.function(name, function_name, kind, spec, &p);
                }
            }
        }
    }

    /// A function or procedure. The key is its name, or its name with the argument list
    /// (`add(a integer, b integer)`), which tells overloads apart and stands for `arguments`.
    fn function(&mut self, schema: &str, key: &str, kind: RoutineKind, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, FUNCTION_KEYS) else {
            return;
        };
        let (name, key_args) = match key.split_once('(') {
            Some((name, rest)) => {
                let Some(args) = rest.trim_end().strip_suffix(')') else {
                    self.error(
                        node,
                        path,
                        format!("`{key}`: an argument list in the name must end with `)`"),
                    );
                    return;
                };
                (name.trim(), Some(args.trim().to_string()))
            }
            None => (key, None),
        };
        let arguments = match f.get("arguments") {
            Some((n, p)) => self.optional_string(n, &p).unwrap_or_default(),
            None => key_args.unwrap_or_default(),
        };
        let mut function = Function {
            kind,
            arguments: arguments.trim().to_string(),
            returns: None,
            language: "sql".into(),
            volatility: Volatility::Volatile,
            strict: false,
            security_definer: false,
            leakproof: false,
            parallel: Parallel::Unsafe,
            cost: None,
            rows: None,
            settings: BTreeMap::new(),
            body: String::new(),
            sql_body: false,
            comment: self.comment_field(&f),
            grants: Grants::new(),
        };
        if let Some((n, p)) = f.get("grants") {
            function.grants = self.grants(n, &p, &[Privilege::Execute], "a function");
            if function.grants.contains_key(crate::model::PUBLIC_ROLE) {
                self.error(
                    n,
                    &p,
                    "PUBLIC may run every function unless that is revoked: EXECUTE for `public` is not managed",
                );
            }
        }
        match (f.get("returns"), kind) {
            (Some((n, p)), RoutineKind::Function) => function.returns = self.sql(n, &p),
            (None, RoutineKind::Function) => self.error(
                node,
                path,
                "missing key `returns` (a function's result type)",
            ),
            (Some((n, p)), RoutineKind::Procedure) => {
                self.error(n, &p, "a procedure returns nothing: it takes no `returns`")
            }
            (None, RoutineKind::Procedure) => {}
        }
        if let Some((n, p)) = f.get("language") {
            if let Some(l) = self.sql(n, &p) {
                function.language = l.to_ascii_lowercase();
            }
        }
        if let Some((n, p)) = f.get("volatility") {
            function.volatility = match self
                .word(n, &p, &["immutable", "stable", "volatile"])
                .as_deref()
            {
                Some("immutable") => Volatility::Immutable,
                Some("stable") => Volatility::Stable,
                _ => Volatility::Volatile,
            };
        }
        if let Some((n, p)) = f.get("parallel") {
            function.parallel = match self
                .word(n, &p, &["safe", "restricted", "unsafe"])
                .as_deref()
            {
                Some("safe") => Parallel::Safe,
                Some("restricted") => Parallel::Restricted,
                _ => Parallel::Unsafe,
            };
        }
        if let Some((n, p)) = f.get("security") {
            function.security_definer =
                self.word(n, &p, &["definer", "invoker"]).as_deref() == Some("definer");
        }
        for (key, slot) in [
            ("strict", &mut function.strict),
            ("leakproof", &mut function.leakproof),
        ] {
            if let Some((n, p)) = f.get(key) {
                *slot = self.bool(n, &p).unwrap_or(false);
            }
        }
        for (key, slot) in [("cost", &mut function.cost), ("rows", &mut function.rows)] {
            if let Some((n, p)) = f.get(key) {
                match self.string(n, &p) {
                    Some(v) if v.trim().parse::<f64>().is_ok_and(|x| x > 0.0) => {
                        *slot = Some(v.trim().to_string())
                    }
                    Some(_) => self.error(n, &p, "expected a positive number"),
                    None => {}
                }
            }
        }
        if let Some((n, p)) = f.get("set") {
            function.settings = self.options(n, &p);
        }
        // The body is kept exactly as written (not trimmed): it is what PostgreSQL stores.
        match (f.get("body"), f.get("sql_body")) {
            (Some((n, p)), None) => function.body = self.string(n, &p).unwrap_or_default(),
            (None, Some((n, p))) => {
                function.body = self.sql(n, &p).unwrap_or_default();
                function.sql_body = true;
            }
            (Some(_), Some((n, p))) => {
                self.error(n, &p, "give either `body` or `sql_body`, not both")
            }
            (None, None) => self.error(node, path, "missing key `body`"),
        }
        let id = FunctionId {
            name: QualName::new(schema, name),
            args: crate::sqltext::body::without_defaults(&function.arguments),
        };
        if self.define(ObjKey::Function(id.clone()), path, node) {
            self.catalog.functions.insert(id, function);
        }
    }

    fn trigger(&mut self, node: &Node, path: &str) -> Option<Trigger> {
        let f = self.fields(node, path, TRIGGER_KEYS)?;
        let mut trigger = Trigger {
            timing: TriggerTiming::After,
            events: Vec::new(),
            update_of: Vec::new(),
            for_each_row: false,
            when: None,
            function: QualName::new("", ""),
            arguments: Vec::new(),
            old_table: None,
            new_table: None,
            constraint: false,
            deferrable: false,
            initially_deferred: false,
            enabled: TriggerEnabled::Origin,
            comment: self.comment_field(&f),
        };
        match f.get("timing") {
            Some((n, p)) => {
                trigger.timing = match self
                    .word(n, &p, &["before", "after", "instead of"])?
                    .as_str()
                {
                    "before" => TriggerTiming::Before,
                    "instead of" => TriggerTiming::InsteadOf,
                    _ => TriggerTiming::After,
                }
            }
            None => self.error(
                node,
                path,
                "missing key `timing` (before, after, instead of)",
            ),
        }
        match f.get("events") {
            Some((n, p)) => {
                const EVENTS: [&str; 4] = ["insert", "update", "delete", "truncate"];
                let listed = self.names(n, &p)?;
                for e in &listed {
                    let e = e.trim().to_ascii_lowercase();
                    if !EVENTS.contains(&e.as_str()) {
                        self.error(n, &p, format!("`{e}` is not one of: {}", EVENTS.join(", ")));
                        return None;
                    }
                }
                // PostgreSQL keeps events as bits: the order written does not matter.
                trigger.events = EVENTS
                    .iter()
                    .filter(|e| listed.iter().any(|l| l.trim().eq_ignore_ascii_case(e)))
                    .map(|e| e.to_string())
                    .collect();
            }
            None => self.error(node, path, "missing key `events`"),
        }
        if let Some((n, p)) = f.get("update_of") {
            trigger.update_of = self.names(n, &p)?;
            if !trigger.events.iter().any(|e| e == "update") {
                self.error(n, &p, "`update_of` needs `update` among the events");
            }
        }
        if let Some((n, p)) = f.get("for_each") {
            trigger.for_each_row = self.word(n, &p, &["row", "statement"])? == "row";
        }
        if let Some((n, p)) = f.get("when") {
            trigger.when = self.expr(n, &p);
        }
        match f.get("function") {
            Some((n, p)) => {
                let text = self.sql(n, &p)?;
                let text = text.trim_end_matches("()").trim();
                trigger.function = match text.split_once('.') {
                    Some((schema, name)) => QualName::new(schema, name),
                    // Resolved once every function is known (see `resolve_trigger_functions`).
                    None => QualName::new("", text),
                };
            }
            None => self.error(node, path, "missing key `function`"),
        }
        if let Some((n, p)) = f.get("arguments") {
            trigger.arguments = self.names(n, &p)?;
        }
        if let Some((n, p)) = f.get("referencing") {
            let r = self.fields(n, &p, REFERENCING_KEYS)?;
            if let Some((n, p)) = r.get("old_table") {
                trigger.old_table = self.optional_string(n, &p);
            }
            if let Some((n, p)) = r.get("new_table") {
                trigger.new_table = self.optional_string(n, &p);
            }
        }
        if let Some((n, p)) = f.get("constraint") {
            trigger.constraint = self.bool(n, &p)?;
        }
        (trigger.deferrable, trigger.initially_deferred) = self.deferral(&f);
        if let Some((n, p)) = f.get("enabled") {
            trigger.enabled = match &n.kind {
                NodeKind::Scalar { text, .. } if text.eq_ignore_ascii_case("true") => {
                    TriggerEnabled::Origin
                }
                NodeKind::Scalar { text, .. } if text.eq_ignore_ascii_case("false") => {
                    TriggerEnabled::Disabled
                }
                _ => match self
                    .word(n, &p, &["true", "false", "replica", "always"])?
                    .as_str()
                {
                    "replica" => TriggerEnabled::Replica,
                    _ => TriggerEnabled::Always,
                },
            };
        }
        Some(trigger)
    }

    /// A trigger's function written without a schema is looked up in the table's schema, then
    /// in `public` (as other names in the YAML are).
    fn resolve_trigger_functions(&mut self) {
        let functions: std::collections::BTreeSet<QualName> = self
            .catalog
            .functions
            .keys()
            .map(|f| f.name.clone())
            .collect();
        for (table, t) in self.catalog.tables.iter_mut() {
            for trigger in t.triggers.values_mut() {
                if trigger.function.schema.is_empty() {
                    let own = QualName::new(table.schema.clone(), trigger.function.name.clone());
                    let public = QualName::new("public", trigger.function.name.clone());
                    trigger.function = if !functions.contains(&own) && functions.contains(&public) {
                        public
                    } else {
                        own
                    };
                }
            }
        }
    }

    fn enum_type(&mut self, name: QualName, node: &Node, path: &str) {
        let mut def = EnumType::default();
        let values = match &node.kind {
            NodeKind::Seq(_) => Some((node, path.to_string())),
            _ => {
                let Some(f) = self.fields(node, path, ENUM_KEYS) else {
                    return;
                };
                if let Some((n, p)) = f.get("comment") {
                    def.comment = self.optional_string(n, &p);
                }
                let values = f.get("values");
                if values.is_none() {
                    self.error(node, path, "missing key `values`");
                }
                values
            }
        };
        if let Some((n, p)) = values {
            match &n.kind {
                NodeKind::Seq(_) => def.values = self.names(n, &p).unwrap_or_default(),
                _ => self.error(
                    n,
                    &p,
                    format!("expected a list of values, found {}", n.describe()),
                ),
            }
        }
        if self.define(ObjKey::Type(name.clone()), path, node) {
            self.hint(node, path, RenameHint::Enum(name.clone()));
            self.catalog.enums.insert(name, def);
        }
    }

    /// `domains: { name: { type, not_null, default, collation, constraints, comment } }`; a bare
    /// type (`email: citext`) is a domain with nothing else.
    fn domain(&mut self, name: QualName, node: &Node, path: &str) {
        let mut def = Domain {
            data_type: String::new(),
            not_null: false,
            default: None,
            collation: None,
            constraints: BTreeMap::new(),
            comment: None,
        };
        if let NodeKind::Scalar { .. } = node.kind {
            let type_path = child_path(path, "type");
            self.record(node, &type_path);
            let Some(data_type) = self.sql(node, &type_path) else {
                return;
            };
            def.data_type = data_type;
        } else {
            let Some(f) = self.fields(node, path, DOMAIN_KEYS) else {
                return;
            };
            let Some((type_node, type_path)) = f.get("type") else {
                self.error(node, path, "missing key `type` (the domain's base type)");
                return;
            };
            let Some(data_type) = self.sql(type_node, &type_path) else {
                return;
            };
            def.data_type = data_type;
            if let Some((n, p)) = f.get("not_null") {
                def.not_null = self.bool(n, &p).unwrap_or(false);
            }
            if let Some((n, p)) = f.get("default") {
                def.default = match n.kind {
                    NodeKind::Null => None,
                    _ => self.expr(n, &p),
                };
            }
            if let Some((n, p)) = f.get("collation") {
                def.collation = self.obj_ref(n, &p);
            }
            if let Some((n, p)) = f.get("constraints") {
                for (cname, spec, cp) in self.named(n, &p) {
                    if let Some(con) = self.domain_constraint(spec, &cp) {
                        def.constraints.insert(cname.to_string(), con);
                    }
                }
            }
            def.comment = self.comment_field(&f);
        }
        if self.define(ObjKey::Type(name.clone()), path, node) {
            self.catalog.domains.insert(name, def);
        }
    }

    /// `{ check: VALUE > 0, not_valid, comment }`, or the expression alone.
    fn domain_constraint(&mut self, node: &Node, path: &str) -> Option<DomainConstraint> {
        if let NodeKind::Scalar { .. } = node.kind {
            return Some(DomainConstraint {
                expression: self.expr(node, path)?,
                validated: true,
                comment: None,
            });
        }
        let f = self.fields(node, path, DOMAIN_CONSTRAINT_KEYS)?;
        let Some((n, p)) = f.get("check") else {
            self.error(node, path, "missing key `check` (an expression of VALUE)");
            return None;
        };
        let expression = self.expr(n, &p)?;
        let not_valid = f
            .get("not_valid")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        Some(DomainConstraint {
            expression,
            validated: !not_valid,
            comment: self.comment_field(&f),
        })
    }

    /// `composite_types: { name: { attributes: { a: type | { type, collation, comment } },
    /// comment } }`; attributes in file order.
    fn composite_type(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, COMPOSITE_KEYS) else {
            return;
        };
        let mut def = CompositeType::default();
        match f.get("attributes") {
            Some((n, p)) => {
                for (attr_name, spec, ap) in self.named(n, &p) {
                    if let Some(a) = self.attribute(attr_name, spec, &ap) {
                        def.attributes.push(a);
                    }
                }
            }
            None => self.error(node, path, "missing key `attributes`"),
        }
        def.comment = self.comment_field(&f);
        if self.define(ObjKey::Type(name.clone()), path, node) {
            self.catalog.composite_types.insert(name, def);
        }
    }

    fn attribute(&mut self, name: &str, node: &Node, path: &str) -> Option<Attribute> {
        let type_path = child_path(path, "type");
        if let NodeKind::Scalar { .. } = node.kind {
            self.record(node, &type_path);
            return Some(Attribute {
                name: name.to_string(),
                data_type: self.sql(node, &type_path)?,
                collation: None,
                comment: None,
            });
        }
        let f = self.fields(node, path, ATTRIBUTE_KEYS)?;
        let Some((type_node, type_path)) = f.get("type") else {
            self.error(node, path, "missing key `type`");
            return None;
        };
        let data_type = self.sql(type_node, &type_path)?;
        let collation = match f.get("collation") {
            Some((n, p)) => self.obj_ref(n, &p),
            None => None,
        };
        Some(Attribute {
            name: name.to_string(),
            data_type,
            collation,
            comment: self.comment_field(&f),
        })
    }

    fn sequence_option_fields(&mut self, f: &Fields<'_>, options: &mut SequenceOptions) {
        for (key, slot) in [
            ("start", &mut options.start),
            ("increment", &mut options.increment),
            ("min", &mut options.min_value),
            ("max", &mut options.max_value),
            ("cache", &mut options.cache),
        ] {
            if let Some((n, p)) = f.get(key) {
                *slot = self.int(n, &p);
            }
        }
        if let Some((n, p)) = f.get("cycle") {
            options.cycle = self.bool(n, &p);
        }
    }

    fn sequence(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, SEQUENCE_KEYS) else {
            return;
        };
        let mut seq = Sequence::default();
        if let Some((n, p)) = f.get("type") {
            seq.options.data_type = self.sql(n, &p);
        }
        self.sequence_option_fields(&f, &mut seq.options);
        if let Some((n, p)) = f.get("owned_by") {
            if let Some(o) = self.fields(n, &p, OWNED_BY_KEYS) {
                let schema = match o.get("schema") {
                    Some((n, p)) => self.string(n, &p),
                    None => Some(name.schema.clone()),
                };
                let table = o.get("table").and_then(|(n, p)| self.string(n, &p));
                let column = o.get("column").and_then(|(n, p)| self.string(n, &p));
                match (schema, table, column) {
                    (Some(schema), Some(table), Some(column)) => {
                        seq.owned_by = Some(ColumnRef {
                            table: QualName::new(schema, table),
                            column,
                        })
                    }
                    _ => self.error(n, &p, "`owned_by` needs `table` and `column`"),
                }
            }
        }
        if let Some((n, p)) = f.get("unlogged") {
            seq.unlogged = self.bool(n, &p).unwrap_or(false);
        }
        if let Some((n, p)) = f.get("comment") {
            seq.comment = self.optional_string(n, &p);
        }
        if let Some((n, p)) = f.get("owner") {
            seq.owner = self.owner(n, &p);
        }
        if let Some((n, p)) = f.get("grants") {
            seq.grants = self.grants(n, &p, Privilege::SEQUENCE, "a sequence");
        }
        if self.define(ObjKey::Relation(name.clone()), path, node) {
            self.catalog.sequences.insert(name, seq);
        }
    }

    fn table(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, TABLE_KEYS) else {
            return;
        };
        if !self.define(ObjKey::Relation(name.clone()), path, node) {
            return;
        }
        let mut table = Table::default();
        self.hint(node, path, RenameHint::Table(name.clone()));
        if let Some((n, p)) = f.get("columns") {
            for (col_name, spec, cp) in self.named(n, &p) {
                if let Some(column) = self.column(col_name, spec, &cp) {
                    self.hint(
                        spec,
                        &cp,
                        RenameHint::Column(name.clone(), col_name.to_string()),
                    );
                    if let NodeKind::Map(entries) = &spec.kind {
                        let backfill = entries.iter().find(|(k, _)| {
                            matches!(&k.kind, NodeKind::Scalar { text, .. } if text == "backfill")
                        });
                        if let Some((_, value)) = backfill {
                            let bp = child_path(&cp, "backfill");
                            if column.generated.is_some() || column.identity.is_some() {
                                self.error(
                                    value,
                                    &bp,
                                    "a generated or identity column fills itself: it takes no backfill",
                                );
                            } else if let Some(expression) = self.expr(value, &bp) {
                                self.backfills.insert(
                                    (name.clone(), col_name.to_string()),
                                    ColumnBackfill {
                                        expression,
                                        path: bp,
                                    },
                                );
                            }
                        }
                    }
                    if let Some((value, gp)) = map_entry(spec, "grants", &cp) {
                        let grants = self.grants(value, &gp, Privilege::COLUMN, "a column");
                        if !grants.is_empty() {
                            table.column_grants.insert(col_name.to_string(), grants);
                        }
                    }
                    self.sources
                        .objects
                        .insert(ObjKey::Column(name.clone(), col_name.to_string()), cp);
                    table.columns.push(column);
                }
            }
        }
        if let Some((n, p)) = f.get("primary_key") {
            if let Some((cname, c)) = self.primary_key(&name, n, &p) {
                self.add_constraint(&name, &mut table, cname, c, n, &p);
            }
        }
        if let Some((n, p)) = f.get("unique") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.unique(spec, &cp) {
                    self.add_constraint(&name, &mut table, cname.to_string(), c, spec, &cp);
                }
            }
        }
        if let Some((n, p)) = f.get("checks") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.check(spec, &cp) {
                    self.add_constraint(&name, &mut table, cname.to_string(), c, spec, &cp);
                }
            }
        }
        if let Some((n, p)) = f.get("foreign_keys") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.foreign_key(&name, spec, &cp) {
                    self.add_constraint(&name, &mut table, cname.to_string(), c, spec, &cp);
                }
            }
        }
        if let Some((n, p)) = f.get("exclude") {
            for (cname, spec, cp) in self.named(n, &p) {
                if let Some(c) = self.exclusion(spec, &cp) {
                    self.add_constraint(&name, &mut table, cname.to_string(), c, spec, &cp);
                }
            }
        }
        if let Some((n, p)) = f.get("indexes") {
            for (iname, spec, ip) in self.named(n, &p) {
                if let Some(index) = self.index(spec, &ip) {
                    self.hint(
                        spec,
                        &ip,
                        RenameHint::Index(name.clone(), iname.to_string()),
                    );
                    let key = ObjKey::Relation(QualName::new(name.schema.clone(), iname));
                    self.sources.objects.entry(key).or_insert(ip);
                    table.indexes.insert(iname.to_string(), index);
                }
            }
        }
        if let Some((n, p)) = f.get("triggers") {
            for (tname, spec, tp) in self.named(n, &p) {
                if let Some(trigger) = self.trigger(spec, &tp) {
                    let key = ObjKey::Trigger(name.clone(), tname.to_string());
                    self.sources.objects.entry(key).or_insert(tp);
                    table.triggers.insert(tname.to_string(), trigger);
                }
            }
        }
        if let Some((n, p)) = f.get("options") {
            table.options = self.options(n, &p);
        }
        if let Some((n, p)) = f.get("unlogged") {
            table.unlogged = self.bool(n, &p).unwrap_or(false);
        }
        if let Some((n, p)) = f.get("comment") {
            table.comment = self.optional_string(n, &p);
        }
        self.partitioning(&name, &mut table, &f, node, path);
        if let Some((n, p)) = f.get("owner") {
            table.owner = self.owner(n, &p);
        }
        if let Some((n, p)) = f.get("grants") {
            table.grants = self.grants(n, &p, Privilege::TABLE, "a table");
        }
        if let Some((n, p)) = f.get("row_level_security") {
            table.row_security = match self
                .word(n, &p, &["disabled", "enabled", "forced"])
                .as_deref()
            {
                Some("enabled") => RowSecurity {
                    enabled: true,
                    forced: false,
                },
                Some("forced") => RowSecurity {
                    enabled: true,
                    forced: true,
                },
                _ => RowSecurity::default(),
            };
        }
        if let Some((n, p)) = f.get("policies") {
            for (pname, spec, pp) in self.named(n, &p) {
                if let Some(policy) = self.policy(spec, &pp) {
                    self.sources
                        .objects
                        .insert(ObjKey::Policy(name.clone(), pname.to_string()), pp);
                    table.policies.insert(pname.to_string(), policy);
                }
            }
        }
        self.catalog.tables.insert(name, table);
    }

    /// `partition_by` of a partitioned table; `partition_of` and `bounds` of a partition, whose
    /// columns are its parent's.
    fn partitioning(
        &mut self,
        name: &QualName,
        table: &mut Table,
        f: &Fields<'_>,
        node: &Node,
        path: &str,
    ) {
        if let Some((n, p)) = f.get("partition_by") {
            table.partition_by = self.sql(n, &p);
        }
        let (parent, bounds) = match (f.get("partition_of"), f.get("bounds")) {
            (None, None) => {
                if let Some((n, p)) = f.get("index_names") {
                    self.error(n, &p, "`index_names` belongs to a partition");
                }
                return;
            }
            (Some(_), None) => {
                self.error(
                    node,
                    path,
                    "missing key `bounds` (a partition's `FOR VALUES …` or `default`)",
                );
                return;
            }
            (None, Some((n, p))) => {
                self.error(
                    n,
                    &p,
                    "`bounds` belongs to a partition: `partition_of` names its parent",
                );
                return;
            }
            (Some(parent), Some(bounds)) => (parent, bounds),
        };
        if let Some((n, p)) = f.get("columns") {
            self.error(
                n,
                &p,
                "a partition's columns are its parent's: leave `columns` out",
            );
        }
        let (pn, pp) = parent;
        let parent = match &pn.kind {
            NodeKind::Map(_) => {
                let Some(pf) = self.fields(pn, &pp, PARTITION_OF_KEYS) else {
                    return;
                };
                let schema = match pf.get("schema") {
                    Some((n, p)) => self.string(n, &p),
                    None => Some(name.schema.clone()),
                };
                let Some((tn, tp)) = pf.get("table") else {
                    self.error(pn, &pp, "missing key `table`");
                    return;
                };
                let table = self.string(tn, &tp);
                match (schema, table) {
                    (Some(s), Some(t)) => QualName::new(s, t),
                    _ => return,
                }
            }
            _ => match self.string(pn, &pp) {
                Some(t) => QualName::new(name.schema.clone(), t),
                None => return,
            },
        };
        let (bn, bp) = bounds;
        let Some(bounds) = self.sql(bn, &bp) else {
            return;
        };
        let bounds = if bounds.eq_ignore_ascii_case("default") {
            "DEFAULT".to_string()
        } else {
            bounds
        };
        let index_names = match f.get("index_names") {
            Some((n, p)) => self.options(n, &p),
            None => BTreeMap::new(),
        };
        table.partition_of = Some(PartitionOf {
            parent,
            bounds,
            constraint: None,
            inherited_constraints: BTreeMap::new(),
            inherited_indexes: BTreeMap::new(),
            index_names,
        });
    }

    fn add_constraint(
        &mut self,
        table_name: &QualName,
        table: &mut Table,
        name: String,
        constraint: Constraint,
        node: &Node,
        path: &str,
    ) {
        if table.constraints.contains_key(&name) {
            self.error(
                node,
                path,
                format!("constraint `{name}` is defined twice on table {table_name}"),
            );
            return;
        }
        self.sources.objects.insert(
            ObjKey::Constraint(table_name.clone(), name.clone()),
            path.to_string(),
        );
        self.hint(
            node,
            path,
            RenameHint::Constraint(table_name.clone(), name.clone()),
        );
        table.constraints.insert(name, constraint);
    }

    fn column(&mut self, name: &str, node: &Node, path: &str) -> Option<Column> {
        if let NodeKind::Scalar { .. } = node.kind {
            // `title: text` is short for `title: { type: text }`.
            let type_path = child_path(path, "type");
            self.record(node, &type_path);
            let data_type = self.sql(node, &type_path)?;
            return Some(Column::new(name, data_type));
        }
        let f = self.fields(node, path, COLUMN_KEYS)?;
        let Some((type_node, type_path)) = f.get("type") else {
            self.error(node, path, "missing key `type`");
            return None;
        };
        let mut column = Column::new(name, self.sql(type_node, &type_path)?);
        if let Some((n, p)) = f.get("not_null") {
            column.not_null = self.bool(n, &p).unwrap_or(false);
        }
        if let Some((n, p)) = f.get("default") {
            column.default = match n.kind {
                NodeKind::Null => None,
                _ => self.expr(n, &p),
            };
        }
        if let Some((n, p)) = f.get("generated") {
            column.generated = self.expr(n, &p);
        }
        if let Some((n, p)) = f.get("identity") {
            column.identity = self.identity(n, &p);
        }
        if let Some((n, p)) = f.get("collation") {
            column.collation = self.obj_ref(n, &p);
        }
        if let Some((n, p)) = f.get("comment") {
            column.comment = self.optional_string(n, &p);
        }
        Some(column)
    }

    fn hook(&mut self, name: &str, node: &Node, path: &str) -> Option<crate::model::hook::Hook> {
        use crate::model::hook::Dependency;
        use crate::model::hook::Hook;
        use crate::model::hook::HookPhase;
        use crate::model::hook::Verify;
        let f = self.fields(node, path, HOOK_KEYS)?;
        let phase = match f.get("phase") {
            Some((n, p)) => match self.word(n, &p, &["backfill", "before contract"])?.as_str() {
                "backfill" => HookPhase::Backfill,
                _ => HookPhase::BeforeContract,
            },
            None => HookPhase::Backfill,
        };
        let Some((up_node, up_path)) = f.get("up") else {
            self.error(node, path, "missing key `up`");
            return None;
        };
        let up = self.sql(up_node, &up_path)?;
        let down = match f.get("down") {
            Some((n, p)) => match n.kind {
                NodeKind::Null => None,
                _ => Some(self.sql(n, &p)?),
            },
            None => None,
        };
        let mut depends_on = Vec::new();
        if let Some((n, p)) = f.get("depends_on") {
            for dep in self.names(n, &p)? {
                depends_on.push(Dependency::Object(match dep.split_once('.') {
                    Some((schema, object)) => QualName::new(schema, object),
                    // Resolved against the hook names once every file is read.
                    None => QualName::new("", dep),
                }));
            }
        }
        let batch = match f.get("batch") {
            Some((n, p)) => Some(self.batch(n, &p)?),
            None => None,
        };
        let bound: std::collections::BTreeSet<&str> = crate::plan::hook::placeholders(&up)
            .into_iter()
            .map(|(_, n)| n)
            .filter(|n| *n == "lo" || *n == "hi")
            .collect();
        match (&batch, bound.len()) {
            (Some(_), 2) | (None, 0) => {}
            (Some(_), _) => {
                self.error(
                    up_node,
                    &up_path,
                    "a batched hook's SQL must use both :lo and :hi (the first and last key of each batch)",
                );
                return None;
            }
            (None, _) => {
                self.error(
                    up_node,
                    &up_path,
                    ":lo and :hi stand for the keys of a batch, but the hook has no `batch`",
                );
                return None;
            }
        }
        let mut verify = Vec::new();
        if let Some((n, p)) = f.get("verify") {
            let NodeKind::Seq(items) = &n.kind else {
                self.error(n, &p, "expected a list of { name, sql }");
                return None;
            };
            for (i, item) in items.iter().enumerate() {
                let ip = format!("{p}[{i}]");
                let vf = self.fields(item, &ip, VERIFY_KEYS)?;
                let (Some((nn, np)), Some((sn, sp))) = (vf.get("name"), vf.get("sql")) else {
                    self.error(item, &ip, "a verification needs `name` and `sql`");
                    return None;
                };
                verify.push(Verify {
                    name: self.string(nn, &np)?,
                    sql: self.sql(sn, &sp)?,
                });
            }
        }
        let comment = match f.get("comment") {
            Some((n, p)) => self.optional_string(n, &p),
            None => None,
        };
        Some(Hook {
            name: name.to_string(),
            comment,
            phase,
            depends_on,
            hash: Hook::hash_of(&up),
            up,
            down,
            batch,
            verify,
        })
    }

    fn batch(&mut self, node: &Node, path: &str) -> Option<crate::model::hook::Batch> {
        let f = self.fields(node, path, BATCH_KEYS)?;
        let (Some((tn, tp)), Some((kn, kp))) = (f.get("table"), f.get("key")) else {
            self.error(node, path, "a batch needs `table` and `key`");
            return None;
        };
        let table = self.string(tn, &tp)?;
        let table = match table.split_once('.') {
            Some((schema, name)) => QualName::new(schema, name),
            None => QualName::new("public", table),
        };
        let key = self.string(kn, &kp)?;
        let size = match f.get("size") {
            Some((n, p)) => {
                let size = self.int(n, &p)?;
                if size < 1 {
                    self.error(n, &p, "a batch size is at least 1");
                    return None;
                }
                size
            }
            None => 1000,
        };
        let pause_ms = match f.get("pause") {
            Some((n, p)) => {
                let text = self.string(n, &p)?;
                let t = text.trim();
                let parsed = if let Some(ms) = t.strip_suffix("ms") {
                    ms.trim().parse::<u64>().ok()
                } else if let Some(s) = t.strip_suffix('s') {
                    s.trim().parse::<f64>().ok().map(|s| (s * 1000.0) as u64)
                } else {
                    t.parse::<u64>().ok()
                };
                match parsed {
                    Some(ms) => ms,
                    None => {
                        self.error(n, &p, format!("`{text}` is not a pause (100ms, 2s)"));
                        return None;
                    }
                }
            }
            None => 0,
        };
        Some(crate::model::hook::Batch {
            table,
            key,
            size,
            pause_ms,
            key_type: String::new(),
        })
    }

    fn identity(&mut self, node: &Node, path: &str) -> Option<Identity> {
        const KINDS: &[&str] = &["always", "by default"];
        if let NodeKind::Scalar { .. } = node.kind {
            let kind = self.word(node, path, KINDS)?;
            return Some(Identity {
                always: kind == "always",
                options: SequenceOptions::default(),
                sequence: None,
            });
        }
        let f = self.fields(node, path, IDENTITY_KEYS)?;
        let mut identity = Identity {
            always: true,
            options: SequenceOptions::default(),
            sequence: None,
        };
        if let Some((n, p)) = f.get("generated") {
            identity.always = self.word(n, &p, KINDS)? == "always";
        }
        if let Some((n, p)) = f.get("sequence") {
            identity.sequence = self.string(n, &p);
        }
        self.sequence_option_fields(&f, &mut identity.options);
        Some(identity)
    }

    fn deferral(&mut self, f: &Fields<'_>) -> (bool, bool) {
        let deferrable = f
            .get("deferrable")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let deferred = f
            .get("initially_deferred")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        // INITIALLY DEFERRED implies DEFERRABLE, as in PostgreSQL.
        (deferrable || deferred, deferred)
    }

    fn comment_field(&mut self, f: &Fields<'_>) -> Option<String> {
        f.get("comment")
            .and_then(|(n, p)| self.optional_string(n, &p))
    }

    fn primary_key(
        &mut self,
        table: &QualName,
        node: &Node,
        path: &str,
    ) -> Option<(String, Constraint)> {
        let default_name = default_primary_key_name(&table.name);
        if let NodeKind::Scalar { .. } | NodeKind::Seq(_) = node.kind {
            let columns = self.names(node, path)?;
            return Some((
                default_name,
                keyed(ConstraintKind::PrimaryKey {
                    columns,
                    include: Vec::new(),
                }),
            ));
        }
        let f = self.fields(node, path, PRIMARY_KEY_KEYS)?;
        let name = match f.get("name") {
            Some((n, p)) => self.string(n, &p)?,
            None => default_name,
        };
        let Some((n, p)) = f.get("columns") else {
            self.error(node, path, "missing key `columns`");
            return None;
        };
        let columns = self.names(n, &p)?;
        let include = match f.get("include") {
            Some((n, p)) => self.names(n, &p)?,
            None => Vec::new(),
        };
        let (deferrable, initially_deferred) = self.deferral(&f);
        let comment = self.comment_field(&f);
        Some((
            name,
            Constraint {
                kind: ConstraintKind::PrimaryKey { columns, include },
                deferrable,
                initially_deferred,
                validated: true,
                comment,
            },
        ))
    }

    fn unique(&mut self, node: &Node, path: &str) -> Option<Constraint> {
        if let NodeKind::Scalar { .. } | NodeKind::Seq(_) = node.kind {
            let columns = self.names(node, path)?;
            return Some(keyed(ConstraintKind::Unique {
                columns,
                include: Vec::new(),
                nulls_not_distinct: false,
            }));
        }
        let f = self.fields(node, path, UNIQUE_KEYS)?;
        let Some((n, p)) = f.get("columns") else {
            self.error(node, path, "missing key `columns`");
            return None;
        };
        let columns = self.names(n, &p)?;
        let include = match f.get("include") {
            Some((n, p)) => self.names(n, &p)?,
            None => Vec::new(),
        };
        let nulls_not_distinct = f
            .get("nulls_not_distinct")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let (deferrable, initially_deferred) = self.deferral(&f);
        let comment = self.comment_field(&f);
        Some(Constraint {
            kind: ConstraintKind::Unique {
                columns,
                include,
                nulls_not_distinct,
            },
            deferrable,
            initially_deferred,
            validated: true,
            comment,
        })
    }

    fn check(&mut self, node: &Node, path: &str) -> Option<Constraint> {
        if let NodeKind::Scalar { .. } = node.kind {
            let expression = self.expr(node, path)?;
            return Some(keyed(ConstraintKind::Check {
                expression,
                no_inherit: false,
            }));
        }
        let f = self.fields(node, path, CHECK_KEYS)?;
        let Some((n, p)) = f.get("expression") else {
            self.error(node, path, "missing key `expression`");
            return None;
        };
        let expression = self.expr(n, &p)?;
        let no_inherit = f
            .get("no_inherit")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let not_valid = f
            .get("not_valid")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let comment = self.comment_field(&f);
        Some(Constraint {
            kind: ConstraintKind::Check {
                expression,
                no_inherit,
            },
            deferrable: false,
            initially_deferred: false,
            validated: !not_valid,
            comment,
        })
    }

    fn foreign_key(&mut self, table: &QualName, node: &Node, path: &str) -> Option<Constraint> {
        let f = self.fields(node, path, FOREIGN_KEY_KEYS)?;
        let mut missing = false;
        for key in ["columns", "references"] {
            if f.get(key).is_none() {
                self.error(node, path, format!("missing key `{key}`"));
                missing = true;
            }
        }
        if missing {
            return None;
        }
        let (n, p) = f.get("columns")?;
        let columns = self.names(n, &p)?;
        let (rn, rp) = f.get("references")?;
        let r = self.fields(rn, &rp, REFERENCES_KEYS)?;
        let schema = match r.get("schema") {
            Some((n, p)) => self.string(n, &p)?,
            None => table.schema.clone(),
        };
        let Some((tn, tp)) = r.get("table") else {
            self.error(rn, &rp, "missing key `table`");
            return None;
        };
        let ref_table = QualName::new(schema, self.string(tn, &tp)?);
        let ref_columns = match r.get("columns") {
            Some((n, p)) => self.names(n, &p)?,
            None => Vec::new(),
        };
        const ACTIONS: &[&str] = &[
            "no action",
            "restrict",
            "cascade",
            "set null",
            "set default",
        ];
        let action = |this: &mut Self, key: &str| -> Option<FkAction> {
            match f.get(key) {
                None => Some(FkAction::NoAction),
                Some((n, p)) => {
                    let word = this.word(n, &p, ACTIONS)?;
                    FkAction::ALL.into_iter().find(|a| a.yaml() == word)
                }
            }
        };
        // Every field is read before giving up, so that all problems are reported.
        let on_delete = action(self, "on_delete");
        let on_update = action(self, "on_update");
        let match_full = match f.get("match") {
            Some((n, p)) => self.word(n, &p, &["full", "simple"]).map(|w| w == "full"),
            None => Some(false),
        };
        let (deferrable, initially_deferred) = self.deferral(&f);
        let on_delete_columns = match f.get("on_delete_columns") {
            Some((n, p)) => self.names(n, &p),
            None => Some(Vec::new()),
        };
        let (on_delete, on_update, match_full, on_delete_columns) =
            (on_delete?, on_update?, match_full?, on_delete_columns?);
        let not_valid = f
            .get("not_valid")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let comment = self.comment_field(&f);
        Some(Constraint {
            kind: ConstraintKind::ForeignKey(ForeignKey {
                columns,
                ref_table,
                ref_columns,
                on_delete,
                on_delete_columns,
                on_update,
                match_full,
            }),
            deferrable,
            initially_deferred,
            validated: !not_valid,
            comment,
        })
    }

    fn exclusion(&mut self, node: &Node, path: &str) -> Option<Constraint> {
        let f = self.fields(node, path, EXCLUDE_KEYS)?;
        let Some((en, ep)) = f.get("elements") else {
            self.error(node, path, "missing key `elements`");
            return None;
        };
        let NodeKind::Seq(items) = &en.kind else {
            self.error(
                en,
                &ep,
                format!("expected a list of elements, found {}", en.describe()),
            );
            return None;
        };
        if items.is_empty() {
            self.error(
                en,
                &ep,
                "an exclusion constraint needs at least one element",
            );
            return None;
        }
        // Every element is read before giving up, so that all problems are reported.
        let elements: Vec<Option<ExclusionElement>> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let ip = format!("{ep}[{i}]");
                self.record(item, &ip);
                self.exclusion_element(item, &ip)
            })
            .collect();
        let method = match f.get("using") {
            Some((n, p)) => self.sql(n, &p).map(|m| m.to_ascii_lowercase()),
            None => Some("gist".to_string()),
        };
        let include = match f.get("include") {
            Some((n, p)) => self.names(n, &p),
            None => Some(Vec::new()),
        };
        let predicate = match f.get("where") {
            Some((n, p)) => self.expr(n, &p).map(Some),
            None => Some(None),
        };
        let (deferrable, initially_deferred) = self.deferral(&f);
        let comment = self.comment_field(&f);
        let elements: Option<Vec<ExclusionElement>> = elements.into_iter().collect();
        Some(Constraint {
            kind: ConstraintKind::Exclude(Exclusion {
                method: method?,
                elements: elements?,
                include: include?,
                predicate: predicate?,
            }),
            deferrable,
            initially_deferred,
            validated: true,
            comment,
        })
    }

    /// `{ column: c, with: "=" }` or `{ expression: "…", with: "&&" }`, with the optional keys
    /// of an index column.
    fn exclusion_element(&mut self, node: &Node, path: &str) -> Option<ExclusionElement> {
        let f = self.fields(node, path, EXCLUDE_ELEMENT_KEYS)?;
        let key = self.key_fields(&f, node, path);
        let operator = match f.get("with") {
            Some((n, p)) => {
                let op = self.sql(n, &p)?;
                if is_operator(&op) {
                    Some(op)
                } else {
                    self.error(
                        n,
                        &p,
                        format!(
                            "`{op}` is not an operator: write its symbol (`=`, `&&`) or OPERATOR(schema.symbol)"
                        ),
                    );
                    None
                }
            }
            None => {
                self.error(
                    node,
                    path,
                    "missing key `with` (the operator rows are compared with, e.g. `=` or `&&`)",
                );
                None
            }
        };
        Some(ExclusionElement {
            key: key?,
            operator: operator?,
        })
    }

    fn index(&mut self, node: &Node, path: &str) -> Option<Index> {
        let f = self.fields(node, path, INDEX_KEYS)?;
        let Some((cn, cp)) = f.get("columns") else {
            self.error(node, path, "missing key `columns`");
            return None;
        };
        let items: Vec<&Node> = match &cn.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            NodeKind::Scalar { .. } => vec![cn],
            _ => {
                self.error(
                    cn,
                    &cp,
                    format!("expected a list of columns, found {}", cn.describe()),
                );
                return None;
            }
        };
        let mut keys = Vec::new();
        for (i, item) in items.into_iter().enumerate() {
            let ip = format!("{cp}[{i}]");
            self.record(item, &ip);
            keys.push(self.index_key(item, &ip)?);
        }
        if keys.is_empty() {
            self.error(cn, &cp, "an index needs at least one column or expression");
            return None;
        }
        let method = match f.get("method") {
            Some((n, p)) => self.string(n, &p)?.to_ascii_lowercase(),
            None => "btree".into(),
        };
        let include = match f.get("include") {
            Some((n, p)) => self.names(n, &p)?,
            None => Vec::new(),
        };
        let mut index = Index {
            unique: false,
            method,
            keys,
            include,
            predicate: None,
            nulls_not_distinct: false,
            options: BTreeMap::new(),
            comment: None,
            valid: true,
        };
        if let Some((n, p)) = f.get("unique") {
            index.unique = self.bool(n, &p)?;
        }
        if let Some((n, p)) = f.get("where") {
            index.predicate = self.expr(n, &p);
        }
        if let Some((n, p)) = f.get("nulls_not_distinct") {
            index.nulls_not_distinct = self.bool(n, &p)?;
        }
        if let Some((n, p)) = f.get("options") {
            index.options = self.options(n, &p);
        }
        index.comment = self.comment_field(&f);
        Some(index)
    }

    fn index_key(&mut self, node: &Node, path: &str) -> Option<IndexKey> {
        if let NodeKind::Scalar { text, .. } = &node.kind {
            return Some(IndexKey {
                expr: IndexExpr::Column(text.clone()),
                opclass: None,
                collation: None,
                descending: false,
                nulls_first: false,
            });
        }
        let f = self.fields(node, path, INDEX_COLUMN_KEYS)?;
        self.key_fields(&f, node, path)
    }

    /// The column or expression of an index key (or exclusion element) and its options.
    fn key_fields(&mut self, f: &Fields<'_>, node: &Node, path: &str) -> Option<IndexKey> {
        let expr = match (f.get("column"), f.get("expression")) {
            (Some((n, p)), None) => IndexExpr::Column(self.string(n, &p)?),
            (None, Some((n, p))) => IndexExpr::Expression(self.expr(n, &p)?),
            _ => {
                self.error(node, path, "give exactly one of `column` and `expression`");
                return None;
            }
        };
        let descending = match f.get("order") {
            Some((n, p)) => self.word(n, &p, &["asc", "desc"]).map(|w| w == "desc"),
            None => Some(false),
        };
        let nulls_first = match f.get("nulls") {
            Some((n, p)) => self.word(n, &p, &["first", "last"]).map(|w| w == "first"),
            None => descending,
        };
        let (descending, nulls_first) = (descending?, nulls_first?);
        let opclass = match f.get("opclass") {
            Some((n, p)) => self.obj_ref(n, &p),
            None => None,
        };
        let collation = match f.get("collation") {
            Some((n, p)) => self.obj_ref(n, &p),
            None => None,
        };
        Some(IndexKey {
            expr,
            opclass,
            collation,
            descending,
            nulls_first,
        })
    }

    fn view(&mut self, name: QualName, node: &Node, path: &str) {
        let mut view = View {
            definition: Expr::new(String::new()),
            columns: Vec::new(),
            options: BTreeMap::new(),
            comment: None,
            column_comments: BTreeMap::new(),
            owner: None,
            grants: Grants::new(),
        };
        let definition = if let NodeKind::Scalar { .. } = node.kind {
            Some((node, path.to_string()))
        } else {
            let Some(f) = self.fields(node, path, VIEW_KEYS) else {
                return;
            };
            if let Some((n, p)) = f.get("options") {
                view.options = self.options(n, &p);
            }
            if let Some((n, p)) = f.get("column_comments") {
                view.column_comments = self.options(n, &p);
            }
            view.comment = self.comment_field(&f);
            if let Some((n, p)) = f.get("owner") {
                view.owner = self.owner(n, &p);
            }
            if let Some((n, p)) = f.get("grants") {
                view.grants = self.grants(n, &p, Privilege::TABLE, "a view");
            }
            let d = f.get("definition");
            if d.is_none() {
                self.error(node, path, "missing key `definition`");
            }
            d
        };
        let Some((dn, dp)) = definition else {
            return;
        };
        self.record(dn, &dp);
        let Some(text) = self.sql(dn, &dp) else {
            return;
        };
        view.definition = Expr::new(text.trim_end_matches(|c: char| c == ';' || c.is_whitespace()));
        if self.define(ObjKey::Relation(name.clone()), path, node) {
            self.catalog.views.insert(name, view);
        }
    }
}

impl Lowerer<'_> {
    /// `name: SELECT …`, or a mapping with `query` and the rest. Indexes take the form of a
    /// table's indexes.
    fn materialized_view(&mut self, name: QualName, node: &Node, path: &str) {
        let mut view = MaterializedView {
            definition: Expr::new(String::new()),
            columns: Vec::new(),
            with_data: true,
            options: BTreeMap::new(),
            comment: None,
            column_comments: BTreeMap::new(),
            indexes: BTreeMap::new(),
        };
        let query = if let NodeKind::Scalar { .. } = node.kind {
            Some((node, path.to_string()))
        } else {
            let Some(f) = self.fields(node, path, MATERIALIZED_VIEW_KEYS) else {
                return;
            };
            if let Some((n, p)) = f.get("with_data") {
                view.with_data = self.bool(n, &p).unwrap_or(true);
            }
            if let Some((n, p)) = f.get("options") {
                view.options = self.options(n, &p);
            }
            if let Some((n, p)) = f.get("column_comments") {
                view.column_comments = self.options(n, &p);
            }
            view.comment = self.comment_field(&f);
            if let Some((n, p)) = f.get("indexes") {
                for (iname, spec, ip) in self.named(n, &p) {
                    if let NodeKind::Map(entries) = &spec.kind {
                        let hint = entries.iter().find(|(k, _)| {
                            matches!(&k.kind, NodeKind::Scalar { text, .. } if text == "renamed_from")
                        });
                        if let Some((_, value)) = hint {
                            self.error(
                                value,
                                &child_path(&ip, "renamed_from"),
                                "an index of a materialized view takes no `renamed_from` hint: one under a new name is built and the old one dropped",
                            );
                        }
                    }
                    if let Some(index) = self.index(spec, &ip) {
                        let key = ObjKey::Relation(QualName::new(name.schema.clone(), iname));
                        self.sources.objects.entry(key).or_insert(ip);
                        view.indexes.insert(iname.to_string(), index);
                    }
                }
            }
            let q = f.get("query");
            if q.is_none() {
                self.error(node, path, "missing key `query`");
            }
            q
        };
        let Some((qn, qp)) = query else {
            return;
        };
        self.record(qn, &qp);
        let Some(text) = self.sql(qn, &qp) else {
            return;
        };
        view.definition = Expr::new(text.trim_end_matches(|c: char| c == ';' || c.is_whitespace()));
        if self.define(ObjKey::Relation(name.clone()), path, node) {
            self.catalog.materialized_views.insert(name, view);
        }
    }
}

/// An operator as SQL names it: a symbol (`=`, `&&`, `-|-`) or `OPERATOR(schema.symbol)`.
fn is_operator(text: &str) -> bool {
    const SYMBOLS: &str = "+-*/<>=~!@#%^&|`?";
    const PREFIX: &str = "OPERATOR(";
    let qualified = text
        .get(..PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(PREFIX))
        && text.len() > PREFIX.len() + 1
        && text.ends_with(')')
        && !text[PREFIX.len()..text.len() - 1].contains([')', ';']);
    qualified || text.chars().all(|c| SYMBOLS.contains(c))
}

fn keyed(kind: ConstraintKind) -> Constraint {
    Constraint {
        kind,
        deferrable: false,
        initially_deferred: false,
        validated: true,
        comment: None,
    }
}

fn describe_key(key: &ObjKey) -> String {
    match key {
        ObjKey::Schema(s) => format!("schema {s}"),
        ObjKey::Extension(e) => format!("extension {e}"),
        ObjKey::Type(q) => format!("type {q}"),
        ObjKey::Relation(q) => format!("{q}"),
        ObjKey::Column(q, c) => format!("column {q}.{c}"),
        ObjKey::Constraint(q, c) => format!("constraint {c} on {q}"),
        ObjKey::SequenceOwner(q) => format!("owner of {q}"),
        ObjKey::Logged(q) => format!("persistence of {q}"),
        ObjKey::Partition(q) => format!("partition {q}"),
        ObjKey::Function(f) => format!("function {f}"),
        ObjKey::Trigger(q, t) => format!("trigger {t} on {q}"),
        ObjKey::Policy(q, p) => format!("policy {p} on {q}"),
        ObjKey::Owner(o) => format!("owner of {o}"),
        ObjKey::TablePrivileges(q, r) => format!("privileges of {r} on {q}"),
    }
}

/// The value of `key` in a mapping node (already checked by `fields`), with its path.
fn map_entry<'n>(node: &'n Node, key: &str, path: &str) -> Option<(&'n Node, String)> {
    let NodeKind::Map(entries) = &node.kind else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar { text, .. } if text == key))
        .map(|(_, v)| (v, child_path(path, key)))
}

/// The allowed word closest to a misspelt one, if any is close.
fn suggestion<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    if word.len() >= 3 {
        if let Some(a) = allowed
            .iter()
            .find(|a| a.contains(word) || word.contains(**a))
        {
            return Some(a);
        }
    }
    allowed
        .iter()
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---- Security: roles, grants, owners, policies, default privileges ----

impl Lowerer<'_> {
    fn use_role(&mut self, role: &str, path: &str) {
        if role == PUBLIC_ROLE {
            return;
        }
        self.role_uses
            .entry(role.to_string())
            .or_insert_with(|| path.to_string());
    }

    /// `roles: [name, …]`: the roles whose privileges the desired state manages.
    fn roles(&mut self, node: &Node, path: &str) {
        let NodeKind::Seq(_) = node.kind else {
            self.error(
                node,
                path,
                format!("expected a list of role names, found {}", node.describe()),
            );
            return;
        };
        for (i, role) in self
            .names(node, path)
            .unwrap_or_default()
            .into_iter()
            .enumerate()
        {
            let role = grantee_name(&role);
            self.use_role(&role, &format!("{path}[{i}]"));
            self.catalog.roles.insert(role);
        }
    }

    fn owner(&mut self, node: &Node, path: &str) -> Option<String> {
        let owner = self.string(node, path)?;
        if grantee_name(&owner) == PUBLIC_ROLE {
            self.error(node, path, "PUBLIC cannot own an object");
            return None;
        }
        self.use_role(&owner, path);
        Some(owner)
    }

    /// `grants: { role: [select, update with grant option, …] }`; `all` stands for every
    /// privilege the kind of object takes.
    fn grants(&mut self, node: &Node, path: &str, allowed: &[Privilege], what: &str) -> Grants {
        let mut out = Grants::new();
        for (grantee, spec, p) in self.named(node, path) {
            let grantee = grantee_name(grantee);
            let Some(words) = self.names(spec, &p) else {
                continue;
            };
            let mut privileges = Privileges::new();
            for (i, word) in words.iter().enumerate() {
                let lower = word.trim().to_ascii_lowercase();
                let (name, option) = match lower.strip_suffix(" with grant option") {
                    Some(name) => (name.trim_end(), true),
                    None => (lower.as_str(), false),
                };
                let found: Vec<Privilege> = if name == "all" || name == "all privileges" {
                    allowed.to_vec()
                } else {
                    match Privilege::parse(name).filter(|p| allowed.contains(p)) {
                        Some(privilege) => vec![privilege],
                        None => {
                            let item = format!("{p}[{i}]");
                            let choices: Vec<String> = allowed
                                .iter()
                                .map(|a| a.sql().to_ascii_lowercase())
                                .collect();
                            let at = self.sources.locate(&item).cloned();
                            let message = format!(
                                "`{word}` is not a privilege of {what} (expected one of: {}, all; \
                                 optionally followed by `with grant option`)",
                                choices.join(", ")
                            );
                            match at {
                                Some(location) => self.diags.push(Diagnostic {
                                    location,
                                    path: item,
                                    message,
                                }),
                                None => self.error(spec, &p, message),
                            }
                            continue;
                        }
                    }
                };
                for privilege in found {
                    let held = privileges.entry(privilege).or_insert(option);
                    *held |= option;
                }
            }
            self.grantees.push((grantee.clone(), p.clone()));
            if !privileges.is_empty() {
                out.insert(grantee, privileges);
            }
        }
        out
    }

    /// Every grantee must be one of the listed roles: privileges of other roles are not
    /// managed, so a grant to one could never be checked or revoked.
    fn check_grantees(&mut self) {
        let unlisted: Vec<(String, String)> = self
            .grantees
            .iter()
            .filter(|(g, _)| !self.catalog.roles.contains(g))
            .cloned()
            .collect();
        for (grantee, path) in unlisted {
            let message = format!(
                "grants to role `{grantee}`, which the top-level `roles:` list does not name \
                 (schemaplan manages the privileges of the listed roles only)"
            );
            self.diags.push(self.sources.diagnostic(&path, message));
        }
    }

    fn policy(&mut self, node: &Node, path: &str) -> Option<Policy> {
        let f = self.fields(node, path, POLICY_KEYS)?;
        let mut policy = Policy {
            permissive: true,
            command: PolicyCommand::All,
            roles: [PUBLIC_ROLE.to_string()].into(),
            using: None,
            with_check: None,
            comment: self.comment_field(&f),
        };
        // Every problem is reported, not only the first.
        let mut valid = true;
        if let Some((n, p)) = f.get("as") {
            match self.word(n, &p, &["permissive", "restrictive"]) {
                Some(word) => policy.permissive = word == "permissive",
                None => valid = false,
            }
        }
        if let Some((n, p)) = f.get("command") {
            match self.word(n, &p, &["all", "select", "insert", "update", "delete"]) {
                Some(word) => {
                    policy.command = PolicyCommand::ALL
                        .into_iter()
                        .find(|c| c.sql().eq_ignore_ascii_case(&word))
                        .unwrap_or_default()
                }
                None => valid = false,
            }
        }
        if let Some((n, p)) = f.get("roles") {
            let roles = self.names(n, &p)?;
            if roles.is_empty() {
                self.error(n, &p, "a policy applies to at least one role (or `public`)");
                return None;
            }
            for (i, role) in roles.iter().enumerate() {
                self.use_role(&grantee_name(role), &format!("{p}[{i}]"));
            }
            policy.roles = roles.iter().map(|r| grantee_name(r)).collect();
        }
        if let Some((n, p)) = f.get("using") {
            policy.using = self.expr(n, &p);
        }
        if let Some((n, p)) = f.get("with_check") {
            policy.with_check = self.expr(n, &p);
        }
        valid.then_some(policy)
    }

    /// `default_privileges:` a list of `{ for_role, schema?, on, grants }`.
    fn default_privileges(&mut self, node: &Node, path: &str) {
        let NodeKind::Seq(items) = &node.kind else {
            self.error(
                node,
                path,
                format!(
                    "expected a list of default privileges, found {}",
                    node.describe()
                ),
            );
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            let Some(f) = self.fields(item, &p, DEFAULT_PRIVILEGES_KEYS) else {
                continue;
            };
            // Without FOR ROLE the entry would belong to whoever applies the plan.
            let Some((rn, rp)) = f.get("for_role") else {
                self.error(
                    item,
                    &p,
                    "missing key `for_role` (the role whose new objects get the privileges)",
                );
                continue;
            };
            let Some(role) = self.string(rn, &rp) else {
                continue;
            };
            self.use_role(&role, &rp);
            let schema = match f.get("schema") {
                Some((n, sp)) => self.optional_string(n, &sp),
                None => None,
            };
            let Some((on_node, on_path)) = f.get("on") else {
                self.error(item, &p, "missing key `on`");
                continue;
            };
            let choices = ["tables", "sequences", "functions", "types", "schemas"];
            let Some(word) = self.word(on_node, &on_path, &choices) else {
                continue;
            };
            let on = DefaultObjects::ALL
                .into_iter()
                .find(|o| o.sql().eq_ignore_ascii_case(&word))
                .unwrap_or(DefaultObjects::Tables);
            if on == DefaultObjects::Schemas && schema.is_some() {
                self.error(
                    on_node,
                    &on_path,
                    "default privileges on schemas cannot be limited to a schema",
                );
                continue;
            }
            if let Some(s) = &schema {
                self.sources
                    .objects
                    .entry(ObjKey::Schema(s.clone()))
                    .or_insert_with(|| p.clone());
                self.catalog.schemas.entry(s.clone()).or_default();
            }
            let grants = match f.get("grants") {
                Some((n, gp)) => {
                    let what = format!("default privileges on {word}");
                    self.grants(n, &gp, on.privileges(), &what)
                }
                None => Grants::new(),
            };
            let key = DefaultPrivilegeKey { role, schema, on };
            if self.catalog.default_privileges.contains_key(&key) {
                self.error(item, &p, format!("{key} are given twice"));
                continue;
            }
            self.catalog.default_privileges.insert(key, grants);
        }
    }
}

/// A role as a grantee: `PUBLIC` in any case is the model's `public`.
fn grantee_name(role: &str) -> String {
    if role.eq_ignore_ascii_case(PUBLIC_ROLE) {
        PUBLIC_ROLE.to_string()
    } else {
        role.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_are_symbols_or_qualified() {
        for op in [
            "=",
            "&&",
            "<>",
            "-|-",
            "OPERATOR(public.&&)",
            "operator(pg_catalog.=)",
        ] {
            assert!(is_operator(op), "{op}");
        }
        for op in [
            "WITH",
            "= ) ; DROP TABLE t",
            "OPERATOR()",
            "OPERATOR(a) ; x",
            "é",
        ] {
            assert!(!is_operator(op), "{op}");
        }
    }

    #[test]
    fn suggestions_pick_close_words() {
        assert_eq!(suggestion("not_nul", COLUMN_KEYS), Some("not_null"));
        assert_eq!(suggestion("defualt", COLUMN_KEYS), Some("default"));
        assert_eq!(suggestion("zzzzzz", COLUMN_KEYS), None);
    }
}
