//! `renamed_from` hints. An object of the desired state that the database holds under its old
//! name is renamed — keeping its data — instead of being dropped and created. The current model
//! is rewritten as if the renames had already happened (as `diff::follow_moved_extensions` does
//! for extensions), so `diff` sees only what else changes, and each rename becomes a step of its
//! own. Names PostgreSQL derived from a renamed table or column (`t_pkey`, `t_col_check`,
//! `t_col_idx`, a serial's `t_col_seq`) follow it when the desired state uses the derived new
//! name. Pure.

use crate::model::hints::RenameHint;
use crate::model::hints::Renames;
use crate::model::warning::Warning;
use crate::model::*;
use crate::plan::change::{Change, Renamed};
use crate::sqltext::reprint;

/// The renames to run, and what the hints could not do.
#[derive(Debug, Default)]
pub struct Followed {
    pub changes: Vec<Change>,
    pub warnings: Vec<Warning>,
}

/// Rewrites `current` as if every applicable hint had been carried out, and returns the renames.
/// A hint whose old object does not exist (it was renamed already, or never was) or whose new
/// name is taken is left alone.
pub fn follow(current: &mut Catalog, desired: &Catalog, hints: &Renames) -> Followed {
    let mut out = Followed::default();
    // Tables renamed here, new name → old: a column's derived names may still carry the old.
    let mut renamed_tables: std::collections::BTreeMap<QualName, String> = Default::default();
    for (hint, h) in hints {
        if let RenameHint::Enum(new) = hint {
            let old = QualName::new(new.schema.clone(), h.old.clone());
            let state = (
                current.enums.contains_key(&old),
                current.enums.contains_key(new),
            );
            if out.applicable("enum", &old, new, state) {
                rename_enum(current, &old, new);
                out.push(
                    Renamed::Enum {
                        schema: new.schema.clone(),
                    },
                    &old.name,
                    &new.name,
                );
            }
        }
    }
    for (hint, h) in hints {
        if let RenameHint::Table(new) = hint {
            let old = QualName::new(new.schema.clone(), h.old.clone());
            let state = (
                current.tables.contains_key(&old),
                current.tables.contains_key(new),
            );
            if out.applicable("table", &old, new, state) {
                rename_table(current, &old, new);
                out.push(
                    Renamed::Table {
                        schema: new.schema.clone(),
                    },
                    &old.name,
                    &new.name,
                );
                out.follow_derived(
                    current,
                    desired,
                    hints,
                    new,
                    &[format!("{}_", old.name)],
                    &format!("{}_", new.name),
                );
                renamed_tables.insert(new.clone(), old.name.clone());
            }
        }
    }
    for (hint, h) in hints {
        if let RenameHint::Column(table, new) = hint {
            let Some(t) = current.tables.get(table) else {
                continue;
            };
            let state = (t.column(&h.old).is_some(), t.column(new).is_some());
            // The old name taken by a new column of the desired state: both there means the
            // rename is done.
            let reused = (desired.tables.get(table)).is_some_and(|d| d.column(&h.old).is_some());
            if reused && state == (true, true) {
                continue;
            }
            let (old_q, new_q) = (
                QualName::new(table.to_string(), h.old.clone()),
                QualName::new(table.to_string(), new.clone()),
            );
            if out.applicable("column", &old_q, &new_q, state) {
                rename_column(current, table, &h.old, new);
                out.push(
                    Renamed::Column {
                        table: table.clone(),
                    },
                    &h.old,
                    new,
                );
                let mut old_prefixes = vec![format!("{}_{}_", table.name, h.old)];
                if let Some(old_table) = renamed_tables.get(table) {
                    old_prefixes.push(format!("{old_table}_{}_", h.old));
                }
                out.follow_derived(
                    current,
                    desired,
                    hints,
                    table,
                    &old_prefixes,
                    &format!("{}_{}_", table.name, new),
                );
            }
        }
    }
    for (hint, h) in hints {
        match hint {
            RenameHint::Constraint(table, new) => {
                let Some(t) = current.tables.get(table) else {
                    continue;
                };
                let state = (
                    t.constraints.contains_key(&h.old),
                    t.constraints.contains_key(new),
                );
                let (old_q, new_q) = (
                    QualName::new(table.to_string(), h.old.clone()),
                    QualName::new(table.to_string(), new.clone()),
                );
                if out.applicable("constraint", &old_q, &new_q, state) {
                    out.rename_constraint(current, table, &h.old, new);
                }
            }
            RenameHint::Index(table, new) => {
                let Some(t) = current.tables.get(table) else {
                    continue;
                };
                let state = (
                    t.indexes.contains_key(&h.old),
                    relation_exists(current, &table.schema, new),
                );
                let (old_q, new_q) = (
                    QualName::new(table.schema.clone(), h.old.clone()),
                    QualName::new(table.schema.clone(), new.clone()),
                );
                if out.applicable("index", &old_q, &new_q, state) {
                    out.rename_index(current, table, &h.old, new);
                }
            }
            _ => {}
        }
    }
    out
}

impl Followed {
    fn push(&mut self, target: Renamed, from: &str, to: &str) {
        self.changes.push(Change::Rename {
            target,
            from: from.to_string(),
            to: to.to_string(),
        });
    }

    /// Whether a hint applies, given whether the old and the new object exist; warns when it
    /// cannot.
    fn applicable(
        &mut self,
        what: &str,
        old: &QualName,
        new: &QualName,
        (old_exists, new_exists): (bool, bool),
    ) -> bool {
        match (old_exists, new_exists) {
            (true, false) => true,
            (true, true) => {
                self.warnings.push(Warning {
                    object: new.to_string(),
                    message: format!(
                        "renamed_from `{}`: both {what}s exist, so nothing is renamed",
                        old.name
                    ),
                });
                false
            }
            // Renamed already (the hint stays in the desired state after it is applied).
            (false, true) => false,
            (false, false) => {
                self.warnings.push(Warning {
                    object: new.to_string(),
                    message: format!(
                        "renamed_from `{}`: the database has no {what} {old}; {new} is created",
                        old.name
                    ),
                });
                false
            }
        }
    }

    fn rename_constraint(&mut self, current: &mut Catalog, table: &QualName, old: &str, new: &str) {
        rename_constraint(current, table, old, new);
        self.push(
            Renamed::Constraint {
                table: table.clone(),
            },
            old,
            new,
        );
    }

    fn rename_index(&mut self, current: &mut Catalog, table: &QualName, old: &str, new: &str) {
        rename_index(current, table, old, new);
        self.changes.push(Change::RenameIndex {
            table: table.clone(),
            from: old.to_string(),
            to: new.to_string(),
        });
    }

    /// Constraints, indexes and sequences of `table` whose names start with one of
    /// `old_prefixes` take `new_prefix` instead, when the desired state uses that name and no
    /// hint says otherwise.
    fn follow_derived(
        &mut self,
        current: &mut Catalog,
        desired: &Catalog,
        hints: &Renames,
        table: &QualName,
        old_prefixes: &[String],
        new_prefix: &str,
    ) {
        let Some(want) = desired.tables.get(table) else {
            return;
        };
        let derived = |name: &str| {
            old_prefixes
                .iter()
                .find_map(|p| name.strip_prefix(p.as_str()))
                .map(|rest| format!("{new_prefix}{rest}"))
        };
        let hinted = |name: &str| {
            hints.iter().any(|(hint, h)| {
                h.old == name
                    && matches!(hint, RenameHint::Constraint(t, _) | RenameHint::Index(t, _) if t == table)
            })
        };
        let have = current.tables.get(table).cloned().unwrap_or_default();
        for cname in have.constraints.keys() {
            let Some(candidate) = derived(cname) else {
                continue;
            };
            if want.constraints.contains_key(&candidate)
                && !want.constraints.contains_key(cname)
                && !have.constraints.contains_key(&candidate)
                && !relation_exists(current, &table.schema, &candidate)
                && !hinted(cname)
            {
                self.rename_constraint(current, table, cname, &candidate);
            }
        }
        for iname in have.indexes.keys() {
            let Some(candidate) = derived(iname) else {
                continue;
            };
            if want.indexes.contains_key(&candidate)
                && !want.indexes.contains_key(iname)
                && !relation_exists(current, &table.schema, &candidate)
                && !hinted(iname)
            {
                self.rename_index(current, table, iname, &candidate);
            }
        }
        // Sequences: those the table's columns own, and its identity sequences.
        let mut sequences: Vec<String> = current
            .sequences
            .iter()
            .filter(|(q, s)| {
                q.schema == table.schema && s.owned_by.as_ref().is_some_and(|o| o.table == *table)
            })
            .map(|(q, _)| q.name.clone())
            .collect();
        sequences.extend(
            have.columns
                .iter()
                .filter_map(|c| c.identity.as_ref()?.sequence.clone()),
        );
        for sname in sequences {
            let Some(candidate) = derived(&sname) else {
                continue;
            };
            let wanted = desired
                .sequences
                .contains_key(&QualName::new(table.schema.clone(), candidate.clone()))
                || want.columns.iter().any(|c| {
                    c.identity
                        .as_ref()
                        .is_some_and(|i| i.sequence.as_deref() == Some(candidate.as_str()))
                });
            if wanted && !relation_exists(current, &table.schema, &candidate) {
                let old = QualName::new(table.schema.clone(), sname.clone());
                let new = QualName::new(table.schema.clone(), candidate.clone());
                rename_sequence(current, &old, &new);
                self.push(
                    Renamed::Sequence {
                        schema: table.schema.clone(),
                    },
                    &sname,
                    &candidate,
                );
            }
        }
    }
}

/// Whether any relation of the model (table, view, sequence, index, key index) has this name.
fn relation_exists(c: &Catalog, schema: &str, name: &str) -> bool {
    let q = QualName::new(schema, name);
    c.tables.contains_key(&q)
        || c.views.contains_key(&q)
        || c.sequences.contains_key(&q)
        || c.materialized_views.contains_key(&q)
        || c.materialized_views
            .iter()
            .any(|(m, view)| m.schema == schema && view.indexes.contains_key(name))
        || c.tables.iter().any(|(t, table)| {
            t.schema == schema
                && (table.indexes.contains_key(name)
                    || table.key_named(name).is_some()
                    || table.columns.iter().any(|col| {
                        col.identity
                            .as_ref()
                            .is_some_and(|i| i.sequence.as_deref() == Some(name))
                    }))
        })
}

fn rewrite_deps(c: &mut Catalog, f: impl Fn(&ObjKey) -> Option<ObjKey>) {
    let map = |k: &ObjKey| f(k).unwrap_or_else(|| k.clone());
    c.deps = c.deps.iter().map(|(a, b)| (map(a), map(b))).collect();
}

fn rewrite_expressions(table: &mut Table, f: &impl Fn(&str) -> String) {
    let fix = |e: &mut Expr| {
        let text = f(&e.text);
        if text != e.text {
            *e = Expr {
                text,
                source: None,
                volatile: e.volatile,
            };
        }
    };
    for col in &mut table.columns {
        if let Some(e) = &mut col.default {
            fix(e);
        }
        if let Some(e) = &mut col.generated {
            fix(e);
        }
    }
    for con in table.constraints.values_mut() {
        match &mut con.kind {
            ConstraintKind::Check { expression, .. } => fix(expression),
            ConstraintKind::Exclude(x) => x.expressions_mut().for_each(fix),
            _ => {}
        }
    }
    for index in table.indexes.values_mut() {
        for key in &mut index.keys {
            if let IndexExpr::Expression(e) = &mut key.expr {
                fix(e);
            }
        }
        if let Some(e) = &mut index.predicate {
            fix(e);
        }
    }
}

fn rename_table(c: &mut Catalog, old: &QualName, new: &QualName) {
    if let Some(t) = c.tables.remove(old) {
        c.tables.insert(new.clone(), t);
    }
    for table in c.tables.values_mut() {
        for con in table.constraints.values_mut() {
            if let ConstraintKind::ForeignKey(fk) = &mut con.kind {
                if fk.ref_table == *old {
                    fk.ref_table = new.clone();
                }
            }
        }
    }
    for s in c.sequences.values_mut() {
        if let Some(o) = &mut s.owned_by {
            if o.table == *old {
                o.table = new.clone();
            }
        }
    }
    // Partitions and tables that inherit follow their renamed parent.
    for table in c.tables.values_mut() {
        if let Some(p) = &mut table.partition_of {
            if p.parent == *old {
                p.parent = new.clone();
            }
        }
        for parent in &mut table.inherits {
            if parent == old {
                *parent = new.clone();
            }
        }
    }
    rewrite_deps(c, |k| match k {
        ObjKey::Relation(q) if q == old => Some(ObjKey::Relation(new.clone())),
        ObjKey::Column(q, col) if q == old => Some(ObjKey::Column(new.clone(), col.clone())),
        ObjKey::Constraint(q, con) if q == old => {
            Some(ObjKey::Constraint(new.clone(), con.clone()))
        }
        ObjKey::Logged(q) if q == old => Some(ObjKey::Logged(new.clone())),
        ObjKey::Inherits(q, p) if q == old || p == old => Some(ObjKey::Inherits(
            if q == old { new.clone() } else { q.clone() },
            if p == old { new.clone() } else { p.clone() },
        )),
        _ => None,
    });
}

fn rename_column(c: &mut Catalog, table: &QualName, old: &str, new: &str) {
    let swap = |names: &mut Vec<String>| {
        for n in names.iter_mut() {
            if n == old {
                *n = new.to_string();
            }
        }
    };
    if let Some(t) = c.tables.get_mut(table) {
        for col in &mut t.columns {
            if col.name == old {
                col.name = new.to_string();
            }
        }
        // The column's NOT NULL constraint goes with it, under its old name.
        if let Some(constraint) = t.not_null_names.remove(old) {
            t.not_null_names.insert(new.to_string(), constraint);
        }
        for set in [&mut t.not_null_not_valid, &mut t.not_null_no_inherit] {
            if set.remove(old) {
                set.insert(new.to_string());
            }
        }
        for con in t.constraints.values_mut() {
            match &mut con.kind {
                ConstraintKind::PrimaryKey {
                    columns, include, ..
                }
                | ConstraintKind::Unique {
                    columns, include, ..
                } => {
                    swap(columns);
                    swap(include);
                }
                ConstraintKind::ForeignKey(fk) => {
                    swap(&mut fk.columns);
                    swap(&mut fk.on_delete_columns);
                }
                ConstraintKind::Exclude(x) => {
                    for element in &mut x.elements {
                        if let IndexExpr::Column(name) = &mut element.key.expr {
                            if name == old {
                                *name = new.to_string();
                            }
                        }
                    }
                    swap(&mut x.include);
                }
                ConstraintKind::Check { .. } => {}
            }
        }
        for index in t.indexes.values_mut() {
            for key in &mut index.keys {
                if let IndexExpr::Column(name) = &mut key.expr {
                    if name == old {
                        *name = new.to_string();
                    }
                }
            }
            swap(&mut index.include);
        }
        rewrite_expressions(t, &|sql| reprint::rename_column(sql, old, new));
    }
    for t in c.tables.values_mut() {
        for con in t.constraints.values_mut() {
            if let ConstraintKind::ForeignKey(fk) = &mut con.kind {
                if fk.ref_table == *table {
                    swap(&mut fk.ref_columns);
                }
            }
        }
    }
    for s in c.sequences.values_mut() {
        if let Some(o) = &mut s.owned_by {
            if o.table == *table && o.column == old {
                o.column = new.to_string();
            }
        }
    }
    rewrite_deps(c, |k| match k {
        ObjKey::Column(q, col) if q == table && col == old => {
            Some(ObjKey::Column(q.clone(), new.to_string()))
        }
        _ => None,
    });
}

fn rename_constraint(c: &mut Catalog, table: &QualName, old: &str, new: &str) {
    if let Some(t) = c.tables.get_mut(table) {
        if let Some(con) = t.constraints.remove(old) {
            t.constraints.insert(new.to_string(), con);
        }
    }
    let (old_index, new_index) = (
        QualName::new(table.schema.clone(), old),
        QualName::new(table.schema.clone(), new),
    );
    rewrite_deps(c, |k| match k {
        ObjKey::Constraint(q, con) if q == table && con == old => {
            Some(ObjKey::Constraint(q.clone(), new.to_string()))
        }
        ObjKey::Relation(q) if *q == old_index => Some(ObjKey::Relation(new_index.clone())),
        _ => None,
    });
}

fn rename_index(c: &mut Catalog, table: &QualName, old: &str, new: &str) {
    if let Some(t) = c.tables.get_mut(table) {
        if let Some(index) = t.indexes.remove(old) {
            t.indexes.insert(new.to_string(), index);
        }
    }
    let (old_q, new_q) = (
        QualName::new(table.schema.clone(), old),
        QualName::new(table.schema.clone(), new),
    );
    rewrite_deps(c, |k| match k {
        ObjKey::Relation(q) if *q == old_q => Some(ObjKey::Relation(new_q.clone())),
        _ => None,
    });
}

fn rename_enum(c: &mut Catalog, old: &QualName, new: &QualName) {
    if let Some(e) = c.enums.remove(old) {
        c.enums.insert(new.clone(), e);
    }
    let (old_type, new_type) = (
        crate::model::quote::qualified(old),
        crate::model::quote::qualified(new),
    );
    let retype = |data_type: &mut String| {
        if let Some(rest) = data_type.strip_prefix(&old_type) {
            if rest.is_empty() || rest.starts_with('[') {
                *data_type = format!("{new_type}{rest}");
            }
        }
    };
    let rewrite = |sql: &str| reprint::rename_qualified(sql, &old.schema, &old.name, &new.name);
    for t in c.tables.values_mut() {
        for col in &mut t.columns {
            retype(&mut col.data_type);
        }
        rewrite_expressions(t, &rewrite);
    }
    for v in c.views.values_mut() {
        for col in &mut v.columns {
            retype(&mut col.data_type);
        }
    }
    for v in c.materialized_views.values_mut() {
        for col in &mut v.columns {
            retype(&mut col.data_type);
        }
    }
    rewrite_deps(c, |k| match k {
        ObjKey::Type(q) if q == old => Some(ObjKey::Type(new.clone())),
        _ => None,
    });
}

fn rename_sequence(c: &mut Catalog, old: &QualName, new: &QualName) {
    if let Some(s) = c.sequences.remove(old) {
        c.sequences.insert(new.clone(), s);
    }
    let rewrite = |sql: &str| reprint::rename_qualified(sql, &old.schema, &old.name, &new.name);
    for (q, t) in c.tables.iter_mut() {
        for col in &mut t.columns {
            if let Some(identity) = &mut col.identity {
                if q.schema == old.schema && identity.sequence.as_deref() == Some(&old.name) {
                    identity.sequence = Some(new.name.clone());
                }
            }
        }
        rewrite_expressions(t, &rewrite);
    }
    rewrite_deps(c, |k| match k {
        ObjKey::Relation(q) if q == old => Some(ObjKey::Relation(new.clone())),
        _ => None,
    });
}

/// Ordering edges `(rename, change)`: every change on a renamed object (the same object name, or
/// a part of it) runs after the rename, and so does every change on an object that takes the
/// old name (a new column where one was renamed away). `renames` are at `first..` in the list
/// of changes.
pub fn edges(changes: &[Change], first: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (r, rename) in changes.iter().enumerate().skip(first) {
        let object = rename.object();
        let old = match rename {
            Change::Rename { from, to, .. } => object
                .strip_suffix(to.as_str())
                .map(|parent| format!("{parent}{from}")),
            _ => None,
        };
        // Each name with the prefix of its parts, made once per rename.
        let names: Vec<(String, String)> = std::iter::once(object)
            .chain(old)
            .map(|o| {
                let prefix = format!("{o}.");
                (o, prefix)
            })
            .collect();
        for (j, change) in changes.iter().enumerate().take(first) {
            let other = change.object();
            if (names.iter()).any(|(o, prefix)| other == *o || other.starts_with(prefix.as_str())) {
                out.push((r, j));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::hints::Hint;

    fn with_table(name: &str) -> Catalog {
        let mut c = Catalog::default();
        c.tables.insert(
            QualName::new("public", name),
            Table {
                columns: vec![Column::new("id", "bigint")],
                ..Table::default()
            },
        );
        c
    }

    fn hint(new: &str, old: &str) -> Renames {
        let mut h = Renames::new();
        h.insert(
            RenameHint::Table(QualName::new("public", new)),
            Hint {
                old: old.into(),
                path: String::new(),
            },
        );
        h
    }

    #[test]
    fn a_hint_renames_once_and_is_silent_afterwards() {
        let desired = with_table("attendees");
        let mut current = with_table("guests");
        let first = follow(&mut current, &desired, &hint("attendees", "guests"));
        assert_eq!(first.changes.len(), 1);
        assert!(first.warnings.is_empty());
        assert_eq!(current, desired);
        // Applied: the old name is gone, the new one exists.
        let again = follow(&mut current, &desired, &hint("attendees", "guests"));
        assert!(again.changes.is_empty() && again.warnings.is_empty());
    }

    #[test]
    fn a_hint_without_its_old_object_warns_and_renames_nothing() {
        let desired = with_table("attendees");
        let mut current = Catalog::default();
        let out = follow(&mut current, &desired, &hint("attendees", "guests"));
        assert!(out.changes.is_empty());
        assert_eq!(
            out.warnings[0].message,
            "renamed_from `guests`: the database has no table public.guests; public.attendees is created"
        );
    }
}
