//! Guarded applies and rollbacks on top of `apply` and `history`: a run is recorded before its
//! first step and marked as it goes (`resume` carries on an unfinished one); a saved plan runs only on the schema it was made
//! for; a rollback runs the recorded down SQL of completed steps, newest first.

use std::collections::{BTreeMap, BTreeSet};

use postgres::Client;

use crate::pg::apply::{self, ApplyError, Progress};
use crate::pg::history::{self, HistoryError, Journal, Migration, RecordedStep, Status};
use crate::pg::introspect::{self, IntrospectError};
use crate::pg::session::ApplyOptions;
use crate::plan::classify::{Hazard, Locks, Phase};
use crate::plan::fingerprint::{self, Objects};
use crate::plan::steps::{Plan, SavedPlan, Step};

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

/// Records the run of `selected` steps of `plan`, planned from the schema `before`, before any
/// of them runs. An unfinished latest run is settled first: completed when all its steps had
/// completed, otherwise (a run of another plan, which `apply` found nothing of done) failed.
/// An unfinished run is never continued here: `resume` carries one on with its own recorded
/// steps, before anything is planned.
pub fn start(
    client: &mut Client,
    plan: &Plan,
    selected: &[usize],
    schemas: &[String],
    before: &Objects,
) -> Result<(Journal, Start), MigrateError> {
    history::ensure_tables(client)?;
    if let Some(m) = history::unfinished(client)? {
        if m.steps_completed == m.steps_total {
            // It stopped between its last step and the mark that it completed.
            settle(client, &m, schemas)?;
        } else if m.status == Status::Started {
            history::fail(
                client,
                m.id,
                &format!(
                    "interrupted after {} of {} steps; a later apply made a different plan",
                    m.steps_completed, m.steps_total
                ),
                None,
            )?;
        }
    }
    let journal = history::begin(client, plan, selected, schemas, before)?;
    let migration = journal.migration;
    Ok((journal, Start::New { migration }))
}

/// Marks completed a run whose steps all completed, with the fingerprint of the schema now.
fn settle(client: &mut Client, m: &Migration, schemas: &[String]) -> Result<(), MigrateError> {
    let journal = Journal {
        migration: m.id,
        positions: BTreeMap::new(),
        done: "completed",
        started: BTreeSet::new(),
    };
    finish(client, &journal, &Ok(()), schemas)
}

/// Marks completed an unfinished run whose every step completed (the apply that ran it stopped
/// between its last step and the final mark); returns its id. Called when a new plan is empty.
pub fn settle_unfinished(
    client: &mut Client,
    schemas: &[String],
) -> Result<Option<i64>, MigrateError> {
    if !history::exists(client)? {
        return Ok(None);
    }
    history::ensure_tables(client)?;
    match history::unfinished(client)? {
        Some(m) if m.steps_completed == m.steps_total => {
            settle(client, &m, schemas)?;
            Ok(Some(m.id))
        }
        _ => Ok(None),
    }
}

/// Records how the run ended: completed, or failed with the error; either way with the
/// fingerprint of the schema it left.
pub fn finish(
    client: &mut Client,
    journal: &Journal,
    outcome: &Result<(), Box<ApplyError>>,
    schemas: &[String],
) -> Result<(), MigrateError> {
    if let Err(e) = outcome {
        let _ = journal.step_failed(client, e.index, &e.to_string());
    }
    let catalog = introspect::introspect(client, schemas)?.catalog;
    let objects = fingerprint::objects(&catalog);
    let fp = fingerprint::fingerprint(&objects);
    match outcome {
        Ok(()) => history::complete(client, journal.migration, &fp, &objects)?,
        Err(e) => history::fail(
            client,
            journal.migration,
            &e.to_string(),
            Some((&fp, &objects)),
        )?,
    }
    Ok(())
}

/// Whether a saved plan may run on the database as it is now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SavedState {
    /// Nothing of the plan has run, and the schema is the one it was made from.
    Fresh,
    /// Part of the plan ran (in phases, or a run that stopped), and nothing else changed:
    /// the steps `done` (plan indexes) are applied; `unfinished` is a run of the plan that
    /// stopped, with the plan index and run position of each of its remaining steps.
    Partly {
        done: BTreeSet<usize>,
        unfinished: Option<Unfinished>,
    },
    /// Every step ran (the latest in run `migration`), and the schema is as it left it.
    AlreadyApplied { migration: i64 },
    /// The schema changed since the plan was made: what changed.
    Drifted(Vec<String>),
}

/// A run of a saved plan that stopped: its id, the plan index and run position of each of its
/// remaining steps, and those of them an earlier apply began outside a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unfinished {
    pub migration: i64,
    pub positions: BTreeMap<usize, i32>,
    pub started: BTreeSet<usize>,
}

/// Compares the database with the schema a saved plan was made from, taking into account the
/// steps of it that earlier runs completed; with the fingerprints of the schema now, which a
/// run starting from it records.
pub fn check_saved(
    client: &mut Client,
    saved: &SavedPlan,
) -> Result<(SavedState, Objects), MigrateError> {
    if history::exists(client)? {
        // A history written by an earlier version lacks columns the steps are read with.
        history::ensure_tables(client)?;
    }
    let catalog = introspect::introspect(client, &saved.schemas)?.catalog;
    let now = fingerprint::objects(&catalog);
    Ok((saved_state(client, saved, &now)?, now))
}

fn saved_state(
    client: &mut Client,
    saved: &SavedPlan,
    now: &Objects,
) -> Result<SavedState, MigrateError> {
    let now_fp = fingerprint::fingerprint(now);
    let plan = &saved.plan;
    let runs: Vec<Migration> = history::migrations(client)?
        .into_iter()
        .filter(|m| m.plan_id == plan.id && m.status != Status::RolledBack)
        .collect();
    let mut done = BTreeSet::new();
    let mut unfinished = None;
    for m in &runs {
        let steps = history::steps(client, m.id)?;
        // A run's steps are steps of the plan, in order: match them up.
        let mut positions = BTreeMap::new();
        let mut started = BTreeSet::new();
        let mut next = 0;
        for recorded in &steps {
            let Some(i) = (next..plan.steps.len()).find(|&i| {
                plan.steps[i].kind == recorded.kind && plan.steps[i].object == recorded.object
            }) else {
                break;
            };
            if recorded.status == "completed" {
                done.insert(i);
            } else if recorded.status == "pending" {
                positions.insert(i, recorded.position);
                if recorded.started && !recorded.transactional {
                    started.insert(i);
                }
            }
            next = i + 1;
        }
        if matches!(m.status, Status::Started | Status::Failed) && !positions.is_empty() {
            unfinished = Some(Unfinished {
                migration: m.id,
                positions,
                started,
            });
        }
    }
    if done.is_empty() {
        if now_fp == plan.fingerprint {
            return Ok(SavedState::Fresh);
        }
        let drift = fingerprint::kept_drift(&saved.objects, now, &plan.touched());
        return Ok(SavedState::Drifted(if drift.is_empty() {
            vec!["the schema's fingerprint differs, though no object does (was the plan made by another version of schemaplan?)".into()]
        } else {
            drift
        }));
    }
    // What the schema should look like now: as the latest run left it, when that was recorded;
    // otherwise (a run killed before its end) the plan's starting point, changed only where
    // the completed steps touch.
    let latest = runs.last().expect("steps were done by some run");
    let drift: Vec<String> = match (&latest.fingerprint_after, latest.status) {
        (Some(fp), _) if *fp == now_fp => Vec::new(),
        (Some(_), _) => {
            let after = history::objects_after(client, latest.id)?.unwrap_or_default();
            fingerprint::drift(&after, now)
        }
        (None, _) => {
            let touched: Vec<&String> = done
                .iter()
                .flat_map(|&i| plan.steps[i].touches.iter())
                .collect();
            fingerprint::kept_drift(&saved.objects, now, &plan.touched())
                .into_iter()
                .filter(|d| !touched.iter().any(|t| touches(t, d)))
                .collect()
        }
    };
    if !drift.is_empty() {
        return Ok(SavedState::Drifted(drift));
    }
    if done.len() == plan.steps.len() {
        return Ok(SavedState::AlreadyApplied {
            migration: latest.id,
        });
    }
    Ok(SavedState::Partly { done, unfinished })
}

/// Whether a step on `object` (`public.t`, `public.t.c`) explains a drift entry such as
/// `added column public.t.c`.
pub fn touches(object: &str, drift: &str) -> bool {
    let Some(label) = drift.splitn(3, ' ').nth(2) else {
        return false;
    };
    label == object || label.starts_with(&format!("{object}."))
}

/// What a rollback would undo: runs newest first, each with its completed steps in the order
/// they are undone (last first); and why the schema was not checked for drift, if it was not.
#[derive(Clone, Debug)]
pub struct Rollback {
    pub runs: Vec<(Migration, Vec<RecordedStep>)>,
    pub unchecked: Option<String>,
}

/// What can go wrong in a guarded run: reading or writing the history, reading the schema, or
/// a step of the plan.
#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Introspect(#[from] IntrospectError),
    #[error(transparent)]
    Apply(#[from] Box<ApplyError>),
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
    Error(#[from] MigrateError),
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
    history::ensure_tables(client)?;
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
    // The schema must be as the newest run left it: its down SQL was made for that schema.
    let newest = targets.last().expect("not empty");
    let unchecked = if newest.steps_rolled_back > 0 {
        Some(format!(
            "run #{} was partly rolled back already, so its recorded end state no longer applies",
            newest.id
        ))
    } else if newest.tool_version != env!("CARGO_PKG_VERSION") {
        Some(format!(
            "run #{} was made by schemaplan {}, whose fingerprints this version cannot compare",
            newest.id, newest.tool_version
        ))
    } else if newest.fingerprint_after.is_none() {
        Some(format!(
            "run #{} stopped before it recorded the schema it left",
            newest.id
        ))
    } else {
        None
    };
    if let (None, Some(fp)) = (&unchecked, &newest.fingerprint_after) {
        let catalog = introspect::introspect(client, &newest.schemas)
            .map_err(MigrateError::from)?
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
            // A hook stopped between batches has work to undo too, and so has a step outside a
            // transaction that an apply began (an INVALID index left by a build cut short):
            // its down SQL is written to run whatever part of the step was done (`DROP INDEX
            // CONCURRENTLY IF EXISTS`). A begun step with no way back (a partial fill of an
            // existing column) is not undone, as before it began; nor is a concurrent detach,
            // whose way back (ATTACH) needs it to have happened.
            .filter(|s| {
                s.status == "completed"
                    || (s.kind == "run_hook" && s.status == "pending" && s.started)
                    || (s.status == "pending"
                        && s.started
                        && !s.transactional
                        && s.down.is_some()
                        && s.kind != "detach_partition")
            })
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
    Ok(Rollback { runs, unchecked })
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
                touches: Vec::new(),
                phase: Phase::Expand,
                hazards: s
                    .down_hazards
                    .iter()
                    .filter_map(|h| Hazard::parse(h))
                    .collect(),
                rewrites: Vec::new(),
                locks: Locks::new(),
                commit_with_next: false,
                hook: None,
                verify: None,
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
        started: BTreeSet::new(),
    };
    (plan, journal)
}

/// Undoes the runs of `rollback`, newest first, marking each step and run rolled back.
pub fn rollback(
    client: &mut Client,
    rollback: &Rollback,
    options: &ApplyOptions,
    progress: &mut dyn FnMut(&Migration, Progress<'_>),
) -> Result<(), MigrateError> {
    // A history written by an earlier version may lack schemaplan.hooks, which undoing a step
    // updates.
    history::ensure_tables(client)?;
    for (run, steps) in &rollback.runs {
        let (plan, journal) = undo_plan(run, steps);
        let all: Vec<usize> = (0..plan.steps.len()).collect();
        let outcome = apply::apply(client, &plan, &all, options, Some(&journal), &mut |p| {
            progress(run, p)
        });
        if let Err(e) = &outcome {
            // The steps undone so far are marked; running rollback again goes on from there.
            let message = format!("rollback stopped: {e}");
            let _ = journal.step_failed(client, e.index, &message);
            history::rollback_stopped(client, run.id, &message)?;
        }
        outcome?;
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
