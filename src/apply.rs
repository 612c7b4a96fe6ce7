//! Running a plan against the target. Consecutive transactional steps run in one transaction, so
//! a failure leaves nothing of them behind; a step that cannot run in a transaction block
//! (`ALTER TYPE … ADD VALUE`) runs and commits on its own.

use std::fmt;
use std::time::{Duration, Instant};

use postgres::Client;
use postgres::error::ErrorPosition;

use crate::plan::{Plan, Step};

/// Reported after each step.
pub struct Progress<'a> {
    pub index: usize,
    pub total: usize,
    pub step: &'a Step,
    pub elapsed: Duration,
}

#[derive(Debug, thiserror::Error)]
pub struct ApplyError {
    pub index: usize,
    pub total: usize,
    pub kind: &'static str,
    pub object: String,
    pub statement: String,
    pub message: String,
    pub position: Option<usize>,
    /// Steps that had committed before the failure (they ran outside the failed transaction).
    pub committed: usize,
    /// Statements of the failing step that had committed: a step that runs outside a
    /// transaction (several `ADD VALUE`s) cannot take back the ones before the failure.
    pub committed_in_step: usize,
}

impl fmt::Display for ApplyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "step {}/{} ({} {}) failed: {}",
            self.index + 1,
            self.total,
            self.kind.replace('_', " "),
            self.object,
            self.message
        )?;
        writeln!(f, "  statement:")?;
        for line in self.statement.lines() {
            writeln!(f, "    {line}")?;
        }
        if let Some(pos) = self.position {
            writeln!(f, "  (error at character {pos} of the statement)")?;
        }
        match (self.committed, self.committed_in_step) {
            (0, 0) => write!(f, "  nothing was applied: the transaction was rolled back"),
            (steps, 0) => write!(
                f,
                "  the failed transaction was rolled back; the first {steps} step(s) had already been committed"
            ),
            (steps, statements) => write!(
                f,
                "  {steps} step(s) and the first {statements} statement(s) of this step, which runs outside a transaction, had already been committed"
            ),
        }
    }
}

fn fail(
    plan: &Plan,
    index: usize,
    statement: &str,
    e: &postgres::Error,
    committed: usize,
    committed_in_step: usize,
) -> Box<ApplyError> {
    let step = &plan.steps[index];
    let db = e.as_db_error();
    Box::new(ApplyError {
        index,
        total: plan.steps.len(),
        kind: step.kind,
        object: step.object.clone(),
        statement: statement.to_string(),
        message: db
            .map(|d| {
                let mut m = d.message().to_string();
                if let Some(detail) = d.detail() {
                    m.push_str(&format!(" ({detail})"));
                }
                m
            })
            .unwrap_or_else(|| e.to_string()),
        position: db.and_then(|d| match d.position() {
            Some(ErrorPosition::Original(p)) => Some(*p as usize),
            _ => None,
        }),
        committed,
        committed_in_step,
    })
}

/// Runs every step of `plan`, calling `progress` after each.
pub fn apply(
    client: &mut Client,
    plan: &Plan,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), Box<ApplyError>> {
    let total = plan.steps.len();
    let mut i = 0;
    let mut committed = 0;
    while i < total {
        // The run of steps that share a transaction (a non-transactional step runs alone).
        let end = if plan.steps[i].transactional {
            (i..total)
                .find(|&j| !plan.steps[j].transactional)
                .unwrap_or(total)
        } else {
            i + 1
        };
        if plan.steps[i].transactional {
            let mut tx = client
                .transaction()
                .map_err(|e| fail(plan, i, "BEGIN", &e, committed, 0))?;
            for j in i..end {
                let started = Instant::now();
                for stmt in &plan.steps[j].up {
                    if let Err(e) = tx.batch_execute(stmt) {
                        // Dropping `tx` rolls back.
                        return Err(fail(plan, j, stmt, &e, committed, 0));
                    }
                }
                progress(Progress {
                    index: j,
                    total,
                    step: &plan.steps[j],
                    elapsed: started.elapsed(),
                });
            }
            tx.commit()
                .map_err(|e| fail(plan, end - 1, "COMMIT", &e, committed, 0))?;
        } else {
            let started = Instant::now();
            for (k, stmt) in plan.steps[i].up.iter().enumerate() {
                client
                    .batch_execute(stmt)
                    .map_err(|e| fail(plan, i, stmt, &e, committed, k))?;
            }
            progress(Progress {
                index: i,
                total,
                step: &plan.steps[i],
                elapsed: started.elapsed(),
            });
        }
        committed = end;
        i = end;
    }
    Ok(())
}
