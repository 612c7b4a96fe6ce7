//! User-defined types: enums, domains and composite types.

use super::builder::{Builder, PG_CLASS, PG_CONSTRAINT, PG_TYPE, not_extension_member};
use super::rows::{opt_comment, printed};
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// Enum types with their labels in order.
    pub(super) fn enums(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT t.oid, t.typarray, n.nspname::text, t.typname::text,
                    ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e
                          WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder),
                    d.description
             FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TYPE} AND d.objsubid = 0
             WHERE t.typtype = 'e' AND n.nspname = ANY($1) AND {}",
            not_extension_member(PG_TYPE, "t.oid")
        );
        for row in s.rows("enums", &sql, &[&schemas])? {
            let row = row?;
            let name = QualName::new(row.get::<_, String>(2), row.get::<_, String>(3));
            self.types.insert(row.get(0), name.clone());
            self.types.insert(row.get(1), name.clone());
            self.catalog.enums.insert(
                name,
                EnumType {
                    values: row.get(4),
                    comment: opt_comment(&row, 5),
                },
            );
        }
        Ok(())
    }

    /// Domains with their base type, default, collation and check constraints.
    pub(super) fn domains(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        // The constraints come as parallel arrays in name order (one row per domain).
        let constraints = |column: &str| {
            format!(
                "ARRAY(SELECT {column} FROM pg_catalog.pg_constraint co
                       LEFT JOIN pg_catalog.pg_description cd
                         ON cd.objoid = co.oid AND cd.classoid = {PG_CONSTRAINT} AND cd.objsubid = 0
                       WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname)"
            )
        };
        let sql = format!(
            "SELECT t.oid, t.typarray, n.nspname::text, t.typname::text,
                    pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull,
                    pg_catalog.pg_get_expr(t.typdefaultbin, 0),
                    CASE WHEN t.typcollation <> bt.typcollation THEN coll_n.nspname::text END,
                    CASE WHEN t.typcollation <> bt.typcollation THEN coll.collname::text END,
                    d.description,
                    {}, {}, {}, {}
             FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
             LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = t.typcollation
             LEFT JOIN pg_catalog.pg_namespace coll_n ON coll_n.oid = coll.collnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TYPE} AND d.objsubid = 0
             WHERE t.typtype = 'd' AND n.nspname = ANY($1) AND {}",
            constraints("co.conname::text"),
            constraints("pg_catalog.pg_get_expr(co.conbin, 0)"),
            constraints("co.convalidated"),
            constraints("cd.description"),
            not_extension_member(PG_TYPE, "t.oid")
        );
        for row in s.rows("domains", &sql, &[&schemas])? {
            let row = row?;
            let name = QualName::new(row.get::<_, String>(2), row.get::<_, String>(3));
            self.types.insert(row.get(0), name.clone());
            self.types.insert(row.get(1), name.clone());
            self.domains.insert(row.get(0), name.clone());
            let names: Vec<String> = row.get(10);
            let expressions: Vec<String> = row.get(11);
            let validated: Vec<bool> = row.get(12);
            let comments: Vec<Option<String>> = row.get(13);
            let constraints = names
                .into_iter()
                .zip(expressions)
                .zip(validated)
                .zip(comments)
                .map(|(((n, e), validated), comment)| {
                    (
                        n,
                        DomainConstraint {
                            expression: printed(e),
                            validated,
                            comment,
                        },
                    )
                })
                .collect();
            self.catalog.domains.insert(
                name,
                Domain {
                    data_type: row.get(4),
                    not_null: row.get(5),
                    default: row.get::<_, Option<String>>(6).map(printed),
                    collation: row.get::<_, Option<String>>(8).map(|n| ObjRef {
                        schema: row.get(7),
                        name: n,
                    }),
                    constraints,
                    comment: opt_comment(&row, 9),
                },
            );
        }
        Ok(())
    }

    /// Composite types with their attributes: one row per attribute (one with no attribute for
    /// a type that has none), in attribute order.
    pub(super) fn composite_types(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT t.oid, t.typarray, c.oid, n.nspname::text, t.typname::text, d.description,
                    a.attnum, a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                    CASE WHEN a.attcollation <> at.typcollation THEN coll_n.nspname::text END,
                    CASE WHEN a.attcollation <> at.typcollation THEN coll.collname::text END,
                    ad.description
             FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TYPE} AND d.objsubid = 0
             LEFT JOIN pg_catalog.pg_attribute a
               ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
             LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = a.attcollation
             LEFT JOIN pg_catalog.pg_namespace coll_n ON coll_n.oid = coll.collnamespace
             LEFT JOIN pg_catalog.pg_description ad
               ON ad.objoid = c.oid AND ad.classoid = {PG_CLASS} AND ad.objsubid = a.attnum
             WHERE t.typtype = 'c' AND n.nspname = ANY($1) AND {}
             ORDER BY t.oid, a.attnum",
            not_extension_member(PG_TYPE, "t.oid")
        );
        for row in s.rows("composite types", &sql, &[&schemas])? {
            let row = row?;
            let relation: u32 = row.get(2);
            let name = QualName::new(row.get::<_, String>(3), row.get::<_, String>(4));
            self.types.insert(row.get(0), name.clone());
            self.types.insert(row.get(1), name.clone());
            self.composite_relations.insert(relation, name.clone());
            let def = self
                .catalog
                .composite_types
                .entry(name)
                .or_insert_with(|| CompositeType {
                    attributes: Vec::new(),
                    comment: opt_comment(&row, 5),
                });
            let (Some(attnum), Some(attname)) = (
                row.get::<_, Option<i16>>(6),
                row.get::<_, Option<String>>(7),
            ) else {
                continue;
            };
            self.attributes.insert((relation, attnum), attname.clone());
            def.attributes.push(Attribute {
                name: attname,
                data_type: row.get(8),
                collation: row.get::<_, Option<String>>(10).map(|n| ObjRef {
                    schema: row.get(9),
                    name: n,
                }),
                comment: opt_comment(&row, 11),
            });
        }
        Ok(())
    }
}
