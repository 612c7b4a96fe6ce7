//! Adjustments of the models before they are compared: what the YAML leaves open about
//! extensions and inherited index names, and extensions that move to another schema.

use crate::model::*;

/// The inherited index names the YAML pins are the ones compared (the shadow read every
/// name back, pinned or chosen by PostgreSQL).
pub fn settle_partition_index_names(normalized: &mut Catalog, raw: &Catalog) {
    for (name, table) in normalized.tables.iter_mut() {
        if let Some(p) = table.partition_of.as_mut() {
            p.index_names = raw
                .tables
                .get(name)
                .and_then(|t| t.partition_of.as_ref())
                .map(|r| r.index_names.clone())
                .unwrap_or_default();
        }
    }
}

/// The NOT NULL constraint names the YAML pins stand, where the shadow could not give them (a
/// partition created `PARTITION OF` takes its parent's names). Only where the shadow read
/// names at all (PostgreSQL 18 on).
pub fn settle_not_null_names(normalized: &mut Catalog, raw: &Catalog) {
    for (name, table) in normalized.tables.iter_mut() {
        let Some(written) = raw.tables.get(name) else {
            continue;
        };
        for (column, pin) in &written.not_null_names {
            if let Some(read) = table.not_null_names.get_mut(column) {
                read.clone_from(pin);
            }
        }
    }
}

/// What the YAML leaves open about an extension stays as it is: without a schema, an installed
/// extension keeps its schema and a new one goes where the shadow put it (named explicitly, so
/// that the target's search path does not decide); without a version, an installed extension
/// keeps its version and a new one gets the server's default.
pub fn settle_extensions(normalized: &mut Catalog, raw: &Catalog, current: &Catalog) {
    let mut relocations = Vec::new();
    for (name, ext) in normalized.extensions.iter_mut() {
        let Some(wanted) = raw.extensions.get(name) else {
            continue;
        };
        let installed = current.extensions.get(name);
        if wanted.schema.is_none() {
            if let Some(installed) = installed {
                if let (Some(shadow), Some(target)) = (&ext.schema, &installed.schema) {
                    if shadow != target {
                        relocations.push((name.clone(), shadow.clone(), target.clone()));
                    }
                }
                ext.schema = installed.schema.clone();
            }
        }
        if wanted.version.is_none() {
            ext.version = installed.and_then(|i| i.version.clone());
        }
    }
    // The desired objects were printed naming the schema the shadow used.
    for (name, from, to) in relocations {
        let members = members_of(normalized, &name);
        relocate_members(normalized, &members, &from, &to);
    }
}

fn members_of(catalog: &Catalog, extension: &str) -> Vec<String> {
    catalog
        .extension_members
        .get(extension)
        .map(|m| m.iter().cloned().collect())
        .unwrap_or_default()
}

/// An extension moved to another schema (`ALTER EXTENSION … SET SCHEMA`) takes its types,
/// functions, operators and operator classes along. Objects of the current model that name them
/// are rewritten to the new schema, so that moving the extension is the only change planned.
pub fn follow_moved_extensions(current: &mut Catalog, desired: &Catalog) {
    let moves: Vec<(String, String, Vec<String>)> = moved_extensions(current, desired)
        .map(|(name, from, to)| (from.clone(), to.clone(), members_of(current, name)))
        .collect();
    for (from, to, members) in moves {
        relocate_members(current, &members, &from, &to);
    }
}

/// The extensions of `current` that `desired` puts in another schema: name, from, to.
pub fn moved_extensions<'a>(
    current: &'a Catalog,
    desired: &'a Catalog,
) -> impl Iterator<Item = (&'a String, &'a String, &'a String)> {
    current.extensions.iter().filter_map(|(name, ext)| {
        let wanted = desired.extensions.get(name).and_then(|e| e.schema.as_ref());
        match (&ext.schema, wanted) {
            (Some(from), Some(to)) if from != to => Some((name, from, to)),
            _ => None,
        }
    })
}

/// Rewrites every reference to `members` in schema `from` into schema `to`.
fn relocate_members(catalog: &mut Catalog, members: &[String], from: &str, to: &str) {
    let rename = |text: &mut String| {
        for member in members {
            relocate(text, from, to, member);
        }
    };
    let rename_expr = |e: &mut Expr| {
        rename(&mut e.text);
        if let Some(s) = e.source.as_mut() {
            rename(s);
        }
    };
    let rename_ref = |r: &mut Option<ObjRef>| {
        if let Some(r) = r {
            if r.schema.as_deref() == Some(from) && members.contains(&r.name) {
                r.schema = Some(to.to_string());
            }
        }
    };
    for table in catalog.tables.values_mut() {
        for c in &mut table.columns {
            rename(&mut c.data_type);
            c.default.as_mut().map(rename_expr);
            c.generated.as_mut().map(rename_expr);
        }
        for con in table.constraints.values_mut() {
            match &mut con.kind {
                ConstraintKind::Check { expression, .. } => rename_expr(expression),
                ConstraintKind::Exclude(x) => {
                    for element in &mut x.elements {
                        if let IndexExpr::Expression(e) = &mut element.key.expr {
                            rename_expr(e);
                        }
                        rename_ref(&mut element.key.opclass);
                        rename(&mut element.operator);
                    }
                    x.predicate.as_mut().map(rename_expr);
                }
                _ => {}
            }
        }
        for index in table.indexes.values_mut() {
            for key in &mut index.keys {
                if let IndexExpr::Expression(e) = &mut key.expr {
                    rename_expr(e);
                }
                rename_ref(&mut key.opclass);
            }
            index.predicate.as_mut().map(rename_expr);
        }
    }
    for view in catalog.views.values_mut() {
        rename_expr(&mut view.definition);
        for c in &mut view.columns {
            rename(&mut c.data_type);
        }
    }
    for domain in catalog.domains.values_mut() {
        rename(&mut domain.data_type);
        domain.default.as_mut().map(rename_expr);
        for con in domain.constraints.values_mut() {
            rename_expr(&mut con.expression);
        }
    }
    for composite in catalog.composite_types.values_mut() {
        for a in &mut composite.attributes {
            rename(&mut a.data_type);
        }
    }
}

/// Replaces the qualified name `from.member` by `to.member` wherever it stands as a whole name
/// (read by the SQL tokenizer: not inside quoted identifiers or comments).
pub(super) fn relocate(text: &mut String, from: &str, to: &str, member: &str) {
    *text = crate::sqltext::reprint::relocate(text, from, to, member);
}
