//! `schemaplan inspect`: write the database's schema as desired-state YAML.

use std::path::{Path, PathBuf};

use clap::Args;
use schemaplan::pg::introspect::Sessions;
use schemaplan::yaml::{emit, jsonschema};
use schemaplan::{error::Error, pipeline};

use super::args::EXIT_OK;

#[derive(Args)]
pub struct InspectArgs {
    /// The database to read (default: $DATABASE_URL).
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Where to write: a file, or a directory (one file per schema), with the JSON Schema of the
    /// YAML beside it (schemaplan.schema.json), which each file's first line names for
    /// editors. Default: stdout (the YAML alone).
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Read only this schema (repeatable); default: every user schema.
    #[arg(long = "schema", value_name = "NAME")]
    pub schemas: Vec<String>,
}

pub fn run(args: InspectArgs) -> Result<i32, Error> {
    let feedback = super::feedback::Feedback::new(super::terminal::default_progress());
    let (mut client, _, target) =
        super::connect::connect_target(args.database_url.as_deref(), false, &feedback)?;
    feedback.begin("reading the catalog");
    // A large catalog is read on a second session too (same settings, same snapshot).
    let more = Sessions::to(&target);
    let (catalog, unmanaged) =
        pipeline::inspect_naming_unmanaged(&mut client, Some(&more), &args.schemas)?;
    feedback.clear();
    // Said on standard error, so that the YAML on standard output stays a desired state.
    for what in &unmanaged {
        eprintln!("note: not managed by schemaplan, left out of the YAML: {what}");
    }
    // The model goes as soon as its YAML is written: what is written next is a copy of the
    // YAML, and the model of a large schema is many times its size.
    match &args.output {
        None => print!("{}", emit::to_yaml(&catalog)),
        Some(path) if path.is_dir() || path.to_string_lossy().ends_with('/') => {
            let files = emit::per_schema(&catalog);
            drop(catalog);
            write_dir(path, files)?;
        }
        Some(path) => {
            let dir = match path.parent() {
                Some(dir) if !dir.as_os_str().is_empty() => dir,
                _ => Path::new("."),
            };
            let schema = schema_file(dir)?;
            let document = emit::to_yaml(&catalog);
            drop(catalog);
            write(path, &emit::for_file(&document))?;
            write(&schema, &jsonschema::to_json())?;
        }
    }
    Ok(EXIT_OK)
}

/// Where the JSON Schema goes beside the YAML written in `dir`, the name `emit::schema_line`
/// gives editors. A file of that name that is not a schema of schemaplan's is the user's:
/// inspect refuses before it writes anything.
fn schema_file(dir: &Path) -> Result<PathBuf, Error> {
    let path = dir.join(jsonschema::FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) if !jsonschema::is_ours(&text) => Err(Error::Usage(format!(
            "{} is not the JSON Schema `schemaplan schema` prints: inspect writes that schema there, beside the YAML, and does not replace a file of its own; move it away or write elsewhere",
            path.display()
        ))),
        Ok(_) => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(path),
        Err(source) => Err(Error::Read {
            path: path.display().to_string(),
            source,
        }),
    }
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.display().to_string(),
        source,
    })
}

/// One file per schema, named after it (characters unsafe in file names replaced), and the
/// JSON Schema they name. The YAML files an earlier `inspect` wrote there and this one does not
/// are removed, since a plan of the directory would read them too; a YAML file `inspect` did
/// not write is neither replaced nor removed: the command refuses before it writes anything.
fn write_dir(dir: &Path, files: Vec<(String, String)>) -> Result<(), Error> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let schema = schema_file(dir)?;
    let named = file_names(&files);
    let unreadable = |source| Error::Read {
        path: dir.display().to_string(),
        source,
    };
    let mut stale = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        let yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if !yaml || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if !emit::written_by_inspect(&text) {
            return Err(Error::Usage(format!(
                "{} was not written by `schemaplan inspect`: a plan of {} would read it along with the inspected files, so inspect neither replaces nor removes it; move it away or write elsewhere",
                path.display(),
                dir.display()
            )));
        }
        let name = path.file_name().map(|n| n.to_string_lossy().to_string());
        if !name.is_some_and(|n| named.contains(&n)) {
            stale.push(path);
        }
    }
    for path in stale {
        std::fs::remove_file(&path).map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?;
    }
    for ((_, text), name) in files.iter().zip(&named) {
        write(&dir.join(name), &emit::for_file(text))?;
    }
    write(&schema, &jsonschema::to_json())
}

/// The file name of each schema's YAML, in order.
fn file_names(files: &[(String, String)]) -> Vec<String> {
    let mut used = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (schema, _) in files {
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
        out.push(name);
    }
    out
}
