//! Command line: one file per subcommand. Exit codes are a contract: 0 success (or no changes),
//! 1 error, 2 changes pending (only with `plan --exit-code`).

mod apply;
mod args;
mod connect;
mod feedback;
mod inspect;
mod plan;
mod progress;
mod rollback;
mod status;
mod step_summary;
mod terminal;

use clap::{Parser, Subcommand};
use schemaplan::error::Error;
use schemaplan::yaml;

use args::{EXIT_ERROR, EXIT_OK};

#[derive(Parser)]
#[command(
    name = "schemaplan",
    version,
    about = "Declarative PostgreSQL schema management: plan and apply the way from the live schema to a YAML desired state"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show the SQL that takes the database to the desired state.
    Plan(plan::PlanArgs),
    /// Run that SQL.
    Apply(apply::ApplyArgs),
    /// Write the database's current schema in the desired-state format.
    Inspect(inspect::InspectArgs),
    /// Undo the latest applied run (or every run after `--to PLAN_ID`) with its recorded down
    /// SQL, putting dropped data back.
    Rollback(rollback::RollbackArgs),
    /// List the runs recorded in the database's history (schemaplan.migrations).
    Status(status::StatusArgs),
}

pub fn run() -> i32 {
    schemaplan::pg::interrupt::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Plan(args) => plan::run(args),
        Command::Apply(args) => apply::run(args),
        Command::Inspect(args) => inspect::run(args),
        Command::Rollback(args) => rollback::run(args),
        Command::Status(args) => status::run(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            EXIT_ERROR
        }
    }
}

fn report(e: &Error) {
    match e {
        Error::Load(yaml::LoadError::Invalid(_)) => eprintln!("{e}"),
        _ => eprintln!("error: {e}"),
    }
}
