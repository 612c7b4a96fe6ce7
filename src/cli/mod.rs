//! Command line: one file per subcommand. Exit codes are a contract: 0 success (or no changes),
//! 1 error, 2 changes pending (only with `plan --exit-code`).

mod apply;
mod inspect;
mod plan;
mod rollback;
mod status;

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use schemaplan::error::Error;
use schemaplan::pg::cluster::EmbeddedCluster;
use schemaplan::pg::db::{self, Server};
use schemaplan::yaml::{self, Desired};

pub const EXIT_OK: i32 = 0;
pub const EXIT_ERROR: i32 = 1;
pub const EXIT_CHANGES: i32 = 2;

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

/// Options shared by `plan` and `apply`.
#[derive(Args)]
pub struct Common {
    /// The target database (default: $DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// The desired state: a YAML file or a directory of them.
    #[arg(long, default_value = "schema", value_name = "PATH")]
    pub desired: PathBuf,
    /// A server for the shadow database (its user needs CREATEDB); default: an embedded,
    /// throwaway cluster started from the local PostgreSQL binaries.
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
    /// Manage only this schema (repeatable); default: every schema the desired state names,
    /// plus public.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
    /// Skip the rehearsal of the plan on a copy of the target's schema.
    #[arg(long)]
    pub no_rehearse: bool,
    /// Drop columns, tables and sequences without keeping their data in schemaplan_backup
    /// (those steps then cannot be rolled back).
    #[arg(long)]
    pub no_backup: bool,
    /// Rehearse on up to N rows of every table, copied from the target (the shadow server's
    /// user must be a superuser); the down steps must then give back the same data.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub rehearse_data: u64,
    /// Print how long each phase took (reading the target, the shadow database, diff and
    /// ordering, rehearsal, apply) to standard error.
    #[arg(long)]
    pub timings: bool,
}

/// One line per phase, on standard error (stdout carries the plan).
pub fn print_timings(laps: &[(&str, std::time::Duration)]) {
    for (phase, took) in laps {
        eprintln!("timing: {phase}: {:.2} s", took.as_secs_f64());
    }
}

impl Common {
    pub fn plan_options(&self) -> schemaplan::pipeline::PlanOptions {
        schemaplan::pipeline::PlanOptions {
            schemas: self.schemas.clone(),
            rehearse: !self.no_rehearse,
            no_backup: self.no_backup,
            rehearse_data: self.rehearse_data,
        }
    }
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

/// Where a command's databases live: the target, and a server for shadow databases.
pub struct Databases {
    pub target: postgres::Client,
    pub target_label: String,
    pub shadow: Server,
    /// Kept alive while the databases are in use; removed on drop.
    _cluster: Option<Arc<EmbeddedCluster>>,
    _scratch_target: Option<db::ScratchDatabase>,
}

impl Databases {
    /// Connects to the target, or — when `allow_embedded_target` and no URL is given — creates
    /// an empty database in an embedded cluster.
    pub fn open(common: &Common, allow_embedded_target: bool) -> Result<Databases, Error> {
        let mut cluster: Option<Arc<EmbeddedCluster>> = None;
        let mut embedded = || -> Result<Arc<EmbeddedCluster>, Error> {
            if cluster.is_none() {
                cluster = Some(Arc::new(EmbeddedCluster::start()?));
            }
            Ok(cluster.clone().expect("started above"))
        };
        let (target, target_label, scratch) = match &common.database_url {
            Some(url) => (db::connect(url)?, db::redact(url), None),
            None if allow_embedded_target => {
                eprintln!(
                    "note: no --database-url and no DATABASE_URL: planning against an empty embedded database"
                );
                let server = Server::embedded(embedded()?);
                let scratch = server.scratch_database("target")?;
                let client = scratch
                    .config()?
                    .connect(postgres::NoTls)
                    .map_err(|source| db::DbError::Connect {
                        target: "the embedded target".into(),
                        source,
                    })?;
                (
                    client,
                    "an empty embedded database".to_string(),
                    Some(scratch),
                )
            }
            None => {
                return Err(Error::Usage(
                    "no target database: pass --database-url or set DATABASE_URL".into(),
                ));
            }
        };
        let shadow = match &common.dev_url {
            Some(url) => Server::from_url(url),
            None => Server::embedded(embedded()?),
        };
        Ok(Databases {
            target,
            target_label,
            shadow,
            _cluster: cluster,
            _scratch_target: scratch,
        })
    }
}

/// Connects to the target alone (commands that need no shadow).
pub fn connect_target(common: &Common) -> Result<(postgres::Client, String), Error> {
    connect_url(common.database_url.as_deref())
}

pub fn connect_url(url: Option<&str>) -> Result<(postgres::Client, String), Error> {
    let url = url.ok_or_else(|| {
        Error::Usage("no target database: pass --database-url or set DATABASE_URL".into())
    })?;
    let client = db::connect(url)?;
    Ok((client, db::redact(url)))
}

pub fn load_desired(path: &std::path::Path) -> Result<Desired, Error> {
    Ok(yaml::load_path(path)?)
}
