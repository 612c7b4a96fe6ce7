//! Extended statistics of a table that stays, and the settings of its columns.

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::compare::column_retyped;
use super::state::Differ;

impl Differ<'_> {
    /// Statistics of a table that stays: created, dropped, dropped and created again when
    /// their definition changes or the rebuild closure reached them (a column they read is
    /// retyped: PostgreSQL would rebuild them itself, without their target), or given a new
    /// target or comment.
    pub(super) fn statistics_changes(&mut self, table: &QualName, old: &Table, new: &Table) {
        for (name, stats) in &new.statistics {
            let rebuilt = self
                .rebuild_statistics
                .contains(&(table.clone(), name.clone()));
            match old.statistics.get(name) {
                Some(prev) if prev.same_definition(stats) && !rebuilt => {
                    if prev.target != stats.target {
                        self.push(Change::AlterStatistics {
                            table: table.clone(),
                            name: name.clone(),
                            from: prev.clone(),
                            to: stats.clone(),
                        });
                    }
                    if prev.comment != stats.comment {
                        self.push(Change::SetComment {
                            target: CommentTarget::Statistics(QualName::new(
                                table.schema.clone(),
                                name.clone(),
                            )),
                            from: prev.comment.clone(),
                            to: stats.comment.clone(),
                        });
                    }
                }
                prev => {
                    if let Some(prev) = prev {
                        self.push(Change::DropStatistics {
                            table: table.clone(),
                            name: name.clone(),
                            stats: prev.clone(),
                        });
                    }
                    self.push(Change::CreateStatistics {
                        table: table.clone(),
                        name: name.clone(),
                        stats: stats.clone(),
                    });
                }
            }
        }
        for (name, stats) in &old.statistics {
            if !new.statistics.contains_key(name) {
                self.push(Change::DropStatistics {
                    table: table.clone(),
                    name: name.clone(),
                    stats: stats.clone(),
                });
            }
        }
    }

    /// Statistics of a new table, after it.
    pub(super) fn create_statistics(&mut self, table: &QualName, new: &Table) {
        for (name, stats) in &new.statistics {
            self.push(Change::CreateStatistics {
                table: table.clone(),
                name: name.clone(),
                stats: stats.clone(),
            });
        }
    }

    /// A column's settings, when they differ. A new type resets storage and compression, which
    /// the type change sets again itself (`AlterColumn` carries them): only the rest is left.
    pub(super) fn column_settings(&mut self, table: &QualName, from: &Column, to: &Column) {
        let mut before = from.settings.clone();
        if column_retyped(from, to) {
            before.storage = to.settings.storage;
            before.compression = to.settings.compression.clone();
            before.type_storage = to.settings.type_storage;
        }
        if !before.same(&to.settings) {
            self.push(Change::AlterColumnSettings {
                table: table.clone(),
                column: to.name.clone(),
                from: before,
                to: to.settings.clone(),
            });
        }
    }

    /// Statistics of the current model reading the disturbed key, kept by the desired state:
    /// dropped and created again.
    pub(super) fn reach_statistics(&mut self, q: &QualName) {
        let found = self
            .cur
            .tables
            .iter()
            .find(|(t, table)| t.schema == q.schema && table.statistics.contains_key(&q.name));
        let Some((table, _)) = found else {
            return;
        };
        let kept = self
            .des
            .tables
            .get(table)
            .is_some_and(|t| t.statistics.contains_key(&q.name));
        if kept {
            self.rebuild_statistics
                .insert((table.clone(), q.name.clone()));
        }
    }
}
