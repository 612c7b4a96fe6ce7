//! `schemaplan apply`: show the plan, confirm, run it.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;
use schemaplan::{Error, apply, pipeline};

use super::{Common, Databases, EXIT_ERROR, EXIT_OK};

#[derive(Args)]
pub struct ApplyArgs {
    #[command(flatten)]
    pub common: Common,
    /// Apply without asking (required when stdin is not a terminal).
    #[arg(long)]
    pub yes: bool,
}

pub fn run(args: ApplyArgs) -> Result<i32, Error> {
    let desired = super::load_desired(&args.common.desired)?;
    let mut dbs = Databases::open(&args.common, false)?;
    let planned = pipeline::plan(
        &mut dbs.target,
        &desired,
        &dbs.shadow,
        &args.common.plan_options(),
    )?;
    let plan = &planned.plan;
    print!("{}", plan.to_human());
    if plan.is_empty() {
        return Ok(EXIT_OK);
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            eprintln!("error: refusing to apply without --yes: stdin is not a terminal");
            return Ok(EXIT_ERROR);
        }
        print!(
            "\nApply {} step(s) to {}? [y/N] ",
            plan.steps.len(),
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
    println!("\nApplying to {}:", dbs.target_label);
    apply::apply(&mut dbs.target, plan, &mut |p| {
        println!(
            "  [{}/{}] {} {} ... ok ({} ms)",
            p.index + 1,
            p.total,
            p.step.kind.replace('_', " "),
            p.step.object,
            p.elapsed.as_millis()
        );
    })?;
    println!("Applied {} step(s).", plan.steps.len());
    Ok(EXIT_OK)
}
