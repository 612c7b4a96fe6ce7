//! Text search dictionaries and configurations: created, dropped, altered in place (options of
//! a dictionary, mappings of a configuration), or dropped and created again when what `ALTER`
//! cannot change does (a dictionary's template, a configuration's parser), or when a
//! dictionary a configuration maps is dropped and created again (the rebuild closure).

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::state::{Differ, Disturbance};

impl Differ<'_> {
    /// Dictionaries with a new template, and configurations dropped or with a new parser: what
    /// names them (configurations mapping the dictionary; views and indexes naming the
    /// configuration) is rebuilt. A dictionary that is only dropped is left out of the mappings
    /// that keep their configuration (`ALTER MAPPING`), before it goes.
    pub(super) fn seed_text_search(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (name, d) in &cur.text_search_dictionaries {
            let replaced = des
                .text_search_dictionaries
                .get(name)
                .is_some_and(|n| n.template != d.template);
            if replaced {
                self.replaced_text_search
                    .insert(ObjKey::TsDictionary(name.clone()));
                self.seeds
                    .push((ObjKey::TsDictionary(name.clone()), Disturbance::Replaced));
            }
        }
        for (name, c) in &cur.text_search_configurations {
            let replaced = des
                .text_search_configurations
                .get(name)
                .is_none_or(|n| n.parser != c.parser);
            if replaced {
                if des.text_search_configurations.contains_key(name) {
                    self.replaced_text_search
                        .insert(ObjKey::TsConfiguration(name.clone()));
                }
                self.seeds
                    .push((ObjKey::TsConfiguration(name.clone()), Disturbance::Replaced));
            }
        }
    }

    /// A configuration that maps a dictionary dropped (and maybe created again): dropped
    /// before it and created again after, with what names the configuration. Whether it was
    /// reached for the first time.
    pub(super) fn reach_text_search_configuration(&mut self, name: &QualName) -> bool {
        self.cur.text_search_configurations.contains_key(name)
            && self.des.text_search_configurations.contains_key(name)
            && self
                .replaced_text_search
                .insert(ObjKey::TsConfiguration(name.clone()))
    }

    pub(super) fn text_search(&mut self) {
        let (cur, des) = (self.cur, self.des);
        for (name, d) in &des.text_search_dictionaries {
            let key = ObjKey::TsDictionary(name.clone());
            let Some(old) = cur.text_search_dictionaries.get(name) else {
                self.push(Change::CreateTsDictionary {
                    name: name.clone(),
                    def: d.clone(),
                });
                continue;
            };
            if self.replaced_text_search.contains(&key) {
                self.push(Change::DropTsDictionary {
                    name: name.clone(),
                    def: old.clone(),
                });
                self.push(Change::CreateTsDictionary {
                    name: name.clone(),
                    def: d.clone(),
                });
                continue;
            }
            if old.options != d.options {
                self.push(Change::AlterTsDictionary {
                    name: name.clone(),
                    from: old.clone(),
                    to: d.clone(),
                });
            }
            if old.comment != d.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::TsDictionary(name.clone()),
                    from: old.comment.clone(),
                    to: d.comment.clone(),
                });
            }
        }
        for (name, d) in &cur.text_search_dictionaries {
            if !des.text_search_dictionaries.contains_key(name) {
                self.push(Change::DropTsDictionary {
                    name: name.clone(),
                    def: d.clone(),
                });
            }
        }
        for (name, c) in &des.text_search_configurations {
            let key = ObjKey::TsConfiguration(name.clone());
            let Some(old) = cur.text_search_configurations.get(name) else {
                self.push(Change::CreateTsConfiguration {
                    name: name.clone(),
                    def: c.clone(),
                });
                continue;
            };
            if self.replaced_text_search.contains(&key) {
                self.push(Change::DropTsConfiguration {
                    name: name.clone(),
                    def: old.clone(),
                });
                self.push(Change::CreateTsConfiguration {
                    name: name.clone(),
                    def: c.clone(),
                });
                continue;
            }
            if old.mappings != c.mappings {
                self.push(Change::AlterTsConfiguration {
                    name: name.clone(),
                    from: old.clone(),
                    to: c.clone(),
                });
            }
            if old.comment != c.comment {
                self.push(Change::SetComment {
                    target: CommentTarget::TsConfiguration(name.clone()),
                    from: old.comment.clone(),
                    to: c.comment.clone(),
                });
            }
        }
        for (name, c) in &cur.text_search_configurations {
            if !des.text_search_configurations.contains_key(name) {
                self.push(Change::DropTsConfiguration {
                    name: name.clone(),
                    def: c.clone(),
                });
            }
        }
    }
}
