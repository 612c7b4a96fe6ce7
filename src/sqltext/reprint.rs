//! Rewrites of PostgreSQL's printed SQL that parse back to the tree it was printed from.
//! Pure text work; the shadow database verifies every rewrite before it is used.

/// `(ARRAY['a'::character varying, 'b'::character varying])::text[]` is how PostgreSQL prints
/// `col IN ('a', 'b')` on a varchar column, but parsing that text pushes the outer cast into
/// each element. Pinning the array's own type first, `(ARRAY[…]::character varying[])::text[]`,
/// keeps the array cast where it was. Returns `None` when the text has no such array.
pub fn pin_array_casts(sql: &str) -> Option<String> {
    let mut out = String::with_capacity(sql.len() + 32);
    let mut changed = false;
    let mut i = 0;
    let b = sql.as_bytes();
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                let end = skip_quoted(b, i);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'(' if sql[i..].starts_with("(ARRAY[") => {
                let open = i + "(ARRAY".len();
                let Some(close) = matching_bracket(b, open) else {
                    out.push_str(&sql[i..]);
                    break;
                };
                let rest = &sql[close + 1..];
                let elements = &sql[open + 1..close];
                match (rest.starts_with(")::"), common_element_type(elements)) {
                    (true, Some(elem)) => {
                        out.push_str(&sql[i..=close]);
                        out.push_str("::");
                        out.push_str(elem);
                        out.push_str("[]");
                        changed = true;
                    }
                    _ => out.push_str(&sql[i..=close]),
                }
                i = close + 1;
            }
            _ => {
                let c = sql[i..].chars().next().expect("in bounds");
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    changed.then_some(out)
}

/// Index just past a quoted literal or identifier starting at `start` (doubled quotes escape).
fn skip_quoted(b: &[u8], start: usize) -> usize {
    let q = b[start];
    let mut i = start + 1;
    while i < b.len() {
        if b[i] == q {
            if b.get(i + 1) == Some(&q) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// The length of `text` up to the `)` that closes a `(` just before it (quotes respected).
pub fn closing_paren(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                i = skip_quoted(b, i);
                continue;
            }
            b'(' => depth += 1,
            b')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return Some(i),
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// The `]` closing the `[` at `open`.
fn matching_bracket(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = open;
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                i = skip_quoted(b, i);
                continue;
            }
            b'[' | b'(' => depth += 1,
            b']' | b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (b[i] == b']').then_some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The type every element is cast to (`'x'::T, 'y'::T` → `T`), if they all share one.
fn common_element_type(elements: &str) -> Option<&str> {
    let b = elements.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i) = (0usize, 0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'\'' | b'"' => {
                i = skip_quoted(b, i);
                continue;
            }
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b',' if depth == 0 => {
                parts.push(elements[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    parts.push(elements[start..].trim());
    let mut common: Option<&str> = None;
    for part in parts {
        // Each element must be a plain literal (or NULL) with one cast: `'…'::type`.
        let literal_end = if part.starts_with('\'') {
            skip_quoted(part.as_bytes(), 0)
        } else if part.starts_with("NULL::") {
            "NULL".len()
        } else {
            return None;
        };
        let ty = part[literal_end..].strip_prefix("::")?;
        if ty.is_empty() || ty.contains("::") {
            return None;
        }
        match common {
            None => common = Some(ty),
            Some(c) if c == ty => {}
            Some(_) => return None,
        }
    }
    common
}

/// A hash partition's constraint, `satisfies_hash_partition('16397'::oid, 4, 0, id)`, names its
/// parent by oid, which differs between databases; this names it by `regclass`
/// (`('public.events'::regclass)::oid`), which PostgreSQL folds to the same constant when it
/// proves that a CHECK of the table implies the constraint.
pub fn hash_parent_by_name(constraint: &str, parent: &crate::model::QualName) -> String {
    const CALL: &str = "satisfies_hash_partition('";
    let Some(start) = constraint.find(CALL) else {
        return constraint.to_string();
    };
    let digits_at = start + CALL.len();
    let digits = constraint[digits_at..]
        .bytes()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let rest = &constraint[digits_at + digits..];
    let Some(after) = rest.strip_prefix("'::oid") else {
        return constraint.to_string();
    };
    format!(
        "{}satisfies_hash_partition({}{after}",
        &constraint[..start],
        crate::model::quote::regclass_oid(parent)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_varchar_arrays() {
        let printed = "((status)::text = ANY ((ARRAY['a'::character varying, 'b, c'::character varying])::text[]))";
        assert_eq!(
            pin_array_casts(printed).unwrap(),
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b, c'::character varying]::character varying[])::text[]))"
        );
    }

    #[test]
    fn pins_arrays_with_nulls() {
        assert_eq!(
            pin_array_casts(
                "(s = ANY ((ARRAY['a'::character varying, NULL::character varying])::text[]))"
            )
            .unwrap(),
            "(s = ANY ((ARRAY['a'::character varying, NULL::character varying]::character varying[])::text[]))"
        );
    }

    #[test]
    fn hash_partition_constraints_name_their_parent() {
        let parent = crate::model::QualName::new("Sales", "orders");
        assert_eq!(
            hash_parent_by_name("satisfies_hash_partition('16397'::oid, 4, 1, id)", &parent),
            "satisfies_hash_partition(('\"Sales\".orders'::regclass)::oid, 4, 1, id)"
        );
        assert_eq!(
            hash_parent_by_name("((created IS NOT NULL))", &parent),
            "((created IS NOT NULL))"
        );
        assert_eq!(
            identifiers("((\"Odd Name\" >= 'x'::text) AND (b IS NULL))"),
            ["Odd Name", "text", "AND", "b", "IS", "NULL"]
        );
    }

    #[test]
    fn leaves_other_text_alone() {
        assert_eq!(pin_array_casts("(x = ANY (ARRAY[1, 2]))"), None);
        assert_eq!(pin_array_casts("'(ARRAY[''a''::text])::text[]'"), None);
        assert_eq!(
            pin_array_casts("((ARRAY['a'::text, 'b'::character varying])::text[])"),
            None
        );
    }
}

/// A piece of printed SQL.
#[derive(Debug)]
enum Token {
    /// An identifier, bare or quoted, and the name it stands for.
    Ident { len: usize, name: String },
    /// A string literal and its content.
    Literal { len: usize, content: String },
    /// Anything else: one character.
    Other { len: usize },
}

fn tokenize(sql: &str) -> Vec<(usize, Token)> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = sql[i..].chars().next().expect("in bounds");
        let token = match c {
            '\'' => {
                let end = skip_quoted(b, i);
                let inner = &sql[i + 1..end.saturating_sub(1).max(i + 1)];
                Token::Literal {
                    len: end - i,
                    content: inner.replace("''", "'"),
                }
            }
            '"' => {
                let end = skip_quoted(b, i);
                let inner = &sql[i + 1..end.saturating_sub(1).max(i + 1)];
                Token::Ident {
                    len: end - i,
                    name: inner.replace("\"\"", "\""),
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let len = sql[i..]
                    .char_indices()
                    .find(|(_, ch)| !(ch.is_alphanumeric() || *ch == '_' || *ch == '$'))
                    .map_or(sql.len() - i, |(n, _)| n);
                Token::Ident {
                    len,
                    name: sql[i..i + len].to_string(),
                }
            }
            c => Token::Other { len: c.len_utf8() },
        };
        let len = match &token {
            Token::Ident { len, .. } | Token::Literal { len, .. } | Token::Other { len } => *len,
        };
        out.push((i, token));
        i += len;
    }
    out
}

/// The index of the nearest token before (`step` -1) or after (+1) `k` that is not white
/// space.
fn neighbour(sql: &str, tokens: &[(usize, Token)], k: usize, step: isize) -> Option<usize> {
    let mut j = k as isize + step;
    while j >= 0 && (j as usize) < tokens.len() {
        let (at, t) = &tokens[j as usize];
        match t {
            Token::Other { len } if sql[*at..at + len].trim().is_empty() => j += step,
            _ => return Some(j as usize),
        }
    }
    None
}

/// Whether token `k` is the punctuation `c`.
fn is_char(sql: &str, tokens: &[(usize, Token)], k: Option<usize>, c: char) -> bool {
    k.is_some_and(|k| {
        matches!(tokens[k].1, Token::Other { .. }) && sql[tokens[k].0..].starts_with(c)
    })
}

/// Printed SQL of a table's expression (a default, a check, an index expression) after a
/// column of the table is renamed: every unqualified identifier `old` that is not a function
/// name becomes `new`, quoted as PostgreSQL prints it.
pub fn rename_column(sql: &str, old: &str, new: &str) -> String {
    let tokens = tokenize(sql);
    let mut out = String::with_capacity(sql.len());
    for (k, (at, token)) in tokens.iter().enumerate() {
        let text = &sql[*at..at + token_len(token)];
        let before = neighbour(sql, &tokens, k, -1);
        // `x::date` names a type, not a column `date`.
        let after_cast = is_char(sql, &tokens, before, ':')
            && is_char(sql, &tokens, before.and_then(|b| b.checked_sub(1)), ':');
        let hit = matches!(token, Token::Ident { name, .. } if name == old)
            && !after_cast
            && !is_char(sql, &tokens, before, '.')
            && !is_char(sql, &tokens, neighbour(sql, &tokens, k, 1), '(');
        if hit {
            out.push_str(&crate::model::quote::ident(new));
        } else {
            out.push_str(text);
        }
    }
    out
}

/// Printed SQL after the object `schema.old` (a type or a sequence) is renamed to `new`: the
/// qualified name `schema.old`, and a `'schema.old'::regclass` literal, name it anew.
pub fn rename_qualified(sql: &str, schema: &str, old: &str, new: &str) -> String {
    let tokens = tokenize(sql);
    let old_literal = format!(
        "{}.{}",
        crate::model::quote::ident(schema),
        crate::model::quote::ident(old)
    );
    let mut out = String::with_capacity(sql.len());
    for (k, (at, token)) in tokens.iter().enumerate() {
        let text = &sql[*at..at + token_len(token)];
        let qualified_hit = matches!(token, Token::Ident { name, .. } if name == old)
            && k >= 2
            && is_char(sql, &tokens, Some(k - 1), '.')
            && matches!(&tokens[k - 2].1, Token::Ident { name, .. } if name == schema);
        let literal_hit =
            matches!(token, Token::Literal { content, .. } if *content == old_literal);
        if qualified_hit {
            out.push_str(&crate::model::quote::ident(new));
        } else if literal_hit {
            out.push_str(&crate::model::quote::literal(&format!(
                "{}.{}",
                crate::model::quote::ident(schema),
                crate::model::quote::ident(new)
            )));
        } else {
            out.push_str(text);
        }
    }
    out
}

fn token_len(token: &Token) -> usize {
    match token {
        Token::Ident { len, .. } | Token::Literal { len, .. } | Token::Other { len } => *len,
    }
}

#[cfg(test)]
mod rename_tests {
    use super::*;

    #[test]
    fn columns_are_renamed_where_they_are_columns() {
        assert_eq!(
            rename_column(
                "((price > (0)::numeric) AND (price < lower(price)))",
                "price",
                "cost"
            ),
            "((cost > (0)::numeric) AND (cost < lower(cost)))"
        );
        // Not a string, a function, another table's column, or a longer name.
        assert_eq!(
            rename_column(
                "(price(x) || 'price' || t.price || prices)",
                "price",
                "cost"
            ),
            "(price(x) || 'price' || t.price || prices)"
        );
        assert_eq!(
            rename_column("(\"Price\" > 0)", "Price", "total cost"),
            "(\"total cost\" > 0)"
        );
        // A type named like the column stays a type.
        assert_eq!(
            rename_column("(date > '2020-01-01'::date)", "date", "day"),
            "(day > '2020-01-01'::date)"
        );
    }

    #[test]
    fn qualified_names_and_regclass_literals_follow_a_rename() {
        assert_eq!(
            rename_qualified("'happy'::public.mood", "public", "mood", "feeling"),
            "'happy'::public.feeling"
        );
        assert_eq!(
            rename_qualified(
                "nextval('public.t_id_seq'::regclass)",
                "public",
                "t_id_seq",
                "u_id_seq"
            ),
            "nextval('public.u_id_seq'::regclass)"
        );
        assert_eq!(
            rename_qualified("'mood'::text", "public", "mood", "feeling"),
            "'mood'::text"
        );
    }
}

/// The identifiers of printed SQL, in order (quoted ones unquoted; string literals skipped).
pub fn identifiers(sql: &str) -> Vec<String> {
    tokenize(sql)
        .into_iter()
        .filter_map(|(_, t)| match t {
            Token::Ident { name, .. } => Some(name),
            _ => None,
        })
        .collect()
}
