//! Extended statistics (`CREATE | DROP | ALTER STATISTICS`) and a column's settings
//! (`ALTER COLUMN … SET STATISTICS | STORAGE | COMPRESSION | (…)`).

use std::collections::BTreeMap;

use super::comments::comment_if;
use super::fragments::{option_keys, options_list};
use crate::model::quote::{ident, qualified};
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

/// The statements of statistics and column settings changes (`render::statements` sends
/// only these here).
pub(super) fn statements(change: &Change) -> Vec<String> {
    match change {
        Change::CreateStatistics { table, name, stats } => create_statistics(table, name, stats),
        Change::DropStatistics { table, name, .. } => drop_statistics(table, name),
        Change::AlterStatistics {
            table, name, to, ..
        } => alter_statistics(table, name, to),
        Change::AlterColumnSettings {
            table,
            column,
            from,
            to,
        } => column_settings(table, column, from, to),
        other => unreachable!("{} is not rendered here", other.kind()),
    }
}

fn statistics_name(table: &QualName, name: &str) -> QualName {
    QualName::new(table.schema.clone(), name.to_string())
}

/// `CREATE STATISTICS`, then its target and comment.
fn create_statistics(table: &QualName, name: &str, stats: &Statistics) -> Vec<String> {
    let q = statistics_name(table, name);
    let kinds = if stats.kinds.is_empty() {
        String::new()
    } else {
        format!(" ({})", stats.kinds.join(", "))
    };
    let items: Vec<String> = stats
        .columns
        .iter()
        .map(|c| ident(c))
        .chain(stats.expressions.iter().map(|e| format!("({})", e.sql())))
        .collect();
    let mut out = vec![format!(
        "CREATE STATISTICS {}{kinds} ON {} FROM {}",
        qualified(&q),
        items.join(", "),
        qualified(table)
    )];
    if let Some(target) = stats.target {
        out.push(set_target(&q, Some(target)));
    }
    comment_if(&mut out, &CommentTarget::Statistics(q), &stats.comment);
    out
}

fn drop_statistics(table: &QualName, name: &str) -> Vec<String> {
    vec![format!(
        "DROP STATISTICS {}",
        qualified(&statistics_name(table, name))
    )]
}

/// Only the target changes in place (comments are changes of their own).
fn alter_statistics(table: &QualName, name: &str, to: &Statistics) -> Vec<String> {
    vec![set_target(&statistics_name(table, name), to.target)]
}

fn set_target(q: &QualName, target: Option<i32>) -> String {
    format!(
        "ALTER STATISTICS {} SET STATISTICS {}",
        qualified(q),
        target.unwrap_or(-1)
    )
}

/// One `ALTER TABLE` with a subcommand per setting that differs (none when they are the same).
pub(super) fn column_settings(
    table: &QualName,
    column: &str,
    from: &ColumnSettings,
    to: &ColumnSettings,
) -> Vec<String> {
    let col = format!("ALTER COLUMN {}", ident(column));
    let mut clauses = Vec::new();
    if from.statistics != to.statistics {
        clauses.push(format!(
            "{col} SET STATISTICS {}",
            to.statistics.unwrap_or(-1)
        ));
    }
    if from.storage != to.storage {
        // Back to the type's own storage when the setting goes.
        if let Some(storage) = to.storage.or(to.type_storage).or(from.type_storage) {
            clauses.push(format!("{col} SET STORAGE {}", storage.sql()));
        }
    }
    if from.compression != to.compression {
        clauses.push(format!(
            "{col} SET COMPRESSION {}",
            to.compression.as_deref().unwrap_or("default")
        ));
    }
    let set: BTreeMap<String, String> = to
        .options
        .iter()
        .filter(|(k, v)| from.options.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if !set.is_empty() {
        clauses.push(format!("{col} SET ({})", options_list(&set)));
    }
    let reset: Vec<String> = from
        .options
        .keys()
        .filter(|k| !to.options.contains_key(*k))
        .cloned()
        .collect();
    if !reset.is_empty() {
        clauses.push(format!("{col} RESET ({})", option_keys(&reset)));
    }
    if clauses.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "ALTER TABLE {} {}",
        qualified(table),
        clauses.join(", ")
    )]
}
