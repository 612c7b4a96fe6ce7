//! Backups: what a destructive step keeps in `schemaplan_backup` before it drops, and the
//! restores that put it back when the plan is rolled back.

use crate::model::quote::{ident, literal, qualified};
use crate::model::*;
use crate::plan::change::{Backup, Restored};

pub(super) fn restore(from: &QualName, into: &Restored, last: bool) -> Vec<String> {
    let mut out = Vec::new();
    match into {
        Restored::Rows { table, columns } => {
            let filled: Vec<&Column> = columns.iter().filter(|c| c.generated.is_none()).collect();
            let names: Vec<String> = filled.iter().map(|c| ident(&c.name)).collect();
            let values: Vec<String> = filled.iter().map(|c| restored_value(c)).collect();
            // A table of no columns (or generated ones only) still has rows: as many come back,
            // each all defaults.
            if filled.is_empty() {
                out.push(format!(
                    "INSERT INTO {} SELECT FROM {} AS kept",
                    qualified(table),
                    qualified(from)
                ));
            } else {
                out.push(format!(
                "INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE\nSELECT {} FROM {} AS kept",
                qualified(table),
                names.join(", "),
                values.join(", "),
                qualified(from)
            ));
            }
        }
        Restored::Values { table, column, key } => {
            let matches: Vec<String> = key
                .iter()
                .map(|k| format!("target.{} = {}", ident(&k.name), restored_value(k)))
                .collect();
            out.push(format!(
                "UPDATE {} AS target SET {} = {}\n  FROM {} AS kept\n WHERE {}",
                qualified(table),
                ident(&column.name),
                restored_value(column),
                qualified(from),
                matches.join(" AND ")
            ));
        }
        Restored::Positions { .. } => out.push(format!(
            "SELECT pg_catalog.setval(kept.sequence_name::regclass, kept.last_value, kept.is_called) FROM {} AS kept",
            qualified(from)
        )),
    }
    out.push(format!("DROP TABLE {}", qualified(from)));
    if !last {
        return out;
    }
    // The schema goes when its last copy does, so that a rolled-back plan leaves nothing behind.
    let schema = literal(&ident(crate::model::naming::BACKUP_SCHEMA));
    out.push(format!(
        "DO $schemaplan$\nBEGIN\n    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = {schema}::regnamespace) THEN\n        DROP SCHEMA {};\n    END IF;\nEND\n$schemaplan$",
        ident(crate::model::naming::BACKUP_SCHEMA)
    ));
    out
}

/// A column as copied into a backup: types defined in the database are kept as text, so that
/// the copy does not hold up dropping them.
fn kept_column(column: &Column) -> String {
    if crate::sqltext::types::is_user_defined(&column.data_type) {
        format!("{}::text AS {}", ident(&column.name), ident(&column.name))
    } else {
        ident(&column.name)
    }
}

/// A kept value read back from the copy `kept` as its column's type.
fn restored_value(column: &Column) -> String {
    if crate::sqltext::types::is_user_defined(&column.data_type) {
        format!("kept.{}::{}", ident(&column.name), column.data_type)
    } else {
        format!("kept.{}", ident(&column.name))
    }
}

fn backup_schema(out: &mut Vec<String>) {
    out.push(format!(
        "CREATE SCHEMA IF NOT EXISTS {}",
        ident(crate::model::naming::BACKUP_SCHEMA)
    ));
}

fn describe_backup(out: &mut Vec<String>, copy: &QualName, what: &str) {
    out.push(format!(
        "COMMENT ON TABLE {} IS {}",
        qualified(copy),
        literal(&format!(
            "schemaplan: {what}, kept when it was dropped; rolling the plan back puts it back"
        ))
    ));
}

pub(super) fn keep_positions(out: &mut Vec<String>, backup: &Backup, what: &str) {
    let Some(positions) = &backup.positions else {
        return;
    };
    if backup.data.is_none() {
        backup_schema(out);
    }
    let selects: Vec<String> = backup
        .sequences
        .iter()
        .map(|s| {
            format!(
                "SELECT {}::text AS sequence_name, last_value, is_called FROM {}",
                literal(&qualified(s)),
                qualified(s)
            )
        })
        .collect();
    out.push(format!(
        "CREATE TABLE {} AS\n{}",
        qualified(positions),
        selects.join("\nUNION ALL\n")
    ));
    describe_backup(out, positions, what);
}

pub(super) fn keep_rows(out: &mut Vec<String>, name: &QualName, table: &Table, backup: &Backup) {
    if let Some(data) = &backup.data {
        backup_schema(out);
        let columns: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.generated.is_none())
            .map(kept_column)
            .collect();
        out.push(format!("LOCK TABLE {} IN SHARE MODE", qualified(name)));
        out.push(format!(
            "CREATE TABLE {} AS SELECT {} FROM {}",
            qualified(data),
            columns.join(", "),
            qualified(name)
        ));
        describe_backup(out, data, &format!("the rows of table {name}"));
    }
    keep_positions(
        out,
        backup,
        &format!("the positions of the sequences of table {name}"),
    );
}

pub(super) fn keep_values(
    out: &mut Vec<String>,
    table: &QualName,
    column: &Column,
    backup: &Backup,
    only: bool,
) {
    if let Some(data) = &backup.data {
        backup_schema(out);
        let mut columns: Vec<String> = backup.key.iter().map(kept_column).collect();
        columns.push(kept_column(column));
        // Writes wait until the step ends, so that none is made after the copy and lost with
        // the column; reads go on until the drop itself.
        out.push(format!("LOCK TABLE {} IN SHARE MODE", qualified(table)));
        out.push(format!(
            "CREATE TABLE {} AS SELECT {} FROM {}{} WHERE {} IS NOT NULL",
            qualified(data),
            columns.join(", "),
            // The tables that inherit keep their values with their copy of the column.
            if only { "ONLY " } else { "" },
            qualified(table),
            ident(&column.name)
        ));
        describe_backup(
            out,
            data,
            &format!("the values of column {table}.{}", column.name),
        );
    }
    keep_positions(
        out,
        backup,
        &format!(
            "the positions of the sequences of column {table}.{}",
            column.name
        ),
    );
}
