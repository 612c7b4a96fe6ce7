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
    /// The two words before it, nearest first (`DELETE FROM t` → `from`, `delete`).
    pub after: [Option<String>; 2],
    /// Found as the whole content of a string literal (`nextval('seq')`, `'t'::regclass`).
    pub in_literal: bool,
}

impl Mention {
    /// The objects it may stand for, in lookup order: as written when qualified, else in
    /// `own_schema` (the function's), then `public`, as the README says names resolve.
    pub fn candidates(&self, own_schema: &str) -> Vec<crate::model::QualName> {
        let schemas = match &self.schema {
            Some(s) => vec![s.as_str()],
            None => vec![own_schema, "public"],
        };
        schemas
            .into_iter()
            .map(|s| crate::model::QualName::new(s, self.name.clone()))
            .collect()
    }

    /// Whether the statement around it writes to it (`INSERT INTO`, `UPDATE`, `DELETE FROM`,
    /// `MERGE INTO`), which makes PostgreSQL lock it ROW EXCLUSIVE when parsing.
    pub fn written(&self) -> bool {
        matches!(
            (self.after[0].as_deref(), self.after[1].as_deref()),
            (Some("update"), _)
                | (Some("into"), Some("insert" | "merge"))
                | (Some("from"), Some("delete"))
        )
    }
}

/// Every identifier of `text`, with the qualifier written before it, in order of appearance.
pub fn mentions(text: &str) -> Vec<Mention> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    // The identifier just read and whether a `.` follows it (then it qualifies the next one).
    let mut qualifier: Option<String> = None;
    // The last two words read (unqualified identifiers), nearest first.
    let mut words: [Option<String>; 2] = [None, None];
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
            let start = i + 1;
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
            let content: String = chars[start..i.min(chars.len())].iter().collect();
            out.extend(literal_name(&content));
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
                let schema = qualifier.take();
                let qualified = schema.is_some();
                if dotted {
                    // The qualifier of the next name, not a name of its own.
                    if qualified {
                        out.push(Mention {
                            schema,
                            name: name.clone(),
                            after: words.clone(),
                            in_literal: false,
                        });
                    }
                    qualifier = Some(name);
                    i += 1;
                } else {
                    out.push(Mention {
                        schema,
                        name: name.clone(),
                        after: words.clone(),
                        in_literal: false,
                    });
                    if !qualified {
                        words = [Some(name), words[0].take()];
                    }
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

/// A literal whose whole content is a name (`'seq'`, `'app.seq'`), as regclass literals are.
fn literal_name(content: &str) -> Option<Mention> {
    let simple = |p: &str| {
        let mut chars = p.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$')
    };
    let (schema, name) = match content.split_once('.') {
        Some((s, n)) => (Some(s), n),
        None => (None, content),
    };
    (schema.is_none_or(simple) && simple(name)).then(|| Mention {
        schema: schema.map(String::from),
        name: name.to_string(),
        after: [None, None],
        in_literal: true,
    })
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
                "BEGIN -- reads audit.log\n INSERT INTO app.\"Events\" SELECT * FROM t WHERE x = 'a b'; /* c.d */ END"
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
    fn literals_that_are_names_count() {
        assert_eq!(
            names("SELECT nextval('app.ids'), 'a b', 'x'::regclass"),
            vec!["select", "nextval", "app.ids", "x", "regclass"]
        );
    }

    #[test]
    fn writes_are_told_from_reads() {
        let written: Vec<String> = mentions(
            "INSERT INTO a SELECT * FROM b; UPDATE c SET x = 1; DELETE FROM d; MERGE INTO e",
        )
        .into_iter()
        .filter(|m| m.written())
        .map(|m| m.name)
        .collect();
        assert_eq!(written, vec!["a", "c", "d", "e"]);
    }

    #[test]
    fn a_qualifier_applies_only_to_the_next_name() {
        assert_eq!(names("a.b c"), vec!["a.b", "c"]);
        assert_eq!(names("x.y.z"), vec!["x.y", "y.z"]);
        assert_eq!(names("f(a) . b"), vec!["f", "a", "b"]);
    }
}
