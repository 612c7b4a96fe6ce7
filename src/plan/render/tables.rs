//! Tables and their columns: creating, dropping, renaming and altering them, their storage
//! parameters and persistence.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::backups::{keep_rows, keep_values};
use super::comments::{comment, comment_if};
use super::constraints::constraint_definition;
use super::fragments::{option_keys, options_list};
use super::security::{owner_and_grants, row_security_statement};
use super::sequences::{changed_sequence_options, sequence_options, without_type_defaults};
use super::statistics::column_settings;
use crate::model::naming::{
    identity_sequence_name, not_null_default_is_cut, not_null_default_name,
};
use crate::model::quote::{ident, literal, obj_ref, qualified};
use crate::model::*;
use crate::plan::change::{Backup, Change, CommentTarget, Renamed, Renumber, Using};

pub(super) fn create_table(name: &QualName, table: &Table) -> Vec<String> {
    let mut out = Vec::new();
    // A partition's columns are its parent's: it names only its own constraints. A table that
    // inherits names its own columns (those it shares with a parent are merged).
    let own_columns: Vec<&Column> = if table.partition_of.is_some() {
        Vec::new()
    } else {
        table.columns.iter().filter(|c| !c.inherited).collect()
    };
    let mut items: Vec<String> = own_columns
        .iter()
        .map(|c| {
            // PostgreSQL 18 names a NOT NULL `<table>_<column>_not_null`; another name is
            // given (a partition created plain to be attached takes its parent's), and so is
            // a default name cut to 63 bytes, which another table's may equal.
            let named = (table.not_null_names.get(&c.name)).filter(|n| {
                **n != not_null_default_name(&name.name, &c.name)
                    || not_null_default_is_cut(&name.name, &c.name)
            });
            let no_inherit = table.not_null_no_inherit.contains(&c.name);
            column_definition(c, &name.schema, named.map(String::as_str), no_inherit)
        })
        .collect();
    // A partition's columns stricter than its parent's, and the NOT NULL constraints it names
    // (PostgreSQL 18): its keys' columns as its parent's (PostgreSQL would name them after the
    // partition) and names of its own (those of a table created apart and attached).
    if let Some(p) = &table.partition_of {
        let columns: BTreeSet<&String> = p
            .not_null
            .iter()
            .chain(table.not_null_names.keys())
            .collect();
        for c in columns {
            items.push(match table.not_null_names.get(c) {
                Some(n) => format!("{} CONSTRAINT {} NOT NULL", ident(c), ident(n)),
                None => format!("{} NOT NULL", ident(c)),
            });
        }
    }
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
    if !table.inherits.is_empty() {
        let parents: Vec<String> = table.inherits.iter().map(qualified).collect();
        write!(sql, " INHERITS ({})", parents.join(", ")).unwrap();
    }
    if let Some(key) = &table.partition_by {
        write!(sql, " PARTITION BY {key}").unwrap();
    }
    if !table.options.is_empty() {
        write!(sql, " WITH ({})", options_list(&table.options)).unwrap();
    }
    out.push(sql);
    comment_if(
        &mut out,
        &CommentTarget::Table(name.clone()),
        &table.comment,
    );
    for c in &own_columns {
        comment_if(
            &mut out,
            &CommentTarget::Column(name.clone(), c.name.clone()),
            &c.comment,
        );
    }
    for (cname, c) in &table.constraints {
        comment_if(
            &mut out,
            &CommentTarget::Constraint(name.clone(), cname.clone()),
            &c.comment,
        );
    }
    for c in own_columns {
        out.extend(column_settings(
            name,
            &c.name,
            &ColumnSettings::default(),
            &c.settings,
        ));
    }
    // A table comes complete with its security (policies are changes of their own: they may
    // read other tables).
    if table.row_security != RowSecurity::default() {
        out.push(row_security_statement(
            name,
            &RowSecurity::default(),
            &table.row_security,
        ));
    }
    let object = SecuredObject::Table(name.clone());
    owner_and_grants(&mut out, &object, &table.owner, &table.grants);
    for (column, grants) in &table.column_grants {
        let object = SecuredObject::Column(name.clone(), column.clone());
        owner_and_grants(&mut out, &object, &None, grants);
    }
    for (column, grants) in &table.identity_grants {
        if let Some(sequence) = table
            .column(column)
            .and_then(|c| identity_sequence_name(name, c))
        {
            owner_and_grants(&mut out, &SecuredObject::Sequence(sequence), &None, grants);
        }
    }
    out
}

pub(super) fn drop_table(name: &QualName, table: &Table, backup: Option<&Backup>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = backup {
        keep_rows(&mut out, name, table, b);
    }
    out.push(format!("DROP TABLE {}", qualified(name)));
    out
}

pub(super) fn add_column(
    table: &QualName,
    column: &Column,
    not_null_name: Option<&str>,
) -> Vec<String> {
    let mut out = vec![format!(
        "ALTER TABLE {} ADD COLUMN {}",
        qualified(table),
        column_definition(column, &table.schema, not_null_name, false)
    )];
    comment_if(
        &mut out,
        &CommentTarget::Column(table.clone(), column.name.clone()),
        &column.comment,
    );
    out.extend(column_settings(
        table,
        &column.name,
        &ColumnSettings::default(),
        &column.settings,
    ));
    out
}

pub(super) fn drop_column(change: &Change) -> Vec<String> {
    let Change::DropColumn {
        table,
        column,
        backup,
        only,
    } = change
    else {
        unreachable!("statements dispatches DropColumn here");
    };
    let (backup, only) = (backup.as_ref(), *only);
    let mut out = Vec::new();
    if let Some(b) = backup {
        keep_values(&mut out, table, column, b, only);
    }
    out.push(format!(
        "ALTER TABLE {}{} DROP COLUMN {}",
        if only { "ONLY " } else { "" },
        qualified(table),
        ident(&column.name)
    ));
    out
}

pub(super) fn alter_column(
    table: &QualName,
    from: &Column,
    to: &Column,
    using: &Using,
    renumber: Option<&Renumber>,
) -> Vec<String> {
    let mut out = Vec::new();
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
            // A way back that is not known is not rendered: the step has no reverse.
            Using::Implicit | Using::Unknown => {}
            Using::Expr(e) => write!(sql, " USING ({})", e.sql()).unwrap(),
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
        // A new type resets the column's storage and compression: set again those the column
        // keeps (its statistics target and options stay).
        let reset = ColumnSettings {
            storage: None,
            compression: None,
            ..to.settings.clone()
        };
        out.extend(column_settings(table, &to.name, &reset, &to.settings));
    }
    // A virtual column's new expression (PostgreSQL 18; nothing is stored, nothing rewritten).
    // A stored column's is no alteration: the diff drops and adds it again.
    if let (Some(a), Some(b)) = (&from.generated, &to.generated) {
        if a != b {
            out.push(format!("{prefix} SET EXPRESSION AS ({})", b.sql()));
        }
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
        Some(Renumber::Identity) => identity_sequence_name(table, to),
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
    out
}

/// `RENAME` of a table, column, constraint, enum or sequence.
pub(super) fn rename(target: &Renamed, from: &str, to: &str) -> Vec<String> {
    let from = from.to_string();
    vec![match target {
        Renamed::Table { schema } => format!(
            "ALTER TABLE {} RENAME TO {}",
            qualified(&QualName::new(schema.clone(), from.clone())),
            ident(to)
        ),
        Renamed::Column { table } => format!(
            "ALTER TABLE {} RENAME COLUMN {} TO {}",
            qualified(table),
            ident(&from),
            ident(to)
        ),
        Renamed::Constraint { table } => format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
            qualified(table),
            ident(&from),
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
    }]
}

/// Storage parameters of a table, or options of a view (`view`).
pub(super) fn set_options(
    table: &QualName,
    view: bool,
    from: &StorageOptions,
    to: &StorageOptions,
) -> Vec<String> {
    let kind = if view { "VIEW" } else { "TABLE" };
    alter_options(kind, table, from, to)
}

pub(super) fn set_persistence(table: &QualName, sequence: bool, unlogged: bool) -> Vec<String> {
    vec![format!(
        "ALTER {} {} SET {}",
        if sequence { "SEQUENCE" } else { "TABLE" },
        qualified(table),
        if unlogged { "UNLOGGED" } else { "LOGGED" }
    )]
}

/// A column's definition; `not_null_name`: its NOT NULL constraint's name, where not the
/// default one (only PostgreSQL 18 reads it; older versions accept and drop it), and
/// `no_inherit` (PostgreSQL 18).
fn column_definition(
    c: &Column,
    schema: &str,
    not_null_name: Option<&str>,
    no_inherit: bool,
) -> String {
    let mut sql = format!("{} {}", ident(&c.name), c.data_type);
    if let Some(coll) = &c.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    if let Some(expr) = &c.generated {
        let kind = c.generated_kind.sql();
        write!(sql, " GENERATED ALWAYS AS ({}) {kind}", expr.sql()).unwrap();
    }
    if let Some(identity) = &c.identity {
        write!(sql, " {}", identity_clause(identity, &c.data_type, schema)).unwrap();
    }
    if let Some(default) = &c.default {
        write!(sql, " DEFAULT {}", default.sql()).unwrap();
    }
    if let (true, Some(constraint)) = (c.not_null, not_null_name) {
        write!(sql, " CONSTRAINT {} NOT NULL", ident(constraint)).unwrap();
    } else if c.not_null {
        sql.push_str(" NOT NULL");
    }
    if c.not_null && no_inherit {
        sql.push_str(" NO INHERIT");
    }
    sql
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

/// `ALTER <kind> … SET (…)` for new or changed parameters, `RESET (…)` for removed ones.
/// PostgreSQL keeps the parameters a `SET` leaves alone in their place and puts those it sets
/// last; when that order is not the desired one (which `pg_dump` prints), every parameter is
/// reset and set again in the desired order.
pub(super) fn alter_options(
    kind: &str,
    name: &QualName,
    from: &StorageOptions,
    to: &StorageOptions,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut set: StorageOptions = to
        .iter()
        .filter(|(k, v)| from.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut reset: Vec<String> = from
        .keys()
        .filter(|k| !to.contains_key(*k))
        .cloned()
        .collect();
    let kept = from.iter().filter(|(k, v)| to.get(*k) == Some(*v));
    let result: StorageOptions = kept
        .chain(set.iter())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let reorder = !same_options(&result, to);
    if reorder {
        reset = from.keys().cloned().collect();
        set = to.clone();
        out.push(format!(
            "ALTER {kind} {} RESET ({})",
            qualified(name),
            option_keys(&reset)
        ));
    }
    if !set.is_empty() {
        out.push(format!(
            "ALTER {kind} {} SET ({})",
            qualified(name),
            options_list(&set)
        ));
    }
    if !reset.is_empty() && !reorder {
        out.push(format!(
            "ALTER {kind} {} RESET ({})",
            qualified(name),
            option_keys(&reset)
        ));
    }
    out
}

pub(super) fn set_inherit(table: &QualName, parent: &QualName, inherit: bool) -> Vec<String> {
    let verb = if inherit { "INHERIT" } else { "NO INHERIT" };
    vec![format!(
        "ALTER TABLE {} {verb} {}",
        qualified(table),
        qualified(parent)
    )]
}

pub(super) fn set_replica_identity(table: &QualName, to: &ReplicaIdentity) -> Vec<String> {
    let what = match to {
        ReplicaIdentity::Default => "DEFAULT".to_string(),
        ReplicaIdentity::Full => "FULL".to_string(),
        ReplicaIdentity::Nothing => "NOTHING".to_string(),
        ReplicaIdentity::Index(index) => format!("USING INDEX {}", ident(index)),
    };
    vec![format!(
        "ALTER TABLE {} REPLICA IDENTITY {what}",
        qualified(table)
    )]
}
