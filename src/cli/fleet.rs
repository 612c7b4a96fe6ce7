//! `schemaplan fleet plan|apply|status|rollback|schema FLEET_FILE`: one desired state, many
//! databases (`pipeline::fleet`). Exit codes as for one database: 2 when `fleet plan` finds
//! anything pending, 3 when a rehearsal failed, 1 when a target could not be planned or applied.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use schemaplan::error::Error;
use schemaplan::pg::conn::Env;
use schemaplan::pg::migrate::{self, RollbackRefusal};
use schemaplan::pipeline::PlanOptions;
use schemaplan::pipeline::fleet::apply::{self as fleet_apply, Event};
use schemaplan::pipeline::fleet::plan::{self as fleet_plan, FleetPlan, Outcome};
use schemaplan::pipeline::fleet::state::{self, RunStatus, StateLock, TargetStatus};
use schemaplan::pipeline::fleet::{self, FleetTarget};
use schemaplan::plan::classify::Phase;
use schemaplan::yaml::Desired;
use schemaplan::yaml::fleet::Fleet;

use super::apply::PhaseArg;
use super::args::{
    EXIT_CHANGES, EXIT_ERROR, EXIT_OK, EXIT_REHEARSAL_FAILED, allowed_hazards, apply_options,
    parse_duration,
};
use super::connect::FleetShadows;
use super::feedback::Feedback;
use super::fleet_present as present;
use super::progress::confirmed_with;
use super::terminal::OutputArgs;

#[derive(Subcommand)]
pub enum FleetCommand {
    /// Plan every target of the fleet; one plan per group of targets whose plans are the same.
    Plan(FleetPlanArgs),
    /// Apply the fleet's plans in waves (canaries first), recording the run in the state file;
    /// a rerun carries on a run that stopped.
    Apply(FleetApplyArgs),
    /// Show the fleet runs recorded in the state file.
    Status(FleetFileArg),
    /// Undo the latest fleet run (or `--run N`) target by target, last wave first.
    Rollback(FleetRollbackArgs),
    /// Print the JSON Schema of the fleet file.
    Schema,
}

#[derive(Args)]
pub struct FleetFileArg {
    /// The fleet file (YAML): the targets, their labels and waves.
    #[arg(value_name = "FLEET_FILE")]
    pub fleet: PathBuf,
}

/// What `fleet plan` and `fleet apply` share.
#[derive(Args)]
pub struct FleetCommon {
    #[command(flatten)]
    pub file: FleetFileArg,
    /// The desired state (default: the fleet file's `desired:`, else `schema`).
    #[arg(long, value_name = "PATH")]
    pub desired: Option<PathBuf>,
    /// A server for the shadow databases of every target (its user needs CREATEDB); default:
    /// an embedded cluster of each target's major version.
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
    /// Manage only this schema (repeatable), in every target.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Skip the rehearsals.
    #[arg(long)]
    pub no_rehearse: bool,
    /// Drop without keeping data in schemaplan_backup.
    #[arg(long)]
    pub no_backup: bool,
    /// Targets read, planned or applied at once (default: the fleet file's `concurrency`).
    #[arg(long, value_name = "N")]
    pub concurrency: Option<usize>,
    #[command(flatten)]
    pub output: OutputArgs,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FleetFormat {
    Human,
    Markdown,
    Json,
}

#[derive(Args)]
pub struct FleetPlanArgs {
    #[command(flatten)]
    pub common: FleetCommon,
    #[arg(long, value_enum, default_value = "human")]
    pub format: FleetFormat,
}

#[derive(Args)]
pub struct FleetApplyArgs {
    #[command(flatten)]
    pub common: FleetCommon,
    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Run only this phase on every target.
    #[arg(long, value_enum, default_value = "all")]
    pub phase: PhaseArg,
    /// Allow steps with these hazards (comma-separated, or `all`).
    #[arg(long, value_name = "KIND[,KIND…]", value_delimiter = ',')]
    pub allow_hazards: Vec<String>,
    /// Go on with the other targets and waves after a target fails or cannot be reached.
    #[arg(long)]
    pub keep_going: bool,
    /// Fail a target whose apply lock another session holds, instead of waiting.
    #[arg(long)]
    pub no_wait: bool,
    /// Leave an unfinished fleet run as it is and plan a new one.
    #[arg(long)]
    pub new_run: bool,
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
    #[arg(long, default_value_t = 5)]
    pub retries: u32,
    #[arg(long, value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,
}

#[derive(Args)]
pub struct FleetRollbackArgs {
    #[command(flatten)]
    pub file: FleetFileArg,
    /// The fleet run to undo (default: the latest).
    #[arg(long, value_name = "N")]
    pub run: Option<u32>,
    #[arg(long)]
    pub yes: bool,
    #[arg(long, value_name = "KIND[,KIND…]", value_delimiter = ',')]
    pub allow_hazards: Vec<String>,
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
    #[arg(long, default_value_t = 5)]
    pub retries: u32,
}

pub fn run(command: FleetCommand) -> Result<i32, Error> {
    match command {
        FleetCommand::Plan(args) => plan(args),
        FleetCommand::Apply(args) => apply(args),
        FleetCommand::Status(args) => status(args),
        FleetCommand::Rollback(args) => rollback(args),
        FleetCommand::Schema => {
            let schema = schemaplan::yaml::fleet::json_schema();
            println!("{}", serde_json::to_string_pretty(&schema).expect("JSON"));
            Ok(EXIT_OK)
        }
    }
}

fn load_fleet(path: &Path) -> Result<Fleet, Error> {
    schemaplan::yaml::fleet::load(path).map_err(|problems| Error::Usage(problems.join("\n")))
}

/// The fleet file, its targets, the desired state and the shadows.
struct Loaded {
    fleet: Fleet,
    targets: Vec<FleetTarget>,
    desired: Desired,
    shadows: FleetShadows,
    options: PlanOptions,
    concurrency: usize,
}

fn load(common: &FleetCommon, feedback: &Feedback) -> Result<Loaded, Error> {
    let fleet = load_fleet(&common.file.fleet)?;
    let path = (common.desired.clone())
        .or(fleet.desired.clone())
        .unwrap_or_else(|| PathBuf::from("schema"));
    let desired = super::connect::load_desired(&path)?;
    feedback.begin("listing the fleet's targets");
    let targets = fleet::resolve(&fleet, &Env::from_process())?;
    let shadows = FleetShadows::new(common.dev_url.as_deref(), feedback)?;
    let options = PlanOptions {
        schemas: common.schemas.clone(),
        rehearse: !common.no_rehearse,
        no_backup: common.no_backup,
        rehearse_data: 0,
        full_shadow: false,
    };
    let concurrency = common.concurrency.unwrap_or(fleet.concurrency).max(1);
    Ok(Loaded {
        fleet,
        targets,
        desired,
        shadows,
        options,
        concurrency,
    })
}

fn plan(args: FleetPlanArgs) -> Result<i32, Error> {
    let terminal = args.common.output.terminal();
    let feedback = Feedback::new(terminal.progress);
    let l = load(&args.common, &feedback)?;
    feedback.begin(&format!("planning {} targets", l.targets.len()));
    let planned = fleet_plan::plan(l.targets, &l.desired, &l.shadows, &l.options, l.concurrency)?;
    feedback.clear();
    match args.format {
        FleetFormat::Human => print!("{}", present::human(&planned, terminal.human())),
        FleetFormat::Markdown => print!("{}", present::markdown(&planned)),
        FleetFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&present::json(&planned)).expect("JSON")
        ),
    }
    Ok(exit_code(&planned))
}

fn exit_code(planned: &FleetPlan) -> i32 {
    let rehearsal_failed = (planned.outcomes.iter()).any(|o| match o {
        Outcome::Planned { saved, .. } => saved.rehearsal.as_ref().is_some_and(|r| !r.passed),
        _ => false,
    });
    let unplanned = (planned.outcomes.iter()).any(|o| !matches!(o, Outcome::Planned { .. }));
    if rehearsal_failed {
        EXIT_REHEARSAL_FAILED
    } else if unplanned {
        EXIT_ERROR
    } else if planned.pending() {
        EXIT_CHANGES
    } else {
        EXIT_OK
    }
}

fn phase_of(arg: PhaseArg) -> (Option<Phase>, &'static str) {
    match arg {
        PhaseArg::Expand => (Some(Phase::Expand), "expand"),
        PhaseArg::Backfill => (Some(Phase::Backfill), "backfill"),
        PhaseArg::Contract => (Some(Phase::Contract), "contract"),
        PhaseArg::All => (None, "all"),
    }
}

fn apply(args: FleetApplyArgs) -> Result<i32, Error> {
    let allowed = allowed_hazards(&args.allow_hazards)?;
    let terminal = args.common.output.terminal();
    let feedback = Feedback::new(terminal.progress);
    let l = load(&args.common, &feedback)?;
    let lock = StateLock::take(&l.fleet.state)?;
    let mut saved_state = state::load(&l.fleet.state)?;
    let (phase, phase_name) = phase_of(args.phase);
    let last = saved_state.runs.last().filter(|r| r.unfinished()).cloned();
    if let (Some(r), true) = (&last, args.new_run) {
        println!("Fleet run #{} is left unfinished (--new-run).", r.id);
        saved_state.runs.last_mut().expect("last").status = RunStatus::Abandoned;
        state::save(&l.fleet.state, &saved_state)?;
    }
    let pending = match last.filter(|_| !args.new_run) {
        Some(run) => resume(run, saved_state, &l, phase_name)?,
        None => {
            feedback.begin(&format!("planning {} targets", l.targets.len()));
            let planned = fleet_plan::plan(
                l.targets.clone(),
                &l.desired,
                &l.shadows,
                &l.options,
                l.concurrency,
            )?;
            feedback.clear();
            print!("{}", present::human(&planned, terminal.human()));
            if exit_code(&planned) == EXIT_REHEARSAL_FAILED {
                eprintln!("error: a rehearsal failed; nothing was applied");
                return Ok(EXIT_ERROR);
            }
            let waves = fleet::waves(&planned.targets, &l.fleet.canary, l.fleet.batch);
            fleet_apply::new_run(saved_state, &planned, &waves, &l.desired, phase_name)
        }
    };
    let mut refused = Vec::new();
    for (key, saved) in &pending.run.plans {
        // The steps this phase runs (a refusal of the phase is each target's own error).
        let all: Vec<usize> = (0..saved.plan.steps.len()).collect();
        let all =
            schemaplan::pg::apply::select_phase_among(&saved.plan, &all, phase).unwrap_or(all);
        let of: Vec<&str> = (pending.run.targets.iter())
            .filter(|t| t.plan.as_deref() == Some(key.as_str()) && !t.status.done())
            .map(|t| t.name.as_str())
            .collect();
        if of.is_empty() {
            continue;
        }
        for (hazard, steps) in schemaplan::pg::apply::unallowed_hazards(&saved.plan, &all, &allowed)
        {
            let objects: Vec<&str> = steps
                .iter()
                .map(|&i| saved.plan.steps[i].object.as_str())
                .collect();
            refused.push(format!(
                "{hazard} in {} ({}) of the plan of {}",
                objects.join(", "),
                steps.len(),
                of.join(", ")
            ));
        }
    }
    if !refused.is_empty() {
        for r in &refused {
            eprintln!("error: {r}");
        }
        eprintln!("nothing was applied; pass --allow-hazards to allow them");
        return Ok(EXIT_ERROR);
    }
    let to_run = (pending.run.targets.iter())
        .filter(|t| !t.status.done())
        .count();
    if to_run == 0 {
        println!("\nNothing to apply: every target is as the desired state says.");
        return Ok(EXIT_OK);
    }
    let question = format!(
        "Apply to {to_run} target(s) in {} wave(s)?",
        pending
            .run
            .targets
            .iter()
            .map(|t| t.wave)
            .max()
            .unwrap_or(0)
    );
    if !confirmed_with(args.yes, "apply", &question) {
        return Ok(EXIT_ERROR);
    }
    let options = fleet_apply::Options {
        plan: l.options.clone(),
        apply: apply_options(
            args.lock_timeout,
            args.retries,
            args.statement_timeout,
            false,
        ),
        phase,
        concurrency: l.concurrency,
        keep_going: args.keep_going,
        no_wait: args.no_wait,
    };
    let events = |e: Event<'_>| match e {
        Event::Wave {
            number,
            of,
            targets,
        } => {
            println!("\nWave {number} of {of}: {}", targets.join(", "))
        }
        Event::Unreachable { target, message } => {
            println!("  unreachable  {target}: {message}")
        }
        Event::Done { target, record } => println!(
            "  {:<11}  {target}{}{}",
            serde_json::to_value(record.status)
                .expect("serializes")
                .as_str()
                .unwrap_or("?"),
            record
                .migration
                .map(|m| format!(" (run #{m}, {} step(s))", record.steps))
                .unwrap_or_default(),
            record.message.map(|m| format!(": {m}")).unwrap_or_default()
        ),
    };
    let run = fleet_apply::run(
        pending,
        &l.targets,
        &l.fleet.state,
        &l.desired,
        &l.shadows,
        &options,
        &events,
    )?;
    drop(lock);
    if run.status == RunStatus::Completed {
        println!(
            "\nFleet run #{} completed; recorded in {}.",
            run.id,
            l.fleet.state.display()
        );
        Ok(EXIT_OK)
    } else {
        let left = run.targets.iter().filter(|t| !t.status.done()).count();
        eprintln!(
            "error: fleet run #{} halted with {left} target(s) not done; run `schemaplan fleet apply` again to carry it on",
            run.id
        );
        Ok(EXIT_ERROR)
    }
}

/// Carries on an unfinished fleet run: the same targets, the same desired state; targets it
/// could not plan are planned now.
fn resume(
    mut run: state::FleetRun,
    saved_state: state::State,
    l: &Loaded,
    phase: &str,
) -> Result<fleet_apply::Pending, Error> {
    let mut names: Vec<&str> = l.targets.iter().map(|t| t.name.as_str()).collect();
    let mut recorded: Vec<&str> = run.targets.iter().map(|t| t.name.as_str()).collect();
    names.sort_unstable();
    recorded.sort_unstable();
    if names != recorded || run.desired_digest != l.desired.digest || run.phase != phase {
        return Err(Error::Usage(format!(
            "fleet run #{} did not finish, and it was made for other targets, another desired \
             state or another phase; run the same `fleet apply` again to finish it, or pass \
             --new-run to leave it and plan anew",
            run.id
        )));
    }
    println!("Carrying on fleet run #{}:", run.id);
    let unplanned: Vec<FleetTarget> = (l.targets.iter())
        .filter(|t| run.target(&t.name).is_some_and(|r| r.plan.is_none()))
        .cloned()
        .collect();
    if !unplanned.is_empty() {
        let planned =
            fleet_plan::plan(unplanned, &l.desired, &l.shadows, &l.options, l.concurrency)?;
        for (t, o) in planned.targets.iter().zip(&planned.outcomes) {
            let r = run.target_mut(&t.name).expect("recorded");
            match o {
                Outcome::Planned { saved, .. } => {
                    let key = state::plan_key(saved);
                    run.plans.insert(key.clone(), (**saved).clone());
                    let r = run.target_mut(&t.name).expect("recorded");
                    r.plan = Some(key);
                    r.status = TargetStatus::Pending;
                    r.message = None;
                }
                Outcome::Unreachable(m) | Outcome::Failed(m) => r.message = Some(m.clone()),
            }
        }
    }
    print!("{}", present::run_table(&run));
    run.status = RunStatus::Running;
    Ok(fleet_apply::Pending {
        run,
        state: saved_state,
        resumed: true,
    })
}

fn status(args: FleetFileArg) -> Result<i32, Error> {
    let fleet = load_fleet(&args.fleet)?;
    let saved = state::load(&fleet.state)?;
    match saved.runs.last() {
        None => println!("No fleet run recorded in {}.", fleet.state.display()),
        Some(run) => print!("{}", present::run_table(run)),
    }
    Ok(EXIT_OK)
}

fn rollback(args: FleetRollbackArgs) -> Result<i32, Error> {
    let allowed = allowed_hazards(&args.allow_hazards)?;
    let fleet = load_fleet(&args.file.fleet)?;
    let targets = fleet::resolve(&fleet, &Env::from_process())?;
    let lock = StateLock::take(&fleet.state)?;
    let mut saved = state::load(&fleet.state)?;
    let index = match args.run {
        Some(n) => saved.runs.iter().position(|r| r.id == n),
        None => saved.runs.len().checked_sub(1),
    }
    .ok_or_else(|| Error::Usage(format!("no such fleet run in {}", fleet.state.display())))?;
    let run = saved.runs[index].clone();
    let mut order: Vec<&state::TargetRecord> = (run.targets.iter())
        .filter(|t| t.status == TargetStatus::Applied && t.migration.is_some())
        .collect();
    order.sort_by_key(|t| std::cmp::Reverse(t.wave));
    if order.is_empty() {
        println!(
            "Nothing to roll back: fleet run #{} applied nothing.",
            run.id
        );
        return Ok(EXIT_OK);
    }
    let question = format!(
        "Roll back fleet run #{} on {} target(s)?",
        run.id,
        order.len()
    );
    if !confirmed_with(args.yes, "roll back", &question) {
        return Ok(EXIT_ERROR);
    }
    let options = apply_options(args.lock_timeout, args.retries, None, false);
    let mut failed = false;
    for record in order {
        let Some(t) = targets.iter().find(|t| t.name == record.name) else {
            eprintln!(
                "  skipped      {}: no longer in the fleet file",
                record.name
            );
            failed = true;
            continue;
        };
        let result = rollback_one(t, record.migration.expect("applied"), &allowed, &options);
        let r = saved.runs[index]
            .target_mut(&record.name)
            .expect("recorded");
        match result {
            Ok(()) => {
                r.status = TargetStatus::RolledBack;
                println!("  rolled back  {}", record.name);
            }
            Err(why) => {
                r.message = Some(why.clone());
                eprintln!("  failed       {}: {why}", record.name);
                failed = true;
                break;
            }
        }
        state::save(&fleet.state, &saved)?;
    }
    if !failed {
        saved.runs[index].status = RunStatus::RolledBack;
    }
    state::save(&fleet.state, &saved)?;
    drop(lock);
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}

/// Undoes run `migration` on one target, if it is still that target's latest run.
fn rollback_one(
    t: &FleetTarget,
    migration: i64,
    allowed: &[schemaplan::plan::classify::Hazard],
    options: &schemaplan::pg::session::ApplyOptions,
) -> Result<(), String> {
    let writable = t.target.writable().map_err(|e| e.to_string())?;
    let mut client = schemaplan::pg::db::connect(&writable)
        .map_err(|e| e.to_string())?
        .client;
    schemaplan::pg::history::lock(&mut client, false, &mut |_| {}).map_err(|e| e.to_string())?;
    let rollback = match migrate::plan_rollback(&mut client, None) {
        Ok(r) => r,
        Err(RollbackRefusal::Error(e)) => return Err(e.to_string()),
        Err(refusal) => return Err(refusal.to_string()),
    };
    let latest = rollback.runs.first().map(|(m, _)| m.id);
    if latest != Some(migration) {
        return Err(format!(
            "its latest run is #{}, not the fleet's #{migration}: roll that back first",
            latest.unwrap_or(0)
        ));
    }
    for (run, steps) in &rollback.runs {
        let (plan, _) = migrate::undo_plan(run, steps);
        let all: Vec<usize> = (0..plan.steps.len()).collect();
        let refused = schemaplan::pg::apply::unallowed_hazards(&plan, &all, allowed);
        if let Some((hazard, _)) = refused.first() {
            return Err(format!(
                "{hazard} in its undo steps: pass --allow-hazards {hazard}"
            ));
        }
    }
    migrate::rollback(&mut client, &rollback, options, &mut |_, _| {}).map_err(|e| e.to_string())
}
