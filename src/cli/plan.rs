//! `schemaplan plan`: show the way from the database to the desired state.

use clap::{Args, ValueEnum};
use schemaplan::Error;
use schemaplan::pipeline;

use super::{Common, Databases, EXIT_CHANGES, EXIT_OK};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Human,
    Sql,
    Json,
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
}

pub fn run(args: PlanArgs) -> Result<i32, Error> {
    let desired = super::load_desired(&args.common.desired)?;
    let mut dbs = Databases::open(&args.common, true)?;
    let planned = pipeline::plan(
        &mut dbs.target,
        &desired,
        &dbs.shadow,
        &args.common.plan_options(),
    )?;
    let plan = &planned.plan;
    match args.format {
        Format::Human => print!("{}", plan.to_human()),
        Format::Sql => print!("{}", plan.to_sql()),
        Format::Json => println!("{}", plan.to_json()),
    }
    Ok(if args.exit_code && !plan.is_empty() {
        EXIT_CHANGES
    } else {
        EXIT_OK
    })
}
