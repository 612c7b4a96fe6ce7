//! Aggregates (`pg_aggregate` with their `pg_proc` rows, `prokind = 'a'`), in one query.

use super::builder::{Builder, PG_PROC, not_extension_member};
use super::rows::opt_comment;
use super::session::{IntrospectError, Session};
use crate::model::*;

impl Builder {
    /// User-defined aggregates of the managed schemas, extension members aside. Their oids
    /// join the functions' map, so that `pg_depend` rows naming them (a view calling one, an
    /// aggregate on its support functions) resolve to `ObjKey::Function`.
    pub(super) fn aggregates(
        &mut self,
        s: &mut Session<'_>,
        schemas: &[String],
    ) -> Result<(), IntrospectError> {
        // `regproc` and `format_type` print names qualified outside `pg_catalog` under the
        // empty search path, quoted where needed.
        let func = |column: &str| {
            format!("CASE WHEN a.{column}::oid <> 0 THEN a.{column}::pg_catalog.regproc::text END")
        };
        let sql = format!(
            "SELECT p.oid, n.nspname::text, p.proname::text,
                    pg_catalog.pg_get_function_arguments(p.oid),
                    pg_catalog.oidvectortypes(p.proargtypes),
                    pg_catalog.pg_get_function_result(p.oid),
                    a.aggkind::text, {transfn}, pg_catalog.format_type(a.aggtranstype, NULL),
                    a.aggtransspace, {finalfn}, a.aggfinalextra, a.aggfinalmodify::text,
                    {combinefn}, {serialfn}, {deserialfn}, a.agginitval,
                    {mtransfn}, {minvtransfn},
                    CASE WHEN a.aggmtranstype <> 0
                         THEN pg_catalog.format_type(a.aggmtranstype, NULL) END,
                    a.aggmtransspace, {mfinalfn}, a.aggmfinalextra, a.aggmfinalmodify::text,
                    a.aggminitval,
                    CASE WHEN a.aggsortop <> 0 THEN a.aggsortop::pg_catalog.regoper::text END,
                    p.proparallel::text, d.description
             FROM pg_catalog.pg_aggregate a
             JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
             JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
             LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = p.oid AND d.classoid = {PG_PROC} AND d.objsubid = 0
             WHERE p.prokind = 'a' AND n.nspname = ANY($1) AND {member}",
            transfn = func("aggtransfn"),
            finalfn = func("aggfinalfn"),
            combinefn = func("aggcombinefn"),
            serialfn = func("aggserialfn"),
            deserialfn = func("aggdeserialfn"),
            mtransfn = func("aggmtransfn"),
            minvtransfn = func("aggminvtransfn"),
            mfinalfn = func("aggmfinalfn"),
            member = not_extension_member(PG_PROC, "p.oid"),
        );
        for row in s.rows("aggregates", &sql, &[&schemas])? {
            let row = row?;
            let id = FunctionId {
                name: QualName::new(row.get::<_, String>(1), row.get::<_, String>(2)),
                args: row.get(4),
            };
            self.functions.insert(row.get(0), id.clone());
            let kind = match row.get::<_, String>(6).as_str() {
                "o" => AggregateKind::OrderedSet,
                "h" => AggregateKind::Hypothetical,
                _ => AggregateKind::Normal,
            };
            // Kept only where it differs from the kind's default, as the YAML leaves it out.
            let modify = |idx: usize| {
                let m = match row.get::<_, String>(idx).as_str() {
                    "s" => FinalModify::Shareable,
                    "w" => FinalModify::ReadWrite,
                    _ => FinalModify::ReadOnly,
                };
                (m != FinalModify::default_for(kind)).then_some(m)
            };
            let space = |idx: usize| Some(row.get::<_, i32>(idx)).filter(|n| *n != 0);
            let aggregate = Aggregate {
                arguments: row.get(3),
                kind,
                sfunc: row.get::<_, Option<String>>(7).unwrap_or_default(),
                stype: row.get(8),
                sspace: space(9),
                finalfunc: row.get(10),
                finalfunc_extra: row.get(11),
                finalfunc_modify: modify(12),
                combinefunc: row.get(13),
                serialfunc: row.get(14),
                deserialfunc: row.get(15),
                initcond: row.get(16),
                msfunc: row.get(17),
                minvfunc: row.get(18),
                mstype: row.get(19),
                msspace: space(20),
                mfinalfunc: row.get(21),
                mfinalfunc_extra: row.get(22),
                mfinalfunc_modify: modify(23),
                minitcond: row.get(24),
                sortop: row.get(25),
                parallel: match row.get::<_, String>(26).as_str() {
                    "s" => Parallel::Safe,
                    "r" => Parallel::Restricted,
                    _ => Parallel::Unsafe,
                },
                returns: row.get(5),
                comment: opt_comment(&row, 27),
            };
            self.catalog.aggregates.insert(id, aggregate);
        }
        Ok(())
    }
}
