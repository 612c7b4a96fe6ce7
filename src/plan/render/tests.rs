//! The renderers' own rules, without a database.

use super::sequences::sequence_options;
use crate::model::*;

#[test]
fn sequence_defaults_are_left_out() {
    let o = SequenceOptions {
        data_type: Some("integer".into()),
        start: Some(1),
        increment: Some(1),
        min_value: Some(1),
        max_value: Some(i32::MAX as i64),
        cache: Some(1),
        cycle: Some(false),
    };
    assert_eq!(sequence_options(&o, true), " AS integer");
    let o = SequenceOptions {
        start: Some(100),
        ..o
    };
    assert_eq!(sequence_options(&o, false), " START WITH 100");
    let countdown = SequenceOptions {
        data_type: Some("integer".into()),
        start: Some(-1),
        increment: Some(-1),
        min_value: Some(i32::MIN as i64),
        max_value: Some(-1),
        cache: Some(1),
        cycle: Some(false),
    };
    assert_eq!(
        sequence_options(&countdown, true),
        " AS integer INCREMENT BY -1"
    );
}

#[test]
fn statements_go_through_the_renderer_of_their_kind() {
    use crate::plan::change::Change;
    let t = QualName::new("app", "Orders");
    let drop = Change::DropIndex {
        table: t.clone(),
        name: "by date".into(),
        index: Index {
            unique: false,
            method: "btree".into(),
            keys: Vec::new(),
            include: Vec::new(),
            predicate: None,
            nulls_not_distinct: false,
            options: Default::default(),
            comment: None,
            valid: true,
        },
        concurrently: true,
        only: None,
        cascades: Vec::new(),
    };
    assert_eq!(
        super::statements(&drop),
        ["DROP INDEX CONCURRENTLY IF EXISTS app.\"by date\""]
    );
    let persistence = Change::SetPersistence {
        table: t,
        sequence: false,
        unlogged: true,
    };
    assert_eq!(
        super::statements(&persistence),
        ["ALTER TABLE app.\"Orders\" SET UNLOGGED"]
    );
}

#[test]
fn a_dollar_quote_ends_exactly_at_the_end_of_its_body() {
    use super::fragments::dollar_quoted;
    assert_eq!(dollar_quoted("f", "SELECT 1"), "$f$SELECT 1$f$");
    // The tag inside the body, or its beginning at the body's end (where it would meet the
    // closing quote and end the quote early), moves the tag on.
    assert_eq!(dollar_quoted("f", "a $f$ b"), "$f1$a $f$ b$f1$");
    assert_eq!(dollar_quoted("f", "a $f"), "$f1$a $f$f1$");
    assert_eq!(dollar_quoted("f", "$f$ $f1$"), "$f2$$f$ $f1$$f2$");
    // A body ending in `$` alone cannot meet the tag: `$$f$` is no `$f$` before the end.
    assert_eq!(dollar_quoted("f", "a $"), "$f$a $$f$");
}

#[test]
fn a_backfill_block_is_quoted_past_the_tags_its_expression_holds() {
    let expression = Expr::new("$schemaplan$ ; DROP TABLE t; DO $schemaplan$");
    let sql = super::statements(&crate::plan::change::Change::Backfill {
        table: QualName::new("public", "t"),
        column: "c".into(),
        expression,
        column_existed: false,
    });
    assert!(sql[0].starts_with("DO $schemaplan1$\n"), "{}", sql[0]);
    assert!(sql[0].ends_with("\n$schemaplan1$"), "{}", sql[0]);
}
