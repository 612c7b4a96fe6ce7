//! `diff(current, desired)`: a pure function from two models to typed changes. It decides *what*
//! changes; the graph module decides in which order.
//!
//! Objects that depend on something being replaced are rebuilt with it: a view over a column whose
//! type changes is dropped before and created after; a foreign key on a primary key that is
//! recreated is recreated too. Which objects depend on which comes from `pg_depend` of the
//! current database (`Catalog::deps`).

mod aggregates;
mod closure;
mod collations;
mod columns;
mod compare;
mod constraints;
#[cfg(test)]
pub(crate) mod fixtures;
mod functions;
mod indexes;
mod inheritance;
mod partitions;
mod publications;
mod schemas;
mod security;
mod seeds;
mod sequences;
mod settle;
mod state;
mod statistics;
mod tables;
#[cfg(test)]
mod tests;
mod textsearch;
mod type_use;
mod types;
mod views;

use crate::model::{Casts, Catalog};

pub use columns::without_backfilled;
pub use settle::{
    follow_moved_extensions, moved_extensions, settle_extensions, settle_not_null_names,
    settle_partition_index_names,
};
pub use state::DiffOutput;
use state::Differ;

/// The changes that take `current` to `desired`, and what the plan should warn about.
pub fn diff(current: &Catalog, desired: &Catalog, casts: &Casts) -> DiffOutput {
    let mut d = Differ::new(current, desired, casts);
    // First what must be rebuilt (the per-kind passes below read it), then each kind.
    d.plan_domain_rebuilds();
    d.plan_rebuild_seeds();
    d.close_over_dependents();
    d.schemas();
    d.extensions();
    d.collations();
    d.enums();
    d.domains();
    d.composite_types();
    d.range_types();
    d.sequences();
    d.functions();
    d.aggregates();
    d.text_search();
    d.tables();
    d.inherited_index_names();
    // Reads the index drops that `tables` planned.
    d.keep_inherited_index_names();
    d.cascade_partition_keys();
    d.triggers();
    d.views();
    d.materialized_views();
    d.publications();
    d.security();
    d.out.warnings.sort();
    d.out.warnings.dedup();
    d.out
}
