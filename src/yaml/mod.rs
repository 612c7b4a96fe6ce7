//! Loading the desired state: YAML files → the schema model, with every problem reported at once
//! before any database is touched.

pub mod emit;
mod emit_constraints;
mod emit_objects;
mod emit_values;
pub mod fleet;
pub mod jsonschema;
mod lower;
pub mod node;
mod sqlcheck;
mod validate;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use lower::RoleUses;

use crate::model::hints::{Backfills, Renames};
use crate::model::source::{Diagnostic, Location, SourceMap};
use crate::model::{Catalog, ObjKey};

/// The desired state as loaded from YAML.
#[derive(Clone, Debug)]
pub struct Desired {
    pub catalog: Catalog,
    pub sources: SourceMap,
    /// `renamed_from` hints: objects the database may have under an old name.
    pub renames: Renames,
    /// SHA-256 of the files' texts, in path order: the desired state a plan was made for.
    pub digest: String,
    /// Data hooks (`hooks:`), in the order they were written.
    pub hooks: Vec<crate::model::hook::Hook>,
    /// `backfill:` of columns: how existing rows get a value for a new or tightened column.
    pub backfills: Backfills,
    /// The `using:` of columns whose type changes.
    pub conversions: crate::model::hints::Conversions,
    /// Every role the desired state names (in `roles:`, as a grantee, owner, policy role or
    /// `for_role`), with the path where it is first named: each must exist in the target.
    pub role_uses: RoleUses,
}

impl Desired {
    /// The schemas the desired state names: those its files list under `schemas:` or put an
    /// object in. The catalog holds `public` either way (every new database has it), but a
    /// desired state written for `utils` alone does not name it.
    pub fn named_schemas(&self) -> std::collections::BTreeSet<String> {
        let mut names = self.catalog.schema_names();
        let public = "public".to_string();
        let named = (self.sources.objects).contains_key(&ObjKey::Schema(public.clone()))
            || self.catalog.object_schema_names().contains(&public)
            || (self.catalog.extensions.values()).any(|e| e.schema.as_ref() == Some(&public));
        if !named {
            names.remove(&public);
        }
        names
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("no desired state found: {0} holds no *.yaml or *.yml file")]
    Empty(String),
    #[error("{}", render_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
}

fn render_diagnostics(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    out.push_str(&format!(
        "{} problem{} in the desired state",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    ));
    out
}

/// Loads one YAML file, or every `*.yaml`/`*.yml` file under a directory (sorted by path).
pub fn load_path(path: &Path) -> Result<Desired, LoadError> {
    let io = |source, p: &Path| LoadError::Io {
        path: p.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(|e| io(e, path))?;
    let files = if meta.is_dir() {
        let mut files = Vec::new();
        collect_yaml_files(path, &mut files).map_err(|e| io(e, path))?;
        files.sort();
        if files.is_empty() {
            return Err(LoadError::Empty(path.display().to_string()));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut sources = Vec::new();
    for file in &files {
        let text = read_bounded(file).map_err(|e| io(e, file))?;
        sources.push((file.display().to_string(), text));
    }
    load_sources(&sources)
}

/// The text of `file`, read no further than one byte past the size limit (a device or a pipe
/// named as the desired state ends there too): `node::parse` refuses what is over it.
fn read_bounded(file: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(file)?
        .take(node::limits::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() > node::limits::MAX_FILE_BYTES {
        // The prefix may end inside a character; the size is what the refusal is about.
        return Ok(String::from_utf8_lossy(&bytes).into_owned());
    }
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()))
}

fn collect_yaml_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_yaml_files(&path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        ) {
            out.push(path);
        }
    }
    Ok(())
}

/// Loads named YAML texts as if each were a file, merging them into one desired state.
pub fn load_sources(files: &[(String, String)]) -> Result<Desired, LoadError> {
    let mut diags = Vec::new();
    let mut lowerer = lower::Lowerer::new(&mut diags);
    for (name, text) in files {
        let file: Arc<str> = Arc::from(name.as_str());
        match node::parse(text) {
            Ok(documents) => {
                for doc in &documents {
                    lowerer.document(file.clone(), doc);
                }
            }
            Err(e) => lowerer.diags.push(Diagnostic {
                location: Location {
                    file,
                    line: e.mark.line,
                    column: e.mark.column,
                },
                path: String::new(),
                message: e.message,
            }),
        }
    }
    let lower::Lowered {
        mut catalog,
        sources,
        renames,
        hooks,
        backfills,
        conversions,
        role_uses,
    } = lowerer.finish();
    validate::validate(&mut catalog, &sources, &mut diags);
    validate::renames(&catalog, &sources, &renames, &mut diags);
    if diags.is_empty() {
        sqlcheck::check_rendered(&catalog, &backfills, &sources, &mut diags);
    }
    if diags.is_empty() {
        // The texts alone, in order: where the files are checked out does not change the
        // digest (nor, through the plan id, the names of backup copies).
        let mut all = String::new();
        for (_, text) in files {
            all.push_str(&format!("{}\n{text}", text.len()));
        }
        Ok(Desired {
            catalog,
            sources,
            renames,
            digest: crate::stdx::sha256_hex(all.as_bytes()),
            hooks,
            backfills,
            conversions,
            role_uses,
        })
    } else {
        diags.sort();
        diags.dedup();
        Err(LoadError::Invalid(diags))
    }
}

#[cfg(test)]
mod digest_tests {
    use super::load_sources;

    #[test]
    fn the_digest_depends_on_the_texts_not_where_the_files_are() {
        let text =
            "schemas:\n  public:\n    tables:\n      t:\n        columns:\n          id: bigint\n";
        let a = load_sources(&[("/a/schema/t.yaml".into(), text.into())]).unwrap();
        let b = load_sources(&[("/elsewhere/t.yaml".into(), text.into())]).unwrap();
        let c = load_sources(&[("/a/schema/t.yaml".into(), text.replace("bigint", "integer"))])
            .unwrap();
        assert_eq!(a.digest, b.digest);
        assert_ne!(a.digest, c.digest);
    }
}
