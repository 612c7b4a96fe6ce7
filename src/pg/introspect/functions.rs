//! Functions and procedures, and the triggers that call them.

use super::builder::{Builder, PG_PROC, PG_TRIGGER, not_extension_member};
use super::rows::{opt_comment, parse_options, printed};
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// Functions and procedures (aggregates are read by `aggregates`; window functions are not
    /// managed).
    pub(super) fn functions(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
        server_version: i32,
    ) -> Result<(), IntrospectError> {
        // `BEGIN ATOMIC` bodies (PostgreSQL 14+) are stored parsed and printed back.
        let sql_body = if server_version >= 140000 {
            "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) END"
        } else {
            "NULL::text"
        };
        let sql = format!(
            "SELECT p.oid, n.nspname::text, p.proname::text, p.prokind::text,
                    pg_catalog.pg_get_function_arguments(p.oid),
                    pg_catalog.oidvectortypes(p.proargtypes),
                    CASE WHEN p.prokind <> 'p' THEN pg_catalog.pg_get_function_result(p.oid) END,
                    l.lanname::text, p.provolatile::text, p.proisstrict, p.prosecdef,
                    p.proleakproof, p.proparallel::text,
                    CASE WHEN p.procost <> CASE WHEN l.lanname IN ('c', 'internal') THEN 1 ELSE 100 END
                         THEN p.procost::text END,
                    CASE WHEN p.proretset AND p.prorows <> 1000 THEN p.prorows::text END,
                    p.proconfig, p.prosrc, {sql_body}, d.description
             FROM pg_catalog.pg_proc p
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             JOIN pg_catalog.pg_language l ON l.oid = p.prolang
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = p.oid AND d.classoid = {PG_PROC} AND d.objsubid = 0
             WHERE p.prokind IN ('f', 'p') AND n.nspname = ANY($1) AND {}
               -- Made with another object and gone with it (a range type's constructors).
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend i
                               WHERE i.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
                                 AND i.objid = p.oid AND i.deptype = 'i')",
            not_extension_member(PG_PROC, "p.oid")
        );
        for row in s.rows("functions", &sql, &[&schemas])? {
            let row = row?;
            let id = FunctionId {
                name: QualName::new(row.get::<_, String>(1), row.get::<_, String>(2)),
                args: row.get(5),
            };
            self.functions.insert(row.get(0), id.clone());
            let sql_body: Option<String> = row.get(17);
            let function = Function {
                kind: match row.get::<_, String>(3).as_str() {
                    "p" => RoutineKind::Procedure,
                    _ => RoutineKind::Function,
                },
                arguments: row.get(4),
                returns: row.get(6),
                language: row.get(7),
                volatility: match row.get::<_, String>(8).as_str() {
                    "i" => Volatility::Immutable,
                    "s" => Volatility::Stable,
                    _ => Volatility::Volatile,
                },
                strict: row.get(9),
                security_definer: row.get(10),
                leakproof: row.get(11),
                parallel: match row.get::<_, String>(12).as_str() {
                    "s" => Parallel::Safe,
                    "r" => Parallel::Restricted,
                    _ => Parallel::Unsafe,
                },
                cost: row.get(13),
                rows: row.get(14),
                settings: parse_options(row.get(15)),
                sql_body: sql_body.is_some(),
                body: sql_body.unwrap_or_else(|| row.get(16)),
                comment: opt_comment(&row, 18),
                grants: Grants::new(),
            };
            self.catalog.functions.insert(id, function);
        }
        Ok(())
    }

    /// Triggers of managed tables and views. Those a partition clones from its parent's are the parent's,
    /// and internal ones (behind foreign keys) belong to their constraints.
    pub(super) fn triggers(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        let sql = format!(
            "SELECT t.oid, t.tgrelid, t.tgname::text, t.tgtype::int, t.tgenabled::text,
                    fn.nspname::text, f.proname::text, t.tgnargs::int, t.tgargs,
                    t.tgattr::int2[], t.tgoldtable::text, t.tgnewtable::text,
                    t.tgconstraint <> 0, t.tgdeferrable, t.tginitdeferred,
                    pg_catalog.pg_get_triggerdef(t.oid), d.description
             FROM pg_catalog.pg_trigger t
             JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_catalog.pg_proc f ON f.oid = t.tgfoid
             JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = t.oid AND d.classoid = {PG_TRIGGER} AND d.objsubid = 0
             WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND n.nspname = ANY($1)"
        );
        for row in s.rows("triggers", &sql, &[&schemas])? {
            let row = row?;
            let relid: u32 = row.get(1);
            let Some(table) = self
                .tables
                .get(&relid)
                .or_else(|| self.views.get(&relid))
                .cloned()
            else {
                continue;
            };
            let name: String = row.get(2);
            let tgtype: i32 = row.get(3);
            let mut events = Vec::new();
            for (bit, event) in [
                (4, "insert"),
                (16, "update"),
                (8, "delete"),
                (32, "truncate"),
            ] {
                if tgtype & bit != 0 {
                    events.push(event.to_string());
                }
            }
            let timing = if tgtype & 64 != 0 {
                TriggerTiming::InsteadOf
            } else if tgtype & 2 != 0 {
                TriggerTiming::Before
            } else {
                TriggerTiming::After
            };
            let nargs: i32 = row.get(7);
            let raw: Vec<u8> = row.get(8);
            let arguments: Vec<String> = raw
                .split(|b| *b == 0)
                .take(nargs as usize)
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect();
            let update_of: Vec<String> = row
                .get::<_, Option<Vec<i16>>>(9)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|n| self.attributes.get(&(relid, n)).cloned())
                .collect();
            let definition: String = row.get(15);
            let trigger = Trigger {
                timing,
                events,
                update_of,
                for_each_row: tgtype & 1 != 0,
                when: trigger_when(&definition).map(printed),
                function: QualName::new(row.get::<_, String>(5), row.get::<_, String>(6)),
                arguments,
                old_table: row.get(10),
                new_table: row.get(11),
                constraint: row.get(12),
                deferrable: row.get(13),
                initially_deferred: row.get(14),
                enabled: match row.get::<_, String>(4).as_str() {
                    "D" => TriggerEnabled::Disabled,
                    "R" => TriggerEnabled::Replica,
                    "A" => TriggerEnabled::Always,
                    _ => TriggerEnabled::Origin,
                },
                comment: opt_comment(&row, 16),
            };
            self.triggers
                .insert(row.get(0), (table.clone(), name.clone()));
            if let Some(t) = self.catalog.tables.get_mut(&table) {
                t.triggers.insert(name, trigger);
            } else if let Some(v) = self.catalog.views.get_mut(&table) {
                v.triggers.insert(name, trigger);
            }
        }
        Ok(())
    }
}

/// The `WHEN` condition of a trigger, from `pg_get_triggerdef`'s fixed layout: `… FOR EACH ROW
/// WHEN (condition) EXECUTE FUNCTION …`; the parentheses around it are the clause's own.
fn trigger_when(definition: &str) -> Option<String> {
    let start = ["FOR EACH ROW WHEN (", "FOR EACH STATEMENT WHEN ("]
        .iter()
        .find_map(|m| definition.find(m).map(|at| at + m.len()))?;
    let end = crate::sqltext::reprint::closing_paren(&definition[start..])?;
    Some(definition[start..start + end].to_string())
}
