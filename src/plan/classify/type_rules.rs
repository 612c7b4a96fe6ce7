//! Rules about column type changes: which keep the stored bytes, which accept every old value.

/// Whether a column type change keeps the stored bytes, so PostgreSQL neither rewrites nor
/// scans the table: a longer varchar, unconstrained varchar or text from varchar, a numeric
/// with more digits at the same scale, more fractional precision for time types.
pub fn binary_compatible(from: &str, to: &str) -> bool {
    // Element conversions of arrays (even a longer varchar) go through a rewrite.
    if crate::sqltext::types::is_array(from) || crate::sqltext::types::is_array(to) {
        return from == to;
    }
    let (fb, tb) = (
        crate::sqltext::types::base_of_printed(from),
        crate::sqltext::types::base_of_printed(to),
    );
    let (fm, tm) = (
        crate::sqltext::types::modifiers(from),
        crate::sqltext::types::modifiers(to),
    );
    let string = |b: &str| b == "character varying" || b == "text";
    match (fb.as_str(), tb.as_str()) {
        (a, b) if string(a) && string(b) => {
            // Unconstrained on the way out, or at least as long.
            b == "text" || tm.is_empty() || (!fm.is_empty() && tm[0] >= fm[0])
        }
        ("numeric", "numeric") => match (fm.as_slice(), tm.as_slice()) {
            (_, []) => true,
            ([p1, s1], [p2, s2]) => s1 == s2 && p2 >= p1,
            ([p1], [p2]) => p2 >= p1,
            _ => false,
        },
        (a, b)
            if a == b
                && matches!(
                    a,
                    "timestamp without time zone"
                        | "timestamp with time zone"
                        | "time without time zone"
                        | "interval"
                        | "bit varying"
                ) =>
        {
            tm.is_empty() || (!fm.is_empty() && tm[0] >= fm[0])
        }
        ("cidr", "inet") => true,
        (a, b) => a == b && fm == tm,
    }
}

/// Type changes that accept every old value (they may still rewrite the table).
pub(super) fn widens(from: &str, to: &str) -> bool {
    let (a, b) = (
        crate::sqltext::types::base_of_printed(from),
        crate::sqltext::types::base_of_printed(to),
    );
    matches!(
        (a.as_str(), b.as_str()),
        ("smallint", "integer" | "bigint" | "numeric")
            | ("integer", "bigint" | "numeric")
            | ("bigint", "numeric")
            | ("real", "double precision")
            | ("character", "text" | "character varying")
            | ("timestamp without time zone", "timestamp with time zone")
    )
}
