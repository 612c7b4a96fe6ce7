//! `schemaplan schema`: what editors read to check and complete the desired-state YAML.

use std::io::Write;

use schemaplan::error::Error;
use schemaplan::yaml::jsonschema;

use super::args::EXIT_OK;

/// Prints the JSON Schema of the desired-state YAML: the same bytes every time, and those of
/// the repository's `schemaplan.schema.json`.
pub fn schema() -> Result<i32, Error> {
    out(jsonschema::to_json().as_bytes())
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
