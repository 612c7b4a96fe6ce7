//! Order rows of tables, columns, constraints, indexes and partitions.

use super::fixtures::*;
use super::make_objects::*;
use super::make_tables::*;
use super::order_row::{Row, row};
use crate::model::*;
use crate::plan::change::{Change, Renamed};

pub fn table_and_column_rows() -> Vec<Row> {
    vec![
        row(
            create_table(),
            vec![add_foreign_key(), create_index_on_new_table()],
            &[
                "expand create_table app.accounts",
                "expand create_index app.accounts_user_idx",
                "expand add_constraint app.accounts.accounts_user_fk",
            ],
        ),
        // What reads the table goes first; the function its trigger calls goes after.
        row(
            drop_table(),
            vec![
                drop_audit(),
                drop_foreign_key(),
                drop_materialized_view(),
                drop_view(),
            ],
            &[
                "contract drop_view app.active_users",
                "contract drop_materialized_view app.user_stats",
                "contract drop_constraint app.orders.orders_user_fk",
                "contract drop_table app.users",
                "contract drop_function app.audit()",
            ],
        ),
        // Statistics come after their table and go before a column they read.
        row(
            create_statistics_on_new_table(),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_statistics app.accounts_user_stats",
            ],
        ),
        row(
            drop_statistics(),
            vec![drop_column(true)],
            &[
                "contract drop_statistics app.users_email_mood",
                "contract drop_column app.users.email",
            ],
        ),
        row(
            alter_statistics(),
            vec![create_statistics()],
            &[
                "expand create_statistics app.users_email_mood",
                "expand alter_statistics app.users_email_mood",
            ],
        ),
        // Settings go on the column as its new type leaves it.
        row(
            alter_column_settings(false),
            vec![narrow_column()],
            &[
                "contract alter_column app.orders.total",
                "contract alter_column_settings app.orders.total",
            ],
        ),
        row(
            add_column(),
            vec![backfill(false)],
            &[
                "expand add_column app.users.nickname",
                "backfill backfill app.users.nickname",
            ],
        ),
        row(
            drop_column(true),
            vec![drop_index(false), drop_view()],
            &[
                "contract drop_view app.active_users",
                "contract drop_index app.users_email_idx",
                "contract drop_column app.users.email",
            ],
        ),
        // Added again under its name (with another type): after the drop, in contract.
        row(
            drop_column(true),
            vec![add_column_to("users", col("email", "character varying"))],
            &[
                "contract drop_column app.users.email",
                "contract add_column app.users.email",
            ],
        ),
        // A new type for a column a view reads: the view is dropped before and created after.
        row(
            alter_column(
                "users",
                not_null("email", "text"),
                not_null("email", "character varying(200)"),
            ),
            vec![create_active_users(), drop_view()],
            &[
                "contract drop_view app.active_users",
                "contract alter_column app.users.email",
                "contract create_view app.active_users",
            ],
        ),
        row(
            widen_column(),
            Vec::new(),
            &["expand alter_column app.orders.total"],
        ),
        row(
            backfill(false),
            vec![set_not_null_of("users", "nickname"), add_column()],
            &[
                "expand add_column app.users.nickname",
                "backfill backfill app.users.nickname",
                "contract alter_column app.users.nickname",
            ],
        ),
        row(
            rename_column(),
            vec![create_index_on(
                "users",
                "users_email_lower_idx",
                &["email"],
            )],
            &[
                "contract rename_column app.users.email",
                "contract create_index app.users_email_lower_idx",
            ],
        ),
    ]
}

pub fn constraint_and_index_rows() -> Vec<Row> {
    vec![
        // A table has one primary key: the old one goes first (against the default order).
        row(
            add_constraint_to("orders", "orders_id_pkey", primary_key(&["id", "user_id"])),
            vec![Change::DropConstraint {
                table: q("orders"),
                name: "orders_pkey".into(),
                constraint: primary_key(&["id"]),
            }],
            &[
                "contract drop_constraint app.orders.orders_pkey",
                "contract add_constraint app.orders.orders_id_pkey",
            ],
        ),
        row(
            add_foreign_key(),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand add_constraint app.accounts.accounts_user_fk",
            ],
        ),
        row(
            drop_constraint(),
            vec![add_constraint_to(
                "orders",
                "orders_total_check",
                check_constraint("total > 0"),
            )],
            &[
                "contract drop_constraint app.orders.orders_total_check",
                "contract add_constraint app.orders.orders_total_check",
            ],
        ),
        // A check lifted from a table a data hook works on is lifted in expand, before it.
        row(
            Change::DropConstraint {
                table: q("users"),
                name: "users_email_check".into(),
                constraint: check_constraint("email <> ''"),
            },
            vec![run_hook(None)],
            &[
                "expand drop_constraint app.users.users_email_check",
                "backfill run_hook fill_nicknames",
            ],
        ),
        row(
            validate_constraint(),
            vec![Change::AddConstraint {
                table: q("orders"),
                name: "orders_user_fk".into(),
                constraint: Constraint {
                    validated: false,
                    ..foreign_key(&["user_id"], "users", &["id"])
                },
            }],
            &[
                "contract add_constraint app.orders.orders_user_fk",
                "contract validate_constraint app.orders.orders_user_fk",
            ],
        ),
        // PostgreSQL 18: a NOT NULL constraint is validated after it is added.
        row(
            not_null_constraint(Some(NOT_VALID), Some(NotNullState::PLAIN)),
            vec![not_null_constraint(None, Some(NOT_VALID))],
            &[
                "contract add_not_null app.orders.orders_user_id_not_null",
                "contract validate_not_null app.orders.orders_user_id_not_null",
            ],
        ),
        row(
            alter_constraint(),
            vec![rename(
                Renamed::Constraint { table: q("orders") },
                "orders_user_fkey",
                "orders_user_fk",
            )],
            &[
                "contract rename_constraint app.orders.orders_user_fk",
                "contract alter_constraint app.orders.orders_user_fk",
            ],
        ),
        row(
            create_index_on_new_table(),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_index app.accounts_user_idx",
            ],
        ),
        // Built again under its name: after the drop (against the default order).
        row(
            drop_index(false),
            vec![create_index_on(
                "users",
                "users_email_idx",
                &["email", "id"],
            )],
            &[
                "contract drop_index app.users_email_idx",
                "contract create_index app.users_email_idx",
            ],
        ),
        // An index rebuilt online: built under a new name, the old one dropped, then renamed.
        row(
            rename_index(),
            vec![
                drop_index(true),
                Change::CreateIndex {
                    table: q("users"),
                    name: "users_email_idx_new".into(),
                    index: index(&["email"]),
                    concurrently: true,
                    replaces: Some("users_email_idx".into()),
                },
            ],
            &[
                "expand create_index app.users_email_idx_new",
                "contract drop_index app.users_email_idx",
                "contract rename_index app.users_email_idx",
            ],
        ),
        row(
            add_constraint_using_index(),
            vec![Change::CreateIndex {
                table: q("users"),
                name: "users_email_key".into(),
                index: Index {
                    unique: true,
                    ..index(&["email"])
                },
                concurrently: true,
                replaces: None,
            }],
            &[
                "expand create_index app.users_email_key",
                "contract add_constraint_using_index app.users.users_email_key",
            ],
        ),
    ]
}

pub fn partition_rows() -> Vec<Row> {
    let events_2024_id_idx = Change::CreateIndex {
        table: q("events_2024"),
        name: "events_2024_id_idx".into(),
        index: index(&["id"]),
        concurrently: true,
        replaces: None,
    };
    let on_parent_and_partition = &[
        "expand create_index app.events_2024_id_idx",
        "expand create_index_only app.events_id_idx",
        "expand attach_index app.events_2024_id_idx",
    ];
    vec![
        row(
            create_partition(),
            Vec::new(),
            &["expand create_table app.events_2025"],
        ),
        // Created as a table of its own, then attached.
        row(
            attach_partition(),
            vec![Change::CreateTable {
                name: q("events_2025"),
                table: Table {
                    columns: events().columns,
                    ..Table::default()
                },
            }],
            &[
                "expand create_table app.events_2025",
                "contract attach_partition app.events_2025",
            ],
        ),
        // A table stops inheriting before its parent is dropped.
        row(
            set_inherit(false),
            vec![drop_table()],
            &[
                "contract no_inherit app.orders",
                "contract drop_table app.users",
            ],
        ),
        // What the partition has from its parent can only be dropped once it is detached.
        row(
            detach_partition(false, None),
            vec![drop_index_of(
                "events_2024",
                "events_2024_created_idx",
                &["created"],
            )],
            &[
                "contract detach_partition app.events_2024",
                "contract drop_index app.events_2024_created_idx",
            ],
        ),
        row(
            create_index_only(),
            vec![attach_index(), events_2024_id_idx.clone()],
            on_parent_and_partition,
        ),
        row(
            attach_index(),
            vec![create_index_only(), events_2024_id_idx],
            on_parent_and_partition,
        ),
        row(
            Change::NameInheritedIndex {
                partition: q("events_2025"),
                parent_index: q("events_created_idx"),
                name: "events_2025_created".into(),
                previous: None,
                twin: false,
            },
            vec![create_partition()],
            &[
                "expand create_table app.events_2025",
                "expand name_inherited_index app.events_2025_created",
            ],
        ),
        // Keeping the name for the way back: before the parent's index goes.
        row(
            name_inherited_index("events_2024_created_idx", Some("events_2024_created_idx")),
            vec![drop_index_of("events", "events_created_idx", &["created"])],
            &[
                "expand name_inherited_index app.events_2024_created_idx",
                "contract drop_index app.events_created_idx",
            ],
        ),
        row(
            drop_partitioned_index(),
            vec![create_index_only()],
            &[
                "expand drop_partitioned_index app.events_id_idx",
                "expand create_index_only app.events_id_idx",
            ],
        ),
    ]
}
