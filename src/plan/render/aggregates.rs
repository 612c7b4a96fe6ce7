//! Aggregates: `CREATE [OR REPLACE] AGGREGATE`, `DROP AGGREGATE`.
//!
//! Support functions, state types and the sort operator are written as the model holds them
//! (printed by PostgreSQL, or names as the YAML wrote them, checked by `yaml::sqlcheck`); the
//! initial conditions are string literals.

use crate::model::quote::{literal, qualified};
use crate::model::*;

pub(super) fn create_aggregate(id: &FunctionId, def: &Aggregate) -> Vec<String> {
    let mut out = vec![create_aggregate_statement(id, def, false)];
    if let Some(comment) = &def.comment {
        // Named with its argument list as written (`ORDER BY` included), which is what a model
        // loaded from YAML has; `COMMENT ON ROUTINE` takes only the argument types.
        out.push(format!(
            "COMMENT ON AGGREGATE {}({}) IS {}",
            qualified(&id.name),
            def.arguments,
            literal(comment)
        ));
    }
    out
}

pub(super) fn replace_aggregate(id: &FunctionId, to: &Aggregate) -> Vec<String> {
    vec![create_aggregate_statement(id, to, true)]
}

pub(super) fn drop_aggregate(id: &FunctionId, def: &Aggregate) -> Vec<String> {
    vec![format!(
        "DROP AGGREGATE {}({})",
        qualified(&id.name),
        def.arguments
    )]
}

fn create_aggregate_statement(id: &FunctionId, a: &Aggregate, replace: bool) -> String {
    // A flag is written as its bare key (an empty value here).
    let flag = |on: bool| on.then(String::new);
    let modify = |m: Option<FinalModify>| m.map(|m| m.sql().to_string());
    let parallel = (a.parallel != Parallel::Unsafe).then(|| a.parallel.sql().to_string());
    let entries: [(&str, Option<String>); 21] = [
        ("SFUNC", Some(a.sfunc.clone())),
        ("STYPE", Some(a.stype.clone())),
        ("SSPACE", a.sspace.map(|n| n.to_string())),
        ("FINALFUNC", a.finalfunc.clone()),
        ("FINALFUNC_EXTRA", flag(a.finalfunc_extra)),
        ("FINALFUNC_MODIFY", modify(a.finalfunc_modify)),
        ("COMBINEFUNC", a.combinefunc.clone()),
        ("SERIALFUNC", a.serialfunc.clone()),
        ("DESERIALFUNC", a.deserialfunc.clone()),
        ("INITCOND", a.initcond.as_deref().map(literal)),
        ("MSFUNC", a.msfunc.clone()),
        ("MINVFUNC", a.minvfunc.clone()),
        ("MSTYPE", a.mstype.clone()),
        ("MSSPACE", a.msspace.map(|n| n.to_string())),
        ("MFINALFUNC", a.mfinalfunc.clone()),
        ("MFINALFUNC_EXTRA", flag(a.mfinalfunc_extra)),
        ("MFINALFUNC_MODIFY", modify(a.mfinalfunc_modify)),
        ("MINITCOND", a.minitcond.as_deref().map(literal)),
        (
            "SORTOP",
            a.sortop.as_ref().map(|op| format!("OPERATOR({op})")),
        ),
        ("PARALLEL", parallel),
        ("HYPOTHETICAL", flag(a.kind == AggregateKind::Hypothetical)),
    ];
    let options: Vec<String> = entries
        .into_iter()
        .filter_map(|(key, value)| match value {
            Some(v) if v.is_empty() => Some(key.to_string()),
            Some(v) => Some(format!("{key} = {v}")),
            None => None,
        })
        .collect();
    format!(
        "CREATE {}AGGREGATE {}({}) (\n    {}\n)",
        if replace { "OR REPLACE " } else { "" },
        qualified(&id.name),
        a.arguments,
        options.join(",\n    ")
    )
}
