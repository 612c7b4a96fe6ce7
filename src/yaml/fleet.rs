//! The fleet file: the databases (and tenant schemas) one desired state is applied to, with
//! their names and labels, and how `fleet apply` walks them in waves. Pure: nothing here
//! connects; the discovery queries and tenant patterns are resolved by `pipeline::fleet`.
//!
//! ```yaml
//! desired: schema             # the desired state, relative to this file (default: --desired)
//! concurrency: 4              # targets planned or applied at once
//! canary: { tier: canary }    # targets with these labels form the first wave
//! batch: 10                   # then waves of this many (0: the rest in one wave)
//! state: .schemaplan/fleet.json
//! targets:
//!   - { name: eu-1, url: "postgres://…/app", labels: { region: eu, tier: canary } }
//!   - { name: us-1, url_env: US_DATABASE_URL }
//!   - { name: ap-1, service: ap }
//! discover:                   # more targets, listed by a query on a control database
//!   - { url: "postgres://…/control", query: "SELECT name, url FROM shards WHERE active" }
//! tenants:                    # one schema per tenant, written once as `template`
//!   - { url: "postgres://…/saas", template: tenant, pattern: "tenant_%" }
//! ```
//!
//! Every problem is reported with the file, line and column of the entry it is about.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::node::{self, Mark, Node, NodeKind};

/// Labels of a target: `region: eu`, `tier: canary`.
pub type Labels = BTreeMap<String, String>;

/// A fleet file, as written (targets from queries and patterns are not resolved yet).
#[derive(Clone, Debug, PartialEq)]
pub struct Fleet {
    /// The file it was read from.
    pub path: PathBuf,
    /// `desired:`, resolved against the file's folder.
    pub desired: Option<PathBuf>,
    pub concurrency: usize,
    /// Targets whose labels include all of these go first, as a wave of their own.
    pub canary: Labels,
    /// Wave size after the canaries; 0 puts all the rest in one wave.
    pub batch: usize,
    /// Where `fleet apply` records its runs, resolved against the file's folder.
    pub state: PathBuf,
    pub targets: Vec<TargetEntry>,
    pub discover: Vec<Discovery>,
    pub tenants: Vec<TenantEntry>,
}

/// Where a database is: a URL or `key=value` connection string, written in the file or read
/// from an environment variable (so that passwords stay out of the repository), or a service
/// of `pg_service.conf`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Conninfo {
    Text(String),
    Env(String),
    Service(String),
}

impl Conninfo {
    /// The connection string, or why there is none.
    pub fn resolve(&self, env: &dyn Fn(&str) -> Option<String>) -> Result<String, String> {
        match self {
            Conninfo::Text(t) => Ok(t.clone()),
            Conninfo::Env(var) => env(var)
                .filter(|v| !v.trim().is_empty())
                .ok_or_else(|| format!("the environment variable {var} (url_env) is not set")),
            Conninfo::Service(s) => Ok(format!("service={s}")),
        }
    }
}

/// One database listed by name.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetEntry {
    pub name: String,
    pub conninfo: Conninfo,
    pub labels: Labels,
    pub at: Mark,
}

/// Targets listed by a query on a control database: its rows give `name` and `url` (a URL or
/// connection string), and may give `labels` (a JSON object of strings).
#[derive(Clone, Debug, PartialEq)]
pub struct Discovery {
    pub conninfo: Conninfo,
    pub query: String,
    /// Added to the labels of every target it finds.
    pub labels: Labels,
    pub at: Mark,
}

/// A schema per tenant in one database: the desired state is written for the schema
/// `template`; every schema matching `pattern` (SQL `LIKE`) or listed by `query` (one column
/// of schema names) is a target of its own, named `NAME/schema`.
#[derive(Clone, Debug, PartialEq)]
pub struct TenantEntry {
    /// Names the database in the tenants' target names (default: the entry's position).
    pub name: String,
    pub conninfo: Conninfo,
    pub template: String,
    pub pattern: Option<String>,
    pub query: Option<String>,
    pub labels: Labels,
    pub at: Mark,
}

/// Reads and checks a fleet file.
pub fn load(path: &Path) -> Result<Fleet, Vec<String>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![format!("cannot read {}: {e}", path.display())])?;
    parse(path, &text)
}

/// Parses the text of a fleet file read from `path` (for messages and relative paths).
pub fn parse(path: &Path, text: &str) -> Result<Fleet, Vec<String>> {
    let file = path.display().to_string();
    let at =
        |mark: &Mark, message: String| format!("{file}:{}:{}: {message}", mark.line, mark.column);
    let documents = node::parse(text).map_err(|e| vec![at(&e.mark, e.message)])?;
    let [root] = documents.as_slice() else {
        return Err(vec![format!(
            "{file}: a fleet file holds one YAML document (found {})",
            documents.len()
        )]);
    };
    let mut p = Reader {
        problems: Vec::new(),
        file: file.clone(),
    };
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut fleet = Fleet {
        path: path.to_path_buf(),
        desired: None,
        concurrency: 4,
        canary: Labels::new(),
        batch: 0,
        state: base.join(".schemaplan/fleet-state.json"),
        targets: Vec::new(),
        discover: Vec::new(),
        tenants: Vec::new(),
    };
    for (key, value) in p.map(root, "the fleet file") {
        match key.as_str() {
            "desired" => fleet.desired = p.text(value, "desired").map(|t| base.join(t)),
            "concurrency" => fleet.concurrency = p.count(value, "concurrency", 1).unwrap_or(4),
            "batch" => fleet.batch = p.count(value, "batch", 0).unwrap_or(0),
            "canary" => fleet.canary = p.labels(value, "canary"),
            "state" => {
                if let Some(t) = p.text(value, "state") {
                    fleet.state = base.join(t);
                }
            }
            "targets" => fleet.targets = p.list(value, "targets", Reader::target),
            "discover" => fleet.discover = p.list(value, "discover", Reader::discovery),
            "tenants" => fleet.tenants = p.list(value, "tenants", Reader::tenant),
            other => p.problem(
                &value.mark,
                format!(
                    "unknown key `{other}` (known: desired, concurrency, canary, batch, state, \
                     targets, discover, tenants)"
                ),
            ),
        }
    }
    if fleet.targets.is_empty() && fleet.discover.is_empty() && fleet.tenants.is_empty() {
        p.problem(
            &root.mark,
            "no targets: list `targets`, a `discover` query or `tenants`".into(),
        );
    }
    let mut names: BTreeMap<&str, &Mark> = BTreeMap::new();
    for t in &fleet.targets {
        if let Some(first) = names.insert(&t.name, &t.at) {
            let message = format!(
                "target `{}` is listed twice (first at line {})",
                t.name, first.line
            );
            p.problems.push(at(&t.at, message));
        }
    }
    if p.problems.is_empty() {
        Ok(fleet)
    } else {
        Err(p.problems)
    }
}

/// Reads nodes, collecting every problem with its place.
struct Reader {
    problems: Vec<String>,
    file: String,
}

impl Reader {
    fn problem(&mut self, mark: &Mark, message: String) {
        self.problems.push(format!(
            "{}:{}:{}: {message}",
            self.file, mark.line, mark.column
        ));
    }

    /// The entries of a mapping with scalar keys.
    fn map<'n>(&mut self, node: &'n Node, what: &str) -> Vec<(String, &'n Node)> {
        match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .filter_map(|(k, v)| match &k.kind {
                    NodeKind::Scalar { text } => Some((text.clone(), v)),
                    _ => {
                        self.problem(&k.mark, format!("a key of {what} must be a word"));
                        None
                    }
                })
                .collect(),
            _ => {
                let message = format!("{what} must be a mapping, not {}", node.describe());
                self.problem(&node.mark, message);
                Vec::new()
            }
        }
    }

    fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        match &node.kind {
            NodeKind::Scalar { text } if !text.trim().is_empty() => Some(text.clone()),
            _ => {
                let message = format!("`{what}` must be a non-empty text");
                self.problem(&node.mark, message);
                None
            }
        }
    }

    fn count(&mut self, node: &Node, what: &str, least: usize) -> Option<usize> {
        let n = self.text(node, what)?;
        match n.trim().parse::<usize>() {
            Ok(n) if n >= least => Some(n),
            _ => {
                let message = format!("`{what}` must be a whole number of at least {least}");
                self.problem(&node.mark, message);
                None
            }
        }
    }

    fn labels(&mut self, node: &Node, what: &str) -> Labels {
        let mut labels = Labels::new();
        for (key, value) in self.map(node, &format!("`{what}`")) {
            if let Some(v) = self.text(value, &format!("{what}.{key}")) {
                labels.insert(key, v);
            }
        }
        labels
    }

    fn list<T>(
        &mut self,
        node: &Node,
        what: &str,
        item: fn(&mut Reader, &Node, usize) -> Option<T>,
    ) -> Vec<T> {
        match &node.kind {
            NodeKind::Seq(items) => items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| item(self, n, i))
                .collect(),
            _ => {
                let message = format!("`{what}` must be a list, not {}", node.describe());
                self.problem(&node.mark, message);
                Vec::new()
            }
        }
    }

    /// The fields of one entry, with its connection (`url`, `url_env` or `service`: one only).
    fn entry<'n>(
        &mut self,
        node: &'n Node,
        what: &str,
        known: &[&str],
    ) -> (BTreeMap<String, &'n Node>, Option<Conninfo>) {
        let mut fields = BTreeMap::new();
        for (key, value) in self.map(node, what) {
            if known.contains(&key.as_str()) || ["url", "url_env", "service"].contains(&&*key) {
                fields.insert(key, value);
            } else {
                let message = format!(
                    "unknown key `{key}` in {what} (known: {}, and one of url, url_env, service)",
                    known.join(", ")
                );
                self.problem(&value.mark, message);
            }
        }
        let given: Vec<&str> = ["url", "url_env", "service"]
            .into_iter()
            .filter(|k| fields.contains_key(*k))
            .collect();
        let conninfo = match given.as_slice() {
            [one] => {
                let text = self.text(fields[*one], one);
                text.map(|t| match *one {
                    "url" => Conninfo::Text(t),
                    "url_env" => Conninfo::Env(t),
                    _ => Conninfo::Service(t),
                })
            }
            [] => {
                let message =
                    format!("{what} needs where the database is: url, url_env or service");
                self.problem(&node.mark, message);
                None
            }
            _ => {
                let message = format!("{what} gives {}: give one of them", given.join(" and "));
                self.problem(&node.mark, message);
                None
            }
        };
        (fields, conninfo)
    }

    fn target(&mut self, node: &Node, i: usize) -> Option<TargetEntry> {
        let what = format!("target {}", i + 1);
        let (fields, conninfo) = self.entry(node, &what, &["name", "labels"]);
        let name = match fields.get("name") {
            Some(n) => self.text(n, "name"),
            None => {
                self.problem(&node.mark, format!("{what} needs a `name`"));
                None
            }
        };
        let labels = fields
            .get("labels")
            .map(|l| self.labels(l, "labels"))
            .unwrap_or_default();
        Some(TargetEntry {
            name: name?,
            conninfo: conninfo?,
            labels,
            at: node.mark.clone(),
        })
    }

    fn discovery(&mut self, node: &Node, i: usize) -> Option<Discovery> {
        let what = format!("discover entry {}", i + 1);
        let (fields, conninfo) = self.entry(node, &what, &["query", "labels"]);
        let query = match fields.get("query") {
            Some(q) => self.text(q, "query"),
            None => {
                self.problem(&node.mark, format!("{what} needs a `query`"));
                None
            }
        };
        let labels = fields
            .get("labels")
            .map(|l| self.labels(l, "labels"))
            .unwrap_or_default();
        Some(Discovery {
            conninfo: conninfo?,
            query: query?,
            labels,
            at: node.mark.clone(),
        })
    }

    fn tenant(&mut self, node: &Node, i: usize) -> Option<TenantEntry> {
        let what = format!("tenants entry {}", i + 1);
        let known = ["name", "template", "pattern", "query", "labels"];
        let (fields, conninfo) = self.entry(node, &what, &known);
        let mut get = |key: &str| fields.get(key).and_then(|n| self.text(n, key));
        let name = get("name").unwrap_or_else(|| format!("tenants{}", i + 1));
        let template = get("template");
        let pattern = get("pattern");
        let query = get("query");
        if template.is_none() && !fields.contains_key("template") {
            self.problem(
                &node.mark,
                format!("{what} needs the `template` schema its desired state is written for"),
            );
        }
        if pattern.is_some() == query.is_some() {
            self.problem(
                &node.mark,
                format!("{what} needs one of `pattern` (LIKE) and `query` listing its schemas"),
            );
            return None;
        }
        let labels = fields
            .get("labels")
            .map(|l| self.labels(l, "labels"))
            .unwrap_or_default();
        Some(TenantEntry {
            name,
            conninfo: conninfo?,
            template: template?,
            pattern,
            query,
            labels,
            at: node.mark.clone(),
        })
    }
}

/// Whether `labels` include every label of `selector` (an empty selector selects nothing).
pub fn selects(selector: &Labels, labels: &Labels) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// The JSON Schema of the fleet file (`schemaplan fleet schema`).
pub fn json_schema() -> serde_json::Value {
    let labels = serde_json::json!({
        "type": "object", "additionalProperties": { "type": "string" }
    });
    let place = |required: &[&str], extra: serde_json::Value| {
        let mut props = serde_json::json!({
            "url": { "type": "string", "description": "A postgres:// URL or key=value connection string" },
            "url_env": { "type": "string", "description": "An environment variable holding the URL" },
            "service": { "type": "string", "description": "A service of pg_service.conf" },
            "labels": labels,
        });
        for (k, v) in extra.as_object().expect("an object") {
            props[k] = v.clone();
        }
        serde_json::json!({
            "type": "object",
            "additionalProperties": false,
            "required": required,
            "properties": props,
            "oneOf": [
                { "required": ["url"] }, { "required": ["url_env"] }, { "required": ["service"] }
            ],
        })
    };
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "schemaplan fleet",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "desired": { "type": "string" },
            "concurrency": { "type": "integer", "minimum": 1 },
            "batch": { "type": "integer", "minimum": 0 },
            "canary": labels,
            "state": { "type": "string" },
            "targets": { "type": "array", "items": place(&["name"], serde_json::json!({
                "name": { "type": "string", "minLength": 1 }
            })) },
            "discover": { "type": "array", "items": place(&["query"], serde_json::json!({
                "query": { "type": "string", "description": "Rows of name, url and optionally labels (a JSON object)" }
            })) },
            "tenants": { "type": "array", "items": place(&["template"], serde_json::json!({
                "name": { "type": "string" },
                "template": { "type": "string", "description": "The schema the desired state is written for" },
                "pattern": { "type": "string", "description": "A LIKE pattern of the tenants' schemas" },
                "query": { "type": "string", "description": "A query listing the tenants' schemas" }
            })) },
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<Fleet, Vec<String>> {
        parse(Path::new("/srv/fleet.yaml"), text)
    }

    #[test]
    fn reads_targets_discovery_and_tenants() {
        let fleet = parsed(
            "desired: schema\nconcurrency: 2\ncanary: {tier: canary}\nbatch: 5\n\
             targets:\n  - {name: eu, url: 'postgres://h/eu', labels: {tier: canary}}\n  \
             - {name: us, url_env: US_URL}\n\
             discover:\n  - {service: control, query: 'SELECT name, url FROM shards'}\n\
             tenants:\n  - {url: 'dbname=saas', template: tenant, pattern: 'tenant_%'}\n",
        )
        .unwrap();
        assert_eq!(fleet.desired, Some(PathBuf::from("/srv/schema")));
        assert_eq!(
            fleet.state,
            PathBuf::from("/srv/.schemaplan/fleet-state.json")
        );
        assert_eq!((fleet.concurrency, fleet.batch), (2, 5));
        assert_eq!(fleet.targets[1].conninfo, Conninfo::Env("US_URL".into()));
        assert!(selects(&fleet.canary, &fleet.targets[0].labels));
        assert!(!selects(&fleet.canary, &fleet.targets[1].labels));
        assert_eq!(
            fleet.discover[0].conninfo,
            Conninfo::Service("control".into())
        );
        assert_eq!(fleet.tenants[0].name, "tenants1");
        assert_eq!(fleet.tenants[0].pattern.as_deref(), Some("tenant_%"));
    }

    #[test]
    fn every_problem_names_its_line() {
        let problems = parsed(
            "targets:\n  - {name: a, url: x}\n  - {name: a, url: y}\n  - {url: z}\n  \
             - {name: b, url: u, service: s}\nwaves: 3\n\
             tenants:\n  - {url: v, template: t}\n",
        )
        .unwrap_err();
        let text = problems.join("\n");
        assert!(
            text.contains("fleet.yaml:6:8: unknown key `waves`"),
            "{text}"
        );
        assert!(
            text.contains("fleet.yaml:4:6: target 3 needs a `name`"),
            "{text}"
        );
        assert!(
            text.contains(":5:6: target 4 gives url and service"),
            "{text}"
        );
        assert!(
            text.contains(":3:6: target `a` is listed twice (first at line 2)"),
            "{text}"
        );
        assert!(
            text.contains(":8:6: tenants entry 1 needs one of `pattern`"),
            "{text}"
        );
    }

    #[test]
    fn an_empty_fleet_is_refused() {
        let problems = parsed("concurrency: 0\n").unwrap_err();
        assert!(problems.iter().any(|p| p.contains("no targets")));
        assert!(
            problems
                .iter()
                .any(|p| p.contains(":1:14: `concurrency` must be"))
        );
    }

    #[test]
    fn url_env_names_a_missing_variable() {
        let c = Conninfo::Env("NOPE".into());
        assert!(c.resolve(&|_| None).unwrap_err().contains("NOPE"));
        assert_eq!(c.resolve(&|_| Some("dbname=x".into())).unwrap(), "dbname=x");
    }
}
