//! Carrying on a run that did not finish (killed, or stopped by a failing step) with the steps
//! the history recorded for it, never with a new plan. A new plan made from the database the
//! run left would take what the run added for what was always there: a column added before
//! its backfill ran looks like a column whose NULLs are data, so the backfill would be dropped
//! from the plan (or planned as a fill of an existing column, with no way back), and the run's
//! own down SQL overwritten. The recorded steps are what was planned and reviewed; the ones
//! still pending run as recorded, after a check that nothing else changed the schema meanwhile.

use std::collections::BTreeSet;

use postgres::Client;

use crate::pg::history::{self, Migration, RecordedStep, Status};
use crate::pg::introspect;
use crate::pg::migrate::{self, MigrateError, Unfinished};
use crate::plan::classify::{Hazard, Locks, Phase};
use crate::plan::fingerprint::{self, Objects};
use crate::plan::steps::{Plan, Step};

/// A run that did not finish, with its recorded steps.
#[derive(Clone, Debug)]
pub struct Run {
    pub migration: Migration,
    pub steps: Vec<RecordedStep>,
}

/// What the history says before an apply plans anything.
#[derive(Clone, Debug)]
pub enum Latest {
    /// No run to carry on: plan from the database.
    Nothing,
    /// The latest run had completed all its steps but was not marked completed (its apply
    /// stopped in between): it now is.
    Settled(i64),
    /// The latest run has work done or begun and steps pending: carry it on.
    Unfinished(Box<Run>),
}

/// Looks at the latest run. One of which nothing ran (killed before its first step, or
/// stopped by a failing first step) is left as failed: there is nothing to carry on, and a
/// new plan starts from where it started.
pub fn latest(client: &mut Client, schemas: &[String]) -> Result<Latest, MigrateError> {
    if !history::exists(client)? {
        return Ok(Latest::Nothing);
    }
    history::ensure_tables(client)?;
    let Some(m) = history::unfinished(client)? else {
        return Ok(Latest::Nothing);
    };
    if m.steps_completed == m.steps_total {
        return Ok(match migrate::settle_unfinished(client, schemas)? {
            Some(id) => Latest::Settled(id),
            None => Latest::Nothing,
        });
    }
    let steps = history::steps(client, m.id)?;
    let begun = steps
        .iter()
        .any(|s| s.status == "completed" || (s.started && !s.transactional));
    if !begun {
        if m.status == Status::Started {
            history::fail(
                client,
                m.id,
                "interrupted before any of its steps had run; the next apply planned anew",
                None,
            )?;
        }
        return Ok(Latest::Nothing);
    }
    Ok(Latest::Unfinished(Box::new(Run {
        migration: m,
        steps,
    })))
}

impl Run {
    /// How many of its steps completed.
    pub fn done(&self) -> usize {
        self.steps
            .iter()
            .filter(|s| s.status == "completed")
            .count()
    }

    /// The indexes (into `plan()`) of the steps still to run.
    pub fn remaining(&self) -> Vec<usize> {
        (0..self.steps.len())
            .filter(|&i| self.steps[i].status != "completed")
            .collect()
    }

    /// Where each remaining step is in the run, and which of them an earlier apply began
    /// outside a transaction (their effect may be in place: it is checked before they run).
    pub fn unfinished(&self) -> Unfinished {
        let remaining = self.remaining();
        Unfinished {
            migration: self.migration.id,
            positions: remaining
                .iter()
                .map(|&i| (i, self.steps[i].position))
                .collect(),
            started: remaining
                .into_iter()
                .filter(|&i| self.steps[i].started && !self.steps[i].transactional)
                .collect(),
        }
    }

    /// Why the run cannot be carried on by this version, if it cannot: a hook step recorded
    /// without its definition (by a version that did not keep it).
    pub fn unsupported(&self) -> Option<String> {
        self.remaining()
            .into_iter()
            .map(|i| &self.steps[i])
            .find(|s| s.kind == "run_hook" && s.hook.is_none())
            .map(|s| {
                format!(
                    "step {} ({} {}) was recorded by schemaplan {} without its hook's definition",
                    s.position,
                    s.kind.replace('_', " "),
                    s.object,
                    self.migration.tool_version
                )
            })
    }

    /// The run as a plan `apply` runs: every recorded step (the completed ones too, so that
    /// steps keep their numbers), with its recorded SQL.
    pub fn plan(&self) -> Plan {
        Plan {
            id: self.migration.plan_id.clone(),
            desired_digest: self.migration.desired_digest.clone(),
            fingerprint: String::new(),
            steps: self.steps.iter().map(step).collect(),
            warnings: Vec::new(),
        }
    }
}

fn step(s: &RecordedStep) -> Step {
    let hazards = |names: &[String]| -> Vec<Hazard> {
        names.iter().filter_map(|h| Hazard::parse(h)).collect()
    };
    Step {
        kind: s.kind.clone(),
        object: s.object.clone(),
        sign: '~',
        noun: String::new(),
        up: s.up.clone(),
        down: s.down.clone(),
        irreversible: s.irreversible.clone(),
        transactional: s.transactional,
        down_transactional: s.down_transactional,
        down_hazards: hazards(&s.down_hazards),
        phase: [Phase::Expand, Phase::Backfill, Phase::Contract]
            .into_iter()
            .find(|p| p.to_string() == s.phase)
            .unwrap_or(Phase::Expand),
        hazards: hazards(&s.hazards),
        rewrites: Vec::new(),
        locks: Locks::new(),
        touches: s.touches.clone(),
        commit_with_next: s.commit_with_next,
        hook: s.hook.clone(),
        verify: s.verify.clone(),
        change: None,
    }
}

/// What changed in the schema that the run does not explain, or `None` when it cannot be
/// told (a run recorded by another version, or before schemaplan kept the schema a run
/// starts from). The reference is the schema the run left when it stopped on a failure, or
/// else (killed) the one it started from, changed only where its completed steps reach; a
/// step begun outside a transaction may have left part of its work (an INVALID index) too.
pub fn drift(client: &mut Client, run: &Run) -> Result<Option<Vec<String>>, MigrateError> {
    let m = &run.migration;
    if m.tool_version != env!("CARGO_PKG_VERSION") {
        return Ok(None);
    }
    let begun = |s: &&RecordedStep| s.status != "completed" && s.started && !s.transactional;
    let (reference, explained): (Option<Objects>, Vec<&RecordedStep>) = match &m.fingerprint_after {
        Some(_) => (
            history::objects_after(client, m.id)?,
            run.steps.iter().filter(begun).collect(),
        ),
        None => (
            history::objects_before(client, m.id)?,
            run.steps
                .iter()
                .filter(|s| s.status == "completed" || begun(s))
                .collect(),
        ),
    };
    let Some(reference) = reference else {
        return Ok(None);
    };
    let catalog = introspect::introspect(client, &m.schemas)?.catalog;
    let now = fingerprint::objects(&catalog);
    let touched: BTreeSet<&String> = explained.iter().flat_map(|s| s.touches.iter()).collect();
    Ok(Some(
        fingerprint::drift(&reference, &now)
            .into_iter()
            .filter(|d| !touched.iter().any(|t| migrate::touches(t, d)))
            .collect(),
    ))
}
