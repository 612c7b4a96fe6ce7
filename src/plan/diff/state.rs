//! The state of one diff: both models, the changes and warnings found so far, and what the
//! rebuild closure decided must be dropped and created again.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::Casts;
use crate::model::warning::Warning;
use crate::model::*;
use crate::plan::change::Change;

#[derive(Clone, Debug, Default)]
pub struct DiffOutput {
    pub changes: Vec<Change>,
    pub warnings: Vec<Warning>,
}

/// How an object's old version goes away, which decides what must be rebuilt with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Disturbance {
    /// A column keeps its place but changes type: PostgreSQL rebuilds indexes and constraints
    /// itself, but refuses while views read the column.
    Retyped,
    /// The object is dropped (and maybe created again): everything depending on it goes too.
    Replaced,
}

pub(super) struct Differ<'a> {
    pub(super) cur: &'a Catalog,
    pub(super) des: &'a Catalog,
    pub(super) casts: &'a Casts,
    pub(super) out: DiffOutput,
    pub(super) seeds: Vec<(ObjKey, Disturbance)>,
    pub(super) rebuild_views: BTreeSet<QualName>,
    /// Materialized views dropped and created again because of something they read, and what.
    pub(super) rebuild_matviews: BTreeMap<QualName, (ObjKey, Disturbance)>,
    pub(super) rebuild_constraints: BTreeSet<(QualName, String)>,
    pub(super) rebuild_indexes: BTreeSet<(QualName, String)>,
    pub(super) rebuild_triggers: BTreeSet<(QualName, String)>,
    /// Functions dropped and created again (a change `CREATE OR REPLACE` cannot make).
    pub(super) replaced_functions: BTreeSet<FunctionId>,
    /// Aggregates dropped and created again (a change `CREATE OR REPLACE AGGREGATE` cannot
    /// make, or a support function or state type of theirs dropped and created again).
    pub(super) replaced_aggregates: BTreeSet<FunctionId>,
    /// Text search dictionaries and configurations dropped and created again (a template or
    /// parser changes, or a dictionary a configuration maps is dropped and created again).
    pub(super) replaced_text_search: BTreeSet<ObjKey>,
    /// Policies dropped and created again around what their expressions read.
    pub(super) rebuild_policies: BTreeSet<(QualName, String)>,
    /// Statistics dropped and created again around a column they read.
    pub(super) rebuild_statistics: BTreeSet<(QualName, String)>,
    /// Columns dropped and added again (a changed generation expression).
    pub(super) recreated_columns: BTreeSet<(QualName, String)>,
    /// Stand-alone indexes of the current model → their table.
    pub(super) index_tables: HashMap<QualName, QualName>,
    /// Domains rebuilt together: a domain that cannot be changed in place, then the domains
    /// built over it (base first), which must move to the new one.
    pub(super) domain_groups: Vec<Vec<QualName>>,
    /// The roles whose grants the plan makes and revokes (`Catalog::managed_roles`).
    pub(super) roles: BTreeSet<String>,
}

impl<'a> Differ<'a> {
    pub(super) fn new(current: &'a Catalog, desired: &'a Catalog, casts: &'a Casts) -> Self {
        Differ {
            cur: current,
            des: desired,
            casts,
            out: DiffOutput::default(),
            seeds: Vec::new(),
            rebuild_views: BTreeSet::new(),
            rebuild_matviews: BTreeMap::new(),
            rebuild_constraints: BTreeSet::new(),
            rebuild_indexes: BTreeSet::new(),
            rebuild_triggers: BTreeSet::new(),
            replaced_functions: BTreeSet::new(),
            replaced_aggregates: BTreeSet::new(),
            replaced_text_search: BTreeSet::new(),
            rebuild_policies: BTreeSet::new(),
            rebuild_statistics: BTreeSet::new(),
            recreated_columns: BTreeSet::new(),
            index_tables: current
                .tables
                .iter()
                .flat_map(|(t, table)| {
                    table
                        .indexes
                        .keys()
                        .map(move |i| (QualName::new(t.schema.clone(), i.clone()), t.clone()))
                })
                .collect(),
            domain_groups: Vec::new(),
            roles: desired.managed_roles(current),
        }
    }
}

impl Differ<'_> {
    pub(super) fn warn(&mut self, object: impl ToString, message: impl Into<String>) {
        self.out.warnings.push(Warning {
            object: object.to_string(),
            message: message.into(),
        });
    }

    pub(super) fn push(&mut self, change: Change) {
        self.out.changes.push(change);
    }
}
