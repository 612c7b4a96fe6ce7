//! Order rows of views, options, comments, functions, triggers, hooks, restores and security.

use super::fixtures::*;
use super::make_objects::*;
use super::make_security::*;
use super::make_tables::*;
use super::make_textsearch::*;
use super::make_types::*;
use super::order_row::{Row, row};
use crate::model::*;
use crate::plan::change::{Change, CommentTarget};

pub fn view_rows() -> Vec<Row> {
    vec![
        // Against the default order (same rank, and `order_totals` sorts first).
        row(
            create_view(),
            vec![create_materialized_view()],
            &[
                "expand create_view app.recent_orders",
                "expand create_materialized_view app.order_totals",
            ],
        ),
        row(
            create_materialized_view(),
            vec![create_view()],
            &[
                "expand create_view app.recent_orders",
                "expand create_materialized_view app.order_totals",
            ],
        ),
        row(
            drop_view(),
            vec![drop_column_without_backup()],
            &[
                "contract drop_view app.active_users",
                "contract drop_column app.users.email",
            ],
        ),
        row(
            replace_view(),
            vec![rename_column()],
            &[
                "contract rename_column app.users.email",
                "contract replace_view app.active_users",
            ],
        ),
        row(
            drop_materialized_view(),
            vec![drop_column_of("users", col("mood", "app.mood"))],
            &[
                "contract drop_materialized_view app.user_stats",
                "contract drop_column app.users.mood",
            ],
        ),
        row(
            Change::SetMaterializedViewOptions {
                name: q("order_totals"),
                from: Default::default(),
                to: [("fillfactor".to_string(), "80".to_string())].into(),
            },
            vec![create_materialized_view()],
            &[
                "expand create_materialized_view app.order_totals",
                "expand set_materialized_view_options app.order_totals",
            ],
        ),
        row(
            Change::SetOptions {
                table: q("accounts"),
                view: false,
                from: Default::default(),
                to: [("fillfactor".to_string(), "70".to_string())].into(),
            },
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand set_table_options app.accounts",
            ],
        ),
        // A logged table may only reference logged tables (against the name order).
        row(
            set_logged("orders", false),
            vec![set_logged("users", false)],
            &[
                "expand set_persistence app.users",
                "expand set_persistence app.orders",
            ],
        ),
        row(
            set_logged("items_id_seq", true),
            vec![set_logged("items", false)],
            &[
                "expand set_persistence app.items",
                "expand set_persistence app.items_id_seq",
            ],
        ),
        row(
            set_comment(CommentTarget::Index(q("accounts_user_idx"))),
            vec![create_index_on_new_table(), create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_index app.accounts_user_idx",
                "expand set_comment app.accounts_user_idx",
            ],
        ),
        // A technique's own sequence overrides the default order.
        Row {
            sequence: vec![(0, 1)],
            ..row(
                set_comment(CommentTarget::Table(q("users"))),
                vec![add_column_to("orders", col("note", "text"))],
                &[
                    "expand set_comment app.users",
                    "expand add_column app.orders.note",
                ],
            )
        },
    ]
}

/// A configuration comes after the dictionaries it maps (by name from YAML, by `pg_depend`
/// from the catalog) and goes before them.
pub fn text_search_rows() -> Vec<Row> {
    vec![
        row(
            create_ts_configuration(),
            vec![create_ts_dictionary()],
            &[
                "expand create_text_search_dictionary app.plain_dict",
                "expand create_text_search_configuration app.titles",
            ],
        ),
        row(
            drop_ts_dictionary(),
            vec![drop_ts_configuration()],
            &[
                "contract drop_text_search_configuration app.search",
                "contract drop_text_search_dictionary app.stem_dict",
            ],
        ),
        // The new dictionary first; the old one goes only once the mapping has left it.
        row(
            alter_ts_configuration(),
            vec![create_ts_dictionary(), drop_ts_dictionary()],
            &[
                "expand create_text_search_dictionary app.plain_dict",
                "expand alter_text_search_configuration app.search",
                "contract drop_text_search_dictionary app.stem_dict",
            ],
        ),
        row(
            create_ts_dictionary(),
            vec![create_ts_configuration()],
            &[
                "expand create_text_search_dictionary app.plain_dict",
                "expand create_text_search_configuration app.titles",
            ],
        ),
        row(
            drop_ts_configuration(),
            vec![drop_ts_dictionary()],
            &[
                "contract drop_text_search_configuration app.search",
                "contract drop_text_search_dictionary app.stem_dict",
            ],
        ),
        // A publication after the tables it names, and dropped before them.
        row(
            create_publication(),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_publication accounts_pub",
            ],
        ),
        row(
            drop_publication(),
            vec![drop_table_without_backup()],
            &[
                "contract drop_publication orders_pub",
                "contract drop_table app.orders",
            ],
        ),
        row(
            alter_publication(),
            vec![],
            &["expand alter_publication orders_pub"],
        ),
        row(
            alter_ts_dictionary(),
            vec![],
            &["expand alter_text_search_dictionary app.stem_dict"],
        ),
    ]
}

pub fn routine_rows() -> Vec<Row> {
    let counts_accounts = function("bigint", "sql", "SELECT count(*) FROM app.accounts");
    let u_step = || create_function_named("u_step", function("bigint", "sql", "SELECT 0::bigint"));
    vec![
        // The support function a YAML aggregate names comes first (against the default order
        // by name).
        row(
            create_aggregate(),
            vec![u_step()],
            &[
                "expand create_function app.u_step()",
                "expand create_aggregate app.counted(bigint)",
            ],
        ),
        row(
            replace_aggregate(),
            vec![u_step()],
            &[
                "expand create_function app.u_step()",
                "expand replace_aggregate app.total(bigint)",
            ],
        ),
        // Dropped before the function `pg_depend` says it steps with.
        row(
            drop_aggregate(),
            vec![Change::DropFunction {
                id: fid("add_to_total"),
                def: function("bigint", "sql", "SELECT 0::bigint"),
            }],
            &[
                "contract drop_aggregate app.total(bigint)",
                "contract drop_function app.add_to_total()",
            ],
        ),
        // What the body reads comes first (against the default order: functions before tables).
        row(
            create_function_named("account_count", counts_accounts.clone()),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_function app.account_count()",
            ],
        ),
        row(
            drop_audit(),
            vec![drop_trigger()],
            &[
                "contract drop_trigger app.users.users_audit",
                "contract drop_function app.audit()",
            ],
        ),
        row(
            Change::ReplaceFunction {
                id: fid("user_count"),
                from: user_count(),
                to: counts_accounts,
            },
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand replace_function app.user_count()",
            ],
        ),
        row(
            accounts_trigger("audit"),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_trigger app.accounts.accounts_audit",
            ],
        ),
        row(
            drop_trigger(),
            vec![drop_audit()],
            &[
                "contract drop_trigger app.users.users_audit",
                "contract drop_function app.audit()",
            ],
        ),
        // The trigger moves to a new function: created before, the old one dropped after.
        row(
            Change::ReplaceTrigger {
                table: q("users"),
                name: "users_audit".into(),
                from: trigger("audit", &["insert"]),
                to: trigger("audit_v2", &["insert"]),
            },
            vec![drop_audit(), create_function_named("audit_v2", audit())],
            &[
                "expand create_function app.audit_v2()",
                "expand replace_trigger app.users.users_audit",
                "contract drop_function app.audit()",
            ],
        ),
        row(
            Change::SetTriggerEnabled {
                table: q("accounts"),
                name: "accounts_audit".into(),
                from: TriggerEnabled::Origin,
                to: TriggerEnabled::Disabled,
            },
            vec![accounts_trigger("audit"), create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_trigger app.accounts.accounts_audit",
                "expand set_trigger_enabled app.accounts.accounts_audit",
            ],
        ),
        row(
            run_hook(None),
            vec![drop_column_without_backup(), add_column()],
            &[
                "expand add_column app.users.nickname",
                "backfill run_hook fill_nicknames",
                "contract drop_column app.users.email",
            ],
        ),
        row(
            undo_hook(),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand undo_hook fill_nicknames",
            ],
        ),
        row(
            restore_rows(),
            vec![drop_view()],
            &[
                "expand restore app.users",
                "contract drop_view app.active_users",
            ],
        ),
    ]
}

pub fn security_rows() -> Vec<Row> {
    let on_accounts = SecuredObject::Table(q("accounts"));
    let billing = DefaultPrivilegeKey {
        schema: Some("billing".into()),
        ..default_privileges_key()
    };
    vec![
        row(
            Change::CreatePolicy {
                table: q("accounts"),
                name: "accounts_mine".into(),
                policy: policy("user_id = 1", &["reader"]),
            },
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand create_policy app.accounts.accounts_mine",
            ],
        ),
        // The policy reads `orders`: it goes first.
        row(
            drop_policy(),
            vec![drop_table_without_backup()],
            &[
                "contract drop_policy app.users.users_own",
                "contract drop_table app.orders",
            ],
        ),
        row(
            alter_policy(false),
            vec![rename_table()],
            &[
                "contract rename_table app.users",
                "contract alter_policy app.users.users_own",
            ],
        ),
        row(
            Change::SetRowSecurity {
                table: q("accounts"),
                from: RowSecurity::default(),
                to: RowSecurity {
                    enabled: true,
                    forced: false,
                },
            },
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "contract set_row_security app.accounts",
            ],
        ),
        row(
            Change::SetReplicaIdentity {
                table: q("accounts"),
                from: ReplicaIdentity::Default,
                to: ReplicaIdentity::Full,
            },
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand set_replica_identity app.accounts",
            ],
        ),
        row(
            set_grants(on_accounts.clone(), &[], &[Privilege::Select]),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "expand grant app.accounts",
            ],
        ),
        // A column's privileges are revoked before the column goes.
        row(
            set_grants(
                SecuredObject::Column(q("users"), "email".into()),
                &[Privilege::Select],
                &[],
            ),
            vec![drop_column_without_backup()],
            &[
                "contract revoke app.users.email",
                "contract drop_column app.users.email",
            ],
        ),
        row(
            set_owner(on_accounts),
            vec![create_table()],
            &[
                "expand create_table app.accounts",
                "contract set_owner app.accounts",
            ],
        ),
        row(
            Change::SetDefaultPrivileges {
                key: billing.clone(),
                grantee: "reader".into(),
                from: privileges(&[]),
                to: privileges(&[Privilege::Select]),
            },
            vec![create_schema()],
            &[
                "expand create_schema billing",
                "expand grant_default_privileges default privileges for owner_a in billing on tables",
            ],
        ),
        row(
            Change::SetDefaultPrivileges {
                key: billing,
                grantee: "reader".into(),
                from: privileges(&[Privilege::Select]),
                to: privileges(&[]),
            },
            vec![drop_schema_named("billing")],
            &[
                "contract revoke_default_privileges default privileges for owner_a in billing on tables",
                "contract drop_schema billing",
            ],
        ),
    ]
}
