//! `Change::reverse`: the changes that undo each change (by kind), or why it cannot be undone.

use super::fixtures::q;
use super::make_objects::*;
use super::make_security::*;
use super::make_tables::*;
use super::make_textsearch::*;
use super::make_types::*;
use super::variants::assert_covers;
use crate::model::*;
use crate::plan::change::{Change, CommentTarget, Reverse};

use Expect::*;

enum Expect {
    /// Undone by one change of this kind, whose own reverse is the change again.
    Inverse(&'static str),
    /// Undone by changes of these kinds, in this order.
    Undo(&'static [&'static str]),
    /// Nothing to undo.
    Nothing,
    /// Cannot be undone; the reason says this.
    Irreversible(&'static str),
}

type Row = (Change, Expect);

fn type_rows() -> Vec<Row> {
    vec![
        (create_schema(), Inverse("drop_schema")),
        (drop_schema(), Inverse("create_schema")),
        (create_extension(), Inverse("drop_extension")),
        (drop_extension(), Inverse("create_extension")),
        (alter_extension(), Inverse("alter_extension")),
        (
            alter_extension_version(),
            Irreversible("only if it ships a downgrade script"),
        ),
        (create_enum(), Inverse("drop_enum")),
        (drop_enum(), Inverse("create_enum")),
        (
            add_enum_values(),
            Irreversible("cannot remove a value from an enum"),
        ),
        (rebuild_enum(), Inverse("rebuild_enum")),
        // Dropping a sequence made by the plan keeps nothing: there is no way back from that.
        (create_sequence(), Undo(&["drop_sequence"])),
        (drop_sequence(), Undo(&["create_sequence", "restore"])),
        (
            drop_sequence_without_backup(),
            Irreversible("loses its position (--no-backup)"),
        ),
        (alter_sequence(), Inverse("alter_sequence")),
        (set_sequence_owner(), Inverse("set_sequence_owner")),
        (create_domain(), Inverse("drop_domain")),
        (drop_domain(), Inverse("create_domain")),
        (rebuild_domain(), Inverse("rebuild_domain")),
        (
            set_domain_default(None, Some("'00000'")),
            Inverse("set_domain_default"),
        ),
        (set_domain_not_null(true), Inverse("set_domain_not_null")),
        (
            add_domain_constraint(true),
            Inverse("drop_domain_constraint"),
        ),
        (drop_domain_constraint(), Inverse("add_domain_constraint")),
        // Added back NOT VALID: PostgreSQL cannot mark a constraint not validated again.
        (
            validate_domain_constraint(),
            Undo(&["drop_domain_constraint", "add_domain_constraint"]),
        ),
        (create_composite_type(), Inverse("drop_composite_type")),
        (create_range_type(), Inverse("drop_range_type")),
        (drop_range_type(), Inverse("create_range_type")),
        (create_collation(), Inverse("drop_collation")),
        (drop_collation(), Inverse("create_collation")),
        (drop_composite_type(), Inverse("create_composite_type")),
        (add_attribute(), Inverse("drop_attribute")),
        (drop_attribute(false), Inverse("add_attribute")),
        (
            drop_attribute(true),
            Irreversible("the values of attribute city held in table columns"),
        ),
        (alter_attribute_type(), Inverse("alter_attribute_type")),
    ]
}

fn table_rows() -> Vec<Row> {
    vec![
        (create_table(), Undo(&["drop_table"])),
        // The table with its inline key, its rows, then what is built over the rows, then its
        // identity's position.
        (
            drop_table(),
            Undo(&[
                "create_table",
                "restore",
                "create_index",
                "create_trigger",
                "create_policy",
                "set_row_security",
                "restore",
            ]),
        ),
        (
            drop_table_without_backup(),
            Irreversible("deletes its rows (--no-backup)"),
        ),
        (add_column(), Undo(&["drop_column"])),
        // Added bare, filled, then given its NOT NULL.
        (
            drop_column(true),
            Undo(&["add_column", "restore", "alter_column"]),
        ),
        (
            drop_column(false),
            Irreversible("no primary key or unique key of NOT NULL columns"),
        ),
        (
            drop_column_without_backup(),
            Irreversible("deletes its values (--no-backup)"),
        ),
        (
            drop_parent_column_only(),
            Irreversible("cannot make it inherited alone again"),
        ),
        (drop_generated_column(), Inverse("add_column")),
        (set_not_null(), Inverse("alter_column")),
        (narrow_column(), Inverse("alter_column")),
        (convert_column_one_way(), Irreversible("gives no way back")),
        (create_statistics(), Inverse("drop_statistics")),
        (drop_statistics(), Inverse("create_statistics")),
        (alter_statistics(), Inverse("alter_statistics")),
        (
            alter_column_settings(true),
            Inverse("alter_column_settings"),
        ),
        (
            drop_generation(),
            Irreversible("cannot make a column generated again"),
        ),
        (add_constraint(), Inverse("drop_constraint")),
        (drop_foreign_key(), Inverse("add_constraint")),
        (
            validate_constraint(),
            Undo(&["drop_constraint", "add_constraint"]),
        ),
        (alter_constraint(), Inverse("alter_constraint")),
        (
            not_null_constraint(None, Some(NOT_VALID)),
            Inverse("drop_not_null"),
        ),
        (
            not_null_constraint(Some(NOT_VALID), Some(NotNullState::PLAIN)),
            Inverse("alter_not_null"),
        ),
        (create_index(true), Inverse("drop_index")),
        (drop_index(false), Inverse("create_index")),
        (rename_table(), Inverse("rename_table")),
        (rename_column(), Inverse("rename_column")),
        (rename_index(), Inverse("rename_index")),
        (add_constraint_using_index(), Undo(&["drop_constraint"])),
        (backfill(false), Nothing),
        (
            backfill(true),
            Irreversible("which rows were NULL is not kept"),
        ),
        (attach_partition(), Inverse("detach_partition")),
        (detach_partition(false, None), Inverse("attach_partition")),
        (
            set_inherit(false),
            Irreversible("the columns and checks the table had from it alone stay its own"),
        ),
        // Only ever the reverse of nothing the diff makes; leaving again is exact.
        (set_inherit(true), Undo(&["no_inherit"])),
        // A concurrent detach leaves a CHECK behind, which going back drops.
        (
            detach_partition(true, Some("events_2024_check")),
            Undo(&["attach_partition", "drop_constraint"]),
        ),
        (create_index_only(), Undo(&["drop_partitioned_index"])),
        (attach_index(), Undo(&["drop_partitioned_index"])),
        // It names an index the plan creates, which undoing the plan drops.
        (name_inherited_index("events_2024_created", None), Nothing),
        (
            name_inherited_index("events_2024_created", Some("events_2024_created_idx")),
            Inverse("name_inherited_index"),
        ),
        (
            drop_partitioned_index(),
            Irreversible("itself the reverse of building one"),
        ),
    ]
}

fn object_rows() -> Vec<Row> {
    vec![
        (create_view(), Inverse("drop_view")),
        (drop_view(), Inverse("create_view")),
        (replace_view(), Inverse("replace_view")),
        (
            create_materialized_view(),
            Inverse("drop_materialized_view"),
        ),
        (
            drop_materialized_view(),
            Inverse("create_materialized_view"),
        ),
        (
            set_materialized_view_options(),
            Inverse("set_materialized_view_options"),
        ),
        (
            set_table_options("fillfactor"),
            Inverse("set_table_options"),
        ),
        (set_view_options(), Inverse("set_view_options")),
        (set_table_unlogged(), Inverse("set_persistence")),
        (
            set_comment(CommentTarget::Table(q("users"))),
            Inverse("set_comment"),
        ),
        (create_function(), Inverse("drop_function")),
        (drop_function(), Inverse("create_function")),
        (replace_function(), Inverse("replace_function")),
        (create_aggregate(), Inverse("drop_aggregate")),
        (drop_aggregate(), Inverse("create_aggregate")),
        (replace_aggregate(), Inverse("replace_aggregate")),
        (
            create_ts_dictionary(),
            Inverse("drop_text_search_dictionary"),
        ),
        (
            drop_ts_dictionary(),
            Inverse("create_text_search_dictionary"),
        ),
        (
            alter_ts_dictionary(),
            Inverse("alter_text_search_dictionary"),
        ),
        (
            create_ts_configuration(),
            Inverse("drop_text_search_configuration"),
        ),
        (
            drop_ts_configuration(),
            Inverse("create_text_search_configuration"),
        ),
        (
            alter_ts_configuration(),
            Inverse("alter_text_search_configuration"),
        ),
        (create_publication(), Inverse("drop_publication")),
        (drop_publication(), Inverse("create_publication")),
        (alter_publication(), Inverse("alter_publication")),
        (create_trigger(), Inverse("drop_trigger")),
        (drop_trigger(), Inverse("create_trigger")),
        (replace_trigger(), Inverse("replace_trigger")),
        (set_trigger_enabled(), Inverse("set_trigger_enabled")),
        (
            run_hook(Some("UPDATE app.users SET nickname = NULL")),
            Inverse("undo_hook"),
        ),
        (
            run_hook(None),
            Irreversible("hook fill_nicknames has no `down` SQL"),
        ),
        (undo_hook(), Inverse("run_hook")),
        (
            restore_rows(),
            Irreversible("a restore is itself the reverse of a drop"),
        ),
        (
            restore_positions(),
            Irreversible("a restore is itself the reverse of a drop"),
        ),
    ]
}

fn security_rows() -> Vec<Row> {
    vec![
        (create_policy(), Inverse("drop_policy")),
        (drop_policy(), Inverse("create_policy")),
        (alter_policy(false), Inverse("alter_policy")),
        (
            set_row_security((false, false), (true, true)),
            Inverse("set_row_security"),
        ),
        (
            set_replica_identity(
                ReplicaIdentity::Full,
                ReplicaIdentity::Index("users_pkey".into()),
            ),
            Inverse("set_replica_identity"),
        ),
        (grant(), Inverse("revoke")),
        (revoke(), Inverse("grant")),
        (
            set_owner(SecuredObject::Table(q("users"))),
            Inverse("set_owner"),
        ),
        (
            set_default_privileges(&[], &[Privilege::Insert]),
            Inverse("revoke_default_privileges"),
        ),
        (
            set_default_privileges(&[Privilege::Select], &[]),
            Inverse("grant_default_privileges"),
        ),
    ]
}

fn rows() -> Vec<Row> {
    [type_rows(), table_rows(), object_rows(), security_rows()]
        .into_iter()
        .flatten()
        .collect()
}

fn kinds(changes: &[Change]) -> Vec<&'static str> {
    changes.iter().map(Change::kind).collect()
}

/// What is wrong with `change`'s reverse, if anything.
fn mismatch(change: &Change, expected: &Expect) -> Option<String> {
    let got = change.reverse();
    let ok = match (expected, &got) {
        (Inverse(kind), Reverse::Changes(undo)) => {
            matches!(undo.as_slice(), [one] if one.kind() == *kind
                && one.reverse() == Reverse::Changes(vec![change.clone()]))
        }
        (Undo(expected), Reverse::Changes(undo)) => kinds(undo) == *expected,
        (Nothing, Reverse::Changes(undo)) => undo.is_empty(),
        (Irreversible(fragment), Reverse::Irreversible { reason }) => reason.contains(fragment),
        _ => false,
    };
    let got = match got {
        Reverse::Changes(undo) => format!("{:?}", kinds(&undo)),
        Reverse::Irreversible { reason } => format!("irreversible: {reason}"),
    };
    (!ok).then(|| format!("{} {}: {got}", change.kind(), change.object()))
}

/// Checks every row, reporting all the rows that disagree at once.
fn check(rows: &[Row]) {
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|(change, expected)| mismatch(change, expected))
        .collect();
    assert!(wrong.is_empty(), "wrong reverses:\n{}", wrong.join("\n"));
}

#[test]
fn each_change_has_its_reverse() {
    check(&rows());
}

#[test]
fn every_variant_has_a_reverse_row() {
    assert_covers("reverse", rows().iter().map(|(c, _)| c));
}

/// Undoing a dropped table puts its rows back before its sequences' positions, and only the
/// last restore removes the backup schema when it is left empty.
#[test]
fn only_the_last_restore_of_a_reverse_is_marked_last() {
    let Reverse::Changes(undo) = drop_table().reverse() else {
        panic!("a kept table can be restored");
    };
    let last: Vec<bool> = undo
        .iter()
        .filter_map(|c| match c {
            Change::Restore { last, .. } => Some(*last),
            _ => None,
        })
        .collect();
    assert_eq!(last, [false, true]);
}
