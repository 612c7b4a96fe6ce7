//! Partitioned tables and partitions.

use std::collections::BTreeMap;

use super::lowerer::{Fields, Lowerer};
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

const PARTITION_OF_KEYS: &[&str] = &["schema", "table"];

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
}
