use super::*;

/// Each token as (kind, text), white space left out.
fn lex(sql: &str) -> Vec<(Kind, &str)> {
    tokenize(sql)
        .into_iter()
        .filter(|t| t.kind != Kind::Whitespace)
        .map(|t| (t.kind, t.text(sql)))
        .collect()
}

fn values(sql: &str) -> Vec<std::string::String> {
    tokenize(sql)
        .into_iter()
        .filter(|t| !t.is_trivia())
        .map(|t| t.value(sql))
        .collect()
}

use Kind::*;

#[test]
fn words_numbers_and_punctuation() {
    assert_eq!(
        lex("SELECT a.b, _x1$, été FROM t;"),
        vec![
            (Word, "SELECT"),
            (Word, "a"),
            (Punct, "."),
            (Word, "b"),
            (Punct, ","),
            (Word, "_x1$"),
            (Punct, ","),
            (Word, "été"),
            (Word, "FROM"),
            (Word, "t"),
            (Punct, ";"),
        ]
    );
    assert_eq!(
        lex("x::int[1:2] := (y)"),
        vec![
            (Word, "x"),
            (Punct, "::"),
            (Word, "int"),
            (Punct, "["),
            (Number, "1"),
            (Punct, ":"),
            (Number, "2"),
            (Punct, "]"),
            (Punct, ":="),
            (Punct, "("),
            (Word, "y"),
            (Punct, ")"),
        ]
    );
}

#[test]
fn numbers_follow_postgres() {
    for n in [
        "42",
        "3.5",
        "4.",
        ".001",
        "5e2",
        "1.925e-3",
        "1E+10",
        "1_000_000",
        "0x1F",
        "0X_ff",
        "0o17",
        "0b101",
        "1.5_5",
    ] {
        assert_eq!(lex(n), vec![(Number, n)], "{n}");
    }
    // `..` is a range in PL/pgSQL, not a fraction.
    assert_eq!(
        lex("1..10"),
        vec![(Number, "1"), (Punct, ".."), (Number, "10")]
    );
    // An exponent needs digits; a base prefix needs a digit of its base.
    assert_eq!(lex("1e"), vec![(Number, "1"), (Word, "e")]);
    assert_eq!(
        lex("1e+x"),
        vec![(Number, "1"), (Word, "e"), (Operator, "+"), (Word, "x")]
    );
    assert_eq!(lex("0xg"), vec![(Number, "0"), (Word, "xg")]);
    assert_eq!(lex("1_"), vec![(Number, "1"), (Word, "_")]);
    assert_eq!(lex("123abc"), vec![(Number, "123"), (Word, "abc")]);
}

#[test]
fn strings_and_quoted_identifiers() {
    assert_eq!(
        lex(r#"'it''s' "a ""b""" E'x\'y' N'n' U&'d\0061t' U&"i" B'101' X'1F' e'\\'"#),
        vec![
            (String, "'it''s'"),
            (QuotedIdent, r#""a ""b""""#),
            (String, r"E'x\'y'"),
            (String, "N'n'"),
            (String, r"U&'d\0061t'"),
            (QuotedIdent, r#"U&"i""#),
            (BitString, "B'101'"),
            (BitString, "X'1F'"),
            (String, r"e'\\'"),
        ]
    );
    assert_eq!(
        values(
            r#"'it''s' "a ""b""" E'x\'y\n\101\x41\u00e9\q''' N'n' U&'d\0061t\+0000e9\\' B'101'"#
        ),
        vec!["it's", "a \"b\"", "x'y\nAAéq'", "n", "daté\\", "101"]
    );
    // E'' escapes make bytes, which may together make one character.
    assert_eq!(values(r"E'\xc3\xa9'"), vec!["é"]);
    // A plain string keeps its backslashes (standard_conforming_strings).
    assert_eq!(lex(r"'a\' 'b'"), vec![(String, r"'a\'"), (String, "'b'")]);
    // A prefix letter inside a word is part of the word.
    assert_eq!(lex("abcE'x'"), vec![(Word, "abcE"), (String, "'x'")]);
}

#[test]
fn dollar_quotes_parameters_and_lone_dollars() {
    assert_eq!(
        lex("$$a 'b' $x$ $$ $fn$ $$ -- $fn$ $1 $12x a$b$ $ $1a$"),
        vec![
            (DollarString, "$$a 'b' $x$ $$"),
            (DollarString, "$fn$ $$ -- $fn$"),
            (Param, "$1"),
            (Param, "$12"),
            (Word, "x"),
            (Word, "a$b$"),
            (Other, "$"),
            (Param, "$1"),
            (Word, "a$"),
        ]
    );
    assert_eq!(values("$tag$ body $$ $tag$ $$$$"), vec![" body $$ ", ""]);
    // Tags are case-sensitive.
    assert_eq!(lex("$A$ x $a$ $A$"), vec![(DollarString, "$A$ x $a$ $A$")]);
}

#[test]
fn comments_nest_and_end_lines() {
    assert_eq!(
        lex("a -- one /* two\nb /* x /* y */ z */ c /*/ d */ e"),
        vec![
            (Word, "a"),
            (Comment, "-- one /* two"),
            (Word, "b"),
            (Comment, "/* x /* y */ z */"),
            (Word, "c"),
            (Comment, "/*/ d */"),
            (Word, "e"),
        ]
    );
    // A comment ends at a carriage return as at a line feed.
    assert_eq!(lex("-- a\rb"), vec![(Comment, "-- a"), (Word, "b")]);
}

#[test]
fn operators_are_cut_where_postgres_cuts_them() {
    assert_eq!(
        lex("a>=b<>c->>'k' x*-1 y@-z p+-q r-|-s"),
        vec![
            (Word, "a"),
            (Operator, ">="),
            (Word, "b"),
            (Operator, "<>"),
            (Word, "c"),
            (Operator, "->>"),
            (String, "'k'"),
            (Word, "x"),
            (Operator, "*"),
            (Operator, "-"),
            (Number, "1"),
            (Word, "y"),
            (Operator, "@-"),
            (Word, "z"),
            (Word, "p"),
            (Operator, "+"),
            (Operator, "-"),
            (Word, "q"),
            (Word, "r"),
            (Operator, "-|-"),
            (Word, "s"),
        ]
    );
    // An operator stops where a comment starts.
    assert_eq!(
        lex("a+--b\n*/*c*/"),
        vec![
            (Word, "a"),
            (Operator, "+"),
            (Comment, "--b"),
            (Operator, "*"),
            (Comment, "/*c*/"),
        ]
    );
}

#[test]
fn unterminated_tokens_run_to_the_end() {
    for (sql, kind) in [
        ("'abc", String),
        ("E'ab\\'", String),
        ("\"abc", QuotedIdent),
        ("U&\"ab", QuotedIdent),
        ("B'10", BitString),
        ("$q$ abc $Q$", DollarString),
        ("$$", DollarString),
        ("/* a /* b */", Comment),
    ] {
        let tokens = tokenize(sql);
        assert_eq!(tokens.len(), 1, "{sql}");
        assert_eq!(tokens[0].kind, kind, "{sql}");
        assert!(!tokens[0].terminated, "{sql}");
    }
    assert_eq!(values("'ab''c"), vec!["ab'c"]);
    assert_eq!(values("$q$ abc"), vec![" abc"]);
    assert_eq!(values("$q$"), vec![""]);
    assert_eq!(values("\"x"), vec!["x"]);
    assert!(tokenize("'a'").iter().all(|t| t.terminated));
}

#[test]
fn operator_names() {
    for op in [
        "=",
        "&&",
        "<>",
        "-|-",
        "@-",
        "OPERATOR(public.&&)",
        "operator(pg_catalog.=)",
        "OPERATOR ( \"My Schema\" . -> )",
        "OPERATOR(-)",
    ] {
        assert!(is_operator(op), "{op}");
    }
    for op in [
        "",
        "WITH",
        "= ) ; DROP TABLE t",
        "OPERATOR()",
        "OPERATOR(a)",
        "OPERATOR(a) ; x",
        "OPERATOR(a.b.=)",
        "é",
        "--",
        "/*",
        "*-",
        "= =",
    ] {
        assert!(!is_operator(op), "{op}");
    }
    assert!(is_operator_symbol("->"));
    assert!(!is_operator_symbol("citext"));
}

#[test]
fn single_and_first() {
    assert_eq!(single("abc").map(|t| t.kind), Some(Word));
    assert_eq!(single("abc d"), None);
    assert_eq!(single(""), None);
    assert_eq!(first("'x' y").map(|t| t.end), Some(3));
}

/// Tokens cover the text in order, without gaps, each at least one byte, on character
/// boundaries; reading their values never panics.
fn check_invariants(sql: &str) {
    let tokens = tokenize(sql);
    let mut at = 0;
    for t in &tokens {
        assert_eq!(t.start, at, "{sql:?}");
        assert!(t.end > t.start, "{sql:?}");
        assert!(
            sql.is_char_boundary(t.start) && sql.is_char_boundary(t.end),
            "{sql:?}"
        );
        let _ = t.value(sql);
        at = t.end;
    }
    assert_eq!(at, sql.len(), "{sql:?}");
    assert!(!is_operator(sql) || !sql.is_empty());
}

#[test]
fn odd_input_never_panics() {
    let samples = [
        "",
        "'",
        "\"",
        "$",
        "$$",
        "$a",
        "$a$",
        "$1",
        "$é$ x $é$",
        "E'",
        "E'\\",
        "E'\\x",
        "E'\\u12",
        "E'\\U0011FFFF'",
        "E'\\777\\400'",
        "U&'\\",
        "U&'\\+'",
        "U&'\\d800'",
        "U&",
        "u&\"",
        "B'",
        "X",
        "/*",
        "/*/",
        "*/",
        "--",
        "-",
        "0x",
        "0b_",
        "1e+",
        ".",
        "..",
        ":",
        "::",
        "é",
        "日本語 '日本' \"語\" $日$本$日$",
        "😀$😀$ 😀",
        "\u{0}\u{7f}\u{a0}\\{}",
        "a\u{301}",
    ];
    for s in samples {
        // Every prefix, so every token is also seen cut short.
        for (i, _) in s.char_indices().chain([(s.len(), ' ')]) {
            check_invariants(&s[..i]);
        }
    }
    // Random text from pieces that open and close things.
    let pieces = [
        "'", "''", "\"", "$", "$$", "$t$", "$1", "E'", "U&'", "U&\"", "B'", "\\", "--", "/*", "*/",
        "\n", "\r", " ", "a", "é", "😀", "1", ".", "e", "x", "0x", "_", ":", "::", "-", "+", "*",
        "/", "(", ")", "[", "]", ",", ";", "=", "<", ">", "@", "|", "?",
    ];
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..3000 {
        let mut s = std::string::String::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = state % 24;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            s.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        check_invariants(&s);
        let _ = is_operator(&s);
    }
}
