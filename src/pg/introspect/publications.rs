//! Publications whose tables all lie in the managed schemas (`pg_publication` with its
//! `pg_publication_rel` rows), in one query.

use super::builder::Builder;
use super::rows::opt_comment;
use super::session::{IntrospectError, Session};
use crate::model::*;

/// `pg_publication`'s own oid (`classoid` of its comments).
const PG_PUBLICATION: u32 = 6104;

impl Builder {
    /// Publications of a list of tables, every one in `schemas`: one row per table. Those
    /// `FOR ALL TABLES` or `FOR TABLES IN SCHEMA` (a superuser's), and those naming a table
    /// elsewhere, are not managed (`unmanaged` names those reaching into the managed schemas).
    /// Column lists and row filters exist from PostgreSQL 15 on; before it, none is read.
    pub(super) fn publications(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
        server_version: i32,
    ) -> Result<(), IntrospectError> {
        if server_version < 150000 {
            return Ok(());
        }
        let sql = format!(
            "SELECT b.pubname::text, b.pubinsert, b.pubupdate, b.pubdelete, b.pubtruncate,
                    b.pubviaroot, d.description, n.nspname::text, c.relname::text,
                    ARRAY(SELECT a.attname::text FROM pg_catalog.pg_attribute a
                          WHERE a.attrelid = r.prrelid AND a.attnum = ANY (r.prattrs)
                          ORDER BY a.attnum),
                    pg_catalog.pg_get_expr(r.prqual, r.prrelid)
             FROM pg_catalog.pg_publication b
             JOIN pg_catalog.pg_publication_rel r ON r.prpubid = b.oid
             JOIN pg_catalog.pg_class c ON c.oid = r.prrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = b.oid AND d.classoid = {PG_PUBLICATION} AND d.objsubid = 0
             WHERE {managed}",
            managed = MANAGED_PUBLICATION,
        );
        for row in s.rows("publications", &sql, &[&schemas])? {
            let row = row?;
            let name: String = row.get(0);
            let publish = PUBLISH_ACTIONS
                .iter()
                .zip(1..=4)
                .filter(|(_, i)| row.get::<_, bool>(*i))
                .map(|(a, _)| a.to_string())
                .collect();
            let publication =
                self.catalog
                    .publications
                    .entry(name)
                    .or_insert_with(|| Publication {
                        tables: Default::default(),
                        publish,
                        via_partition_root: row.get(5),
                        comment: opt_comment(&row, 6),
                    });
            let table = QualName::new(row.get::<_, String>(7), row.get::<_, String>(8));
            publication.tables.insert(
                table,
                PublishedTable {
                    columns: row.get(9),
                    filter: row.get::<_, Option<String>>(10).map(Expr::new),
                },
            );
        }
        Ok(())
    }
}

/// The condition on `pg_publication b` (with `$1` the managed schemas) under which a
/// publication is managed: a list of tables, each in a managed schema.
pub(super) const MANAGED_PUBLICATION: &str = "NOT b.puballtables
    AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication_namespace pn WHERE pn.pnpubid = b.oid)
    AND NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_publication_rel mr
        JOIN pg_catalog.pg_class mc ON mc.oid = mr.prrelid
        JOIN pg_catalog.pg_namespace mn ON mn.oid = mc.relnamespace
        WHERE mr.prpubid = b.oid AND mn.nspname <> ALL ($1))";
