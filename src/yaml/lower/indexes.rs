//! Indexes, and the keys they share with exclusion constraints.

use super::lowerer::{Fields, Lowerer};
use crate::model::hints::RenameHint;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const INDEX_KEYS: &[&str] = &[
    "columns",
    "unique",
    "method",
    "include",
    "where",
    "nulls_not_distinct",
    "options",
    "comment",
    "renamed_from",
    "only",
];

/// An index given `only: true` that is not a partitioned table's.
pub(super) const ONLY_INDEX_MISPLACED: &str =
    "`only: true` is for an index of a partitioned table (created ON ONLY it)";

pub(crate) const INDEX_COLUMN_KEYS: &[&str] = &[
    "column",
    "expression",
    "order",
    "nulls",
    "opclass",
    "collation",
];
/// `order` and `nulls` of an index key or exclusion element.
pub(crate) const ORDER_WORDS: &[&str] = &["asc", "desc"];
pub(crate) const NULLS_WORDS: &[&str] = &["first", "last"];

impl Lowerer<'_> {
    /// A table's `indexes:`, each with its rename hint. `only: true` (an index of a partitioned
    /// table only) is an incomplete one, created `ON ONLY` the table: it covers the partitions
    /// whose `index_names` name their index attached to it, and no other.
    pub(super) fn table_indexes(
        &mut self,
        name: &QualName,
        table: &mut Table,
        partitioned: bool,
        n: &Node,
        p: &str,
    ) {
        for (iname, spec, ip) in self.named(n, p) {
            if let Some(index) = self.index(spec, &ip) {
                if !index.valid && !partitioned {
                    self.error(spec, &ip, ONLY_INDEX_MISPLACED);
                    continue;
                }
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

    pub(super) fn index(&mut self, node: &Node, path: &str) -> Option<Index> {
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
        // Room for as many keys as are written, not the four a first push makes.
        let mut keys = Vec::with_capacity(items.len());
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
            options: StorageOptions::new(),
            comment: None,
            valid: true,
        };
        if let Some((n, p)) = f.get("unique") {
            index.unique = self.bool(n, &p)?;
        }
        if let Some((n, p)) = f.get("where") {
            index.predicate = self.expr(n, &p, Field::Expression);
        }
        if let Some((n, p)) = f.get("nulls_not_distinct") {
            index.nulls_not_distinct = self.bool(n, &p)?;
        }
        if let Some((n, p)) = f.get("options") {
            index.options = self.options(n, &p);
        }
        index.valid = !self.only_field(&f)?;
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
    pub(super) fn key_fields(
        &mut self,
        f: &Fields<'_>,
        node: &Node,
        path: &str,
    ) -> Option<IndexKey> {
        let expr = match (f.get("column"), f.get("expression")) {
            (Some((n, p)), None) => IndexExpr::Column(self.string(n, &p)?),
            (None, Some((n, p))) => IndexExpr::Expression(self.expr(n, &p, Field::Expression)?),
            _ => {
                self.error(node, path, "give exactly one of `column` and `expression`");
                return None;
            }
        };
        let descending = match f.get("order") {
            Some((n, p)) => self.word(n, &p, ORDER_WORDS).map(|w| w == "desc"),
            None => Some(false),
        };
        let nulls_first = match f.get("nulls") {
            Some((n, p)) => self.word(n, &p, NULLS_WORDS).map(|w| w == "first"),
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
}
