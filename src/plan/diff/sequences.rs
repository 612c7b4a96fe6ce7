//! Sequences: options, persistence and the column that owns them.

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::compare::recreated;
use super::state::Differ;

impl Differ<'_> {
    pub(super) fn sequences(&mut self) {
        for (name, s) in &self.des.sequences {
            let Some(old) = self.cur.sequences.get(name) else {
                self.push(Change::CreateSequence {
                    name: name.clone(),
                    def: Sequence {
                        owned_by: None,
                        ..s.clone()
                    },
                });
                if s.owned_by.is_some() {
                    self.push(Change::SetSequenceOwner {
                        name: name.clone(),
                        from: None,
                        to: s.owned_by.clone(),
                    });
                }
                continue;
            };
            if old.options != s.options {
                self.push(Change::AlterSequence {
                    name: name.clone(),
                    from: old.options.clone(),
                    to: s.options.clone(),
                });
            }
            // ALTER TABLE … SET [UN]LOGGED takes the sequences the table owns along (15+).
            let follows = self.cur.sequences_follow_table_persistence();
            let owner_flips_to = old.owned_by.as_ref().filter(|_| follows).and_then(|o| {
                let before = self.cur.tables.get(&o.table)?.unlogged;
                let after = self.des.tables.get(&o.table)?.unlogged;
                (before != after).then_some(after)
            });
            if owner_flips_to.unwrap_or(old.unlogged) != s.unlogged {
                self.push(Change::SetPersistence {
                    table: name.clone(),
                    sequence: true,
                    unlogged: s.unlogged,
                });
            }
            // A table that is dropped and created again (a new partition key) would take the
            // sequences it owns along: they are released first and owned again after.
            let owner_rebuilt = old.owned_by.as_ref().is_some_and(|o| {
                matches!(
                    (self.cur.tables.get(&o.table), self.des.tables.get(&o.table)),
                    (Some(a), Some(b)) if recreated(a, b)
                )
            });
            if owner_rebuilt {
                self.push(Change::SetSequenceOwner {
                    name: name.clone(),
                    from: old.owned_by.clone(),
                    to: None,
                });
                if s.owned_by.is_some() {
                    self.push(Change::SetSequenceOwner {
                        name: name.clone(),
                        from: None,
                        to: s.owned_by.clone(),
                    });
                }
            } else if old.owned_by != s.owned_by {
                self.push(Change::SetSequenceOwner {
                    name: name.clone(),
                    from: old.owned_by.clone(),
                    to: s.owned_by.clone(),
                });
            }
            if old.comment != s.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Sequence(name.clone()),
                    from: old.comment.clone(),
                    to: s.comment.clone(),
                });
            }
        }
        for (name, s) in &self.cur.sequences {
            if self.des.sequences.contains_key(name) {
                continue;
            }
            // A sequence owned by a column goes away with its column or table.
            let owner_dropped = s.owned_by.as_ref().is_some_and(|o| {
                self.des
                    .tables
                    .get(&o.table)
                    .is_none_or(|t| t.column(&o.column).is_none())
                    && self.cur.tables.contains_key(&o.table)
            });
            if !owner_dropped {
                self.push(Change::DropSequence {
                    name: name.clone(),
                    def: s.clone(),
                    backup: None,
                });
            }
        }
    }
}
