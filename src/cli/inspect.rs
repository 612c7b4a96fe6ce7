//! `schemaplan inspect`: write the database's schema as desired-state YAML.

use std::path::{Path, PathBuf};

use clap::Args;
use schemaplan::{error::Error, pipeline, yaml::emit};

use super::args::EXIT_OK;

#[derive(Args)]
pub struct InspectArgs {
    /// The database to read (default: $DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Where to write: a file, or a directory (one file per schema). Default: stdout.
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Read only this schema (repeatable); default: every user schema.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
}

pub fn run(args: InspectArgs) -> Result<i32, Error> {
    let (mut client, _) = super::connect::connect_target(args.database_url.as_deref(), false)?;
    let (catalog, unmanaged) = pipeline::inspect_naming_unmanaged(&mut client, &args.schemas)?;
    // Said on standard error, so that the YAML on standard output stays a desired state.
    for what in &unmanaged {
        eprintln!("note: not managed by schemaplan, left out of the YAML: {what}");
    }
    match &args.output {
        None => print!("{}", emit::to_yaml(&catalog)),
        Some(path) if path.is_dir() || path.to_string_lossy().ends_with('/') => {
            write_dir(path, emit::per_schema(&catalog))?;
        }
        Some(path) => write(path, &emit::to_yaml(&catalog))?,
    }
    Ok(EXIT_OK)
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })
}

/// One file per schema, named after it (characters unsafe in file names replaced).
fn write_dir(dir: &Path, files: Vec<(String, String)>) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let mut used = std::collections::BTreeSet::new();
    for (schema, text) in files {
        let mut base: String = schema
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        if base.is_empty() || base.starts_with('.') {
            base.insert(0, '_');
        }
        let mut name = format!("{base}.yaml");
        let mut n = 2;
        while !used.insert(name.clone()) {
            name = format!("{base}_{n}.yaml");
            n += 1;
        }
        write(&dir.join(name), &text)?;
    }
    Ok(())
}
