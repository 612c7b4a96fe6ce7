//! GitHub Actions' annotations: inside a workflow (`GITHUB_ACTIONS=true`), every problem of the
//! desired state is printed once more, after the report people read, as a workflow command
//! `::error file=…,line=…,col=…::…`, which GitHub shows on the run's page and beside the line in
//! the pull request's diff; any other error as `::error::…`.
//!
//! They go to standard error, with the report: standard output carries what a job may redirect
//! (`plan --format markdown > plan.md`, `inspect > schema.yaml`, `schema`), and the runner reads
//! workflow commands from both streams of a step.

use schemaplan::model::source::Diagnostic;

/// Whether this process runs inside a GitHub Actions workflow.
pub fn inside_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true")
}

/// Prints an `::error` command for each problem, inside GitHub Actions; nothing elsewhere.
pub fn print_problems(problems: &[Diagnostic]) {
    if inside_github_actions() {
        for d in problems {
            eprintln!("{}", error_command(d));
        }
    }
}

/// Prints an `::error` command for an error that has no place in a file, inside GitHub
/// Actions; nothing elsewhere.
pub fn print_error(message: &str) {
    if inside_github_actions() {
        eprintln!("::error::{}", data(message));
    }
}

/// `::error file=F,line=L,col=C::MESSAGE` for one problem; without the place when the problem
/// has none in a file (`<desired state>`).
fn error_command(d: &Diagnostic) -> String {
    let message = if d.path.is_empty() {
        d.message.clone()
    } else {
        format!("{}: {}", d.path, d.message)
    };
    let loc = &d.location;
    if loc.file.starts_with('<') {
        return format!("::error::{}", data(&message));
    }
    format!(
        "::error file={},line={},col={}::{}",
        property(&loc.file),
        loc.line,
        loc.column,
        data(&message)
    )
}

/// A command's message, escaped as GitHub's toolkit does (`escapeData`): `%`, CR and LF.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value (`escapeProperty`): as a message, and `:` and `,`, which end a
/// property.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}
