//! `classify::phase`: the phase each change belongs to on its own, against the current catalog
//! of `fixtures`.

use super::fixtures::*;
use super::make_objects::*;
use super::make_security::*;
use super::make_tables::*;
use super::make_textsearch::*;
use super::make_types::*;
use super::variants::assert_covers;
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};
use crate::plan::classify::{Phase, phase};

use Phase::{Backfill, Contract, Expand};

type Row = (Change, Phase);

fn type_rows() -> Vec<Row> {
    vec![
        (create_schema(), Expand),
        (drop_schema(), Contract),
        (create_extension(), Expand),
        (drop_extension(), Contract),
        (alter_extension(), Expand),
        (alter_extension_version(), Expand),
        (create_enum(), Expand),
        (drop_enum(), Contract),
        (add_enum_values(), Expand),
        (rebuild_enum(), Contract),
        (create_sequence(), Expand),
        (drop_sequence(), Contract),
        (alter_sequence(), Expand),
        (set_sequence_owner(), Expand),
        (unset_sequence_owner(), Expand),
        (create_domain(), Expand),
        (drop_domain(), Contract),
        (rebuild_domain(), Contract),
        // Dropping the default of an existing domain: the old application may rely on it.
        (set_domain_default(Some("'00000'"), None), Contract),
        (set_domain_default(None, Some("'00000'")), Expand),
        (set_domain_not_null(true), Contract),
        (set_domain_not_null(false), Expand),
        // A new rule for an existing domain tightens it, even one added NOT VALID.
        (add_domain_constraint(true), Contract),
        (add_domain_constraint(false), Contract),
        (add_new_domain_constraint(), Expand),
        (drop_domain_constraint(), Contract),
        (validate_domain_constraint(), Contract),
        (create_composite_type(), Expand),
        (create_range_type(), Expand),
        (drop_range_type(), Contract),
        (create_collation(), Expand),
        (drop_collation(), Contract),
        (drop_composite_type(), Contract),
        (add_attribute(), Expand),
        (drop_attribute(false), Contract),
        (alter_attribute_type(), Contract),
    ]
}

fn table_rows() -> Vec<Row> {
    vec![
        (create_table(), Expand),
        (create_partition(), Expand),
        (drop_table(), Contract),
        (add_column(), Expand),
        (drop_column(true), Contract),
        (set_not_null(), Contract),
        (widen_column(), Expand),
        (narrow_column(), Contract),
        (comment_column(), Expand),
        (create_statistics(), Expand),
        (drop_statistics(), Contract),
        (alter_statistics(), Expand),
        (alter_column_settings(false), Expand),
        (alter_column_settings(true), Expand),
        // A column of a table the plan creates: nothing runs against it yet.
        (
            alter_column(
                "accounts",
                col("user_id", "bigint"),
                not_null("user_id", "bigint"),
            ),
            Expand,
        ),
        (add_constraint(), Contract),
        (add_foreign_key(), Expand),
        (drop_constraint(), Contract),
        (validate_constraint(), Contract),
        // PostgreSQL 18: new rows may no longer be NULL, or existing ones are checked.
        (not_null_constraint(None, Some(NOT_VALID)), Contract),
        (
            not_null_constraint(Some(NOT_VALID), Some(NotNullState::PLAIN)),
            Contract,
        ),
        // Dropped: loosens.
        (not_null_constraint(Some(NotNullState::PLAIN), None), Expand),
        (alter_constraint(), Expand),
        (create_index(true), Expand),
        (drop_index(false), Contract),
        (rename_table(), Contract),
        (rename_column(), Contract),
        (rename_index(), Contract),
        (add_constraint_using_index(), Contract),
        (backfill(false), Backfill),
        (attach_partition(), Contract),
        (detach_partition(true, None), Contract),
        // The parent's scans lose (or gain) the table's rows.
        (set_inherit(false), Contract),
        (set_inherit(true), Contract),
        (create_index_only(), Expand),
        (attach_index(), Expand),
        (name_inherited_index("events_2024_created", None), Expand),
        // Only ever part of a reverse; classed like an addition.
        (drop_partitioned_index(), Expand),
    ]
}

fn object_rows() -> Vec<Row> {
    vec![
        (create_view(), Expand),
        (drop_view(), Contract),
        (replace_view(), Expand),
        (create_materialized_view(), Expand),
        (drop_materialized_view(), Contract),
        (set_materialized_view_options(), Expand),
        (set_table_options("fillfactor"), Expand),
        (set_view_options(), Expand),
        (set_table_unlogged(), Expand),
        (set_comment(CommentTarget::Table(q("users"))), Expand),
        (create_function(), Expand),
        (drop_function(), Contract),
        (replace_function(), Expand),
        (create_aggregate(), Expand),
        (drop_aggregate(), Contract),
        (replace_aggregate(), Expand),
        (create_ts_dictionary(), Expand),
        (drop_ts_dictionary(), Contract),
        (alter_ts_dictionary(), Expand),
        (create_ts_configuration(), Expand),
        (drop_ts_configuration(), Contract),
        (alter_ts_configuration(), Expand),
        (create_publication(), Expand),
        (drop_publication(), Contract),
        (alter_publication(), Expand),
        (create_trigger(), Expand),
        (drop_trigger(), Contract),
        (replace_trigger(), Expand),
        // Switching a trigger off is not a contraction either.
        (set_trigger_enabled(), Expand),
        (run_hook(None), Backfill),
        (undo_hook(), Expand),
        (restore_rows(), Expand),
    ]
}

fn security_rows() -> Vec<Row> {
    vec![
        (create_policy(), Expand),
        // A restrictive policy takes access away, yet it is classed like any new policy.
        (
            Change::CreatePolicy {
                table: q("users"),
                name: "users_limit".into(),
                policy: Policy {
                    permissive: false,
                    ..policy("id > 0", &["reader"])
                },
            },
            Expand,
        ),
        (drop_policy(), Contract),
        (alter_policy(false), Expand),
        (set_row_security((false, false), (true, false)), Contract),
        (set_row_security((true, false), (true, true)), Contract),
        (set_row_security((true, true), (false, false)), Expand),
        // What logical decoding writes; the application does not see it.
        (
            set_replica_identity(ReplicaIdentity::Default, ReplicaIdentity::Nothing),
            Expand,
        ),
        (grant(), Expand),
        (revoke(), Contract),
        (
            set_grants(
                SecuredObject::Table(q("users")),
                &[Privilege::Select],
                &[Privilege::Select, Privilege::Insert],
            ),
            Expand,
        ),
        (set_owner(SecuredObject::Table(q("users"))), Contract),
        (set_default_privileges(&[], &[Privilege::Insert]), Expand),
        (set_default_privileges(&[Privilege::Select], &[]), Contract),
    ]
}

fn rows() -> Vec<Row> {
    [type_rows(), table_rows(), object_rows(), security_rows()].concat()
}

/// Checks every row, reporting all the rows that disagree at once.
fn check(rows: &[Row]) {
    let current = current();
    let wrong: Vec<String> = rows
        .iter()
        .filter_map(|(change, expected)| {
            let got = phase(change, &current);
            (got != *expected).then(|| {
                format!(
                    "{} {}: {got}, expected {expected}",
                    change.kind(),
                    change.object()
                )
            })
        })
        .collect();
    assert!(wrong.is_empty(), "wrong phases:\n{}", wrong.join("\n"));
}

#[test]
fn each_change_has_its_phase() {
    check(&rows());
}

#[test]
fn every_variant_has_a_phase_row() {
    assert_covers("phase", rows().iter().map(|(c, _)| c));
}
