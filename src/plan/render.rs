//! The one place that writes SQL text. Every identifier goes through `ident` and every string
//! literal through `literal`; nothing else in the crate formats SQL.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::hook::Batch;
use crate::model::hook::Hook;
use crate::model::naming::enum_rebuild_name;
use crate::model::quote::{ident, literal, obj_ref, qualified};
use crate::model::*;
use crate::plan::change::{
    Backup, Change, CommentTarget, EnumColumn, RebuiltDomain, Renamed, Renumber, Restored, Using,
};

fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

fn options_list(options: &BTreeMap<String, String>) -> String {
    options
        .iter()
        .map(|(k, v)| format!("{}={}", ident(k), option_value(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Storage parameter values are printed bare when they are simple words or numbers.
fn option_value(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        v.to_string()
    } else {
        literal(v)
    }
}

/// The statements that carry out `change`, in order, without trailing semicolons.
pub fn statements(change: &Change) -> Vec<String> {
    let mut out = Vec::new();
    match change {
        Change::CreateSchema { name, schema } => {
            out.push(format!("CREATE SCHEMA {}", ident(name)));
            comment_if(
                &mut out,
                &CommentTarget::Schema(name.clone()),
                &schema.comment,
            );
            let object = SecuredObject::Schema(name.clone());
            owner_and_grants(&mut out, &object, &schema.owner, &schema.grants);
        }
        Change::DropSchema { name, .. } => out.push(format!("DROP SCHEMA {}", ident(name))),
        Change::CreateExtension { name, ext } => {
            let mut sql = format!("CREATE EXTENSION {}", ident(name));
            if let Some(schema) = &ext.schema {
                write!(sql, " WITH SCHEMA {}", ident(schema)).unwrap();
            }
            if let Some(version) = &ext.version {
                write!(sql, " VERSION {}", literal(version)).unwrap();
            }
            out.push(sql);
        }
        Change::DropExtension { name, .. } => out.push(format!("DROP EXTENSION {}", ident(name))),
        Change::AlterExtension { name, from, to } => {
            if let (Some(s), true) = (&to.schema, from.schema != to.schema) {
                out.push(format!(
                    "ALTER EXTENSION {} SET SCHEMA {}",
                    ident(name),
                    ident(s)
                ));
            }
            if let (Some(v), true) = (&to.version, from.version != to.version) {
                out.push(format!(
                    "ALTER EXTENSION {} UPDATE TO {}",
                    ident(name),
                    literal(v)
                ));
            }
        }
        Change::CreateEnum { name, def } => {
            out.push(create_enum(name, &def.values));
            comment_if(&mut out, &CommentTarget::Enum(name.clone()), &def.comment);
        }
        Change::DropEnum { name, .. } => out.push(format!("DROP TYPE {}", qualified(name))),
        Change::AddEnumValues { name, from, to } => {
            // Values after an existing (or just added) one go AFTER it; values before every
            // existing one go BEFORE the first existing one, in order.
            let first_old = to.iter().find(|v| from.contains(v));
            for (i, value) in to.iter().enumerate() {
                if from.contains(value) {
                    continue;
                }
                let position = match (to[..i].iter().any(|v| from.contains(v)), i, first_old) {
                    (true, _, _) | (false, 1.., None) => format!(" AFTER {}", literal(&to[i - 1])),
                    (false, _, Some(first)) => format!(" BEFORE {}", literal(first)),
                    (false, 0, None) => String::new(),
                };
                // IF NOT EXISTS: a retried or resumed step finds the values added before.
                out.push(format!(
                    "ALTER TYPE {} ADD VALUE IF NOT EXISTS {}{position}",
                    qualified(name),
                    literal(value)
                ));
            }
        }
        Change::RebuildEnum {
            name,
            from: _,
            to,
            columns,
        } => rebuild_enum(&mut out, name, &to.values, &to.comment, columns),
        Change::CreateSequence { name, def } => {
            let mut sql = format!(
                "CREATE {}SEQUENCE {}",
                if def.unlogged { "UNLOGGED " } else { "" },
                qualified(name)
            );
            sql.push_str(&sequence_options(&def.options, true));
            out.push(sql);
            comment_if(
                &mut out,
                &CommentTarget::Sequence(name.clone()),
                &def.comment,
            );
            let object = SecuredObject::Sequence(name.clone());
            owner_and_grants(&mut out, &object, &def.owner, &def.grants);
        }
        Change::DropSequence { name, backup, .. } => {
            if let Some(b) = backup {
                keep_positions(&mut out, b, &format!("the position of sequence {name}"));
            }
            out.push(format!("DROP SEQUENCE {}", qualified(name)));
        }
        Change::AlterSequence { name, from, to } => {
            let clauses = changed_sequence_options(from, to, true);
            if !clauses.is_empty() {
                out.push(format!(
                    "ALTER SEQUENCE {}{}",
                    qualified(name),
                    clauses.concat()
                ));
            }
        }
        Change::SetSequenceOwner { name, to, .. } => {
            let owner = match to {
                Some(c) => format!("{}.{}", qualified(&c.table), ident(&c.column)),
                None => "NONE".to_string(),
            };
            out.push(format!(
                "ALTER SEQUENCE {} OWNED BY {owner}",
                qualified(name)
            ));
        }
        Change::CreateTable { name, table } => create_table(&mut out, name, table),
        Change::DropTable {
            name,
            table,
            backup,
        } => {
            if let Some(b) = backup {
                keep_rows(&mut out, name, table, b);
            }
            out.push(format!("DROP TABLE {}", qualified(name)));
        }
        Change::AddColumn { table, column } => {
            out.push(format!(
                "ALTER TABLE {} ADD COLUMN {}",
                qualified(table),
                column_definition(column, &table.schema)
            ));
            comment_if(
                &mut out,
                &CommentTarget::Column(table.clone(), column.name.clone()),
                &column.comment,
            );
        }
        Change::DropColumn {
            table,
            column,
            backup,
        } => {
            if let Some(b) = backup {
                keep_values(&mut out, table, column, b);
            }
            out.push(format!(
                "ALTER TABLE {} DROP COLUMN {}",
                qualified(table),
                ident(&column.name)
            ));
        }
        Change::Restore { from, into, last } => restore(&mut out, from, into, *last),
        Change::AlterColumn {
            table,
            from,
            to,
            using,
            renumber,
            ..
        } => alter_column(&mut out, table, from, to, *using, renumber.as_ref()),
        Change::AddConstraint {
            table,
            name,
            constraint,
        } => {
            let mut sql = format!(
                "ALTER TABLE {} ADD CONSTRAINT {} {}",
                qualified(table),
                ident(name),
                constraint_definition(constraint)
            );
            if !constraint.validated {
                sql.push_str(" NOT VALID");
            }
            out.push(sql);
            comment_if(
                &mut out,
                &CommentTarget::Constraint(table.clone(), name.clone()),
                &constraint.comment,
            );
        }
        Change::DropConstraint { table, name, .. } => out.push(format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            qualified(table),
            ident(name)
        )),
        Change::ValidateConstraint { table, name, .. } => out.push(format!(
            "ALTER TABLE {} VALIDATE CONSTRAINT {}",
            qualified(table),
            ident(name)
        )),
        Change::AlterConstraint {
            table, name, to, ..
        } => out.push(format!(
            "ALTER TABLE {} ALTER CONSTRAINT {} {}",
            qualified(table),
            ident(name),
            match (to.deferrable, to.initially_deferred) {
                (false, _) => "NOT DEFERRABLE",
                (true, false) => "DEFERRABLE INITIALLY IMMEDIATE",
                (true, true) => "DEFERRABLE INITIALLY DEFERRED",
            }
        )),
        Change::CreateIndex {
            table,
            name,
            index,
            concurrently,
            ..
        } => {
            let qualified_name = qualified(&QualName::new(table.schema.clone(), name.clone()));
            if *concurrently {
                // A failed concurrent build leaves an INVALID index behind; a retried or resumed
                // step first removes it (the plan only builds indexes that do not exist).
                out.push(format!(
                    "DROP INDEX CONCURRENTLY IF EXISTS {qualified_name}"
                ));
            }
            out.push(create_index(table, name, index, *concurrently));
            comment_if(
                &mut out,
                &CommentTarget::Index(QualName::new(table.schema.clone(), name.clone())),
                &index.comment,
            );
        }
        Change::DropIndex {
            table,
            name,
            concurrently,
            ..
        } => out.push(format!(
            "DROP INDEX {}{}",
            // IF EXISTS: a resumed or reversed step may find it gone already.
            if *concurrently {
                "CONCURRENTLY IF EXISTS "
            } else {
                ""
            },
            qualified(&QualName::new(table.schema.clone(), name.clone()))
        )),
        Change::Rename { target, from, to } => out.push(match target {
            Renamed::Table { schema } => format!(
                "ALTER TABLE {} RENAME TO {}",
                qualified(&QualName::new(schema.clone(), from.clone())),
                ident(to)
            ),
            Renamed::Column { table } => format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {}",
                qualified(table),
                ident(from),
                ident(to)
            ),
            Renamed::Constraint { table } => format!(
                "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
                qualified(table),
                ident(from),
                ident(to)
            ),
            Renamed::Enum { schema } => format!(
                "ALTER TYPE {} RENAME TO {}",
                qualified(&QualName::new(schema.clone(), from.clone())),
                ident(to)
            ),
            Renamed::Sequence { schema } => format!(
                "ALTER SEQUENCE {} RENAME TO {}",
                qualified(&QualName::new(schema.clone(), from.clone())),
                ident(to)
            ),
        }),
        Change::RenameIndex { table, from, to } => out.push(format!(
            "ALTER INDEX {} RENAME TO {}",
            qualified(&QualName::new(table.schema.clone(), from.clone())),
            ident(to)
        )),
        Change::AddConstraintUsingIndex {
            table,
            name,
            constraint,
        } => {
            let mut sql = format!(
                "ALTER TABLE {} ADD CONSTRAINT {} {} USING INDEX {}",
                qualified(table),
                ident(name),
                if matches!(constraint.kind, ConstraintKind::PrimaryKey { .. }) {
                    "PRIMARY KEY"
                } else {
                    "UNIQUE"
                },
                ident(name)
            );
            if constraint.deferrable {
                sql.push_str(" DEFERRABLE");
                if constraint.initially_deferred {
                    sql.push_str(" INITIALLY DEFERRED");
                }
            }
            out.push(sql);
            comment_if(
                &mut out,
                &CommentTarget::Constraint(table.clone(), name.clone()),
                &constraint.comment,
            );
        }
        Change::Backfill {
            table,
            column,
            expression,
            ..
        } => out.push(backfill(table, column, expression)),
        Change::CreateView { name, view } => {
            out.push(create_view(name, view, false));
            view_comments(&mut out, name, view);
            let object = SecuredObject::View(name.clone());
            owner_and_grants(&mut out, &object, &view.owner, &view.grants);
        }
        Change::DropView { name, .. } => out.push(format!("DROP VIEW {}", qualified(name))),
        Change::ReplaceView { name, from, to } => {
            let keeps_columns = to.columns.len() >= from.columns.len()
                && to.columns[..from.columns.len()] == from.columns[..];
            if keeps_columns {
                out.push(create_view(name, to, true));
            } else {
                // Going back from a view that gained columns: CREATE OR REPLACE cannot drop them.
                out.push(format!("DROP VIEW {}", qualified(name)));
                out.push(create_view(name, to, false));
            }
            if !keeps_columns {
                view_comments(&mut out, name, to);
            }
        }
        Change::SetOptions {
            table,
            view,
            from,
            to,
        } => {
            let kind = if *view { "VIEW" } else { "TABLE" };
            set_options(&mut out, kind, table, from, to);
        }
        Change::CreateMaterializedView { name, view } => {
            out.push(create_materialized_view(name, view));
            for (iname, index) in &view.indexes {
                out.push(create_index(name, iname, index, false));
                comment_if(
                    &mut out,
                    &CommentTarget::Index(QualName::new(name.schema.clone(), iname.clone())),
                    &index.comment,
                );
            }
            comment_if(
                &mut out,
                &CommentTarget::MaterializedView(name.clone()),
                &view.comment,
            );
            for (column, text) in &view.column_comments {
                out.push(comment(
                    &CommentTarget::Column(name.clone(), column.clone()),
                    Some(text),
                ));
            }
        }
        Change::DropMaterializedView { name, .. } => out.push(format!(
            "-- its rows are derived from its query: nothing to back up (creating it again runs \
             the query)\nDROP MATERIALIZED VIEW {}",
            qualified(name)
        )),
        Change::SetMaterializedViewOptions { name, from, to } => {
            set_options(&mut out, "MATERIALIZED VIEW", name, from, to);
        }
        Change::SetPersistence {
            table,
            sequence,
            unlogged,
        } => out.push(format!(
            "ALTER {} {} SET {}",
            if *sequence { "SEQUENCE" } else { "TABLE" },
            qualified(table),
            if *unlogged { "UNLOGGED" } else { "LOGGED" }
        )),
        Change::SetComment { target, to, .. } => out.push(comment(target, to.as_deref())),
        Change::RunHook { hook } => out.push(hook_preview(hook)),
        Change::UndoHook { hook } => {
            if let Some(down) = &hook.down {
                out.push(down.trim().to_string());
            }
        }
        Change::AttachPartition { table, partition } => out.push(format!(
            "ALTER TABLE {} ATTACH PARTITION {} {}",
            qualified(&partition.parent),
            qualified(table),
            partition.bounds
        )),
        Change::DetachPartition {
            table,
            partition,
            concurrently,
            ..
        } => out.push(format!(
            "ALTER TABLE {} DETACH PARTITION {}{}",
            qualified(&partition.parent),
            qualified(table),
            if *concurrently { " CONCURRENTLY" } else { "" }
        )),
        Change::CreateIndexOnly { table, name, index } => {
            out.push(create_index_on(table, name, index, false, true));
            comment_if(
                &mut out,
                &CommentTarget::Index(QualName::new(table.schema.clone(), name.clone())),
                &index.comment,
            );
        }
        Change::AttachIndex {
            table,
            name,
            parent_table,
            parent_index,
        } => out.push(format!(
            "ALTER INDEX {} ATTACH PARTITION {}",
            qualified(&QualName::new(
                parent_table.schema.clone(),
                parent_index.clone()
            )),
            qualified(&QualName::new(table.schema.clone(), name.clone()))
        )),
        Change::DropPartitionedIndex { table, name } => out.push(format!(
            "DROP INDEX IF EXISTS {}",
            qualified(&QualName::new(table.schema.clone(), name.clone()))
        )),
        Change::NameInheritedIndex {
            partition,
            parent_index,
            name,
            ..
        } => out.push(name_inherited_index(partition, parent_index, name)),
        Change::CreateFunction { id, def } => {
            out.push(create_function(id, def, false));
            comment_if(&mut out, &CommentTarget::Function(id.clone()), &def.comment);
            let object = SecuredObject::Function(id.clone());
            owner_and_grants(&mut out, &object, &None, &def.grants);
        }
        Change::ReplaceFunction { id, to, .. } => out.push(create_function(id, to, true)),
        Change::DropFunction { id, def } => out.push(format!(
            "DROP {} {}({})",
            routine_word(def.kind),
            qualified(&id.name),
            id.args
        )),
        Change::CreateTrigger {
            table,
            name,
            trigger,
        } => {
            out.push(create_trigger(table, name, trigger, false));
            if trigger.enabled != TriggerEnabled::Origin {
                out.push(trigger_enabled(table, name, trigger.enabled));
            }
            comment_if(
                &mut out,
                &CommentTarget::Trigger(table.clone(), name.clone()),
                &trigger.comment,
            );
        }
        Change::ReplaceTrigger {
            table,
            name,
            from,
            to,
        } => {
            out.push(create_trigger(table, name, to, true));
            if from.enabled != to.enabled {
                out.push(trigger_enabled(table, name, to.enabled));
            }
        }
        Change::DropTrigger { table, name, .. } => out.push(format!(
            "DROP TRIGGER {} ON {}",
            ident(name),
            qualified(table)
        )),
        Change::SetTriggerEnabled {
            table, name, to, ..
        } => out.push(trigger_enabled(table, name, *to)),
        Change::CreatePolicy {
            table,
            name,
            policy,
        } => {
            out.push(create_policy(table, name, policy));
            comment_if(
                &mut out,
                &CommentTarget::Policy(table.clone(), name.clone()),
                &policy.comment,
            );
        }
        Change::DropPolicy { table, name, .. } => out.push(format!(
            "DROP POLICY {} ON {}",
            ident(name),
            qualified(table)
        )),
        Change::AlterPolicy {
            table,
            name,
            from,
            to,
        } => out.push(alter_policy(table, name, from, to)),
        Change::SetRowSecurity { table, from, to } => out.push(row_security(table, from, to)),
        Change::SetGrants {
            object,
            grantee,
            from,
            to,
        } => out.extend(grant_statements(
            &format!("ON {}", secured_object(object)),
            column_of(object),
            grantee,
            from,
            to,
            "",
        )),
        Change::SetOwner { object, to, .. } => out.push(set_owner(object, to)),
        Change::SetDefaultPrivileges {
            key,
            grantee,
            from,
            to,
        } => {
            let mut prefix = format!("ALTER DEFAULT PRIVILEGES FOR ROLE {}", ident(&key.role));
            if let Some(schema) = &key.schema {
                write!(prefix, " IN SCHEMA {}", ident(schema)).unwrap();
            }
            out.extend(grant_statements(
                &format!("ON {}", key.on.sql()),
                None,
                grantee,
                from,
                to,
                &format!("{prefix} "),
            ));
        }
        Change::CreateDomain { name, def } => create_domain(&mut out, name, def),
        Change::DropDomain { name, .. } => out.push(format!("DROP DOMAIN {}", qualified(name))),
        Change::RebuildDomain { domains, .. } => rebuild_domains(&mut out, domains),
        Change::SetDomainDefault { name, to, .. } => out.push(match to {
            Some(expr) => format!(
                "ALTER DOMAIN {} SET DEFAULT {}",
                qualified(name),
                expr.sql()
            ),
            None => format!("ALTER DOMAIN {} DROP DEFAULT", qualified(name)),
        }),
        Change::SetDomainNotNull { name, not_null } => out.push(format!(
            "ALTER DOMAIN {} {} NOT NULL",
            qualified(name),
            if *not_null { "SET" } else { "DROP" }
        )),
        Change::AddDomainConstraint {
            domain,
            name,
            constraint,
        } => {
            out.push(add_domain_constraint(domain, name, constraint));
            comment_if(
                &mut out,
                &CommentTarget::DomainConstraint(domain.clone(), name.clone()),
                &constraint.comment,
            );
        }
        Change::DropDomainConstraint { domain, name, .. } => out.push(format!(
            "ALTER DOMAIN {} DROP CONSTRAINT {}",
            qualified(domain),
            ident(name)
        )),
        Change::ValidateDomainConstraint { domain, name, .. } => out.push(format!(
            "ALTER DOMAIN {} VALIDATE CONSTRAINT {}",
            qualified(domain),
            ident(name)
        )),
        Change::CreateCompositeType { name, def } => {
            let attributes: Vec<String> = def.attributes.iter().map(attribute_definition).collect();
            out.push(format!(
                "CREATE TYPE {} AS ({})",
                qualified(name),
                attributes.join(", ")
            ));
            comment_if(
                &mut out,
                &CommentTarget::CompositeType(name.clone()),
                &def.comment,
            );
            for a in &def.attributes {
                comment_if(
                    &mut out,
                    &CommentTarget::Attribute(name.clone(), a.name.clone()),
                    &a.comment,
                );
            }
        }
        Change::DropCompositeType { name, .. } => {
            out.push(format!("DROP TYPE {}", qualified(name)))
        }
        Change::AddAttribute {
            type_name,
            attribute,
        } => {
            out.push(format!(
                "ALTER TYPE {} ADD ATTRIBUTE {}",
                qualified(type_name),
                attribute_definition(attribute)
            ));
            comment_if(
                &mut out,
                &CommentTarget::Attribute(type_name.clone(), attribute.name.clone()),
                &attribute.comment,
            );
        }
        Change::DropAttribute {
            type_name,
            attribute,
            ..
        } => out.push(format!(
            "ALTER TYPE {} DROP ATTRIBUTE {}",
            qualified(type_name),
            ident(&attribute.name)
        )),
        Change::AlterAttributeType { type_name, to, .. } => {
            let mut sql = format!(
                "ALTER TYPE {} ALTER ATTRIBUTE {} TYPE {}",
                qualified(type_name),
                ident(&to.name),
                to.data_type
            );
            if let Some(coll) = &to.collation {
                write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
            }
            out.push(sql);
        }
    }
    out
}

/// The index of `partition` attached to `parent_index` is found through `pg_inherits` (its
/// name was PostgreSQL's choice) and renamed unless it has the name already. Another index of
/// the schema that holds the name (one PostgreSQL named so, which its own step names later) is
/// renamed aside first.
fn name_inherited_index(partition: &QualName, parent_index: &QualName, name: &str) -> String {
    let name = literal(name);
    format!(
        "DO $rename$\nDECLARE\n    child regclass;\n    holder regclass;\nBEGIN\n    \
         SELECT i.inhrelid::regclass INTO child\n    \
         FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_index x ON x.indexrelid = i.inhrelid\n    \
         WHERE i.inhparent = {parent}::regclass AND x.indrelid = {partition}::regclass;\n    \
         IF child IS NULL OR (SELECT relname FROM pg_catalog.pg_class WHERE oid = child) = {name} THEN\n        \
         RETURN;\n    END IF;\n    \
         SELECT c.oid::regclass INTO holder FROM pg_catalog.pg_class c\n    \
         WHERE c.relname = {name}\n      \
         AND c.relnamespace = (SELECT relnamespace FROM pg_catalog.pg_class WHERE oid = child);\n    \
         IF holder IS NOT NULL THEN\n        \
         EXECUTE pg_catalog.format('ALTER INDEX %s RENAME TO %I', holder, 'schemaplan_aside_' || holder::oid);\n    \
         END IF;\n    \
         EXECUTE pg_catalog.format('ALTER INDEX %s RENAME TO %I', child, {name});\nEND\n$rename$",
        parent = literal(&qualified(parent_index)),
        partition = literal(&qualified(partition)),
    )
}

fn routine_word(kind: RoutineKind) -> &'static str {
    match kind {
        RoutineKind::Function => "FUNCTION",
        RoutineKind::Procedure => "PROCEDURE",
    }
}

/// Settings whose values are lists of names, stored (and written) without quotes.
const LIST_SETTINGS: &[&str] = &["search_path", "temp_tablespaces"];

/// A dollar quote whose tag does not occur in `body`.
fn dollar_quote(body: &str) -> String {
    let mut tag = "$function$".to_string();
    let mut n = 0;
    while body.contains(&tag) {
        n += 1;
        tag = format!("$function{n}$");
    }
    format!("{tag}{body}{tag}")
}

fn create_function(id: &FunctionId, f: &Function, replace: bool) -> String {
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
        write!(sql, "\n    AS {}", dollar_quote(&f.body)).unwrap();
    }
    sql
}

fn attribute_definition(a: &Attribute) -> String {
    let mut sql = format!("{} {}", ident(&a.name), a.data_type);
    if let Some(coll) = &a.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    sql
}

fn create_trigger(table: &QualName, name: &str, t: &Trigger, replace: bool) -> String {
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

fn add_domain_constraint(domain: &QualName, name: &str, c: &DomainConstraint) -> String {
    format!(
        "ALTER DOMAIN {} ADD CONSTRAINT {} CHECK ({}){}",
        qualified(domain),
        ident(name),
        c.expression.sql(),
        if c.validated { "" } else { " NOT VALID" }
    )
}

/// `CREATE DOMAIN` with its validated constraints inline; constraints not yet validated are
/// added `NOT VALID` after it (CREATE DOMAIN has no such clause), then the comments.
fn create_domain(out: &mut Vec<String>, name: &QualName, def: &Domain) {
    let mut sql = format!("CREATE DOMAIN {} AS {}", qualified(name), def.data_type);
    if let Some(coll) = &def.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    if let Some(default) = &def.default {
        write!(sql, " DEFAULT {}", default.sql()).unwrap();
    }
    if def.not_null {
        sql.push_str(" NOT NULL");
    }
    for (cname, c) in def.constraints.iter().filter(|(_, c)| c.validated) {
        write!(
            sql,
            "\n    CONSTRAINT {} CHECK ({})",
            ident(cname),
            c.expression.sql()
        )
        .unwrap();
    }
    out.push(sql);
    for (cname, c) in def.constraints.iter().filter(|(_, c)| !c.validated) {
        out.push(add_domain_constraint(name, cname, c));
    }
    comment_if(out, &CommentTarget::Domain(name.clone()), &def.comment);
    for (cname, c) in &def.constraints {
        comment_if(
            out,
            &CommentTarget::DomainConstraint(name.clone(), cname.clone()),
            &c.comment,
        );
    }
}

/// The domains move aside (renamed), come back under their names with the new definitions
/// (base first, so a domain over another is created over the new one), their columns are cast
/// to the new domains (one ALTER TABLE per table), and the old domains are dropped (those over
/// others first).
fn rebuild_domains(out: &mut Vec<String>, domains: &[RebuiltDomain]) {
    for d in domains {
        out.push(format!(
            "ALTER DOMAIN {} RENAME TO {}",
            qualified(&d.name),
            ident(&enum_rebuild_name(&d.name).name)
        ));
    }
    for d in domains {
        let validated = Domain {
            constraints: d
                .to
                .constraints
                .iter()
                .filter(|(_, c)| c.validated)
                .map(|(n, c)| (n.clone(), c.clone()))
                .collect(),
            ..d.to.clone()
        };
        create_domain(out, &d.name, &validated);
    }
    // Through the new base type: the old domain's values convert to it as its own base type
    // would, and the new domain's constraints check every value.
    retype_columns(
        out,
        domains.iter().flat_map(|d| {
            d.columns
                .iter()
                .map(move |c| (c, &d.name, d.to.data_type.as_str()))
        }),
    );
    for d in domains {
        for (cname, c) in d.to.constraints.iter().filter(|(_, c)| !c.validated) {
            out.push(add_domain_constraint(&d.name, cname, c));
        }
    }
    for d in domains.iter().rev() {
        out.push(format!(
            "DROP DOMAIN {}",
            qualified(&enum_rebuild_name(&d.name))
        ));
    }
}

/// Names in SQL written by the user resolve in the object's own schema first, then `public`.
pub fn search_path_for(schema: &str) -> String {
    if schema == "public" {
        "SET search_path TO public".to_string()
    } else {
        format!("SET search_path TO {}, public", ident(schema))
    }
}

fn comment_if(out: &mut Vec<String>, target: &CommentTarget, text: &Option<String>) {
    if let Some(text) = text {
        out.push(comment(target, Some(text)));
    }
}

fn view_comments(out: &mut Vec<String>, name: &QualName, view: &View) {
    comment_if(out, &CommentTarget::View(name.clone()), &view.comment);
    for (column, text) in &view.column_comments {
        out.push(comment(
            &CommentTarget::Column(name.clone(), column.clone()),
            Some(text),
        ));
    }
}

fn comment(target: &CommentTarget, text: Option<&str>) -> String {
    let object = match target {
        CommentTarget::Schema(s) => format!("SCHEMA {}", ident(s)),
        CommentTarget::Enum(q) => format!("TYPE {}", qualified(q)),
        CommentTarget::Sequence(q) => format!("SEQUENCE {}", qualified(q)),
        CommentTarget::Table(q) => format!("TABLE {}", qualified(q)),
        CommentTarget::View(q) => format!("VIEW {}", qualified(q)),
        CommentTarget::Column(q, c) => format!("COLUMN {}.{}", qualified(q), ident(c)),
        CommentTarget::Constraint(q, c) => format!("CONSTRAINT {} ON {}", ident(c), qualified(q)),
        CommentTarget::Index(q) => format!("INDEX {}", qualified(q)),
        CommentTarget::Function(id) => format!("ROUTINE {}({})", qualified(&id.name), id.args),
        CommentTarget::Trigger(q, t) => format!("TRIGGER {} ON {}", ident(t), qualified(q)),
        CommentTarget::Policy(q, p) => format!("POLICY {} ON {}", ident(p), qualified(q)),
        CommentTarget::MaterializedView(q) => format!("MATERIALIZED VIEW {}", qualified(q)),
        CommentTarget::Domain(q) => format!("DOMAIN {}", qualified(q)),
        CommentTarget::DomainConstraint(q, c) => {
            format!("CONSTRAINT {} ON DOMAIN {}", ident(c), qualified(q))
        }
        CommentTarget::CompositeType(q) => format!("TYPE {}", qualified(q)),
        CommentTarget::Attribute(q, a) => format!("COLUMN {}.{}", qualified(q), ident(a)),
    };
    let value = text.map(literal).unwrap_or_else(|| "NULL".into());
    format!("COMMENT ON {object} IS {value}")
}

fn create_enum(name: &QualName, values: &[String]) -> String {
    let values: Vec<String> = values.iter().map(|v| literal(v)).collect();
    format!(
        "CREATE TYPE {} AS ENUM ({})",
        qualified(name),
        values.join(", ")
    )
}

/// Casts columns (or arrays) to a rebuilt type through `via` (`USING col::via::type`), one
/// ALTER TABLE per table so that each table is rewritten once. PostgreSQL runs the subcommands
/// in passes: defaults are dropped before the type changes and set after it.
fn retype_columns<'a>(
    out: &mut Vec<String>,
    columns: impl IntoIterator<Item = (&'a EnumColumn, &'a QualName, &'a str)>,
) {
    let mut tables: Vec<(&QualName, Vec<String>)> = Vec::new();
    for (c, type_name, via) in columns {
        let column = ident(&c.column);
        let mut subcommands = Vec::new();
        if c.default_before.is_some() {
            subcommands.push(format!("ALTER COLUMN {column} DROP DEFAULT"));
        }
        let brackets = if c.array { "[]" } else { "" };
        let target = format!("{}{brackets}", qualified(type_name));
        subcommands.push(format!(
            "ALTER COLUMN {column} TYPE {target} USING {column}::{via}{brackets}::{target}"
        ));
        if let Some(default) = &c.default_after {
            subcommands.push(format!(
                "ALTER COLUMN {column} SET DEFAULT {}",
                default.sql()
            ));
        }
        match tables.iter_mut().find(|(t, _)| **t == c.table) {
            Some((_, subs)) => subs.extend(subcommands),
            None => tables.push((&c.table, subcommands)),
        }
    }
    for (table, subcommands) in tables {
        out.push(format!(
            "ALTER TABLE {} {}",
            qualified(table),
            subcommands.join(",\n    ")
        ));
    }
}

fn rebuild_enum(
    out: &mut Vec<String>,
    name: &QualName,
    values: &[String],
    comment: &Option<String>,
    columns: &[EnumColumn],
) {
    let old = enum_rebuild_name(name);
    out.push(format!(
        "ALTER TYPE {} RENAME TO {}",
        qualified(name),
        ident(&old.name)
    ));
    out.push(create_enum(name, values));
    comment_if(out, &CommentTarget::Enum(name.clone()), comment);
    // Enum values only cast through text.
    retype_columns(out, columns.iter().map(|c| (c, name, "text")));
    out.push(format!("DROP TYPE {}", qualified(&old)));
}

/// Range of the integer types a sequence can have, for deciding which options are defaults.
fn type_bounds(data_type: Option<&str>) -> (i64, i64) {
    match data_type {
        Some("smallint") => (i16::MIN as i64, i16::MAX as i64),
        Some("integer") => (i32::MIN as i64, i32::MAX as i64),
        _ => (i64::MIN, i64::MAX),
    }
}

/// Options as PostgreSQL would fill them in when they are left out.
pub(crate) fn default_sequence_options(data_type: Option<&str>, increment: i64) -> SequenceOptions {
    let (lo, hi) = type_bounds(data_type);
    let (min, max) = if increment > 0 { (1, hi) } else { (lo, -1) };
    SequenceOptions {
        data_type: Some(data_type.unwrap_or("bigint").to_string()),
        start: Some(if increment > 0 { min } else { max }),
        // The default increment is 1 whatever the sequence's own; only the bounds and the start
        // depend on its sign.
        increment: Some(1),
        min_value: Some(min),
        max_value: Some(max),
        cache: Some(1),
        cycle: Some(false),
    }
}

/// ` AS integer START WITH 10 …` for the options that differ from PostgreSQL's defaults.
/// `with_type` is false for identity columns, whose sequence follows the column type.
fn sequence_options(o: &SequenceOptions, with_type: bool) -> String {
    let defaults = default_sequence_options(o.data_type.as_deref(), o.increment.unwrap_or(1));
    let mut effective = o.clone();
    for (value, default) in [
        (&mut effective.start, defaults.start),
        (&mut effective.increment, defaults.increment),
        (&mut effective.min_value, defaults.min_value),
        (&mut effective.max_value, defaults.max_value),
        (&mut effective.cache, defaults.cache),
    ] {
        if *value == default {
            *value = None;
        }
    }
    if effective.cycle == Some(false) {
        effective.cycle = None;
    }
    if !with_type || effective.data_type.as_deref() == Some("bigint") {
        effective.data_type = None;
    }
    changed_sequence_options(&SequenceOptions::default(), &effective, with_type).concat()
}

/// One ` CLAUSE value` per option whose value differs between `from` and `to`.
fn changed_sequence_options(
    from: &SequenceOptions,
    to: &SequenceOptions,
    with_type: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if with_type && from.data_type != to.data_type {
        if let Some(t) = &to.data_type {
            out.push(format!(" AS {t}"));
        }
    }
    if from.increment != to.increment {
        out.push(format!(" INCREMENT BY {}", to.increment.unwrap_or(1)));
    }
    if from.min_value != to.min_value {
        out.push(match to.min_value {
            Some(v) => format!(" MINVALUE {v}"),
            None => " NO MINVALUE".into(),
        });
    }
    if from.max_value != to.max_value {
        out.push(match to.max_value {
            Some(v) => format!(" MAXVALUE {v}"),
            None => " NO MAXVALUE".into(),
        });
    }
    if from.start != to.start {
        if let Some(v) = to.start {
            out.push(format!(" START WITH {v}"));
        }
    }
    if from.cache != to.cache {
        out.push(format!(" CACHE {}", to.cache.unwrap_or(1)));
    }
    if from.cycle != to.cycle {
        out.push(if to.cycle == Some(true) {
            " CYCLE".into()
        } else {
            " NO CYCLE".into()
        });
    }
    out
}

/// Identity options with the bounds, start and cache that are defaults for `data_type` removed,
/// so that a type change alone does not look like an option change.
fn without_type_defaults(options: &SequenceOptions, data_type: &str) -> SequenceOptions {
    let defaults = default_sequence_options(
        Some(crate::sqltext::types::base_of_printed(data_type).as_str()),
        options.increment.unwrap_or(1),
    );
    let keep = |v: Option<i64>, d: Option<i64>| if v == d { None } else { v };
    SequenceOptions {
        data_type: None,
        start: keep(options.start, defaults.start),
        increment: keep(options.increment, defaults.increment),
        min_value: keep(options.min_value, defaults.min_value),
        max_value: keep(options.max_value, defaults.max_value),
        cache: keep(options.cache, defaults.cache),
        cycle: options.cycle.filter(|c| *c),
    }
}

fn identity_clause(identity: &Identity, data_type: &str, schema: &str) -> String {
    let mut options = identity.options.clone();
    options.data_type = Some(data_type.to_string());
    let mut opts = sequence_options(&options, false);
    if let Some(seq) = &identity.sequence {
        // Qualified: an unqualified name would land in the first schema of the search path.
        opts.insert_str(
            0,
            &format!(
                " SEQUENCE NAME {}",
                qualified(&QualName::new(schema, seq.clone()))
            ),
        );
    }
    format!(
        "GENERATED {} AS IDENTITY{}",
        if identity.always {
            "ALWAYS"
        } else {
            "BY DEFAULT"
        },
        if opts.is_empty() {
            String::new()
        } else {
            format!(" ({})", opts.trim_start())
        }
    )
}

pub fn column_definition(c: &Column, schema: &str) -> String {
    let mut sql = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    if let Some(expr) = &c.generated {
        write!(sql, " GENERATED ALWAYS AS ({}) STORED", expr.sql()).unwrap();
    }
    if let Some(identity) = &c.identity {
        write!(sql, " {}", identity_clause(identity, &c.data_type, schema)).unwrap();
    }
    if let Some(default) = &c.default {
        write!(sql, " DEFAULT {}", default.sql()).unwrap();
    }
    if c.not_null {
        sql.push_str(" NOT NULL");
    }
    sql
}

pub fn constraint_definition(c: &Constraint) -> String {
    let mut sql = match &c.kind {
        ConstraintKind::PrimaryKey { columns, include } => {
            format!(
                "PRIMARY KEY ({}){}",
                ident_list(columns),
                include_clause(include)
            )
        }
        ConstraintKind::Unique {
            columns,
            include,
            nulls_not_distinct,
        } => format!(
            "UNIQUE{} ({}){}",
            if *nulls_not_distinct {
                " NULLS NOT DISTINCT"
            } else {
                ""
            },
            ident_list(columns),
            include_clause(include)
        ),
        ConstraintKind::Check {
            expression,
            no_inherit,
        } => format!(
            "CHECK ({}){}",
            expression.sql(),
            if *no_inherit { " NO INHERIT" } else { "" }
        ),
        ConstraintKind::ForeignKey(fk) => {
            let mut sql = format!(
                "FOREIGN KEY ({}) REFERENCES {} ({})",
                ident_list(&fk.columns),
                qualified(&fk.ref_table),
                ident_list(&fk.ref_columns)
            );
            if fk.match_full {
                sql.push_str(" MATCH FULL");
            }
            if fk.on_update != FkAction::NoAction {
                write!(sql, " ON UPDATE {}", fk.on_update.sql()).unwrap();
            }
            if fk.on_delete != FkAction::NoAction {
                write!(sql, " ON DELETE {}", fk.on_delete.sql()).unwrap();
                if !fk.on_delete_columns.is_empty() {
                    write!(sql, " ({})", ident_list(&fk.on_delete_columns)).unwrap();
                }
            }
            sql
        }
        ConstraintKind::Exclude(x) => {
            let elements: Vec<String> = x
                .elements
                .iter()
                .map(|e| format!("{} WITH {}", index_key(&e.key), e.operator))
                .collect();
            let mut sql = format!(
                "EXCLUDE USING {} ({}){}",
                ident(&x.method),
                elements.join(", "),
                include_clause(&x.include)
            );
            if let Some(predicate) = &x.predicate {
                write!(sql, " WHERE ({})", predicate.sql()).unwrap();
            }
            sql
        }
    };
    if c.deferrable {
        sql.push_str(" DEFERRABLE");
        if c.initially_deferred {
            sql.push_str(" INITIALLY DEFERRED");
        }
    }
    sql
}

fn include_clause(include: &[String]) -> String {
    if include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", ident_list(include))
    }
}

fn create_table(out: &mut Vec<String>, name: &QualName, table: &Table) {
    // A partition's columns are its parent's: it names only its own constraints.
    let own_columns: &[Column] = if table.partition_of.is_some() {
        &[]
    } else {
        &table.columns
    };
    let mut items: Vec<String> = own_columns
        .iter()
        .map(|c| column_definition(c, &name.schema))
        .collect();
    for (cname, c) in &table.constraints {
        items.push(format!(
            "CONSTRAINT {} {}",
            ident(cname),
            constraint_definition(c)
        ));
    }
    let body = if items.is_empty() {
        "()".to_string()
    } else {
        format!("(\n    {}\n)", items.join(",\n    "))
    };
    let mut sql = format!(
        "CREATE {}TABLE {} {body}",
        if table.unlogged { "UNLOGGED " } else { "" },
        qualified(name)
    );
    if let Some(p) = &table.partition_of {
        let body = if items.is_empty() {
            String::new()
        } else {
            format!(" {body}")
        };
        sql = format!(
            "CREATE TABLE {} PARTITION OF {}{body} {}",
            qualified(name),
            qualified(&p.parent),
            p.bounds
        );
    }
    if let Some(key) = &table.partition_by {
        write!(sql, " PARTITION BY {key}").unwrap();
    }
    if !table.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&table.options)).unwrap();
    }
    out.push(sql);
    comment_if(out, &CommentTarget::Table(name.clone()), &table.comment);
    for c in own_columns {
        comment_if(
            out,
            &CommentTarget::Column(name.clone(), c.name.clone()),
            &c.comment,
        );
    }
    for (cname, c) in &table.constraints {
        comment_if(
            out,
            &CommentTarget::Constraint(name.clone(), cname.clone()),
            &c.comment,
        );
    }
    // A table comes complete with its security (policies are changes of their own: they may
    // read other tables).
    if table.row_security != RowSecurity::default() {
        out.push(row_security(
            name,
            &RowSecurity::default(),
            &table.row_security,
        ));
    }
    let object = SecuredObject::Table(name.clone());
    owner_and_grants(out, &object, &table.owner, &table.grants);
    for (column, grants) in &table.column_grants {
        let object = SecuredObject::Column(name.clone(), column.clone());
        owner_and_grants(out, &object, &None, grants);
    }
}

fn alter_column(
    out: &mut Vec<String>,
    table: &QualName,
    from: &Column,
    to: &Column,
    using: Using,
    renumber: Option<&Renumber>,
) {
    let prefix = format!(
        "ALTER TABLE {} ALTER COLUMN {}",
        qualified(table),
        ident(&to.name)
    );
    let type_changed = from.data_type != to.data_type || from.collation != to.collation;
    if from.generated.is_some() && to.generated.is_none() {
        out.push(format!("{prefix} DROP EXPRESSION"));
    }
    if from.identity.is_some() && to.identity.is_none() {
        out.push(format!("{prefix} DROP IDENTITY"));
    }
    // A default is dropped before a type change (it might not cast) and set again after.
    let default_dropped =
        from.default.is_some() && (to.default.is_none() || (type_changed && to.default.is_some()));
    if default_dropped {
        out.push(format!("{prefix} DROP DEFAULT"));
    }
    if type_changed {
        let mut sql = format!("{prefix} TYPE {}", to.data_type);
        if let Some(coll) = &to.collation {
            write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
        }
        match using {
            Using::Implicit => {}
            Using::Cast => write!(sql, " USING {}::{}", ident(&to.name), to.data_type).unwrap(),
            Using::ThroughText => {
                let via = if crate::sqltext::types::is_array(&from.data_type) {
                    "text[]"
                } else {
                    "text"
                };
                write!(sql, " USING {}::{via}::{}", ident(&to.name), to.data_type).unwrap()
            }
        }
        out.push(sql);
    }
    if from.not_null && !to.not_null {
        out.push(format!("{prefix} DROP NOT NULL"));
    }
    if !from.not_null && to.not_null {
        out.push(format!("{prefix} SET NOT NULL"));
    }
    if let Some(default) = &to.default {
        if default_dropped || from.default.as_ref() != Some(default) {
            out.push(format!("{prefix} SET DEFAULT {}", default.sql()));
        }
    }
    match (&from.identity, &to.identity) {
        (None, Some(identity)) => out.push(format!(
            "{prefix} ADD {}",
            identity_clause(identity, &to.data_type, &table.schema)
        )),
        (Some(a), Some(b)) => {
            if let (Some(old), Some(new)) = (&a.sequence, &b.sequence) {
                if old != new {
                    out.push(format!(
                        "ALTER SEQUENCE {} RENAME TO {}",
                        qualified(&QualName::new(table.schema.clone(), old.clone())),
                        ident(new)
                    ));
                }
            }
            let mut clauses = Vec::new();
            if a.always != b.always {
                clauses.push(format!(
                    " SET GENERATED {}",
                    if b.always { "ALWAYS" } else { "BY DEFAULT" }
                ));
            }
            // The identity sequence follows the column type on its own, bounds included: the
            // defaults of each type are left out on both sides.
            let a_opts = without_type_defaults(&a.options, &from.data_type);
            let b_opts = without_type_defaults(&b.options, &to.data_type);
            for clause in changed_sequence_options(&a_opts, &b_opts, false) {
                clauses.push(format!(" SET{clause}"));
            }
            if !clauses.is_empty() {
                out.push(format!("{prefix}{}", clauses.concat()));
            }
        }
        _ => {}
    }
    // The sequence moves past the values already in the column, never back: it may have been
    // ahead of them, or be shared with other columns. It is set even when nothing changes, so
    // that the step takes the same locks whatever the data.
    let sequence = match renumber {
        Some(Renumber::Identity) => crate::model::naming::identity_sequence_name(table, to),
        Some(Renumber::Sequence(seq)) => Some(seq.clone()),
        None => None,
    };
    if let Some(seq) = sequence {
        out.push(format!(
            "SELECT pg_catalog.setval({}, greatest(s.last_value, coalesce(c.m, s.last_value)), s.is_called OR coalesce(c.m >= s.last_value, false)) FROM {} AS s, (SELECT max({col}) AS m FROM {}) AS c",
            literal(&qualified(&seq)),
            qualified(&seq),
            qualified(table),
            col = ident(&to.name)
        ));
    }
    if from.comment != to.comment {
        out.push(comment(
            &CommentTarget::Column(table.clone(), to.name.clone()),
            to.comment.as_deref(),
        ));
    }
}

/// Fills `column` of the rows that existed before it had a default, a range of pages at a time,
/// each range in its own transaction (a procedure block may commit). Rows written meanwhile get
/// the column's default and are skipped, as are the new versions of rows already filled.
fn backfill(table: &QualName, column: &str, expression: &Expr) -> String {
    // Batches walk the heap by ctid ranges, committing after each, so that no row lock is held
    // long (a writer updating a row of the batch waits for its commit) and vacuum keeps up.
    // The range grows or shrinks so that a batch takes about 50 ms. A concurrent UPDATE of a
    // row not yet filled may move it into a page already passed (or past the end), so passes
    // repeat until one finds nothing left to fill. The block asks first for the strongest lock it
    // takes (ROW EXCLUSIVE, which writers do not wait for), so that it waits, if it must, before
    // it has done anything, and the rehearsal sees the lock the plan names.
    let t = qualified(table);
    let c = ident(column);
    format!(
        "DO $schemaplan$\nDECLARE\n    pages bigint;\n    first bigint;\n    batch bigint := 8;\n    started timestamptz;\n    took_ms double precision;\n    filled bigint;\n    pass_filled bigint;\nBEGIN\n    LOCK TABLE {t} IN ROW EXCLUSIVE MODE;\n    LOOP\n        pages := pg_catalog.pg_relation_size({rel}) / pg_catalog.current_setting('block_size')::bigint;\n        first := 0;\n        pass_filled := 0;\n        WHILE first <= pages LOOP\n            started := pg_catalog.clock_timestamp();\n            UPDATE {t} SET {c} = {expr}\n             WHERE ctid >= pg_catalog.format('(%s,0)', first)::tid\n               AND ctid < pg_catalog.format('(%s,0)', first + batch)::tid\n               AND {c} IS NULL;\n            GET DIAGNOSTICS filled = ROW_COUNT;\n            pass_filled := pass_filled + filled;\n            COMMIT;\n            first := first + batch;\n            took_ms := 1000 * extract(epoch FROM pg_catalog.clock_timestamp() - started);\n            batch := greatest(1, least(batch * 2, (batch * 50 / greatest(took_ms, 1))::bigint));\n        END LOOP;\n        EXIT WHEN pass_filled = 0;\n    END LOOP;\nEND\n$schemaplan$",
        rel = literal(&t),
        expr = expression.sql(),
    )
}

/// A column as copied into a backup: types defined in the database are kept as text, so that
/// the copy does not hold up dropping them.
fn kept_column(column: &Column) -> String {
    if crate::sqltext::types::is_user_defined(&column.data_type) {
        format!("{}::text AS {}", ident(&column.name), ident(&column.name))
    } else {
        ident(&column.name)
    }
}

/// A kept value read back from the copy `kept` as its column's type.
pub(crate) fn restored_value(column: &Column) -> String {
    if crate::sqltext::types::is_user_defined(&column.data_type) {
        format!("kept.{}::{}", ident(&column.name), column.data_type)
    } else {
        format!("kept.{}", ident(&column.name))
    }
}

fn backup_schema(out: &mut Vec<String>) {
    out.push(format!(
        "CREATE SCHEMA IF NOT EXISTS {}",
        ident(crate::model::naming::BACKUP_SCHEMA)
    ));
}

fn describe_backup(out: &mut Vec<String>, copy: &QualName, what: &str) {
    out.push(format!(
        "COMMENT ON TABLE {} IS {}",
        qualified(copy),
        literal(&format!(
            "schemaplan: {what}, kept when it was dropped; rolling the plan back puts it back"
        ))
    ));
}

fn keep_positions(out: &mut Vec<String>, backup: &Backup, what: &str) {
    let Some(positions) = &backup.positions else {
        return;
    };
    if backup.data.is_none() {
        backup_schema(out);
    }
    let selects: Vec<String> = backup
        .sequences
        .iter()
        .map(|s| {
            format!(
                "SELECT {}::text AS sequence_name, last_value, is_called FROM {}",
                literal(&qualified(s)),
                qualified(s)
            )
        })
        .collect();
    out.push(format!(
        "CREATE TABLE {} AS\n{}",
        qualified(positions),
        selects.join("\nUNION ALL\n")
    ));
    describe_backup(out, positions, what);
}

fn keep_rows(out: &mut Vec<String>, name: &QualName, table: &Table, backup: &Backup) {
    if let Some(data) = &backup.data {
        backup_schema(out);
        let columns: Vec<String> = table
            .columns
            .iter()
            .filter(|c| c.generated.is_none())
            .map(kept_column)
            .collect();
        out.push(format!("LOCK TABLE {} IN SHARE MODE", qualified(name)));
        out.push(format!(
            "CREATE TABLE {} AS SELECT {} FROM {}",
            qualified(data),
            columns.join(", "),
            qualified(name)
        ));
        describe_backup(out, data, &format!("the rows of table {name}"));
    }
    keep_positions(
        out,
        backup,
        &format!("the positions of the sequences of table {name}"),
    );
}

fn keep_values(out: &mut Vec<String>, table: &QualName, column: &Column, backup: &Backup) {
    if let Some(data) = &backup.data {
        backup_schema(out);
        let mut columns: Vec<String> = backup.key.iter().map(kept_column).collect();
        columns.push(kept_column(column));
        // Writes wait until the step ends, so that none is made after the copy and lost with
        // the column; reads go on until the drop itself.
        out.push(format!("LOCK TABLE {} IN SHARE MODE", qualified(table)));
        out.push(format!(
            "CREATE TABLE {} AS SELECT {} FROM {} WHERE {} IS NOT NULL",
            qualified(data),
            columns.join(", "),
            qualified(table),
            ident(&column.name)
        ));
        describe_backup(
            out,
            data,
            &format!("the values of column {table}.{}", column.name),
        );
    }
    keep_positions(
        out,
        backup,
        &format!(
            "the positions of the sequences of column {table}.{}",
            column.name
        ),
    );
}

fn restore(out: &mut Vec<String>, from: &QualName, into: &Restored, last: bool) {
    match into {
        Restored::Rows { table, columns } => {
            let filled: Vec<&Column> = columns.iter().filter(|c| c.generated.is_none()).collect();
            let names: Vec<String> = filled.iter().map(|c| ident(&c.name)).collect();
            let values: Vec<String> = filled.iter().map(|c| restored_value(c)).collect();
            out.push(format!(
                "INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE\nSELECT {} FROM {} AS kept",
                qualified(table),
                names.join(", "),
                values.join(", "),
                qualified(from)
            ));
        }
        Restored::Values { table, column, key } => {
            let matches: Vec<String> = key
                .iter()
                .map(|k| format!("target.{} = {}", ident(&k.name), restored_value(k)))
                .collect();
            out.push(format!(
                "UPDATE {} AS target SET {} = {}\n  FROM {} AS kept\n WHERE {}",
                qualified(table),
                ident(&column.name),
                restored_value(column),
                qualified(from),
                matches.join(" AND ")
            ));
        }
        Restored::Positions { .. } => out.push(format!(
            "SELECT pg_catalog.setval(kept.sequence_name::regclass, kept.last_value, kept.is_called) FROM {} AS kept",
            qualified(from)
        )),
    }
    out.push(format!("DROP TABLE {}", qualified(from)));
    if !last {
        return;
    }
    // The schema goes when its last copy does, so that a rolled-back plan leaves nothing behind.
    let schema = literal(&ident(crate::model::naming::BACKUP_SCHEMA));
    out.push(format!(
        "DO $schemaplan$\nBEGIN\n    IF NOT EXISTS (SELECT FROM pg_catalog.pg_class WHERE relnamespace = {schema}::regnamespace) THEN\n        DROP SCHEMA {};\n    END IF;\nEND\n$schemaplan$",
        ident(crate::model::naming::BACKUP_SCHEMA)
    ));
}

/// Reads up to `limit` rows of `columns` of a table, for a rehearsal on sample data: the first
/// by `order_by` (its key), so that the same data gives the same sample.
pub fn sample_rows(
    table: &QualName,
    columns: &[String],
    order_by: &[String],
    limit: u64,
) -> String {
    let order = if order_by.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {}", ident_list(order_by))
    };
    format!(
        "COPY (SELECT {} FROM {}{order} LIMIT {limit}) TO STDOUT",
        ident_list(columns),
        qualified(table)
    )
}

/// Writes rows read by `sample_rows`.
pub fn load_rows(table: &QualName, columns: &[String]) -> String {
    format!(
        "COPY {} ({}) FROM STDIN",
        qualified(table),
        ident_list(columns)
    )
}

/// Deletes the rows of `child` whose foreign key `fk` points at no row (sample rows whose parent
/// was not sampled); every key column must be set for the key to be checked.
pub fn delete_orphans(child: &QualName, fk: &ForeignKey, ref_columns: &[String]) -> String {
    let set: Vec<String> = fk
        .columns
        .iter()
        .map(|c| format!("c.{} IS NOT NULL", ident(c)))
        .collect();
    let matches: Vec<String> = fk
        .columns
        .iter()
        .zip(ref_columns)
        .map(|(c, r)| format!("p.{} = c.{}", ident(r), ident(c)))
        .collect();
    format!(
        "DELETE FROM {} AS c WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS p WHERE {})",
        qualified(child),
        set.join(" AND "),
        qualified(&fk.ref_table),
        matches.join(" AND ")
    )
}

/// The position of a sequence, and setting it.
pub fn sequence_position(sequence: &QualName) -> String {
    format!("SELECT last_value, is_called FROM {}", qualified(sequence))
}

pub fn set_sequence_position(sequence: &QualName, last_value: i64, is_called: bool) -> String {
    format!(
        "SELECT pg_catalog.setval({}, {last_value}, {is_called})",
        literal(&qualified(sequence))
    )
}

/// A checksum of a table's rows that does not depend on the order of its columns (rows as JSON
/// objects, whose keys are sorted): row count and md5.
pub fn rows_checksum(table: &QualName) -> String {
    format!(
        "SELECT pg_catalog.count(*)::text || ' rows, ' || pg_catalog.md5(coalesce(pg_catalog.string_agg(j, E'\\n' ORDER BY j), '')) FROM (SELECT pg_catalog.to_jsonb(t)::text AS j FROM {} AS t) AS rows",
        qualified(table)
    )
}

/// One key of an index or element of an exclusion constraint: the column or parenthesized
/// expression, its collation, operator class and order.
fn index_key(k: &IndexKey) -> String {
    let mut sql = match &k.expr {
        IndexExpr::Column(c) => ident(c),
        IndexExpr::Expression(e) => parenthesized(&e.sql()),
    };
    if let Some(coll) = &k.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    if let Some(opclass) = &k.opclass {
        write!(sql, " {}", obj_ref(opclass)).unwrap();
    }
    if k.descending {
        sql.push_str(" DESC");
    }
    if k.nulls_first != k.descending {
        sql.push_str(if k.nulls_first {
            " NULLS FIRST"
        } else {
            " NULLS LAST"
        });
    }
    sql
}

fn create_index(table: &QualName, name: &str, index: &Index, concurrently: bool) -> String {
    create_index_on(table, name, index, concurrently, false)
}

/// `only`: `ON ONLY table`, the partitioned table's index alone (see `CreateIndexOnly`).
fn create_index_on(
    table: &QualName,
    name: &str,
    index: &Index,
    concurrently: bool,
    only: bool,
) -> String {
    let keys: Vec<String> = index.keys.iter().map(index_key).collect();
    let mut sql = format!(
        "CREATE {}INDEX {}{} ON {}{} USING {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        if concurrently { "CONCURRENTLY " } else { "" },
        ident(name),
        if only { "ONLY " } else { "" },
        qualified(table),
        ident(&index.method),
        keys.join(", ")
    );
    sql.push_str(&include_clause(&index.include));
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&index.options)).unwrap();
    }
    if let Some(predicate) = &index.predicate {
        write!(sql, " WHERE {}", predicate.sql()).unwrap();
    }
    sql
}

/// An index expression in parentheses, unless it already is wholly inside one pair.
fn parenthesized(expr: &str) -> String {
    let wrapped = expr.starts_with('(') && {
        let mut depth = 0i32;
        let mut closes_at_end = false;
        let mut in_quote: Option<char> = None;
        for (i, c) in expr.char_indices() {
            match (in_quote, c) {
                (Some(q), c) if c == q => in_quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => in_quote = Some(c),
                (None, '(') => depth += 1,
                (None, ')') => {
                    depth -= 1;
                    if depth == 0 {
                        closes_at_end = i == expr.len() - 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        closes_at_end
    };
    if wrapped {
        expr.to_string()
    } else {
        format!("({expr})")
    }
}

fn create_view(name: &QualName, view: &View, replace: bool) -> String {
    let mut sql = format!(
        "CREATE {}VIEW {}",
        if replace { "OR REPLACE " } else { "" },
        qualified(name)
    );
    if !view.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&view.options)).unwrap();
    }
    write!(sql, " AS\n{}", view.definition.sql()).unwrap();
    sql
}

/// `ALTER <kind> … SET (…)` for new or changed parameters, `RESET (…)` for removed ones.
fn set_options(
    out: &mut Vec<String>,
    kind: &str,
    name: &QualName,
    from: &BTreeMap<String, String>,
    to: &BTreeMap<String, String>,
) {
    let set: BTreeMap<String, String> = to
        .iter()
        .filter(|(k, v)| from.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let reset: Vec<String> = from
        .keys()
        .filter(|k| !to.contains_key(*k))
        .cloned()
        .collect();
    if !set.is_empty() {
        out.push(format!(
            "ALTER {kind} {} SET ({})",
            qualified(name),
            options_list(&set)
        ));
    }
    if !reset.is_empty() {
        out.push(format!(
            "ALTER {kind} {} RESET ({})",
            qualified(name),
            ident_list(&reset)
        ));
    }
}

/// `CREATE MATERIALIZED VIEW`, populated by its query unless it is to be created `WITH NO DATA`
/// (then its first `REFRESH` populates it).
fn create_materialized_view(name: &QualName, view: &MaterializedView) -> String {
    let mut sql = format!("CREATE MATERIALIZED VIEW {}", qualified(name));
    if !view.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&view.options)).unwrap();
    }
    // On a line of its own, which also ends a `--` comment the query may finish with.
    let query = view.definition.sql();
    write!(
        sql,
        " AS\n{}\n{}",
        query.trim_end_matches('\n'),
        if view.with_data {
            "WITH DATA"
        } else {
            "WITH NO DATA"
        }
    )
    .unwrap();
    sql
}

/// How a hook reads in a plan: what it walks and checks, as comments, then its `up` SQL (run by
/// `hookrun`, which binds `:lo` and `:hi` per batch).
fn hook_preview(hook: &Hook) -> String {
    let mut sql = format!("-- hook {}", hook.name);
    if let Some(b) = &hook.batch {
        sql.push_str(&format!(
            ": batches of {} keys of {} ({}), :lo and :hi the first and last key of each",
            b.size, b.table, b.key
        ));
        if b.pause_ms > 0 {
            sql.push_str(&format!(", {} ms apart", b.pause_ms));
        }
    }
    sql.push('\n');
    if let Some(comment) = &hook.comment {
        for line in comment.lines() {
            sql.push_str(&format!("-- {line}\n"));
        }
    }
    for v in &hook.verify {
        sql.push_str(&format!("-- then verify {}: ", v.name));
        sql.push_str(&v.sql.split_whitespace().collect::<Vec<_>>().join(" "));
        sql.push('\n');
    }
    sql.push_str(hook.up.trim());
    sql
}

/// The key after which a hook's batch starts, cast to the key's type.
fn after_key(batch: &Batch, after: Option<&str>) -> String {
    match after {
        Some(k) => format!(
            " WHERE {} > CAST({} AS {})",
            ident(&batch.key),
            literal(k),
            batch.key_type
        ),
        None => String::new(),
    }
}

/// The first and last key (as text) and the number of keys of the next batch after `after`.
pub fn hook_next_range(batch: &Batch, after: Option<&str>) -> String {
    let key = ident(&batch.key);
    format!(
        "WITH r AS MATERIALIZED (SELECT {key} AS k FROM {table}{cond} ORDER BY {key} LIMIT {size})\n\
         SELECT (SELECT k FROM r ORDER BY k LIMIT 1)::text, (SELECT k FROM r ORDER BY k DESC LIMIT 1)::text, (SELECT pg_catalog.count(*) FROM r)",
        table = qualified(&batch.table),
        cond = after_key(batch, after),
        size = batch.size,
    )
}

/// How many keys are left after `after` (for progress).
pub fn hook_remaining(batch: &Batch, after: Option<&str>) -> String {
    format!(
        "SELECT pg_catalog.count(*) FROM {}{}",
        qualified(&batch.table),
        after_key(batch, after)
    )
}

/// A hook's `up` SQL for the batch from `lo` to `hi` (keys as text): `:lo` and `:hi` become
/// literals of the key's type.
pub fn hook_batch(hook: &Hook, lo: &str, hi: &str) -> String {
    let key_type = hook
        .batch
        .as_ref()
        .map(|b| b.key_type.as_str())
        .unwrap_or("text");
    let mut out = String::new();
    let mut last = 0;
    for (range, name) in crate::plan::hook::placeholders(&hook.up) {
        let value = match name {
            "lo" => lo,
            "hi" => hi,
            _ => continue,
        };
        out.push_str(&hook.up[last..range.start]);
        out.push_str(&format!("CAST({} AS {key_type})", literal(value)));
        last = range.end;
    }
    out.push_str(&hook.up[last..]);
    out
}

/// A verification query, read back as one JSON object per row (its columns by name).
pub fn hook_verify(sql: &str) -> String {
    let body = sql.trim().trim_end_matches(';');
    format!("SELECT pg_catalog.to_jsonb(v)::text FROM (\n{body}\n) v")
}

// ---- Security: policies, row-level security, privileges, ownership ----

/// A role as a grantee or policy target: `PUBLIC`, or the quoted name.
pub fn role(name: &str) -> String {
    if name == PUBLIC_ROLE {
        "PUBLIC".to_string()
    } else {
        ident(name)
    }
}

fn role_list(roles: &std::collections::BTreeSet<String>) -> String {
    roles.iter().map(|r| role(r)).collect::<Vec<_>>().join(", ")
}

fn create_policy(table: &QualName, name: &str, policy: &Policy) -> String {
    let mut sql = format!("CREATE POLICY {} ON {}", ident(name), qualified(table));
    if !policy.permissive {
        sql.push_str(" AS RESTRICTIVE");
    }
    if policy.command != PolicyCommand::All {
        write!(sql, " FOR {}", policy.command.sql()).unwrap();
    }
    if !is_public_only(&policy.roles) {
        write!(sql, " TO {}", role_list(&policy.roles)).unwrap();
    }
    if let Some(using) = &policy.using {
        write!(sql, "\n    USING {}", parenthesized(&using.sql())).unwrap();
    }
    if let Some(check) = &policy.with_check {
        write!(sql, "\n    WITH CHECK {}", parenthesized(&check.sql())).unwrap();
    }
    sql
}

fn is_public_only(roles: &std::collections::BTreeSet<String>) -> bool {
    roles.is_empty() || (roles.len() == 1 && roles.contains(PUBLIC_ROLE))
}

/// `ALTER POLICY` with what changes (`diff` uses it only when no expression goes away).
fn alter_policy(table: &QualName, name: &str, from: &Policy, to: &Policy) -> String {
    let mut sql = format!("ALTER POLICY {} ON {}", ident(name), qualified(table));
    if from.roles != to.roles {
        let roles = if to.roles.is_empty() {
            "PUBLIC".to_string()
        } else {
            role_list(&to.roles)
        };
        write!(sql, " TO {roles}").unwrap();
    }
    if let (true, Some(using)) = (from.using != to.using, &to.using) {
        write!(sql, "\n    USING {}", parenthesized(&using.sql())).unwrap();
    }
    if let (true, Some(check)) = (from.with_check != to.with_check, &to.with_check) {
        write!(sql, "\n    WITH CHECK {}", parenthesized(&check.sql())).unwrap();
    }
    sql
}

fn row_security(table: &QualName, from: &RowSecurity, to: &RowSecurity) -> String {
    let mut actions = Vec::new();
    if from.enabled != to.enabled {
        actions.push(if to.enabled {
            "ENABLE ROW LEVEL SECURITY"
        } else {
            "DISABLE ROW LEVEL SECURITY"
        });
    }
    if from.forced != to.forced {
        actions.push(if to.forced {
            "FORCE ROW LEVEL SECURITY"
        } else {
            "NO FORCE ROW LEVEL SECURITY"
        });
    }
    format!("ALTER TABLE {} {}", qualified(table), actions.join(", "))
}

/// The object of a GRANT: `SCHEMA s`, `TABLE t` (views and a column's table too), `SEQUENCE s`.
fn secured_object(object: &SecuredObject) -> String {
    match object {
        SecuredObject::Schema(s) => format!("SCHEMA {}", ident(s)),
        SecuredObject::Table(q) | SecuredObject::View(q) | SecuredObject::Column(q, _) => {
            format!("TABLE {}", qualified(q))
        }
        SecuredObject::Sequence(q) => format!("SEQUENCE {}", qualified(q)),
        SecuredObject::Function(id) => format!("ROUTINE {}({})", qualified(&id.name), id.args),
    }
}

fn column_of(object: &SecuredObject) -> Option<&str> {
    match object {
        SecuredObject::Column(_, c) => Some(c),
        _ => None,
    }
}

/// REVOKE what `to` lacks (a grant option alone with `GRANT OPTION FOR`), then GRANT what it
/// adds, with and without grant option. `prefix` leads every statement (`ALTER DEFAULT
/// PRIVILEGES …`); privileges of a column are written `SELECT (col)`.
fn grant_statements(
    on: &str,
    column: Option<&str>,
    grantee: &str,
    from: &Privileges,
    to: &Privileges,
    prefix: &str,
) -> Vec<String> {
    let list = |privileges: Vec<Privilege>| -> String {
        privileges
            .iter()
            .map(|p| match column {
                Some(c) => format!("{} ({})", p.sql(), ident(c)),
                None => p.sql().to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let revoked: Vec<Privilege> = from
        .keys()
        .filter(|p| !to.contains_key(p))
        .copied()
        .collect();
    let option_revoked: Vec<Privilege> = from
        .iter()
        .filter(|(p, option)| **option && to.get(p) == Some(&false))
        .map(|(p, _)| *p)
        .collect();
    let granted = |with_option: bool| -> Vec<Privilege> {
        to.iter()
            .filter(|(p, option)| {
                **option == with_option
                    && match from.get(p) {
                        None => true,
                        Some(was) => with_option && !*was,
                    }
            })
            .map(|(p, _)| *p)
            .collect()
    };
    let who = role(grantee);
    let mut out = Vec::new();
    if !revoked.is_empty() {
        out.push(format!("{prefix}REVOKE {} {on} FROM {who}", list(revoked)));
    }
    if !option_revoked.is_empty() {
        out.push(format!(
            "{prefix}REVOKE GRANT OPTION FOR {} {on} FROM {who}",
            list(option_revoked)
        ));
    }
    let plain = granted(false);
    if !plain.is_empty() {
        out.push(format!("{prefix}GRANT {} {on} TO {who}", list(plain)));
    }
    let optioned = granted(true);
    if !optioned.is_empty() {
        out.push(format!(
            "{prefix}GRANT {} {on} TO {who} WITH GRANT OPTION",
            list(optioned)
        ));
    }
    out
}

fn set_owner(object: &SecuredObject, owner: &str) -> String {
    let what = match object {
        SecuredObject::Schema(s) => format!("SCHEMA {}", ident(s)),
        SecuredObject::Table(q) | SecuredObject::Column(q, _) => format!("TABLE {}", qualified(q)),
        SecuredObject::View(q) => format!("VIEW {}", qualified(q)),
        SecuredObject::Sequence(q) => format!("SEQUENCE {}", qualified(q)),
        SecuredObject::Function(id) => format!("ROUTINE {}({})", qualified(&id.name), id.args),
    };
    format!("ALTER {what} OWNER TO {}", ident(owner))
}

/// What a new object gets besides its definition: its owner (when the model names one), then
/// its grants.
fn owner_and_grants(
    out: &mut Vec<String>,
    object: &SecuredObject,
    owner: &Option<String>,
    grants: &Grants,
) {
    if let Some(owner) = owner {
        out.push(set_owner(object, owner));
    }
    for (grantee, privileges) in grants {
        out.extend(grant_statements(
            &format!("ON {}", secured_object(object)),
            column_of(object),
            grantee,
            &Privileges::new(),
            privileges,
            "",
        ));
    }
}

/// A role for the embedded shadow cluster, which may already have it (roles are cluster-wide,
/// and several shadows may create the same one at once).
pub fn create_role_if_missing(name: &str) -> String {
    format!(
        "DO $schemaplan$ BEGIN CREATE ROLE {} NOLOGIN; \
         EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $schemaplan$",
        ident(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_defaults_are_left_out() {
        let o = SequenceOptions {
            data_type: Some("integer".into()),
            start: Some(1),
            increment: Some(1),
            min_value: Some(1),
            max_value: Some(i32::MAX as i64),
            cache: Some(1),
            cycle: Some(false),
        };
        assert_eq!(sequence_options(&o, true), " AS integer");
        let o = SequenceOptions {
            start: Some(100),
            ..o
        };
        assert_eq!(sequence_options(&o, false), " START WITH 100");
        let countdown = SequenceOptions {
            data_type: Some("integer".into()),
            start: Some(-1),
            increment: Some(-1),
            min_value: Some(i32::MIN as i64),
            max_value: Some(-1),
            cache: Some(1),
            cycle: Some(false),
        };
        assert_eq!(
            sequence_options(&countdown, true),
            " AS integer INCREMENT BY -1"
        );
    }
}
