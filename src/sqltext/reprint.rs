//! Rewrites of PostgreSQL's printed SQL that parse back to the tree it was printed from.
//! Pure text work; the shadow database verifies every rewrite before it is used.

use super::tokenize::{self, Kind, Token, tokenize};

/// `(ARRAY['a'::character varying, 'b'::character varying])::text[]` is how PostgreSQL prints
/// `col IN ('a', 'b')` on a varchar column, but parsing that text pushes the outer cast into
/// each element. Pinning the array's own type first, `(ARRAY[…]::character varying[])::text[]`,
/// keeps the array cast where it was. Returns `None` when the text has no such array.
pub fn pin_array_casts(sql: &str) -> Option<String> {
    let tokens = tokenize(sql);
    let mut out = String::with_capacity(sql.len() + 32);
    let mut changed = false;
    // `sql[..copied]` is in `out`.
    let mut copied = 0;
    let mut k = 0;
    while k < tokens.len() {
        if !(tokens[k].is_punct(sql, "(") && sql[tokens[k].start..].starts_with("(ARRAY[")) {
            k += 1;
            continue;
        }
        // `(`, `ARRAY`, then the `[`.
        let open = k + 2;
        let Some(close) = matching_bracket(sql, &tokens, open) else {
            break;
        };
        let close_at = tokens[close].start;
        out.push_str(&sql[copied..=close_at]);
        copied = close_at + 1;
        let elements = &sql[tokens[open].end..close_at];
        if sql[copied..].starts_with(")::") {
            if let Some(elem) = common_element_type(elements) {
                out.push_str("::");
                out.push_str(elem);
                out.push_str("[]");
                changed = true;
            }
        }
        k = close + 1;
    }
    out.push_str(&sql[copied..]);
    changed.then_some(out)
}

/// The length of `text` up to the `)` that closes a `(` just before it (quotes, dollar quotes
/// and comments respected).
pub fn closing_paren(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for t in tokenize(text) {
        if t.is_punct(text, "(") {
            depth += 1;
        } else if t.is_punct(text, ")") {
            match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return Some(t.start),
            }
        }
    }
    None
}

/// Whether `expr` is wholly inside one pair of parentheses: `(a + b)`, not `(a) + (b)`.
pub fn wholly_parenthesized(expr: &str) -> bool {
    expr.starts_with('(') && closing_paren(&expr[1..]).is_some_and(|end| end + 2 == expr.len())
}

/// The token index of the `]` closing the `[` at token `open`; `None` when a `)` closes it.
fn matching_bracket(sql: &str, tokens: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (j, t) in tokens.iter().enumerate().skip(open) {
        if t.kind != Kind::Punct {
            continue;
        }
        match t.text(sql) {
            "[" | "(" => depth += 1,
            closer @ ("]" | ")") => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return (closer == "]").then_some(j);
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` cut at its top-level commas (outside parentheses, brackets and quotes), each part
/// trimmed.
fn top_level_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for t in tokenize(text) {
        if t.kind != Kind::Punct {
            continue;
        }
        match t.text(text) {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            "," if depth == 0 => {
                parts.push(text[start..t.start].trim());
                start = t.end;
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts
}

/// The type every element is cast to (`'x'::T, 'y'::T` → `T`), if they all share one.
fn common_element_type(elements: &str) -> Option<&str> {
    let mut common: Option<&str> = None;
    for part in top_level_parts(elements) {
        // Each element must be a plain literal (or NULL) with one cast: `'…'::type`.
        let literal_end = if part.starts_with('\'') {
            tokenize::first(part).map_or(part.len(), |t| t.end)
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
    let tokens = tokenize(constraint);
    // `satisfies_hash_partition`, `(`, `'<digits>'`, `::`, `oid`, with nothing between.
    let found = tokens.windows(5).find(|w| {
        w[0].kind == Kind::Word
            && w[0].text(constraint) == "satisfies_hash_partition"
            && w[1].is_punct(constraint, "(")
            && w[2].kind == Kind::String
            && w[2].text(constraint).starts_with('\'')
            && w[2].value(constraint).bytes().all(|b| b.is_ascii_digit())
            && w[3].is_punct(constraint, "::")
            && w[4].kind == Kind::Word
            && w[4].text(constraint) == "oid"
    });
    let Some(call) = found else {
        return constraint.to_string();
    };
    format!(
        "{}satisfies_hash_partition({}{}",
        &constraint[..call[0].start],
        crate::model::quote::regclass_oid(parent),
        &constraint[call[4].end..]
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

/// The name an identifier token stands for: a word as written (printed SQL folds nothing
/// that is not already folded), a quoted identifier unquoted.
fn ident_name(sql: &str, t: &Token) -> Option<String> {
    match t.kind {
        Kind::Word => Some(t.text(sql).to_string()),
        Kind::QuotedIdent => Some(t.value(sql)),
        _ => None,
    }
}

/// The nearest token before (`step` -1) or after (+1) token `k` that is not white space or a
/// comment.
fn neighbour(tokens: &[Token], k: usize, step: isize) -> Option<&Token> {
    let mut j = k as isize + step;
    while j >= 0 && (j as usize) < tokens.len() {
        let t = &tokens[j as usize];
        if !t.is_trivia() {
            return Some(t);
        }
        j += step;
    }
    None
}

/// Printed SQL of a table's expression (a default, a check, an index expression) after a
/// column of the table is renamed: every unqualified identifier `old` that is not a function
/// name becomes `new`, quoted as PostgreSQL prints it.
pub fn rename_column(sql: &str, old: &str, new: &str) -> String {
    let tokens = tokenize(sql);
    let mut out = String::with_capacity(sql.len());
    for (k, token) in tokens.iter().enumerate() {
        let text = token.text(sql);
        let before = neighbour(&tokens, k, -1);
        // `x::date` names a type, not a column `date`.
        let after_cast = before.is_some_and(|b| b.is_punct(sql, "::"));
        // `t.price` is another table's column.
        let after_dot = before.is_some_and(|b| {
            matches!(b.kind, Kind::Punct | Kind::Number) && b.text(sql).ends_with('.')
        });
        let called = neighbour(&tokens, k, 1).is_some_and(|a| a.is_punct(sql, "("));
        let hit = ident_name(sql, token).is_some_and(|name| name == old)
            && !after_cast
            && !after_dot
            && !called;
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
    for (k, token) in tokens.iter().enumerate() {
        let text = token.text(sql);
        let qualified_hit = ident_name(sql, token).is_some_and(|name| name == old)
            && k >= 2
            && tokens[k - 1].is_punct(sql, ".")
            && ident_name(sql, &tokens[k - 2]).is_some_and(|name| name == schema);
        let literal_hit = token.kind == Kind::String && token.value(sql) == old_literal;
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

/// Printed SQL after the objects of an extension moved from schema `from` to `to` (`ALTER
/// EXTENSION … SET SCHEMA`): the qualified name `from.member` (`member` a type, function or
/// operator symbol) names `to.member`, where it stands as a whole name, not as the tail of a
/// longer dotted name. Inside a string literal (`'public.citext'::regtype`) the name is
/// replaced wherever it stands as a whole name; quoted identifiers and comments are left alone.
pub fn relocate(sql: &str, from: &str, to: &str, member: &str) -> String {
    // Operators are printed bare (`OPERATOR(public.->)`), everything else as an identifier.
    let printed = if tokenize::is_operator_symbol(member) {
        member.to_string()
    } else {
        crate::model::quote::ident(member)
    };
    let (from, to) = (
        crate::model::quote::ident(from),
        crate::model::quote::ident(to),
    );
    let tokens = tokenize(sql);
    let mut out = String::with_capacity(sql.len());
    // `sql[..copied]` is in `out`.
    let mut copied = 0;
    for (k, t) in tokens.iter().enumerate() {
        if t.kind == Kind::String {
            let old = format!("{from}.{printed}");
            out.push_str(&sql[copied..t.start]);
            out.push_str(&replace_whole_names(
                t.text(sql),
                &old,
                &format!("{to}.{printed}"),
            ));
            copied = t.end;
            continue;
        }
        let schema_here = matches!(t.kind, Kind::Word | Kind::QuotedIdent) && t.text(sql) == from;
        let member_next = tokens.get(k + 1).is_some_and(|d| d.is_punct(sql, "."))
            && tokens.get(k + 2).is_some_and(|m| {
                matches!(m.kind, Kind::Word | Kind::QuotedIdent | Kind::Operator)
                    && m.text(sql) == printed
            });
        // Not the tail of `a.from.member`, nor glued to a name before or after it.
        let glued_before = k
            .checked_sub(1)
            .and_then(|b| tokens[b].text(sql).chars().next_back())
            .is_some_and(is_name_char);
        let glued_after = sql[tokens.get(k + 2).map_or(sql.len(), |m| m.end)..]
            .chars()
            .next()
            .is_some_and(|c| is_name_char(c) && c != '.');
        if schema_here && member_next && !glued_before && !glued_after {
            out.push_str(&sql[copied..t.start]);
            out.push_str(&to);
            copied = t.end;
        }
    }
    out.push_str(&sql[copied..]);
    out
}

/// A character that continues a (possibly quoted or qualified) name.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '$' | '"' | '.')
}

/// `text` with `old` replaced by `new` wherever `old` is not glued to a name before or after it.
fn replace_whole_names(text: &str, old: &str, new: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(old) {
        let before = rest[..pos].chars().next_back();
        let after = rest[pos + old.len()..].chars().next();
        out.push_str(&rest[..pos]);
        if before.is_some_and(is_name_char) || after.is_some_and(|c| is_name_char(c) && c != '.') {
            out.push_str(old);
        } else {
            out.push_str(new);
        }
        rest = &rest[pos + old.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod rename_tests {
    use super::*;

    #[test]
    fn numbers_and_escaped_strings_are_not_names() {
        // `1e+20` is a number, not `1`, a column `e` and `+20`.
        assert_eq!(rename_column("(e < 1e+20)", "e", "f"), "(f < 1e+20)");
        assert_eq!(
            identifiers("((a)::text = E'x\\'y') AND b"),
            ["a", "text", "AND", "b"]
        );
        assert_eq!(
            rename_qualified(
                "nextval(E'public.t_id_seq'::regclass)",
                "public",
                "t_id_seq",
                "u_id_seq"
            ),
            "nextval('public.u_id_seq'::regclass)"
        );
    }

    #[test]
    fn moved_extension_names_are_relocated_as_whole_names() {
        assert_eq!(
            relocate(
                &relocate(
                    "(a OPERATOR(public.->) 'x'::public.citext) AND mypublic.citext_x(b)",
                    "public",
                    "extensions",
                    "citext"
                ),
                "public",
                "extensions",
                "->"
            ),
            "(a OPERATOR(extensions.->) 'x'::extensions.citext) AND mypublic.citext_x(b)"
        );
        // A literal naming it follows; `<` is not `<>`; a longer dotted name, a quoted name
        // and a comment stay.
        assert_eq!(
            relocate(
                "'public.citext[]'::regtype, x.public.citext, \"public.citext\" /* public.citext */",
                "public",
                "ext",
                "citext"
            ),
            "'ext.citext[]'::regtype, x.public.citext, \"public.citext\" /* public.citext */"
        );
        assert_eq!(
            relocate("a OPERATOR(public.<>) b", "public", "ext", "<"),
            "a OPERATOR(public.<>) b"
        );
        assert_eq!(
            relocate(
                "\"My Schema\".\"Odd Type\"[]",
                "My Schema",
                "ext",
                "Odd Type"
            ),
            "ext.\"Odd Type\"[]"
        );
    }

    #[test]
    fn parentheses_are_matched_outside_quotes_and_comments() {
        assert_eq!(closing_paren("a /* ) */ ')' $$)$$ b) c"), Some(21));
        assert_eq!(closing_paren("(a) b"), None);
        for (expr, wrapped) in [
            ("(a)", true),
            ("((a) + (b))", true),
            ("(')(')", true),
            ("(a) + (b)", false),
            ("(a) ", false),
            ("(", false),
            ("", false),
            ("a", false),
        ] {
            assert_eq!(wholly_parenthesized(expr), wrapped, "{expr}");
        }
    }

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
        .iter()
        .filter_map(|t| ident_name(sql, t))
        .collect()
}

/// Printed SQL with the schema `from` called `to` (a tenant's schema and its template): every
/// name qualified by it (`from.accounts`, `"from".f(integer)`), where the schema stands first
/// in its dotted name; a string literal that starts with it (`'from.accounts'::regclass`); and
/// the same inside dollar-quoted bodies. Anything else named `from` — a column, a table, a
/// word in a comment — stays.
pub fn rename_schema(sql: &str, from: &str, to: &str) -> String {
    let quoted_from = format!("{}.", crate::model::quote::ident(from));
    let tokens = tokenize(sql);
    let mut out = String::with_capacity(sql.len());
    for (k, t) in tokens.iter().enumerate() {
        let text = t.text(sql);
        let qualifies = ident_name(sql, t).is_some_and(|n| n == from)
            && tokens.get(k + 1).is_some_and(|d| d.is_punct(sql, "."))
            && !(k > 0 && tokens[k - 1].is_punct(sql, "."));
        if qualifies {
            out.push_str(&crate::model::quote::ident(to));
        } else if t.kind == Kind::String && t.terminated {
            let value = t.value(sql);
            match value.strip_prefix(&quoted_from) {
                Some(rest) => out.push_str(&crate::model::quote::literal(&format!(
                    "{}.{rest}",
                    crate::model::quote::ident(to)
                ))),
                None => out.push_str(text),
            }
        } else if t.kind == Kind::DollarString && t.terminated {
            let body = t.body(sql);
            let start = body.as_ptr() as usize - text.as_ptr() as usize;
            out.push_str(&text[..start]);
            out.push_str(&rename_schema(body, from, to));
            out.push_str(&text[start + body.len()..]);
        } else {
            out.push_str(text);
        }
    }
    out
}

#[cfg(test)]
mod rename_schema_tests {
    use super::rename_schema;

    #[test]
    fn names_qualified_by_the_schema_are_renamed_and_nothing_else() {
        assert_eq!(
            rename_schema(
                "nextval('tenant.s'::regclass) + tenant.f(tenant) -- tenant.x\n",
                "tenant",
                "acme"
            ),
            "nextval('acme.s'::regclass) + acme.f(tenant) -- tenant.x\n"
        );
        assert_eq!(
            rename_schema("SELECT a.tenant.b, \"tenant\".t.c", "tenant", "Big Co"),
            "SELECT a.tenant.b, \"Big Co\".t.c"
        );
        assert_eq!(
            rename_schema("AS $f$ SELECT * FROM tenant.t $f$", "tenant", "acme"),
            "AS $f$ SELECT * FROM acme.t $f$"
        );
        assert_eq!(rename_schema("'tenant'", "tenant", "acme"), "'tenant'");
    }
}
