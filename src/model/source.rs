//! Where the desired state was written: file, line and column of every object, so that a
//! problem found at any stage names the place to fix.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::catalog::ObjKey;
use super::security::DefaultPrivilegeKey;

/// Where a YAML node came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub file: Arc<str>,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One problem in the desired state: where, which object, what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub location: Location,
    /// The object path, such as `schemas.public.tables.events.columns.id`.
    pub path: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.location, self.message)
        } else {
            write!(f, "{}: {}: {}", self.location, self.path, self.message)
        }
    }
}

/// Where each object and each value of the desired state was written.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    /// By object path (see `Diagnostic::path`). A YAML of 10,000 tables has half a million
    /// paths: each place is three numbers (56 bytes a path with a `Location` and a `String`,
    /// 32 so).
    nodes: HashMap<Box<str>, Place>,
    /// The files the places are in.
    files: Vec<Arc<str>>,
    /// The object path of every model object loaded.
    pub objects: HashMap<ObjKey, String>,
    /// The path of every `default_privileges` entry (they are no `ObjKey`: not graph nodes).
    pub default_privileges: HashMap<DefaultPrivilegeKey, String>,
}

/// A `Location` with its file as its place in `SourceMap::files`. Lines and columns fit: the
/// loader reads no file over 16 MiB.
#[derive(Clone, Copy, Debug)]
struct Place {
    file: u32,
    line: u32,
    column: u32,
}

impl SourceMap {
    /// Remembers where `path` was written; the first record wins, so a named object is
    /// located at its name rather than at its body.
    pub fn record(&mut self, path: &str, location: Location) {
        if self.nodes.contains_key(path) {
            return;
        }
        let Location { file, line, column } = location;
        let known = match self.files.last() {
            Some(last) if *last == file => Some(self.files.len() - 1),
            _ => self.files.iter().position(|f| *f == file),
        };
        let file = known.unwrap_or_else(|| {
            self.files.push(file);
            self.files.len() - 1
        });
        let place = Place {
            file: file as u32,
            line: line as u32,
            column: column as u32,
        };
        self.nodes.insert(path.into(), place);
    }

    /// The location of `path`, or of the nearest enclosing path that has one.
    pub fn locate(&self, path: &str) -> Option<Location> {
        let mut p = path;
        loop {
            if let Some(place) = self.nodes.get(p) {
                return Some(Location {
                    file: self.files[place.file as usize].clone(),
                    line: place.line as usize,
                    column: place.column as usize,
                });
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// A problem with the object at `path`, located where it (or the nearest enclosing object)
    /// was written.
    pub fn diagnostic(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        let location = self.locate(path).unwrap_or_else(|| Location {
            file: Arc::from("<desired state>"),
            line: 1,
            column: 1,
        });
        Diagnostic {
            location,
            path: path.to_string(),
            message: message.into(),
        }
    }

    pub fn object(&self, key: &ObjKey) -> Option<(&str, Location)> {
        let path = self.objects.get(key)?;
        Some((path, self.locate(path)?))
    }
}

/// Joins an object path and a name, quoting names that are not plain words.
pub fn child_path(parent: &str, segment: &str) -> String {
    let plain = !segment.is_empty()
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let seg = if plain {
        segment.to_string()
    } else {
        format!("\"{}\"", segment.replace('"', "\\\""))
    };
    if parent.is_empty() {
        seg
    } else {
        format!("{parent}.{seg}")
    }
}
