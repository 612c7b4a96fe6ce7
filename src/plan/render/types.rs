//! Types: enums, domains, composite and range types; collations.

use std::fmt::Write as _;

use super::comments::comment_if;
use crate::model::naming::enum_rebuild_name;
use crate::model::quote::{ident, literal, obj_ref, qualified};
use crate::model::*;
use crate::plan::change::{CommentTarget, EnumColumn, RebuiltDomain};

pub(super) fn create_enum(name: &QualName, def: &EnumType) -> Vec<String> {
    let mut out = vec![create_enum_statement(name, &def.values)];
    comment_if(&mut out, &CommentTarget::Enum(name.clone()), &def.comment);
    out
}

pub(super) fn drop_enum(name: &QualName) -> Vec<String> {
    vec![format!("DROP TYPE {}", qualified(name))]
}

pub(super) fn add_enum_values(name: &QualName, from: &[String], to: &[String]) -> Vec<String> {
    let mut out = Vec::new();
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
    out
}

pub(super) fn rebuild_enum(name: &QualName, to: &EnumType, columns: &[EnumColumn]) -> Vec<String> {
    rebuild_enum_statements(name, &to.values, &to.comment, columns)
}

pub(super) fn create_domain(name: &QualName, def: &Domain) -> Vec<String> {
    let mut out = Vec::new();
    create_domain_into(&mut out, name, def);
    out
}

pub(super) fn drop_domain(name: &QualName) -> Vec<String> {
    vec![format!("DROP DOMAIN {}", qualified(name))]
}

pub(super) fn rebuild_domain(domains: &[RebuiltDomain]) -> Vec<String> {
    let mut out = Vec::new();
    rebuild_domains_into(&mut out, domains);
    out
}

pub(super) fn set_domain_default(name: &QualName, to: Option<&Expr>) -> Vec<String> {
    vec![match to {
        Some(expr) => format!(
            "ALTER DOMAIN {} SET DEFAULT {}",
            qualified(name),
            expr.sql()
        ),
        None => format!("ALTER DOMAIN {} DROP DEFAULT", qualified(name)),
    }]
}

pub(super) fn set_domain_not_null(name: &QualName, not_null: bool) -> Vec<String> {
    vec![format!(
        "ALTER DOMAIN {} {} NOT NULL",
        qualified(name),
        if not_null { "SET" } else { "DROP" }
    )]
}

pub(super) fn add_domain_constraint(
    domain: &QualName,
    name: &str,
    constraint: &DomainConstraint,
) -> Vec<String> {
    let mut out = vec![add_domain_constraint_statement(domain, name, constraint)];
    comment_if(
        &mut out,
        &CommentTarget::DomainConstraint(domain.clone(), name.to_string()),
        &constraint.comment,
    );
    out
}

pub(super) fn drop_domain_constraint(domain: &QualName, name: &str) -> Vec<String> {
    vec![format!(
        "ALTER DOMAIN {} DROP CONSTRAINT {}",
        qualified(domain),
        ident(name)
    )]
}

pub(super) fn validate_domain_constraint(domain: &QualName, name: &str) -> Vec<String> {
    vec![format!(
        "ALTER DOMAIN {} VALIDATE CONSTRAINT {}",
        qualified(domain),
        ident(name)
    )]
}

pub(super) fn create_composite_type(name: &QualName, def: &CompositeType) -> Vec<String> {
    let attributes: Vec<String> = def.attributes.iter().map(attribute_definition).collect();
    let mut out = vec![format!(
        "CREATE TYPE {} AS ({})",
        qualified(name),
        attributes.join(", ")
    )];
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
    out
}

pub(super) fn drop_composite_type(name: &QualName) -> Vec<String> {
    vec![format!("DROP TYPE {}", qualified(name))]
}

pub(super) fn add_attribute(type_name: &QualName, attribute: &Attribute) -> Vec<String> {
    let mut out = vec![format!(
        "ALTER TYPE {} ADD ATTRIBUTE {}",
        qualified(type_name),
        attribute_definition(attribute)
    )];
    comment_if(
        &mut out,
        &CommentTarget::Attribute(type_name.clone(), attribute.name.clone()),
        &attribute.comment,
    );
    out
}

pub(super) fn drop_attribute(type_name: &QualName, attribute: &Attribute) -> Vec<String> {
    vec![format!(
        "ALTER TYPE {} DROP ATTRIBUTE {}",
        qualified(type_name),
        ident(&attribute.name)
    )]
}

/// A new type (and collation) for an attribute of a composite type.
pub(super) fn alter_attribute(type_name: &QualName, to: &Attribute) -> Vec<String> {
    let mut sql = format!(
        "ALTER TYPE {} ALTER ATTRIBUTE {} TYPE {}",
        qualified(type_name),
        ident(&to.name),
        to.data_type
    );
    if let Some(coll) = &to.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    vec![sql]
}

fn create_enum_statement(name: &QualName, values: &[String]) -> String {
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

fn rebuild_enum_statements(
    name: &QualName,
    values: &[String],
    comment: &Option<String>,
    columns: &[EnumColumn],
) -> Vec<String> {
    let mut out = Vec::new();
    let old = enum_rebuild_name(name);
    out.push(format!(
        "ALTER TYPE {} RENAME TO {}",
        qualified(name),
        ident(&old.name)
    ));
    out.push(create_enum_statement(name, values));
    comment_if(&mut out, &CommentTarget::Enum(name.clone()), comment);
    // Enum values only cast through text.
    retype_columns(&mut out, columns.iter().map(|c| (c, name, "text")));
    out.push(format!("DROP TYPE {}", qualified(&old)));
    out
}

fn attribute_definition(a: &Attribute) -> String {
    let mut sql = format!("{} {}", ident(&a.name), a.data_type);
    if let Some(coll) = &a.collation {
        write!(sql, " COLLATE {}", obj_ref(coll)).unwrap();
    }
    sql
}

fn add_domain_constraint_statement(domain: &QualName, name: &str, c: &DomainConstraint) -> String {
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
fn create_domain_into(out: &mut Vec<String>, name: &QualName, def: &Domain) {
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
        out.push(add_domain_constraint_statement(name, cname, c));
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
fn rebuild_domains_into(out: &mut Vec<String>, domains: &[RebuiltDomain]) {
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
        create_domain_into(out, &d.name, &validated);
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
            out.push(add_domain_constraint_statement(&d.name, cname, c));
        }
    }
    for d in domains.iter().rev() {
        out.push(format!(
            "DROP DOMAIN {}",
            qualified(&enum_rebuild_name(&d.name))
        ));
    }
}

/// `CREATE TYPE … AS RANGE`: the subtype and its options as PostgreSQL printed them; the
/// multirange type's name only when it is not PostgreSQL's own choice.
pub(super) fn create_range_type(name: &QualName, def: &RangeType) -> Vec<String> {
    let mut options = vec![format!("SUBTYPE = {}", def.subtype)];
    if let Some(o) = &def.subtype_opclass {
        options.push(format!("SUBTYPE_OPCLASS = {}", obj_ref(o)));
    }
    if let Some(c) = &def.collation {
        options.push(format!("COLLATION = {}", obj_ref(c)));
    }
    if let Some(f) = &def.canonical {
        options.push(format!("CANONICAL = {f}"));
    }
    if let Some(f) = &def.subtype_diff {
        options.push(format!("SUBTYPE_DIFF = {f}"));
    }
    if let Some(m) = &def.multirange_type_name {
        let multirange = QualName::new(name.schema.clone(), m.clone());
        options.push(format!("MULTIRANGE_TYPE_NAME = {}", qualified(&multirange)));
    }
    vec![format!(
        "CREATE TYPE {} AS RANGE ({})",
        qualified(name),
        options.join(", ")
    )]
}

pub(super) fn drop_range_type(name: &QualName) -> Vec<String> {
    vec![format!("DROP TYPE {}", qualified(name))]
}

/// `CREATE COLLATION`: from an existing one when the YAML says so (only ever on the shadow),
/// else with its provider, locales and determinism spelled out.
pub(super) fn create_collation(name: &QualName, def: &Collation) -> Vec<String> {
    if let Some(from) = &def.from {
        return vec![format!(
            "CREATE COLLATION {} FROM {}",
            qualified(name),
            obj_ref(from)
        )];
    }
    let mut options = vec![format!("provider = {}", ident(&def.provider))];
    if let Some(l) = &def.locale {
        options.push(format!("locale = {}", literal(l)));
    }
    if let Some(l) = &def.lc_collate {
        options.push(format!("lc_collate = {}", literal(l)));
    }
    if let Some(l) = &def.lc_ctype {
        options.push(format!("lc_ctype = {}", literal(l)));
    }
    if !def.deterministic {
        options.push("deterministic = false".to_string());
    }
    vec![format!(
        "CREATE COLLATION {} ({})",
        qualified(name),
        options.join(", ")
    )]
}

pub(super) fn drop_collation(name: &QualName) -> Vec<String> {
    vec![format!("DROP COLLATION {}", qualified(name))]
}
