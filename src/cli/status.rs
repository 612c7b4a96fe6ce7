//! `schemaplan status`: the runs recorded in the database's history, and whether the schema
//! changed since the latest one completed.

use clap::Args;
use schemaplan::pg::history::{self, Status};
use schemaplan::{error::Error, pg::introspect, plan::fingerprint};

use super::args::EXIT_OK;

#[derive(Args)]
pub struct StatusArgs {
    /// The target database (default: $DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub database_url: Option<String>,
}

pub fn run(args: StatusArgs) -> Result<i32, Error> {
    let quiet = super::feedback::Feedback::new(super::terminal::Mode::Quiet);
    let (mut client, label, _) =
        super::connect::connect_target(args.database_url.as_deref(), false, &quiet)?;
    let runs = history::migrations(&mut client)?;
    if runs.is_empty() {
        println!("No history: schemaplan has not applied anything to {label}.");
        return Ok(EXIT_OK);
    }
    println!(
        "{:>4}  {:<12}  {:<11}  {:>7}  {:<19}  {:<19}",
        "run", "plan", "status", "steps", "started (UTC)", "finished (UTC)"
    );
    for m in &runs {
        println!(
            "{:>4}  {:<12}  {:<11}  {:>7}  {:<19}  {:<19}",
            format!("#{}", m.id),
            m.plan_id,
            m.status.as_str(),
            format!(
                "{}/{}",
                if m.status == Status::RolledBack {
                    m.steps_rolled_back
                } else {
                    m.steps_completed
                },
                m.steps_total
            ),
            m.started_at,
            m.finished_at.as_deref().unwrap_or("")
        );
        if let Some(e) = &m.error {
            println!("        {}", e.lines().next().unwrap_or_default());
        }
    }
    let last = runs.last().expect("not empty");
    if matches!(last.status, Status::Started | Status::Failed) {
        for (position, kind, object) in history::begun(&mut client, last.id)? {
            println!(
                "        step {position} ({} {object}) was begun outside a transaction and not finished; the next apply checks what it did and finishes it",
                kind.replace('_', " ")
            );
        }
    }
    match last.status {
        Status::Started => println!(
            "\nRun #{} did not finish (interrupted, or still running): `schemaplan apply` continues it.",
            last.id
        ),
        Status::Failed => println!(
            "\nRun #{} failed after {} step(s): fix the cause and run `schemaplan apply` again to continue it with its recorded steps (same desired state), or `schemaplan rollback` to undo them (needed before applying a changed desired state).",
            last.id, last.steps_completed
        ),
        Status::Completed => {
            if let Some(fp) = &last.fingerprint_after {
                let catalog = introspect::introspect(&mut client, &last.schemas)?.catalog;
                let now = fingerprint::objects(&catalog);
                if fingerprint::fingerprint(&now) == *fp {
                    println!("\nThe schema is as run #{} left it.", last.id);
                } else {
                    let before = history::objects_after(&mut client, last.id)?.unwrap_or_default();
                    println!(
                        "\nThe schema changed since run #{} completed (outside schemaplan):",
                        last.id
                    );
                    for change in fingerprint::drift(&before, &now) {
                        println!("  {change}");
                    }
                }
            }
        }
        Status::RolledBack => println!("\nRun #{} was rolled back.", last.id),
    }
    Ok(EXIT_OK)
}
