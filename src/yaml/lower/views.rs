//! Views and materialized views.

use std::collections::BTreeMap;

use super::lowerer::Lowerer;
use crate::model::source::child_path;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const MATERIALIZED_VIEW_KEYS: &[&str] = &[
    "query",
    "with_data",
    "indexes",
    "options",
    "comment",
    "column_comments",
];
pub(crate) const VIEW_KEYS: &[&str] = &[
    "definition",
    "options",
    "comment",
    "column_comments",
    "owner",
    "grants",
    "triggers",
];

impl Lowerer<'_> {
    pub(super) fn view(&mut self, name: QualName, node: &Node, path: &str) {
        let mut view = View {
            definition: Expr::new(String::new()),
            columns: Vec::new(),
            options: StorageOptions::new(),
            comment: None,
            column_comments: BTreeMap::new(),
            owner: None,
            grants: Grants::new(),
            triggers: BTreeMap::new(),
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
            if let Some((n, p)) = f.get("triggers") {
                view.triggers = self.triggers(&name, n, &p);
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
        let text = text.trim_end_matches(|c: char| c == ';' || c.is_whitespace());
        self.check_text(dn, &dp, Field::View, text);
        view.definition = Expr::new(text);
        if self.define(ObjKey::Relation(name.clone()), path, node) {
            self.catalog.views.insert(name, view);
        }
    }

    /// `name: SELECT …`, or a mapping with `query` and the rest. Indexes take the form of a
    /// table's indexes.
    pub(super) fn materialized_view(&mut self, name: QualName, node: &Node, path: &str) {
        let mut view = MaterializedView {
            definition: Expr::new(String::new()),
            columns: Vec::new(),
            with_data: true,
            options: StorageOptions::new(),
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
                        if !index.valid {
                            self.error(spec, &ip, super::indexes::ONLY_INDEX_MISPLACED);
                            continue;
                        }
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
        let text = text.trim_end_matches(|c: char| c == ';' || c.is_whitespace());
        self.check_text(qn, &qp, Field::MaterializedView, text);
        view.definition = Expr::new(text);
        if self.define(ObjKey::Relation(name.clone()), path, node) {
            self.catalog.materialized_views.insert(name, view);
        }
    }
}
