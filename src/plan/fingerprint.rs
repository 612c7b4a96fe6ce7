//! Fingerprints of a schema: one short hash per object, and one for the whole, so that a plan
//! made earlier can tell whether the database it was made for is still the one it runs on,
//! and name what changed when it is not. Pure.

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::model::{Catalog, Table};
use crate::stdx::sha256_hex;

/// Object label (`column public.accounts.email`) → hash of its definition.
pub type Objects = BTreeMap<String, String>;

/// Fields the model gained after fingerprints were first saved, written out in the Debug text
/// only when they differ from these values (which every earlier model had): so an object that
/// does not use them keeps its hash, and a plan saved by an earlier schemaplan sees no drift
/// (and plan ids, which backup names carry, stay the same). PostgreSQL 18's temporal keys,
/// `NOT ENFORCED` constraints, virtual generated columns and NOT NULL constraints; incomplete
/// keys of partitioned tables.
const LATER_DEFAULTS: [&str; 8] = [
    ", without_overlaps: false",
    ", period: false",
    ", enforced: true",
    ", generated_kind: Stored",
    ", not_null_names: {}",
    ", not_null_not_valid: {}",
    ", not_null_no_inherit: {}",
    ", only: false",
];

fn hash_of(value: &impl Debug) -> String {
    // The derived Debug text covers every field of a definition; the model's maps are ordered,
    // so the text — and the hash — depends on the definition alone.
    let mut text = format!("{value:?}");
    for default in LATER_DEFAULTS {
        if text.contains(default) {
            text = text.replace(default, "");
        }
    }
    sha256_hex(text.as_bytes())[..16].to_string()
}

/// The hash of every object of `catalog`, by label.
pub fn objects(catalog: &Catalog) -> Objects {
    let mut out = Objects::new();
    for (name, schema) in &catalog.schemas {
        out.insert(format!("schema {name}"), hash_of(schema));
    }
    for (name, ext) in &catalog.extensions {
        out.insert(format!("extension {name}"), hash_of(ext));
    }
    for (name, e) in &catalog.enums {
        out.insert(format!("enum {name}"), hash_of(e));
    }
    for (name, s) in &catalog.sequences {
        out.insert(format!("sequence {name}"), hash_of(s));
    }
    for (name, table) in &catalog.tables {
        let own = Table {
            columns: Vec::new(),
            constraints: BTreeMap::new(),
            indexes: BTreeMap::new(),
            triggers: BTreeMap::new(),
            statistics: BTreeMap::new(),
            ..table.clone()
        };
        out.insert(format!("table {name}"), hash_of(&own));
        for column in &table.columns {
            out.insert(format!("column {name}.{}", column.name), hash_of(column));
        }
        for (cname, con) in &table.constraints {
            out.insert(format!("constraint {name}.{cname}"), hash_of(con));
        }
        for (tname, trigger) in &table.triggers {
            out.insert(format!("trigger {name}.{tname}"), hash_of(trigger));
        }
        for (iname, index) in &table.indexes {
            out.insert(
                format!("index {}.{iname}", name.schema),
                hash_of(&(name, index)),
            );
        }
        for (sname, stats) in &table.statistics {
            out.insert(
                format!("statistics {}.{sname}", name.schema),
                hash_of(&(name, stats)),
            );
        }
    }
    for (name, view) in &catalog.views {
        out.insert(format!("view {name}"), hash_of(view));
    }
    for (id, function) in &catalog.functions {
        out.insert(format!("function {id}"), hash_of(function));
    }
    for (id, aggregate) in &catalog.aggregates {
        out.insert(format!("aggregate {id}"), hash_of(aggregate));
    }
    for (name, view) in &catalog.materialized_views {
        // Whether it is populated is the state of its data (a REFRESH changes it), not drift.
        let own = crate::model::MaterializedView {
            indexes: BTreeMap::new(),
            with_data: true,
            ..view.clone()
        };
        out.insert(format!("materialized view {name}"), hash_of(&own));
        for (iname, index) in &view.indexes {
            out.insert(
                format!("index {}.{iname}", name.schema),
                hash_of(&(name, index)),
            );
        }
    }
    for (name, d) in &catalog.domains {
        out.insert(format!("domain {name}"), hash_of(d));
    }
    for (name, c) in &catalog.composite_types {
        out.insert(format!("composite type {name}"), hash_of(c));
    }
    for (name, r) in &catalog.range_types {
        out.insert(format!("range type {name}"), hash_of(r));
    }
    for (name, c) in &catalog.collations {
        out.insert(format!("collation {name}"), hash_of(c));
    }
    for (name, d) in &catalog.text_search_dictionaries {
        out.insert(format!("text search dictionary {name}"), hash_of(d));
    }
    for (name, c) in &catalog.text_search_configurations {
        out.insert(format!("text search configuration {name}"), hash_of(c));
    }
    for (name, p) in &catalog.publications {
        out.insert(format!("publication {name}"), hash_of(p));
    }
    for (key, grants) in &catalog.default_privileges {
        out.insert(key.to_string(), hash_of(grants));
    }
    out
}

/// One hash for the whole set.
pub fn fingerprint(objects: &Objects) -> String {
    let mut text = String::new();
    for (label, hash) in objects {
        text.push_str(label);
        text.push('\t');
        text.push_str(hash);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

/// What differs between two sets: `added column public.accounts.note`, `changed index …`,
/// `removed view …`, in label order.
pub fn drift(before: &Objects, after: &Objects) -> Vec<String> {
    let mut out = Vec::new();
    for (label, hash) in before {
        match after.get(label) {
            None => out.push(format!("removed {label}")),
            Some(h) if h != hash => out.push(format!("changed {label}")),
            Some(_) => {}
        }
    }
    for label in after.keys() {
        if !before.contains_key(label) {
            out.push(format!("added {label}"));
        }
    }
    out.sort_by(|a, b| {
        let label = |s: &str| s.split_once(' ').map(|(_, l)| l.to_string());
        label(a).cmp(&label(b)).then_with(|| a.cmp(b))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Column, QualName};

    fn catalog(columns: &[&str]) -> Catalog {
        let mut c = Catalog::default();
        c.tables.insert(
            QualName::new("public", "t"),
            Table {
                columns: columns.iter().map(|n| Column::new(*n, "integer")).collect(),
                ..Table::default()
            },
        );
        c
    }

    #[test]
    fn same_schema_same_fingerprint_and_no_drift() {
        let a = objects(&catalog(&["a", "b"]));
        let b = objects(&catalog(&["a", "b"]));
        assert_eq!(fingerprint(&a), fingerprint(&b));
        assert!(drift(&a, &b).is_empty());
    }

    #[test]
    fn drift_names_added_removed_and_changed_objects() {
        let a = objects(&catalog(&["a", "b"]));
        let b = objects(&catalog(&["b", "c"]));
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(
            drift(&a, &b),
            vec!["removed column public.t.a", "added column public.t.c",]
        );
    }

    /// A constraint using none of PostgreSQL 18's flags hashes as it did before they existed
    /// (this hash was taken then); one that uses them hashes differently.
    #[test]
    fn later_fields_at_their_defaults_leave_hashes_as_they_were() {
        let plain = crate::model::Constraint {
            kind: crate::model::ConstraintKind::PrimaryKey {
                columns: vec!["id".into()],
                include: Vec::new(),
                without_overlaps: false,
            },
            deferrable: false,
            initially_deferred: false,
            validated: true,
            enforced: true,
            only: false,
            comment: None,
        };
        let before = sha256_hex(
            b"Constraint { kind: PrimaryKey { columns: [\"id\"], include: [] }, deferrable: false, \
              initially_deferred: false, validated: true, comment: None }",
        )[..16]
            .to_string();
        assert_eq!(hash_of(&plain), before);
        let temporal = crate::model::Constraint {
            kind: crate::model::ConstraintKind::PrimaryKey {
                columns: vec!["id".into()],
                include: Vec::new(),
                without_overlaps: true,
            },
            ..plain.clone()
        };
        assert_ne!(hash_of(&temporal), before);
        let not_enforced = crate::model::Constraint {
            enforced: false,
            ..plain
        };
        assert_ne!(hash_of(&not_enforced), before);
    }
}
