//! Running a plan against the target.
//!
//! By default every transactional step runs in a transaction of its own under `lock_timeout`,
//! so that no lock is held longer than the step needs and no step queues behind a long
//! transaction for more than the timeout; a step that times out waiting for a lock is retried
//! with exponential backoff. A step that cannot run in a transaction block runs on its own.
//! With `atomic`, consecutive transactional steps share one transaction instead (all or
//! nothing), which suits databases nobody else is using.

use std::fmt;
use std::time::{Duration, Instant};

use postgres::Client;
use postgres::error::ErrorPosition;

use crate::pg::history::Journal;
use crate::pg::session::{self, ApplyOptions, retryable};
use crate::pg::watch::{Measure, Watch};
use crate::plan::classify::{Hazard, Phase};
use crate::plan::steps::{Plan, Step};

/// Reported while applying.
pub enum Progress<'a> {
    /// A step begins (or begins again after a retry).
    Starting {
        index: usize,
        total: usize,
        step: &'a Step,
    },
    /// How far a long statement of a step outside a transaction is, as a second session sees
    /// it (an index build, a column backfill): see [`Watch`].
    Measured {
        index: usize,
        step: &'a Step,
        measure: Measure,
    },
    /// A step outside a transaction that an earlier apply began was found done: its effect is
    /// in place (its verification says so), so it was marked completed without running again.
    InPlace {
        index: usize,
        total: usize,
        step: &'a Step,
    },
    /// A step finished.
    Done {
        index: usize,
        total: usize,
        step: &'a Step,
        elapsed: Duration,
        attempts: u32,
    },
    /// A batch of a hook committed.
    Batch {
        index: usize,
        step: &'a Step,
        tally: crate::pg::hookrun::Tally,
    },
    /// A step timed out waiting for a lock (or was ended to break a deadlock) and will be tried
    /// again after `wait`.
    Retrying {
        index: usize,
        step: &'a Step,
        attempt: u32,
        wait: Duration,
    },
}

#[derive(Debug, thiserror::Error)]
pub struct ApplyError {
    pub index: usize,
    pub total: usize,
    pub kind: String,
    pub object: String,
    pub statement: String,
    pub message: String,
    pub position: Option<usize>,
    /// Steps that had committed before the failure.
    pub committed: usize,
    /// Statements of the failing step that had committed: a step that runs outside a
    /// transaction (several `ADD VALUE`s) cannot take back the ones before the failure.
    pub committed_in_step: usize,
    /// Whether the failing step runs in a transaction (rolled back whole) or outside one (what
    /// it committed stays: a backfill's batches, an INVALID index).
    pub transactional: bool,
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
        if !self.transactional {
            return write!(
                f,
                "  {} step(s) before it are done; this step runs outside a transaction, so what it had committed stays (a backfill's batches, an index build's INVALID index, {} of its statements): running the command again checks it and finishes it",
                self.committed, self.committed_in_step
            );
        }
        match (self.committed, self.committed_in_step) {
            (0, 0) => write!(f, "  nothing was applied"),
            (steps, 0) => write!(
                f,
                "  the step was rolled back; the {steps} step(s) before it are done — running the command again continues"
            ),
            (steps, statements) => write!(
                f,
                "  {steps} step(s) and the first {statements} statement(s) of this step, which runs outside a transaction, had already been committed"
            ),
        }
    }
}

fn fail(plan: &Plan, failure: StepFailure, committed: usize) -> Box<ApplyError> {
    let step = &plan.steps[failure.index];
    let (message, position) = match &failure.error {
        Failure::Sql(e) => (
            crate::pg::conn::server_message::server_message(e),
            e.as_db_error().and_then(|d| match d.position() {
                Some(ErrorPosition::Original(p)) => Some(*p as usize),
                _ => None,
            }),
        ),
        Failure::NotInPlace { verify } => (
            format!(
                "the step ran, but its effect is not in place, so it was not marked completed \
                 (this query said false: {})",
                verify.split_whitespace().collect::<Vec<_>>().join(" ")
            ),
            None,
        ),
    };
    Box::new(ApplyError {
        index: failure.index,
        total: plan.steps.len(),
        kind: step.kind.clone(),
        object: step.object.clone(),
        statement: failure.statement,
        message,
        position,
        committed,
        committed_in_step: failure.in_step,
        transactional: step.transactional,
    })
}

/// The steps `apply --phase` runs among `pending` (indexes into `plan`, the steps that remain
/// to run), or why it cannot: a later phase does not run while steps of an earlier one are
/// pending.
pub fn select_phase_among(
    plan: &Plan,
    pending: &[usize],
    phase: Option<Phase>,
) -> Result<Vec<usize>, String> {
    let Some(wanted) = phase else {
        return Ok(pending.to_vec());
    };
    if let Some(earlier) = pending
        .iter()
        .map(|&i| &plan.steps[i])
        .find(|s| s.phase < wanted)
    {
        return Err(format!(
            "{} steps are still pending (first: {} {}): apply --phase {} first",
            earlier.phase,
            earlier.kind.replace('_', " "),
            earlier.object,
            earlier.phase
        ));
    }
    Ok(pending
        .iter()
        .copied()
        .filter(|&i| plan.steps[i].phase == wanted)
        .collect())
}

/// Gated hazards among `steps` that `allowed` does not name, with the steps that carry them.
pub fn unallowed_hazards(
    plan: &Plan,
    steps: &[usize],
    allowed: &[Hazard],
) -> Vec<(Hazard, Vec<usize>)> {
    let mut out: Vec<(Hazard, Vec<usize>)> = Vec::new();
    for &i in steps {
        for h in &plan.steps[i].hazards {
            if h.gated() && !allowed.contains(h) {
                match out.iter_mut().find(|(k, _)| k == h) {
                    Some((_, v)) => v.push(i),
                    None => out.push((*h, vec![i])),
                }
            }
        }
    }
    out
}

/// Runs the steps `selected` (indexes into `plan`, in order), calling `progress` as it goes.
/// With a `journal`, each step is marked done in the history as it completes — inside its own
/// transaction when it has one, so that the mark and the step commit together.
pub fn apply(
    client: &mut Client,
    plan: &Plan,
    selected: &[usize],
    options: &ApplyOptions,
    journal: Option<&Journal>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), Box<ApplyError>> {
    apply_watched(client, plan, selected, options, journal, None, progress)
}

/// [`apply`], and with a `watch` the long statements of steps outside a transaction are
/// measured from a second session while they run (`Progress::Measured`).
pub fn apply_watched(
    client: &mut Client,
    plan: &Plan,
    selected: &[usize],
    options: &ApplyOptions,
    journal: Option<&Journal>,
    mut watch: Option<&mut Watch>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), Box<ApplyError>> {
    let total = plan.steps.len();
    let mut done = 0;
    let mut k = 0;
    while k < selected.len() {
        let first = selected[k];
        // The steps that run together: one, or with `atomic` the run of transactional steps.
        let mut group = vec![first];
        if options.atomic && plan.steps[first].transactional {
            while k + group.len() < selected.len()
                && plan.steps[selected[k + group.len()]].transactional
            {
                group.push(selected[k + group.len()]);
            }
        }
        // A table and the view that takes its name commit together.
        while plan.steps[group[group.len() - 1]].commit_with_next
            && k + group.len() < selected.len()
            && selected[k + group.len()] == group[group.len() - 1] + 1
            && plan.steps[selected[k + group.len()]].transactional
        {
            group.push(selected[k + group.len()]);
        }
        let mut attempt = 0;
        loop {
            let started = Instant::now();
            progress(Progress::Starting {
                index: first,
                total,
                step: &plan.steps[first],
            });
            if let Some(hook) = &plan.steps[first].hook {
                // A hook retries its own batches; its failure ends the apply.
                let started = Instant::now();
                run_hook(client, plan, first, hook, options, journal, progress)
                    .map_err(|e| e.into_apply_error(plan, first, done))?;
                progress(Progress::Done {
                    index: first,
                    total,
                    step: &plan.steps[first],
                    elapsed: started.elapsed(),
                    attempts: 1,
                });
                break;
            }
            let outcome = if plan.steps[first].transactional {
                run_transaction(client, plan, &group, options, journal).map(|()| Ran::Done)
            } else {
                let watch = watch.as_deref_mut();
                run_outside_transaction(client, plan, first, options, journal, watch, progress)
            };
            match outcome {
                Ok(Ran::Done) => {
                    for &i in &group {
                        progress(Progress::Done {
                            index: i,
                            total,
                            step: &plan.steps[i],
                            elapsed: started.elapsed(),
                            attempts: attempt + 1,
                        });
                    }
                    break;
                }
                Ok(Ran::InPlace) => {
                    progress(Progress::InPlace {
                        index: first,
                        total,
                        step: &plan.steps[first],
                    });
                    break;
                }
                Err(failure) => {
                    let again = matches!(&failure.error, Failure::Sql(e) if retryable(e));
                    if again && attempt < options.retries {
                        let wait = options.backoff_before_retry(attempt);
                        attempt += 1;
                        progress(Progress::Retrying {
                            index: failure.index,
                            step: &plan.steps[failure.index],
                            attempt,
                            wait,
                        });
                        std::thread::sleep(wait);
                        continue;
                    }
                    return Err(fail(plan, failure, done));
                }
            }
        }
        done += group.len();
        k += group.len();
    }
    Ok(())
}

/// How a step ended that did not fail.
enum Ran {
    Done,
    /// Found done by an earlier apply, and marked.
    InPlace,
}

/// Why a step failed: a statement (`index` is the step that ran it, `in_step` how many of the
/// step's statements had committed before it), or a verification that said no.
struct StepFailure {
    index: usize,
    statement: String,
    in_step: usize,
    error: Failure,
}

enum Failure {
    Sql(postgres::Error),
    NotInPlace { verify: String },
}

fn sql_failure(
    index: usize,
    statement: &str,
    in_step: usize,
) -> impl FnOnce(postgres::Error) -> StepFailure + '_ {
    move |e| StepFailure {
        index,
        statement: statement.to_string(),
        in_step,
        error: Failure::Sql(e),
    }
}

const RECORD: &str = "recording the step in schemaplan.migration_steps";

/// Why a hook step failed.
enum HookFailure {
    Hook(crate::pg::hookrun::HookError),
    Record(postgres::Error),
}

impl HookFailure {
    fn into_apply_error(self, plan: &Plan, index: usize, committed: usize) -> Box<ApplyError> {
        match self {
            HookFailure::Record(e) => fail(plan, sql_failure(index, RECORD, 0)(e), committed),
            HookFailure::Hook(crate::pg::hookrun::HookError::Sql { statement, source }) => {
                fail(plan, sql_failure(index, &statement, 0)(source), committed)
            }
            HookFailure::Hook(e @ crate::pg::hookrun::HookError::Verify { .. }) => {
                Box::new(ApplyError {
                    index,
                    total: plan.steps.len(),
                    kind: plan.steps[index].kind.clone(),
                    object: plan.steps[index].object.clone(),
                    statement: e.statement().to_string(),
                    message: format!("{e}; the steps after it (contract among them) did not run"),
                    position: None,
                    committed,
                    committed_in_step: 0,
                    transactional: false,
                })
            }
        }
    }
}

/// Runs the hook of step `index`, marking the step started and done in the journal; with a
/// journal, the hook's progress is recorded so that it continues where it stopped.
fn run_hook(
    client: &mut Client,
    plan: &Plan,
    index: usize,
    hook: &crate::model::hook::Hook,
    options: &ApplyOptions,
    journal: Option<&Journal>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(), HookFailure> {
    if let Some(j) = journal {
        j.step_started(client, index).map_err(HookFailure::Record)?;
    }
    let record = journal.map(|j| (j.migration, j.positions[&index]));
    let step = &plan.steps[index];
    crate::pg::hookrun::run(client, hook, options, record, &mut |tally| {
        progress(Progress::Batch { index, step, tally })
    })
    .map_err(HookFailure::Hook)?;
    if let Some(j) = journal {
        j.step_done(client, index).map_err(HookFailure::Record)?;
    }
    Ok(())
}

fn run_transaction(
    client: &mut Client,
    plan: &Plan,
    group: &[usize],
    options: &ApplyOptions,
    journal: Option<&Journal>,
) -> Result<(), StepFailure> {
    let first = group[0];
    let mut tx = client
        .transaction()
        .map_err(sql_failure(first, "BEGIN", 0))?;
    let settings = session::settings(options, true);
    tx.batch_execute(&settings)
        .map_err(sql_failure(first, &settings, 0))?;
    for &i in group {
        for stmt in &plan.steps[i].up {
            // Dropping `tx` on the way out rolls back.
            tx.batch_execute(stmt).map_err(sql_failure(i, stmt, 0))?;
        }
        if let Some(j) = journal {
            // The mark commits with the step's work, or neither does.
            j.step_done(&mut tx, i).map_err(sql_failure(i, RECORD, 0))?;
        }
    }
    tx.commit()
        .map_err(sql_failure(group[group.len() - 1], "COMMIT", 0))
}

/// Runs a step that cannot run in a transaction block. Its statements commit as they go, so it
/// is marked completed only once its verification (`Step::verify`) finds its effect in place;
/// a step an earlier apply began is first checked, and marked without running again when its
/// effect is there already. Otherwise it runs again from its start: such steps are written to
/// be safe to repeat (an INVALID index left by a build cut short is dropped and built anew, a
/// backfill fills only the rows still NULL).
fn run_outside_transaction(
    client: &mut Client,
    plan: &Plan,
    index: usize,
    options: &ApplyOptions,
    journal: Option<&Journal>,
    mut watch: Option<&mut Watch>,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Ran, StepFailure> {
    let step = &plan.steps[index];
    if let (Some(j), Some(verify)) = (journal, &step.verify) {
        if j.started.contains(&index)
            && verified(client, verify).map_err(sql_failure(index, verify, 0))?
        {
            j.step_done(client, index)
                .map_err(sql_failure(index, RECORD, 0))?;
            return Ok(Ran::InPlace);
        }
    }
    if let Some(j) = journal {
        j.step_started(client, index)
            .map_err(sql_failure(index, RECORD, 0))?;
    }
    let settings = session::settings(options, false);
    client
        .batch_execute(&settings)
        .map_err(sql_failure(index, &settings, 0))?;
    let result = step.up.iter().enumerate().try_for_each(|(n, stmt)| {
        let run = |c: &mut Client| c.batch_execute(stmt);
        let ran = match watch.as_deref_mut() {
            Some(w) => w.during(client, run, &mut |measure| {
                progress(Progress::Measured {
                    index,
                    step,
                    measure,
                })
            }),
            None => run(client),
        };
        ran.map_err(sql_failure(index, stmt, n))
    });
    let _ = client.batch_execute("RESET lock_timeout; RESET statement_timeout");
    result?;
    let n = step.up.len();
    if let Some(verify) = &step.verify {
        if !verified(client, verify).map_err(sql_failure(index, verify, n))? {
            return Err(StepFailure {
                index,
                statement: verify.clone(),
                in_step: n,
                error: Failure::NotInPlace {
                    verify: verify.clone(),
                },
            });
        }
    }
    if let Some(j) = journal {
        j.step_done(client, index)
            .map_err(sql_failure(index, RECORD, n))?;
    }
    Ok(Ran::Done)
}

/// What a step's verification query says.
fn verified(client: &mut Client, verify: &str) -> Result<bool, postgres::Error> {
    Ok(client.query_one(verify, &[])?.get(0))
}
