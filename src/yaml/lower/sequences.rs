//! Sequences, and the options they share with identity columns.

use super::lowerer::{Fields, Lowerer};
use crate::model::*;
use crate::yaml::node::Node;
use crate::yaml::sqlcheck::Field;

pub(crate) const SEQUENCE_KEYS: &[&str] = &[
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
pub(crate) const OWNED_BY_KEYS: &[&str] = &["schema", "table", "column"];

impl Lowerer<'_> {
    pub(super) fn sequence_option_fields(&mut self, f: &Fields<'_>, options: &mut SequenceOptions) {
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

    pub(super) fn sequence(&mut self, name: QualName, node: &Node, path: &str) {
        let Some(f) = self.fields(node, path, SEQUENCE_KEYS) else {
            return;
        };
        let mut seq = Sequence::default();
        if let Some((n, p)) = f.get("type") {
            seq.options.data_type = self.checked(n, &p, Field::TypeName);
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
}
