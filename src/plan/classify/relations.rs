//! What the models say a change reaches besides its own object: partitions, default
//! partitions, the tables foreign keys reference, what bodies, policies and views read, the
//! tables that use a domain, identity sequences.

use crate::model::naming::identity_sequence_name;
use crate::model::*;

/// Partitions of `table` at every level, of the current model and those the plan creates.
pub(super) fn all_partitions(
    current: &Catalog,
    desired: &Catalog,
    table: &QualName,
) -> Vec<QualName> {
    descendants(&[current, desired], table, |t, parent| {
        t.partition_of.as_ref().is_some_and(|p| p.parent == *parent)
    })
}

/// The tables that inherit from `table` (`INHERITS`) at every level, in `current`.
pub(super) fn all_heirs(current: &Catalog, table: &QualName) -> Vec<QualName> {
    descendants(&[current], table, |t, parent| t.inherits.contains(parent))
}

/// The tables under `root` at every level of the models, sorted, where `is_child(t, parent)`
/// says whether table `t` sits right under `parent`.
fn descendants(
    models: &[&Catalog],
    root: &QualName,
    is_child: impl Fn(&Table, &QualName) -> bool,
) -> Vec<QualName> {
    let mut out: Vec<QualName> = Vec::new();
    let mut queue = vec![root.clone()];
    while let Some(parent) = queue.pop() {
        for model in models {
            for (q, t) in &model.tables {
                if is_child(t, &parent) && !out.contains(q) && q != root {
                    out.push(q.clone());
                    queue.push(q.clone());
                }
            }
        }
    }
    out.sort();
    out
}

/// The tables a partitioned table's foreign keys reference (in the current model, else the
/// desired one).
pub(super) fn parent_references(
    current: &Catalog,
    desired: &Catalog,
    parent: &QualName,
) -> Vec<QualName> {
    let table = current
        .tables
        .get(parent)
        .or_else(|| desired.tables.get(parent));
    let mut out: Vec<QualName> = table
        .into_iter()
        .flat_map(|t| t.constraints.values())
        .filter_map(|c| match &c.kind {
            ConstraintKind::ForeignKey(fk) if fk.ref_table != *parent => Some(fk.ref_table.clone()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The default partition of `parent` in the current model, other than `except`.
pub(super) fn default_partition(
    current: &Catalog,
    parent: &QualName,
    except: &QualName,
) -> Option<QualName> {
    Table::partitions_of(current, parent)
        .find(|(q, t)| *q != except && t.partition_of.as_ref().is_some_and(|p| p.is_default()))
        .map(|(q, _)| q.clone())
}

/// The relations a function's body names, bare names resolved in its schema, then `public`,
/// and whether it writes to them.
pub(super) fn body_relations(
    id: &FunctionId,
    f: &Function,
    current: &Catalog,
    desired: &Catalog,
) -> Vec<(QualName, bool)> {
    let is_relation = |q: &QualName| {
        [current, desired]
            .iter()
            .any(|c| c.tables.contains_key(q) || c.views.contains_key(q))
    };
    let mut out = Vec::new();
    for m in crate::sqltext::body::mentions(&f.body)
        .into_iter()
        .filter(|m| !m.in_literal)
    {
        let written = m.written();
        if let Some(q) = m
            .candidates(&id.name.schema)
            .into_iter()
            .find(|q| is_relation(q))
        {
            out.push((q, written));
        }
    }
    // A relation both read and written is locked in the stronger mode.
    out.sort();
    out.dedup_by(|b, a| {
        a.0 == b.0 && {
            a.1 |= b.1;
            true
        }
    });
    out
}

/// (domain, table) for every table with a column of the domain, or of a domain built over it
/// (arrays aside: PostgreSQL refuses to check those in place).
pub(super) fn domain_tables(catalog: &Catalog) -> Vec<(QualName, QualName)> {
    let mut out = Vec::new();
    for domain in catalog.domains.keys() {
        for d in catalog.domain_and_subdomains(domain) {
            for (table, _, array) in catalog.columns_of_type(&d) {
                if !array {
                    out.push((domain.clone(), table));
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The other relations a desired policy's expressions read (from the shadow's `pg_depend`).
pub(super) fn policy_reads(desired: &Catalog, table: &QualName, policy: &str) -> Vec<QualName> {
    let mut out: Vec<QualName> = desired
        .recorded_deps_of(&ObjKey::Policy(table.clone(), policy.to_string()))
        .filter_map(|k| match k {
            ObjKey::Relation(q) | ObjKey::Column(q, _) if q != table => Some(q.clone()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The relations a desired view reads (from the shadow's `pg_depend`).
pub(super) fn reads(desired: &Catalog, view: &QualName) -> Vec<QualName> {
    let mut out: Vec<QualName> = desired
        .recorded_deps_of(&ObjKey::Relation(view.clone()))
        .filter_map(|k| match k {
            ObjKey::Relation(q) | ObjKey::Column(q, _) => Some(q.clone()),
            _ => None,
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The identity sequences of every table's identity columns.
pub(super) fn identity_sequences(catalog: &Catalog) -> impl Iterator<Item = QualName> + '_ {
    catalog.tables.iter().flat_map(|(t, table)| {
        table
            .columns
            .iter()
            .filter_map(move |c| identity_sequence_name(t, c))
    })
}
