//! Command line: one file per subcommand. Exit codes are a contract: 0 success (or no changes),
//! 1 error, 2 changes pending (only with `plan --exit-code`), 3 a plan whose rehearsal failed,
//! 130 interrupted; `help` writes them after the options of `--help`.

mod annotations;
mod apply;
mod args;
mod connect;
mod feedback;
mod fleet;
mod fleet_present;
mod help;
mod inspect;
mod plan;
mod progress;
mod rollback;
mod schema;
mod status;
mod step_summary;
mod terminal;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
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
    /// Print the JSON Schema of the desired-state YAML (for editors and CI checks).
    Schema,
    /// Plan and apply one desired state across many databases (a fleet file lists them).
    #[command(subcommand)]
    Fleet(fleet::FleetCommand),
    /// Print the shell completion script for bash, zsh, fish, elvish or powershell.
    Completions(schema::CompletionsArgs),
}

/// The command line as `--help` shows it: clap's, with examples and exit codes.
fn command() -> clap::Command {
    help::with_examples(Cli::command())
}

pub fn run() -> i32 {
    schemaplan::pg::interrupt::install();
    let parsed = command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
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
        Command::Schema => schema::schema(),
        Command::Fleet(command) => fleet::run(command),
        Command::Completions(args) => schema::completions(args, command()),
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
        Error::Load(yaml::LoadError::Invalid(problems)) => {
            eprintln!("{e}");
            annotations::print_problems(problems);
        }
        _ => {
            eprintln!("error: {e}");
            annotations::print_error(&e.to_string());
        }
    }
}
