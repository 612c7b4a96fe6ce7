//! Views and materialized views.

use std::fmt::Write as _;

use super::comments::{comment, comment_if};
use super::fragments::options_list;
use super::indexes::create_index_statement;
use super::security::owner_and_grants;
use super::tables::alter_options;
use crate::model::quote::qualified;
use crate::model::*;
use crate::plan::change::CommentTarget;

pub(super) fn create_view(name: &QualName, view: &View) -> Vec<String> {
    let mut out = vec![create_view_statement(name, view, false)];
    view_comments(&mut out, name, view);
    let object = SecuredObject::View(name.clone());
    owner_and_grants(&mut out, &object, &view.owner, &view.grants);
    out
}

pub(super) fn drop_view(name: &QualName) -> Vec<String> {
    vec![format!("DROP VIEW {}", qualified(name))]
}

pub(super) fn replace_view(name: &QualName, from: &View, to: &View) -> Vec<String> {
    let mut out = Vec::new();
    let keeps_columns = to.columns.len() >= from.columns.len()
        && to.columns[..from.columns.len()] == from.columns[..];
    if keeps_columns {
        out.push(create_view_statement(name, to, true));
    } else {
        // Going back from a view that gained columns: CREATE OR REPLACE cannot drop them.
        out.push(format!("DROP VIEW {}", qualified(name)));
        out.push(create_view_statement(name, to, false));
    }
    if !keeps_columns {
        view_comments(&mut out, name, to);
    }
    out
}

pub(super) fn create_materialized_view(name: &QualName, view: &MaterializedView) -> Vec<String> {
    let mut out = vec![create_materialized_view_statement(name, view)];
    for (iname, index) in &view.indexes {
        out.push(create_index_statement(name, iname, index, false));
        comment_if(
            &mut out,
            &CommentTarget::Index(QualName::new(name.schema.clone(), iname.clone())),
            &index.comment,
        );
    }
    comment_if(
        &mut out,
        &CommentTarget::MaterializedView(name.clone()),
        &view.comment,
    );
    for (column, text) in &view.column_comments {
        out.push(comment(
            &CommentTarget::Column(name.clone(), column.clone()),
            Some(text),
        ));
    }
    out
}

pub(super) fn drop_materialized_view(name: &QualName) -> Vec<String> {
    vec![format!(
        "-- its rows are derived from its query: nothing to back up (creating it again runs \
         the query)\nDROP MATERIALIZED VIEW {}",
        qualified(name)
    )]
}

pub(super) fn set_materialized_view_options(
    name: &QualName,
    from: &StorageOptions,
    to: &StorageOptions,
) -> Vec<String> {
    alter_options("MATERIALIZED VIEW", name, from, to)
}

fn create_view_statement(name: &QualName, view: &View, replace: bool) -> String {
    let mut sql = format!(
        "CREATE {}VIEW {}",
        if replace { "OR REPLACE " } else { "" },
        qualified(name)
    );
    if !view.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&view.options)).unwrap();
    }
    write!(sql, " AS\n{}", view.definition.sql()).unwrap();
    sql
}

fn view_comments(out: &mut Vec<String>, name: &QualName, view: &View) {
    comment_if(out, &CommentTarget::View(name.clone()), &view.comment);
    for (column, text) in &view.column_comments {
        out.push(comment(
            &CommentTarget::Column(name.clone(), column.clone()),
            Some(text),
        ));
    }
}

/// `CREATE MATERIALIZED VIEW`, populated by its query unless it is to be created `WITH NO DATA`
/// (then its first `REFRESH` populates it).
fn create_materialized_view_statement(name: &QualName, view: &MaterializedView) -> String {
    let mut sql = format!("CREATE MATERIALIZED VIEW {}", qualified(name));
    if !view.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&view.options)).unwrap();
    }
    // On a line of its own, which also ends a `--` comment the query may finish with.
    let query = view.definition.sql();
    write!(
        sql,
        " AS\n{}\n{}",
        query.trim_end_matches('\n'),
        if view.with_data {
            "WITH DATA"
        } else {
            "WITH NO DATA"
        }
    )
    .unwrap();
    sql
}
