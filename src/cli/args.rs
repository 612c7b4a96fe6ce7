//! What the subcommands share on the command line: exit codes, the options of `plan` and
//! `apply`, and the flags `apply` and `rollback` both take.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use schemaplan::error::Error;
use schemaplan::pg::session::ApplyOptions;
use schemaplan::plan::classify::Hazard;

use super::terminal::OutputArgs;

pub const EXIT_OK: i32 = 0;
pub const EXIT_ERROR: i32 = 1;
pub const EXIT_CHANGES: i32 = 2;
/// `plan`: the plan was made, but its rehearsal failed (a step failed, the result differs from
/// the desired state, or the down steps do not restore the start): applying it would not
/// converge, so CI must not go on.
pub const EXIT_REHEARSAL_FAILED: i32 = 3;

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
    /// Manage only this schema (repeatable); default: the whole database (every schema of the
    /// target but extensions' and schemaplan's own, every schema the desired state names, and
    /// public): a schema the desired state lacks is dropped.
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
    /// Create the whole desired state in the shadow database, and rehearse on a copy of the
    /// whole schema, not only on the objects that differ from the target (and what they need):
    /// the same plan and rehearsal, slower; for comparing the two.
    #[arg(long)]
    pub full_shadow: bool,
    /// Print how long each phase took (reading the target, the shadow database, diff and
    /// ordering, rehearsal, apply) to standard error.
    #[arg(long)]
    pub timings: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

impl Common {
    pub fn plan_options(&self) -> schemaplan::pipeline::PlanOptions {
        schemaplan::pipeline::PlanOptions {
            schemas: self.schemas.clone(),
            rehearse: !self.no_rehearse,
            no_backup: self.no_backup,
            rehearse_data: self.rehearse_data,
            full_shadow: self.full_shadow,
        }
    }
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

/// `--allow-hazards`: hazard names, or `all`.
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

/// `ApplyOptions` from the flags `apply` and `rollback` share.
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
