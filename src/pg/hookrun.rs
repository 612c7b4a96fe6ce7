//! Runs a data hook against a database: its `up` SQL once, or batch by batch over its key, each
//! batch in a transaction of its own that also records how far the hook got, so that a run
//! killed at any point continues from the last committed batch — no batch runs twice and none
//! is skipped. Then its verifications.
//!
//! Keys are walked in ranges (keyset: `key > last ORDER BY key LIMIT size`), never by OFFSET, so
//! each batch costs the same however far the walk is.

use std::time::{Duration, Instant};

use postgres::Client;
use postgres::types::Type;

use crate::model::hook::Hook;
use crate::model::hook::Recorded;
use crate::pg::history;
use crate::pg::session::{self, ApplyOptions};
use crate::plan::render;

/// How far a batched hook is.
#[derive(Clone, Copy, Debug)]
pub struct Tally {
    /// Keys done, this run and before it.
    pub rows: i64,
    /// Keys in all (done before this run, plus those left when it started).
    pub total: i64,
    /// Keys done by this run, and the time it has taken.
    pub rows_this_run: i64,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum HookError {
    #[error("{}", crate::pg::conn::server_message::server_message(.source))]
    Sql {
        statement: String,
        #[source]
        source: postgres::Error,
    },
    #[error("verification `{check}` of hook {hook} failed: {values}")]
    Verify {
        hook: String,
        check: String,
        sql: String,
        values: String,
    },
}

impl HookError {
    pub fn statement(&self) -> &str {
        match self {
            HookError::Sql { statement, .. } => statement,
            HookError::Verify { sql, .. } => sql,
        }
    }

    fn is_retryable(&self) -> bool {
        matches!(self, HookError::Sql { source, .. } if session::retryable(source))
    }
}

fn sql_error(statement: &str) -> impl Fn(postgres::Error) -> HookError + '_ {
    move |source| HookError::Sql {
        statement: statement.to_string(),
        source,
    }
}

/// Session settings of every transaction of a hook: the lock timeout of the apply, and the
/// search path the desired state's SQL is written for.
fn settings(options: &ApplyOptions) -> String {
    format!(
        "{}; SET LOCAL search_path = public",
        session::settings(options, true)
    )
}

/// Runs `f` in a transaction, again after a lock timeout (with backoff, as steps are).
fn with_retries<T>(
    client: &mut Client,
    options: &ApplyOptions,
    f: &mut dyn FnMut(&mut postgres::Transaction<'_>) -> Result<T, HookError>,
) -> Result<T, HookError> {
    let mut attempt = 0;
    loop {
        let outcome: Result<T, HookError> = (|| {
            let mut tx = client.transaction().map_err(sql_error("BEGIN"))?;
            let s = settings(options);
            tx.batch_execute(&s).map_err(sql_error(&s))?;
            let value = f(&mut tx)?;
            tx.commit().map_err(sql_error("COMMIT"))?;
            Ok(value)
        })();
        match outcome {
            Err(e) if e.is_retryable() && attempt < options.retries => {
                std::thread::sleep(options.backoff_before_retry(attempt));
                attempt += 1;
            }
            other => return other,
        }
    }
}

/// Runs `hook`. With `record` (the run's id and the step's position), progress is kept in
/// `schemaplan.hooks` and a hook already partly or wholly done continues from there; without
/// it (a rehearsal) the hook runs from the start.
pub fn run(
    client: &mut Client,
    hook: &Hook,
    options: &ApplyOptions,
    record: Option<(i64, i32)>,
    progress: &mut dyn FnMut(Tally),
) -> Result<(), HookError> {
    let (name, hash) = (hook.name.as_str(), hook.hash.as_str());
    let state = match record {
        Some((migration, position)) => history::hook_begin(client, name, hash, migration, position)
            .map_err(sql_error("recording the hook in schemaplan.hooks"))?,
        None => Recorded::Running {
            last_key: None,
            rows: 0,
        },
    };
    let mark = |tx: &mut postgres::Transaction<'_>, status: &str| -> Result<(), HookError> {
        if record.is_some() {
            history::hook_status(tx, name, hash, status, None)
                .map_err(sql_error("recording the hook in schemaplan.hooks"))?;
        }
        Ok(())
    };
    match state {
        Recorded::Done => return Ok(()),
        Recorded::Filled => {}
        Recorded::Running { last_key, rows } => match &hook.batch {
            None => with_retries(client, options, &mut |tx| {
                // Rows written, summed over the statements of `up`.
                let rows: u64 = tx
                    .simple_query(&hook.up)
                    .map_err(sql_error(&hook.up))?
                    .iter()
                    .map(|m| match m {
                        postgres::SimpleQueryMessage::CommandComplete(n) => *n,
                        _ => 0,
                    })
                    .sum();
                if record.is_some() {
                    history::hook_batch_done(tx, name, hash, None, rows as i64)
                        .map_err(sql_error("recording the hook in schemaplan.hooks"))?;
                }
                mark(tx, "filled")
            })?,
            Some(batch) => {
                let started = Instant::now();
                let count = render::hook_remaining(batch, last_key.as_deref());
                let left: i64 = client
                    .query_one(&count, &[])
                    .map_err(sql_error(&count))?
                    .get(0);
                let mut tally = Tally {
                    rows,
                    total: rows + left,
                    rows_this_run: 0,
                    elapsed: Duration::ZERO,
                };
                progress(tally);
                let mut last = last_key;
                loop {
                    let next = with_retries(client, options, &mut |tx| {
                        let range = render::hook_next_range(batch, last.as_deref());
                        let row = tx.query_one(&range, &[]).map_err(sql_error(&range))?;
                        let n: i64 = row.get(2);
                        if n == 0 {
                            mark(tx, "filled")?;
                            return Ok(None);
                        }
                        let (lo, hi): (String, String) = (row.get(0), row.get(1));
                        let sql = render::hook_batch(hook, &lo, &hi);
                        tx.batch_execute(&sql).map_err(sql_error(&sql))?;
                        if record.is_some() {
                            history::hook_batch_done(tx, name, hash, Some(&hi), n)
                                .map_err(sql_error("recording the batch in schemaplan.hooks"))?;
                        }
                        Ok(Some((hi, n)))
                    })?;
                    let Some((hi, n)) = next else { break };
                    last = Some(hi);
                    tally.rows += n;
                    tally.rows_this_run += n;
                    // Keys added behind the walk since it started are counted as they come.
                    tally.total = tally.total.max(tally.rows);
                    tally.elapsed = started.elapsed();
                    progress(tally);
                    if batch.pause_ms > 0 {
                        std::thread::sleep(Duration::from_millis(batch.pause_ms));
                    }
                }
            }
        },
    }
    for check in &hook.verify {
        if let Some(values) = with_retries(client, options, &mut |tx| failed_check(tx, &check.sql))?
        {
            if record.is_some() {
                let why = format!("verification {} failed: {values}", check.name);
                let _ = history::hook_status(client, name, hash, "filled", Some(&why));
            }
            return Err(HookError::Verify {
                hook: hook.name.clone(),
                check: check.name.clone(),
                sql: check.sql.clone(),
                values,
            });
        }
    }
    if record.is_some() {
        history::hook_status(client, name, hash, "done", None)
            .map_err(sql_error("recording the hook in schemaplan.hooks"))?;
    }
    Ok(())
}

/// Runs a verification query; `Some(values)` when it fails, naming what it saw. It must return
/// one row: its boolean columns must all be true, or, when it has none, its values must all be
/// equal (`SELECT legacy_count, migrated_count`).
fn failed_check(
    client: &mut postgres::Transaction<'_>,
    sql: &str,
) -> Result<Option<String>, HookError> {
    let stmt = client.prepare(sql).map_err(sql_error(sql))?;
    let booleans: Vec<bool> = stmt
        .columns()
        .iter()
        .map(|c| *c.type_() == Type::BOOL)
        .collect();
    let rows: Vec<postgres::SimpleQueryRow> = client
        .simple_query(sql)
        .map_err(sql_error(sql))?
        .into_iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => Some(r),
            _ => None,
        })
        .collect();
    let Some(row) = rows.first() else {
        return Ok(Some("the query returned no row".into()));
    };
    let values: Vec<(String, Option<String>)> = row
        .columns()
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name().to_string(), row.get(i).map(str::to_string)))
        .collect();
    let shown = values
        .iter()
        .map(|(n, v)| format!("{n} = {}", v.as_deref().unwrap_or("NULL")))
        .collect::<Vec<_>>()
        .join(", ");
    let passed = if booleans.iter().any(|b| *b) {
        values
            .iter()
            .zip(&booleans)
            .filter(|(_, b)| **b)
            .all(|((_, v), _)| v.as_deref() == Some("t"))
    } else if values.len() >= 2 {
        values.iter().all(|(_, v)| v.is_some() && *v == values[0].1)
    } else {
        return Ok(Some(format!(
            "{shown} (a verification returns booleans that must be true, or two or more values that must be equal)"
        )));
    };
    Ok((!passed).then_some(shown))
}
