//! Database-free checks of a few classification rules (the per-variant tables live with the
//! planner's tests).

use crate::model::*;
use crate::plan::change::{Change, Verb};

use super::hazards::{Hazard, hazards};
use super::lock_mode::LockMode;
use super::locks::locks;
use super::phase::{Phase, phase};
use super::type_rules::binary_compatible;

fn events() -> QualName {
    QualName::new("public", "events")
}

/// A model with one empty table, `public.events`.
fn with_events() -> Catalog {
    let mut catalog = Catalog::default();
    catalog.tables.insert(events(), Table::default());
    catalog
}

#[test]
fn drops_are_contract() {
    let current = with_events();
    let drops = [
        Change::DropSchema {
            name: "app".into(),
            schema: Schema::default(),
        },
        Change::DropTable {
            name: events(),
            table: Table::default(),
            backup: None,
        },
        Change::DropColumn {
            table: events(),
            column: Column::new("title", "text"),
            backup: None,
            only: false,
        },
        Change::DropSequence {
            name: QualName::new("public", "events_id_seq"),
            def: Sequence::default(),
            backup: None,
        },
    ];
    for change in drops {
        assert_eq!(change.verb(), Verb::Drop, "{}", change.kind());
        assert_eq!(
            phase(&change, &current),
            Phase::Contract,
            "{}",
            change.kind()
        );
    }
}

#[test]
fn locks_phase_and_hazards_of_column_changes() {
    let current = with_events();
    // (change, lock on public.events, phase, hazards)
    let rows: Vec<(Change, Option<LockMode>, Phase, Vec<Hazard>)> = vec![
        (
            Change::AddColumn {
                table: events(),
                column: Column::new("title", "text"),
                not_null_name: None,
            },
            Some(LockMode::AccessExclusive),
            Phase::Expand,
            vec![],
        ),
        (
            Change::DropColumn {
                table: events(),
                column: Column::new("title", "text"),
                backup: None,
                only: false,
            },
            Some(LockMode::AccessExclusive),
            Phase::Contract,
            vec![Hazard::DeletesData],
        ),
        (
            Change::Backfill {
                table: events(),
                column: "title".into(),
                expression: Expr::new("''"),
                column_existed: false,
            },
            Some(LockMode::RowExclusive),
            Phase::Backfill,
            vec![],
        ),
        // The table it creates is nobody else's yet: no lock on it.
        (
            Change::CreateTable {
                name: events(),
                table: Table::default(),
            },
            None,
            Phase::Expand,
            vec![],
        ),
    ];
    for (change, lock, expected_phase, expected_hazards) in rows {
        let kind = change.kind();
        assert_eq!(
            locks(&change, &current, &current).get(&events()).copied(),
            lock,
            "{kind}"
        );
        assert_eq!(phase(&change, &current), expected_phase, "{kind}");
        assert_eq!(
            hazards(&change, &current, &current),
            expected_hazards,
            "{kind}"
        );
    }
}

#[test]
fn binary_compatible_type_changes() {
    let rows = [
        ("character varying(10)", "character varying(20)", true),
        ("character varying(20)", "character varying(10)", false),
        ("character varying(20)", "text", true),
        ("numeric(10,2)", "numeric(12,2)", true),
        ("numeric(10,2)", "numeric(12,3)", false),
        ("integer", "bigint", false),
        ("text[]", "text[]", true),
    ];
    for (from, to, expected) in rows {
        assert_eq!(binary_compatible(from, to), expected, "{from} -> {to}");
    }
}

/// The README's hazard table names every hazard once, and nothing else.
#[test]
fn the_readme_lists_every_hazard_once() {
    let readme = include_str!("../../../README.md");
    let mut named: Vec<String> = (readme.lines())
        .skip_while(|l| !l.starts_with("| hazard | meaning |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .flat_map(|row| row.split('|').nth(1).unwrap_or("").split(','))
        .map(|n| n.trim().trim_matches('`').to_string())
        .collect();
    let mut expected: Vec<String> = Hazard::ALL.iter().map(|h| h.name().to_string()).collect();
    named.sort();
    expected.sort();
    assert_eq!(named, expected);
}
