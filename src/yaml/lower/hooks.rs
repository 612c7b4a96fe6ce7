//! Data hooks (`hooks:`), and the `backfill:` and `using:` of columns.

use super::lowerer::Lowerer;
use super::lowerer::map_entry;
use crate::model::hints::{ColumnBackfill, Conversion};
use crate::model::source::child_path;
use crate::model::*;
use crate::yaml::node::{Node, NodeKind};
use crate::yaml::sqlcheck::Field;

pub(crate) const HOOK_KEYS: &[&str] = &[
    "phase",
    "depends_on",
    "up",
    "down",
    "batch",
    "verify",
    "comment",
];
pub(crate) const BATCH_KEYS: &[&str] = &["table", "key", "size", "pause"];
pub(crate) const VERIFY_KEYS: &[&str] = &["name", "sql"];
pub(crate) const USING_KEYS: &[&str] = &["up", "down"];
pub(crate) const HOOK_PHASE_WORDS: &[&str] = &["backfill", "before contract"];

impl Lowerer<'_> {
    /// The `backfill:` of a column: how existing rows get a value for a new or tightened
    /// column.
    pub(super) fn column_backfill(
        &mut self,
        name: &QualName,
        col_name: &str,
        column: &Column,
        spec: &Node,
        cp: &str,
    ) {
        if let NodeKind::Map(entries) = &spec.kind {
            let backfill = entries.iter().find(
                |(k, _)| matches!(&k.kind, NodeKind::Scalar { text, .. } if text == "backfill"),
            );
            if let Some((_, value)) = backfill {
                let bp = child_path(cp, "backfill");
                if column.generated.is_some() || column.identity.is_some() {
                    self.error(
                        value,
                        &bp,
                        "a generated or identity column fills itself: it takes no backfill",
                    );
                } else if let Some(expression) = self.expr(value, &bp, Field::Backfill) {
                    self.backfills.insert(
                        (name.clone(), col_name.to_string()),
                        ColumnBackfill {
                            expression,
                            path: bp,
                        },
                    );
                }
            }
        }
    }

    /// The `using:` of a column: how its values convert when its type changes, an expression
    /// over the old value (`ALTER COLUMN … TYPE … USING (…)`), or `{ up, down }` to give the
    /// way back too.
    pub(super) fn column_conversion(
        &mut self,
        name: &QualName,
        col_name: &str,
        spec: &Node,
        cp: &str,
    ) {
        let Some((value, up_path)) = map_entry(spec, "using", cp) else {
            return;
        };
        let (up, down) = if let NodeKind::Map(_) = &value.kind {
            let Some(f) = self.fields(value, &up_path, USING_KEYS) else {
                return;
            };
            let Some((un, upath)) = f.get("up") else {
                self.error(
                    value,
                    &up_path,
                    "`using` as a mapping needs `up` (and may give `down`)",
                );
                return;
            };
            let down = (f.get("down")).map(|(dn, dp)| self.expr(dn, &dp, Field::Expression));
            (self.expr(un, &upath, Field::Expression), down)
        } else {
            (self.expr(value, &up_path, Field::Expression), None)
        };
        let down = match down {
            None => None,
            Some(Some(d)) => Some(d),
            // Reported already.
            Some(None) => return,
        };
        if let Some(up) = up {
            self.conversions.insert(
                (name.clone(), col_name.to_string()),
                Conversion {
                    up,
                    down,
                    path: up_path,
                },
            );
        }
    }

    /// `depends_on: [name]` names a hook when a hook has that name, else a relation in
    /// `public`; a hook cannot depend on itself.
    pub(super) fn resolve_hook_dependencies(&mut self) {
        let names: std::collections::BTreeSet<String> =
            self.hooks.iter().map(|h| h.name.clone()).collect();
        let mut problems = Vec::new();
        for hook in &mut self.hooks {
            for dep in &mut hook.depends_on {
                if let crate::model::hook::Dependency::Object(q) = dep {
                    if q.schema.is_empty() {
                        *dep = if names.contains(&q.name) {
                            crate::model::hook::Dependency::Hook(q.name.clone())
                        } else {
                            crate::model::hook::Dependency::Object(QualName::new("public", &q.name))
                        };
                    }
                }
                if *dep == crate::model::hook::Dependency::Hook(hook.name.clone()) {
                    problems.push((hook.name.clone(), "a hook cannot depend on itself"));
                }
            }
        }
        for (name, message) in problems {
            let path = child_path(&child_path("hooks", &name), "depends_on");
            self.diags.push(self.sources.diagnostic(&path, message));
        }
    }

    pub(super) fn hook(
        &mut self,
        name: &str,
        node: &Node,
        path: &str,
    ) -> Option<crate::model::hook::Hook> {
        use crate::model::hook::Dependency;
        use crate::model::hook::Hook;
        use crate::model::hook::HookPhase;
        use crate::model::hook::Verify;
        let f = self.fields(node, path, HOOK_KEYS)?;
        let phase = match f.get("phase") {
            Some((n, p)) => match self.word(n, &p, HOOK_PHASE_WORDS)?.as_str() {
                "backfill" => HookPhase::Backfill,
                _ => HookPhase::BeforeContract,
            },
            None => HookPhase::Backfill,
        };
        let Some((up_node, up_path)) = f.get("up") else {
            self.error(node, path, "missing key `up`");
            return None;
        };
        let up = self.sql(up_node, &up_path)?;
        let down = match f.get("down") {
            Some((n, p)) => match n.kind {
                NodeKind::Null => None,
                _ => Some(self.sql(n, &p)?),
            },
            None => None,
        };
        let mut depends_on = Vec::new();
        if let Some((n, p)) = f.get("depends_on") {
            for dep in self.names(n, &p)? {
                depends_on.push(Dependency::Object(match dep.split_once('.') {
                    Some((schema, object)) => QualName::new(schema, object),
                    // Resolved against the hook names once every file is read.
                    None => QualName::new("", dep),
                }));
            }
        }
        let batch = match f.get("batch") {
            Some((n, p)) => Some(self.batch(n, &p)?),
            None => None,
        };
        let bound: std::collections::BTreeSet<&str> =
            crate::sqltext::placeholders::placeholders(&up)
                .into_iter()
                .map(|(_, n)| n)
                .filter(|n| *n == "lo" || *n == "hi")
                .collect();
        match (&batch, bound.len()) {
            (Some(_), 2) | (None, 0) => {}
            (Some(_), _) => {
                self.error(
                    up_node,
                    &up_path,
                    "a batched hook's SQL must use both :lo and :hi (the first and last key of each batch)",
                );
                return None;
            }
            (None, _) => {
                self.error(
                    up_node,
                    &up_path,
                    ":lo and :hi stand for the keys of a batch, but the hook has no `batch`",
                );
                return None;
            }
        }
        let mut verify = Vec::new();
        if let Some((n, p)) = f.get("verify") {
            let NodeKind::Seq(items) = &n.kind else {
                self.error(n, &p, "expected a list of { name, sql }");
                return None;
            };
            for (i, item) in items.iter().enumerate() {
                let ip = format!("{p}[{i}]");
                let vf = self.fields(item, &ip, VERIFY_KEYS)?;
                let (Some((nn, np)), Some((sn, sp))) = (vf.get("name"), vf.get("sql")) else {
                    self.error(item, &ip, "a verification needs `name` and `sql`");
                    return None;
                };
                verify.push(Verify {
                    name: self.string(nn, &np)?,
                    sql: self.sql(sn, &sp)?,
                });
            }
        }
        let comment = match f.get("comment") {
            Some((n, p)) => self.optional_string(n, &p),
            None => None,
        };
        Some(Hook {
            name: name.to_string(),
            comment,
            phase,
            depends_on,
            hash: Hook::hash_of(&up),
            up,
            down,
            batch,
            verify,
        })
    }

    fn batch(&mut self, node: &Node, path: &str) -> Option<crate::model::hook::Batch> {
        let f = self.fields(node, path, BATCH_KEYS)?;
        let (Some((tn, tp)), Some((kn, kp))) = (f.get("table"), f.get("key")) else {
            self.error(node, path, "a batch needs `table` and `key`");
            return None;
        };
        let table = self.string(tn, &tp)?;
        let table = match table.split_once('.') {
            Some((schema, name)) => QualName::new(schema, name),
            None => QualName::new("public", table),
        };
        let key = self.string(kn, &kp)?;
        let size = match f.get("size") {
            Some((n, p)) => {
                let size = self.int(n, &p)?;
                if size < 1 {
                    self.error(n, &p, "a batch size is at least 1");
                    return None;
                }
                size
            }
            None => 1000,
        };
        let pause_ms = match f.get("pause") {
            Some((n, p)) => {
                let text = self.string(n, &p)?;
                let t = text.trim();
                let parsed = if let Some(ms) = t.strip_suffix("ms") {
                    ms.trim().parse::<u64>().ok()
                } else if let Some(s) = t.strip_suffix('s') {
                    s.trim().parse::<f64>().ok().map(|s| (s * 1000.0) as u64)
                } else {
                    t.parse::<u64>().ok()
                };
                match parsed {
                    Some(ms) => ms,
                    None => {
                        self.error(n, &p, format!("`{text}` is not a pause (100ms, 2s)"));
                        return None;
                    }
                }
            }
            None => 0,
        };
        Some(crate::model::hook::Batch {
            table,
            key,
            size,
            pause_ms,
            key_type: String::new(),
        })
    }
}
