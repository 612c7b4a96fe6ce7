//! Pieces of SQL text that renderers of several kinds share: lists of names and of storage
//! parameters, `INCLUDE` clauses, parenthesized expressions.

use crate::model::quote::{ident, literal};

pub(super) fn ident_list(names: &[String]) -> String {
    names
        .iter()
        .map(|n| ident(n))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn options_list<'a>(
    options: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> String {
    options
        .into_iter()
        .map(|(k, v)| format!("{}={}", option_key(k), option_value(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of parameters to `RESET`.
pub(super) fn option_keys(keys: &[String]) -> String {
    keys.iter()
        .map(|k| option_key(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A storage parameter's name; one of the TOAST table's is `toast.name`, a namespace and a
/// name (quoted apart).
fn option_key(key: &str) -> String {
    match key.split_once('.') {
        Some((namespace, name)) => format!("{}.{}", ident(namespace), ident(name)),
        None => ident(key),
    }
}

/// Storage parameter values are printed bare when they are simple words or numbers.
fn option_value(v: &str) -> String {
    if !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        v.to_string()
    } else {
        literal(v)
    }
}

pub(super) fn include_clause(include: &[String]) -> String {
    if include.is_empty() {
        String::new()
    } else {
        format!(" INCLUDE ({})", ident_list(include))
    }
}

/// An index expression in parentheses, unless it already is wholly inside one pair.
pub(super) fn parenthesized(expr: &str) -> String {
    let wrapped = crate::sqltext::reprint::wholly_parenthesized(expr);
    if wrapped {
        expr.to_string()
    } else {
        format!("({expr})")
    }
}

/// `body` between dollar quotes tagged `$name$` (or `$name1$`, `$name2$` …): the first tag for
/// which PostgreSQL's scanner finds the closing quote exactly at the end. The tag may not occur
/// in the body, nor begin in it and end in the closing quote (a body ending in `$name` would
/// otherwise close the quote early, and what followed would run as SQL of its own).
pub(super) fn dollar_quoted(name: &str, body: &str) -> String {
    let mut tag = format!("${name}$");
    let mut n = 0;
    while format!("{body}{}", &tag[..tag.len() - 1]).contains(&tag) {
        n += 1;
        tag = format!("${name}{n}$");
    }
    format!("{tag}{body}{tag}")
}
