//! Schemas and extensions.

use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

use super::state::Differ;

impl Differ<'_> {
    pub(super) fn schemas(&mut self) {
        for (name, s) in &self.des.schemas {
            match self.cur.schemas.get(name) {
                None => self.push(Change::CreateSchema {
                    name: name.clone(),
                    schema: s.clone(),
                }),
                Some(old) if old.comment != s.comment => self.push(Change::SetComment {
                    target: CommentTarget::Schema(name.clone()),
                    from: old.comment.clone(),
                    to: s.comment.clone(),
                }),
                Some(_) => {}
            }
        }
        for (name, s) in &self.cur.schemas {
            if !self.des.schemas.contains_key(name) {
                self.push(Change::DropSchema {
                    name: name.clone(),
                    schema: s.clone(),
                });
            }
        }
    }

    pub(super) fn extensions(&mut self) {
        for (name, e) in &self.des.extensions {
            match self.cur.extensions.get(name) {
                None => self.push(Change::CreateExtension {
                    name: name.clone(),
                    ext: e.clone(),
                }),
                Some(old) => {
                    let schema_differs = e.schema.is_some() && e.schema != old.schema;
                    let mut version_differs = e.version.is_some() && e.version != old.version;
                    // ALTER EXTENSION … UPDATE TO needs a chain of the extension's update
                    // scripts from the installed version; going back usually has none.
                    let reachable = self
                        .cur
                        .extension_updates
                        .get(name)
                        .is_some_and(|v| e.version.as_ref().is_some_and(|t| v.contains(t)));
                    if version_differs && !reachable {
                        self.warn(
                            format!("extension {name}"),
                            format!(
                                "no update path from version {} to {} is installed on the server (an older version needs the extension's downgrade script); the extension stays at {}",
                                old.version.as_deref().unwrap_or("?"),
                                e.version.as_deref().unwrap_or("?"),
                                old.version.as_deref().unwrap_or("?"),
                            ),
                        );
                        version_differs = false;
                    }
                    if schema_differs || version_differs {
                        self.push(Change::AlterExtension {
                            name: name.clone(),
                            from: old.clone(),
                            to: Extension {
                                schema: e.schema.clone().or(old.schema.clone()),
                                version: if version_differs {
                                    e.version.clone()
                                } else {
                                    old.version.clone()
                                },
                            },
                        });
                    }
                }
            }
        }
        for (name, e) in &self.cur.extensions {
            // Extensions are read wherever they are installed, but only those in a managed
            // schema are dropped.
            let managed = e
                .schema
                .as_ref()
                .is_some_and(|s| self.cur.schemas.contains_key(s));
            if managed && !self.des.extensions.contains_key(name) {
                self.push(Change::DropExtension {
                    name: name.clone(),
                    ext: e.clone(),
                });
            }
        }
    }
}
