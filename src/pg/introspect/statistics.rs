//! Extended statistics (`pg_statistic_ext`) of tables, in one query.

use super::builder::{Builder, PG_STATISTIC_EXT, not_extension_member};
use super::rows::{opt_comment, printed};
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// Extended statistics of managed tables: kinds, columns, expressions (PostgreSQL 14+),
    /// target and comment. Statistics of a table in another schema than their own, or of a
    /// materialized view, are reported as unsupported.
    pub(super) fn statistics(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
        server_version: i32,
        unsupported: &mut Vec<String>,
    ) -> Result<(), IntrospectError> {
        let expressions = if server_version >= 140000 {
            "pg_catalog.pg_get_statisticsobjdef_expressions(s.oid)"
        } else {
            "NULL::text[]"
        };
        let sql = format!(
            "SELECT s.oid, s.stxrelid, sn.nspname::text, s.stxname::text, s.stxkind::text[],
                    COALESCE(s.stxstattarget::int, -1),
                    ARRAY(SELECT a.attname::text
                          FROM pg_catalog.unnest(s.stxkeys::int2[]) k(n)
                          JOIN pg_catalog.pg_attribute a
                            ON a.attrelid = s.stxrelid AND a.attnum = k.n
                          ORDER BY k.n),
                    {expressions}, d.description
             FROM pg_catalog.pg_statistic_ext s
             JOIN pg_catalog.pg_namespace sn ON sn.oid = s.stxnamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = s.oid AND d.classoid = {PG_STATISTIC_EXT} AND d.objsubid = 0
             WHERE sn.nspname = ANY($1) AND {}
             ORDER BY sn.nspname, s.stxname",
            not_extension_member(PG_STATISTIC_EXT, "s.oid")
        );
        for row in s.rows("statistics", &sql, &[&schemas])? {
            let row = row?;
            let oid: u32 = row.get(0);
            let name = QualName::new(row.get::<_, String>(2), row.get::<_, String>(3));
            let table = self.tables.get(&row.get::<_, u32>(1)).cloned();
            let Some(table) = table.filter(|t| t.schema == name.schema) else {
                unsupported.push(format!(
                    "statistics {name} (of a table in another schema, or of a materialized view)"
                ));
                continue;
            };
            let kinds: Vec<String> = row.get(4);
            let stats = Statistics {
                kinds: ["d", "f", "m"]
                    .iter()
                    .zip(Statistics::KINDS)
                    .filter(|(code, _)| kinds.iter().any(|k| k == *code))
                    .map(|(_, kind)| kind.to_string())
                    .collect(),
                columns: row.get(6),
                expressions: row
                    .get::<_, Option<Vec<String>>>(7)
                    .unwrap_or_default()
                    .into_iter()
                    .map(printed)
                    .collect(),
                target: Some(row.get::<_, i32>(5)).filter(|&n| n != -1),
                comment: opt_comment(&row, 8),
            };
            self.statistics.insert(oid, name.clone());
            if let Some(t) = self.catalog.tables.get_mut(&table) {
                t.statistics.insert(name.name, stats);
            }
        }
        Ok(())
    }
}
