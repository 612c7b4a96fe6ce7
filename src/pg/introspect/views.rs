//! Views and materialized views: their definitions and output columns.

use std::collections::BTreeMap;

use postgres::Row;

use super::builder::Builder;
use super::rows::printed;
use crate::model::*;

impl Builder {
    /// A view from its row of the relations query.
    pub(super) fn add_view(
        &mut self,
        oid: u32,
        name: QualName,
        row: &Row,
        options: StorageOptions,
        comment: Option<String>,
    ) {
        let definition: String = row.get(6);
        self.views.insert(oid, name.clone());
        if let Some(rule) = row.get::<_, Option<u32>>(7) {
            self.rules.insert(rule, name.clone());
        }
        self.catalog.views.insert(
            name,
            View {
                definition: printed(clean_view_definition(&definition)),
                columns: Vec::new(),
                options,
                comment,
                column_comments: BTreeMap::new(),
                owner: None,
                grants: Grants::new(),
                triggers: BTreeMap::new(),
            },
        );
    }

    /// A materialized view from its row of the relations query. What it reads is recorded for
    /// its `_RETURN` rule, as for a view.
    pub(super) fn add_materialized_view(
        &mut self,
        oid: u32,
        name: QualName,
        row: &Row,
        options: StorageOptions,
        comment: Option<String>,
    ) {
        let definition: String = row.get(6);
        self.materialized_views.insert(oid, name.clone());
        if let Some(rule) = row.get::<_, Option<u32>>(7) {
            self.rules.insert(rule, name.clone());
        }
        self.catalog.materialized_views.insert(
            name,
            MaterializedView {
                definition: printed(clean_view_definition(&definition)),
                columns: Vec::new(),
                with_data: row.get(14),
                options,
                comment,
                column_comments: BTreeMap::new(),
                indexes: BTreeMap::new(),
            },
        );
    }

    /// An output column of a view or materialized view (`rel`), read as a table's column by
    /// the columns query: its name, type, collation and comment.
    pub(super) fn add_view_column(&mut self, rel: u32, attnum: i16, column: Column) {
        let view_columns = match (self.views.get(&rel), self.materialized_views.get(&rel)) {
            (Some(q), _) => self
                .catalog
                .views
                .get_mut(q)
                .map(|v| (&mut v.column_comments, &mut v.columns)),
            (None, Some(q)) => self
                .catalog
                .materialized_views
                .get_mut(q)
                .map(|v| (&mut v.column_comments, &mut v.columns)),
            (None, None) => None,
        };
        let Column {
            name,
            data_type,
            collation,
            comment,
            ..
        } = column;
        if let Some((comments, columns)) = view_columns {
            if let Some(comment) = comment {
                comments.insert(name.clone(), comment);
            }
            columns.push(ViewColumn {
                name: name.clone(),
                data_type,
                collation,
            });
        }
        self.attributes.insert((rel, attnum), name);
    }
}

/// `pg_get_viewdef` output starts with a space and ends with a semicolon.
pub(crate) fn clean_view_definition(text: &str) -> String {
    text.trim().trim_end_matches(';').trim_end().to_string()
}
