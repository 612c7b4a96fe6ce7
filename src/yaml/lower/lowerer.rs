//! The lowerer's state and the checks every kind of object shares: a mapping's allowed keys
//! (with a suggestion for a misspelt one), names defined once, and scalars of each type.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::model::hints::{Backfills, Hint, RenameHint, Renames};
use crate::model::source::{Diagnostic, Location, SourceMap, child_path};
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::{self, Field};

/// What the lowering produces.
pub(crate) struct Lowered {
    pub catalog: Catalog,
    pub sources: SourceMap,
    pub renames: Renames,
    pub hooks: Vec<crate::model::hook::Hook>,
    pub backfills: Backfills,
    pub conversions: crate::model::hints::Conversions,
    pub role_uses: RoleUses,
}

pub(crate) struct Lowerer<'d> {
    pub diags: &'d mut Vec<Diagnostic>,
    pub(super) file: Arc<str>,
    pub(super) catalog: Catalog,
    pub(super) sources: SourceMap,
    pub(super) renames: Renames,
    pub(super) hooks: Vec<crate::model::hook::Hook>,
    pub(super) backfills: Backfills,
    pub(super) conversions: crate::model::hints::Conversions,
    /// Schemas whose comment was given, so a second one is reported as a duplicate.
    pub(super) schema_comments: HashMap<String, String>,
    /// Every role named (roles list, grantees, owners, policy roles, `for_role`).
    pub(super) role_uses: RoleUses,
    /// Grantees and where each grant was written: they must be in `roles:`.
    pub(super) grantees: Vec<(String, String)>,
    /// What `sqlcheck::check` said of each field kind and text so far: a schema repeats the
    /// same defaults, checks and types thousands of times, and parsing is most of a load.
    checks: HashMap<(String, String), Result<(), String>>,
}

/// Roles the desired state names, each with the path where it was first named.
pub type RoleUses = BTreeMap<String, String>;

/// The checked keys of one YAML mapping.
pub(super) struct Fields<'n> {
    path: String,
    entries: Vec<(&'n str, &'n Node)>,
}

impl<'n> Fields<'n> {
    pub(super) fn get(&self, key: &str) -> Option<(&'n Node, String)> {
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(k, v)| (*v, child_path(&self.path, k)))
    }
}

pub(crate) const OBJREF_KEYS: &[&str] = &["schema", "name"];

impl<'d> Lowerer<'d> {
    pub fn new(diags: &'d mut Vec<Diagnostic>) -> Self {
        let mut catalog = Catalog::default();
        // `public` always exists in a new database; it is managed unless `--schema` says
        // otherwise, so the desired state has it even when no file names it.
        catalog.schemas.insert("public".into(), Schema::default());
        Lowerer {
            diags,
            file: Arc::from(""),
            catalog,
            sources: SourceMap::default(),
            renames: Renames::new(),
            hooks: Vec::new(),
            backfills: Backfills::new(),
            conversions: Default::default(),
            schema_comments: HashMap::new(),
            role_uses: RoleUses::new(),
            grantees: Vec::new(),
            checks: HashMap::new(),
        }
    }

    pub fn finish(mut self) -> Lowered {
        // An extension's home schema is part of the desired state, created if missing.
        let homes: Vec<String> = self
            .catalog
            .extensions
            .values()
            .filter_map(|e| e.schema.clone())
            .collect();
        for schema in homes {
            self.catalog.schemas.entry(schema).or_default();
        }
        if !self.schema_comments.contains_key("public") {
            if let Some(public) = self.catalog.schemas.get_mut("public") {
                public.comment = Some(crate::model::naming::PUBLIC_SCHEMA_COMMENT.into());
            }
        }
        self.resolve_hook_dependencies();
        self.resolve_trigger_functions();
        self.check_grantees();
        Lowered {
            catalog: self.catalog,
            sources: self.sources,
            renames: self.renames,
            hooks: self.hooks,
            backfills: self.backfills,
            conversions: self.conversions,
            role_uses: self.role_uses,
        }
    }

    /// Records the `renamed_from` hint of a mapping, if it has one (its keys were checked).
    pub(super) fn hint(&mut self, node: &Node, path: &str, hint: RenameHint) {
        let NodeKind::Map(entries) = &node.kind else {
            return;
        };
        let Some((_, value)) = entries.iter().find(
            |(k, _)| matches!(&k.kind, NodeKind::Scalar { text, .. } if text == "renamed_from"),
        ) else {
            return;
        };
        let p = child_path(path, "renamed_from");
        if let Some(old) = self.string(value, &p) {
            self.renames.insert(hint, Hint { old, path: p });
        }
    }

    fn location(&self, node: &Node) -> Location {
        Location {
            file: self.file.clone(),
            line: node.mark.line,
            column: node.mark.column,
        }
    }

    pub(super) fn error(&mut self, node: &Node, path: &str, message: impl Into<String>) {
        let location = self.location(node);
        self.diags.push(Diagnostic {
            location,
            path: path.to_string(),
            message: message.into(),
        });
    }

    /// Remembers where `path` was written (`SourceMap::record`).
    pub(super) fn record(&mut self, node: &Node, path: &str) {
        let location = self.location(node);
        self.sources.record(path, location);
    }

    /// Checks that `node` is a mapping with only `allowed` keys, each at most once.
    pub(super) fn fields<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
        allowed: &[&str],
    ) -> Option<Fields<'n>> {
        self.record(node, path);
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => {
                return Some(Fields {
                    path: path.to_string(),
                    entries: Vec::new(),
                });
            }
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a mapping, found {}", node.describe()),
                );
                return None;
            }
        };
        let mut out: Vec<(&'n str, &'n Node)> = Vec::new();
        for (key, value) in entries {
            let Some(k) = self.key(key, path) else {
                continue;
            };
            if !allowed.contains(&k) {
                let hint = suggestion(k, allowed)
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("expected one of: {}", allowed.join(", ")));
                self.error(key, path, format!("unknown key `{k}` ({hint})"));
                continue;
            }
            if let Some((_, first)) = out.iter().find(|(seen, _)| *seen == k) {
                let line = first.mark.line;
                self.error(
                    key,
                    path,
                    format!("duplicate key `{k}` (first given on line {line})"),
                );
                continue;
            }
            let child = child_path(path, k);
            self.record(value, &child);
            out.push((k, value));
        }
        Some(Fields {
            path: path.to_string(),
            entries: out,
        })
    }

    /// The entries of a mapping of named objects (`tables:`, `columns:` …) in file order,
    /// reporting repeated names.
    pub(super) fn named<'n>(
        &mut self,
        node: &'n Node,
        path: &str,
    ) -> Vec<(&'n str, &'n Node, String)> {
        let entries = match &node.kind {
            NodeKind::Map(entries) => entries,
            NodeKind::Null => return Vec::new(),
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a mapping of names, found {}", node.describe()),
                );
                return Vec::new();
            }
        };
        let mut out: Vec<(&'n str, &'n Node, String)> = Vec::new();
        let mut seen: HashMap<&'n str, usize> = HashMap::new();
        for (key, value) in entries {
            let Some(name) = self.key(key, path) else {
                continue;
            };
            if let Some(&line) = seen.get(name) {
                self.error(
                    key,
                    path,
                    format!("`{name}` is defined twice (first on line {line})"),
                );
                continue;
            }
            seen.insert(name, key.mark.line);
            let child = child_path(path, name);
            self.record(key, &child);
            out.push((name, value, child));
        }
        out
    }

    fn key<'n>(&mut self, key: &'n Node, path: &str) -> Option<&'n str> {
        match &key.kind {
            NodeKind::Scalar { text, .. } => Some(text.as_str()),
            _ => {
                self.error(
                    key,
                    path,
                    format!("a key must be a name, found {}", key.describe()),
                );
                None
            }
        }
    }

    pub(super) fn string(&mut self, node: &Node, path: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar { text, .. } => Some(text.clone()),
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a string, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// A non-empty SQL fragment (expression, type, view body).
    pub(super) fn sql(&mut self, node: &Node, path: &str) -> Option<String> {
        let text = self.string(node, path)?;
        let trimmed = text.trim();
        if trimmed.is_empty() {
            self.error(node, path, "expected SQL text, found an empty string");
            return None;
        }
        Some(trimmed.to_string())
    }

    /// SQL text of a field of kind `field`, checked with PostgreSQL's grammar (`sqlcheck`).
    /// A text that is not what its kind allows is reported, and kept: loading fails all the
    /// same, and what names its object is not reported as missing too.
    pub(super) fn checked(&mut self, node: &Node, path: &str, field: Field<'_>) -> Option<String> {
        let text = self.sql(node, path)?;
        self.check_text(node, path, field, &text);
        Some(text)
    }

    /// Checks `text` (a field's text as it will be written) as `field`.
    pub(super) fn check_text(&mut self, node: &Node, path: &str, field: Field<'_>, text: &str) {
        let said = self
            .checks
            .entry((format!("{field:?}"), text.to_string()))
            .or_insert_with(|| sqlcheck::check(field, text))
            .clone();
        if let Err(message) = said {
            self.error(node, path, message);
        }
    }

    /// An SQL expression of kind `field`, kept as written (the shadow database normalises it).
    pub(super) fn expr(&mut self, node: &Node, path: &str, field: Field<'_>) -> Option<Expr> {
        self.checked(node, path, field).map(Expr::new)
    }

    /// A string that may be left empty with `null`.
    pub(super) fn optional_string(&mut self, node: &Node, path: &str) -> Option<String> {
        match node.kind {
            NodeKind::Null => None,
            _ => self.string(node, path),
        }
    }

    pub(super) fn bool(&mut self, node: &Node, path: &str) -> Option<bool> {
        if let NodeKind::Scalar { text, .. } = &node.kind {
            match text.to_ascii_lowercase().as_str() {
                "true" => return Some(true),
                "false" => return Some(false),
                _ => {}
            }
        }
        self.error(node, path, "expected true or false");
        None
    }

    pub(super) fn int(&mut self, node: &Node, path: &str) -> Option<i64> {
        if let NodeKind::Scalar { text, .. } = &node.kind {
            if let Ok(v) = text.trim().parse::<i64>() {
                return Some(v);
            }
        }
        self.error(node, path, "expected an integer");
        None
    }

    /// A list of names; a single name may be written without brackets.
    pub(super) fn names(&mut self, node: &Node, path: &str) -> Option<Vec<String>> {
        match &node.kind {
            NodeKind::Scalar { text, .. } => Some(vec![text.clone()]),
            NodeKind::Seq(items) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    self.record(item, &p);
                    out.push(self.string(item, &p)?);
                }
                Some(out)
            }
            _ => {
                self.error(
                    node,
                    path,
                    format!("expected a list of names, found {}", node.describe()),
                );
                None
            }
        }
    }

    /// A choice among fixed words, compared without regard to case, `_` or `-`.
    pub(super) fn word(&mut self, node: &Node, path: &str, choices: &[&str]) -> Option<String> {
        let text = self.string(node, path)?;
        let normal = text.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        if choices.contains(&normal.as_str()) {
            Some(normal)
        } else {
            self.error(
                node,
                path,
                format!("`{text}` is not one of: {}", choices.join(", ")),
            );
            None
        }
    }

    pub(super) fn obj_ref(&mut self, node: &Node, path: &str) -> Option<ObjRef> {
        if let NodeKind::Map(_) = node.kind {
            let f = self.fields(node, path, OBJREF_KEYS)?;
            let schema = match f.get("schema") {
                Some((n, p)) => self.optional_string(n, &p),
                None => None,
            };
            let Some((n, p)) = f.get("name") else {
                self.error(node, path, "missing key `name`");
                return None;
            };
            let name = self.string(n, &p)?;
            return Some(ObjRef { schema, name });
        }
        let name = self.string(node, path)?;
        Some(ObjRef { schema: None, name })
    }

    /// `name: value` options, in the order written.
    pub(super) fn options<M: FromIterator<(String, String)>>(
        &mut self,
        node: &Node,
        path: &str,
    ) -> M {
        let mut out = Vec::new();
        for (name, value, p) in self.named(node, path) {
            if let Some(v) = self.string(value, &p) {
                out.push((name.to_string(), v));
            }
        }
        out.into_iter().collect()
    }

    pub(super) fn define(&mut self, key: ObjKey, path: &str, node: &Node) -> bool {
        if let Some(first) = self.sources.objects.get(&key) {
            let first_loc = self
                .sources
                .locate(first)
                .map(|l| l.to_string())
                .unwrap_or_default();
            let what = describe_key(&key);
            self.error(
                node,
                path,
                format!("{what} is defined twice (first at {first_loc})"),
            );
            return false;
        }
        self.sources.objects.insert(key, path.to_string());
        true
    }

    pub(super) fn deferral(&mut self, f: &Fields<'_>) -> (bool, bool) {
        let deferrable = f
            .get("deferrable")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        let deferred = f
            .get("initially_deferred")
            .and_then(|(n, p)| self.bool(n, &p))
            .unwrap_or(false);
        // INITIALLY DEFERRED implies DEFERRABLE, as in PostgreSQL.
        (deferrable || deferred, deferred)
    }

    pub(super) fn comment_field(&mut self, f: &Fields<'_>) -> Option<String> {
        f.get("comment")
            .and_then(|(n, p)| self.optional_string(n, &p))
    }
}

fn describe_key(key: &ObjKey) -> String {
    match key {
        ObjKey::Schema(s) => format!("schema {s}"),
        ObjKey::Extension(e) => format!("extension {e}"),
        ObjKey::Type(q) => format!("type {q}"),
        ObjKey::Relation(q) => format!("{q}"),
        ObjKey::Column(q, c) => format!("column {q}.{c}"),
        ObjKey::Constraint(q, c) => format!("constraint {c} on {q}"),
        ObjKey::SequenceOwner(q) => format!("owner of {q}"),
        ObjKey::Logged(q) => format!("persistence of {q}"),
        ObjKey::Partition(q) => format!("partition {q}"),
        ObjKey::Inherits(q, p) => format!("inheritance of {q} from {p}"),
        ObjKey::Function(f) => format!("function {f}"),
        ObjKey::Trigger(q, t) => format!("trigger {t} on {q}"),
        ObjKey::Policy(q, p) => format!("policy {p} on {q}"),
        ObjKey::Owner(o) => format!("owner of {o}"),
        ObjKey::TablePrivileges(q, r) => format!("privileges of {r} on {q}"),
        ObjKey::Statistics(q) => format!("statistics {q}"),
        ObjKey::Collation(q) => format!("collation {q}"),
        ObjKey::TsDictionary(q) => format!("text search dictionary {q}"),
        ObjKey::TsConfiguration(q) => format!("text search configuration {q}"),
        ObjKey::Publication(p) => format!("publication {p}"),
    }
}

/// The value of `key` in a mapping node (already checked by `fields`), with its path.
pub(super) fn map_entry<'n>(node: &'n Node, key: &str, path: &str) -> Option<(&'n Node, String)> {
    let NodeKind::Map(entries) = &node.kind else {
        return None;
    };
    entries
        .iter()
        .find(|(k, _)| matches!(&k.kind, NodeKind::Scalar { text, .. } if text == key))
        .map(|(_, v)| (v, child_path(path, key)))
}

/// The allowed word closest to a misspelt one, if any is close.
pub(super) fn suggestion<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    if word.len() >= 3 {
        if let Some(a) = allowed
            .iter()
            .find(|a| a.contains(word) || word.contains(**a))
        {
            return Some(a);
        }
    }
    allowed
        .iter()
        .map(|a| (edit_distance(word, a), *a))
        .filter(|(d, a)| *d <= 2.max(a.len() / 3))
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}
