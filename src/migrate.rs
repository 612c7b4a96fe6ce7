//! Guarded applies and rollbacks on top of `apply` and `history`: a run is recorded before its
//! first step and marked as it goes; an unfinished run is continued by the next apply that
//! carries out exactly its remaining steps; a saved plan runs only on the schema it was made
//! for; a rollback runs the recorded down SQL of completed steps, newest first.

use std::collections::BTreeMap;

use postgres::Client;

use crate::apply::{self, ApplyError, ApplyOptions, Progress};
use crate::classify::{Hazard, Locks, Phase};
use crate::error::Error;
use crate::fingerprint::{self, Objects};
use crate::history::{self, HistoryError, Journal, Migration, RecordedStep, Status};
use crate::introspect;
use crate::plan::{Plan, SavedPlan, Step};

/// How a recorded run begins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Start {
    /// A new run.
    New { migration: i64 },
    /// An earlier run that did not finish, continued: `done` of its steps had completed.
    Continued {
        migration: i64,
        plan_id: String,
        done: i32,
    },
}

/// Records the run of `selected` steps of `plan` before any of them runs. When the latest run
/// did not finish and `plan` consists of exactly its remaining steps (same kinds, same objects,
/// in order), that run is continued; otherwise an interrupted one is marked failed and a new
/// run begins.
pub fn start(
    client: &mut Client,
    plan: &Plan,
    selected: &[usize],
    schemas: &[String],
) -> Result<(Journal, Start), HistoryError> {
    history::ensure_tables(client)?;
    if let Some(m) = history::unfinished(client)? {
        let steps = history::steps(client, m.id)?;
        let pending: Vec<&RecordedStep> =
            steps.iter().filter(|s| s.status != "completed").collect();
        let same = pending.len() == selected.len()
            && pending
                .iter()
                .zip(selected)
                .all(|(r, &i)| r.kind == plan.steps[i].kind && r.object == plan.steps[i].object);
        if same && !pending.is_empty() {
            let positions: BTreeMap<usize, i32> = selected
                .iter()
                .zip(&pending)
                .map(|(&i, r)| (i, r.position))
                .collect();
            let journal = history::resume(client, m.id, plan, positions)?;
            return Ok((
                journal,
                Start::Continued {
                    migration: m.id,
                    plan_id: m.plan_id,
                    done: m.steps_completed,
                },
            ));
        }
        if m.status == Status::Started {
            history::fail(
                client,
                m.id,
                &format!(
                    "interrupted after {} of {} steps; a later apply made a different plan",
                    m.steps_completed, m.steps_total
                ),
            )?;
        }
    }
    let journal = history::begin(client, plan, selected, schemas)?;
    let migration = journal.migration;
    Ok((journal, Start::New { migration }))
}

/// Marks completed an unfinished run whose every step completed (the apply that ran it stopped
/// between its last step and the final mark); returns its id. Called when a new plan is empty.
pub fn settle_unfinished(client: &mut Client, schemas: &[String]) -> Result<Option<i64>, Error> {
    if !history::exists(client)? {
        return Ok(None);
    }
    match history::unfinished(client)? {
        Some(m) if m.steps_completed == m.steps_total => {
            let journal = Journal {
                migration: m.id,
                positions: BTreeMap::new(),
                done: "completed",
            };
            finish(client, &journal, &Ok(()), schemas)?;
            Ok(Some(m.id))
        }
        _ => Ok(None),
    }
}

/// Records how the run ended: completed (with the fingerprint of the schema it left), or
/// failed with the error.
pub fn finish(
    client: &mut Client,
    journal: &Journal,
    outcome: &Result<(), Box<ApplyError>>,
    schemas: &[String],
) -> Result<(), Error> {
    match outcome {
        Ok(()) => {
            let catalog = introspect::introspect(client, schemas)?.catalog;
            let objects = fingerprint::objects(&catalog);
            history::complete(
                client,
                journal.migration,
                &fingerprint::fingerprint(&objects),
                &objects,
            )?;
        }
        Err(e) => {
            let message = e.to_string();
            let _ = journal.step_failed(client, e.index, &message);
            history::fail(client, journal.migration, &message)?;
        }
    }
    Ok(())
}

/// Whether a saved plan may run on the database as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavedState {
    /// The schema is the one the plan was made from.
    Fresh,
    /// An earlier run of this plan stopped part way, and nothing else changed since: the steps
    /// at these plan indexes (with their positions in that run) remain.
    Resume {
        migration: i64,
        positions: BTreeMap<usize, i32>,
        done: i32,
    },
    /// The plan was applied already (by this run), and the schema is as it left it.
    AlreadyApplied { migration: i64 },
    /// The schema changed since the plan was made: what changed.
    Drifted(Vec<String>),
}

/// Compares the database with the schema a saved plan was made from.
pub fn check_saved(client: &mut Client, saved: &SavedPlan) -> Result<SavedState, Error> {
    let catalog = introspect::introspect(client, &saved.schemas)?.catalog;
    let now = fingerprint::objects(&catalog);
    if fingerprint::fingerprint(&now) == saved.plan.fingerprint {
        return Ok(SavedState::Fresh);
    }
    let now_fingerprint = fingerprint::fingerprint(&now);
    let applied = history::migrations(client)?.into_iter().rev().find(|m| {
        m.plan_id == saved.plan.id
            && m.status == Status::Completed
            && m.fingerprint_after.as_deref() == Some(now_fingerprint.as_str())
    });
    if let Some(m) = applied {
        return Ok(SavedState::AlreadyApplied { migration: m.id });
    }
    let drift = fingerprint::drift(&saved.objects, &now);
    let unfinished = history::unfinished(client)?.filter(|m| m.plan_id == saved.plan.id);
    if let Some(m) = unfinished {
        let steps = history::steps(client, m.id)?;
        let done: Vec<&RecordedStep> = steps.iter().filter(|s| s.status == "completed").collect();
        let unexplained: Vec<String> = drift
            .iter()
            .filter(|d| !done.iter().any(|s| touches(&s.object, d)))
            .cloned()
            .collect();
        // The run's steps are steps of this plan, in order: match them up.
        let mut positions = BTreeMap::new();
        let mut next = 0;
        for recorded in &steps {
            let found = (next..saved.plan.steps.len()).find(|&i| {
                let s = &saved.plan.steps[i];
                s.kind == recorded.kind && s.object == recorded.object
            });
            let Some(i) = found else { break };
            if recorded.status != "completed" {
                positions.insert(i, recorded.position);
            }
            next = i + 1;
        }
        let matched = positions.len() == steps.len() - done.len();
        if unexplained.is_empty() && matched {
            return Ok(SavedState::Resume {
                migration: m.id,
                positions,
                done: m.steps_completed,
            });
        }
        return Ok(SavedState::Drifted(unexplained));
    }
    if drift.is_empty() {
        return Ok(SavedState::Drifted(vec![
            "the schema's fingerprint differs, though no object does (was the plan made by another version of schemaplan?)".into(),
        ]));
    }
    Ok(SavedState::Drifted(drift))
}

/// Whether a step on `object` (`public.t`, `public.t.c`) explains a drift entry such as
/// `added column public.t.c`.
fn touches(object: &str, drift: &str) -> bool {
    let Some(label) = drift.splitn(3, ' ').nth(2) else {
        return false;
    };
    label == object || label.starts_with(&format!("{object}."))
}

/// What a rollback would undo: runs newest first, each with its completed steps in the order
/// they are undone (last first).
#[derive(Clone, Debug)]
pub struct Rollback {
    pub runs: Vec<(Migration, Vec<RecordedStep>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum RollbackRefusal {
    #[error("nothing to roll back: schemaplan has not applied anything to this database")]
    NoHistory,
    #[error("nothing to roll back: {0}")]
    Nothing(String),
    #[error("no completed run of plan {0} in the history (`schemaplan status` lists them)")]
    UnknownPlan(String),
    #[error("cannot roll back: {0}")]
    Irreversible(String),
    #[error(
        "the schema changed since run #{run} (plan {plan}) completed; rolling back would undo steps on a schema they were not made for:\n{}",
        .changes.iter().map(|c| format!("  {c}")).collect::<Vec<_>>().join("\n")
    )]
    Drifted {
        run: i64,
        plan: String,
        changes: Vec<String>,
    },
    #[error(transparent)]
    Error(#[from] Error),
}

impl From<HistoryError> for RollbackRefusal {
    fn from(e: HistoryError) -> Self {
        RollbackRefusal::Error(e.into())
    }
}

/// Works out what `rollback [--to PLAN_ID]` undoes: without `to`, the latest run that applied
/// anything; with it, every run after the latest completed run of that plan. Refuses when a
/// step cannot be undone, or when the schema changed after the latest run completed.
pub fn plan_rollback(client: &mut Client, to: Option<&str>) -> Result<Rollback, RollbackRefusal> {
    if !history::exists(client)? {
        return Err(RollbackRefusal::NoHistory);
    }
    let all = history::migrations(client)?;
    let live: Vec<&Migration> = all
        .iter()
        .filter(|m| m.status != Status::RolledBack && m.steps_completed > 0)
        .collect();
    let targets: Vec<&Migration> = match to {
        None => live.last().copied().into_iter().collect(),
        Some(plan_id) => {
            let anchor = all
                .iter()
                .rev()
                .find(|m| m.plan_id == plan_id && m.status == Status::Completed)
                .ok_or_else(|| RollbackRefusal::UnknownPlan(plan_id.to_string()))?;
            live.iter().filter(|m| m.id > anchor.id).copied().collect()
        }
    };
    if targets.is_empty() {
        return Err(RollbackRefusal::Nothing(match to {
            Some(p) => format!("no run after plan {p} applied anything"),
            None => "every recorded run has been rolled back or applied nothing".into(),
        }));
    }
    let newest = targets.last().expect("not empty");
    if let (Status::Completed, Some(fp)) = (newest.status, &newest.fingerprint_after) {
        let catalog = introspect::introspect(client, &newest.schemas)
            .map_err(Error::from)?
            .catalog;
        let now = fingerprint::objects(&catalog);
        if fingerprint::fingerprint(&now) != *fp {
            let before: Objects = history::objects_after(client, newest.id)?.unwrap_or_default();
            return Err(RollbackRefusal::Drifted {
                run: newest.id,
                plan: newest.plan_id.clone(),
                changes: fingerprint::drift(&before, &now),
            });
        }
    }
    let mut runs = Vec::new();
    let mut blocked = Vec::new();
    for m in targets.iter().rev() {
        let mut steps: Vec<RecordedStep> = history::steps(client, m.id)?
            .into_iter()
            .filter(|s| s.status == "completed")
            .collect();
        steps.reverse();
        for s in &steps {
            if s.down.is_none() {
                blocked.push(format!(
                    "step {} of run #{} ({} {}) has no down SQL: {}",
                    s.position,
                    m.id,
                    s.kind.replace('_', " "),
                    s.object,
                    s.irreversible.as_deref().unwrap_or("irreversible")
                ));
            }
        }
        runs.push(((*m).clone(), steps));
    }
    if !blocked.is_empty() {
        return Err(RollbackRefusal::Irreversible(blocked.join("; ")));
    }
    Ok(Rollback { runs })
}

/// The steps that undo one run, as a plan `apply` can run (each step's down SQL as its up).
pub fn undo_plan(run: &Migration, steps: &[RecordedStep]) -> (Plan, Journal) {
    let plan = Plan {
        id: run.plan_id.clone(),
        desired_digest: String::new(),
        fingerprint: String::new(),
        steps: steps
            .iter()
            .map(|s| Step {
                kind: format!("undo_{}", s.kind),
                object: s.object.clone(),
                sign: '~',
                noun: String::new(),
                up: s.down.clone().unwrap_or_default(),
                down: Some(s.up.clone()),
                irreversible: None,
                transactional: s.down_transactional,
                down_transactional: s.transactional,
                down_hazards: Vec::new(),
                phase: Phase::Expand,
                hazards: s
                    .down_hazards
                    .iter()
                    .filter_map(|h| Hazard::parse(h))
                    .collect(),
                rewrites: Vec::new(),
                locks: Locks::new(),
                change: None,
            })
            .collect(),
        warnings: Vec::new(),
    };
    let journal = Journal {
        migration: run.id,
        positions: steps
            .iter()
            .enumerate()
            .map(|(i, s)| (i, s.position))
            .collect(),
        done: "rolled_back",
    };
    (plan, journal)
}

/// Undoes the runs of `rollback`, newest first, marking each step and run rolled back.
pub fn rollback(
    client: &mut Client,
    rollback: &Rollback,
    options: &ApplyOptions,
    progress: &mut dyn FnMut(&Migration, Progress<'_>),
) -> Result<(), Error> {
    for (run, steps) in &rollback.runs {
        let (plan, journal) = undo_plan(run, steps);
        let all: Vec<usize> = (0..plan.steps.len()).collect();
        apply::apply(client, &plan, &all, options, Some(&journal), &mut |p| {
            progress(run, p)
        })?;
        history::rolled_back(client, run.id)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::touches;

    #[test]
    fn a_step_explains_drift_of_its_object_and_its_parts() {
        assert!(touches("public.t", "added table public.t"));
        assert!(touches("public.t", "added column public.t.c"));
        assert!(touches("public.t.c", "removed column public.t.c"));
        assert!(!touches("public.t", "added table public.tt"));
        assert!(!touches("public.t.c", "added column public.t.cc"));
    }
}
