//! `schemaplan apply`: take the apply lock, show the plan, check its hazards, confirm, run it
//! while recording it in the history. `apply PLAN_FILE` runs a plan saved by `plan --out`,
//! only on the schema it was made for.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use postgres::Client;
use schemaplan::pg::apply::{self};
use schemaplan::pg::conn::Target;
use schemaplan::pg::history;
use schemaplan::pg::migrate::{self, SavedState, Start};
use schemaplan::pg::resume;
use schemaplan::pg::watch::Watch;
use schemaplan::plan::classify::{Hazard, Phase};
use schemaplan::plan::steps::{Plan, SavedPlan};
use schemaplan::{error::Error, pipeline};

use super::args::{Common, EXIT_ERROR, EXIT_OK, allowed_hazards, apply_options, parse_duration};
use super::connect::{Databases, take_lock};
use super::feedback::Feedback;
use super::progress::{Printer, confirmed_with};

#[derive(Clone, Copy, ValueEnum)]
pub enum PhaseArg {
    Expand,
    Backfill,
    Contract,
    All,
}

#[derive(Args)]
pub struct ApplyArgs {
    /// A plan saved by `schemaplan plan --out`: run exactly it, and only if the schema is still
    /// the one it was made from. Without it, apply plans from the desired state.
    #[arg(value_name = "PLAN_FILE")]
    pub plan_file: Option<PathBuf>,
    #[command(flatten)]
    pub common: Common,
    /// Fail at once when another apply or rollback holds the lock on the database, instead of
    /// waiting for it.
    #[arg(long)]
    pub no_wait: bool,
    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Run only this phase (deploy the application between expand and contract).
    #[arg(long, value_enum, default_value = "all")]
    pub phase: PhaseArg,
    /// Allow steps with these hazards (comma-separated, or `all`): DeletesData and
    /// TableRewrite are refused otherwise.
    #[arg(long, value_name = "KIND[,KIND…]", value_delimiter = ',')]
    pub allow_hazards: Vec<String>,
    /// How long a statement may wait for a lock before the step is retried (e.g. 2s, 500ms).
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
    /// How many times a step that timed out waiting for a lock is retried (exponential backoff).
    #[arg(long, default_value_t = 5)]
    pub retries: u32,
    /// Cancel any statement that runs longer than this.
    #[arg(long, value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,
    /// Run each run of transactional steps in one transaction (all or nothing) instead of one
    /// transaction per step. Holds locks longer: for databases nobody else is using.
    #[arg(long)]
    pub atomic: bool,
}

pub fn run(args: ApplyArgs) -> Result<i32, Error> {
    let allowed = allowed_hazards(&args.allow_hazards)?;
    match &args.plan_file {
        Some(path) => run_saved(&args, path, &allowed),
        None => run_desired(&args, &allowed),
    }
}

/// Where the apply's progress goes, and how a second session reaches the target to watch
/// long statements (`None`: unwatched).
struct Edge {
    feedback: Feedback,
    settings: Option<Target>,
}

fn run_desired(args: &ApplyArgs, allowed: &[Hazard]) -> Result<i32, Error> {
    let feedback = Feedback::new(args.common.output.terminal().progress);
    let desired = super::connect::load_desired(&args.common.desired)?;
    let mut dbs = Databases::open(&args.common, false, true, &feedback)?;
    // Planning happens under the lock, so that a second apply plans from what the first left.
    take_lock(&mut dbs.target, args.no_wait, &feedback)?;
    let edge = Edge {
        feedback,
        settings: dbs.target_settings.clone(),
    };
    let options = args.common.plan_options();
    let in_target = pipeline::target_schemas(&mut dbs.target, &options.schemas)?;
    let schemas = pipeline::managed_schemas(&desired.catalog, &options.schemas, &in_target);
    // A run that did not finish is carried on with its own recorded steps before anything is
    // planned: a plan made now would take what it added for what was always there.
    match resume::latest(&mut dbs.target, &schemas)? {
        resume::Latest::Unfinished(run) => {
            return continue_run(
                args,
                &mut dbs.target,
                &dbs.target_label,
                &desired,
                &schemas,
                *run,
                allowed,
                &edge,
            );
        }
        resume::Latest::Settled(id) => edge.feedback.say(|| {
            println!("Run #{id} had applied all its steps; it is now recorded as completed.")
        }),
        resume::Latest::Nothing => {}
    }
    let planned = pipeline::plan_reporting(
        &mut dbs.target,
        &desired,
        &dbs.shadow,
        &args.common.plan_options(),
        &mut edge.feedback.clone(),
    )?;
    edge.feedback.clear();
    if args.common.timings {
        super::progress::print_timings(&planned.timings);
    }
    let plan = &planned.plan;
    let observations = planned
        .rehearsal
        .as_ref()
        .map(|r| r.observations.as_slice());
    print!(
        "{}",
        plan.to_human(observations, args.common.output.terminal().human())
    );
    if plan.is_empty() {
        return Ok(EXIT_OK);
    }
    if let Some(r) = &planned.rehearsal {
        println!("\n{}", r.summary(plan));
        if !r.passed() {
            eprintln!("error: the rehearsal failed; nothing was applied (--no-rehearse skips it)");
            return Ok(EXIT_ERROR);
        }
    }
    let Some(selected) = select(args, plan) else {
        return Ok(EXIT_ERROR);
    };
    if selected.is_empty() {
        return Ok(EXIT_OK);
    }
    if !allowed_to_run(plan, &selected, allowed) || !confirmed(args, &selected, &dbs.target_label) {
        return Ok(EXIT_ERROR);
    }
    let (journal, start) = migrate::start(
        &mut dbs.target,
        plan,
        &selected,
        &planned.schemas,
        &planned.objects,
    )?;
    run_recorded(
        &mut dbs.target,
        &dbs.target_label,
        plan,
        &selected,
        args,
        journal,
        start,
        &planned.schemas,
        &edge,
    )
}

fn run_saved(args: &ApplyArgs, path: &Path, allowed: &[Hazard]) -> Result<i32, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.display().to_string(),
        source,
    })?;
    let saved = SavedPlan::from_json(&text)
        .map_err(|why| Error::Usage(format!("{}: {why}", path.display())))?;
    if saved.tool_version != env!("CARGO_PKG_VERSION") {
        return Err(Error::Usage(format!(
            "{}: the plan was made by schemaplan {}, and this is {}; make the plan again",
            path.display(),
            saved.tool_version,
            env!("CARGO_PKG_VERSION")
        )));
    }
    let feedback = Feedback::new(args.common.output.terminal().progress);
    let (mut target, label, settings) =
        super::connect::connect_target(args.common.database_url.as_deref(), true, &feedback)?;
    take_lock(&mut target, args.no_wait, &feedback)?;
    let plan = &saved.plan;
    feedback.begin("comparing the schema with the one the plan was made from");
    let (state, now) = migrate::check_saved(&mut target, &saved)?;
    feedback.clear();
    let edge = Edge {
        feedback,
        settings: Some(settings),
    };
    print!(
        "{}",
        plan.to_human(None, args.common.output.terminal().human())
    );
    match &saved.rehearsal {
        Some(r) => println!("\n{} (when the plan was made)", r.summary),
        None => println!("\nnot rehearsed when the plan was made"),
    }
    let (pending, unfinished) = match state {
        SavedState::Drifted(changes) => {
            eprintln!(
                "error: the database changed since plan {} was made; it runs only on the schema it was made from:",
                plan.id
            );
            for c in &changes {
                eprintln!("  {c}");
            }
            eprintln!("nothing was applied; make a new plan");
            return Ok(EXIT_ERROR);
        }
        SavedState::AlreadyApplied { migration } => {
            println!(
                "\nNo changes: plan {} was applied already (run #{migration}), and the schema is as it left it.",
                plan.id
            );
            return Ok(EXIT_OK);
        }
        SavedState::Fresh => ((0..plan.steps.len()).collect::<Vec<_>>(), None),
        SavedState::Partly { done, unfinished } => {
            println!(
                "\n{} of the plan's {} steps were applied by earlier runs.",
                done.len(),
                plan.steps.len()
            );
            let pending: Vec<usize> = (0..plan.steps.len())
                .filter(|i| !done.contains(i))
                .collect();
            (pending, unfinished)
        }
    };
    if let Some(r) = &saved.rehearsal {
        if !r.passed {
            eprintln!("error: the plan's rehearsal failed when it was made; nothing was applied");
            return Ok(EXIT_ERROR);
        }
    }
    if plan.is_empty() {
        return Ok(EXIT_OK);
    }
    let (selected, start) = match unfinished {
        // A run of this plan stopped: it goes on with its own remaining steps.
        Some(unfinished) => {
            let selected: Vec<usize> = unfinished.positions.keys().copied().collect();
            if selected.len() < pending.len() {
                println!(
                    "Run #{} of this plan stopped; it goes on with its {} remaining step(s) (apply again for the rest).",
                    unfinished.migration,
                    selected.len()
                );
            }
            (selected, Some(unfinished))
        }
        None => {
            let Some(selected) = select_among(args, plan, &pending) else {
                return Ok(EXIT_ERROR);
            };
            (selected, None)
        }
    };
    if selected.is_empty() {
        return Ok(EXIT_OK);
    }
    if !allowed_to_run(plan, &selected, allowed) || !confirmed(args, &selected, &label) {
        return Ok(EXIT_ERROR);
    }
    let (journal, start) = match start {
        Some(unfinished) => {
            let migration = unfinished.migration;
            let done = history::steps(&mut target, migration)?
                .iter()
                .filter(|s| s.status == "completed")
                .count() as i32;
            let journal = history::resume(
                &mut target,
                migration,
                unfinished.positions,
                unfinished.started,
            )?;
            let start = Start::Continued {
                migration,
                plan_id: plan.id.clone(),
                done,
            };
            (journal, start)
        }
        None => migrate::start(&mut target, plan, &selected, &saved.schemas, &now)?,
    };
    run_recorded(
        &mut target,
        &label,
        plan,
        &selected,
        args,
        journal,
        start,
        &saved.schemas,
        &edge,
    )
}

/// Carries on `run`, which did not finish, with its recorded steps: only for the desired state
/// and schemas it was planned for, on a schema nothing else changed meanwhile.
#[allow(clippy::too_many_arguments)]
fn continue_run(
    args: &ApplyArgs,
    target: &mut Client,
    label: &str,
    desired: &schemaplan::yaml::Desired,
    schemas: &[String],
    run: resume::Run,
    allowed: &[Hazard],
    edge: &Edge,
) -> Result<i32, Error> {
    edge.feedback.clear();
    let m = &run.migration;
    let stopped = format!(
        "run #{} (plan {}) did not finish: {} of its {} steps were applied",
        m.id,
        m.plan_id,
        run.done(),
        m.steps_total
    );
    let refuse = |why: &str| {
        eprintln!("error: {stopped}; {why}");
        eprintln!(
            "nothing was applied: apply that run's desired state again to finish it, or undo what it applied with `schemaplan rollback`"
        );
        Ok(EXIT_ERROR)
    };
    if m.desired_digest != desired.digest {
        return refuse("it was planned for another desired state than this one");
    }
    if m.schemas != schemas {
        return refuse(&format!(
            "it manages the schemas {}, and this apply {}",
            m.schemas.join(", "),
            schemas.join(", ")
        ));
    }
    if let Some(why) = run.unsupported() {
        return refuse(&why);
    }
    edge.feedback
        .begin("comparing the schema with what the run left");
    let drift = resume::drift(target, &run)?;
    edge.feedback.clear();
    match drift {
        Some(changes) if !changes.is_empty() => {
            eprintln!(
                "error: {stopped}, and the schema changed since in ways its steps do not explain:"
            );
            for c in &changes {
                eprintln!("  {c}");
            }
            eprintln!(
                "nothing was applied; undo what the run applied with `schemaplan rollback`, then apply again"
            );
            return Ok(EXIT_ERROR);
        }
        Some(_) => {}
        None => println!(
            "note: the schema was not compared with what run #{} left (recorded by schemaplan {})",
            m.id, m.tool_version
        ),
    }
    let plan = run.plan();
    let remaining = run.remaining();
    let Some(selected) = select_among(args, &plan, &remaining) else {
        return Ok(EXIT_ERROR);
    };
    if selected != remaining {
        eprintln!(
            "error: {stopped}; its remaining steps are not all of the phase asked for: apply with --phase {} first",
            plan.steps[remaining[0]].phase
        );
        return Ok(EXIT_ERROR);
    }
    let unfinished = run.unfinished();
    println!(
        "Run #{} (plan {}) did not finish; its remaining {} of {} step(s), as recorded:",
        m.id,
        m.plan_id,
        remaining.len(),
        m.steps_total
    );
    for &i in &remaining {
        let s = &plan.steps[i];
        println!(
            "\n  step {}/{}: {} {}{}",
            i + 1,
            plan.steps.len(),
            s.kind.replace('_', " "),
            s.object,
            if unfinished.started.contains(&i) {
                " (begun by the apply that stopped: checked first, and run again unless its effect is in place)"
            } else {
                ""
            }
        );
        for stmt in &s.up {
            for line in stmt.lines() {
                println!("    {line}");
            }
        }
    }
    if !allowed_to_run(&plan, &selected, allowed) || !confirmed(args, &selected, label) {
        return Ok(EXIT_ERROR);
    }
    let done = run.done() as i32;
    let journal = history::resume(target, m.id, unfinished.positions, unfinished.started)?;
    let start = Start::Continued {
        migration: m.id,
        plan_id: m.plan_id.clone(),
        done,
    };
    run_recorded(
        target, label, &plan, &selected, args, journal, start, schemas, edge,
    )
}

/// The steps `--phase` selects, or `None` after saying why it cannot run.
fn select(args: &ApplyArgs, plan: &Plan) -> Option<Vec<usize>> {
    let all: Vec<usize> = (0..plan.steps.len()).collect();
    select_among(args, plan, &all)
}

/// `select` among the steps `pending` that remain to run.
fn select_among(args: &ApplyArgs, plan: &Plan, pending: &[usize]) -> Option<Vec<usize>> {
    let phase = match args.phase {
        PhaseArg::Expand => Some(Phase::Expand),
        PhaseArg::Backfill => Some(Phase::Backfill),
        PhaseArg::Contract => Some(Phase::Contract),
        PhaseArg::All => None,
    };
    match apply::select_phase_among(plan, pending, phase) {
        Ok(s) => {
            if s.is_empty() {
                println!(
                    "\nNo {} steps to apply.",
                    phase.map(|p| p.to_string()).unwrap_or_default()
                );
            } else if let Some(phase) = phase {
                // The whole plan is listed for review; say which part of it runs now.
                let total = plan.steps.len();
                let numbers: Vec<String> =
                    s.iter().map(|i| format!("[{}/{total}]", i + 1)).collect();
                println!(
                    "\n--phase {phase} runs {} of the plan's {total} steps: {}; the others run with their own --phase.",
                    s.len(),
                    numbers.join(" ")
                );
            }
            Some(s)
        }
        Err(why) => {
            eprintln!("error: {why}");
            None
        }
    }
}

/// Whether `--allow-hazards` covers the gated hazards of the selected steps; if not, says which
/// steps carry them and which flag allows them.
fn allowed_to_run(plan: &Plan, selected: &[usize], allowed: &[Hazard]) -> bool {
    let refused = apply::unallowed_hazards(plan, selected, allowed);
    if refused.is_empty() {
        return true;
    }
    for (hazard, steps) in &refused {
        let list: Vec<String> = steps
            .iter()
            .map(|&i| {
                format!(
                    "{} {}",
                    plan.steps[i].kind.replace('_', " "),
                    plan.steps[i].object
                )
            })
            .collect();
        eprintln!(
            "error: {hazard} in {} step(s): {}",
            steps.len(),
            list.join("; ")
        );
        if *hazard == Hazard::UnnamedSchema {
            let mut schemas: Vec<&str> = (steps.iter())
                .filter_map(|&i| plan.steps[i].object.split('.').next())
                .collect();
            schemas.dedup();
            let named: Vec<String> = schemas.iter().map(|s| format!("{s}: {{}}")).collect();
            eprintln!(
                "  the desired state never names {}: if it was written for other schemas only, \
                 pass --schema for each schema it manages; if {} meant to be emptied, name {} \
                 (`schemas: {{{}}}`)",
                schemas.join(", "),
                if schemas.len() == 1 {
                    "it is"
                } else {
                    "they are"
                },
                if schemas.len() == 1 { "it" } else { "them" },
                named.join(", ")
            );
        }
    }
    let flag: Vec<&str> = refused.iter().map(|(h, _)| h.name()).collect();
    eprintln!(
        "nothing was applied; to allow these steps, pass --allow-hazards {}",
        flag.join(",")
    );
    false
}

fn confirmed(args: &ApplyArgs, selected: &[usize], label: &str) -> bool {
    confirmed_with(
        args.yes,
        "apply",
        &format!("Apply {} step(s) to {label}?", selected.len()),
    )
}

#[allow(clippy::too_many_arguments)]
fn run_recorded(
    target: &mut Client,
    label: &str,
    plan: &Plan,
    selected: &[usize],
    args: &ApplyArgs,
    journal: history::Journal,
    start: Start,
    schemas: &[String],
    edge: &Edge,
) -> Result<i32, Error> {
    match &start {
        Start::New { migration } => {
            println!(
                "\nApplying to {label} (run #{migration} of plan {}):",
                plan.id
            )
        }
        Start::Continued {
            migration,
            plan_id,
            done,
        } => println!(
            "\nContinuing run #{migration} (plan {plan_id}) on {label}: {done} of its steps were applied by an earlier apply that did not finish."
        ),
    }
    let options = apply_options(
        args.lock_timeout,
        args.retries,
        args.statement_timeout,
        args.atomic,
    );
    let mut printer = Printer::new(edge.feedback.clone());
    let mut watch = edge.settings.clone().map(Watch::new);
    let started = std::time::Instant::now();
    let outcome = apply::apply_watched(
        target,
        plan,
        selected,
        &options,
        Some(&journal),
        watch.as_mut(),
        &mut |p| printer.print(p),
    );
    edge.feedback.clear();
    if args.common.timings {
        super::progress::print_timings(&[("apply", started.elapsed())]);
    }
    let recorded = migrate::finish(target, &journal, &outcome, schemas);
    if let Err(e) = outcome {
        // The step's failure is the news; the history could not take it (the connection is
        // gone, say): the run stays `started`, and the next apply carries it on all the same.
        if let Err(r) = recorded {
            eprintln!("note: the failure could not be recorded in the history: {r}");
        }
        return Err(e.into());
    }
    recorded?;
    println!(
        "Applied {} step(s); recorded as run #{} in schemaplan.migrations.",
        selected.len(),
        journal.migration
    );
    Ok(EXIT_OK)
}
