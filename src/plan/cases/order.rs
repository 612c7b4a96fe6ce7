//! `graph::order_in_phases`: each change placed after what it depends on, before what depends on
//! it, in its phase or pushed to a later one by a change it must follow. Each row puts the change
//! under test first and a few changes it has to be ordered with after it, and gives the order
//! that comes out as `phase kind object`.

use super::fixtures::{current, desired};
use super::order_objects::{routine_rows, security_rows, text_search_rows, view_rows};
use super::order_row::Row;
use super::order_tables::{constraint_and_index_rows, partition_rows, table_and_column_rows};
use super::order_types::{
    domain_and_composite_rows, range_and_collation_rows, schema_and_type_rows,
};
use super::variants::assert_covers;
use crate::plan::change::Change;
use crate::plan::graph::order_in_phases;

fn rows() -> Vec<Row> {
    [
        schema_and_type_rows(),
        domain_and_composite_rows(),
        range_and_collation_rows(),
        table_and_column_rows(),
        constraint_and_index_rows(),
        view_rows(),
        routine_rows(),
        text_search_rows(),
        security_rows(),
        partition_rows(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The order of `changes` as `phase kind object` lines, or the cycle's objects.
fn ordered(changes: Vec<Change>, sequence: &[(usize, usize)]) -> Vec<String> {
    match order_in_phases(changes, sequence, &current(), &desired()) {
        Ok(ordered) => ordered
            .iter()
            .map(|(c, phase)| format!("{phase} {} {}", c.kind(), c.object()))
            .collect(),
        Err(cycle) => vec![cycle.to_string()],
    }
}

/// Checks every row, reporting all the rows that disagree at once.
fn check(rows: &[Row]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let subject_first: Vec<Change> = std::iter::once(row.subject.clone())
                .chain(row.with.iter().cloned())
                .collect();
            let got = ordered(subject_first, &row.sequence);
            // Without a sequence the input order only breaks ties the rows do not have: the
            // subject given last comes out in the same place.
            let subject_last = row.sequence.is_empty().then(|| {
                let mut changes = row.with.clone();
                changes.push(row.subject.clone());
                ordered(changes, &[])
            });
            let differs = subject_last.filter(|last| *last != got);
            (got != row.expect || differs.is_some()).then(|| {
                format!(
                    "{} {}:\n    got      {got:?}\n    expected {:?}\n    given last {differs:?}",
                    row.subject.kind(),
                    row.subject.object(),
                    row.expect
                )
            })
        })
        .collect();
    assert!(wrong.is_empty(), "wrong orders:\n{}", wrong.join("\n"));
}

#[test]
fn each_change_is_ordered_after_what_it_needs() {
    check(&rows());
}

#[test]
fn every_variant_has_an_order_row() {
    assert_covers("order", rows().iter().map(|r| &r.subject));
}

/// Every variant alone comes out alone, in its own phase.
#[test]
fn a_change_alone_keeps_its_own_phase() {
    let current = current();
    for row in rows() {
        let phase = crate::plan::classify::phase(&row.subject, &current);
        let got = order_in_phases(vec![row.subject.clone()], &[], &current, &desired())
            .expect("one change has no cycle");
        assert_eq!(got, vec![(row.subject, phase)]);
    }
}
