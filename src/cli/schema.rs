//! `schemaplan schema` and `schemaplan completions`: what editors and shells read to check
//! and complete the desired-state YAML and the command line.

use std::io::Write;

use clap::Args;
use clap_complete::Shell;
use schemaplan::error::Error;
use schemaplan::yaml::jsonschema;

use super::args::EXIT_OK;

/// Prints the JSON Schema of the desired-state YAML: the same bytes every time, and those of
/// the repository's `schemaplan.schema.json`.
pub fn schema() -> Result<i32, Error> {
    out(jsonschema::to_json().as_bytes())
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Prints the completion script of `command` (the whole command line, as the binary parses
/// it) for a shell.
pub fn completions(args: CompletionsArgs, mut command: clap::Command) -> Result<i32, Error> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "schemaplan", &mut script);
    out(&script)
}

fn out(bytes: &[u8]) -> Result<i32, Error> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(|source| Error::Write {
            path: "standard output".into(),
            source,
        })?;
    Ok(EXIT_OK)
}
