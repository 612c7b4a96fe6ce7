//! Sequences, and the sequence options identity columns share with them.

use super::backups::keep_positions;
use super::comments::comment_if;
use super::security::owner_and_grants;
use crate::model::quote::{ident, qualified};
use crate::model::*;
use crate::plan::change::{Backup, CommentTarget};

pub(super) fn create_sequence(name: &QualName, def: &Sequence) -> Vec<String> {
    let mut sql = format!(
        "CREATE {}SEQUENCE {}",
        if def.unlogged { "UNLOGGED " } else { "" },
        qualified(name)
    );
    sql.push_str(&sequence_options(&def.options, true));
    let mut out = vec![sql];
    comment_if(
        &mut out,
        &CommentTarget::Sequence(name.clone()),
        &def.comment,
    );
    let object = SecuredObject::Sequence(name.clone());
    owner_and_grants(&mut out, &object, &def.owner, &def.grants);
    out
}

pub(super) fn drop_sequence(name: &QualName, backup: Option<&Backup>) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(b) = backup {
        keep_positions(&mut out, b, &format!("the position of sequence {name}"));
    }
    out.push(format!("DROP SEQUENCE {}", qualified(name)));
    out
}

pub(super) fn alter_sequence(
    name: &QualName,
    from: &SequenceOptions,
    to: &SequenceOptions,
) -> Vec<String> {
    let mut out = Vec::new();
    let clauses = changed_sequence_options(from, to, true);
    if !clauses.is_empty() {
        out.push(format!(
            "ALTER SEQUENCE {}{}",
            qualified(name),
            clauses.concat()
        ));
    }
    out
}

/// `OWNED BY` a column, or by nothing.
pub(super) fn set_owner(name: &QualName, to: Option<&ColumnRef>) -> Vec<String> {
    let owner = match to {
        Some(c) => format!("{}.{}", qualified(&c.table), ident(&c.column)),
        None => "NONE".to_string(),
    };
    vec![format!(
        "ALTER SEQUENCE {} OWNED BY {owner}",
        qualified(name)
    )]
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

/// Each numeric option of `o` beside PostgreSQL's default for it (for `o`'s type and the sign
/// of its increment).
pub(crate) fn numbers_and_defaults(
    o: &mut SequenceOptions,
) -> [(&mut Option<i64>, Option<i64>); 5] {
    let d = default_sequence_options(o.data_type.as_deref(), o.increment.unwrap_or(1));
    [
        (&mut o.start, d.start),
        (&mut o.increment, d.increment),
        (&mut o.min_value, d.min_value),
        (&mut o.max_value, d.max_value),
        (&mut o.cache, d.cache),
    ]
}

/// ` AS integer START WITH 10 …` for the options that differ from PostgreSQL's defaults.
/// `with_type` is false for identity columns, whose sequence follows the column type.
pub(super) fn sequence_options(o: &SequenceOptions, with_type: bool) -> String {
    let mut effective = o.clone();
    for (value, default) in numbers_and_defaults(&mut effective) {
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
pub(super) fn changed_sequence_options(
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
        // No start is the default start, which PostgreSQL does not go back to by itself: it
        // is the lowest value going up, the highest going down.
        let start = to.start.unwrap_or(if to.increment.unwrap_or(1) > 0 {
            to.min_value.unwrap_or(1)
        } else {
            to.max_value.unwrap_or(-1)
        });
        out.push(format!(" START WITH {start}"));
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
pub(super) fn without_type_defaults(options: &SequenceOptions, data_type: &str) -> SequenceOptions {
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
