//! Reading SQL type names: enough to tell a built-in type from a user type, to find the enum a
//! column uses, and to strip modifiers when looking up casts. Pure string work, on `tokenize`.

use super::tokenize::{self, Kind, Token, tokenize};

/// Built-in type names (PostgreSQL 15's `pg_catalog` base, range and multirange types, plus the
/// SQL spellings the grammar accepts), lower case, modifiers removed.
const BUILTIN: &[&str] = &[
    "aclitem",
    "bigint",
    "bigserial",
    "bit",
    "bit varying",
    "bool",
    "boolean",
    "box",
    "bpchar",
    "bytea",
    "char",
    "character",
    "character varying",
    "cid",
    "cidr",
    "circle",
    "date",
    "datemultirange",
    "daterange",
    "dec",
    "decimal",
    "double precision",
    "float",
    "float4",
    "float8",
    "gtsvector",
    "inet",
    "int",
    "int2",
    "int2vector",
    "int4",
    "int4multirange",
    "int4range",
    "int8",
    "int8multirange",
    "int8range",
    "integer",
    "interval",
    "json",
    "jsonb",
    "jsonpath",
    "line",
    "lseg",
    "macaddr",
    "macaddr8",
    "money",
    "name",
    "national character",
    "national character varying",
    "nchar",
    "numeric",
    "nummultirange",
    "numrange",
    "oid",
    "oidvector",
    "path",
    "pg_lsn",
    "pg_snapshot",
    "point",
    "polygon",
    "real",
    "refcursor",
    "regclass",
    "regcollation",
    "regconfig",
    "regdictionary",
    "regnamespace",
    "regoper",
    "regoperator",
    "regproc",
    "regprocedure",
    "regrole",
    "regtype",
    "serial",
    "serial2",
    "serial4",
    "serial8",
    "smallint",
    "smallserial",
    "text",
    "tid",
    "time",
    "time with time zone",
    "time without time zone",
    "timestamp",
    "timestamp with time zone",
    "timestamp without time zone",
    "timestamptz",
    "timetz",
    "tsmultirange",
    "tsquery",
    "tsrange",
    "tstzmultirange",
    "tstzrange",
    "tsvector",
    "txid_snapshot",
    "uuid",
    "varbit",
    "varchar",
    "xid",
    "xid8",
    "xml",
];

/// A type name read from SQL text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeName {
    /// `None` for an unqualified name.
    pub schema: Option<String>,
    /// The name as PostgreSQL stores it (unquoted parts folded to lower case).
    pub name: String,
    pub array: bool,
    pub builtin: bool,
}

/// Reads a type name such as `varchar(100)`, `timestamp(3) with time zone`, `public."Mood"[]`.
pub fn parse(text: &str) -> Result<TypeName, String> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err("the type is empty".into());
    }
    let mut array = false;
    while let Some(stripped) = strip_array_suffix(rest) {
        rest = stripped;
        array = true;
    }
    if rest.contains('"') || rest.contains('.') {
        let (parts, tail) = identifier_chain(rest)?;
        let tail = tail.trim();
        if !(tail.is_empty() || tail.starts_with('(') && tail.ends_with(')')) {
            return Err(format!("unexpected `{tail}` after the type name"));
        }
        return match parts.as_slice() {
            [name] => Ok(TypeName {
                builtin: name == "char" && rest.starts_with('"'),
                schema: None,
                name: name.clone(),
                array,
            }),
            [schema, name] => Ok(TypeName {
                builtin: schema == "pg_catalog",
                schema: Some(schema.clone()),
                name: name.clone(),
                array,
            }),
            _ => Err("a type name has at most a schema and a name".into()),
        };
    }
    let base = base_words(rest);
    if BUILTIN.contains(&base.as_str()) || base.starts_with("interval ") {
        return Ok(TypeName {
            schema: None,
            name: base,
            array,
            builtin: true,
        });
    }
    // One unquoted name.
    let valid = tokenize::single(&base).is_some_and(|t| t.kind == Kind::Word);
    if !valid {
        return Err(format!("`{text}` is not a type name"));
    }
    Ok(TypeName {
        schema: None,
        name: base,
        array,
        builtin: false,
    })
}

/// The type without one array suffix (`[]`, `[3]`, ` ARRAY`), if it has one.
fn strip_array_suffix(text: &str) -> Option<&str> {
    let t = text.trim_end();
    let tokens = tokenize(t);
    let (last, before) = tokens.split_last()?;
    if last.is_punct(t, "]") {
        // Back to the `[`, over digits and white space only.
        let open = before.iter().rposition(|tok| {
            !(tok.kind == Kind::Whitespace
                || tok.kind == Kind::Number && tok.text(t).bytes().all(|b| b.is_ascii_digit()))
        })?;
        return before[open]
            .is_punct(t, "[")
            .then(|| t[..before[open].start].trim_end());
    }
    let spaced = before.last().is_some_and(|b| b.kind == Kind::Whitespace);
    if last.kind == Kind::Word && last.text(t).eq_ignore_ascii_case("array") && spaced {
        return Some(t[..last.start].trim_end());
    }
    None
}

/// Lower-cased words of an unquoted type name, with `(…)` modifiers removed:
/// `Timestamp(3)  With Time Zone` → `timestamp with time zone`.
fn base_words(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for t in tokenize(text) {
        if t.is_punct(text, "(") {
            depth += 1;
            out.push(' ');
        } else if t.is_punct(text, ")") {
            depth = depth.saturating_sub(1);
        } else if depth == 0 {
            // Character by character, as before: `str::to_lowercase` would give a word-final
            // sigma its final form.
            out.extend(t.text(text).chars().flat_map(char::to_lowercase));
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses `a."B c".d` into its parts and returns what follows.
fn identifier_chain(text: &str) -> Result<(Vec<String>, &str), String> {
    let mut parts = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let part: Option<Token> = tokenize::first(rest);
        let part = match part {
            Some(t) if t.kind == Kind::QuotedIdent => {
                if !t.terminated {
                    return Err(format!("unterminated quoted name in `{text}`"));
                }
                t
            }
            Some(t) if t.kind == Kind::Word => t,
            _ => return Err(format!("`{text}` is not a type name")),
        };
        let after = &rest[part.end..];
        parts.push(match part.kind {
            Kind::Word => part.text(rest).to_lowercase(),
            _ => part.value(rest),
        });
        match after.trim_start().strip_prefix('.') {
            Some(next) => rest = next.trim_start(),
            None => return Ok((parts, after)),
        }
    }
}

/// The numbers in a printed type's first parentheses (`numeric(12,2)` → 12, 2): its modifiers.
/// None when it has none.
pub fn modifiers(printed: &str) -> Vec<i64> {
    let tokens = tokenize(printed);
    let Some(open) = tokens.iter().position(|t| t.is_punct(printed, "(")) else {
        return Vec::new();
    };
    let Some(close) = tokens[open..].iter().position(|t| t.is_punct(printed, ")")) else {
        return Vec::new();
    };
    printed[tokens[open].end..tokens[open + close].start]
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect()
}

/// The type without modifiers or array brackets, as `format_type` prints it without a typmod:
/// `character varying(100)[]` → `character varying`, `timestamp(3) with time zone` →
/// `timestamp with time zone`. Used to look up casts between introspected types.
pub fn base_of_printed(printed: &str) -> String {
    let mut t = printed.trim();
    while let Some(s) = strip_array_suffix(t) {
        t = s;
    }
    if t.contains('"') {
        return t.to_string();
    }
    let base = base_words(t);
    if base.starts_with("interval ") {
        return "interval".into();
    }
    base
}

pub fn is_array(printed: &str) -> bool {
    strip_array_suffix(printed).is_some()
}

/// Whether a printed type is defined in the database (an enum, a domain, an extension's type)
/// rather than built in: a copy kept apart from it stores it as text, so that it does not hold
/// up dropping the type.
pub fn is_user_defined(printed: &str) -> bool {
    parse(printed).map_or(true, |t| t.schema.is_some() || !t.builtin)
}

/// Whether a type can carry an identity column.
pub fn is_integer(type_text: &str) -> bool {
    matches!(
        base_words(type_text).as_str(),
        "smallint" | "int2" | "integer" | "int" | "int4" | "bigint" | "int8"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(schema: Option<&str>, name: &str, array: bool) -> TypeName {
        TypeName {
            schema: schema.map(String::from),
            name: name.into(),
            array,
            builtin: false,
        }
    }

    #[test]
    fn builtins_with_modifiers_and_arrays() {
        for t in [
            "varchar(100)",
            "numeric(12,2)",
            "text[]",
            "timestamp with time zone",
            "Timestamp(3) With Time Zone",
            "interval day to second",
            "double precision",
            "\"char\"",
            "pg_catalog.int4",
            "integer[3][]",
            "int ARRAY",
        ] {
            assert!(parse(t).unwrap().builtin, "{t}");
        }
    }

    #[test]
    fn user_types() {
        assert_eq!(parse("Mood").unwrap(), user(None, "mood", false));
        assert_eq!(
            parse("public.\"Mood\"[]").unwrap(),
            user(Some("public"), "Mood", true)
        );
        assert_eq!(
            parse("\"my schema\".\"a\"\"b\"").unwrap(),
            user(Some("my schema"), "a\"b", false)
        );
        assert!(parse("").is_err());
        assert!(parse("a b c").is_err());
    }

    #[test]
    fn printed_bases() {
        assert_eq!(
            base_of_printed("character varying(100)[]"),
            "character varying"
        );
        assert_eq!(
            base_of_printed("timestamp(3) with time zone"),
            "timestamp with time zone"
        );
        assert_eq!(base_of_printed("interval day to second"), "interval");
        assert_eq!(base_of_printed("public.mood"), "public.mood");
        assert!(is_array("public.mood[]"));
        assert!(!is_array("text"));
    }

    #[test]
    fn names_and_suffixes_follow_the_tokens() {
        // A U&"…" name is a quoted name.
        assert_eq!(
            parse("public.U&\"d\\0061t\"").unwrap(),
            user(Some("public"), "dat", false)
        );
        assert!(parse("public.\"open").is_err());
        assert!(parse("public.1abc").is_err());
        // White space of any kind before ARRAY, and inside brackets.
        assert!(is_array("int\tARRAY"));
        assert!(is_array("int[ 3 ]"));
        assert!(!is_array("int[n]"));
        assert!(!is_array("\"x[]\""));
        assert_eq!(base_of_printed("numeric(10, 2) ARRAY"), "numeric");
    }

    #[test]
    fn modifiers_of_printed_types() {
        assert_eq!(modifiers("numeric(12,2)"), vec![12, 2]);
        assert_eq!(modifiers("character varying(100)[]"), vec![100]);
        assert_eq!(modifiers("timestamp(3) with time zone"), vec![3]);
        assert_eq!(modifiers("text"), Vec::<i64>::new());
        assert_eq!(modifiers("public.\"odd(1)\""), Vec::<i64>::new());
    }
}
