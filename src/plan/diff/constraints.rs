//! Constraints of an existing table: added, dropped, validated, altered (a foreign key's
//! deferrability), or dropped and added again.

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::compare::same_constraint;
use super::state::Differ;

impl Differ<'_> {
    /// Constraints of a table that stays (as far as they are its own); those it is rebuilt
    /// with, or that read a column dropped and added again, are dropped and added again.
    pub(super) fn constraint_changes(&mut self, name: &QualName, old: &Table, new: &Table) {
        for (cname, con) in &new.constraints {
            let rebuilt = self
                .rebuild_constraints
                .contains(&(name.clone(), cname.clone()))
                || con
                    .kind
                    .reads_columns()
                    .into_iter()
                    .any(|c| self.recreated_columns.contains(&(name.clone(), c.clone())));
            // PostgreSQL cannot mark a valid constraint NOT VALID again: it is dropped and
            // added NOT VALID (which reads no rows).
            let invalidated = old
                .constraints
                .get(cname)
                .is_some_and(|prev| prev.validated && !con.validated);
            // PostgreSQL 18 alters whether a foreign key is enforced, not a check's. Turning a
            // foreign key ENFORCED in place checks every row under ACCESS EXCLUSIVE, so that
            // way it is dropped and added again (NOT VALID, then validated, on a table in use).
            let enforcement = old.constraints.get(cname).is_some_and(|prev| {
                prev.enforced != con.enforced
                    && (con.enforced || !matches!(con.kind, ConstraintKind::ForeignKey(_)))
            });
            let rebuilt = rebuilt || invalidated || enforcement;
            match old.constraints.get(cname) {
                Some(prev)
                    if !rebuilt
                        && matches!(con.kind, ConstraintKind::ForeignKey(_))
                        && prev.kind == con.kind
                        && !same_constraint(prev, con) =>
                {
                    self.push(Change::AlterConstraint {
                        table: name.clone(),
                        name: cname.clone(),
                        from: prev.clone(),
                        to: con.clone(),
                    });
                    if prev.comment != con.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Constraint(name.clone(), cname.clone()),
                            from: prev.comment.clone(),
                            to: con.comment.clone(),
                        });
                    }
                    // A foreign key no longer enforced has nothing to validate.
                    if !prev.validated && con.validated && con.enforced {
                        self.push(Change::ValidateConstraint {
                            table: name.clone(),
                            name: cname.clone(),
                            constraint: con.clone(),
                        });
                    }
                }
                Some(prev) if same_constraint(prev, con) && !rebuilt => {
                    if !prev.validated && con.validated {
                        self.push(Change::ValidateConstraint {
                            table: name.clone(),
                            name: cname.clone(),
                            constraint: con.clone(),
                        });
                    }
                    if prev.comment != con.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Constraint(name.clone(), cname.clone()),
                            from: prev.comment.clone(),
                            to: con.comment.clone(),
                        });
                    }
                }
                prev => {
                    if let Some(prev) = prev {
                        self.push(Change::DropConstraint {
                            table: name.clone(),
                            name: cname.clone(),
                            constraint: prev.clone(),
                        });
                    }
                    if con.kind.without_overlaps() {
                        self.warn(
                            format!("{name}.{cname}"),
                            format!(
                                "a temporal key (WITHOUT OVERLAPS) has a GiST index, which can be neither built concurrently nor attached USING INDEX: adding it to an existing table holds ACCESS EXCLUSIVE on {name} while the index is built and every row checked"
                            ),
                        );
                    }
                    if let ConstraintKind::Exclude(x) = &con.kind {
                        self.warn(
                            format!("{name}.{cname}"),
                            format!(
                                "an exclusion constraint can be neither built concurrently nor added NOT VALID: adding it to an existing table holds ACCESS EXCLUSIVE on {name} while its {} index is built and every row checked",
                                x.method
                            ),
                        );
                    }
                    self.push(Change::AddConstraint {
                        table: name.clone(),
                        name: cname.clone(),
                        constraint: con.clone(),
                    });
                }
            }
        }
        for (cname, con) in &old.constraints {
            if !new.constraints.contains_key(cname) {
                self.push(Change::DropConstraint {
                    table: name.clone(),
                    name: cname.clone(),
                    constraint: con.clone(),
                });
            }
        }
    }
}
