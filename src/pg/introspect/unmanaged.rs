//! Objects of kinds schemaplan does not manage, each named, for the warnings of a plan and the
//! notes of `inspect`: nothing in a managed schema is left out without saying so.

use super::builder::{PG_TYPE, not_extension_member};
use super::publications::MANAGED_PUBLICATION;
use super::session::{IntrospectError, Session};

/// Every object of the managed schemas of a kind schemaplan does not manage yet, as `kind name`
/// (`rule nothing_on_insert on public.t`), sorted; and the database-wide objects that reach
/// into them (publications of their tables, casts of their types) or act on every statement
/// (event triggers). One query. Columns read through `to_jsonb` are those whose catalog column
/// differs between PostgreSQL versions.
pub(super) fn unmanaged_objects(
    s: &mut Session<'_>,
    schemas: &[String],
    server_version: i32,
) -> Result<Vec<String>, IntrospectError> {
    let free = |class: u32, oid: &str| not_extension_member(class, oid);
    let sql = format!(
        "SELECT kind, name FROM (
             SELECT 'window function' AS kind, p.oid::pg_catalog.regprocedure::text AS name
             FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             WHERE p.prokind = 'w' AND n.nspname = ANY($1) AND {proc}
             UNION ALL
             SELECT 'trigger on a foreign table',
                    pg_catalog.quote_ident(t.tgname) || ' on ' || c.oid::pg_catalog.regclass::text
             FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE NOT t.tgisinternal AND c.relkind NOT IN ('r', 'p', 'v') AND n.nspname = ANY($1)
             UNION ALL
             SELECT 'rule',
                    pg_catalog.quote_ident(r.rulename) || ' on ' || c.oid::pg_catalog.regclass::text
             FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE r.rulename <> '_RETURN' AND n.nspname = ANY($1)
             UNION ALL
             SELECT 'base type', t.oid::pg_catalog.regtype::text
             FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             WHERE t.typtype = 'b' AND t.typelem = 0 AND n.nspname = ANY($1) AND {typ}
             UNION ALL
             SELECT 'operator', o.oid::pg_catalog.regoperator::text
             FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
             WHERE n.nspname = ANY($1) AND {oper}
             UNION ALL
             SELECT 'operator class',
                    pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(o.opcname)
             FROM pg_catalog.pg_opclass o JOIN pg_catalog.pg_namespace n ON n.oid = o.opcnamespace
             WHERE n.nspname = ANY($1) AND {opc}
             UNION ALL
             SELECT 'publication', pg_catalog.quote_ident(b.pubname)
             FROM pg_catalog.pg_publication b
             WHERE (b.puballtables OR EXISTS (
                 SELECT 1 FROM pg_catalog.pg_publication_rel r
                 JOIN pg_catalog.pg_class c ON c.oid = r.prrelid
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE r.prpubid = b.oid AND n.nspname = ANY($1)){in_schema})
               AND NOT ({managed})
             UNION ALL
             SELECT 'event trigger', pg_catalog.quote_ident(e.evtname)
             FROM pg_catalog.pg_event_trigger e WHERE {evt}
             UNION ALL
             SELECT 'cast', '(' || k.castsource::pg_catalog.regtype::text || ' AS '
                    || k.casttarget::pg_catalog.regtype::text || ')'
             FROM pg_catalog.pg_cast k
             WHERE k.oid >= 16384 AND {cast}
               -- A multirange's casts come with its range type.
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i WHERE i.classid = 2605
                               AND i.objid = k.oid AND i.deptype = 'i')
               AND EXISTS (
                 SELECT 1 FROM pg_catalog.pg_type t
                 JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                 WHERE t.oid IN (k.castsource, k.casttarget) AND n.nspname = ANY($1))
             UNION ALL
             SELECT 'foreign server', pg_catalog.quote_ident(f.srvname)
             FROM pg_catalog.pg_foreign_server f WHERE {srv}
         ) o ORDER BY kind, name",
        proc = free(1255, "p.oid"),
        typ = free(PG_TYPE, "t.oid"),
        oper = free(2617, "o.oid"),
        opc = free(2616, "o.oid"),
        evt = free(3466, "e.oid"),
        cast = free(2605, "k.oid"),
        srv = free(1417, "f.oid"),
        // Publications of schemas (and column lists, row filters) came with PostgreSQL 15;
        // before it, none is managed.
        in_schema = if server_version >= 150000 {
            " OR EXISTS (SELECT 1 FROM pg_catalog.pg_publication_namespace pn
                         JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid
                         WHERE pn.pnpubid = b.oid AND n.nspname = ANY($1))"
        } else {
            ""
        },
        managed = if server_version >= 150000 {
            MANAGED_PUBLICATION
        } else {
            "false"
        },
    );
    Ok(s.query("unmanaged objects", &sql, &[&schemas])?
        .iter()
        .map(|r| {
            let (kind, name): (String, String) = (r.get(0), r.get(1));
            format!("{kind} {name}")
        })
        .collect())
}
