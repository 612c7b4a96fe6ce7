//! Storing an expression (a column default, a check) that names a relation by a `regclass`
//! constant — `nextval('s'::regclass)`, the parent a hash partition's bounds check names —
//! takes ACCESS SHARE on that relation from the minor releases that lock what a new dependency
//! points at (`locks_dependencies`).

use super::lock_set::LockSet;
use crate::model::*;
use crate::plan::change::Change;
use crate::plan::classify::lock_mode::LockMode::AccessShare;

/// Whether a server locks (ACCESS SHARE) the objects a dependency it records points at: from
/// the minor releases 16.15, 17.11 and 18.5 (one release day) on. Measured: 16.14, 17.10 and
/// 18.4 take no such lock, 16.15, 17.11 and 18.6 do; 15.18 takes none (older majors are
/// assumed not to until measured).
pub(super) fn locks_dependencies(server_version: i32) -> bool {
    match server_version / 10000 {
        16 => server_version >= 160015,
        17 => server_version >= 170011,
        18 => server_version >= 180005,
        major => major > 18,
    }
}

pub(super) fn stored_expressions_lock_what_they_name(set: &mut LockSet, change: &Change) {
    if !locks_dependencies(set.current.server_version) {
        return;
    }
    let (table, stored): (&QualName, Vec<&Expr>) = match change {
        Change::CreateTable { name, table } => (
            name,
            table
                .columns
                .iter()
                .filter_map(|c| c.default.as_ref())
                .collect(),
        ),
        Change::AddColumn { table, column, .. } => (table, column.default.iter().collect()),
        // A default set anew, or cooked again for a new type.
        Change::AlterColumn {
            table, from, to, ..
        } if from.default != to.default || from.data_type != to.data_type => {
            (table, to.default.iter().collect())
        }
        Change::AddConstraint {
            table, constraint, ..
        } => match &constraint.kind {
            ConstraintKind::Check { expression, .. } => (table, vec![expression]),
            _ => return,
        },
        _ => return,
    };
    for expr in stored {
        for named in regclass_constants(&expr.text) {
            let candidates = match named {
                (Some(schema), name) => vec![QualName::new(schema, name)],
                (None, name) => vec![
                    QualName::new(table.schema.clone(), name.clone()),
                    QualName::new("public", name),
                ],
            };
            if let Some(q) = candidates.into_iter().find(|q| set.exists(q)) {
                set.lock(&q, AccessShare);
            }
        }
    }
}

/// The relations an expression names by `'name'::regclass`, as (schema, name).
fn regclass_constants(text: &str) -> Vec<(Option<String>, String)> {
    const CAST: &str = "'::regclass";
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(CAST) {
        let end = from + at;
        // Back to the literal's opening quote (a doubled quote is part of the text).
        let bytes = text.as_bytes();
        let mut i = end;
        let start = loop {
            if i == 0 {
                break None;
            }
            i -= 1;
            if bytes[i] == b'\'' {
                if i > 0 && bytes[i - 1] == b'\'' {
                    i -= 1;
                    continue;
                }
                break Some(i + 1);
            }
        };
        if let Some(start) = start {
            out.extend(qualified(&text[start..end].replace("''", "'")));
        }
        from = end + CAST.len();
    }
    out
}

/// `schema.name`, `name` or their double-quoted forms.
fn qualified(literal: &str) -> Option<(Option<String>, String)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' => quoted = !quoted,
            '.' if !quoted => parts.push(std::mem::take(&mut current)),
            c if quoted => current.push(c),
            c => current.extend(c.to_lowercase()),
        }
    }
    parts.push(current);
    match parts.as_slice() {
        [name] => Some((None, name.clone())),
        [schema, name] => Some((Some(schema.clone()), name.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::regclass_constants;

    #[test]
    fn regclass_constants_are_read_qualified_quoted_or_bare() {
        assert_eq!(
            regclass_constants(
                "nextval('public.\"Order IDs\"'::regclass) + nextval('ids'::regclass) + 'x'"
            ),
            vec![
                (Some("public".into()), "Order IDs".into()),
                (None, "ids".into())
            ]
        );
        assert!(regclass_constants("'a'::text").is_empty());
    }
}
