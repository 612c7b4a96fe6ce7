//! `schemaplan plan`: show the way from the database to the desired state.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use schemaplan::error::Error;
use schemaplan::pipeline;
use schemaplan::plan::fingerprint;
use schemaplan::plan::present::{MARKDOWN_CAP, Role};
use schemaplan::plan::steps::{SavedPlan, SavedRehearsal};
use schemaplan::yaml::Desired;

use super::args::{Common, EXIT_CHANGES, EXIT_OK, EXIT_REHEARSAL_FAILED, parse_duration};
use super::connect::Databases;
use super::feedback::Feedback;

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    /// A script for psql, with the timeouts `apply` would use and each step's hazards and locks.
    Sql,
    Json,
    /// For a pull-request comment: counts, hazards first, each step's SQL folded away.
    Markdown,
}

#[derive(Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: Common,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Exit with 2 when changes are pending (0 when there are none).
    #[arg(long)]
    pub exit_code: bool,
    /// Also save the plan to this file, for `schemaplan apply FILE` (which runs exactly it, and
    /// only on the schema it was made from).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The `lock_timeout` the SQL script sets (`--format sql`; `apply --lock-timeout` is the
    /// same for apply).
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
    /// The `statement_timeout` the SQL script sets (`--format sql`).
    #[arg(long, value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,
}

pub fn run(args: PlanArgs) -> Result<i32, Error> {
    let terminal = args.common.output.terminal();
    let feedback = Feedback::new(terminal.progress);
    // The YAML loads while the target is connected to and its catalog read (each takes about a
    // second on GitLab's schema); the desired state's problems are reported first, whatever
    // else failed meanwhile.
    let path = args.common.desired.clone();
    let loading = std::thread::spawn(move || super::connect::load_desired(&path));
    let loaded = |loading: std::thread::JoinHandle<Result<Desired, Error>>| {
        loading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    };
    // An empty embedded target only for a plan someone reads: with --exit-code a missing
    // target would look like a pending migration.
    let mut dbs = match Databases::open(&args.common, !args.exit_code, false, &feedback) {
        Ok(dbs) => dbs,
        Err(e) => {
            loaded(loading)?;
            return Err(e);
        }
    };
    let options = args.common.plan_options();
    // A large catalog is read on a second session too (same settings, same snapshot).
    let more = dbs.target_sessions();
    let read = pipeline::read_target_with(&mut dbs.target, more, &options, &mut feedback.clone());
    let read = match read {
        Ok(read) => read,
        Err(e) => {
            loaded(loading)?;
            return Err(e);
        }
    };
    let waiting = std::time::Instant::now();
    let desired = loaded(loading)?;
    // The YAML took longer to load than the target's catalog to read by this much.
    let waited = waiting.elapsed();
    if dbs.embedded_target {
        let note = "Target: an empty embedded database (no --database-url, DATABASE_URL, \
                    PGHOST, PGDATABASE or PGSERVICE names one)";
        feedback.say(|| match args.format {
            Format::Human => println!("{note}\n"),
            Format::Sql => println!("-- {note}\n"),
            Format::Markdown => println!("_{note}._\n"),
            Format::Json => eprintln!("{note}"),
        });
    }
    let mut planned = pipeline::plan_read(
        &mut dbs.target,
        read,
        &desired,
        &dbs.shadow,
        &options,
        &mut feedback.clone(),
    )?;
    feedback.clear();
    if args.common.timings {
        let after_read = planned.timings.len().min(1);
        planned
            .timings
            .insert(after_read, ("load the YAML (beyond the read)", waited));
        super::progress::print_timings(&planned.timings);
    }
    let plan = &planned.plan;
    let rehearsal = planned.rehearsal.as_ref();
    let verdict = rehearsal.map(|r| r.summary(plan));
    let markdown = || plan.to_markdown(verdict.as_deref(), MARKDOWN_CAP);
    match args.format {
        Format::Human => {
            print!(
                "{}",
                plan.to_human(
                    rehearsal.map(|r| r.observations.as_slice()),
                    terminal.human()
                )
            );
            if let Some(r) = rehearsal {
                let role = if r.passed() { Role::Good } else { Role::Hazard };
                println!("\n{}", terminal.stdout.paint(role, &r.summary(plan)));
            }
        }
        Format::Sql => print!(
            "{}",
            plan.to_script(args.lock_timeout, args.statement_timeout)
        ),
        Format::Markdown => print!("{}", markdown()),
        Format::Json => {
            let mut value = serde_json::to_value(plan).expect("a plan serializes");
            if let Some(r) = rehearsal {
                value["rehearsal"] = serde_json::json!({
                    "summary": r.summary(plan),
                    "passed": r.passed(),
                });
            }
            println!("{}", serde_json::to_string_pretty(&value).expect("JSON"));
        }
    }
    super::step_summary::write_step_summary(&markdown())?;
    if let Some(path) = &args.out {
        let saved = SavedPlan {
            format: SavedPlan::FORMAT,
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            schemas: planned.schemas.clone(),
            objects: fingerprint::keep(&planned.objects, &plan.touched()),
            rehearsal: rehearsal.map(|r| SavedRehearsal {
                passed: r.passed(),
                summary: r.summary(plan),
            }),
            plan: plan.clone(),
        };
        std::fs::write(path, saved.to_json()).map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?;
        eprintln!(
            "Saved plan {} to {}: `schemaplan apply {}` runs it.",
            plan.id,
            path.display(),
            path.display()
        );
    }
    let code = if rehearsal.is_some_and(|r| !r.passed()) {
        eprintln!(
            "error: the rehearsal failed (see above): applying this plan would not reach the \
             desired state; exit code {EXIT_REHEARSAL_FAILED}"
        );
        EXIT_REHEARSAL_FAILED
    } else if args.exit_code && !plan.is_empty() {
        EXIT_CHANGES
    } else {
        EXIT_OK
    };
    // The process ends with this command: freeing the models one allocation at a time would
    // only delay the exit (0.4 s at 10,000 tables). Plain data, nothing to close; the
    // databases and the embedded cluster in `dbs` are still dropped and stopped.
    std::mem::forget(planned);
    std::mem::forget(desired);
    Ok(code)
}
