//! The top level of a document (`extensions:`, `schemas:`, `roles:` …) and the keys of a
//! schema, which hand each kind of object to its own lowering.

use std::sync::Arc;

use super::lowerer::Lowerer;
use super::security::grantee_name;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};

/// The top level of a document.
pub(crate) const DOCUMENT_KEYS: &[&str] = &[
    "extensions",
    "schemas",
    "hooks",
    "roles",
    "default_privileges",
    "publications",
];
/// `roles: all`: the desired state speaks for every role (`Catalog::every_role`).
pub(crate) const EVERY_ROLE: &str = "all";
pub(crate) const EXTENSION_KEYS: &[&str] = &["schema", "version"];
pub(crate) const SCHEMA_KEYS: &[&str] = &[
    "comment",
    "enums",
    "sequences",
    "tables",
    "views",
    "functions",
    "procedures",
    "aggregates",
    "materialized_views",
    "domains",
    "composite_types",
    "range_types",
    "collations",
    "text_search_dictionaries",
    "text_search_configurations",
    "owner",
    "grants",
];

impl Lowerer<'_> {
    pub fn document(&mut self, file: Arc<str>, doc: &Node) {
        self.file = file;
        let Some(f) = self.fields(doc, "", DOCUMENT_KEYS) else {
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
        if let Some((node, path)) = f.get("publications") {
            for (name, spec, p) in self.named(node, &path) {
                self.publication(name, spec, &p);
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
        if let Some((node, path)) = f.get("collations") {
            for (collation_name, spec, p) in self.named(node, &path) {
                self.collation(QualName::new(name, collation_name), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("range_types") {
            for (type_name, spec, p) in self.named(node, &path) {
                self.range_type(QualName::new(name, type_name), spec, &p);
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
        if let Some((node, path)) = f.get("text_search_dictionaries") {
            for (dictionary, spec, p) in self.named(node, &path) {
                self.text_search_dictionary(QualName::new(name, dictionary), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("text_search_configurations") {
            for (configuration, spec, p) in self.named(node, &path) {
                self.text_search_configuration(QualName::new(name, configuration), spec, &p);
            }
        }
        if let Some((node, path)) = f.get("aggregates") {
            for (aggregate_name, spec, p) in self.named(node, &path) {
                self.aggregate(name, aggregate_name, spec, &p);
            }
        }
    }

    /// `roles: [name, …]`: the roles whose privileges the desired state manages.
    /// `roles:` — a list of role names, or `all`.
    fn roles(&mut self, node: &Node, path: &str) {
        if matches!(&node.kind, NodeKind::Scalar { text } if text == EVERY_ROLE) {
            self.catalog.every_role = true;
            return;
        }
        let NodeKind::Seq(_) = node.kind else {
            self.error(
                node,
                path,
                format!(
                    "expected a list of role names or `{EVERY_ROLE}`, found {}",
                    node.describe()
                ),
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
}
