//! `schemaplan apply`: show the plan, check its hazards, confirm, run it.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use clap::{Args, ValueEnum};
use schemaplan::apply::{self, ApplyOptions, Progress};
use schemaplan::classify::{Hazard, Phase};
use schemaplan::{Error, pipeline};

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
    #[command(flatten)]
    pub common: Common,
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

fn allowed_hazards(names: &[String]) -> Result<Vec<Hazard>, Error> {
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
    let desired = super::load_desired(&args.common.desired)?;
    let mut dbs = Databases::open(&args.common, false)?;
    let planned = pipeline::plan(
        &mut dbs.target,
        &desired,
        &dbs.shadow,
        &args.common.plan_options(),
    )?;
    let plan = &planned.plan;
    let observations = planned
        .rehearsal
        .as_ref()
        .map(|r| r.observations.as_slice());
    print!("{}", plan.to_human(observations));
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
    let phase = match args.phase {
        PhaseArg::Expand => Some(Phase::Expand),
        PhaseArg::Backfill => Some(Phase::Backfill),
        PhaseArg::Contract => Some(Phase::Contract),
        PhaseArg::All => None,
    };
    let selected = match apply::select_phase(plan, phase) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("error: {why}");
            return Ok(EXIT_ERROR);
        }
    };
    if selected.is_empty() {
        println!(
            "\nNo {} steps to apply.",
            phase.map(|p| p.to_string()).unwrap_or_default()
        );
        return Ok(EXIT_OK);
    }
    let refused = apply::unallowed_hazards(plan, &selected, &allowed);
    if !refused.is_empty() {
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
        return Ok(EXIT_ERROR);
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            eprintln!("error: refusing to apply without --yes: stdin is not a terminal");
            return Ok(EXIT_ERROR);
        }
        print!(
            "\nApply {} step(s) to {}? [y/N] ",
            selected.len(),
            dbs.target_label
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            eprintln!("Aborted: nothing was applied.");
            return Ok(EXIT_ERROR);
        }
    }
    let options = ApplyOptions {
        lock_timeout: args.lock_timeout,
        retries: args.retries,
        statement_timeout: args.statement_timeout,
        atomic: args.atomic,
        ..ApplyOptions::default()
    };
    println!("\nApplying to {}:", dbs.target_label);
    apply::apply(
        &mut dbs.target,
        plan,
        &selected,
        &options,
        &mut |p| match p {
            Progress::Done {
                index,
                total,
                step,
                elapsed,
                attempts,
            } => println!(
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
            ),
            Progress::Retrying {
                index,
                step,
                attempt,
                wait,
            } => println!(
                "  [{}] {} {} timed out waiting for a lock; retry {attempt} in {} ms",
                index + 1,
                step.kind.replace('_', " "),
                step.object,
                wait.as_millis()
            ),
        },
    )?;
    println!("Applied {} step(s).", selected.len());
    Ok(EXIT_OK)
}
