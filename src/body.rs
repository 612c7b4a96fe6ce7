//! Names that SQL text mentions, for dependencies PostgreSQL does not record: a PL/pgSQL or
//! (non-atomic) SQL function body is stored as a string, so `pg_depend` knows nothing of the
//! tables it reads or the functions it calls. Pure.
//!
//! The scan is lexical: comments and string literals are skipped, identifiers are collected
//! with their qualifier. It finds more names than the body uses (a variable named like a table
//! counts), which only ever adds an ordering preference, never a change.

/// A name as written: `schema.name` or a bare `name` (identifiers folded to lower case unless
/// quoted).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mention {
    pub schema: Option<String>,
    pub name: String,
}

/// Every identifier of `text`, with the qualifier written before it, in order of appearance.
pub fn mentions(text: &str) -> Vec<Mention> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    // The identifier just read and whether a `.` follows it (then it qualifies the next one).
    let mut qualifier: Option<String> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '-' && next == Some('-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            qualifier = None;
            continue;
        }
        if c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
            qualifier = None;
            continue;
        }
        if c == '\'' {
            // A literal; `E'…'` escapes are rare in bodies and only shorten what is skipped.
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
            qualifier = None;
            continue;
        }
        let ident = if c == '"' {
            let mut name = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '"' {
                    if chars.get(i + 1) == Some(&'"') {
                        name.push('"');
                        i += 2;
                        continue;
                    }
                    break;
                }
                name.push(chars[i]);
                i += 1;
            }
            i += 1;
            Some(name)
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            Some(chars[start..i].iter().collect::<String>().to_lowercase())
        } else {
            None
        };
        match ident {
            Some(name) => {
                // A `.` right after the identifier makes it the qualifier of the next one.
                let dotted = chars.get(i) == Some(&'.');
                match qualifier.take() {
                    Some(schema) => out.push(Mention {
                        schema: Some(schema),
                        name: name.clone(),
                    }),
                    None => out.push(Mention {
                        schema: None,
                        name: name.clone(),
                    }),
                }
                if dotted {
                    qualifier = Some(name);
                    i += 1;
                }
            }
            None => {
                if !c.is_whitespace() {
                    qualifier = None;
                }
                i += 1;
            }
        }
    }
    out
}

/// An argument list without its defaults (`a integer, b text DEFAULT 'x'` → `a integer, b
/// text`): what names a function in `COMMENT ON` and `DROP`, which take no defaults.
pub fn without_defaults(arguments: &str) -> String {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut quote: Option<char> = None;
    for (i, c) in arguments.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[') => depth += 1,
            (None, ')' | ']') => depth = depth.saturating_sub(1),
            (None, ',') if depth == 0 => {
                parts.push(&arguments[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&arguments[start..]);
    parts
        .into_iter()
        .map(|p| {
            let upper = p.to_ascii_uppercase();
            let cut = [" DEFAULT ", "="]
                .iter()
                .filter_map(|m| upper.find(m))
                .min()
                .unwrap_or(p.len());
            p[..cut].trim().to_string()
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        mentions(text)
            .into_iter()
            .map(|m| match m.schema {
                Some(s) => format!("{s}.{}", m.name),
                None => m.name,
            })
            .collect()
    }

    #[test]
    fn finds_qualified_and_bare_names_outside_literals_and_comments() {
        assert_eq!(
            names(
                "BEGIN -- reads audit.log\n INSERT INTO app.\"Events\" SELECT * FROM t WHERE x = 'a.b'; /* c.d */ END"
            ),
            vec![
                "begin",
                "insert",
                "into",
                "app.Events",
                "select",
                "from",
                "t",
                "where",
                "x",
                "end"
            ]
        );
    }

    #[test]
    fn defaults_are_cut_from_argument_lists() {
        assert_eq!(
            without_defaults("a integer, b text DEFAULT 'x, y', c numeric(10,2) = 1"),
            "a integer, b text, c numeric(10,2)"
        );
        assert_eq!(without_defaults(""), "");
    }

    #[test]
    fn a_qualifier_applies_only_to_the_next_name() {
        assert_eq!(names("a.b c"), vec!["a.b", "c"]);
        assert_eq!(names("x.y.z"), vec!["x.y", "y.z"]);
        assert_eq!(names("f(a) . b"), vec!["f", "a", "b"]);
    }
}
