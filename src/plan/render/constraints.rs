//! Constraints of tables.

use std::fmt::Write as _;

use super::comments::comment_if;
use super::fragments::{ident_list, include_clause};
use super::indexes::index_key;
use crate::model::quote::{ident, qualified};
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

/// PostgreSQL 18's NOT NULL constraint of a column: `ADD CONSTRAINT … NOT NULL col [NO
/// INHERIT] [NOT VALID]`, `DROP CONSTRAINT`, `ALTER CONSTRAINT … [NO] INHERIT`, `VALIDATE
/// CONSTRAINT`; a validated one goes back to `NOT VALID` by being dropped and added so.
pub(super) fn not_null(change: &Change) -> Vec<String> {
    let Change::NotNull {
        table,
        column,
        name,
        from,
        to,
    } = change
    else {
        unreachable!("statements hands NotNull here");
    };
    let (from, to) = (*from, *to);
    let alter = format!("ALTER TABLE {}", qualified(table));
    let add = |s: NotNullState| {
        format!(
            "{alter} ADD CONSTRAINT {} NOT NULL {}{}{}",
            ident(name),
            ident(column),
            if s.no_inherit { " NO INHERIT" } else { "" },
            if s.valid { "" } else { " NOT VALID" }
        )
    };
    let drop = format!("{alter} DROP CONSTRAINT {}", ident(name));
    match (from, to) {
        (None, None) => Vec::new(),
        (None, Some(to)) => vec![add(to)],
        (Some(_), None) => vec![drop],
        (Some(a), Some(b)) if a.valid && !b.valid => vec![drop, add(b)],
        (Some(a), Some(b)) => {
            let mut out = Vec::new();
            if a.no_inherit != b.no_inherit {
                out.push(format!(
                    "{alter} ALTER CONSTRAINT {} {}",
                    ident(name),
                    if b.no_inherit {
                        "NO INHERIT"
                    } else {
                        "INHERIT"
                    }
                ));
            }
            if !a.valid && b.valid {
                out.push(format!("{alter} VALIDATE CONSTRAINT {}", ident(name)));
            }
            out
        }
    }
}

pub(super) fn add_constraint(table: &QualName, name: &str, constraint: &Constraint) -> Vec<String> {
    // An incomplete key of a partitioned table is added to it alone.
    let mut sql = format!(
        "ALTER TABLE {}{} ADD CONSTRAINT {} {}",
        if constraint.only { "ONLY " } else { "" },
        qualified(table),
        ident(name),
        constraint_definition(constraint)
    );
    if !constraint.validated {
        sql.push_str(" NOT VALID");
    }
    let mut out = vec![sql];
    comment_if(
        &mut out,
        &CommentTarget::Constraint(table.clone(), name.to_string()),
        &constraint.comment,
    );
    out
}

pub(super) fn drop_constraint(table: &QualName, name: &str) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} DROP CONSTRAINT {}",
        qualified(table),
        ident(name)
    )]
}

/// `VALIDATE CONSTRAINT` of a constraint added `NOT VALID`.
pub(super) fn validate(table: &QualName, name: &str) -> Vec<String> {
    vec![format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        qualified(table),
        ident(name)
    )]
}

/// Only the deferral of a foreign key changes, or whether it is enforced (PostgreSQL 18), or
/// both: the clauses of what changes, in one statement.
pub(super) fn alter_constraint(change: &Change) -> Vec<String> {
    let Change::AlterConstraint {
        table,
        name,
        from,
        to,
    } = change
    else {
        unreachable!("statements hands AlterConstraint here");
    };
    let mut clauses = Vec::new();
    let deferral_changes =
        (from.deferrable, from.initially_deferred) != (to.deferrable, to.initially_deferred);
    if deferral_changes || from.enforced == to.enforced {
        clauses.push(match (to.deferrable, to.initially_deferred) {
            (false, _) => "NOT DEFERRABLE",
            (true, false) => "DEFERRABLE INITIALLY IMMEDIATE",
            (true, true) => "DEFERRABLE INITIALLY DEFERRED",
        });
    }
    if from.enforced != to.enforced {
        clauses.push(if to.enforced {
            "ENFORCED"
        } else {
            "NOT ENFORCED"
        });
    }
    vec![format!(
        "ALTER TABLE {} ALTER CONSTRAINT {} {}",
        qualified(table),
        ident(name),
        clauses.join(" ")
    )]
}

/// A key's columns, the last marked `WITHOUT OVERLAPS` in a temporal key.
fn key_columns(columns: &[String], without_overlaps: bool) -> String {
    let mut list = ident_list(columns);
    if without_overlaps {
        list.push_str(" WITHOUT OVERLAPS");
    }
    list
}

/// A foreign key's columns (either side), the last marked `PERIOD` in a temporal foreign key.
fn period_columns(columns: &[String], period: bool) -> String {
    match columns.split_last() {
        Some((last, rest)) if period => {
            let mut list: Vec<String> = rest.iter().map(|c| ident(c)).collect();
            list.push(format!("PERIOD {}", ident(last)));
            list.join(", ")
        }
        _ => ident_list(columns),
    }
}

pub(super) fn add_constraint_using_index(
    table: &QualName,
    name: &str,
    constraint: &Constraint,
) -> Vec<String> {
    let mut sql = format!(
        "ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}",
        qualified(table),
        ident(name),
        if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }) {
            "PRIMARY KEY"
        } else {
            "UNIQUE"
        },
        ident(name)
    );
    if constraint.deferrable {
        sql.push_str(" DEFERRABLE");
        if constraint.initially_deferred {
            sql.push_str(" INITIALLY DEFERRED");
        }
    }
    let mut out = vec![sql];
    comment_if(
        &mut out,
        &CommentTarget::Constraint(table.clone(), name.to_string()),
        &constraint.comment,
    );
    out
}

pub(super) fn constraint_definition(c: &Constraint) -> String {
    let mut sql = match &c.kind {
        ConstraintKind::PrimaryKey {
            columns,
            include,
            without_overlaps,
        } => {
            format!(
                "PRIMARY KEY ({}){}",
                key_columns(columns, *without_overlaps),
                include_clause(include)
            )
        }
        ConstraintKind::Unique {
            columns,
            include,
            nulls_not_distinct,
            without_overlaps,
        } => format!(
            "UNIQUE{} ({}){}",
            if *nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            key_columns(columns, *without_overlaps),
            include_clause(include)
        ),
        ConstraintKind::Check {
            expression,
            no_inherit,
        } => format!(
            "CHECK ({}){}",
            expression.sql(),
            if *no_inherit { " NO INHERIT" } else { "" }
        ),
        ConstraintKind::ForeignKey(fk) => {
            let mut sql = format!(
                "FOREIGN KEY ({}) REFERENCES {} ({})",
                period_columns(&fk.columns, fk.period),
                qualified(&fk.ref_table),
                period_columns(&fk.ref_columns, fk.period)
            );
            if fk.match_full {
                sql.push_str(" MATCH FULL");
            }
            if fk.on_update != FkAction::NoAction {
                write!(sql, " ON UPDATE {}", fk.on_update.sql()).unwrap();
            }
            if fk.on_delete != FkAction::NoAction {
                write!(sql, " ON DELETE {}", fk.on_delete.sql()).unwrap();
                if !fk.on_delete_columns.is_empty() {
                    write!(sql, " ({})", ident_list(&fk.on_delete_columns)).unwrap();
                }
            }
            sql
        }
        ConstraintKind::Exclude(x) => {
            let elements: Vec<String> = x
                .elements
                .iter()
                .map(|e| format!("{} WITH {}", index_key(&e.key), e.operator))
                .collect();
            let mut sql = format!(
                "EXCLUDE USING {} ({}){}",
                ident(&x.method),
                elements.join(", "),
                include_clause(&x.include)
            );
            if let Some(predicate) = &x.predicate {
                write!(sql, " WHERE ({})", predicate.sql()).unwrap();
            }
            sql
        }
    };
    if c.deferrable {
        sql.push_str(" DEFERRABLE");
        if c.initially_deferred {
            sql.push_str(" INITIALLY DEFERRED");
        }
    }
    if !c.enforced {
        sql.push_str(" NOT ENFORCED");
    }
    sql
}
