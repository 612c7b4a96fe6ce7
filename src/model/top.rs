//! Top-level objects: what a plan creates, alters or drops as one thing (a table with its
//! columns, indexes, constraints and triggers; a view; a function). The shadow's shortcut
//! (`plan::shortcut`) tells changed ones from unchanged ones at this grain.

use std::collections::BTreeSet;

use super::catalog::*;
use super::names::*;
use super::security::*;

/// One top-level object. Relations, types, collations and text search objects are all
/// `Named`: they are told apart by their maps in [`Catalog`], and a name shared across those
/// namespaces only makes both count as changed together, which is safe.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Top {
    Schema(String),
    Extension(String),
    Publication(String),
    Named(QualName),
    /// A function, procedure or aggregate.
    Routine(FunctionId),
    DefaultPrivileges(DefaultPrivilegeKey),
}

impl Top {
    /// The object's own name, unqualified, as SQL text mentions it.
    pub fn bare_name(&self) -> &str {
        match self {
            Top::Schema(n) | Top::Extension(n) | Top::Publication(n) => n,
            Top::Named(q) => &q.name,
            Top::Routine(id) => &id.name.name,
            Top::DefaultPrivileges(key) => &key.role,
        }
    }
}

impl ObjKey {
    /// The top-level object this node of the dependency graph is part of (a column's table, a
    /// sequence's `OWNED BY` link's sequence, a grantee's privileges' table).
    pub fn top(&self) -> Top {
        match self.name() {
            KeyName::Named(q) => Top::Named(q.clone()),
            KeyName::Schema(s) => Top::Schema(s.to_string()),
            KeyName::Extension(e) => Top::Extension(e.to_string()),
            KeyName::Publication(p) => Top::Publication(p.to_string()),
            KeyName::Function(id) => Top::Routine(id.clone()),
            KeyName::Owner(object) => object.top(),
        }
    }
}

impl SecuredObject {
    /// The top-level object whose owner or privileges these are.
    pub fn top(&self) -> Top {
        match self {
            SecuredObject::Schema(s) => Top::Schema(s.clone()),
            SecuredObject::Function(id) => Top::Routine(id.clone()),
            SecuredObject::Table(q)
            | SecuredObject::View(q)
            | SecuredObject::Sequence(q)
            | SecuredObject::Column(q, _) => Top::Named(q.clone()),
        }
    }
}

impl Catalog {
    /// The names of the model's top-level objects named in a schema: types, sequences,
    /// relations, collations and text search objects (routines aside, named with arguments).
    pub fn named_keys(&self) -> impl Iterator<Item = &QualName> {
        self.enums
            .keys()
            .chain(self.sequences.keys())
            .chain(self.tables.keys())
            .chain(self.views.keys())
            .chain(self.materialized_views.keys())
            .chain(self.domains.keys())
            .chain(self.composite_types.keys())
            .chain(self.range_types.keys())
            .chain(self.collations.keys())
            .chain(self.text_search_dictionaries.keys())
            .chain(self.text_search_configurations.keys())
    }

    /// Every top-level object of the model.
    pub fn tops(&self) -> BTreeSet<Top> {
        let mut out = BTreeSet::new();
        out.extend(self.schemas.keys().cloned().map(Top::Schema));
        out.extend(self.extensions.keys().cloned().map(Top::Extension));
        out.extend(self.publications.keys().cloned().map(Top::Publication));
        out.extend(self.named_keys().cloned().map(Top::Named));
        out.extend(
            self.functions
                .keys()
                .chain(self.aggregates.keys())
                .cloned()
                .map(Top::Routine),
        );
        out.extend(
            self.default_privileges
                .keys()
                .cloned()
                .map(Top::DefaultPrivileges),
        );
        out
    }
}
