use super::fields::{Field, check};
use super::rendered::one_statement;

const COPY: &str = "COPY (SELECT 1) TO PROGRAM 'id'";

fn refused(field: Field<'_>, text: &str) -> String {
    match check(field, text) {
        Ok(()) => panic!("{field:?}: `{text}` was accepted"),
        Err(e) => e,
    }
}

fn accepted(field: Field<'_>, text: &str) {
    if let Err(e) = check(field, text) {
        panic!("{field:?}: `{text}` was refused: {e}");
    }
}

#[test]
fn a_second_statement_is_named_in_every_kind_of_field() {
    let fields = [
        (Field::Expression, "true"),
        (Field::Default, "0"),
        (Field::Backfill, "0"),
        (Field::TypeName, "int"),
        (Field::View, "SELECT 1"),
        (Field::MaterializedView, "SELECT 1"),
        (Field::PartitionBy, "LIST (a)"),
        (Field::Bounds, "DEFAULT"),
        (Field::Arguments { procedure: false }, "a int"),
        (Field::Arguments { procedure: true }, "a int"),
        (Field::Returns, "int"),
        (Field::ListSetting("search_path"), "public"),
        (Field::SqlBody { procedure: false }, "RETURN 1"),
        (
            Field::SqlBody { procedure: true },
            "BEGIN ATOMIC SELECT 1; END",
        ),
        (Field::Operator, "="),
        (Field::AggregateArguments, "text"),
        (Field::FunctionName, "f"),
        (Field::SortOperator, ">"),
        (Field::TextSearchName, "simple"),
    ];
    for (field, good) in fields {
        accepted(field, good);
        let e = refused(field, &format!("{good}; {COPY}"));
        assert!(
            e.starts_with("2 statements where") && e.ends_with("(the second is COPY)"),
            "{field:?}: {e}"
        );
    }
}

#[test]
fn an_expression_is_one_expression_and_nothing_around_it() {
    for good in [
        "now()",
        "status IN ('a', 'b')",
        "(a, b) = (1, 2)",
        "price * 1.1 -- with tax",
        "$$it's$$ || E'\\n'",
        "ARRAY[1, 2]::bigint[]",
        "CASE WHEN a THEN 1 ELSE 2 END",
        "(SELECT max(id) FROM t)",
        "DEFAULT",
    ] {
        accepted(Field::Expression, good);
    }
    let cases = [
        ("1 AS x", "`target_list[0].ResTarget.name`"),
        ("1, 2", "`target_list[1]`"),
        ("1 FROM t", "`from_clause[0]`"),
        ("1 WHERE false", "`where_clause"),
        ("1 UNION SELECT 2", "`larg`"),
        ("1 ORDER BY 1", "`sort_clause[0]`"),
        ("DISTINCT 1", "`distinct_clause[0]`"),
    ];
    for (text, at) in cases {
        let e = refused(Field::Expression, text);
        assert!(
            e.contains("reaches past it") && e.contains(at),
            "{text}: {e}"
        );
    }
    // `SELECT ALL 1` is `SELECT 1`; inside parentheses `ALL 1` is no expression.
    assert!(refused(Field::Expression, "ALL 1").contains("syntax error"));
    assert!(refused(Field::Expression, "1;").contains("`;` ends a statement"));
    assert!(refused(Field::Expression, "now(").contains("syntax error"));
    assert!(refused(Field::Expression, "'open").contains("unterminated quoted string"));
    assert!(refused(Field::Expression, "1 /* open").contains("unterminated /* comment"));
    assert!(refused(Field::Expression, "1\0").contains("NUL"));
}

#[test]
fn nothing_that_writes_hides_in_a_query_or_expression() {
    let delete = "WITH d AS (DELETE FROM t RETURNING id) SELECT id FROM d";
    assert!(refused(Field::View, delete).contains("holds DELETE"));
    assert!(refused(Field::MaterializedView, delete).contains("holds DELETE"));
    let nested = format!("(SELECT 1 FROM ({delete}) x)");
    assert!(refused(Field::Expression, &nested).contains("holds DELETE"));
    let insert = "WITH i AS (INSERT INTO t VALUES (1) RETURNING 1) SELECT 1";
    assert!(refused(Field::View, insert).contains("holds INSERT"));
    assert!(refused(Field::View, "SELECT 1 INTO t").contains("SELECT … INTO"));
}

#[test]
fn a_query_is_one_select_values_or_with_select() {
    for good in [
        "SELECT 1",
        "VALUES (1), (2)",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "SELECT 1 UNION ALL SELECT 2",
        "TABLE t",
        "(SELECT 1)",
        "SELECT a FROM t -- trailing comment",
    ] {
        accepted(Field::View, good);
        accepted(Field::MaterializedView, good);
    }
    // The view's options say WITH CHECK OPTION; a query does not.
    let e = refused(Field::View, "SELECT 1 FROM t WITH CHECK OPTION");
    assert!(e.contains("`with_check_option`"), "{e}");
    assert!(refused(Field::MaterializedView, "SELECT 1 WITH NO DATA").contains("syntax error"));
    assert!(refused(Field::View, "DELETE FROM t").contains("syntax error"));
}

#[test]
fn a_default_is_what_a_columns_default_clause_takes() {
    accepted(Field::Default, "'none'");
    accepted(Field::Default, "nextval('s'::regclass)");
    // Outside the expression, COLLATE would become the column's collation.
    let e = refused(Field::Default, "'x' COLLATE \"C\"");
    assert!(e.contains("coll_clause"), "{e}");
    // The payload, written for the column definition it lands in.
    let e = refused(
        Field::Default,
        &format!("0); {COPY}; CREATE TABLE s.zz (y int"),
    );
    assert_eq!(
        e,
        "3 statements where one expression is allowed (the second is COPY, the third is CREATE TABLE)"
    );
}

#[test]
fn fields_are_read_both_ways_backslashes_in_strings_may_be_read() {
    // One string joined to another; with standard_conforming_strings off, the first string
    // runs on past its quote and the rest is a statement of its own, its last quote commented.
    let e = refused(
        Field::Expression,
        "'\\' || '; COPY (SELECT 1) TO PROGRAM $$id$$; SELECT 1 --'",
    );
    assert!(
        e.starts_with("3 statements where one expression is allowed (the second is COPY")
            && e.contains("standard_conforming_strings is off"),
        "{e}"
    );
    accepted(Field::Expression, "E'a\\\\' || 'b'");
    // Backslashes that read as escapes only where PostgreSQL refuses the text (pg_dump's
    // patterns): no server runs any of it that way, and its standard reading is one expression.
    accepted(Field::Expression, "name !~ '[\\x00-\\x1F]'::text");
    accepted(
        Field::Expression,
        "title !~ similar_escape('[\\u0000-\\u02FF]*'::text, NULL::text)",
    );
}

#[test]
fn types_partitions_and_routines_take_their_own_grammar() {
    for good in [
        "character varying(20)[]",
        "timestamp with time zone",
        "public.\"My Type\"",
        "numeric(10, 2)",
        "interval day to second",
    ] {
        accepted(Field::TypeName, good);
    }
    assert!(refused(Field::TypeName, "int DEFAULT 1").contains("syntax error"));
    assert!(refused(Field::TypeName, "text COLLATE \"C\"").contains("syntax error"));

    accepted(Field::PartitionBy, "RANGE (created_at)");
    accepted(Field::PartitionBy, "HASH (id, lower(name))");
    assert!(refused(Field::PartitionBy, "RANGE (a) USING heap").contains("`access_method`"));
    accepted(
        Field::Bounds,
        "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
    );
    accepted(Field::Bounds, "FOR VALUES IN (1, 2)");
    accepted(Field::Bounds, "FOR VALUES WITH (MODULUS 4, REMAINDER 0)");
    assert!(refused(Field::Bounds, "DEFAULT PARTITION BY LIST (a)").contains("`partspec`"));

    let function = Field::Arguments { procedure: false };
    accepted(function, "");
    accepted(function, "a integer, b text DEFAULT 'x', VARIADIC c int[]");
    accepted(function, "IN a int, OUT b int");
    assert!(refused(function, "a int) SECURITY DEFINER AS 'x' --").contains("syntax error"));
    accepted(Field::Returns, "TABLE (a int, b text)");
    accepted(Field::Returns, "SETOF record");
    let e = refused(Field::Returns, "int LANGUAGE plpgsql");
    assert!(e.contains("`options[0]"), "{e}");
    accepted(Field::ListSetting("search_path"), "public, pg_temp");
    accepted(Field::ListSetting("search_path"), "\"$user\", public");
    let body = Field::SqlBody { procedure: false };
    accepted(body, "BEGIN ATOMIC SELECT 1; SELECT 2; END");
    accepted(body, "RETURN a + b");
    let e = refused(body, &format!("BEGIN ATOMIC SELECT 1; END; {COPY}"));
    assert!(e.ends_with("(the second is COPY)"), "{e}");
    accepted(Field::Operator, "&&");
    accepted(Field::Operator, "OPERATOR(pg_catalog.=)");
}

#[test]
fn aggregate_fields_are_an_argument_list_a_function_name_and_an_operator() {
    let args = Field::AggregateArguments;
    for good in [
        "text",
        "x text, y int",
        "*",
        "float8 ORDER BY anyelement",
        "VARIADIC \"any\" ORDER BY VARIADIC \"any\"",
    ] {
        accepted(args, good);
    }
    assert!(refused(args, "int) (SFUNC = g, STYPE = int) --").contains("syntax error"));
    for good in ["f", "public.f", "\"My Schema\".\"step fn\""] {
        accepted(Field::FunctionName, good);
    }
    for bad in ["f(int)", "int[]", "f, STYPE = text", "numeric(10, 2)"] {
        refused(Field::FunctionName, bad);
    }
    accepted(Field::SortOperator, ">");
    accepted(Field::SortOperator, "pg_catalog.<");
    refused(Field::SortOperator, "<), INITCOND = (0");
}

#[test]
fn a_rendered_statement_is_one_statement_or_named() {
    assert_eq!(one_statement("SELECT 1"), Ok(()));
    assert_eq!(
        one_statement(&format!("SELECT 1; {COPY}")),
        Err("2 statements (the second is COPY)".into())
    );
    // What the parser rejects is left to the server, unless a `;` would end a statement.
    assert_eq!(one_statement("SELECT 1 +"), Ok(()));
    assert_eq!(
        one_statement("SELECT (1; DROP TABLE t"),
        Err("2 statements (the second is DROP TABLE)".into())
    );
}

#[test]
fn a_backfill_block_runs_only_the_statements_written() {
    use crate::model::{Expr, QualName};
    use crate::plan::change::Change;
    let backfill = |expression: &str| Change::Backfill {
        table: QualName::new("public", "t"),
        column: "c".into(),
        expression: Expr::new(expression),
        column_existed: false,
    };
    assert_eq!(
        super::rendered::same_block(&backfill("lower(name)")),
        Ok(())
    );
    assert_eq!(
        super::rendered::same_block(&backfill("$schemaplan$; DROP TABLE t; $schemaplan$")),
        Ok(())
    );
    let e =
        super::rendered::same_block(&backfill(&format!("0; {COPY}; UPDATE public.t SET c = 0")))
            .unwrap_err();
    assert!(e.contains("the first not written is COPY"), "{e}");
}

#[test]
fn a_failed_escaped_reading_leaves_the_scanner_standard() {
    use super::grammar::{self, Mode, Strings};
    let text = "'\\u0000'";
    assert!(
        grammar::parse(
            &format!("SELECT {text}"),
            Mode::Statements,
            Strings::Escaped
        )
        .is_err()
    );
    assert!(
        grammar::tokens(text).is_ok(),
        "the scanner reads as the failed parse did"
    );
}

#[test]
fn a_text_search_name_is_one_name() {
    for good in [
        "simple",
        "english_stem",
        "public.my_dict",
        "\"default\"",
        "\"My\".\"dict\"",
    ] {
        accepted(Field::TextSearchName, good);
    }
    for bad in [
        "simple, english_stem",
        "simple) ; DROP TABLE t; --",
        "simple, STOPWORDS = x",
    ] {
        refused(Field::TextSearchName, bad);
    }
}
