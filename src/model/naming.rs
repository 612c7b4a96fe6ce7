//! PostgreSQL's naming rules, and the names schemaplan reserves: what a name becomes when the
//! user gives none (`<table>_pkey`, `<table>_<column>_seq`), the 63-byte limit, and the schemas
//! schemaplan keeps for itself.

use super::names::QualName;
use super::table::Column;

/// PostgreSQL cuts identifiers to this many bytes (`NAMEDATALEN - 1`).
pub const MAX_NAME_BYTES: usize = 63;

/// The schema in the target that holds schemaplan's history of applies.
pub const HISTORY_SCHEMA: &str = "schemaplan";

/// The schema in the target that holds copies of dropped data.
pub const BACKUP_SCHEMA: &str = "schemaplan_backup";

/// The comment PostgreSQL gives the `public` schema of a new database; a desired state that says
/// nothing about it keeps it.
pub const PUBLIC_SCHEMA_COMMENT: &str = "standard public schema";

/// Whether a schema is schemaplan's own, never managed.
pub fn is_reserved_schema(name: &str) -> bool {
    name == HISTORY_SCHEMA || name == BACKUP_SCHEMA
}

/// PostgreSQL's name for an unnamed primary key: `<table>_pkey`, cut to fit in 63 bytes.
pub fn default_primary_key_name(table: &str) -> String {
    default_object_name(table, None, "pkey")
}

/// PostgreSQL 18's name for the NOT NULL constraint of a table's own column:
/// `<table>_<column>_not_null`, cut to fit in 63 bytes.
pub fn not_null_default_name(table: &str, column: &str) -> String {
    default_object_name(table, Some(column), "not_null")
}

/// Whether PostgreSQL 18's default NOT NULL constraint name of `column` of `table` is cut to
/// fit 63 bytes: two such names may then be equal, and the one created later is numbered
/// (`…_not_null1`), so that which table gets which depends on the order they are made in.
pub fn not_null_default_is_cut(table: &str, column: &str) -> bool {
    not_null_default_name(table, column).len() < table.len() + column.len() + "__not_null".len()
}

/// PostgreSQL's `makeObjectName`: `name1[_name2]_label`, the longer of the names shortened
/// first (at character boundaries) until the whole fits in 63 bytes.
pub fn default_object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let available = MAX_NAME_BYTES.saturating_sub(overhead);
    let mut a: Vec<char> = name1.chars().collect();
    let mut b: Vec<char> = name2.unwrap_or("").chars().collect();
    let bytes = |v: &Vec<char>| v.iter().map(|c| c.len_utf8()).sum::<usize>();
    while bytes(&a) + bytes(&b) > available {
        if bytes(&a) > bytes(&b) {
            a.pop();
        } else {
            b.pop();
        }
    }
    let a: String = a.into_iter().collect();
    match name2 {
        Some(_) => format!("{a}_{}_{label}", b.into_iter().collect::<String>()),
        None => format!("{a}_{label}"),
    }
}

/// The sequence behind an identity column: the one it names, or PostgreSQL's default name.
pub fn identity_sequence_name(table: &QualName, column: &Column) -> Option<QualName> {
    let identity = column.identity.as_ref()?;
    let name = identity
        .sequence
        .clone()
        .unwrap_or_else(|| default_object_name(&table.name, Some(&column.name), "seq"));
    Some(QualName::new(table.schema.clone(), name))
}

/// The name of the CHECK that proves a table's partition bounds before it is attached.
pub fn bounds_check_name(table: &QualName) -> String {
    default_object_name(&table.name, None, "partition_bounds")
}

/// The name the old type takes while an enum is rebuilt; kept within PostgreSQL's 63 bytes.
pub fn enum_rebuild_name(name: &QualName) -> QualName {
    let suffix = "__schemaplan_old";
    let mut base = name.name.clone();
    while base.len() + suffix.len() > MAX_NAME_BYTES {
        base.pop();
    }
    QualName::new(name.schema.clone(), format!("{base}{suffix}"))
}

/// PostgreSQL's name for the multirange type of a range type named `range`
/// (`makeMultirangeTypeName`): its first `range` becomes `multirange`, or else `_multirange` is
/// appended to its first 52 bytes; cut to 63 bytes.
pub fn multirange_name(range: &str) -> String {
    let name = match range.find("range") {
        Some(at) => format!("{}multi{}", &range[..at], &range[at..]),
        None => format!(
            "{}_multirange",
            cut_to_bytes(range, MAX_NAME_BYTES + 1 - 12)
        ),
    };
    cut_to_bytes(&name, MAX_NAME_BYTES).to_string()
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
fn cut_to_bytes(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_key_names_fit_in_63_bytes() {
        assert_eq!(default_primary_key_name("events"), "events_pkey");
        let long = "x".repeat(70);
        assert_eq!(default_primary_key_name(&long).len(), 63);
    }

    #[test]
    fn multirange_names_follow_postgresql() {
        assert_eq!(multirange_name("timerange"), "timemultirange");
        assert_eq!(multirange_name("range_of_ranges"), "multirange_of_ranges");
        assert_eq!(multirange_name("float_span"), "float_span_multirange");
        let long = "x".repeat(63);
        assert_eq!(
            multirange_name(&long),
            format!("{}_multirange", "x".repeat(52))
        );
        assert_eq!(
            multirange_name(&format!("{}range", "y".repeat(58))).len(),
            63
        );
    }
}
