//! Changes of tables: tables, columns, constraints, indexes, renames, backfills and partitions,
//! on the objects of `fixtures`.

use super::fixtures::*;
use crate::model::*;
use crate::plan::change::{Backup, Change, Renamed, Using};

fn backup_schema(name: &str) -> QualName {
    QualName::new("schemaplan_backup", name)
}

pub fn create_table() -> Change {
    Change::CreateTable {
        name: q("accounts"),
        table: accounts(),
    }
}

/// The new partition `events_2025`.
pub fn create_partition() -> Change {
    Change::CreateTable {
        name: q("events_2025"),
        table: events_partition(BOUNDS_2025),
    }
}

/// `users`, its rows and its identity's position kept.
pub fn drop_table() -> Change {
    Change::DropTable {
        name: q("users"),
        table: users(),
        backup: Some(Backup {
            data: Some(backup_schema("p_users")),
            key: Vec::new(),
            key_is_unique: false,
            sequences: vec![q("users_id_seq")],
            positions: Some(backup_schema("p_positions")),
            recreate: Vec::new(),
        }),
    }
}

pub fn drop_table_without_backup() -> Change {
    Change::DropTable {
        name: q("orders"),
        table: orders(),
        backup: None,
    }
}

/// The partition `events_2024`, dropped without a copy.
pub fn drop_partition() -> Change {
    Change::DropTable {
        name: q("events_2024"),
        table: events_partition(BOUNDS_2024),
        backup: None,
    }
}

pub fn add_column() -> Change {
    Change::AddColumn {
        table: q("users"),
        column: col("nickname", "text"),
        not_null_name: None,
    }
}

/// `users.email`, its values kept next to the key `id` (unique or not).
pub fn drop_column(key_is_unique: bool) -> Change {
    Change::DropColumn {
        table: q("users"),
        column: not_null("email", "text"),
        backup: Some(Backup {
            data: Some(backup_schema("p_users_email")),
            key: vec![identity("id", "bigint")],
            key_is_unique,
            sequences: Vec::new(),
            positions: None,
            recreate: Vec::new(),
        }),
        only: false,
    }
}

/// A parent's column, dropped with `ONLY`: the tables that inherit keep theirs.
pub fn drop_parent_column_only() -> Change {
    match drop_column(true) {
        Change::DropColumn {
            table,
            column,
            backup,
            ..
        } => Change::DropColumn {
            table,
            column,
            backup,
            only: true,
        },
        _ => unreachable!(),
    }
}

pub fn drop_column_without_backup() -> Change {
    Change::DropColumn {
        table: q("users"),
        column: not_null("email", "text"),
        backup: None,
        only: false,
    }
}

pub fn drop_generated_column() -> Change {
    Change::DropColumn {
        table: q("orders"),
        column: Column {
            generated: Some(Expr::new("total * 2")),
            ..col("double_total", "numeric")
        },
        backup: None,
        only: false,
    }
}

pub fn alter_column(table: &str, from: Column, to: Column) -> Change {
    Change::AlterColumn {
        table: q(table),
        from,
        to,
        using: Using::Implicit,
        using_reverse: Using::Implicit,
        renumber: None,
        renumber_reverse: None,
    }
}

/// `orders.user_id` gains NOT NULL.
pub fn set_not_null() -> Change {
    alter_column(
        "orders",
        col("user_id", "bigint"),
        not_null("user_id", "bigint"),
    )
}

/// `orders.total` from `numeric(10,2)` to `numeric(12,2)`: more digits, same bytes.
pub fn widen_column() -> Change {
    alter_column(
        "orders",
        col("total", "numeric(10,2)"),
        col("total", "numeric(12,2)"),
    )
}

/// `orders.total` from `numeric(10,2)` to `integer`: a rewrite that may refuse old values.
pub fn narrow_column() -> Change {
    alter_column(
        "orders",
        col("total", "numeric(10,2)"),
        col("total", "integer"),
    )
}

/// `orders.total` converted by a `using:` that gives no `down`.
pub fn convert_column_one_way() -> Change {
    let mut change = narrow_column();
    if let Change::AlterColumn {
        using,
        using_reverse,
        ..
    } = &mut change
    {
        *using = Using::Expr(Expr::new("round(total * 100)"));
        *using_reverse = Using::Unknown;
    }
    change
}

pub fn comment_column() -> Change {
    alter_column(
        "orders",
        col("total", "numeric(10,2)"),
        Column {
            comment: Some("in cents".into()),
            ..col("total", "numeric(10,2)")
        },
    )
}

/// `users.id` from `bigint` to `numeric`, keeping its identity.
pub fn retype_identity() -> Change {
    alter_column("users", identity("id", "bigint"), identity("id", "numeric"))
}

pub fn drop_generation() -> Change {
    alter_column(
        "orders",
        Column {
            generated: Some(Expr::new("total * 2")),
            ..col("double_total", "numeric")
        },
        col("double_total", "numeric"),
    )
}

/// A new check on the existing table `orders`.
pub fn add_constraint() -> Change {
    Change::AddConstraint {
        table: q("orders"),
        name: "orders_total_small".into(),
        constraint: check_constraint("total < 1000000"),
    }
}

/// A foreign key of the new table `accounts` into `users`.
pub fn add_foreign_key() -> Change {
    Change::AddConstraint {
        table: q("accounts"),
        name: "accounts_user_fk".into(),
        constraint: foreign_key(&["user_id"], "users", &["id"]),
    }
}

pub fn drop_constraint() -> Change {
    Change::DropConstraint {
        table: q("orders"),
        name: "orders_total_check".into(),
        constraint: check_constraint("total >= 0"),
    }
}

pub fn drop_foreign_key() -> Change {
    Change::DropConstraint {
        table: q("orders"),
        name: "orders_user_fk".into(),
        constraint: foreign_key(&["user_id"], "users", &["id"]),
    }
}

pub fn validate_constraint() -> Change {
    Change::ValidateConstraint {
        table: q("orders"),
        name: "orders_user_fk".into(),
        constraint: foreign_key(&["user_id"], "users", &["id"]),
    }
}

/// PostgreSQL 18's NOT NULL constraint of `orders.user_id`, from one state to another.
pub fn not_null_constraint(from: Option<NotNullState>, to: Option<NotNullState>) -> Change {
    Change::NotNull {
        table: q("orders"),
        column: "user_id".into(),
        name: "orders_user_id_not_null".into(),
        from,
        to,
    }
}

/// A NOT NULL constraint `NOT VALID`.
pub const NOT_VALID: NotNullState = NotNullState {
    valid: false,
    no_inherit: false,
};

pub fn alter_constraint() -> Change {
    Change::AlterConstraint {
        table: q("orders"),
        name: "orders_user_fk".into(),
        from: foreign_key(&["user_id"], "users", &["id"]),
        to: Constraint {
            deferrable: true,
            ..foreign_key(&["user_id"], "users", &["id"])
        },
    }
}

pub fn create_index(concurrently: bool) -> Change {
    Change::CreateIndex {
        table: q("users"),
        name: "users_mood_idx".into(),
        index: index(&["mood"]),
        concurrently,
        replaces: None,
    }
}

/// An index of the new table `accounts`.
pub fn create_index_on_new_table() -> Change {
    Change::CreateIndex {
        table: q("accounts"),
        name: "accounts_user_idx".into(),
        index: index(&["user_id"]),
        concurrently: false,
        replaces: None,
    }
}

pub fn drop_index(concurrently: bool) -> Change {
    Change::DropIndex {
        table: q("users"),
        name: "users_email_idx".into(),
        index: index(&["email"]),
        concurrently,
        only: None,
        cascades: Vec::new(),
    }
}

pub fn rename(target: Renamed, from: &str, to: &str) -> Change {
    Change::Rename {
        target,
        from: from.into(),
        to: to.into(),
    }
}

/// The table `people` is named `users`.
pub fn rename_table() -> Change {
    rename(
        Renamed::Table {
            schema: "app".into(),
        },
        "people",
        "users",
    )
}

pub fn rename_column() -> Change {
    rename(Renamed::Column { table: q("users") }, "mail", "email")
}

pub fn rename_index() -> Change {
    Change::RenameIndex {
        table: q("users"),
        from: "users_email_idx_new".into(),
        to: "users_email_idx".into(),
    }
}

pub fn add_constraint_using_index() -> Change {
    Change::AddConstraintUsingIndex {
        table: q("users"),
        name: "users_email_key".into(),
        constraint: unique(&["email"]),
    }
}

pub fn backfill(column_existed: bool) -> Change {
    Change::Backfill {
        table: q("users"),
        column: "nickname".into(),
        expression: Expr::new("'anon'"),
        column_existed,
    }
}

/// `events_2025`, created as a table of its own before, becomes a partition of `events`.
pub fn attach_partition() -> Change {
    Change::AttachPartition {
        table: q("events_2025"),
        partition: partition_of("events", BOUNDS_2025),
    }
}

pub fn detach_partition(concurrently: bool, leaves_check: Option<&str>) -> Change {
    Change::DetachPartition {
        table: q("events_2024"),
        partition: partition_of("events", BOUNDS_2024),
        concurrently,
        leaves_check: leaves_check.map(String::from),
    }
}

/// `orders` starts or stops inheriting from `users`.
pub fn set_inherit(inherit: bool) -> Change {
    Change::SetInherit {
        table: q("orders"),
        parent: q("users"),
        inherit,
    }
}

pub fn create_index_only() -> Change {
    Change::CreateIndexOnly {
        table: q("events"),
        name: "events_id_idx".into(),
        index: index(&["id"]),
    }
}

pub fn attach_index() -> Change {
    Change::AttachIndex {
        table: q("events_2024"),
        name: "events_2024_id_idx".into(),
        parent_table: q("events"),
        parent_index: "events_id_idx".into(),
        own_key: None,
    }
}

pub fn name_inherited_index(name: &str, previous: Option<&str>) -> Change {
    Change::NameInheritedIndex {
        partition: q("events_2024"),
        parent_index: q("events_created_idx"),
        name: name.into(),
        previous: previous.map(String::from),
        twin: false,
    }
}

pub fn drop_partitioned_index() -> Change {
    Change::DropPartitionedIndex {
        table: q("events"),
        name: "events_id_idx".into(),
        cascade: false,
    }
}

pub fn add_column_to(table: &str, column: Column) -> Change {
    Change::AddColumn {
        table: q(table),
        column,
        not_null_name: None,
    }
}

pub fn drop_column_of(table: &str, column: Column) -> Change {
    Change::DropColumn {
        table: q(table),
        column,
        backup: None,
        only: false,
    }
}

pub fn create_index_on(table: &str, name: &str, columns: &[&str]) -> Change {
    Change::CreateIndex {
        table: q(table),
        name: name.into(),
        index: index(columns),
        concurrently: false,
        replaces: None,
    }
}

pub fn drop_index_of(table: &str, name: &str, columns: &[&str]) -> Change {
    Change::DropIndex {
        table: q(table),
        name: name.into(),
        index: index(columns),
        concurrently: false,
        only: None,
        cascades: Vec::new(),
    }
}

pub fn add_constraint_to(table: &str, name: &str, constraint: Constraint) -> Change {
    Change::AddConstraint {
        table: q(table),
        name: name.into(),
        constraint,
    }
}

pub fn set_not_null_of(table: &str, column: &str) -> Change {
    alter_column(table, col(column, "text"), not_null(column, "text"))
}

/// Statistics on plain columns, with default kinds and target.
pub fn statistics_on(columns: &[&str]) -> Statistics {
    Statistics {
        kinds: Vec::new(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        expressions: Vec::new(),
        target: None,
        comment: None,
    }
}

/// Statistics `users_email_mood` on `users (email, mood)`.
pub fn create_statistics() -> Change {
    Change::CreateStatistics {
        table: q("users"),
        name: "users_email_mood".into(),
        stats: statistics_on(&["email", "mood"]),
    }
}

/// Statistics of the new table `accounts`, on an expression and a column.
pub fn create_statistics_on_new_table() -> Change {
    Change::CreateStatistics {
        table: q("accounts"),
        name: "accounts_user_stats".into(),
        stats: Statistics {
            expressions: vec![Expr::new("(user_id IS NULL)")],
            ..statistics_on(&["user_id"])
        },
    }
}

pub fn drop_statistics() -> Change {
    Change::DropStatistics {
        table: q("users"),
        name: "users_email_mood".into(),
        stats: statistics_on(&["email", "mood"]),
    }
}

/// `ALTER STATISTICS … SET STATISTICS 500`.
pub fn alter_statistics() -> Change {
    Change::AlterStatistics {
        table: q("users"),
        name: "users_email_mood".into(),
        from: statistics_on(&["email", "mood"]),
        to: Statistics {
            target: Some(500),
            ..statistics_on(&["email", "mood"])
        },
    }
}

/// `orders.total` gets a statistics target and `n_distinct` (`storage`: and EXTERNAL storage).
pub fn alter_column_settings(storage: bool) -> Change {
    Change::AlterColumnSettings {
        table: q("orders"),
        column: "total".into(),
        from: ColumnSettings::default(),
        to: ColumnSettings {
            statistics: Some(1000),
            storage: storage.then_some(Storage::External),
            options: [("n_distinct".to_string(), "-0.02".to_string())].into(),
            ..ColumnSettings::default()
        },
    }
}
