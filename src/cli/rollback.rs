//! `schemaplan rollback [--to PLAN_ID]`: undo recorded runs with their down SQL, newest first.

use std::time::Duration;

use clap::Args;
use schemaplan::error::Error;
use schemaplan::pg::migrate::{self, RollbackRefusal};

use schemaplan::pg::apply;

use super::args::{EXIT_ERROR, EXIT_OK, allowed_hazards, apply_options, parse_duration};
use super::connect::take_lock;
use super::feedback::Feedback;
use super::progress::{Printer, confirmed_with};

#[derive(Args)]
pub struct RollbackArgs {
    /// The target database (default: $DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Undo every run applied after the latest completed run of this plan (which stays
    /// applied); default: undo the latest run.
    #[arg(long, value_name = "PLAN_ID")]
    pub to: Option<String>,
    /// Roll back without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
    /// Show what would be undone, and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Allow undo steps with these hazards (comma-separated, or `all`). Undoing an added column
    /// or table drops what was written to it since (DeletesData), which is refused otherwise.
    #[arg(long, value_name = "KIND[,KIND…]", value_delimiter = ',')]
    pub allow_hazards: Vec<String>,
    /// Fail at once when another apply or rollback holds the lock on the database.
    #[arg(long)]
    pub no_wait: bool,
    /// How long a statement may wait for a lock before the step is retried.
    #[arg(long, default_value = "2s", value_parser = parse_duration)]
    pub lock_timeout: Duration,
    /// How many times a step that timed out waiting for a lock is retried.
    #[arg(long, default_value_t = 5)]
    pub retries: u32,
    /// Cancel any statement that runs longer than this.
    #[arg(long, value_parser = parse_duration)]
    pub statement_timeout: Option<Duration>,
}

pub fn run(args: RollbackArgs) -> Result<i32, Error> {
    let allowed = allowed_hazards(&args.allow_hazards)?;
    let feedback = Feedback::new(super::terminal::default_progress());
    let (mut client, label, _) =
        super::connect::connect_target(args.database_url.as_deref(), true, &feedback)?;
    take_lock(&mut client, args.no_wait, &feedback)?;
    feedback.clear();
    let rollback = match migrate::plan_rollback(&mut client, args.to.as_deref()) {
        Ok(r) => r,
        Err(RollbackRefusal::Error(e)) => return Err(e.into()),
        Err(refusal @ (RollbackRefusal::NoHistory | RollbackRefusal::Nothing(_))) => {
            println!("{}", capitalize(&refusal.to_string()));
            return Ok(EXIT_OK);
        }
        Err(refusal) => {
            eprintln!("error: {refusal}");
            eprintln!("nothing was rolled back");
            return Ok(EXIT_ERROR);
        }
    };
    let total: usize = rollback.runs.iter().map(|(_, s)| s.len()).sum();
    println!(
        "Rollback: {total} step(s) of {} run(s)",
        rollback.runs.len()
    );
    if let Some(why) = &rollback.unchecked {
        println!("note: the schema was not compared with the run's end state: {why}");
    }
    for (run, steps) in &rollback.runs {
        println!(
            "\n== run #{} (plan {}, {}) ==",
            run.id,
            run.plan_id,
            run.status.as_str()
        );
        for s in steps {
            println!(
                "\n  undo step {}: {} {}",
                s.position,
                s.kind.replace('_', " "),
                s.object
            );
            if !s.down_hazards.is_empty() {
                println!("    !! hazards: {}", s.down_hazards.join(", "));
            }
            for stmt in s.down.as_deref().unwrap_or_default() {
                for line in stmt.lines() {
                    println!("    {line}");
                }
            }
        }
    }
    if args.dry_run {
        return Ok(EXIT_OK);
    }
    let mut refused: Vec<(String, Vec<String>)> = Vec::new();
    for (run, steps) in &rollback.runs {
        let (plan, _) = migrate::undo_plan(run, steps);
        let all: Vec<usize> = (0..plan.steps.len()).collect();
        for (hazard, indexes) in apply::unallowed_hazards(&plan, &all, &allowed) {
            let names = indexes.iter().map(|&i| {
                format!(
                    "undo {} {}",
                    steps[i].kind.replace('_', " "),
                    steps[i].object
                )
            });
            match refused.iter_mut().find(|(h, _)| *h == hazard.name()) {
                Some((_, list)) => list.extend(names),
                None => refused.push((hazard.name().to_string(), names.collect())),
            }
        }
    }
    if !refused.is_empty() {
        for (hazard, steps) in &refused {
            eprintln!(
                "error: {hazard} in {} step(s): {}",
                steps.len(),
                steps.join("; ")
            );
        }
        let flag: Vec<&str> = refused.iter().map(|(h, _)| h.as_str()).collect();
        eprintln!(
            "nothing was rolled back; to allow these steps, pass --allow-hazards {}",
            flag.join(",")
        );
        return Ok(EXIT_ERROR);
    }
    if !confirmed_with(
        args.yes,
        "roll back",
        &format!("Roll back {total} step(s) on {label}?"),
    ) {
        return Ok(EXIT_ERROR);
    }
    println!("\nRolling back on {label}:");
    let options = apply_options(
        args.lock_timeout,
        args.retries,
        args.statement_timeout,
        false,
    );
    let mut printer = Printer::new(feedback.clone());
    migrate::rollback(&mut client, &rollback, &options, &mut |_, p| {
        printer.print(p)
    })?;
    feedback.clear();
    println!("Rolled back {total} step(s).");
    Ok(EXIT_OK)
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
