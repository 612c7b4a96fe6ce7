//! Partitioned tables and partitions.

use std::collections::BTreeMap;

use super::lowerer::{Fields, Lowerer};
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const PARTITION_OF_KEYS: &[&str] = &["schema", "table"];

impl Lowerer<'_> {
    /// `partition_by` of a partitioned table; `partition_of` and `bounds` of a partition, whose
    /// columns are its parent's.
    pub(super) fn partitioning(
        &mut self,
        name: &QualName,
        table: &mut Table,
        f: &Fields<'_>,
        node: &Node,
        path: &str,
    ) {
        if let Some((n, p)) = f.get("partition_by") {
            table.partition_by = self.checked(n, &p, Field::PartitionBy);
        }
        let (parent, bounds) = match (f.get("partition_of"), f.get("bounds")) {
            (None, None) => {
                for key in ["index_names", "not_null"] {
                    if let Some((n, p)) = f.get(key) {
                        self.error(n, &p, format!("`{key}` belongs to a partition"));
                    }
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
        let Some(parent) = self.table_ref(name, pn, &pp) else {
            return;
        };
        let (bn, bp) = bounds;
        let Some(bounds) = self.checked(bn, &bp, Field::Bounds) else {
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
        let not_null = match f.get("not_null") {
            Some((n, p)) => self.names(n, &p).unwrap_or_default(),
            None => Vec::new(),
        };
        table.partition_of = Some(PartitionOf {
            parent,
            bounds,
            constraint: None,
            inherited_constraints: BTreeMap::new(),
            inherited_indexes: BTreeMap::new(),
            index_names,
            not_null: not_null.into_iter().collect(),
        });
    }

    /// `inherits`: the parents of a table that inherits (not a partition), in order, each a
    /// name in the table's schema or `{ schema, table }`.
    pub(super) fn inherits(&mut self, name: &QualName, table: &mut Table, f: &Fields<'_>) {
        let Some((n, p)) = f.get("inherits") else {
            return;
        };
        if f.get("partition_of").is_some() {
            self.error(
                n,
                &p,
                "a partition inherits from its parent alone: leave `inherits` out",
            );
            return;
        }
        let items: Vec<&Node> = match &n.kind {
            NodeKind::Seq(items) => items.iter().collect(),
            _ => vec![n],
        };
        for (i, item) in items.into_iter().enumerate() {
            let ip = format!("{p}[{i}]");
            self.record(item, &ip);
            if let Some(parent) = self.table_ref(name, item, &ip) {
                if table.inherits.contains(&parent) {
                    self.error(item, &ip, format!("{parent} is named twice"));
                } else {
                    table.inherits.push(parent);
                }
            }
        }
    }

    /// A table named from the table `name`: a name in its schema, or `{ schema, table }`.
    fn table_ref(&mut self, name: &QualName, pn: &Node, pp: &str) -> Option<QualName> {
        match &pn.kind {
            NodeKind::Map(_) => {
                let pf = self.fields(pn, pp, PARTITION_OF_KEYS)?;
                let schema = match pf.get("schema") {
                    Some((n, p)) => self.string(n, &p),
                    None => Some(name.schema.clone()),
                };
                let Some((tn, tp)) = pf.get("table") else {
                    self.error(pn, pp, "missing key `table`");
                    return None;
                };
                let table = self.string(tn, &tp);
                Some(QualName::new(schema?, table?))
            }
            _ => self
                .string(pn, pp)
                .map(|t| QualName::new(name.schema.clone(), t)),
        }
    }
}
