//! Sequences (those behind identity columns are the columns' own).

use super::builder::{Builder, PG_CLASS, not_extension_member};
use super::rows::{opt_comment, sequence_options};
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// Sequences, with the column that owns each (`OWNED BY`); those behind identity columns
    /// (an internal dependency) belong to the column.
    pub(super) fn sequences(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT c.oid, n.nspname::text, c.relname::text,
                    pg_catalog.format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
                    s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
                    own_n.nspname::text, own_c.relname::text, own_a.attname::text, d.description,
                    c.relpersistence = 'u'
             FROM pg_catalog.pg_sequence s
             JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_depend own
               ON own.classid = {PG_CLASS} AND own.objid = c.oid AND own.refclassid = {PG_CLASS}
              AND own.deptype = 'a' AND own.refobjsubid > 0
             LEFT JOIN pg_catalog.pg_class own_c ON own_c.oid = own.refobjid
             LEFT JOIN pg_catalog.pg_namespace own_n ON own_n.oid = own_c.relnamespace
             LEFT JOIN pg_catalog.pg_attribute own_a
               ON own_a.attrelid = own.refobjid AND own_a.attnum = own.refobjsubid
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = c.oid AND d.classoid = {PG_CLASS} AND d.objsubid = 0
             WHERE n.nspname = ANY($1) AND {}
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = {PG_CLASS}
                               AND i.objid = c.oid AND i.deptype = 'i')",
            not_extension_member(PG_CLASS, "c.oid")
        );
        for row in s.rows("sequences", &sql, &[&schemas])? {
            let row = row?;
            let name = QualName::new(row.get::<_, String>(1), row.get::<_, String>(2));
            self.sequences.insert(row.get(0), name.clone());
            let owned_by = match (
                row.get::<_, Option<String>>(10),
                row.get::<_, Option<String>>(11),
                row.get::<_, Option<String>>(12),
            ) {
                (Some(schema), Some(table), Some(column)) => Some(ColumnRef {
                    table: QualName::new(schema, table),
                    column,
                }),
                _ => None,
            };
            self.catalog.sequences.insert(
                name,
                Sequence {
                    options: sequence_options(&row, 3),
                    owned_by,
                    unlogged: row.get(14),
                    comment: opt_comment(&row, 13),
                    ..Sequence::default()
                },
            );
        }
        Ok(())
    }
}
