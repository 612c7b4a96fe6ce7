//! What `--help` says after the options: examples, and the exit codes each command really
//! returns — written from the constants the commands return, so help cannot promise a code the
//! code does not use.

use schemaplan::pg::interrupt;

use super::args::{EXIT_CHANGES, EXIT_ERROR, EXIT_OK, EXIT_REHEARSAL_FAILED};

/// The whole command line with the examples and exit codes after the options of `schemaplan`
/// and of the subcommands that change or read a database.
pub fn with_examples(command: clap::Command) -> clap::Command {
    command
        .after_help(top())
        .mut_subcommand("plan", |c| c.after_help(plan()))
        .mut_subcommand("apply", |c| c.after_help(apply()))
        .mut_subcommand("rollback", |c| c.after_help(rollback()))
        .mut_subcommand("inspect", |c| c.after_help(inspect()))
}

/// A titled block of two columns.
fn section(title: &str, rows: &[(String, &str)]) -> String {
    let width = rows.iter().map(|(left, _)| left.len()).max().unwrap_or(0);
    let mut out = format!("{title}:\n");
    for (left, right) in rows {
        out.push_str(&format!("  {left:width$}  {right}\n"));
    }
    out
}

fn examples(rows: &[(&str, &str)]) -> String {
    let rows: Vec<(String, &str)> = rows.iter().map(|(l, r)| (l.to_string(), *r)).collect();
    section("Examples", &rows)
}

/// The exit codes of one command: success and error always, then its own.
fn exit_codes(success: &str, own: &[(i32, &str)]) -> String {
    let mut rows = vec![
        (EXIT_OK, success),
        (
            EXIT_ERROR,
            "error: invalid desired state (each problem at file:line:column), connection failure, SQL error, refused confirmation, bad usage",
        ),
    ];
    rows.extend_from_slice(own);
    rows.push((
        interrupt::EXIT_CODE,
        "interrupted (Ctrl-C), after removing what schemaplan made for itself",
    ));
    let rows: Vec<(String, &str)> = rows.into_iter().map(|(c, r)| (c.to_string(), r)).collect();
    section("Exit codes", &rows)
}

const PLAN_SUCCESS: &str = "success; with `plan --exit-code`: no changes pending";

fn plan_codes() -> [(i32, &'static str); 2] {
    [
        (EXIT_CHANGES, "changes pending (only `plan --exit-code`)"),
        (
            EXIT_REHEARSAL_FAILED,
            "`plan`: the plan was made, but its rehearsal failed (a step failed, the result differs from the desired state, or the down steps do not restore the start)",
        ),
    ]
}

fn top() -> String {
    let examples = examples(&[
        (
            "schemaplan plan",
            "the plan from $DATABASE_URL to ./schema, rehearsed",
        ),
        (
            "schemaplan plan --exit-code",
            "in CI: exit 2 when changes are pending",
        ),
        (
            "schemaplan apply --yes",
            "plan, rehearse and run it without asking",
        ),
        (
            "schemaplan rollback --dry-run",
            "what a rollback would undo",
        ),
        (
            "schemaplan inspect --output schema/",
            "the live schema as YAML, a file per schema",
        ),
        ("schemaplan status", "the runs applied so far"),
        (
            "schemaplan schema > schemaplan.schema.json",
            "the JSON Schema of the YAML, for editors",
        ),
        (
            "schemaplan completions bash",
            "the completion script of bash (zsh, fish, …)",
        ),
    ]);
    format!("{examples}\n{}", exit_codes(PLAN_SUCCESS, &plan_codes()))
}

fn plan() -> String {
    let examples = examples(&[
        (
            "schemaplan plan",
            "from $DATABASE_URL to ./schema, rehearsed on a copy",
        ),
        (
            "schemaplan plan --desired db/ --schema app",
            "another folder, and schema app only",
        ),
        (
            "schemaplan plan --exit-code",
            "in CI: 0 nothing to do, 2 changes pending",
        ),
        (
            "schemaplan plan --format markdown > plan.md",
            "for a pull-request comment",
        ),
        (
            "schemaplan plan --format sql > plan.sql",
            "a script for psql",
        ),
        (
            "schemaplan plan --out plan.json",
            "save it: `apply plan.json` runs exactly it",
        ),
    ]);
    format!("{examples}\n{}", exit_codes(PLAN_SUCCESS, &plan_codes()))
}

fn apply() -> String {
    let examples = examples(&[
        ("schemaplan apply", "plan, rehearse, show, ask, then run"),
        (
            "schemaplan apply plan.json --yes",
            "run a saved plan, if the schema is unchanged",
        ),
        (
            "schemaplan apply --yes --phase expand",
            "only the expand steps (then deploy)",
        ),
        (
            "schemaplan apply --yes --allow-hazards DeletesData",
            "allow the steps that drop data",
        ),
    ]);
    format!("{examples}\n{}", exit_codes("success", &[]))
}

fn rollback() -> String {
    let examples = examples(&[
        ("schemaplan rollback --dry-run", "what would be undone"),
        ("schemaplan rollback --yes", "undo the latest run"),
        (
            "schemaplan rollback --to PLAN_ID --yes",
            "undo every run after that plan's",
        ),
    ]);
    format!("{examples}\n{}", exit_codes("success", &[]))
}

fn inspect() -> String {
    let examples = examples(&[
        (
            "schemaplan inspect > schema.yaml",
            "the whole database as one document",
        ),
        (
            "schemaplan inspect --output schema/",
            "a file per schema, and schemaplan.schema.json beside them for editors",
        ),
        (
            "schemaplan inspect --schema app --output app.yaml",
            "schema app only",
        ),
    ]);
    format!("{examples}\n{}", exit_codes("success", &[]))
}
