//! Constraints added without a long lock: keys `USING INDEX` on an index built concurrently,
//! foreign keys and checks (of tables and of domains) `NOT VALID` and then validated.

use super::rewrite::Rewrite;
use crate::model::*;
use crate::plan::change::Change;

/// The unique index a primary key or unique constraint is attached to.
fn index_for(constraint: &Constraint) -> Index {
    let (columns, include, nulls_not_distinct) = match &constraint.kind {
        ConstraintKind::PrimaryKey {
            columns, include, ..
        } => (columns, include, false),
        ConstraintKind::Unique {
            columns,
            include,
            nulls_not_distinct,
            ..
        } => (columns, include, *nulls_not_distinct),
        _ => unreachable!("only keys have an index"),
    };
    Index {
        unique: true,
        method: "btree".into(),
        keys: columns
            .iter()
            .map(|c| IndexKey {
                expr: IndexExpr::Column(c.clone()),
                opclass: None,
                collation: None,
                descending: false,
                nulls_first: false,
            })
            .collect(),
        include: include.clone(),
        predicate: None,
        nulls_not_distinct,
        options: StorageOptions::new(),
        comment: None,
        valid: true,
    }
}

/// A constraint added `NOT VALID` (a short lock, no scan), then validated (a scan that blocks
/// no writes).
pub(super) fn added_then_validated(
    table: QualName,
    name: String,
    constraint: Constraint,
) -> Vec<Change> {
    vec![
        Change::AddConstraint {
            table: table.clone(),
            name: name.clone(),
            constraint: Constraint {
                validated: false,
                ..constraint.clone()
            },
        },
        Change::ValidateConstraint {
            table,
            name,
            constraint,
        },
    ]
}

/// A constraint of a table in use: a primary key or unique constraint on an index built
/// concurrently, a foreign key or check added `NOT VALID` and validated after. A constraint
/// not enforced reads no rows and is added as it is; so is a temporal key (`WITHOUT
/// OVERLAPS`), whose GiST index PostgreSQL cannot attach `USING INDEX` ("not a unique index").
pub(super) fn add_to_table_in_use(
    w: &mut Rewrite<'_>,
    table: QualName,
    name: String,
    constraint: Constraint,
) {
    match &constraint.kind {
        ConstraintKind::ForeignKey(_) | ConstraintKind::Check { .. }
            if constraint.validated && constraint.enforced =>
        {
            w.out
                .chain(None, added_then_validated(table, name, constraint));
        }
        ConstraintKind::PrimaryKey { columns, .. } | ConstraintKind::Unique { columns, .. }
            if !constraint.kind.without_overlaps() =>
        {
            let columns = columns.clone();
            let primary = matches!(constraint.kind, ConstraintKind::PrimaryKey { .. });
            let attach = w.out.chain(
                None,
                vec![
                    Change::CreateIndex {
                        table: table.clone(),
                        name: name.clone(),
                        index: index_for(&constraint),
                        concurrently: true,
                        replaces: None,
                    },
                    Change::AddConstraintUsingIndex {
                        table: table.clone(),
                        name,
                        constraint,
                    },
                ],
            );
            if primary {
                w.attached_keys.push((attach, table, columns));
            }
        }
        _ => {
            w.out.push(Change::AddConstraint {
                table,
                name,
                constraint,
            });
        }
    }
}

/// A new check on a domain in use: added NOT VALID (new values are checked at once), then
/// validated in a step of its own, like a table's.
pub(super) fn add_domain_check(
    w: &mut Rewrite<'_>,
    domain: QualName,
    name: String,
    constraint: DomainConstraint,
) {
    w.out.chain(
        None,
        vec![
            Change::AddDomainConstraint {
                domain: domain.clone(),
                name: name.clone(),
                constraint: DomainConstraint {
                    validated: false,
                    ..constraint.clone()
                },
            },
            Change::ValidateDomainConstraint {
                domain,
                name,
                constraint,
            },
        ],
    );
}
