//! The model under construction, with the maps from catalog oids to model keys that later
//! queries resolve through.

use std::collections::{HashMap, HashSet};

use crate::model::*;

// Fixed OIDs of system catalogs (they never change between PostgreSQL versions).
pub(super) const PG_CLASS: u32 = 1259;
pub(super) const PG_TYPE: u32 = 1247;
pub(super) const PG_ATTRDEF: u32 = 2604;
pub(super) const PG_CONSTRAINT: u32 = 2606;
pub(super) const PG_REWRITE: u32 = 2618;
pub(super) const PG_NAMESPACE: u32 = 2615;
pub(super) const PG_PROC: u32 = 1255;
pub(super) const PG_TRIGGER: u32 = 2620;
pub(super) const PG_POLICY: u32 = 3256;
pub(super) const PG_STATISTIC_EXT: u32 = 3381;
pub(super) const PG_COLLATION: u32 = 3456;
pub(super) const PG_TS_DICT: u32 = 3600;
pub(super) const PG_TS_CONFIG: u32 = 3602;

/// Filter that keeps objects out of the model when they belong to an extension.
pub(super) fn not_extension_member(class_oid: u32, oid_expr: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = {class_oid} \
         AND x.objid = {oid_expr} AND x.deptype = 'e')"
    )
}

/// The catalog read so far, and how to find a model object by its oid.
#[derive(Default)]
pub(super) struct Builder {
    pub(super) catalog: Catalog,
    pub(super) namespaces: HashMap<u32, String>,
    pub(super) extensions: HashMap<u32, String>,
    /// Enum types and their array types.
    pub(super) types: HashMap<u32, QualName>,
    pub(super) tables: HashMap<u32, QualName>,
    pub(super) views: HashMap<u32, QualName>,
    pub(super) materialized_views: HashMap<u32, QualName>,
    pub(super) sequences: HashMap<u32, QualName>,
    /// The sequences of identity columns → their table and column.
    pub(super) identity_sequences: HashMap<u32, (QualName, String)>,
    pub(super) indexes: HashMap<u32, QualName>,
    pub(super) rules: HashMap<u32, QualName>,
    /// (relation oid, attnum) → column name, for tables, views and materialized views.
    pub(super) attributes: HashMap<(u32, i16), String>,
    pub(super) attrdefs: HashMap<u32, (QualName, String)>,
    pub(super) constraints: HashMap<u32, (QualName, String)>,
    /// Indexes that back a primary key, unique or exclusion constraint: their include columns,
    /// `NULLS NOT DISTINCT`, and for an exclusion constraint its method, elements and
    /// predicate, which belong to the constraint.
    pub(super) constraint_indexes: HashMap<u32, Index>,
    pub(super) functions: HashMap<u32, FunctionId>,
    pub(super) triggers: HashMap<u32, (QualName, String)>,
    /// The constraint each of those indexes backs: what the index depends on (an exclusion
    /// constraint's expression and predicate columns, its operator classes' extension) is
    /// recorded in `pg_depend` for the index, and counts as the constraint's.
    pub(super) index_constraints: HashMap<u32, (QualName, String)>,
    /// Indexes of partitions attached to their parent's partitioned index.
    pub(super) attached_indexes: HashSet<u32>,
    /// Domains by type oid: their own dependencies (base type, extension types) are recorded
    /// with `pg_type` as the dependent class.
    pub(super) domains: HashMap<u32, QualName>,
    /// Composite types by the oid of their `pg_class` row, which holds their attributes.
    pub(super) composite_relations: HashMap<u32, QualName>,
    /// Row-level security policies: oid → table and name.
    pub(super) policies: HashMap<u32, (QualName, String)>,
    /// Extended statistics: oid → name (in their table's schema).
    pub(super) statistics: HashMap<u32, QualName>,
    /// Collations by oid.
    pub(super) collations: HashMap<u32, QualName>,
    /// Range types by type oid: their own dependencies (subtype, collation, functions) are
    /// recorded with `pg_type` as the dependent class.
    pub(super) range_types_by_oid: HashMap<u32, QualName>,
    /// Text search dictionaries and configurations: oid → name.
    pub(super) ts_dictionaries: HashMap<u32, QualName>,
    pub(super) ts_configurations: HashMap<u32, QualName>,
}
