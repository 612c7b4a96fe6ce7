//! Extended statistics of a table (`statistics:`) and the per-column settings (`statistics`,
//! `storage`, `compression`, `options` of a column).

use super::lowerer::{Fields, Lowerer};
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const STATISTICS_KEYS: &[&str] = &["columns", "kinds", "target", "comment"];
pub(crate) const STATISTICS_COLUMN_KEYS: &[&str] = &["column", "expression"];
/// A column's `compression`.
pub(crate) const COMPRESSION_WORDS: &[&str] = &["pglz", "lz4", "default"];
/// The options a column's `options` may set.
pub(crate) const COLUMN_OPTIONS: &[&str] = &["n_distinct", "n_distinct_inherited"];

/// A column's `storage`: `Storage::yaml` of each.
pub(crate) fn storage_words() -> Vec<&'static str> {
    Storage::ALL.iter().map(|s| s.yaml()).collect()
}

impl Lowerer<'_> {
    /// A table's `statistics:`: extended statistics objects by name (in the table's schema).
    pub(super) fn table_statistics(
        &mut self,
        name: &QualName,
        table: &mut Table,
        n: &Node,
        p: &str,
    ) {
        for (sname, spec, sp) in self.named(n, p) {
            let key = ObjKey::Statistics(QualName::new(name.schema.clone(), sname));
            if !self.define(key, &sp, spec) {
                continue;
            }
            if let Some(stats) = self.statistics(spec, &sp) {
                table.statistics.insert(sname.to_string(), stats);
            }
        }
    }

    fn statistics(&mut self, node: &Node, path: &str) -> Option<Statistics> {
        let f = self.fields(node, path, STATISTICS_KEYS)?;
        let Some((cn, cp)) = f.get("columns") else {
            self.error(node, path, "missing key `columns`");
            return None;
        };
        let NodeKind::Seq(items) = &cn.kind else {
            self.error(
                cn,
                &cp,
                format!("expected a list of columns, found {}", cn.describe()),
            );
            return None;
        };
        let mut stats = Statistics {
            kinds: Vec::new(),
            columns: Vec::new(),
            expressions: Vec::new(),
            target: None,
            comment: self.comment_field(&f),
        };
        for (i, item) in items.iter().enumerate() {
            let ip = format!("{cp}[{i}]");
            self.record(item, &ip);
            if let NodeKind::Scalar { .. } = item.kind {
                stats.columns.push(self.string(item, &ip)?);
                continue;
            }
            let fi = self.fields(item, &ip, STATISTICS_COLUMN_KEYS)?;
            match (fi.get("column"), fi.get("expression")) {
                (Some((n, p)), None) => stats.columns.push(self.string(n, &p)?),
                (None, Some((n, p))) => {
                    stats.expressions.push(self.expr(n, &p, Field::Expression)?)
                }
                _ => {
                    self.error(item, &ip, "give exactly one of `column` and `expression`");
                    return None;
                }
            }
        }
        if stats.columns.len() + stats.expressions.len() == 0 {
            self.error(cn, &cp, "statistics need at least one column or expression");
            return None;
        }
        if stats.expressions.is_empty() && stats.columns.len() < 2 {
            self.error(
                cn,
                &cp,
                "statistics on columns alone need at least two columns",
            );
            return None;
        }
        if let Some((n, p)) = f.get("kinds") {
            let NodeKind::Seq(items) = &n.kind else {
                self.error(n, &p, "expected a list: ndistinct, dependencies, mcv");
                return None;
            };
            let mut kinds = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let ip = format!("{p}[{i}]");
                self.record(item, &ip);
                kinds.push(self.word(item, &ip, &Statistics::KINDS)?);
            }
            // Written in PostgreSQL's order, each once.
            stats.kinds = Statistics::KINDS
                .iter()
                .filter(|k| kinds.iter().any(|w| w == *k))
                .map(|k| k.to_string())
                .collect();
        }
        if let Some((n, p)) = f.get("target") {
            stats.target = self.target(n, &p, 10000)?;
        }
        Some(stats)
    }

    /// A statistics target: 0 to `max`, or -1 for the default (`None`).
    fn target(&mut self, node: &Node, path: &str, max: i64) -> Option<Option<i32>> {
        let n = self.int(node, path)?;
        if n == -1 {
            return Some(None);
        }
        if !(0..=max).contains(&n) {
            self.error(
                node,
                path,
                format!("expected -1 (the default) or 0 to {max}"),
            );
            return None;
        }
        Some(Some(n as i32))
    }

    /// A column's `statistics`, `storage`, `compression` and `options`.
    pub(super) fn column_settings(&mut self, f: &Fields<'_>, settings: &mut ColumnSettings) {
        if let Some((n, p)) = f.get("statistics") {
            if let Some(t) = self.target(n, &p, 10000) {
                settings.statistics = t;
            }
        }
        if let Some((n, p)) = f.get("storage") {
            settings.storage = self
                .word(n, &p, &storage_words())
                .and_then(|w| Storage::ALL.into_iter().find(|s| s.yaml() == w));
        }
        if let Some((n, p)) = f.get("compression") {
            settings.compression = self
                .word(n, &p, COMPRESSION_WORDS)
                .filter(|w| w != "default");
        }
        if let Some((n, p)) = f.get("options") {
            settings.options = self.options(n, &p);
            for key in settings.options.keys() {
                if !COLUMN_OPTIONS.contains(&key.as_str()) {
                    let known = COLUMN_OPTIONS.join(", ");
                    self.error(n, &p, format!("`{key}` is not a column option: {known}"));
                }
            }
        }
    }
}
