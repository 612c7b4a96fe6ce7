//! Database-free checks of `verb`, `sign` and `reverse` on a few representative changes (the
//! per-variant tables live with the planner's tests).

use crate::model::*;

use super::kinds::{Change, Renamed, Reverse, Using};
use super::verb::Verb;

fn events() -> QualName {
    QualName::new("public", "events")
}

fn check(expression: &str) -> Constraint {
    Constraint {
        kind: ConstraintKind::Check {
            expression: Expr::new(expression),
            no_inherit: false,
        },
        deferrable: false,
        initially_deferred: false,
        validated: true,
        enforced: true,
        only: false,
        comment: None,
    }
}

fn title() -> Column {
    Column::new("title", "text")
}

#[test]
fn verb_and_sign_of_representative_changes() {
    let rows: Vec<(Change, Verb, char)> = vec![
        (
            Change::CreateSchema {
                name: "app".into(),
                schema: Schema::default(),
            },
            Verb::Create,
            '+',
        ),
        (
            Change::DropSchema {
                name: "app".into(),
                schema: Schema::default(),
            },
            Verb::Drop,
            '-',
        ),
        (
            Change::AddColumn {
                table: events(),
                column: title(),
                not_null_name: None,
            },
            Verb::Create,
            '+',
        ),
        (
            Change::DropColumn {
                table: events(),
                column: title(),
                backup: None,
                only: false,
            },
            Verb::Drop,
            '-',
        ),
        (
            Change::AlterColumn {
                table: events(),
                from: title(),
                to: Column {
                    not_null: true,
                    ..title()
                },
                using: Using::Implicit,
                using_reverse: Using::Implicit,
                renumber: None,
                renumber_reverse: None,
            },
            Verb::Alter,
            '~',
        ),
        (
            Change::AddConstraintUsingIndex {
                table: events(),
                name: "events_title_key".into(),
                constraint: check("true"),
            },
            Verb::Create,
            '+',
        ),
        (
            Change::ValidateConstraint {
                table: events(),
                name: "events_title_check".into(),
                constraint: check("title <> ''"),
            },
            Verb::Alter,
            '~',
        ),
        (
            Change::CreateSequence {
                name: QualName::new("public", "events_id_seq"),
                def: Sequence::default(),
            },
            Verb::Create,
            '+',
        ),
        (
            Change::DropPartitionedIndex {
                table: events(),
                name: "events_at_idx".into(),
                cascade: false,
            },
            Verb::Drop,
            '-',
        ),
        (
            Change::Rename {
                target: Renamed::Table {
                    schema: "public".into(),
                },
                from: "event".into(),
                to: "events".into(),
            },
            Verb::Alter,
            '~',
        ),
        (
            Change::AddEnumValues {
                name: QualName::new("public", "mood"),
                from: vec!["sad".into()],
                to: vec!["sad".into(), "happy".into()],
            },
            Verb::Alter,
            '~',
        ),
        (
            Change::SetGrants {
                object: SecuredObject::Table(events()),
                grantee: "reader".into(),
                from: Privileges::new(),
                to: Privileges::from([(Privilege::Select, false)]),
            },
            Verb::Alter,
            '~',
        ),
    ];
    for (change, verb, sign) in rows {
        assert_eq!(change.verb(), verb, "{}", change.kind());
        assert_eq!(change.sign(), sign, "{}", change.kind());
    }
}

/// The single change a reverse consists of (fails on anything else).
fn only(reverse: Reverse) -> Change {
    match reverse {
        Reverse::Changes(mut changes) if changes.len() == 1 => changes.remove(0),
        other => panic!("expected one change, got {other:?}"),
    }
}

#[test]
fn reverse_of_a_create_is_the_matching_drop_and_back() {
    let creates = vec![
        Change::CreateSchema {
            name: "app".into(),
            schema: Schema::default(),
        },
        Change::CreateExtension {
            name: "pgcrypto".into(),
            ext: Extension::default(),
        },
        Change::CreateEnum {
            name: QualName::new("public", "mood"),
            def: EnumType {
                values: vec!["sad".into(), "happy".into()],
                comment: None,
            },
        },
        Change::AddConstraint {
            table: events(),
            name: "events_title_check".into(),
            constraint: check("title <> ''"),
        },
    ];
    for create in creates {
        let drop = only(create.reverse());
        assert_eq!(create.verb(), Verb::Create);
        assert_eq!(drop.verb(), Verb::Drop, "{}", drop.kind());
        assert_eq!(drop.object(), create.object());
        assert_eq!(only(drop.reverse()), create);
    }
}

#[test]
fn reverse_of_an_alteration_swaps_its_states_and_back() {
    let alter = Change::AlterColumn {
        table: events(),
        from: title(),
        to: Column::new("title", "character varying(200)"),
        using: Using::Cast,
        using_reverse: Using::Implicit,
        renumber: None,
        renumber_reverse: None,
    };
    let back = only(alter.reverse());
    let Change::AlterColumn {
        from, to, using, ..
    } = &back
    else {
        panic!("expected an AlterColumn, got {back:?}");
    };
    assert_eq!(from.data_type, "character varying(200)");
    assert_eq!(to.data_type, "text");
    assert_eq!(*using, Using::Implicit);
    assert_eq!(only(back.reverse()), alter);
}

#[test]
fn a_drop_without_a_copy_cannot_be_undone() {
    let drop = Change::DropColumn {
        table: events(),
        column: title(),
        backup: None,
        only: false,
    };
    assert!(matches!(drop.reverse(), Reverse::Irreversible { .. }));
}
