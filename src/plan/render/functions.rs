//! Functions, procedures and triggers.

use std::fmt::Write as _;

use super::comments::comment_if;
use super::fragments::{dollar_quoted, ident_list};
use super::security::owner_and_grants;
use crate::model::quote::{ident, literal, qualified};
use crate::model::*;
use crate::plan::change::CommentTarget;

pub(super) fn create_function(id: &FunctionId, def: &Function) -> Vec<String> {
    let mut out = vec![create_function_statement(id, def, false)];
    comment_if(&mut out, &CommentTarget::Function(id.clone()), &def.comment);
    let object = SecuredObject::Function(id.clone());
    owner_and_grants(&mut out, &object, &None, &def.grants);
    out
}

pub(super) fn replace_function(id: &FunctionId, to: &Function) -> Vec<String> {
    vec![create_function_statement(id, to, true)]
}

pub(super) fn drop_function(id: &FunctionId, def: &Function) -> Vec<String> {
    vec![format!(
        "DROP {} {}({})",
        routine_word(def.kind),
        qualified(&id.name),
        id.args
    )]
}

pub(super) fn create_trigger(table: &QualName, name: &str, trigger: &Trigger) -> Vec<String> {
    let mut out = vec![create_trigger_statement(table, name, trigger, false)];
    if trigger.enabled != TriggerEnabled::Origin {
        out.push(trigger_enabled(table, name, trigger.enabled));
    }
    comment_if(
        &mut out,
        &CommentTarget::Trigger(table.clone(), name.to_string()),
        &trigger.comment,
    );
    out
}

pub(super) fn replace_trigger(
    table: &QualName,
    name: &str,
    from: &Trigger,
    to: &Trigger,
) -> Vec<String> {
    let mut out = vec![create_trigger_statement(table, name, to, true)];
    if from.enabled != to.enabled {
        out.push(trigger_enabled(table, name, to.enabled));
    }
    out
}

pub(super) fn drop_trigger(table: &QualName, name: &str) -> Vec<String> {
    vec![format!(
        "DROP TRIGGER {} ON {}",
        ident(name),
        qualified(table)
    )]
}

pub(super) fn set_trigger_enabled(table: &QualName, name: &str, to: TriggerEnabled) -> Vec<String> {
    vec![trigger_enabled(table, name, to)]
}

fn routine_word(kind: RoutineKind) -> &'static str {
    match kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    }
}

/// Settings whose values are lists of names, stored (and written) without quotes.
pub const LIST_SETTINGS: &[&str] = &["search_path", "temp_tablespaces"];

fn create_function_statement(id: &FunctionId, f: &Function, replace: bool) -> String {
    let mut sql = format!(
        "CREATE {}{} {}({})",
        if replace { "OR REPLACE " } else { "" },
        routine_word(f.kind),
        qualified(&id.name),
        f.arguments
    );
    if let Some(r) = &f.returns {
        write!(sql, " RETURNS {r}").unwrap();
    }
    write!(sql, "\n    LANGUAGE {}", ident(&f.language)).unwrap();
    if f.kind == RoutineKind::Function {
        if f.volatility != Volatility::Volatile {
            write!(sql, " {}", f.volatility.sql()).unwrap();
        }
        if f.strict {
            sql.push_str(" STRICT");
        }
        if f.leakproof {
            sql.push_str(" LEAKPROOF");
        }
        if f.parallel != Parallel::Unsafe {
            write!(sql, " PARALLEL {}", f.parallel.sql()).unwrap();
        }
        if let Some(cost) = &f.cost {
            write!(sql, " COST {cost}").unwrap();
        }
        if let Some(rows) = &f.rows {
            write!(sql, " ROWS {rows}").unwrap();
        }
    }
    if f.security_definer {
        sql.push_str(" SECURITY DEFINER");
    }
    for (name, value) in &f.settings {
        let value = if LIST_SETTINGS.contains(&name.as_str()) {
            value.clone()
        } else {
            literal(value)
        };
        write!(sql, "\n    SET {} TO {value}", ident(name)).unwrap();
    }
    if f.sql_body {
        write!(sql, "\n{}", f.body).unwrap();
    } else {
        write!(sql, "\n    AS {}", dollar_quoted("function", &f.body)).unwrap();
    }
    sql
}

fn create_trigger_statement(table: &QualName, name: &str, t: &Trigger, replace: bool) -> String {
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| {
            let word = e.to_ascii_uppercase();
            if e == "update" && !t.update_of.is_empty() {
                format!("{word} OF {}", ident_list(&t.update_of))
            } else {
                word
            }
        })
        .collect();
    let mut sql = format!(
        "CREATE {}{}TRIGGER {} {} {} ON {}",
        if replace { "OR REPLACE " } else { "" },
        if t.constraint { "CONSTRAINT " } else { "" },
        ident(name),
        t.timing.sql(),
        events.join(" OR "),
        qualified(table)
    );
    if t.constraint {
        sql.push_str(match (t.deferrable, t.initially_deferred) {
            (_, true) => " DEFERRABLE INITIALLY DEFERRED",
            (true, false) => " DEFERRABLE",
            (false, false) => " NOT DEFERRABLE",
        });
    }
    if t.old_table.is_some() || t.new_table.is_some() {
        sql.push_str(" REFERENCING");
        if let Some(o) = &t.old_table {
            write!(sql, " OLD TABLE AS {}", ident(o)).unwrap();
        }
        if let Some(n) = &t.new_table {
            write!(sql, " NEW TABLE AS {}", ident(n)).unwrap();
        }
    }
    write!(
        sql,
        " FOR EACH {}",
        if t.for_each_row { "ROW" } else { "STATEMENT" }
    )
    .unwrap();
    if let Some(when) = &t.when {
        write!(sql, " WHEN ({})", when.sql()).unwrap();
    }
    let args: Vec<String> = t.arguments.iter().map(|a| literal(a)).collect();
    write!(
        sql,
        " EXECUTE FUNCTION {}({})",
        qualified(&t.function),
        args.join(", ")
    )
    .unwrap();
    sql
}

fn trigger_enabled(table: &QualName, name: &str, enabled: TriggerEnabled) -> String {
    let action = match enabled {
        TriggerEnabled::Origin => "ENABLE",
        TriggerEnabled::Disabled => "DISABLE",
        TriggerEnabled::Replica => "ENABLE REPLICA",
        TriggerEnabled::Always => "ENABLE ALWAYS",
    };
    format!(
        "ALTER TABLE {} {action} TRIGGER {}",
        qualified(table),
        ident(name)
    )
}
