//! Objects of kinds schemaplan does not manage, for the warnings of a plan.

use super::builder::{PG_TYPE, not_extension_member};
use super::session::{IntrospectError, Session};

/// Objects of kinds schemaplan does not manage yet, counted per schema, so that plans can say
/// they are left alone.
pub(super) fn unmanaged_kinds(
    s: &mut Session<'_>,
    schemas: &[String],
) -> Result<Vec<String>, IntrospectError> {
    let member = |class: u32, oid: &str| not_extension_member(class, oid);
    let sql = format!(
        "SELECT kind, schema, count(*)::int FROM (
             SELECT 'window function' AS kind, n.nspname::text AS schema
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             WHERE p.prokind = 'w' AND n.nspname = ANY($1) AND {proc}
             UNION ALL
             SELECT 'trigger on a view or foreign table', n.nspname::text
             FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND c.relkind NOT IN ('r', 'p') AND n.nspname = ANY($1)
             UNION ALL
             SELECT 'rule', n.nspname::text
             FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE r.rulename <> '_RETURN' AND n.nspname = ANY($1)
             UNION ALL
             SELECT 'range type', n.nspname::text
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             WHERE t.typtype = 'r' AND n.nspname = ANY($1) AND {typ}
         ) o GROUP BY kind, schema ORDER BY schema, kind",
        proc = member(1255, "p.oid"),
        typ = member(PG_TYPE, "t.oid"),
    );
    Ok(s.query("unmanaged objects", &sql, &[&schemas])?
        .iter()
        .map(|r| {
            let (kind, schema, n): (String, String, i32) = (r.get(0), r.get(1), r.get(2));
            format!(
                "{n} {kind}{} in schema {schema}",
                if n == 1 { "" } else { "(s)" }
            )
        })
        .collect())
}
