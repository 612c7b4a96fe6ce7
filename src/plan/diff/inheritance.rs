//! Tables that inherit (`INHERITS`, not partitions): the columns a parent alone declares are the
//! parent's, and what the parent does to them reaches its heirs. A parent drops a column with
//! `ALTER TABLE ONLY`, so that each heir keeps its copy (its own from then on) and drops it with
//! a change of its own, values kept, unless the desired state keeps it there. A table that
//! leaves a parent (`NO INHERIT`) keeps what it had from it as its own; one that gains a parent
//! is created again instead (`compare::gains_parent`).

use std::collections::BTreeMap;

use crate::model::*;
use crate::plan::change::Change;

use super::state::Differ;

impl Differ<'_> {
    /// Whether a table inherits from `name` now.
    pub(super) fn has_heirs(&self, name: &QualName) -> bool {
        self.cur.tables.values().any(|t| t.inherits.contains(name))
    }

    /// Whether a parent gives `column` to its heirs in the desired state: it declares it, or
    /// has it from a parent of its own.
    fn provides(&self, parent: &QualName, column: &str) -> bool {
        (self.des.ancestors(parent).iter()).any(|(_, t)| t.column(column).is_some())
    }

    /// The checks a parent gives the tables that inherit from it now: its own and those of its
    /// parents, except `NO INHERIT` ones.
    fn given_checks(&self, parent: &QualName) -> BTreeMap<String, Constraint> {
        let mut out = BTreeMap::new();
        for (_, t) in self.cur.ancestors(parent) {
            for (n, c) in &t.constraints {
                if let ConstraintKind::Check {
                    no_inherit: false, ..
                } = c.kind
                {
                    out.entry(n.clone()).or_insert_with(|| c.clone());
                }
            }
        }
        out
    }

    /// The columns of an existing table that inherits, as far as they are its own: those it
    /// declares, and those it has from parents that will no longer give them (they are its own
    /// once the parent drops them, or once the table leaves the parent, which this pushes). A
    /// column a remaining parent gives cannot become its own or stop being so in place: it is
    /// left as it is, with a warning.
    pub(super) fn inheritance_views(
        &mut self,
        name: &QualName,
        old_view: &mut Table,
        new_view: &mut Table,
    ) {
        if old_view.inherits.is_empty() && new_view.inherits.is_empty() {
            return;
        }
        // A table gaining a parent is created again (`compare::gains_parent`): here parents
        // can only be left.
        let staying = staying_parents(old_view, new_view);
        for parent in old_view.inherits.iter().filter(|p| !staying.contains(p)) {
            self.push(Change::SetInherit {
                table: name.clone(),
                parent: parent.clone(),
                inherit: false,
            });
            // What the parent gave the table is its own from then on: its checks too.
            for (check, con) in self.given_checks(parent) {
                let still_given = staying
                    .iter()
                    .any(|p| self.given_checks(p).contains_key(&check));
                if !still_given && !old_view.constraints.contains_key(&check) {
                    old_view.constraints.insert(check, con);
                }
            }
        }
        let given = |d: &Self, c: &str| staying.iter().any(|p| d.provides(p, c));
        let mut own = Vec::new();
        for c in &old_view.columns {
            match (c.inherited, given(self, &c.name)) {
                (false, _) => own.push(c.clone()),
                (true, true) => {}
                // Its parent drops it (`ONLY`): it is the table's own from then on.
                (true, false) => own.push(Column {
                    inherited: false,
                    ..c.clone()
                }),
            }
        }
        old_view.columns = own;
        // The desired state read back from the shadow has its parents' columns too.
        new_view.columns.retain(|c| !c.inherited);
        let mut left = Vec::new();
        for c in &new_view.columns {
            let now = old_view.column(&c.name).is_some();
            let before = self.cur.tables.get(name).and_then(|t| t.column(&c.name));
            if !now && before.is_some_and(|b| b.inherited) && given(self, &c.name) {
                left.push(c.name.clone());
            }
        }
        for c in &old_view.columns {
            if new_view.column(&c.name).is_none() && given(self, &c.name) {
                left.push(c.name.clone());
            }
        }
        for column in left {
            self.warn(
                format!("{name}.{column}"),
                "a parent gives the column to the table: whether the table declares it too cannot change in place; left as it is",
            );
            old_view.columns.retain(|c| c.name != column);
            new_view.columns.retain(|c| c.name != column);
        }
    }
}

/// The parents a table inherits from now and keeps inheriting from.
pub(super) fn staying_parents(old: &Table, new: &Table) -> Vec<QualName> {
    (old.inherits.iter())
        .filter(|p| new.inherits.contains(p))
        .cloned()
        .collect()
}

pub(super) fn names(tables: &[QualName]) -> String {
    tables
        .iter()
        .map(|q| q.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
