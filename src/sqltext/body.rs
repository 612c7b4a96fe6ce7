//! Names that SQL text mentions, for dependencies PostgreSQL does not record: a PL/pgSQL or
//! (non-atomic) SQL function body is stored as a string, so `pg_depend` knows nothing of the
//! tables it reads or the functions it calls. Pure.
//!
//! The scan is lexical (on `tokenize`): comments and string literals are skipped, identifiers
//! are collected with their qualifier. It finds more names than the body uses (a variable named like a table
//! counts), which only ever adds an ordering preference, never a change.

use super::tokenize::{Kind, Lexer, Token, tokenize};

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
/// The text of a dollar-quoted string inside it (dynamic SQL: `EXECUTE $q$ … $q$`) is read like
/// the text around it.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut scan = MentionScan::default();
    // Dollar quotes nest to any depth the text allows: a stack, not recursion.
    let mut stack = vec![Lexer::new(text)];
    while let Some(lexer) = stack.last_mut() {
        let source = lexer.source();
        let Some(token) = lexer.next() else {
            stack.pop();
            continue;
        };
        if token.kind == Kind::DollarString {
            scan.qualifier = None;
            scan.dot_pending = false;
            stack.push(Lexer::new(token.body(source)));
            continue;
        }
        scan.token(source, token);
    }
    scan.out
}

/// The state of reading mentions, token by token.
#[derive(Default)]
struct MentionScan {
    out: Vec<Mention>,
    /// The identifier just read when a `.` follows it (then it qualifies the next one).
    qualifier: Option<String>,
    /// Whether the `.` after that qualifier is still to be passed over.
    dot_pending: bool,
    /// The last two words read (unqualified identifiers), nearest first.
    words: [Option<String>; 2],
}

impl MentionScan {
    fn token(&mut self, source: &str, token: Token) {
        let dot_pending = std::mem::take(&mut self.dot_pending);
        let name = match token.kind {
            Kind::Word => token.text(source).to_lowercase(),
            Kind::QuotedIdent => token.value(source),
            Kind::Whitespace => return,
            // The `.` between a qualifier and its name.
            Kind::Punct if dot_pending && token.text(source) == "." => return,
            Kind::String => {
                self.out.extend(literal_name(&token.value(source)));
                self.qualifier = None;
                return;
            }
            _ => {
                self.qualifier = None;
                return;
            }
        };
        // A `.` right after the identifier makes it the qualifier of the next one.
        let dotted = source[token.end..].starts_with('.');
        let schema = self.qualifier.take();
        let qualified = schema.is_some();
        if dotted {
            // The qualifier of the next name, not a name of its own.
            if qualified {
                self.out.push(Mention {
                    schema,
                    name: name.clone(),
                    after: self.words.clone(),
                    in_literal: false,
                });
            }
            self.qualifier = Some(name);
            self.dot_pending = true;
        } else {
            self.out.push(Mention {
                schema,
                name: name.clone(),
                after: self.words.clone(),
                in_literal: false,
            });
            if !qualified {
                self.words = [Some(name), self.words[0].take()];
            }
        }
    }
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
    let tokens = tokenize(arguments);
    let mut parts = Vec::new();
    let mut depth = 0usize;
    // Each argument up to its default (`DEFAULT …` or `= …`), if it has one.
    let mut start = 0;
    let mut cut: Option<usize> = None;
    for t in &tokens {
        let text = t.text(arguments);
        match t.kind {
            Kind::Punct if matches!(text, "(" | "[") => depth += 1,
            Kind::Punct if matches!(text, ")" | "]") => depth = depth.saturating_sub(1),
            Kind::Punct if text == "," && depth == 0 => {
                parts.push(&arguments[start..cut.unwrap_or(t.start)]);
                start = t.end;
                cut = None;
            }
            Kind::Word if depth == 0 && text.eq_ignore_ascii_case("default") => {
                cut.get_or_insert(t.start);
            }
            Kind::Operator if depth == 0 && text == "=" => {
                cut.get_or_insert(t.start);
            }
            _ => {}
        }
    }
    parts.push(&arguments[start..cut.unwrap_or(arguments.len())]);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
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

    #[test]
    fn dynamic_sql_in_dollar_quotes_is_read_like_the_body() {
        let found = mentions("BEGIN EXECUTE $q$ DELETE FROM audit.log WHERE at < now() $q$; END");
        let log = found.iter().find(|m| m.name == "log").unwrap();
        assert_eq!(log.schema.as_deref(), Some("audit"));
        assert!(log.written());
        // The tag is not a name.
        assert!(!found.iter().any(|m| m.name.contains('q')));
        assert_eq!(
            names("PERFORM $a$ x $b$ y.z $b$ $a$, w"),
            vec!["perform", "x", "y.z", "w"]
        );
    }

    #[test]
    fn lexical_corners_are_skipped_uniformly() {
        // Nested comments, escaped quotes in E'' strings, numbers with exponents, parameters.
        assert_eq!(
            names("/* a /* b */ c.d */ x + E'it\\'s a.b' + 1e5 + $1 + y"),
            vec!["x", "y"]
        );
        // An E'' literal that is a name still counts.
        assert_eq!(names("nextval(E'app.ids')"), vec!["nextval", "app.ids"]);
        // Letters of any script are name characters, as in PostgreSQL.
        assert_eq!(names("SELECT * FROM café"), vec!["select", "from", "café"]);
    }

    #[test]
    fn defaults_are_cut_where_the_tokens_say() {
        assert_eq!(
            without_defaults(
                "\"a=b\" int, c text DEFAULT'x', d int DEFAULT f(1, 2), e text = 'p,q'"
            ),
            "\"a=b\" int, c text, d int, e text"
        );
        assert_eq!(
            without_defaults("a int /* , */, b int -- , c\n"),
            "a int /* , */, b int -- , c"
        );
    }
}
