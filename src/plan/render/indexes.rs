//! Indexes, and the keys of indexes and exclusion constraints.

use std::fmt::Write as _;

use super::comments::comment_if;
use super::fragments::{include_clause, options_list, parenthesized};
use crate::model::quote::{ident, obj_ref, qualified};
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

pub(super) fn create_index(
    table: &QualName,
    name: &str,
    index: &Index,
    concurrently: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let qualified_name = qualified(&QualName::new(table.schema.clone(), name.to_string()));
    if concurrently {
        // A failed concurrent build leaves an INVALID index behind; a retried or resumed
        // step first removes it (the plan only builds indexes that do not exist).
        out.push(format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {qualified_name}"
        ));
    }
    out.push(create_index_statement(table, name, index, concurrently));
    comment_if(
        &mut out,
        &CommentTarget::Index(QualName::new(table.schema.clone(), name.to_string())),
        &index.comment,
    );
    out
}

/// An index's drop; one that takes partitions' keys along drops them with it (`CASCADE`).
pub(super) fn drop_index_of(change: &Change) -> Vec<String> {
    let Change::DropIndex {
        table,
        name,
        concurrently,
        cascades,
        ..
    } = change
    else {
        return Vec::new();
    };
    drop_index(table, name, *concurrently, !cascades.is_empty())
}

/// `cascade`: with the partitions' keys its attached indexes back, which the plan drops too.
pub(super) fn drop_index(
    table: &QualName,
    name: &str,
    concurrently: bool,
    cascade: bool,
) -> Vec<String> {
    vec![format!(
        "DROP INDEX {}{}{}",
        // IF EXISTS: a resumed or reversed step may find it gone already.
        if concurrently {
            "CONCURRENTLY IF EXISTS "
        } else {
            ""
        },
        qualified(&QualName::new(table.schema.clone(), name.to_string())),
        if cascade { " CASCADE" } else { "" }
    )]
}

pub(super) fn rename_index(table: &QualName, from: &str, to: &str) -> Vec<String> {
    vec![format!(
        "ALTER INDEX {} RENAME TO {}",
        qualified(&QualName::new(table.schema.clone(), from.to_string())),
        ident(to)
    )]
}

/// One key of an index or element of an exclusion constraint: the column or parenthesized
/// expression, its collation, operator class and order.
pub(super) fn index_key(k: &IndexKey) -> String {
    let mut sql = match &k.expr {
        IndexExpr::Column(c) => ident(c),
        IndexExpr::Expression(e) => parenthesized(&e.sql()),
    };
    if let Some(coll) = &k.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    if let Some(opclass) = &k.opclass {
        write!(sql, " {}", obj_ref(opclass)).unwrap();
    }
    if k.descending {
        sql.push_str(" DESC");
    }
    if k.nulls_first != k.descending {
        sql.push_str(if k.nulls_first {
            " NULLS FIRST"
        } else {
            " NULLS LAST"
        });
    }
    sql
}

pub(super) fn create_index_statement(
    table: &QualName,
    name: &str,
    index: &Index,
    concurrently: bool,
) -> String {
    create_index_on(table, name, index, concurrently, false)
}

/// `only`: `ON ONLY table`, the partitioned table's index alone (see `CreateIndexOnly`).
pub(super) fn create_index_on(
    table: &QualName,
    name: &str,
    index: &Index,
    concurrently: bool,
    only: bool,
) -> String {
    let keys: Vec<String> = index.keys.iter().map(index_key).collect();
    let mut sql = format!(
        "CREATE {}INDEX {}{} ON {}{} USING {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        ident(name),
        if only { "ONLY " } else { "" },
        qualified(table),
        ident(&index.method),
        keys.join(", ")
    );
    sql.push_str(&include_clause(&index.include));
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&index.options)).unwrap();
    }
    if let Some(predicate) = &index.predicate {
        write!(sql, " WHERE {}", predicate.sql()).unwrap();
    }
    sql
}
