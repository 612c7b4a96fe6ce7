//! Changes of views, materialized views, storage options, comments, functions, triggers, data
//! hooks and restores, on the objects of `fixtures`.

use super::fixtures::*;
use crate::model::*;
use crate::plan::change::{Change, CommentTarget, Restored};

fn options(pairs: &[(&str, &str)]) -> StorageOptions {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

pub fn create_view() -> Change {
    Change::CreateView {
        name: q("recent_orders"),
        view: recent_orders(),
    }
}

pub fn drop_view() -> Change {
    Change::DropView {
        name: q("active_users"),
        view: active_users(),
    }
}

/// `active_users` gains the column `mood`.
pub fn replace_view() -> Change {
    Change::ReplaceView {
        name: q("active_users"),
        from: active_users(),
        to: view(
            "SELECT id, email, mood FROM app.users",
            &["id", "email", "mood"],
        ),
    }
}

pub fn create_materialized_view() -> Change {
    Change::CreateMaterializedView {
        name: q("order_totals"),
        view: order_totals(),
    }
}

pub fn drop_materialized_view() -> Change {
    Change::DropMaterializedView {
        name: q("user_stats"),
        view: user_stats(),
    }
}

pub fn set_materialized_view_options() -> Change {
    Change::SetMaterializedViewOptions {
        name: q("user_stats"),
        from: StorageOptions::new(),
        to: options(&[("fillfactor", "80")]),
    }
}

/// `orders` gets `fillfactor` (a parameter PostgreSQL changes under a light lock), or another.
pub fn set_table_options(key: &str) -> Change {
    Change::SetOptions {
        table: q("orders"),
        view: false,
        from: StorageOptions::new(),
        to: options(&[(key, "70")]),
    }
}

pub fn set_view_options() -> Change {
    Change::SetOptions {
        table: q("active_users"),
        view: true,
        from: StorageOptions::new(),
        to: options(&[("security_barrier", "true")]),
    }
}

pub fn set_table_unlogged() -> Change {
    Change::SetPersistence {
        table: q("items"),
        sequence: false,
        unlogged: true,
    }
}

pub fn set_sequence_unlogged() -> Change {
    Change::SetPersistence {
        table: q("counter"),
        sequence: true,
        unlogged: true,
    }
}

pub fn set_comment(target: CommentTarget) -> Change {
    Change::SetComment {
        target,
        from: None,
        to: Some("said".into()),
    }
}

pub fn create_function() -> Change {
    Change::CreateFunction {
        id: fid("order_count"),
        def: order_count(),
    }
}

pub fn drop_function() -> Change {
    Change::DropFunction {
        id: fid("user_count"),
        def: user_count(),
    }
}

/// `user_count` counts the rows of `orders` instead.
pub fn replace_function() -> Change {
    Change::ReplaceFunction {
        id: fid("user_count"),
        from: user_count(),
        to: function("bigint", "sql", "SELECT count(*) FROM app.orders"),
    }
}

/// The trigger function `audit` gets a new body.
pub fn replace_audit() -> Change {
    Change::ReplaceFunction {
        id: fid("audit"),
        from: audit(),
        to: function("trigger", "plpgsql", "BEGIN RETURN OLD; END"),
    }
}

pub fn create_trigger() -> Change {
    Change::CreateTrigger {
        table: q("orders"),
        name: "orders_audit".into(),
        trigger: trigger("audit", &["insert"]),
    }
}

pub fn drop_trigger() -> Change {
    Change::DropTrigger {
        table: q("users"),
        name: "users_audit".into(),
        trigger: trigger("audit", &["insert"]),
    }
}

pub fn replace_trigger() -> Change {
    Change::ReplaceTrigger {
        table: q("users"),
        name: "users_audit".into(),
        from: trigger("audit", &["insert"]),
        to: trigger("audit", &["insert", "update"]),
    }
}

pub fn set_trigger_enabled() -> Change {
    Change::SetTriggerEnabled {
        table: q("users"),
        name: "users_audit".into(),
        from: TriggerEnabled::Origin,
        to: TriggerEnabled::Disabled,
    }
}

pub fn run_hook(down: Option<&str>) -> Change {
    Change::RunHook {
        hook: hook("fill_nicknames", down),
    }
}

pub fn undo_hook() -> Change {
    Change::UndoHook {
        hook: hook(
            "fill_nicknames",
            Some("UPDATE app.users SET nickname = NULL"),
        ),
    }
}

pub fn restore_rows() -> Change {
    Change::Restore {
        from: QualName::new("schemaplan_backup", "p_users"),
        into: Restored::Rows {
            table: q("users"),
            columns: users().columns,
        },
        last: false,
    }
}

pub fn restore_values() -> Change {
    Change::Restore {
        from: QualName::new("schemaplan_backup", "p_users_email"),
        into: Restored::Values {
            table: q("users"),
            column: not_null("email", "text"),
            key: vec![identity("id", "bigint")],
        },
        last: true,
    }
}

pub fn restore_positions() -> Change {
    Change::Restore {
        from: QualName::new("schemaplan_backup", "p_positions"),
        into: Restored::Positions {
            sequences: vec![q("counter"), q("users_id_seq")],
        },
        last: false,
    }
}

pub fn create_aggregate() -> Change {
    Change::CreateAggregate {
        id: aid("counted"),
        def: aggregate("u_step"),
    }
}

pub fn drop_aggregate() -> Change {
    Change::DropAggregate {
        id: aid("total"),
        def: aggregate("app.add_to_total"),
    }
}

/// `total` steps with the new `u_step` instead.
pub fn replace_aggregate() -> Change {
    Change::ReplaceAggregate {
        id: aid("total"),
        from: aggregate("app.add_to_total"),
        to: aggregate("app.u_step"),
    }
}

pub fn create_function_named(name: &str, def: Function) -> Change {
    Change::CreateFunction { id: fid(name), def }
}

pub fn drop_audit() -> Change {
    Change::DropFunction {
        id: fid("audit"),
        def: audit(),
    }
}

pub fn accounts_trigger(function: &str) -> Change {
    Change::CreateTrigger {
        table: q("accounts"),
        name: "accounts_audit".into(),
        trigger: trigger(function, &["insert"]),
    }
}

pub fn create_user_stats() -> Change {
    Change::CreateMaterializedView {
        name: q("user_stats"),
        view: user_stats(),
    }
}

pub fn create_active_users() -> Change {
    Change::CreateView {
        name: q("active_users"),
        view: active_users(),
    }
}

pub fn set_logged(table: &str, sequence: bool) -> Change {
    Change::SetPersistence {
        table: q(table),
        sequence,
        unlogged: false,
    }
}
