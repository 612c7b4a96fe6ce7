//! Publications (`publications:` at the top level): lists of tables, each with its column list
//! and row filter.

use super::lowerer::Lowerer;
use crate::model::*;
use crate::yaml::node::Node;
use crate::yaml::sqlcheck::Field;

pub(crate) const PUBLICATION_KEYS: &[&str] =
    &["tables", "publish", "via_partition_root", "comment"];
pub(crate) const PUBLISHED_TABLE_KEYS: &[&str] = &["columns", "where"];

impl Lowerer<'_> {
    pub(super) fn publication(&mut self, name: &str, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, PUBLICATION_KEYS) else {
            return;
        };
        let mut p = Publication {
            comment: self.comment_field(&f),
            ..Publication::default()
        };
        if let Some((n, tp)) = f.get("tables") {
            for (key, spec, p_path) in self.named(n, &tp) {
                // `schema.table`, or a table of `public`; names as they are, unquoted.
                let table = match key.split_once('.') {
                    Some((schema, table)) => QualName::new(schema, table),
                    None => QualName::new("public", key),
                };
                let published = self.published_table(spec, &p_path);
                p.tables.insert(table, published);
            }
        }
        if p.tables.is_empty() {
            self.error(
                node,
                path,
                format!(
                    "publication `{name}` needs `tables` (schema.table: {{ columns, where }}); FOR ALL TABLES and FOR TABLES IN SCHEMA need a superuser, and are not managed"
                ),
            );
            return;
        }
        if let Some((n, pp)) = f.get("publish") {
            if let Some(actions) = self.names(n, &pp) {
                let unknown: Vec<&String> = actions
                    .iter()
                    .filter(|a| !PUBLISH_ACTIONS.contains(&a.as_str()))
                    .collect();
                if let Some(a) = unknown.first() {
                    self.error(
                        n,
                        &pp,
                        format!("`{a}` is not one of: {}", PUBLISH_ACTIONS.join(", ")),
                    );
                }
                p.publish = PUBLISH_ACTIONS
                    .iter()
                    .filter(|a| actions.iter().any(|x| x == *a))
                    .map(|a| a.to_string())
                    .collect();
            }
        }
        if let Some((n, vp)) = f.get("via_partition_root") {
            p.via_partition_root = self.bool(n, &vp).unwrap_or(false);
        }
        if self.define(ObjKey::Publication(name.to_string()), path, node) {
            self.catalog.publications.insert(name.to_string(), p);
        }
    }

    fn published_table(&mut self, spec: &Node, path: &str) -> PublishedTable {
        let mut out = PublishedTable::default();
        if matches!(spec.kind, crate::yaml::node::NodeKind::Null) {
            return out;
        }
        let Some(f) = self.fields(spec, path, PUBLISHED_TABLE_KEYS) else {
            return out;
        };
        if let Some((n, cp)) = f.get("columns") {
            out.columns = self.names(n, &cp).unwrap_or_default();
        }
        if let Some((n, wp)) = f.get("where") {
            out.filter = self.expr(n, &wp, Field::Expression);
        }
        out
    }
}
