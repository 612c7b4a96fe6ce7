//! Sample data for a rehearsal: reading rows, loading them, removing those whose parent was not
//! sampled, carrying sequence positions over, and checksums of a table's rows.

use super::fragments::ident_list;
use crate::model::quote::{ident, literal, qualified};
use crate::model::*;

/// Reads up to `limit` rows of `columns` of a table, for a rehearsal on sample data: the first
/// by `order_by` (its key), so that the same data gives the same sample.
pub fn sample_rows(
    table: &QualName,
    columns: &[String],
    order_by: &[String],
    limit: u64,
) -> String {
    let order = if order_by.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {}", ident_list(order_by))
    };
    format!(
        "COPY (SELECT {} FROM {}{order} LIMIT {limit}) TO STDOUT",
        ident_list(columns),
        qualified(table)
    )
}

/// Writes rows read by `sample_rows`.
pub fn load_rows(table: &QualName, columns: &[String]) -> String {
    format!(
        "COPY {} ({}) FROM STDIN",
        qualified(table),
        ident_list(columns)
    )
}

/// Deletes the rows of `child` whose foreign key `fk` points at no row (sample rows whose parent
/// was not sampled); every key column must be set for the key to be checked.
pub fn delete_orphans(child: &QualName, fk: &ForeignKey, ref_columns: &[String]) -> String {
    let set: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", ident(c)))
        .collect();
    let matches: Vec<String> = fk
        .columns
        .iter()
        .zip(ref_columns)
        .map(|(c, r)| format!("p.{} = c.{}", ident(r), ident(c)))
        .collect();
    format!(
        "DELETE FROM {} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
        qualified(child),
        set.join(" AND "),
        qualified(&fk.ref_table),
        matches.join(" AND ")
    )
}

/// The position of a sequence, and setting it.
pub fn sequence_position(sequence: &QualName) -> String {
    format!("SELECT last_value, is_called FROM {}", qualified(sequence))
}

pub fn set_sequence_position(sequence: &QualName, last_value: i64, is_called: bool) -> String {
    format!(
        "SELECT pg_catalog.setval({}, {last_value}, {is_called})",
        literal(&qualified(sequence))
    )
}

/// A checksum of a table's rows that does not depend on the order of its columns (rows as JSON
/// objects, whose keys are sorted): row count and md5.
pub fn rows_checksum(table: &QualName) -> String {
    format!(
        "SELECT pg_catalog.count(*)::text || ' rows, ' || pg_catalog.md5(coalesce(pg_catalog.string_agg(j, E'\\n' ORDER BY j), '')) FROM (SELECT pg_catalog.to_jsonb(t)::text AS j FROM {} AS t) AS rows",
        qualified(table)
    )
}
