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
