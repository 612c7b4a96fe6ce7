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
    fn leaves_other_text_alone() {
        assert_eq!(pin_array_casts("(x = ANY (ARRAY[1, 2]))"), None);
        assert_eq!(pin_array_casts("'(ARRAY[''a''::text])::text[]'"), None);
        assert_eq!(
            pin_array_casts("((ARRAY['a'::text, 'b'::character varying])::text[])"),
            None
        );
    }
}
