//! `fleet apply`: the fleet's plans run target by target, in waves, each target's run
//! recorded in its own history exactly as `apply PLAN_FILE` records it, and the fleet's run in
//! the state file. A target's plan runs only on the schema it was made from (else the target is
//! planned again on its own); a plan a killed run left half done is carried on with its own
//! recorded steps; a plan already applied is not applied again. So a rerun of a fleet run that
//! stopped — at a failure, an unreachable target, or a kill — goes on where it stopped.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use postgres::Client;

use crate::error::Error;
use crate::pg::apply;
use crate::pg::db;
use crate::pg::history;
use crate::pg::migrate::{self, SavedState};
use crate::pg::session::ApplyOptions;
use crate::pipeline::PlanOptions;
use crate::plan::classify::Phase;
use crate::plan::fingerprint;
use crate::plan::steps::{SavedPlan, SavedRehearsal};
use crate::yaml::Desired;

use super::state::{self, FleetRun, RunStatus, State, TargetRecord, TargetStatus};
use super::{FleetTarget, Shadows, each_parallel};

/// What applying one target's plan did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Steps ran, recorded as `migration` in the target's history.
    Ran { migration: i64, steps: usize },
    /// Nothing to run (an empty plan, or none of the phase asked for).
    Unchanged,
    /// Every step had run already (run `migration`), and the schema is as it left it.
    Already { migration: i64 },
    /// The schema changed since the plan was made: what changed.
    Drifted(Vec<String>),
}

/// How the fleet's targets are applied.
#[derive(Clone, Debug)]
pub struct Options {
    pub plan: PlanOptions,
    pub apply: ApplyOptions,
    pub phase: Option<Phase>,
    pub concurrency: usize,
    /// Go on with the other targets (and waves) after a target fails.
    pub keep_going: bool,
    /// Fail a target whose apply lock another session holds, instead of waiting.
    pub no_wait: bool,
}

/// Runs `saved` on the target behind `client`, as `apply PLAN_FILE` does: under the apply
/// lock, only on the schema it was made from, carrying on a run of it that stopped.
pub fn apply_saved(
    client: &mut Client,
    saved: &SavedPlan,
    phase: Option<Phase>,
    options: &ApplyOptions,
    no_wait: bool,
) -> Result<Applied, Error> {
    history::lock(client, no_wait, &mut |_| {})?;
    let plan = &saved.plan;
    let (state, now) = migrate::check_saved(client, saved)?;
    let (pending, unfinished) = match state {
        SavedState::Drifted(changes) => return Ok(Applied::Drifted(changes)),
        SavedState::AlreadyApplied { migration } => return Ok(Applied::Already { migration }),
        SavedState::Fresh => ((0..plan.steps.len()).collect::<Vec<_>>(), None),
        SavedState::Partly { done, unfinished } => {
            let pending = (0..plan.steps.len()).filter(|i| !done.contains(i));
            (pending.collect(), unfinished)
        }
    };
    if plan.is_empty() {
        return Ok(Applied::Unchanged);
    }
    let (selected, journal) = match unfinished {
        Some(u) => {
            let selected: Vec<usize> = u.positions.keys().copied().collect();
            let journal = history::resume(client, u.migration, u.positions, u.started)?;
            (selected, journal)
        }
        None => {
            let selected =
                apply::select_phase_among(plan, &pending, phase).map_err(Error::Usage)?;
            if selected.is_empty() {
                return Ok(Applied::Unchanged);
            }
            let (journal, _) = migrate::start(client, plan, &selected, &saved.schemas, &now)?;
            (selected, journal)
        }
    };
    let outcome = apply::apply(
        client,
        plan,
        &selected,
        options,
        Some(&journal),
        &mut |_| {},
    );
    let recorded = migrate::finish(client, &journal, &outcome, &saved.schemas);
    outcome?;
    recorded?;
    Ok(Applied::Ran {
        migration: journal.migration,
        steps: selected.len(),
    })
}

/// What `fleet apply` reports as it goes.
pub enum Event<'a> {
    Wave {
        number: usize,
        of: usize,
        targets: Vec<&'a str>,
    },
    /// A target of the wave could not be reached: the wave does not begin.
    Unreachable { target: &'a str, message: String },
    Done {
        target: &'a str,
        record: TargetRecord,
    },
}

/// A fleet run about to begin or to be carried on: the run record (plans, targets, waves).
pub struct Pending {
    pub run: FleetRun,
    pub state: State,
    /// True when an unfinished run of the state file is carried on.
    pub resumed: bool,
}

/// Makes the run record of a new fleet run from its plans (targets that could not be planned
/// are recorded as such), waves numbered from 1.
pub fn new_run(
    state: State,
    planned: &super::plan::FleetPlan,
    waves: &[Vec<usize>],
    desired: &Desired,
    phase: &str,
) -> Pending {
    let mut run = FleetRun {
        id: state.runs.last().map_or(1, |r| r.id + 1),
        started: state::now(),
        finished: None,
        desired_digest: desired.digest.clone(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        phase: phase.to_string(),
        status: RunStatus::Running,
        plans: Default::default(),
        targets: Vec::new(),
    };
    for (w, wave) in waves.iter().enumerate() {
        for &i in wave {
            let (plan, status, message) = match &planned.outcomes[i] {
                super::plan::Outcome::Planned { saved, .. } => {
                    let key = state::plan_key(saved);
                    run.plans.insert(key.clone(), (**saved).clone());
                    let status = if saved.plan.is_empty() {
                        TargetStatus::Unchanged
                    } else {
                        TargetStatus::Pending
                    };
                    (Some(key), status, None)
                }
                super::plan::Outcome::Unreachable(m) => {
                    (None, TargetStatus::Unreachable, Some(m.clone()))
                }
                super::plan::Outcome::Failed(m) => (None, TargetStatus::Failed, Some(m.clone())),
            };
            run.targets.push(TargetRecord {
                name: planned.targets[i].name.clone(),
                wave: w + 1,
                plan,
                status,
                migration: None,
                steps: 0,
                message,
            });
        }
    }
    Pending {
        run,
        state,
        resumed: false,
    }
}

/// Runs the pending fleet run, wave by wave: before a wave begins, each of its targets is
/// connected to, and one that cannot be (or that has no plan) halts the run unless
/// `keep_going`; in a wave, a failed target stops the targets not yet begun (unless
/// `keep_going`), and the run halts after the wave. The state file is written after each
/// target; the caller holds the state file's lock (`StateLock`) meanwhile. Returns the run as
/// recorded.
pub fn run(
    pending: Pending,
    targets: &[FleetTarget],
    state_path: &std::path::Path,
    desired: &Desired,
    shadows: &dyn Shadows,
    options: &Options,
    events: &(dyn Fn(Event<'_>) + Sync),
) -> Result<FleetRun, Error> {
    let Pending { run, mut state, .. } = pending;
    let waves_total = run.targets.iter().map(|t| t.wave).max().unwrap_or(0);
    let shared = Mutex::new(run);
    let save = |state: &mut State, run: &FleetRun| -> Result<(), Error> {
        match state.runs.last_mut() {
            Some(last) if last.id == run.id => *last = run.clone(),
            _ => state.runs.push(run.clone()),
        }
        state::save(state_path, state)
    };
    save(&mut state, &shared.lock().expect("unpoisoned"))?;
    for wave in 1..=waves_total {
        let names: Vec<String> = {
            let run = shared.lock().expect("unpoisoned");
            run.targets
                .iter()
                .filter(|t| t.wave == wave && !t.status.done())
                .map(|t| t.name.clone())
                .collect()
        };
        if names.is_empty() {
            continue;
        }
        let wave_targets: Vec<&FleetTarget> = names
            .iter()
            .filter_map(|n| targets.iter().find(|t| &t.name == n))
            .collect();
        events(Event::Wave {
            number: wave,
            of: waves_total,
            targets: wave_targets.iter().map(|t| t.name.as_str()).collect(),
        });
        let (runnable, unreachable) = reach(&wave_targets, &shared, options, events);
        if unreachable && !options.keep_going {
            break;
        }
        let stop = AtomicBool::new(false);
        let state_lock = Mutex::new(&mut state);
        // The targets of one database run one after the other (the apply lock is the
        // database's: tenants' schemas would only wait for each other); databases in parallel.
        let mut by_database: Vec<Vec<&FleetTarget>> = Vec::new();
        for t in runnable {
            let id = super::identity(&t.target);
            match by_database
                .iter_mut()
                .find(|g| super::identity(&g[0].target) == id)
            {
                Some(g) => g.push(t),
                None => by_database.push(vec![t]),
            }
        }
        let apply_one = |t: &FleetTarget| {
            let (saved, before) = {
                let mut run = shared.lock().expect("unpoisoned");
                let r = run.target_mut(&t.name).expect("recorded");
                r.status = TargetStatus::Running;
                let key = r.plan.clone().expect("probed");
                let before = r.clone();
                let saved = run.plans[&key].clone();
                let mut st = state_lock.lock().expect("unpoisoned");
                let _ = save(&mut st, &run);
                (saved, before)
            };
            let result = apply_target(t, &saved, desired, shadows, options);
            let mut run = shared.lock().expect("unpoisoned");
            let mut record = before;
            match result {
                Ok((applied, replanned)) => {
                    if let Some(saved) = replanned {
                        let key = state::plan_key(&saved);
                        run.plans.insert(key.clone(), saved);
                        record.plan = Some(key);
                        record.message = Some("planned again: its schema had changed".into());
                    }
                    match applied {
                        Applied::Ran { migration, steps } => {
                            record.status = TargetStatus::Applied;
                            record.migration = Some(migration);
                            record.steps += steps;
                        }
                        Applied::Already { migration } => {
                            record.status = TargetStatus::Applied;
                            record.migration.get_or_insert(migration);
                        }
                        Applied::Unchanged => record.status = TargetStatus::Unchanged,
                        Applied::Drifted(changes) => {
                            record.status = TargetStatus::Failed;
                            record.message = Some(format!(
                                "its schema changed while it was planned again: {}",
                                changes.join("; ")
                            ));
                        }
                    }
                }
                Err(e) => {
                    record.status = TargetStatus::Failed;
                    record.message = Some(e.to_string());
                }
            }
            if record.status == TargetStatus::Failed && !options.keep_going {
                stop.store(true, Ordering::SeqCst);
            }
            *run.target_mut(&t.name).expect("recorded") = record.clone();
            let mut st = state_lock.lock().expect("unpoisoned");
            let _ = save(&mut st, &run);
            events(Event::Done {
                target: &t.name,
                record,
            });
        };
        each_parallel(&by_database, options.concurrency, &stop, |group| {
            for t in group {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                apply_one(t);
            }
        });
        let run = shared.lock().expect("unpoisoned");
        let failed = run
            .targets
            .iter()
            .any(|t| t.wave == wave && !t.status.done());
        if failed && !options.keep_going {
            break;
        }
    }
    let mut run = shared.into_inner().expect("unpoisoned");
    let all_done = run.targets.iter().all(|t| t.status.done());
    run.status = if all_done {
        RunStatus::Completed
    } else {
        RunStatus::Halted
    };
    if all_done {
        run.finished = Some(state::now());
    }
    save(&mut state, &run)?;
    Ok(run)
}

/// The targets of a wave that can run: those with a plan whose database answers (each
/// database reached once, however many tenants' schemas it holds); the others are recorded
/// unreachable (or stay failed), and said so. Also whether there were any such.
fn reach<'t>(
    wave_targets: &[&'t FleetTarget],
    shared: &Mutex<FleetRun>,
    options: &Options,
    events: &(dyn Fn(Event<'_>) + Sync),
) -> (Vec<&'t FleetTarget>, bool) {
    // Every target of the wave is reached (and has a plan) before any of them changes;
    // each database once, however many tenants' schemas it holds.
    let never = AtomicBool::new(false);
    let mut databases: Vec<&FleetTarget> = Vec::new();
    for t in wave_targets {
        if !databases
            .iter()
            .any(|d| super::identity(&d.target) == super::identity(&t.target))
        {
            databases.push(t);
        }
    }
    let reached = each_parallel(&databases, options.concurrency, &never, |t| {
        db::connect(&t.target)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    let reached: Vec<(_, Result<(), String>)> = (databases.iter())
        .zip(reached)
        .map(|(d, r)| {
            (
                super::identity(&d.target),
                r.expect("nothing stops the probes"),
            )
        })
        .collect();
    let mut runnable = Vec::new();
    let mut unreachable = false;
    for t in wave_targets {
        let record = shared.lock().expect("unpoisoned").target(&t.name).cloned();
        let id = super::identity(&t.target);
        let probe = match record.as_ref().and_then(|r| r.plan.as_ref()) {
            None => Err(record
                .and_then(|r| r.message)
                .unwrap_or_else(|| "not planned".into())),
            Some(_) => (reached.iter().find(|(d, _)| *d == id))
                .map(|(_, r)| r.clone())
                .expect("every database probed"),
        };
        match probe {
            Ok(()) => runnable.push(*t),
            Err(message) => {
                let mut run = shared.lock().expect("unpoisoned");
                let r = run.target_mut(&t.name).expect("recorded");
                if r.status != TargetStatus::Failed {
                    r.status = TargetStatus::Unreachable;
                }
                r.message = Some(message.clone());
                events(Event::Unreachable {
                    target: &t.name,
                    message,
                });
                unreachable = true;
            }
        }
    }
    (runnable, unreachable)
}

/// Applies one target's plan; when its schema changed since, plans it again on its own and
/// applies that (returned, to be recorded).
fn apply_target(
    t: &FleetTarget,
    saved: &SavedPlan,
    desired: &Desired,
    shadows: &dyn Shadows,
    options: &Options,
) -> Result<(Applied, Option<SavedPlan>), Error> {
    let writable = t.target.writable().map_err(|source| db::DbError::Connect {
        target: t.target.label().to_string(),
        source,
    })?;
    let mut client = db::connect(&writable)?.client;
    let o = options;
    match apply_saved(&mut client, saved, o.phase, &o.apply, o.no_wait)? {
        Applied::Drifted(_) => {}
        applied => return Ok((applied, None)),
    }
    let major: i32 = client
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .map_err(|source| db::DbError::Query {
            what: "reading the server version".into(),
            target: t.target.label().to_string(),
            source,
        })?
        .get(0);
    let shadow = shadows.for_major((major / 10000) as u32)?;
    let planned = match &t.tenant {
        Some(tenant) => {
            let options = PlanOptions {
                schemas: vec![tenant.schema.clone()],
                ..o.plan.clone()
            };
            let own = super::tenants::desired_for(desired, tenant);
            crate::pipeline::plan(&mut client, &own, &*shadow, &options)?
        }
        None => crate::pipeline::plan(&mut client, desired, &*shadow, &o.plan)?,
    };
    let rehearsal = planned.rehearsal.as_ref().map(|r| SavedRehearsal {
        passed: r.passed(),
        summary: r.summary(&planned.plan),
    });
    if rehearsal.as_ref().is_some_and(|r| !r.passed) {
        return Err(Error::Usage(format!(
            "its schema changed since the fleet was planned, and the rehearsal of its new plan failed: {}",
            rehearsal.map(|r| r.summary).unwrap_or_default()
        )));
    }
    let again = SavedPlan {
        format: SavedPlan::FORMAT,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        schemas: planned.schemas.clone(),
        objects: fingerprint::keep(&planned.objects, &planned.plan.touched()),
        rehearsal,
        plan: planned.plan,
    };
    let applied = apply_saved(&mut client, &again, o.phase, &o.apply, o.no_wait)?;
    Ok((applied, Some(again)))
}
