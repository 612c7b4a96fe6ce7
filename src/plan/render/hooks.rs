//! Data hooks (their preview in the plan, and the queries `hookrun` runs them by) and column
//! backfills.

use super::fragments::dollar_quoted;
use crate::model::hook::{Batch, Hook};
use crate::model::quote::{ident, literal, qualified};
use crate::model::*;

pub(super) fn run_hook(hook: &Hook) -> Vec<String> {
    vec![hook_preview(hook)]
}

/// A hook's `down` SQL, when it has one.
pub(super) fn undo_hook(hook: &Hook) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(down) = &hook.down {
        out.push(down.trim().to_string());
    }
    out
}

pub(super) fn backfill(table: &QualName, column: &str, expression: &Expr) -> Vec<String> {
    vec![backfill_block(table, column, expression)]
}

/// Fills `column` of the rows that existed before it had a default, a range of pages at a time,
/// each range in its own transaction (a procedure block may commit). Rows written meanwhile get
/// the column's default and are skipped, as are the new versions of rows already filled.
fn backfill_block(table: &QualName, column: &str, expression: &Expr) -> String {
    // Batches walk the heap by ctid ranges, committing after each, so that no row lock is held
    // long (a writer updating a row of the batch waits for its commit) and vacuum keeps up.
    // The range grows or shrinks so that a batch takes about 50 ms. A concurrent UPDATE of a
    // row not yet filled may move it into a page already passed (or past the end), so passes
    // repeat until one finds nothing left to fill. The block asks first for the strongest lock it
    // takes (ROW EXCLUSIVE, which writers do not wait for), so that it waits, if it must, before
    // it has done anything, and the rehearsal sees the lock the plan names. After each batch
    // the session's `application_name` says how far it is, until the next commit (`pg::watch`
    // reads it from a second session).
    let t = qualified(table);
    let c = ident(column);
    // The expression is the user's: the quote's tag is one it does not hold.
    let block = format!(
        "\nDECLARE\n    pages bigint;\n    first bigint;\n    batch bigint := 8;\n    started timestamptz;\n    took_ms double precision;\n    filled bigint;\n    pass_filled bigint;\n    all_filled bigint := 0;\nBEGIN\n    LOCK TABLE {t} IN ROW EXCLUSIVE MODE;\n    LOOP\n        pages := pg_catalog.pg_relation_size({rel}) / pg_catalog.current_setting('block_size')::bigint;\n        first := 0;\n        pass_filled := 0;\n        WHILE first <= pages LOOP\n            started := pg_catalog.clock_timestamp();\n            UPDATE {t} SET {c} = {expr}\n             WHERE ctid >= pg_catalog.format('(%s,0)', first)::tid\n               AND ctid < pg_catalog.format('(%s,0)', first + batch)::tid\n               AND {c} IS NULL;\n            GET DIAGNOSTICS filled = ROW_COUNT;\n            pass_filled := pass_filled + filled;\n            all_filled := all_filled + filled;\n            COMMIT;\n            first := first + batch;\n            PERFORM pg_catalog.set_config('application_name', pg_catalog.format('schemaplan backfill: %s/%s pages, %s rows', least(first, pages), pages, all_filled), true);\n            took_ms := 1000 * extract(epoch FROM pg_catalog.clock_timestamp() - started);\n            batch := greatest(1, least(batch * 2, (batch * 50 / greatest(took_ms, 1))::bigint));\n        END LOOP;\n        EXIT WHEN pass_filled = 0;\n    END LOOP;\nEND\n",
        rel = literal(&t),
        expr = expression.sql(),
    );
    format!("DO {}", dollar_quoted("schemaplan", &block))
}

/// How a hook reads in a plan: what it walks and checks, as comments, then its `up` SQL (run by
/// `hookrun`, which binds `:lo` and `:hi` per batch).
fn hook_preview(hook: &Hook) -> String {
    let mut sql = format!("-- hook {}", hook.name);
    if let Some(b) = &hook.batch {
        sql.push_str(&format!(
            ": batches of {} keys of {} ({}), :lo and :hi the first and last key of each",
            b.size, b.table, b.key
        ));
        if b.pause_ms > 0 {
            sql.push_str(&format!(", {} ms apart", b.pause_ms));
        }
    }
    sql.push('\n');
    if let Some(comment) = &hook.comment {
        for line in comment.lines() {
            sql.push_str(&format!("-- {line}\n"));
        }
    }
    for v in &hook.verify {
        sql.push_str(&format!("-- then verify {}: ", v.name));
        sql.push_str(&v.sql.split_whitespace().collect::<Vec<_>>().join(" "));
        sql.push('\n');
    }
    sql.push_str(hook.up.trim());
    sql
}

/// The key after which a hook's batch starts, cast to the key's type.
fn after_key(batch: &Batch, after: Option<&str>) -> String {
    match after {
        Some(k) => format!(
            " WHERE {} > CAST({} AS {})",
            ident(&batch.key),
            literal(k),
            batch.key_type
        ),
        None => String::new(),
    }
}

/// The first and last key (as text) and the number of keys of the next batch after `after`.
pub fn hook_next_range(batch: &Batch, after: Option<&str>) -> String {
    let key = ident(&batch.key);
    format!(
        "WITH r AS MATERIALIZED (SELECT {key} AS k FROM {table}{cond} ORDER BY {key} LIMIT {size})\n\
         SELECT (SELECT k FROM r ORDER BY k LIMIT 1)::text, (SELECT k FROM r ORDER BY k DESC LIMIT 1)::text, (SELECT pg_catalog.count(*) FROM r)",
        table = qualified(&batch.table),
        cond = after_key(batch, after),
        size = batch.size,
    )
}

/// How many keys are left after `after` (for progress).
pub fn hook_remaining(batch: &Batch, after: Option<&str>) -> String {
    format!(
        "SELECT pg_catalog.count(*) FROM {}{}",
        qualified(&batch.table),
        after_key(batch, after)
    )
}

/// A hook's `up` SQL for the batch from `lo` to `hi` (keys as text): `:lo` and `:hi` become
/// literals of the key's type.
pub fn hook_batch(hook: &Hook, lo: &str, hi: &str) -> String {
    let key_type = hook
        .batch
        .as_ref()
        .map(|b| b.key_type.as_str())
        .unwrap_or("text");
    let mut out = String::new();
    let mut last = 0;
    for (range, name) in crate::sqltext::placeholders::placeholders(&hook.up) {
        let value = match name {
            "lo" => lo,
            "hi" => hi,
            _ => continue,
        };
        out.push_str(&hook.up[last..range.start]);
        out.push_str(&format!("CAST({} AS {key_type})", literal(value)));
        last = range.end;
    }
    out.push_str(&hook.up[last..]);
    out
}
