//! Dependencies between managed objects, from `pg_depend`.

use std::num::NonZeroU32;

use super::builder::{
    Builder, PG_ATTRDEF, PG_CLASS, PG_COLLATION, PG_CONSTRAINT, PG_NAMESPACE, PG_POLICY, PG_PROC,
    PG_REWRITE, PG_STATISTIC_EXT, PG_TRIGGER, PG_TS_CONFIG, PG_TS_DICT, PG_TYPE,
};
use super::session::{IntrospectError, Session};
use crate::model::*;

/// One `pg_depend` row as read, before the builder resolves its oids: a helper session reads
/// them (see `share`) while the builder reads everything they point at. 36 bytes a row, against
/// the hundreds of a `postgres::Row` (at 10,000 tables there are 190,000 of them).
pub(super) struct Dependency {
    classid: u32,
    objid: u32,
    objsubid: i32,
    refclassid: u32,
    refobjid: u32,
    refobjsubid: i32,
    /// `deptype` `a` (else `n`).
    auto: bool,
    /// The extension the referenced object belongs to.
    extension: Option<NonZeroU32>,
    /// The referenced type's `typrelid` (a row type stands for its table).
    row_type_of: Option<NonZeroU32>,
}

/// Reads `pg_depend`'s rows between objects schemaplan may model into `each`. Needs nothing of
/// the builder, so it runs on any session of the snapshot.
pub(super) fn read_dependencies(
    s: &mut Session<'_>,
    each: &mut dyn FnMut(Dependency),
) -> Result<(), IntrospectError> {
    let sql = format!(
        "SELECT d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid, d.refobjsubid,
                d.deptype::text, x.refobjid, rt.typrelid
         FROM pg_catalog.pg_depend d
         LEFT JOIN pg_catalog.pg_depend x
           ON x.classid = d.refclassid AND x.objid = d.refobjid AND x.deptype = 'e'
         LEFT JOIN pg_catalog.pg_type rt ON d.refclassid = {PG_TYPE} AND rt.oid = d.refobjid
         WHERE d.deptype IN ('n', 'a') AND d.objid >= 16384
           AND d.classid IN ({PG_CLASS}, {PG_REWRITE}, {PG_CONSTRAINT}, {PG_ATTRDEF},
                             {PG_PROC}, {PG_TRIGGER}, {PG_TYPE}, {PG_POLICY},
                             {PG_STATISTIC_EXT}, {PG_TS_CONFIG})"
    );
    for row in s.rows("dependencies", &sql, &[])? {
        let row = row?;
        each(Dependency {
            classid: row.get(0),
            objid: row.get(1),
            objsubid: row.get(2),
            refclassid: row.get(3),
            refobjid: row.get(4),
            refobjsubid: row.get(5),
            auto: row.get::<_, &str>(6) == "a",
            extension: row.get::<_, Option<u32>>(7).and_then(NonZeroU32::new),
            row_type_of: row.get::<_, Option<u32>>(8).and_then(NonZeroU32::new),
        });
    }
    Ok(())
}

impl Builder {
    /// One `pg_depend` row, translated to model keys: which object needs which. Rows between
    /// objects outside the model are dropped.
    pub(super) fn add_dependency(&mut self, d: &Dependency) {
        let from = self.dependent_key(
            d.classid,
            d.objid,
            d.objsubid,
            d.auto,
            d.refclassid,
            d.refobjsubid,
        );
        let Some(from) = from else { return };
        let to = match (d.extension, d.row_type_of) {
            (Some(ext), _) => (self.extensions.get(&ext.get()).cloned()).map(ObjKey::Extension),
            // A table's row type (a function's argument or result) stands for the table.
            (None, Some(rel)) => self.relation_key(rel.get(), 0),
            (None, _) => self.referenced_key(d.refclassid, d.refobjid, d.refobjsubid),
        };
        if let Some(to) = to {
            if to != from {
                self.catalog.deps.insert((from, to));
            }
        }
    }

    /// The model key of a relation (or of one of its columns, `subid` > 0) by oid.
    fn relation_key(&self, oid: u32, subid: i32) -> Option<ObjKey> {
        // A composite type's attributes are columns of its pg_class row; the row itself is the
        // type.
        if let Some(q) = self.composite_relations.get(&oid) {
            if subid > 0 {
                let attribute = self.attributes.get(&(oid, subid as i16))?;
                return Some(ObjKey::Column(q.clone(), attribute.clone()));
            }
            return Some(ObjKey::Type(q.clone()));
        }
        let q = self
            .tables
            .get(&oid)
            .or_else(|| self.views.get(&oid))
            .or_else(|| self.materialized_views.get(&oid))
            .or_else(|| self.sequences.get(&oid))
            .or_else(|| self.indexes.get(&oid))?;
        if subid > 0 {
            let col = self.attributes.get(&(oid, subid as i16))?;
            Some(ObjKey::Column(q.clone(), col.clone()))
        } else {
            Some(ObjKey::Relation(q.clone()))
        }
    }

    /// The model key of the dependent side of a `pg_depend` row.
    fn dependent_key(
        &self,
        classid: u32,
        objid: u32,
        subid: i32,
        auto: bool,
        refclassid: u32,
        refsubid: i32,
    ) -> Option<ObjKey> {
        match classid {
            PG_CLASS => {
                if let (true, Some(q)) = (auto, self.sequences.get(&objid)) {
                    if refclassid == PG_CLASS && refsubid > 0 {
                        return Some(ObjKey::SequenceOwner(q.clone()));
                    }
                }
                if let (0, Some((t, n))) = (subid, self.index_constraints.get(&objid)) {
                    return Some(ObjKey::Constraint(t.clone(), n.clone()));
                }
                self.relation_key(objid, subid)
            }
            PG_REWRITE => self.rules.get(&objid).cloned().map(ObjKey::Relation),
            PG_CONSTRAINT => self
                .constraints
                .get(&objid)
                .map(|(t, n)| ObjKey::Constraint(t.clone(), n.clone())),
            PG_ATTRDEF => self
                .attrdefs
                .get(&objid)
                .map(|(t, c)| ObjKey::Column(t.clone(), c.clone())),
            PG_PROC => self.functions.get(&objid).cloned().map(ObjKey::Function),
            PG_TRIGGER => self
                .triggers
                .get(&objid)
                .map(|(t, n)| ObjKey::Trigger(t.clone(), n.clone())),
            PG_TYPE => self
                .domains
                .get(&objid)
                .or_else(|| self.range_types_by_oid.get(&objid))
                .cloned()
                .map(ObjKey::Type),
            PG_POLICY => self
                .policies
                .get(&objid)
                .map(|(t, p)| ObjKey::Policy(t.clone(), p.clone())),
            PG_STATISTIC_EXT => self.statistics.get(&objid).cloned().map(ObjKey::Statistics),
            PG_TS_CONFIG => self
                .ts_configurations
                .get(&objid)
                .cloned()
                .map(ObjKey::TsConfiguration),
            _ => None,
        }
    }

    /// The model key of the referenced side of a `pg_depend` row.
    fn referenced_key(&self, classid: u32, objid: u32, subid: i32) -> Option<ObjKey> {
        match classid {
            PG_CLASS => self.relation_key(objid, subid),
            PG_TYPE => self.types.get(&objid).cloned().map(ObjKey::Type),
            PG_CONSTRAINT => self
                .constraints
                .get(&objid)
                .map(|(t, n)| ObjKey::Constraint(t.clone(), n.clone())),
            PG_NAMESPACE => self.namespaces.get(&objid).cloned().map(ObjKey::Schema),
            PG_PROC => self.functions.get(&objid).cloned().map(ObjKey::Function),
            PG_COLLATION => self.collations.get(&objid).cloned().map(ObjKey::Collation),
            PG_TS_DICT => self
                .ts_dictionaries
                .get(&objid)
                .cloned()
                .map(ObjKey::TsDictionary),
            PG_TS_CONFIG => self
                .ts_configurations
                .get(&objid)
                .cloned()
                .map(ObjKey::TsConfiguration),
            _ => None,
        }
    }
}
