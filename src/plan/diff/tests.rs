use std::collections::BTreeMap;

use crate::model::Casts;
use crate::model::*;
use crate::plan::change::Change;

use super::columns::needs_using;
use super::compare::is_extension_of;
use super::diff;
use super::settle::{relocate, settle_extensions};

fn casts() -> Casts {
    Casts {
        assignment: [("integer", "bigint"), ("bigint", "integer")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    }
}

#[test]
fn using_is_needed_only_without_an_assignment_cast() {
    let c = casts();
    assert!(!needs_using(
        "character varying(10)",
        "character varying(5)",
        &c
    ));
    assert!(!needs_using("integer", "bigint", &c));
    assert!(!needs_using("integer", "text", &c));
    assert!(needs_using("text", "integer", &c));
    assert!(needs_using("text", "text[]", &c));
    assert!(needs_using("text", "public.mood", &c));
}

#[test]
fn an_unspecified_extension_schema_follows_the_installed_one() {
    let ext = |schema: &str| Extension {
        schema: Some(schema.into()),
        version: Some("1.6".into()),
    };
    let users = |data_type: &str| Table {
        columns: vec![Column::new("email", data_type)],
        ..Table::default()
    };
    let mut normalized = Catalog::default();
    normalized.extensions.insert("citext".into(), ext("public"));
    normalized
        .extension_members
        .insert("citext".into(), ["citext".to_string()].into());
    normalized
        .tables
        .insert(QualName::new("public", "users"), users("public.citext"));
    let mut raw = Catalog::default();
    raw.extensions.insert("citext".into(), Extension::default());
    let mut current = Catalog::default();
    current.extensions.insert("citext".into(), ext("ext"));
    settle_extensions(&mut normalized, &raw, &current);
    assert_eq!(
        normalized.extensions["citext"].schema.as_deref(),
        Some("ext")
    );
    assert_eq!(
        normalized.tables[&QualName::new("public", "users")].columns[0].data_type,
        "ext.citext"
    );
}

#[test]
fn moved_extension_names_are_relocated_as_whole_names() {
    let mut t = "(a OPERATOR(public.->) 'x'::public.citext) AND mypublic.citext_x(b)".to_string();
    relocate(&mut t, "public", "extensions", "citext");
    relocate(&mut t, "public", "extensions", "->");
    assert_eq!(
        t,
        "(a OPERATOR(extensions.->) 'x'::extensions.citext) AND mypublic.citext_x(b)"
    );
}

#[test]
fn enum_extension_keeps_order() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(is_extension_of(&v(&["a", "b"]), &v(&["a", "x", "b"])));
    assert!(!is_extension_of(&v(&["a", "b"]), &v(&["b", "a"])));
    assert!(!is_extension_of(&v(&["a", "b"]), &v(&["a"])));
}

fn with_extension(version: &str, reachable: &[&str]) -> Catalog {
    let mut c = Catalog::default();
    c.extensions.insert(
        "pg_trgm".into(),
        Extension {
            schema: Some("public".into()),
            version: Some(version.into()),
        },
    );
    c.extension_updates.insert(
        "pg_trgm".into(),
        reachable.iter().map(|v| v.to_string()).collect(),
    );
    c
}

#[test]
fn extension_versions_change_only_along_update_paths() {
    let current = with_extension("1.4", &["1.5", "1.6"]);
    let up = diff(&current, &with_extension("1.6", &[]), &casts());
    assert!(matches!(
        up.changes.as_slice(),
        [Change::AlterExtension { to, .. }] if to.version.as_deref() == Some("1.6")
    ));
    assert!(up.warnings.is_empty());
    // No downgrade script: nothing to run, and the plan says why.
    let newer = with_extension("1.6", &[]);
    let down = diff(&newer, &with_extension("1.4", &[]), &casts());
    assert!(down.changes.is_empty(), "{:?}", down.changes);
    assert_eq!(down.warnings.len(), 1);
    assert!(
        down.warnings[0]
            .message
            .contains("no update path from version 1.6 to 1.4")
    );
}

fn domain(data_type: &str) -> Domain {
    Domain {
        data_type: data_type.into(),
        not_null: false,
        default: None,
        collation: None,
        constraints: BTreeMap::new(),
        comment: None,
    }
}

#[test]
fn a_rebuilt_domain_takes_the_domains_over_it_along() {
    let q = |n: &str| QualName::new("public", n);
    let mut current = Catalog::default();
    current.domains.insert(q("amount"), domain("integer"));
    current.domains.insert(q("price"), domain("public.amount"));
    current.domains.insert(q("label"), domain("text"));
    current.tables.insert(
        q("items"),
        Table {
            columns: vec![Column::new("price", "public.price")],
            ..Table::default()
        },
    );
    let mut desired = current.clone();
    desired.domains.insert(q("amount"), domain("bigint"));
    // The domain over it changes base too: it is rebuilt in the same step, not twice.
    desired.domains.insert(q("price"), domain("numeric"));
    let out = diff(&current, &desired, &casts());
    let rebuilds: Vec<_> = out
        .changes
        .iter()
        .filter_map(|c| {
            if let Change::RebuildDomain { name, domains } = c {
                Some((name, domains))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(rebuilds.len(), 1, "{:?}", out.changes);
    let (root, domains) = rebuilds[0];
    assert_eq!(*root, q("amount"));
    let names: Vec<&QualName> = domains.iter().map(|d| &d.name).collect();
    assert_eq!(names, [&q("amount"), &q("price")]);
    assert_eq!(domains[1].columns.len(), 1);
    assert_eq!(domains[1].to.data_type, "numeric");
    assert_eq!(out.changes.len(), 1, "{:?}", out.changes);
}

#[test]
fn a_composite_type_keeps_its_order_while_in_use() {
    let q = QualName::new("public", "pair");
    let attr = |n: &str| Attribute {
        name: n.into(),
        data_type: "integer".into(),
        collation: None,
        comment: None,
    };
    let old = CompositeType {
        attributes: vec![attr("a"), attr("b")],
        comment: None,
    };
    let swapped = CompositeType {
        attributes: vec![attr("b"), attr("a")],
        comment: None,
    };
    let mut current = Catalog::default();
    current.composite_types.insert(q.clone(), old);
    let mut desired = current.clone();
    desired.composite_types.insert(q.clone(), swapped);
    // Unused: dropped and created again.
    let out = diff(&current, &desired, &casts());
    assert!(matches!(
        out.changes.as_slice(),
        [
            Change::DropCompositeType { .. },
            Change::CreateCompositeType { .. }
        ]
    ));
    // Stored in a column: left as it is, with a warning.
    let table = Table {
        columns: vec![Column::new("p", "public.pair")],
        ..Table::default()
    };
    current
        .tables
        .insert(QualName::new("public", "t"), table.clone());
    desired.tables.insert(QualName::new("public", "t"), table);
    let out = diff(&current, &desired, &casts());
    assert!(out.changes.is_empty(), "{:?}", out.changes);
    assert_eq!(out.warnings.len(), 1);
}
