//! The rebuild closure: from every disturbed key along `pg_depend` to the views, materialized
//! views, constraints, indexes, generated columns, triggers and policies rebuilt with it.

use std::collections::{BTreeSet, HashMap, VecDeque};

use crate::model::*;

use super::compare::{policy_alterable, view_replaceable};
use super::state::{Differ, Disturbance};

impl Differ<'_> {
    /// Follows `pg_depend` from every disturbed key to the objects that must be rebuilt.
    pub(super) fn close_over_dependents(&mut self) {
        let cur = self.cur;
        let mut dependents: HashMap<&ObjKey, Vec<&ObjKey>> = HashMap::new();
        for (from, to) in &cur.deps {
            dependents.entry(to).or_default().push(from);
        }
        let mut queue: VecDeque<(ObjKey, Disturbance)> = self.seeds.drain(..).collect();
        let mut seen: BTreeSet<(ObjKey, Disturbance)> = BTreeSet::new();
        while let Some((key, how)) = queue.pop_front() {
            if !seen.insert((key.clone(), how)) {
                continue;
            }
            let Some(deps) = dependents.get(&key) else {
                continue;
            };
            for dep in deps.clone() {
                match dep {
                    ObjKey::Relation(q) | ObjKey::Column(q, _)
                        if self.cur.views.contains_key(q) && self.des.views.contains_key(q) =>
                    {
                        self.reach_view(q, &key, &mut queue);
                    }
                    // A materialized view cannot be altered: whatever disturbs what it reads
                    // (a column's type, a view it reads being rebuilt) drops it and creates it
                    // again after, and what reads it in turn.
                    ObjKey::Relation(q) | ObjKey::Column(q, _)
                        if self.cur.materialized_views.contains_key(q) =>
                    {
                        self.reach_materialized_view(q, &key, how, &mut queue);
                    }
                    // A foreign key follows its columns' type change only when the types stay
                    // comparable; it is dropped and added again around any type change.
                    // PostgreSQL rebuilds checks over a retyped column from their printed text,
                    // which for some expressions does not parse back to the same tree: those are
                    // rebuilt from verified SQL instead.
                    ObjKey::Constraint(t, n)
                        if how == Disturbance::Replaced
                            || self.is_foreign_key(t, n)
                            || self.constraint_reprinted(t, n) =>
                    {
                        self.reach_constraint(dep, t, n, &mut queue);
                    }
                    // A generated column cannot outlive a change of the columns it reads: it is
                    // dropped and added again (its values are derived, nothing is lost).
                    ObjKey::Column(t, g)
                        if self.is_generated_in_both(t, g)
                            && self.recreated_columns.insert((t.clone(), g.clone())) =>
                    {
                        queue.push_back((dep.clone(), Disturbance::Replaced));
                    }
                    ObjKey::Relation(q)
                        if how == Disturbance::Replaced || self.index_reprinted(q) =>
                    {
                        self.reach_index(dep, q, &mut queue);
                    }
                    // PostgreSQL refuses to retype a column a trigger's WHEN or UPDATE OF
                    // names, and to drop a function a trigger calls: the trigger is dropped
                    // before and created again after.
                    ObjKey::Trigger(t, n) => self.reach_trigger(t, n),
                    // PostgreSQL refuses to retype or drop a column (or drop a table) a policy
                    // reads: the policy is dropped before and created after. Nothing depends
                    // on a policy, so the closure stops there.
                    ObjKey::Policy(t, p) => self.reach_policy(dep, t, p, &key),
                    // An aggregate whose support function or state type is dropped (and
                    // maybe created again) goes before it and comes back after, with what
                    // calls it.
                    ObjKey::Function(id)
                        if how == Disturbance::Replaced
                            && self.cur.aggregates.contains_key(id)
                            && self.des.aggregates.contains_key(id)
                            && self.replaced_aggregates.insert(id.clone()) =>
                    {
                        queue.push_back((dep.clone(), Disturbance::Replaced));
                    }
                    // Statistics over a retyped column lose their target when PostgreSQL
                    // rebuilds them, and go with a dropped one: they are dropped before and
                    // created again after. Nothing depends on statistics.
                    ObjKey::Statistics(q) => self.reach_statistics(q),
                    // A configuration mapping a dictionary that is dropped and created again
                    // goes before it and comes back after, with what names it.
                    ObjKey::TsConfiguration(q)
                        if how == Disturbance::Replaced
                            && self.reach_text_search_configuration(q) =>
                    {
                        queue.push_back((dep.clone(), Disturbance::Replaced));
                    }
                    _ => {}
                }
            }
        }
    }

    /// A view reading the disturbed `key`: rebuilt, with what reads its columns in turn.
    fn reach_view(
        &mut self,
        q: &QualName,
        key: &ObjKey,
        queue: &mut VecDeque<(ObjKey, Disturbance)>,
    ) {
        // A view that stops reading the disturbed object and keeps its columns
        // is replaced in place before the object goes; no rebuild needed.
        let replaceable = view_replaceable(&self.cur.views[q], &self.des.views[q]);
        let still_reads = self
            .des
            .deps
            .contains(&(ObjKey::Relation(q.clone()), key.clone()));
        if replaceable && !still_reads {
            return;
        }
        if !self.rebuild_views.insert(q.clone()) {
            return;
        }
        let view = &self.cur.views[q];
        queue.push_back((ObjKey::Relation(q.clone()), Disturbance::Replaced));
        for c in &view.columns {
            queue.push_back((
                ObjKey::Column(q.clone(), c.name.clone()),
                Disturbance::Replaced,
            ));
        }
    }

    /// A materialized view reading the disturbed `key` (kept by the desired state): dropped
    /// and created again, remembering why for its warning.
    fn reach_materialized_view(
        &mut self,
        q: &QualName,
        key: &ObjKey,
        how: Disturbance,
        queue: &mut VecDeque<(ObjKey, Disturbance)>,
    ) {
        if !self.des.materialized_views.contains_key(q) || self.rebuild_matviews.contains_key(q) {
            return;
        }
        self.rebuild_matviews.insert(q.clone(), (key.clone(), how));
        queue.push_back((ObjKey::Relation(q.clone()), Disturbance::Replaced));
        for c in &self.cur.materialized_views[q].columns {
            queue.push_back((
                ObjKey::Column(q.clone(), c.name.clone()),
                Disturbance::Replaced,
            ));
        }
    }

    /// A constraint the desired state keeps: dropped and added again, with its index.
    fn reach_constraint(
        &mut self,
        dep: &ObjKey,
        t: &QualName,
        n: &String,
        queue: &mut VecDeque<(ObjKey, Disturbance)>,
    ) {
        let kept = self
            .des
            .tables
            .get(t)
            .is_some_and(|tb| tb.constraints.contains_key(n));
        if kept && self.rebuild_constraints.insert((t.clone(), n.clone())) {
            queue.push_back((dep.clone(), Disturbance::Replaced));
            if self.cur.tables[t].constraints[n].kind.has_index() {
                queue.push_back((
                    ObjKey::Relation(QualName::new(t.schema.clone(), n.clone())),
                    Disturbance::Replaced,
                ));
            }
        }
    }

    /// A stand-alone index of a table, kept by the desired state: built again.
    fn reach_index(
        &mut self,
        dep: &ObjKey,
        q: &QualName,
        queue: &mut VecDeque<(ObjKey, Disturbance)>,
    ) {
        let Some(table) = self.index_table(q) else {
            return;
        };
        let kept = self
            .des
            .tables
            .get(&table)
            .is_some_and(|tb| tb.indexes.contains_key(&q.name));
        if kept && self.rebuild_indexes.insert((table, q.name.clone())) {
            queue.push_back((dep.clone(), Disturbance::Replaced));
        }
    }

    /// A trigger the desired state keeps: dropped and created again.
    fn reach_trigger(&mut self, t: &QualName, n: &String) {
        let kept = self
            .des
            .tables
            .get(t)
            .is_some_and(|tb| tb.triggers.contains_key(n));
        if kept {
            self.rebuild_triggers.insert((t.clone(), n.clone()));
        }
    }

    /// A policy reading the disturbed `key`, kept by the desired state: dropped and created
    /// again, unless it can be altered to stop reading it.
    fn reach_policy(&mut self, dep: &ObjKey, t: &QualName, p: &String, key: &ObjKey) {
        let (Some(old), Some(new)) = (
            self.cur.tables.get(t).and_then(|tb| tb.policies.get(p)),
            self.des.tables.get(t).and_then(|tb| tb.policies.get(p)),
        ) else {
            return;
        };
        // A policy that stops reading the disturbed object is altered in
        // place before the object goes.
        let still_reads = self.des.deps.contains(&(dep.clone(), key.clone()));
        if policy_alterable(old, new) && !still_reads {
            return;
        }
        self.rebuild_policies.insert((t.clone(), p.clone()));
    }

    fn is_foreign_key(&self, table: &QualName, name: &str) -> bool {
        self.cur
            .tables
            .get(table)
            .and_then(|t| t.constraints.get(name))
            .is_some_and(|c| matches!(c.kind, ConstraintKind::ForeignKey(_)))
    }

    /// Whether a check's (or an exclusion constraint's) printed text needs a rewrite to parse
    /// back to itself.
    fn constraint_reprinted(&self, table: &QualName, name: &str) -> bool {
        self.cur
            .tables
            .get(table)
            .and_then(|t| t.constraints.get(name))
            .is_some_and(|c| match &c.kind {
                ConstraintKind::Check { expression, .. } => expression.source.is_some(),
                ConstraintKind::Exclude(x) => x.expressions().any(|e| e.source.is_some()),
                _ => false,
            })
    }

    /// Whether an index's printed expressions or predicate need a rewrite to parse back.
    fn index_reprinted(&self, index: &QualName) -> bool {
        let Some(table) = self.index_tables.get(index) else {
            return false;
        };
        let Some(i) = self
            .cur
            .tables
            .get(table)
            .and_then(|t| t.indexes.get(&index.name))
        else {
            return false;
        };
        i.predicate.as_ref().is_some_and(|p| p.source.is_some())
            || i.keys
                .iter()
                .any(|k| matches!(&k.expr, IndexExpr::Expression(e) if e.source.is_some()))
    }

    fn is_generated_in_both(&self, table: &QualName, column: &str) -> bool {
        let generated = |model: &Catalog| {
            model
                .tables
                .get(table)
                .and_then(|t| t.column(column))
                .is_some_and(|c| c.generated.is_some())
        };
        generated(self.cur) && generated(self.des)
    }

    /// The table of a stand-alone index of the current model.
    fn index_table(&self, index: &QualName) -> Option<QualName> {
        self.index_tables.get(index).cloned()
    }
}
