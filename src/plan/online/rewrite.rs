//! What the techniques produce (`Online`), and what they work with while they run: the two
//! models, the backfill hints, and the steps later passes order against each other.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::hints::Backfills;
use crate::model::naming::default_object_name;
use crate::model::*;
use crate::plan::change::Change;

/// Changes after the techniques, and extra edges `(a, b)`: change `a` runs before change `b`.
#[derive(Debug, Default)]
pub struct Online {
    pub changes: Vec<Change>,
    pub sequence: Vec<(usize, usize)>,
}

impl Online {
    pub(super) fn push(&mut self, change: Change) -> usize {
        self.changes.push(change);
        self.changes.len() - 1
    }

    /// Pushes `changes` one after the other, each after the one before it (and after `after`).
    pub(super) fn chain(&mut self, after: Option<usize>, changes: Vec<Change>) -> usize {
        let mut last = after;
        for change in changes {
            let i = self.push(change);
            if let Some(prev) = last {
                self.sequence.push((prev, i));
            }
            last = Some(i);
        }
        last.expect("a chain has at least one change")
    }
}

/// Every name in the relation namespace of `catalog`: tables, views, materialized views,
/// sequences, composite types, indexes and the constraints that own one (all constraint names
/// are taken, which can only make a made-up name longer).
fn relation_names(catalog: &Catalog) -> impl Iterator<Item = (String, String)> + '_ {
    let tables = catalog.tables.iter().flat_map(|(q, t)| {
        std::iter::once(q.name.clone())
            .chain(t.indexes.keys().cloned())
            .chain(t.constraints.keys().cloned())
            .map(move |name| (q.schema.clone(), name))
    });
    let matviews = catalog.materialized_views.iter().flat_map(|(q, m)| {
        std::iter::once(q.name.clone())
            .chain(m.indexes.keys().cloned())
            .map(move |name| (q.schema.clone(), name))
    });
    let others = (catalog.views.keys())
        .chain(catalog.sequences.keys())
        .chain(catalog.composite_types.keys())
        .map(|q| (q.schema.clone(), q.name.clone()));
    tables.chain(matviews).chain(others)
}

/// The techniques at work: what they know of the models, and what they have written so far.
pub(super) struct Rewrite<'a> {
    pub(super) current: &'a Catalog,
    pub(super) desired: &'a Catalog,
    backfills: &'a Backfills,
    /// Indexes dropped and created again under the same name.
    rebuilt_indexes: BTreeSet<(QualName, String)>,
    pub(super) out: Online,
    /// Where each column's SET NOT NULL lands, and the primary keys attached with USING INDEX
    /// (with their columns): a primary key needs its columns NOT NULL first.
    pub(super) set_not_null: BTreeMap<(QualName, String), usize>,
    pub(super) attached_keys: Vec<(usize, QualName, Vec<String>)>,
    /// Relation names (schema, name) of either model, and those made up so far: a name made up
    /// for a temporary index must be none of them.
    relation_names: BTreeSet<(String, String)>,
}

impl<'a> Rewrite<'a> {
    pub(super) fn new(
        changes: &[Change],
        current: &'a Catalog,
        desired: &'a Catalog,
        backfills: &'a Backfills,
    ) -> Self {
        let rebuilt_indexes: BTreeSet<(QualName, String)> = changes
            .iter()
            .filter_map(|c| {
                if let Change::DropIndex { table, name, .. } = c {
                    Some((table.clone(), name.clone()))
                } else {
                    None
                }
            })
            .filter(|(t, n)| {
                changes.iter().any(
                    |c| matches!(c, Change::CreateIndex { table, name, .. } if table == t && name == n),
                )
            })
            .collect();
        Rewrite {
            current,
            desired,
            backfills,
            rebuilt_indexes,
            out: Online::default(),
            set_not_null: BTreeMap::new(),
            attached_keys: Vec::new(),
            relation_names: relation_names(current)
                .chain(relation_names(desired))
                .collect(),
        }
    }

    /// A name for an index that a technique makes up: `<base>_<label>` cut to 63 bytes as
    /// PostgreSQL cuts names (the base shortened at a character boundary, so PostgreSQL keeps
    /// the name as written), and numbered as PostgreSQL numbers the names it chooses
    /// (`<label>1`, `<label>2`, …) while it is the name of a relation of the schema in either
    /// model or one made up before: two long names that begin alike get two names.
    pub(super) fn fresh_index_name(&mut self, schema: &str, base: &str, label: &str) -> String {
        let mut n = 0;
        loop {
            let numbered = match n {
                0 => label.to_string(),
                n => format!("{label}{n}"),
            };
            let name = default_object_name(base, None, &numbered);
            if self
                .relation_names
                .insert((schema.to_string(), name.clone()))
            {
                return name;
            }
            n += 1;
        }
    }

    /// The `backfill` hint of a column.
    pub(super) fn backfill_of(&self, table: &QualName, column: &str) -> Option<Expr> {
        self.backfills
            .get(&(table.clone(), column.to_string()))
            .map(|b| b.expression.clone())
    }

    /// A table that exists in both models. A table whose partition key changes is created
    /// anew (see `diff`): not an existing one.
    pub(super) fn existing(&self, t: &QualName) -> bool {
        matches!((self.current.tables.get(t), self.desired.tables.get(t)),
            (Some(a), Some(b)) if a.partition_by == b.partition_by)
    }

    /// Indexes of a materialized view that stays are built and dropped concurrently too (a
    /// plain build blocks its REFRESH, a plain drop its readers). One that is rebuilt gets its
    /// indexes with its create.
    fn existing_matview(&self, t: &QualName) -> bool {
        self.current.materialized_views.contains_key(t)
            && self.desired.materialized_views.contains_key(t)
    }

    /// A partitioned table has no storage of its own: PostgreSQL builds its indexes neither
    /// concurrently nor under a helper name, attaches no key `USING INDEX` and no foreign key
    /// `NOT VALID`. Its partitions' indexes are built one by one instead (see
    /// `partitioned_index`).
    pub(super) fn partitioned(&self, t: &QualName) -> bool {
        self.current
            .tables
            .get(t)
            .is_some_and(|t| t.partition_by.is_some())
            && self
                .desired
                .tables
                .get(t)
                .is_some_and(|t| t.partition_by.is_some())
    }

    pub(super) fn has_storage(&self, t: &QualName) -> bool {
        self.existing(t) && !self.partitioned(t)
    }

    pub(super) fn has_indexes(&self, t: &QualName) -> bool {
        self.has_storage(t) || self.existing_matview(t)
    }

    /// Whether the index is dropped and created again under its name.
    pub(super) fn is_rebuilt(&self, table: &QualName, name: &str) -> bool {
        self.rebuilt_indexes
            .contains(&(table.clone(), name.to_string()))
    }
}
