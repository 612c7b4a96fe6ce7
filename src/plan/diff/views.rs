//! Views (replaced in place, or dropped and created again) and materialized views (always
//! dropped and created again when their query changes).

use std::collections::BTreeSet;

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::compare::{same_matview_query, view_replaceable};
use super::state::{Differ, Disturbance};

impl Differ<'_> {
    pub(super) fn views(&mut self) {
        for (name, view) in &self.des.views {
            let Some(old) = self.cur.views.get(name) else {
                self.push(Change::CreateView {
                    name: name.clone(),
                    view: view.clone(),
                });
                continue;
            };
            let same_body = old.definition == view.definition && old.columns == view.columns;
            if self.rebuild_views.contains(name) || !view_replaceable(old, view) {
                self.push(Change::DropView {
                    name: name.clone(),
                    view: old.clone(),
                });
                // The new view keeps what the desired state does not manage: its owner and
                // the grants of unlisted roles.
                let mut recreated = view.clone();
                recreated.owner = view.owner.clone().or(old.owner.clone());
                recreated.grants =
                    crate::plan::security::merge_unmanaged(&old.grants, &view.grants, &self.roles);
                self.push(Change::CreateView {
                    name: name.clone(),
                    view: recreated,
                });
                continue;
            }
            if !same_body {
                self.push(Change::ReplaceView {
                    name: name.clone(),
                    from: old.clone(),
                    to: view.clone(),
                });
            } else if !same_options(&old.options, &view.options) {
                self.push(Change::SetOptions {
                    table: name.clone(),
                    view: true,
                    from: old.options.clone(),
                    to: view.options.clone(),
                });
            }
            if old.comment != view.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::View(name.clone()),
                    from: old.comment.clone(),
                    to: view.comment.clone(),
                });
            }
            let columns: BTreeSet<&String> = old
                .column_comments
                .keys()
                .chain(view.column_comments.keys())
                .collect();
            for column in columns {
                let (from, to) = (
                    old.column_comments.get(column),
                    view.column_comments.get(column),
                );
                if from != to {
                    self.push(Change::SetComment {
                        target: CommentTarget::Column(name.clone(), column.clone()),
                        from: from.cloned(),
                        to: to.cloned(),
                    });
                }
            }
        }
        for (name, view) in &self.cur.views {
            if !self.des.views.contains_key(name) {
                self.push(Change::DropView {
                    name: name.clone(),
                    view: view.clone(),
                });
            }
        }
    }

    pub(super) fn materialized_views(&mut self) {
        for (name, view) in &self.des.materialized_views {
            let Some(old) = self.cur.materialized_views.get(name) else {
                self.push(Change::CreateMaterializedView {
                    name: name.clone(),
                    view: view.clone(),
                });
                continue;
            };
            let cause = if let Some((key, how)) = self.rebuild_matviews.get(name) {
                Some(describe_disturbance(self.cur, key, *how))
            } else if !same_matview_query(old, view) {
                Some("its query changes".to_string())
            } else {
                None
            };
            if let Some(cause) = cause {
                self.warn(
                    name,
                    format!(
                        "the materialized view is dropped and created again ({cause}; PostgreSQL cannot alter a materialized view's query): its query runs again and its indexes are built again, while readers wait for it or, when other steps run in between, find it missing"
                    ),
                );
                self.push(Change::DropMaterializedView {
                    name: name.clone(),
                    view: old.clone(),
                });
                self.push(Change::CreateMaterializedView {
                    name: name.clone(),
                    view: view.clone(),
                });
                continue;
            }
            self.matview_indexes(name, old, view);
            if !same_options(&old.options, &view.options) {
                self.push(Change::SetMaterializedViewOptions {
                    name: name.clone(),
                    from: old.options.clone(),
                    to: view.options.clone(),
                });
            }
            if old.comment != view.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::MaterializedView(name.clone()),
                    from: old.comment.clone(),
                    to: view.comment.clone(),
                });
            }
            let columns: BTreeSet<&String> = old
                .column_comments
                .keys()
                .chain(view.column_comments.keys())
                .collect();
            for column in columns {
                let (from, to) = (
                    old.column_comments.get(column),
                    view.column_comments.get(column),
                );
                if from != to {
                    self.push(Change::SetComment {
                        target: CommentTarget::Column(name.clone(), column.clone()),
                        from: from.cloned(),
                        to: to.cloned(),
                    });
                }
            }
        }
        for (name, view) in &self.cur.materialized_views {
            if !self.des.materialized_views.contains_key(name) {
                self.push(Change::DropMaterializedView {
                    name: name.clone(),
                    view: view.clone(),
                });
            }
        }
    }

    /// Indexes of a materialized view that stays: added, dropped, or dropped and built again
    /// when their definition changes (`online` builds them concurrently, as for tables).
    fn matview_indexes(&mut self, name: &QualName, old: &MaterializedView, new: &MaterializedView) {
        self.index_changes(name, &old.indexes, &new.indexes, &BTreeSet::new());
    }
}

/// What happens to something a materialized view reads, for the warning that it is rebuilt.
fn describe_disturbance(current: &Catalog, key: &ObjKey, how: Disturbance) -> String {
    match key {
        ObjKey::Column(q, c) if current.tables.contains_key(q) => match how {
            Disturbance::Retyped => format!("the type of column {q}.{c} changes"),
            Disturbance::Replaced => format!("column {q}.{c} is dropped or added again"),
        },
        ObjKey::Column(q, _) | ObjKey::Relation(q)
            if current.views.contains_key(q) || current.materialized_views.contains_key(q) =>
        {
            format!("{q}, which it reads, is dropped and created again")
        }
        ObjKey::Relation(q) => format!("{q} is dropped"),
        ObjKey::Type(q) => format!("type {q} is rebuilt"),
        other => format!("{other:?} changes"),
    }
}
