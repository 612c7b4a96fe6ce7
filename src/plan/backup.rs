//! Destructive changes keep what they remove. Before a column, a table or a sequence is dropped,
//! its data is copied into the `schemaplan_backup` schema under a name made from the plan's id,
//! and the step's reverse puts it back exactly (same rows, same keys, same sequence positions).
//! Pure: it only fills in each drop's `Backup`; `render` writes the SQL.

use std::collections::BTreeSet;

use crate::model::naming::{BACKUP_SCHEMA, MAX_NAME_BYTES, identity_sequence_name};
use crate::model::*;
use crate::plan::change::{Backup, Change};

/// Gives every drop of data in `changes` its backup, named after `plan_id` and past the names
/// already `taken` in the backup schema.
pub fn keep(
    changes: Vec<Change>,
    current: &Catalog,
    desired: &Catalog,
    plan_id: &str,
    taken: &BTreeSet<String>,
) -> Vec<Change> {
    let mut names = Names {
        plan_id,
        used: taken.clone(),
    };
    changes
        .into_iter()
        .map(|change| match change {
            Change::DropColumn {
                table,
                column,
                backup: None,
                only,
            } if column.generated.is_none() => {
                let backup = column_backup(&mut names, current, desired, &table, &column);
                Change::DropColumn {
                    table,
                    column,
                    backup: Some(backup),
                    only,
                }
            }
            Change::DropTable {
                name,
                table,
                backup: None,
            } => {
                let backup = table_backup(&mut names, current, desired, &name, &table);
                Change::DropTable {
                    name,
                    table,
                    backup: Some(backup),
                }
            }
            Change::DropSequence {
                name,
                def,
                backup: None,
            } => {
                let backup = Backup {
                    data: None,
                    key: Vec::new(),
                    key_is_unique: false,
                    sequences: vec![name.clone()],
                    positions: Some(names.next(&[&name.schema, &name.name])),
                    recreate: Vec::new(),
                };
                Change::DropSequence {
                    name,
                    def,
                    backup: Some(backup),
                }
            }
            other => other,
        })
        .collect()
}

/// Backup names: `<plan id>_<schema>_<object>…`, shortened with a hash when too long, and
/// numbered when two objects would share one.
struct Names<'a> {
    plan_id: &'a str,
    used: BTreeSet<String>,
}

impl Names<'_> {
    fn next(&mut self, parts: &[&str]) -> QualName {
        let base = format!("{}_{}", self.plan_id, parts.join("_"));
        let mut n = 1;
        loop {
            let candidate = if n == 1 {
                base.clone()
            } else {
                format!("{base}_{n}")
            };
            let name = shorten(&candidate);
            if self.used.insert(name.clone()) {
                return QualName::new(BACKUP_SCHEMA, name);
            }
            n += 1;
        }
    }
}

fn shorten(name: &str) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name.to_string();
    }
    let hash = &crate::stdx::sha256_hex(name.as_bytes())[..8];
    let mut cut = MAX_NAME_BYTES - hash.len() - 1;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{hash}", &name[..cut])
}

/// Sequences that go with a dropped column: its identity sequence, and those it owns that the
/// desired state does not keep (which must be created again before it comes back).
fn sequences_of_column(
    current: &Catalog,
    desired: &Catalog,
    table: &QualName,
    column: &Column,
) -> (Vec<QualName>, Vec<(QualName, Sequence)>) {
    let mut sequences: Vec<QualName> = identity_sequence_name(table, column).into_iter().collect();
    let mut recreate = Vec::new();
    for (name, s) in &current.sequences {
        let owned = s
            .owned_by
            .as_ref()
            .is_some_and(|o| o.table == *table && o.column == column.name);
        if owned && !desired.sequences.contains_key(name) {
            sequences.push(name.clone());
            recreate.push((name.clone(), s.clone()));
        }
    }
    (sequences, recreate)
}

fn column_backup(
    names: &mut Names<'_>,
    current: &Catalog,
    desired: &Catalog,
    table: &QualName,
    column: &Column,
) -> Backup {
    let (key, key_is_unique) = row_key(current, desired, table, &column.name);
    let (sequences, recreate) = sequences_of_column(current, desired, table, column);
    let positions = (!sequences.is_empty())
        .then(|| names.next(&[&table.schema, &table.name, &column.name, "seq"]));
    Backup {
        data: Some(names.next(&[&table.schema, &table.name, &column.name])),
        key,
        key_is_unique,
        sequences,
        positions,
        recreate,
    }
}

fn table_backup(
    names: &mut Names<'_>,
    current: &Catalog,
    desired: &Catalog,
    name: &QualName,
    table: &Table,
) -> Backup {
    let mut sequences = Vec::new();
    let mut recreate = Vec::new();
    for column in &table.columns {
        let (s, r) = sequences_of_column(current, desired, name, column);
        sequences.extend(s);
        recreate.extend(r);
    }
    let positions = (!sequences.is_empty()).then(|| names.next(&[&name.schema, &name.name, "seq"]));
    Backup {
        data: Some(names.next(&[&name.schema, &name.name])),
        key: Vec::new(),
        key_is_unique: false,
        sequences,
        positions,
        recreate,
    }
}

/// The columns a dropped column's values are matched back to their rows by: the primary key,
/// or else a unique key of NOT NULL columns, that the desired state keeps. Without one, every
/// remaining column is copied for reference and the key is not unique.
fn row_key(
    current: &Catalog,
    desired: &Catalog,
    table: &QualName,
    dropped: &str,
) -> (Vec<Column>, bool) {
    let (Some(cur), Some(des)) = (current.tables.get(table), desired.tables.get(table)) else {
        return (Vec::new(), false);
    };
    let kept = |c: &String| c != dropped && des.column(c).is_some();
    let mut candidates: Vec<&[String]> = Vec::new();
    if let Some((_, pk)) = cur.primary_key() {
        candidates.push(pk.kind.columns());
    }
    for con in cur.constraints.values() {
        if let ConstraintKind::Unique { columns, .. } = &con.kind {
            let not_null = columns
                .iter()
                .all(|c| cur.column(c).is_some_and(|col| col.not_null));
            if not_null {
                candidates.push(columns);
            }
        }
    }
    let definitions = |names: &[String]| -> Vec<Column> {
        names
            .iter()
            .filter_map(|n| cur.column(n).cloned())
            .collect()
    };
    if let Some(key) = candidates
        .into_iter()
        .find(|k| !k.is_empty() && k.iter().all(kept))
    {
        return (definitions(key), true);
    }
    let all = cur
        .columns
        .iter()
        .filter(|c| c.generated.is_none() && kept(&c.name))
        .cloned()
        .collect();
    (all, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_shortened_with_a_hash_and_clashes_numbered() {
        let mut names = Names {
            plan_id: "0123456789ab",
            used: BTreeSet::new(),
        };
        let long = "x".repeat(80);
        let a = names.next(&["public", &long]);
        assert_eq!(a.name.len(), MAX_NAME_BYTES);
        assert_eq!(a.schema, BACKUP_SCHEMA);
        let b = names.next(&["public_t", "c"]);
        let c = names.next(&["public", "t_c"]);
        assert_eq!(b.name, "0123456789ab_public_t_c");
        assert_eq!(c.name, "0123456789ab_public_t_c_2");
    }
}
