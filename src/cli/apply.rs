//! `schemaplan apply`: take the apply lock, show the plan, check its hazards, confirm, run it
//! while recording it in the history. `apply PLAN_FILE` runs a plan saved by `plan --out`,
//! only on the schema it was made for.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, ValueEnum};
use postgres::Client;
use schemaplan::pg::apply::{self, Progress};
use schemaplan::pg::history;
use schemaplan::pg::migrate::{self, SavedState, Start};
use schemaplan::pg::session::ApplyOptions;
use schemaplan::plan::classify::{Hazard, Phase};
use schemaplan::plan::steps::{Plan, SavedPlan};
use schemaplan::{error::Error, pipeline};

use super::{Common, Databases, EXIT_ERROR, EXIT_OK};

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

/// `2s`, `500ms`, `1m`, or a number of seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration (like 2s, 500ms, 1m)"))?;
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => Ok(Duration::from_secs(n)),
        "m" | "min" => Ok(Duration::from_secs(n * 60)),
        _ => Err(format!("`{text}` is not a duration (like 2s, 500ms, 1m)")),
    }
}

pub fn allowed_hazards(names: &[String]) -> Result<Vec<Hazard>, Error> {
    let mut out = Vec::new();
    for name in names {
        if name.trim().eq_ignore_ascii_case("all") {
            return Ok(Hazard::ALL.to_vec());
        }
        match Hazard::parse(name) {
            Some(h) => out.push(h),
            None => {
                let known: Vec<&str> = Hazard::ALL.iter().map(|h| h.name()).collect();
                return Err(Error::Usage(format!(
                    "unknown hazard `{name}` in --allow-hazards (known: {}, or all)",
                    known.join(", ")
                )));
            }
        }
    }
    Ok(out)
}

pub fn run(args: ApplyArgs) -> Result<i32, Error> {
    let allowed = allowed_hazards(&args.allow_hazards)?;
    match &args.plan_file {
        Some(path) => run_saved(&args, path, &allowed),
        None => run_desired(&args, &allowed),
    }
}

/// Takes the apply lock on the target, saying whom it waits for.
pub fn take_lock(client: &mut Client, no_wait: bool) -> Result<(), Error> {
    history::lock(client, no_wait, &mut |holder| {
        eprintln!(
            "waiting for another schemaplan session to finish with this database ({holder}); --no-wait fails instead"
        )
    })?;
    Ok(())
}

fn run_desired(args: &ApplyArgs, allowed: &[Hazard]) -> Result<i32, Error> {
    let desired = super::load_desired(&args.common.desired)?;
    let mut dbs = Databases::open(&args.common, false)?;
    // Planning happens under the lock, so that a second apply plans from what the first left.
    take_lock(&mut dbs.target, args.no_wait)?;
    let planned = pipeline::plan(
        &mut dbs.target,
        &desired,
        &dbs.shadow,
        &args.common.plan_options(),
    )?;
    if args.common.timings {
        super::print_timings(&planned.timings);
    }
    let plan = &planned.plan;
    let observations = planned
        .rehearsal
        .as_ref()
        .map(|r| r.observations.as_slice());
    print!("{}", plan.to_human(observations));
    if plan.is_empty() {
        if let Some(id) = migrate::settle_unfinished(&mut dbs.target, &planned.schemas)? {
            println!("Run #{id} had applied all its steps; it is now recorded as completed.");
        }
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
    let (journal, start) = migrate::start(&mut dbs.target, plan, &selected, &planned.schemas)?;
    run_recorded(
        &mut dbs.target,
        &dbs.target_label,
        plan,
        &selected,
        args,
        journal,
        start,
        &planned.schemas,
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
    let (mut target, label) = super::connect_target(&args.common)?;
    take_lock(&mut target, args.no_wait)?;
    let plan = &saved.plan;
    let state = migrate::check_saved(&mut target, &saved)?;
    print!("{}", plan.to_human(None));
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
                "\nPlan {} was applied already (run #{migration}), and the schema is as it left it: nothing to do.",
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
        Some((migration, positions)) => {
            let selected: Vec<usize> = positions.keys().copied().collect();
            if selected.len() < pending.len() {
                println!(
                    "Run #{migration} of this plan stopped; it goes on with its {} remaining step(s) (apply again for the rest).",
                    selected.len()
                );
            }
            (selected, Some((migration, positions)))
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
        Some((migration, positions)) => {
            let done = history::steps(&mut target, migration)?
                .iter()
                .filter(|s| s.status == "completed")
                .count() as i32;
            let journal = history::resume(&mut target, migration, plan, positions)?;
            let start = Start::Continued {
                migration,
                plan_id: plan.id.clone(),
                done,
            };
            (journal, start)
        }
        None => migrate::start(&mut target, plan, &selected, &saved.schemas)?,
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
    }
    let flag: Vec<&str> = refused.iter().map(|(h, _)| h.name()).collect();
    eprintln!(
        "nothing was applied; to allow these steps, pass --allow-hazards {}",
        flag.join(",")
    );
    false
}

/// `--yes`, or the answer to a question on a terminal; `verb` names what is refused.
pub fn confirmed_with(yes: bool, verb: &str, question: &str) -> bool {
    if yes {
        return true;
    }
    if !std::io::stdin().is_terminal() {
        eprintln!("error: refusing to {verb} without --yes: stdin is not a terminal");
        return false;
    }
    print!("\n{question} [y/N] ");
    let _ = std::io::stdout().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        true
    } else {
        eprintln!("Aborted: nothing was changed.");
        false
    }
}

fn confirmed(args: &ApplyArgs, selected: &[usize], label: &str) -> bool {
    confirmed_with(
        args.yes,
        "apply",
        &format!("Apply {} step(s) to {label}?", selected.len()),
    )
}

pub fn apply_options(
    lock_timeout: Duration,
    retries: u32,
    statement_timeout: Option<Duration>,
    atomic: bool,
) -> ApplyOptions {
    ApplyOptions {
        lock_timeout,
        retries,
        statement_timeout,
        atomic,
        ..ApplyOptions::default()
    }
}

/// Prints progress: one line per finished or retried step, and for a hook's batches a
/// progress bar redrawn in place on a terminal, or a plain line every few seconds elsewhere
/// (CI logs).
pub struct Printer {
    terminal: bool,
    /// When the last batch line was printed, and whether a bar is drawn on the current line.
    last_batch: Option<std::time::Instant>,
    bar_open: bool,
}

impl Printer {
    pub fn new() -> Self {
        use std::io::IsTerminal;
        Printer {
            terminal: std::io::stdout().is_terminal(),
            last_batch: None,
            bar_open: false,
        }
    }

    fn end_bar(&mut self) {
        if self.bar_open {
            println!();
            self.bar_open = false;
        }
    }

    pub fn print(&mut self, p: Progress<'_>) {
        match p {
            Progress::Done {
                index,
                total,
                step,
                elapsed,
                attempts,
            } => {
                self.end_bar();
                self.last_batch = None;
                println!(
                    "  [{}/{total}] {} {} ... ok ({} ms{})",
                    index + 1,
                    step.kind.replace('_', " "),
                    step.object,
                    elapsed.as_millis(),
                    if attempts > 1 {
                        format!(", {attempts} attempts")
                    } else {
                        String::new()
                    }
                )
            }
            Progress::Retrying {
                index,
                step,
                attempt,
                wait,
            } => {
                self.end_bar();
                println!(
                    "  [{}] {} {} did not get its locks (lock timeout or deadlock); retry {attempt} in {} ms",
                    index + 1,
                    step.kind.replace('_', " "),
                    step.object,
                    wait.as_millis()
                )
            }
            Progress::Batch { index, step, tally } => {
                let now = std::time::Instant::now();
                let every = if self.terminal {
                    std::time::Duration::from_millis(100)
                } else {
                    std::time::Duration::from_secs(5)
                };
                let finished = tally.rows >= tally.total;
                if !finished && self.last_batch.is_some_and(|t| now - t < every) {
                    return;
                }
                self.last_batch = Some(now);
                let line = batch_line(index, &step.object, tally, self.terminal);
                if self.terminal {
                    use std::io::Write;
                    print!("\r\x1b[2K{line}");
                    let _ = std::io::stdout().flush();
                    self.bar_open = true;
                } else {
                    println!("{line}");
                }
            }
        }
    }
}

impl Default for Printer {
    fn default() -> Self {
        Self::new()
    }
}

/// `  [3] hook x [######......] 45,000/100,000 rows  12,345 rows/s  ETA 4 s`
fn batch_line(index: usize, object: &str, t: schemaplan::pg::hookrun::Tally, bar: bool) -> String {
    let secs = t.elapsed.as_secs_f64();
    let rate = if secs > 0.0 {
        t.rows_this_run as f64 / secs
    } else {
        0.0
    };
    let left = (t.total - t.rows).max(0);
    let eta = if rate > 0.0 {
        format!("ETA {}", human_secs(left as f64 / rate))
    } else {
        "ETA ?".into()
    };
    let drawn = if bar {
        let width = 24usize;
        let filled = if t.total > 0 {
            ((t.rows as f64 / t.total as f64) * width as f64).round() as usize
        } else {
            width
        }
        .min(width);
        format!(" [{}{}]", "#".repeat(filled), ".".repeat(width - filled))
    } else {
        String::new()
    };
    format!(
        "  [{}] {object}{drawn} {}/{} rows  {} rows/s  {eta}",
        index + 1,
        thousands(t.rows),
        thousands(t.total),
        thousands(rate.round() as i64)
    )
}

fn human_secs(s: f64) -> String {
    if s >= 90.0 {
        format!("{}m{:02}s", (s / 60.0) as u64, (s % 60.0) as u64)
    } else {
        format!("{:.0}s", s.ceil())
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
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
    let mut printer = Printer::new();
    let started = std::time::Instant::now();
    let outcome = apply::apply(target, plan, selected, &options, Some(&journal), &mut |p| {
        printer.print(p)
    });
    if args.common.timings {
        super::print_timings(&[("apply", started.elapsed())]);
    }
    migrate::finish(target, &journal, &outcome, schemas)?;
    outcome?;
    println!(
        "Applied {} step(s); recorded as run #{} in schemaplan.migrations.",
        selected.len(),
        journal.migration
    );
    Ok(EXIT_OK)
}
