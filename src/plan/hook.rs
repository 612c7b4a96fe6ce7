//! Data steps: named hooks of the desired state (`hooks:`) that move data between expand and
//! contract, and which of them a plan runs.
//!
//! A hook runs once per database: `schemaplan.hooks` records it by name and by a hash of its
//! `up` SQL, so a hook whose SQL changes is a new hook. A hook has nothing to do where the
//! tables it moves data from are not in the database (a database created from the desired
//! state); it is then left out of the plan, with a warning that says why.
//!
//! Pure: the runner is `hookrun`.

use std::collections::BTreeMap;

use crate::model::hook::{Dependency, Hook, Recorded};
use crate::model::warning::Warning;
use crate::model::{Catalog, ConstraintKind, IndexExpr, QualName};
use crate::plan::change::Change;

/// A hook that cannot be planned, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HookProblem {
    pub hook: String,
    pub message: String,
}

/// The hooks a plan runs, in the order they were written, with their batch key types filled in
/// from `current`; warnings for those left out. `recorded` is keyed by (name, hash).
pub fn pending(
    hooks: &[Hook],
    current: &Catalog,
    desired: &Catalog,
    recorded: &BTreeMap<(String, String), Recorded>,
) -> Result<(Vec<Hook>, Vec<Warning>), Vec<HookProblem>> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    for hook in hooks {
        if recorded.get(&(hook.name.clone(), hook.hash.clone())) == Some(&Recorded::Done) {
            continue;
        }
        // The tables it moves data from: its batch table, and what it depends on that the
        // desired state does not define.
        let mut sources: Vec<&QualName> = hook.batch.iter().map(|b| &b.table).collect();
        for dep in &hook.depends_on {
            if let Dependency::Object(q) = dep {
                let defined = desired.tables.contains_key(q)
                    || desired.views.contains_key(q)
                    || desired.materialized_views.contains_key(q)
                    || desired.sequences.contains_key(q)
                    || desired.enums.contains_key(q);
                if !defined && !sources.contains(&q) {
                    sources.push(q);
                }
            }
        }
        if let Some(missing) = sources.iter().find(|q| !current.tables.contains_key(*q)) {
            warnings.push(Warning {
                object: format!("hook {}", hook.name),
                message: format!(
                    "left out: {missing} is not a table in the database, so there is no data to move"
                ),
            });
            continue;
        }
        let mut hook = hook.clone();
        if let Some(batch) = &mut hook.batch {
            let table = &current.tables[&batch.table];
            let Some(column) = table.columns.iter().find(|c| c.name == batch.key) else {
                problems.push(HookProblem {
                    hook: hook.name.clone(),
                    message: format!(
                        "batch key `{}` is not a column of {} in the database",
                        batch.key, batch.table
                    ),
                });
                continue;
            };
            let unique = table.constraints.values().any(|c| match &c.kind {
                ConstraintKind::PrimaryKey { columns, .. }
                | ConstraintKind::Unique { columns, .. } => {
                    columns == std::slice::from_ref(&batch.key)
                }
                _ => false,
            }) || table.indexes.values().any(|i| {
                i.unique
                    && i.predicate.is_none()
                    && i.keys.len() == 1
                    && matches!(&i.keys[0].expr, IndexExpr::Column(c) if *c == batch.key)
            });
            if !unique || !column.not_null {
                problems.push(HookProblem {
                    hook: hook.name.clone(),
                    message: format!(
                        "batch key {}.{} must be NOT NULL and unique (a primary key or a unique \
                         constraint of that column alone): batches walk it in ranges",
                        batch.table, batch.key
                    ),
                });
                continue;
            }
            batch.key_type = column.data_type.clone();
        }
        out.push(hook);
    }
    if problems.is_empty() {
        Ok((out, warnings))
    } else {
        Err(problems)
    }
}

/// Edges `(a, b)` (change `a` runs before change `b`) between the hooks among `changes`: a hook
/// runs after the hooks it depends on.
pub fn edges(changes: &[Change]) -> Vec<(usize, usize)> {
    let by_name: BTreeMap<&str, usize> = changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c {
            Change::RunHook { hook } => Some((hook.name.as_str(), i)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        if let Change::RunHook { hook } = c {
            for dep in &hook.depends_on {
                if let Dependency::Hook(name) = dep {
                    if let Some(&j) = by_name.get(name.as_str()) {
                        out.push((j, i));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hook::{Batch, HookPhase};
    use crate::model::{Column, Constraint, Table};

    fn hook(name: &str, batch: Option<&str>) -> Hook {
        Hook {
            name: name.into(),
            phase: HookPhase::Backfill,
            depends_on: Vec::new(),
            up: "SELECT 1".into(),
            down: None,
            batch: batch.map(|t| Batch {
                table: QualName::new("public", t),
                key: "id".into(),
                size: 10,
                pause_ms: 0,
                key_type: String::new(),
            }),
            verify: Vec::new(),
            comment: None,
            hash: Hook::hash_of("SELECT 1"),
        }
    }

    fn keyed_table() -> Table {
        let mut id = Column::new("id", "uuid");
        id.not_null = true;
        let mut t = Table::default();
        t.columns.push(id);
        t.constraints.insert(
            "t_pkey".into(),
            Constraint {
                kind: ConstraintKind::PrimaryKey {
                    columns: vec!["id".into()],
                    include: Vec::new(),
                    without_overlaps: false,
                },
                deferrable: false,
                initially_deferred: false,
                validated: true,
                enforced: true,
                only: false,
                comment: None,
            },
        );
        t
    }

    #[test]
    fn hooks_without_their_source_table_are_left_out_and_done_ones_skipped() {
        let mut current = Catalog::default();
        current
            .tables
            .insert(QualName::new("public", "legacy"), keyed_table());
        let hooks = vec![
            hook("a", Some("legacy")),
            hook("b", Some("missing")),
            hook("c", None),
        ];
        let mut recorded = BTreeMap::new();
        recorded.insert(("c".to_string(), hooks[2].hash.clone()), Recorded::Done);
        let (run, warnings) = pending(&hooks, &current, &Catalog::default(), &recorded).unwrap();
        assert_eq!(run.len(), 1);
        assert_eq!(run[0].name, "a");
        assert_eq!(run[0].batch.as_ref().unwrap().key_type, "uuid");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].message.contains("public.missing"));
    }

    #[test]
    fn a_batch_key_must_be_unique() {
        let mut t = keyed_table();
        t.constraints.clear();
        let mut current = Catalog::default();
        current.tables.insert(QualName::new("public", "legacy"), t);
        let err = pending(
            &[hook("a", Some("legacy"))],
            &current,
            &Catalog::default(),
            &BTreeMap::new(),
        )
        .unwrap_err();
        assert!(err[0].message.contains("unique"), "{err:?}");
    }
}
