//! `classify::locks` and `classify::hazards`: the locks each change takes on relations that exist
//! when it runs (of the current or the desired catalog of `fixtures`), and its hazards.
//! Relations are named in schema `app`.

use super::fixtures::*;
use super::make_objects::*;
use super::make_security::*;
use super::make_tables::*;
use super::make_textsearch::*;
use super::make_types::*;
use super::variants::assert_covers;
use crate::model::*;
use crate::plan::change::{Change, CommentTarget, Renamed};
use crate::plan::classify::{Hazard, LockMode, Locks, hazards, locks};

use Hazard::*;
use LockMode::*;

struct Row {
    change: Change,
    locks: Vec<(&'static str, LockMode)>,
    hazards: Vec<Hazard>,
}

fn row(change: Change, locks: &[(&'static str, LockMode)], hazards: &[Hazard]) -> Row {
    Row {
        change,
        locks: locks.to_vec(),
        hazards: hazards.to_vec(),
    }
}

fn type_rows() -> Vec<Row> {
    let long_rewrite = [TableRewrite, LongAccessExclusiveLock];
    vec![
        row(create_schema(), &[], &[]),
        row(drop_schema(), &[], &[]),
        row(create_extension(), &[], &[]),
        row(drop_extension(), &[], &[]),
        row(alter_extension(), &[], &[]),
        row(create_enum(), &[], &[]),
        row(drop_enum(), &[], &[]),
        row(add_enum_values(), &[], &[]),
        row(
            rebuild_enum(),
            &[("users", AccessExclusive)],
            &[&long_rewrite[..], &[EnumRebuild]].concat(),
        ),
        row(create_sequence(), &[], &[]),
        row(
            drop_sequence(),
            &[("counter", AccessExclusive)],
            &[DeletesData],
        ),
        row(alter_sequence(), &[("counter", ShareRowExclusive)], &[]),
        row(
            set_sequence_owner(),
            &[("counter", ShareRowExclusive), ("orders", AccessShare)],
            &[],
        ),
        row(
            unset_sequence_owner(),
            &[("items_id_seq", ShareRowExclusive)],
            &[],
        ),
        row(create_domain(), &[], &[]),
        row(drop_domain(), &[], &[]),
        row(
            rebuild_domain(),
            &[("users", AccessExclusive)],
            &[&long_rewrite[..], &[TypeChange]].concat(),
        ),
        row(set_domain_default(None, Some("'00000'")), &[], &[]),
        // A new rule is checked against the tables with a column of the domain, under SHARE.
        row(
            set_domain_not_null(true),
            &[("users", Share)],
            &[ValidationScan],
        ),
        row(set_domain_not_null(false), &[], &[]),
        row(
            add_domain_constraint(true),
            &[("users", Share)],
            &[ValidationScan],
        ),
        row(add_domain_constraint(false), &[], &[]),
        row(add_new_domain_constraint(), &[], &[]),
        row(drop_domain_constraint(), &[], &[]),
        row(
            validate_domain_constraint(),
            &[("users", Share)],
            &[ValidationScan],
        ),
        row(create_composite_type(), &[], &[]),
        row(create_range_type(), &[], &[]),
        row(drop_range_type(), &[], &[]),
        row(create_collation(), &[], &[]),
        row(drop_collation(), &[], &[]),
        row(drop_composite_type(), &[("address", AccessExclusive)], &[]),
        row(add_attribute(), &[("address", AccessExclusive)], &[]),
        row(drop_attribute(false), &[("address", AccessExclusive)], &[]),
        row(
            drop_attribute(true),
            &[("address", AccessExclusive)],
            &[DeletesData],
        ),
        row(
            alter_attribute_type(),
            &[("address", AccessExclusive)],
            &[TypeChange],
        ),
    ]
}

/// Statistics lock their table against schema changes and ANALYZE only; their target locks no
/// relation. A column's statistics target and options take SHARE UPDATE EXCLUSIVE, its storage
/// and compression ACCESS EXCLUSIVE.
fn statistics_rows() -> Vec<Row> {
    vec![
        row(create_statistics(), &[("users", ShareUpdateExclusive)], &[]),
        row(drop_statistics(), &[("users", ShareUpdateExclusive)], &[]),
        row(alter_statistics(), &[], &[]),
        row(
            alter_column_settings(false),
            &[("orders", ShareUpdateExclusive)],
            &[],
        ),
        row(
            alter_column_settings(true),
            &[("orders", AccessExclusive)],
            &[],
        ),
        row(
            set_comment(CommentTarget::Statistics(q("users_email_mood"))),
            &[],
            &[],
        ),
    ]
}

fn table_rows() -> Vec<Row> {
    let scan = [ValidationScan, LongAccessExclusiveLock];
    vec![
        row(create_table(), &[], &[]),
        // The parent, and its default partition scanned for rows of the new one.
        row(
            create_partition(),
            &[
                ("events", AccessExclusive),
                ("events_default", AccessExclusive),
            ],
            &scan,
        ),
        row(
            drop_table(),
            &[
                ("users", AccessExclusive),
                ("users_id_seq", AccessExclusive),
            ],
            &[DeletesData],
        ),
        // The referenced table loses the foreign key's triggers.
        row(
            drop_table_without_backup(),
            &[("orders", AccessExclusive), ("users", AccessExclusive)],
            &[DeletesData],
        ),
        row(
            drop_partition(),
            &[
                ("events", AccessExclusive),
                ("events_2024", AccessExclusive),
                ("events_default", AccessExclusive),
            ],
            &[DeletesData],
        ),
        row(add_column(), &[("users", AccessExclusive)], &[]),
        row(
            drop_column(true),
            &[("users", AccessExclusive)],
            &[DeletesData],
        ),
        row(drop_generated_column(), &[("orders", AccessExclusive)], &[]),
        row(set_not_null(), &[("orders", AccessExclusive)], &scan),
        row(
            widen_column(),
            &[("orders", AccessExclusive)],
            &[TypeChange],
        ),
        row(
            narrow_column(),
            &[("orders", AccessExclusive)],
            &[TypeChange, TableRewrite, LongAccessExclusiveLock],
        ),
        row(comment_column(), &[("orders", ShareUpdateExclusive)], &[]),
        row(
            retype_identity(),
            &[
                ("users", AccessExclusive),
                ("users_id_seq", ShareRowExclusive),
            ],
            &[TypeChange, TableRewrite, LongAccessExclusiveLock],
        ),
        row(drop_generation(), &[("orders", AccessExclusive)], &[]),
        row(add_constraint(), &[("orders", AccessExclusive)], &scan),
        // `accounts` is new: no rows to check.
        row(
            add_foreign_key(),
            &[
                ("accounts", ShareRowExclusive),
                ("users", ShareRowExclusive),
            ],
            &[],
        ),
        row(drop_constraint(), &[("orders", AccessExclusive)], &[]),
        row(
            drop_foreign_key(),
            &[("orders", AccessExclusive), ("users", AccessExclusive)],
            &[],
        ),
        row(
            validate_constraint(),
            &[("orders", ShareUpdateExclusive), ("users", RowShare)],
            &[ValidationScan],
        ),
        row(alter_constraint(), &[("orders", AccessExclusive)], &[]),
        row(
            create_index(true),
            &[("users", ShareUpdateExclusive)],
            &[IndexBuild],
        ),
        row(create_index(false), &[("users", Share)], &[IndexBuild]),
        row(
            create_index_on_new_table(),
            &[("accounts", Share)],
            &[IndexBuild],
        ),
        row(
            drop_index(false),
            &[("users", AccessExclusive)],
            &[IndexDropped],
        ),
        row(
            drop_index(true),
            &[("users", ShareUpdateExclusive)],
            &[IndexDropped],
        ),
        // The old name, which neither catalog has.
        row(rename_table(), &[("people", AccessExclusive)], &[]),
        row(rename_column(), &[("users", AccessExclusive)], &[]),
        row(
            rename(Renamed::Constraint { table: q("orders") }, "a", "b"),
            &[("orders", AccessExclusive)],
            &[],
        ),
        row(
            rename(
                Renamed::Sequence {
                    schema: "app".into(),
                },
                "old_counter",
                "counter",
            ),
            &[("old_counter", AccessExclusive)],
            &[],
        ),
        row(
            rename(
                Renamed::Enum {
                    schema: "app".into(),
                },
                "feeling",
                "mood",
            ),
            &[],
            &[],
        ),
        row(rename_index(), &[], &[]),
        row(
            add_constraint_using_index(),
            &[("users", AccessExclusive)],
            &[],
        ),
        row(backfill(true), &[("users", RowExclusive)], &[]),
        row(
            attach_partition(),
            &[
                ("events", ShareUpdateExclusive),
                ("events_2025", AccessExclusive),
                ("events_default", AccessExclusive),
            ],
            &scan,
        ),
        row(
            detach_partition(true, None),
            &[
                ("events", ShareUpdateExclusive),
                ("events_2024", AccessExclusive),
            ],
            &[],
        ),
        row(
            detach_partition(false, None),
            &[
                ("events", AccessExclusive),
                ("events_2024", AccessExclusive),
                ("events_default", AccessExclusive),
            ],
            &[],
        ),
        row(create_index_only(), &[("events", Share)], &[]),
        row(
            attach_index(),
            &[("events", AccessShare), ("events_2024", AccessShare)],
            &[],
        ),
        row(name_inherited_index("events_2024_created", None), &[], &[]),
        // The parent and every partition, the desired `events_2025` included.
        row(
            drop_partitioned_index(),
            &[
                ("events", AccessExclusive),
                ("events_2024", AccessExclusive),
                ("events_2025", AccessExclusive),
                ("events_default", AccessExclusive),
            ],
            &[],
        ),
    ]
}

/// A table leaving or joining a parent; measured on `pg_locks`: joining matches the parent's
/// columns and checks.
fn inheritance_rows() -> Vec<Row> {
    vec![
        row(
            set_inherit(false),
            &[("orders", AccessExclusive), ("users", AccessShare)],
            &[],
        ),
        row(
            set_inherit(true),
            &[("orders", AccessExclusive), ("users", ShareUpdateExclusive)],
            &[],
        ),
    ]
}

fn object_rows() -> Vec<Row> {
    vec![
        row(create_view(), &[("orders", AccessShare)], &[]),
        row(drop_view(), &[("active_users", AccessExclusive)], &[]),
        row(
            replace_view(),
            &[("active_users", AccessExclusive), ("users", AccessShare)],
            &[],
        ),
        // Populating it reads the view it selects from, and what that view reads.
        row(
            create_materialized_view(),
            &[("orders", AccessShare), ("recent_orders", AccessShare)],
            &[IndexBuild],
        ),
        // The desired catalog still has it: dropped to be created again.
        row(
            drop_materialized_view(),
            &[("user_stats", AccessExclusive)],
            &[MatviewRebuild],
        ),
        row(
            set_materialized_view_options(),
            &[("user_stats", ShareUpdateExclusive)],
            &[],
        ),
        row(
            set_table_options("fillfactor"),
            &[("orders", ShareUpdateExclusive)],
            &[],
        ),
        row(
            set_table_options("parallel_workers"),
            &[("orders", AccessExclusive)],
            &[],
        ),
        row(
            set_view_options(),
            &[("active_users", AccessExclusive)],
            &[],
        ),
        // The sequence the table owns changes with it.
        row(
            set_table_unlogged(),
            &[
                ("items", AccessExclusive),
                ("items_id_seq", AccessExclusive),
            ],
            &[TableRewrite, LongAccessExclusiveLock],
        ),
        // Only the sequences the catalog lists as owned by the table: the identity's sequence
        // `users_id_seq` is left out (DropTable and SetOwner do count it).
        row(
            Change::SetPersistence {
                table: q("users"),
                sequence: false,
                unlogged: true,
            },
            &[("users", AccessExclusive)],
            &[TableRewrite, LongAccessExclusiveLock],
        ),
        row(
            set_sequence_unlogged(),
            &[("counter", AccessExclusive)],
            &[],
        ),
        row(create_function(), &[("orders", AccessShare)], &[]),
        // Catalog rows only (observed on PostgreSQL 15 by the aggregate cases' rehearsals).
        row(create_aggregate(), &[], &[]),
        row(drop_aggregate(), &[], &[]),
        row(replace_aggregate(), &[], &[]),
        // Text search objects are no relations (observed on PostgreSQL 15 by the text search
        // cases' rehearsals).
        row(create_ts_dictionary(), &[], &[]),
        row(drop_ts_dictionary(), &[], &[]),
        row(alter_ts_dictionary(), &[], &[]),
        row(create_ts_configuration(), &[], &[]),
        row(drop_ts_configuration(), &[], &[]),
        row(alter_ts_configuration(), &[], &[]),
        // Tables added to a publication, and those of a publication whose list changes, are
        // locked against schema changes; a dropped publication locks none (observed on
        // PostgreSQL 15 by the publication cases' rehearsals).
        row(
            create_publication(),
            &[("accounts", ShareUpdateExclusive)],
            &[],
        ),
        row(drop_publication(), &[], &[]),
        row(
            alter_publication(),
            &[
                ("orders", ShareUpdateExclusive),
                ("users", ShareUpdateExclusive),
            ],
            &[],
        ),
        row(
            set_comment(CommentTarget::TsConfiguration(q("search"))),
            &[],
            &[],
        ),
        // What a SQL body reads is locked with every partition of it.
        row(
            Change::CreateFunction {
                id: fid("event_count"),
                def: function("bigint", "sql", "SELECT count(*) FROM app.events"),
            },
            &[
                ("events", AccessShare),
                ("events_2024", AccessShare),
                ("events_2025", AccessShare),
                ("events_default", AccessShare),
            ],
            &[],
        ),
        row(drop_function(), &[], &[]),
        row(replace_function(), &[("orders", AccessShare)], &[]),
        // A PL/pgSQL body is not looked into.
        row(replace_audit(), &[], &[]),
        row(create_trigger(), &[("orders", ShareRowExclusive)], &[]),
        row(drop_trigger(), &[("users", AccessExclusive)], &[]),
        row(replace_trigger(), &[("users", ShareRowExclusive)], &[]),
        row(set_trigger_enabled(), &[("users", ShareRowExclusive)], &[]),
        row(run_hook(None), &[], &[]),
        row(undo_hook(), &[], &[]),
        row(restore_rows(), &[("users", RowExclusive)], &[]),
        row(restore_values(), &[("users", RowExclusive)], &[]),
        row(
            restore_positions(),
            &[("counter", RowExclusive), ("users_id_seq", RowExclusive)],
            &[],
        ),
    ]
}

fn comment_rows() -> Vec<Row> {
    let comment = |target| set_comment(target);
    vec![
        row(comment(CommentTarget::Schema("app".into())), &[], &[]),
        row(comment(CommentTarget::Enum(q("mood"))), &[], &[]),
        row(
            comment(CommentTarget::Sequence(q("counter"))),
            &[("counter", ShareUpdateExclusive)],
            &[],
        ),
        row(
            comment(CommentTarget::Table(q("users"))),
            &[("users", ShareUpdateExclusive)],
            &[],
        ),
        row(
            comment(CommentTarget::View(q("active_users"))),
            &[("active_users", ShareUpdateExclusive)],
            &[],
        ),
        row(
            comment(CommentTarget::Column(q("users"), "email".into())),
            &[("users", ShareUpdateExclusive)],
            &[],
        ),
        row(
            comment(CommentTarget::Constraint(q("orders"), "orders_pkey".into())),
            &[("orders", AccessShare)],
            &[],
        ),
        row(
            comment(CommentTarget::Index(q("users_email_idx"))),
            &[],
            &[],
        ),
        row(comment(CommentTarget::Function(fid("audit"))), &[], &[]),
        row(
            comment(CommentTarget::Trigger(q("users"), "users_audit".into())),
            &[("users", AccessShare)],
            &[],
        ),
        row(
            comment(CommentTarget::MaterializedView(q("user_stats"))),
            &[("user_stats", ShareUpdateExclusive)],
            &[],
        ),
        row(comment(CommentTarget::Domain(q("zip"))), &[], &[]),
        row(
            comment(CommentTarget::DomainConstraint(
                q("zip"),
                "zip_format".into(),
            )),
            &[],
            &[],
        ),
        row(
            comment(CommentTarget::CompositeType(q("address"))),
            &[],
            &[],
        ),
        row(
            comment(CommentTarget::Attribute(q("address"), "street".into())),
            &[("address", ShareUpdateExclusive)],
            &[],
        ),
        row(
            comment(CommentTarget::Policy(q("users"), "users_own".into())),
            &[("users", AccessShare)],
            &[],
        ),
    ]
}

fn security_rows() -> Vec<Row> {
    vec![
        row(
            create_policy(),
            &[("orders", AccessExclusive)],
            &[AuthzChange],
        ),
        row(drop_policy(), &[("users", AccessExclusive)], &[AuthzChange]),
        row(
            alter_policy(true),
            &[("users", AccessExclusive)],
            &[AuthzChange],
        ),
        // A new expression is parsed: what the policy reads (as recorded) is opened.
        row(
            alter_policy(false),
            &[("orders", AccessShare), ("users", AccessExclusive)],
            &[AuthzChange],
        ),
        row(
            set_row_security((false, false), (true, false)),
            &[("users", AccessExclusive)],
            &[AuthzChange],
        ),
        // It never recurses to partitions.
        row(
            set_replica_identity(ReplicaIdentity::Default, ReplicaIdentity::Full),
            &[("users", AccessExclusive)],
            &[],
        ),
        row(grant(), &[], &[AuthzChange]),
        row(revoke(), &[], &[AuthzChange]),
        // The identity's sequence changes owner with the table.
        row(
            set_owner(SecuredObject::Table(q("users"))),
            &[
                ("users", AccessExclusive),
                ("users_id_seq", AccessExclusive),
            ],
            &[AuthzChange],
        ),
        row(
            set_owner(SecuredObject::Table(q("items"))),
            &[
                ("items", AccessExclusive),
                ("items_id_seq", AccessExclusive),
            ],
            &[AuthzChange],
        ),
        row(
            set_owner(SecuredObject::View(q("active_users"))),
            &[("active_users", AccessExclusive)],
            &[AuthzChange],
        ),
        row(
            set_owner(SecuredObject::Schema("app".into())),
            &[],
            &[AuthzChange],
        ),
        row(
            set_default_privileges(&[], &[Privilege::Insert]),
            &[],
            &[AuthzChange],
        ),
    ]
}

/// PostgreSQL 18's NOT NULL constraints: adding one NOT VALID is brief; validating reads the
/// rows under SHARE UPDATE EXCLUSIVE.
fn not_null_rows() -> Vec<Row> {
    vec![
        row(
            not_null_constraint(None, Some(NOT_VALID)),
            &[("orders", AccessExclusive)],
            &[],
        ),
        row(
            not_null_constraint(Some(NOT_VALID), Some(NotNullState::PLAIN)),
            &[("orders", ShareUpdateExclusive)],
            &[ValidationScan],
        ),
    ]
}

fn rows() -> Vec<Row> {
    [
        type_rows(),
        table_rows(),
        inheritance_rows(),
        not_null_rows(),
        statistics_rows(),
        object_rows(),
        comment_rows(),
        security_rows(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `app.users: ACCESS EXCLUSIVE, …`
fn shown(locks: &Locks) -> String {
    let each: Vec<String> = locks.iter().map(|(q, m)| format!("{q}: {m}")).collect();
    format!("[{}]", each.join(", "))
}

/// Checks every row, reporting all the rows that disagree at once.
fn check(rows: &[Row]) {
    let (current, desired) = (current(), desired());
    let mut wrong = Vec::new();
    for row in rows {
        let expected: Locks = row
            .locks
            .iter()
            .map(|(name, mode)| (q(name), *mode))
            .collect();
        let got = locks(&row.change, &current, &desired);
        let what = format!("{} {}", row.change.kind(), row.change.object());
        if got != expected {
            wrong.push(format!(
                "{what}: locks {}, expected {}",
                shown(&got),
                shown(&expected)
            ));
        }
        let mut expected = row.hazards.clone();
        expected.sort();
        let got = hazards(&row.change, &current, &desired);
        if got != expected {
            wrong.push(format!("{what}: hazards {got:?}, expected {expected:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "wrong locks or hazards:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn each_change_takes_its_locks() {
    check(&rows());
}

#[test]
fn every_variant_has_a_locks_row() {
    assert_covers("locks", rows().iter().map(|r| &r.change));
}
