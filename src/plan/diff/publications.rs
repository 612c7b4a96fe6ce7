//! Publications: created, dropped, or altered in place (`SET TABLE`, `SET (publish = …)`).

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::state::Differ;

impl Differ<'_> {
    pub(super) fn publications(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (name, p) in &des.publications {
            let Some(old) = cur.publications.get(name) else {
                self.push(Change::CreatePublication {
                    name: name.clone(),
                    def: p.clone(),
                });
                continue;
            };
            let definition = |x: &Publication| Publication {
                comment: None,
                ..x.clone()
            };
            if definition(old) != definition(p) {
                self.push(Change::AlterPublication {
                    name: name.clone(),
                    from: old.clone(),
                    to: p.clone(),
                });
            }
            if old.comment != p.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::Publication(name.clone()),
                    from: old.comment.clone(),
                    to: p.comment.clone(),
                });
            }
        }
        for (name, p) in &cur.publications {
            if !des.publications.contains_key(name) {
                self.push(Change::DropPublication {
                    name: name.clone(),
                    def: p.clone(),
                });
            }
        }
    }
}
