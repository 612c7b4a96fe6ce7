//! Fingerprints of a schema: one short hash per object, and one for the whole, so that a plan
//! made earlier can tell whether the database it was made for is still the one it runs on,
//! and name what changed when it is not. Pure.

use std::collections::BTreeMap;
use std::fmt::Debug;

use crate::model::{Catalog, Table};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};

use crate::stdx::sha256_hex;

/// Object label (`column public.accounts.email`) → hash of its definition.
pub type Objects = BTreeMap<String, String>;

/// Fields the model gained after fingerprints were first saved, written out in the Debug text
/// only when they differ from these values (which every earlier model had): so an object that
/// does not use them keeps its hash, and a plan saved by an earlier schemaplan sees no drift
/// (and plan ids, which backup names carry, stay the same). PostgreSQL 18's temporal keys,
/// `NOT ENFORCED` constraints, virtual generated columns and NOT NULL constraints; incomplete
/// keys of partitioned tables; grants on identity sequences.
const LATER_DEFAULTS: [&str; 9] = [
    ", without_overlaps: false",
    ", period: false",
    ", enforced: true",
    ", generated_kind: Stored",
    ", not_null_names: {}",
    ", not_null_not_valid: {}",
    ", not_null_no_inherit: {}",
    ", only: false",
    ", identity_grants: {}",
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

/// A table without the parts hashed apart (columns, constraints, indexes, triggers, statistics),
/// built without copying them: a copy of every table's columns was most of a large schema's
/// fingerprint. Every field is named, so a new one cannot be left out unseen.
fn without_parts(table: &Table) -> Table {
    let Table {
        columns: _,
        constraints: _,
        indexes: _,
        triggers: _,
        statistics: _,
        options,
        unlogged,
        comment,
        partition_by,
        partition_of,
        owner,
        grants,
        column_grants,
        row_security,
        policies,
        replica_identity,
        inherits,
        not_null_names,
        not_null_not_valid,
        not_null_no_inherit,
        identity_grants,
    } = table;
    Table {
        columns: Vec::new(),
        constraints: BTreeMap::new(),
        indexes: BTreeMap::new(),
        triggers: BTreeMap::new(),
        statistics: BTreeMap::new(),
        options: options.clone(),
        unlogged: *unlogged,
        comment: comment.clone(),
        partition_by: partition_by.clone(),
        partition_of: partition_of.clone(),
        owner: owner.clone(),
        grants: grants.clone(),
        column_grants: column_grants.clone(),
        row_security: *row_security,
        policies: policies.clone(),
        replica_identity: replica_identity.clone(),
        inherits: inherits.clone(),
        not_null_names: not_null_names.clone(),
        not_null_not_valid: not_null_not_valid.clone(),
        not_null_no_inherit: not_null_no_inherit.clone(),
        identity_grants: identity_grants.clone(),
    }
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
        out.insert(format!("table {name}"), hash_of(&without_parts(table)));
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

/// The fingerprints a saved plan keeps (`plan --out`). By label, those of the objects its
/// steps touch: a run stopped halfway is judged by them, so they must be told apart by name.
/// The others only as a short hash of label and one of definition each, packed into one
/// base64 string: enough to name, by its label today, an object that changed or was added,
/// and to count those that are gone, at a small part of the size of the whole list (the
/// fingerprint of the whole set, in the plan, still decides whether anything changed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kept {
    pub touched: Objects,
    /// How many objects `digest` holds.
    pub others: usize,
    pub digest: String,
}

/// Bytes of each half (label, definition) of a packed entry: 40 bits keep an accidental
/// match of two labels unlikely even among a hundred thousand objects.
const PACKED: usize = 5;

type Packed = ([u8; PACKED], [u8; PACKED]);

fn packed(label: &str, hash: &str) -> Packed {
    let half = |text: &[u8]| {
        let hex = sha256_hex(text);
        let mut out = [0u8; PACKED];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex digits");
        }
        out
    };
    (half(label.as_bytes()), half(hash.as_bytes()))
}

/// Whether the object `label` names is one of `touched`, or part of one (a table's column).
fn touched_by(label: &str, touched: &[&str]) -> bool {
    (touched.iter()).any(|t| label.ends_with(&format!(" {t}")) || label.contains(&format!(" {t}.")))
}

/// What a saved plan keeps of `objects`, the steps touching `touched`.
pub fn keep(objects: &Objects, touched: &[&str]) -> Kept {
    let mut kept = Kept::default();
    let mut entries = Vec::new();
    for (label, hash) in objects {
        if touched_by(label, touched) {
            kept.touched.insert(label.clone(), hash.clone());
        } else {
            entries.push(packed(label, hash));
        }
    }
    entries.sort();
    kept.others = entries.len();
    let bytes: Vec<u8> = (entries.iter())
        .flat_map(|(l, d)| l.iter().chain(d))
        .copied()
        .collect();
    kept.digest = BASE64.encode(bytes);
    kept
}

/// What differs between what a saved plan kept and `now`, in `drift`'s words: changed and
/// added objects by label; those gone from the packed ones, counted.
pub fn kept_drift(kept: &Kept, now: &Objects, touched: &[&str]) -> Vec<String> {
    let (now_touched, now_others): (Objects, Objects) =
        (now.clone().into_iter()).partition(|(label, _)| touched_by(label, touched));
    let mut out = drift(&kept.touched, &now_touched);
    let bytes = BASE64.decode(&kept.digest).unwrap_or_default();
    let mut saved: BTreeMap<[u8; PACKED], Vec<[u8; PACKED]>> = BTreeMap::new();
    for entry in bytes.chunks_exact(2 * PACKED) {
        let (l, d) = entry.split_at(PACKED);
        let label: [u8; PACKED] = l.try_into().expect("a chunk holds two halves");
        saved
            .entry(label)
            .or_default()
            .push(d.try_into().expect("a half"));
    }
    let mut found = 0;
    for (label, hash) in &now_others {
        let (l, d) = packed(label, hash);
        match saved.get(&l) {
            None => out.push(format!("added {label}")),
            Some(definitions) => {
                found += 1;
                if !definitions.contains(&d) {
                    out.push(format!("changed {label}"));
                }
            }
        }
    }
    let gone = kept.others.saturating_sub(found);
    sort_drift(&mut out);
    if gone > 0 {
        out.push(format!(
            "removed {gone} other object(s): a saved plan keeps their names hashed; \
             `schemaplan plan` names them"
        ));
    }
    out
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
    sort_drift(&mut out);
    out
}

/// Drift in label order.
fn sort_drift(out: &mut [String]) {
    out.sort_by(|a, b| {
        let label = |s: &str| s.split_once(' ').map(|(_, l)| l.to_string());
        label(a).cmp(&label(b)).then_with(|| a.cmp(b))
    });
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

    fn two_tables(t: &[&str], u: &[&str]) -> Objects {
        let mut c = catalog(t);
        let other = catalog(u)
            .tables
            .remove(&QualName::new("public", "t"))
            .unwrap();
        c.tables.insert(QualName::new("public", "u"), other);
        objects(&c)
    }

    #[test]
    fn a_saved_plan_keeps_touched_objects_by_name_and_packs_the_rest() {
        let before = two_tables(&["a", "b"], &["x", "y", "z"]);
        let kept = keep(&before, &["public.t"]);
        assert_eq!(
            kept.touched.keys().collect::<Vec<_>>(),
            ["column public.t.a", "column public.t.b", "table public.t"]
        );
        assert_eq!(kept.others, 4);
        // Ten bytes an object, in base64.
        assert_eq!(kept.digest.len(), 4 * 40_usize.div_ceil(3));
        assert!(kept_drift(&kept, &before, &["public.t"]).is_empty());

        // Dropped, added and changed under the touched table are named; among the others,
        // added and changed objects are named by today's label, and the gone counted.
        let mut after = two_tables(&["b", "c"], &["x", "w"]);
        let changed = after.get_mut("column public.u.x").unwrap();
        *changed = "0123456789abcdef".into();
        assert_eq!(
            kept_drift(&kept, &after, &["public.t"]),
            vec![
                "removed column public.t.a",
                "added column public.t.c",
                "added column public.u.w",
                "changed column public.u.x",
                "removed 2 other object(s): a saved plan keeps their names hashed; \
                 `schemaplan plan` names them",
            ]
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
