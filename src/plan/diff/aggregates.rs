//! Aggregates: created, dropped, replaced in place (`CREATE OR REPLACE AGGREGATE`), or dropped
//! and created again when the kind, arguments or result change, or when a support function or
//! state type they use is dropped and created again (the rebuild closure).

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::state::{Differ, Disturbance};

impl Differ<'_> {
    /// Aggregates whose old version goes: dropped, or changed in a way `CREATE OR REPLACE`
    /// refuses. What calls them (views, functions' bodies recorded as dependencies) is rebuilt.
    pub(super) fn seed_aggregates(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (id, a) in &cur.aggregates {
            let replaced = match des.aggregates.get(id) {
                None => true,
                Some(n) => !a.replaceable_by(n),
            };
            if replaced {
                if des.aggregates.contains_key(id) {
                    self.replaced_aggregates.insert(id.clone());
                }
                self.seeds
                    .push((ObjKey::Function(id.clone()), Disturbance::Replaced));
            }
        }
    }

    pub(super) fn aggregates(&mut self) {
        for (id, a) in &self.des.aggregates {
            let Some(old) = self.cur.aggregates.get(id) else {
                self.push(Change::CreateAggregate {
                    id: id.clone(),
                    def: a.clone(),
                });
                continue;
            };
            if self.replaced_aggregates.contains(id) {
                self.push(Change::DropAggregate {
                    id: id.clone(),
                    def: old.clone(),
                });
                self.push(Change::CreateAggregate {
                    id: id.clone(),
                    def: a.clone(),
                });
                continue;
            }
            let definition = |x: &Aggregate| Aggregate {
                comment: None,
                ..x.clone()
            };
            if definition(old) != definition(a) {
                self.push(Change::ReplaceAggregate {
                    id: id.clone(),
                    from: old.clone(),
                    to: a.clone(),
                });
            }
            if old.comment != a.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Function(id.clone()),
                    from: old.comment.clone(),
                    to: a.comment.clone(),
                });
            }
        }
        for (id, a) in &self.cur.aggregates {
            if !self.des.aggregates.contains_key(id) {
                self.push(Change::DropAggregate {
                    id: id.clone(),
                    def: a.clone(),
                });
            }
        }
    }
}
