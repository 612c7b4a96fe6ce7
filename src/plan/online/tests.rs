//! The techniques on tiny catalogs, without a database.

use super::techniques;
use crate::model::hints::Backfills;
use crate::model::*;
use crate::plan::change::Change;

fn index(column: &str, unique: bool) -> Index {
    Index {
        unique,
        method: "btree".into(),
        keys: vec![IndexKey {
            expr: IndexExpr::Column(column.into()),
            opclass: None,
            collation: None,
            descending: false,
            nulls_first: false,
        }],
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        options: StorageOptions::new(),
        comment: None,
        valid: true,
    }
}

fn catalog_with_table(t: &QualName) -> Catalog {
    let mut catalog = Catalog::default();
    catalog.tables.insert(t.clone(), Table::default());
    catalog
}

#[test]
fn a_changed_index_is_rebuilt_under_a_temporary_name() {
    let t = QualName::new("public", "t");
    let catalog = catalog_with_table(&t);
    let changes = vec![
        Change::DropIndex {
            table: t.clone(),
            name: "i".into(),
            index: index("a", false),
            concurrently: false,
            only: None,
            cascades: Vec::new(),
        },
        Change::CreateIndex {
            table: t.clone(),
            name: "i".into(),
            index: index("a", true),
            concurrently: false,
            replaces: None,
        },
    ];
    let online = techniques(changes, &catalog, &catalog, &Backfills::new());
    let kinds: Vec<String> = online
        .changes
        .iter()
        .map(|c| format!("{} {}", c.kind(), c.object()))
        .collect();
    assert_eq!(online.changes.len(), 3, "{kinds:?}");
    assert!(matches!(
        &online.changes[0],
        Change::DropIndex {
            concurrently: true,
            only: None,
            ..
        }
    ));
    assert!(matches!(
        &online.changes[1],
        Change::CreateIndex { name, concurrently: true, replaces: Some(r), .. }
            if name != "i" && r == "i"
    ));
    assert!(matches!(&online.changes[2], Change::RenameIndex { to, .. } if to == "i"));
    assert_eq!(online.sequence, [(1, 2)]);
}

#[test]
fn changes_without_a_technique_are_kept() {
    let t = QualName::new("public", "t");
    let empty = Catalog::default();
    let changes = vec![Change::CreateTable {
        name: t.clone(),
        table: Table::default(),
    }];
    let online = techniques(changes.clone(), &empty, &empty, &Backfills::new());
    assert_eq!(online.changes, changes);
    assert!(online.sequence.is_empty());
}

/// Two long index names that begin alike (and one in multibyte characters), all rebuilt: each
/// temporary name fits in 63 bytes as written — PostgreSQL would otherwise cut it and the
/// rename after the build would name nothing — and none is another's or an existing relation's.
#[test]
fn temporary_names_fit_in_63_bytes_and_are_unique() {
    let t = QualName::new("public", "t");
    let mut catalog = catalog_with_table(&t);
    let stem = "index_merge_request_diff_commits_on_merge_request_diff_id_and_";
    let names = [format!("{stem}x"), format!("{stem}y"), "é".repeat(31)];
    // A relation already holds the first name PostgreSQL's rule would give.
    catalog.sequences.insert(
        QualName::new("public", format!("{}_schemaplan_new", &stem[..48])),
        Sequence::default(),
    );
    let mut changes = Vec::new();
    for name in &names {
        changes.push(Change::DropIndex {
            table: t.clone(),
            name: name.clone(),
            index: index("a", false),
            concurrently: false,
            only: None,
            cascades: Vec::new(),
        });
        changes.push(Change::CreateIndex {
            table: t.clone(),
            name: name.clone(),
            index: index("a", true),
            concurrently: false,
            replaces: None,
        });
    }
    let online = techniques(changes, &catalog, &catalog, &Backfills::new());
    let temporary: Vec<&String> = online
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::CreateIndex { name, .. } if !names.contains(name) => Some(name),
            _ => None,
        })
        .collect();
    assert_eq!(temporary.len(), 3, "{temporary:?}");
    for name in &temporary {
        assert!(name.len() <= 63, "{name} is {} bytes", name.len());
        assert!(name.contains("schemaplan_new"), "{name}");
    }
    let distinct: std::collections::BTreeSet<_> = temporary.iter().collect();
    assert_eq!(distinct.len(), 3, "{temporary:?}");
    assert!(!temporary.contains(&&format!("{}_schemaplan_new", &stem[..48])));
    // Each rename names the index built under that temporary name.
    for name in &temporary {
        assert!(
            online
                .changes
                .iter()
                .any(|c| matches!(c, Change::RenameIndex { from, .. } if &from == name))
        );
    }
}
