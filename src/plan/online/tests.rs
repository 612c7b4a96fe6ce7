//! The techniques on tiny catalogs, without a database.

use std::collections::BTreeMap;

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
        options: BTreeMap::new(),
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
