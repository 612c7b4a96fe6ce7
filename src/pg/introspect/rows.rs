//! Helpers that turn catalog row values into model values.

use postgres::Row;

use crate::model::*;

/// A nullable text column, such as a comment.
pub(super) fn opt_comment(row: &Row, idx: usize) -> Option<String> {
    row.get::<_, Option<String>>(idx)
}

/// `key=value` options (`reloptions`, `proconfig`) as a map (in their order, for a map that
/// keeps it).
pub(super) fn parse_options<M: FromIterator<(String, String)>>(raw: Option<Vec<String>>) -> M {
    raw.unwrap_or_default()
        .into_iter()
        .map(|o| match o.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (o, String::new()),
        })
        .collect()
}

/// Sequence options from seven consecutive columns starting at `first`: type, start,
/// increment, minimum, maximum, cache, cycle.
pub(super) fn sequence_options(row: &Row, first: usize) -> SequenceOptions {
    SequenceOptions {
        data_type: row.get(first),
        start: row.get(first + 1),
        increment: row.get(first + 2),
        min_value: row.get(first + 3),
        max_value: row.get(first + 4),
        cache: row.get(first + 5),
        cycle: row.get(first + 6),
    }
}

/// An expression as PostgreSQL printed it, with the known rewrite that parses back to the same
/// tree when the printed text does not (see `reprint`). The shadow database verifies the desired
/// side; on the current side the rewrite only feeds down SQL.
pub(super) fn printed(text: impl Into<String>) -> Expr {
    let text = text.into();
    Expr {
        source: crate::sqltext::reprint::pin_array_casts(&text),
        text,
        volatile: false,
    }
}
