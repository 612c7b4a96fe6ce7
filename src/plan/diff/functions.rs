//! Functions, procedures and triggers.

use std::collections::BTreeMap;

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::state::Differ;

/// Whether two functions are the same but for their comment and grants (changed by steps of
/// their own). White space around a body is not significant (YAML block scalars end in a line
/// break, hand-written SQL often starts with one).
fn same_function(a: &Function, b: &Function) -> bool {
    let definition = |f: &Function| Function {
        comment: None,
        grants: Grants::new(),
        body: f.body.trim().to_string(),
        ..f.clone()
    };
    definition(a) == definition(b)
}

impl Differ<'_> {
    pub(super) fn functions(&mut self) {
        for (id, f) in &self.des.functions {
            let Some(old) = self.cur.functions.get(id) else {
                self.push(Change::CreateFunction {
                    id: id.clone(),
                    def: f.clone(),
                });
                continue;
            };
            if self.replaced_functions.contains(id) {
                self.push(Change::DropFunction {
                    id: id.clone(),
                    def: old.clone(),
                });
                self.push(Change::CreateFunction {
                    id: id.clone(),
                    def: f.clone(),
                });
                continue;
            }
            if !same_function(old, f) {
                self.push(Change::ReplaceFunction {
                    id: id.clone(),
                    from: old.clone(),
                    to: f.clone(),
                });
            }
            if old.comment != f.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Function(id.clone()),
                    from: old.comment.clone(),
                    to: f.comment.clone(),
                });
            }
        }
        for (id, f) in &self.cur.functions {
            if !self.des.functions.contains_key(id) {
                self.push(Change::DropFunction {
                    id: id.clone(),
                    def: f.clone(),
                });
            }
        }
    }

    /// Triggers of the desired tables (a new table's too); those of a dropped table go with it.
    /// Triggers of views likewise, except that a view dropped (or dropped to be created again)
    /// has its triggers dropped first, so that going back creates them again.
    pub(super) fn triggers(&mut self) {
        for (table, t) in &self.des.tables {
            // A table dropped and created again (a new partition key) gets them with its create.
            let old = self
                .cur
                .tables
                .get(table)
                .filter(|o| !super::compare::recreated(o, t))
                .map(|o| &o.triggers);
            self.trigger_changes(table, old, &t.triggers);
        }
        for (name, view) in &self.des.views {
            let old = self.cur.views.get(name);
            let rebuilt = old.is_some_and(|o| {
                self.rebuild_views.contains(name) || !super::compare::view_replaceable(o, view)
            });
            if let Some(old) = old.filter(|_| rebuilt) {
                self.drop_triggers(name, &old.triggers);
            }
            let old = old.filter(|_| !rebuilt).map(|o| &o.triggers);
            self.trigger_changes(name, old, &view.triggers);
        }
        for (name, view) in &self.cur.views {
            if !self.des.views.contains_key(name) {
                self.drop_triggers(name, &view.triggers);
            }
        }
    }

    fn drop_triggers(&mut self, relation: &QualName, triggers: &BTreeMap<String, Trigger>) {
        for (name, trigger) in triggers {
            self.push(Change::DropTrigger {
                table: relation.clone(),
                name: name.clone(),
                trigger: trigger.clone(),
            });
        }
    }

    /// The triggers of one table or view: `old` is `None` for a relation created by the plan.
    fn trigger_changes(
        &mut self,
        table: &QualName,
        old_triggers: Option<&BTreeMap<String, Trigger>>,
        triggers: &BTreeMap<String, Trigger>,
    ) {
        for (name, trigger) in triggers {
            let key = (table.clone(), name.clone());
            let Some(old) = old_triggers.and_then(|o| o.get(name)) else {
                self.push(Change::CreateTrigger {
                    table: table.clone(),
                    name: name.clone(),
                    trigger: trigger.clone(),
                });
                continue;
            };
            let same_definition = Trigger {
                enabled: trigger.enabled,
                comment: trigger.comment.clone(),
                ..old.clone()
            } == *trigger;
            // PostgreSQL 13 has no CREATE OR REPLACE TRIGGER (a model from YAML, version 0,
            // follows 15).
            let no_replace = (1..140000).contains(&self.cur.server_version);
            if self.rebuild_triggers.contains(&key)
                || (!same_definition && (old.constraint || trigger.constraint || no_replace))
            {
                self.push(Change::DropTrigger {
                    table: table.clone(),
                    name: name.clone(),
                    trigger: old.clone(),
                });
                self.push(Change::CreateTrigger {
                    table: table.clone(),
                    name: name.clone(),
                    trigger: trigger.clone(),
                });
                continue;
            }
            if !same_definition {
                self.push(Change::ReplaceTrigger {
                    table: table.clone(),
                    name: name.clone(),
                    from: old.clone(),
                    to: trigger.clone(),
                });
            } else if old.enabled != trigger.enabled {
                self.push(Change::SetTriggerEnabled {
                    table: table.clone(),
                    name: name.clone(),
                    from: old.enabled,
                    to: trigger.enabled,
                });
            }
            if old.comment != trigger.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Trigger(table.clone(), name.clone()),
                    from: old.comment.clone(),
                    to: trigger.comment.clone(),
                });
            }
        }
        if let Some(old_triggers) = old_triggers {
            self.drop_triggers(
                table,
                &old_triggers
                    .iter()
                    .filter(|(name, _)| !triggers.contains_key(*name))
                    .map(|(n, t)| (n.clone(), t.clone()))
                    .collect(),
            );
        }
    }
}
