//! Stand-alone indexes of a relation that stays.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::compare::same_index;
use super::state::Differ;

impl Differ<'_> {
    /// Indexes of a table that stays to be built again: those the rebuild closure reached, and
    /// those reading a column dropped and added again.
    pub(super) fn rebuilt_table_indexes(&self, name: &QualName, new: &Table) -> BTreeSet<String> {
        new.indexes
            .iter()
            .filter(|(iname, index)| {
                self.rebuild_indexes
                    .contains(&(name.clone(), (*iname).clone()))
                    || index
                        .columns()
                        .any(|c| self.recreated_columns.contains(&(name.clone(), c.clone())))
            })
            .map(|(iname, _)| iname.clone())
            .collect()
    }

    /// Stand-alone indexes of a relation that stays (a table, a materialized view): added,
    /// dropped, dropped and built again when their definition changes or they are in
    /// `rebuilt` (`online` turns these into concurrent builds), or given a new comment.
    pub(super) fn index_changes(
        &mut self,
        relation: &QualName,
        old: &BTreeMap<String, Index>,
        new: &BTreeMap<String, Index>,
        rebuilt: &BTreeSet<String>,
    ) {
        for (iname, index) in new {
            match old.get(iname) {
                Some(prev) if same_index(prev, index) && !rebuilt.contains(iname) => {
                    // The same parameters in another order: set again in the desired order
                    // (ALTER TABLE accepts an index), no rebuild.
                    if !same_options(&prev.options, &index.options) {
                        self.push(Change::SetOptions {
                            table: QualName::new(relation.schema.clone(), iname.clone()),
                            view: false,
                            from: prev.options.clone(),
                            to: index.options.clone(),
                        });
                    }
                    if prev.comment != index.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Index(QualName::new(
                                relation.schema.clone(),
                                iname.clone(),
                            )),
                            from: prev.comment.clone(),
                            to: index.comment.clone(),
                        });
                    }
                }
                prev => {
                    if let Some(prev) = prev {
                        self.push(Change::DropIndex {
                            table: relation.clone(),
                            name: iname.clone(),
                            index: prev.clone(),
                            concurrently: false,
                        });
                    }
                    self.push(Change::CreateIndex {
                        table: relation.clone(),
                        name: iname.clone(),
                        index: index.clone(),
                        concurrently: false,
                        replaces: None,
                    });
                }
            }
        }
        for (iname, index) in old {
            if !new.contains_key(iname) {
                self.push(Change::DropIndex {
                    table: relation.clone(),
                    name: iname.clone(),
                    index: index.clone(),
                    concurrently: false,
                });
            }
        }
    }
}
