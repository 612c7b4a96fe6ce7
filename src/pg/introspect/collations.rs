//! Collations and range types, in one query: neither can be altered in place, and a range
//! type may name a collation.

use super::builder::{Builder, PG_COLLATION, PG_TYPE, not_extension_member};
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// Collations (`kind` `c`) and range types (`kind` `r`) of the managed schemas, one row
    /// each. A range type's subtype operator class and collation are read only when they are
    /// not the subtype's defaults, and its multirange type's name only when it is not the one
    /// PostgreSQL would choose. The ICU locale is read through `to_jsonb`: its column is named
    /// differently in later versions; so is the multirange type, which PostgreSQL 13 lacks.
    pub(super) fn collations_and_ranges(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT 'c'::text, o.oid, NULL::oid, NULL::oid, NULL::oid, n.nspname::text,
                    o.collname::text, o.collprovider::text,
                    COALESCE(to_jsonb(o) ->> 'colllocale', to_jsonb(o) ->> 'colliculocale'),
                    o.collcollate::text, o.collctype::text, NULL::text, NULL::text, NULL::text,
                    NULL::text, o.collisdeterministic
             FROM pg_catalog.pg_collation o
             JOIN pg_catalog.pg_namespace n ON n.oid = o.collnamespace
             WHERE n.nspname = ANY($1) AND {coll}
             UNION ALL
             SELECT 'r', t.oid, t.typarray, m.oid, m.typarray, n.nspname::text,
                    t.typname::text, pg_catalog.format_type(r.rngsubtype, NULL),
                    CASE WHEN NOT opc.opcdefault THEN opc_n.nspname::text END,
                    CASE WHEN NOT opc.opcdefault THEN opc.opcname::text END,
                    CASE WHEN r.rngcollation <> st.typcollation THEN coll_n.nspname::text END,
                    CASE WHEN r.rngcollation <> st.typcollation THEN coll.collname::text END,
                    CASE WHEN r.rngcanonical::oid <> 0 THEN r.rngcanonical::text END,
                    CASE WHEN r.rngsubdiff::oid <> 0 THEN r.rngsubdiff::text END,
                    m.typname::text, NULL::bool
             FROM pg_catalog.pg_range r
             JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
             LEFT JOIN pg_catalog.pg_type m
               ON m.oid = (to_jsonb(r) ->> 'rngmultitypid')::oid
             JOIN pg_catalog.pg_opclass opc ON opc.oid = r.rngsubopc
             JOIN pg_catalog.pg_namespace opc_n ON opc_n.oid = opc.opcnamespace
             LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = r.rngcollation
             LEFT JOIN pg_catalog.pg_namespace coll_n ON coll_n.oid = coll.collnamespace
             WHERE n.nspname = ANY($1) AND {typ}",
            coll = not_extension_member(PG_COLLATION, "o.oid"),
            typ = not_extension_member(PG_TYPE, "t.oid"),
        );
        for row in s.rows("collations and range types", &sql, &[&schemas])? {
            let row = row?;
            let name = QualName::new(row.get::<_, String>(5), row.get::<_, String>(6));
            if row.get::<_, String>(0) == "c" {
                self.collations.insert(row.get(1), name.clone());
                let provider = match row.get::<_, String>(7).as_str() {
                    "i" => "icu",
                    "b" => "builtin",
                    _ => "libc",
                };
                self.catalog.collations.insert(
                    name,
                    Collation {
                        provider: provider.to_string(),
                        locale: row.get(8),
                        lc_collate: row.get(9),
                        lc_ctype: row.get(10),
                        deterministic: row.get(15),
                        from: None,
                    },
                );
                continue;
            }
            for oid in [1, 2, 3, 4] {
                if let Some(oid) = row.get::<_, Option<u32>>(oid) {
                    self.types.insert(oid, name.clone());
                }
            }
            self.range_types_by_oid.insert(row.get(1), name.clone());
            let obj_ref = |schema: usize| {
                row.get::<_, Option<String>>(schema + 1).map(|n| ObjRef {
                    schema: row.get(schema),
                    name: n,
                })
            };
            let multirange: Option<String> = row.get(14);
            let def = RangeType {
                subtype: row.get(7),
                subtype_opclass: obj_ref(8),
                collation: obj_ref(10),
                canonical: row.get(12),
                subtype_diff: row.get(13),
                multirange_type_name: multirange
                    .filter(|m| *m != naming::multirange_name(&name.name)),
            };
            self.catalog.range_types.insert(name, def);
        }
        Ok(())
    }
}
