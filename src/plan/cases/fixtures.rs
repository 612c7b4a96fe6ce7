//! A small world for the planner's tables: the objects of schema `app`, built in Rust, and the
//! current and desired catalogs made of them.
//!
//! Current: tables `users` (identity key, index, trigger, policy, row security), `orders`
//! (foreign key into `users`, a check), `items` (a serial column owning `items_id_seq`), the
//! partitioned `events` with `events_2024` and the default partition `events_default`; the view
//! `active_users` and the materialized view `user_stats` over `users`; the enum `mood`, the
//! domain `zip`, the composite type `address`, the sequence `counter`, the functions `audit`
//! (a trigger function) and `user_count` (SQL reading `users`), the collation `nocase` and the
//! range type `span` of text under it.
//!
//! Desired: all of that, plus the table `accounts`, the partition `events_2025`, the view
//! `recent_orders` over `orders` and the materialized view `order_totals` over that view, the
//! function `order_count` (SQL reading `orders`), the enum `color`, the domain `code`, the
//! composite type `point2`, the sequence `ticket`, the collation `ci` and the range type
//! `period`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::hook::{Dependency, Hook, HookPhase};
use crate::model::*;

/// A name in schema `app`.
pub fn q(name: &str) -> QualName {
    QualName::new("app", name)
}

pub fn col(name: &str, data_type: &str) -> Column {
    Column::new(name, data_type)
}

pub fn not_null(name: &str, data_type: &str) -> Column {
    Column {
        not_null: true,
        ..col(name, data_type)
    }
}

/// `GENERATED ALWAYS AS IDENTITY`, its sequence named by PostgreSQL (`<table>_<column>_seq`).
pub fn identity(name: &str, data_type: &str) -> Column {
    Column {
        identity: Some(Box::new(Identity {
            always: true,
            options: SequenceOptions::default(),
            sequence: None,
        })),
        ..not_null(name, data_type)
    }
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn constraint(kind: ConstraintKind) -> Constraint {
    Constraint {
        kind,
        deferrable: false,
        initially_deferred: false,
        validated: true,
        enforced: true,
        only: false,
        comment: None,
    }
}

pub fn primary_key(columns: &[&str]) -> Constraint {
    constraint(ConstraintKind::PrimaryKey {
        columns: strings(columns),
        include: Vec::new(),
        without_overlaps: false,
    })
}

pub fn unique(columns: &[&str]) -> Constraint {
    constraint(ConstraintKind::Unique {
        columns: strings(columns),
        include: Vec::new(),
        nulls_not_distinct: false,
        without_overlaps: false,
    })
}

pub fn check_constraint(expression: &str) -> Constraint {
    constraint(ConstraintKind::Check {
        expression: Expr::new(expression),
        no_inherit: false,
    })
}

pub fn foreign_key(columns: &[&str], ref_table: &str, ref_columns: &[&str]) -> Constraint {
    constraint(ConstraintKind::ForeignKey(ForeignKey {
        columns: strings(columns),
        ref_table: q(ref_table),
        ref_columns: strings(ref_columns),
        on_delete: FkAction::NoAction,
        on_delete_columns: Vec::new(),
        on_update: FkAction::NoAction,
        match_full: false,
        period: false,
    }))
}

pub fn index(columns: &[&str]) -> Index {
    Index {
        unique: false,
        method: "btree".into(),
        keys: columns
            .iter()
            .map(|c| IndexKey {
                expr: IndexExpr::Column(c.to_string()),
                opclass: None,
                collation: None,
                descending: false,
                nulls_first: false,
            })
            .collect(),
        include: Vec::new(),
        predicate: None,
        nulls_not_distinct: false,
        options: StorageOptions::new(),
        comment: None,
        valid: true,
    }
}

pub fn function(returns: &str, language: &str, body: &str) -> Function {
    Function {
        kind: RoutineKind::Function,
        arguments: String::new(),
        returns: Some(returns.into()),
        language: language.into(),
        volatility: Volatility::Volatile,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::Unsafe,
        cost: None,
        rows: None,
        settings: BTreeMap::new(),
        body: body.into(),
        sql_body: false,
        comment: None,
        grants: Grants::new(),
    }
}

/// The id of a function of schema `app` without arguments.
pub fn fid(name: &str) -> FunctionId {
    FunctionId {
        name: q(name),
        args: String::new(),
    }
}

/// The id of an aggregate of schema `app` over one `bigint`.
pub fn aid(name: &str) -> FunctionId {
    FunctionId {
        name: q(name),
        args: "bigint".into(),
    }
}

/// An aggregate over one `bigint` with a `bigint` state, stepping with `sfunc`.
pub fn aggregate(sfunc: &str) -> Aggregate {
    Aggregate {
        arguments: "bigint".into(),
        sfunc: sfunc.into(),
        stype: "bigint".into(),
        initcond: Some("0".into()),
        returns: Some("bigint".into()),
        ..Aggregate::default()
    }
}

/// `app.stem_dict`: snowball, English (current).
pub fn stem_dict() -> TsDictionary {
    TsDictionary {
        template: "snowball".into(),
        options: [("language".to_string(), "english".to_string())].into(),
        comment: None,
    }
}

/// `app.plain_dict`: simple (desired only).
pub fn plain_dict() -> TsDictionary {
    TsDictionary {
        template: "simple".into(),
        ..TsDictionary::default()
    }
}

/// A configuration of the default parser mapping each token type to `dictionaries`.
pub fn configuration(mappings: &[(&str, &[&str])]) -> TsConfiguration {
    TsConfiguration {
        parser: DEFAULT_TS_PARSER.into(),
        mappings: mappings
            .iter()
            .map(|(t, ds)| (t.to_string(), ds.iter().map(|d| d.to_string()).collect()))
            .collect(),
        comment: None,
    }
}

/// `app.search` (current): ASCII words stemmed by `app.stem_dict`, other words kept.
pub fn search_config() -> TsConfiguration {
    configuration(&[("asciiword", &["app.stem_dict"]), ("word", &["simple"])])
}

/// `app.titles` (desired only): ASCII words through `plain_dict`, named as YAML would.
pub fn titles_config() -> TsConfiguration {
    configuration(&[("asciiword", &["plain_dict"])])
}

/// A publication of `tables` (of schema `app`), every action, every column.
pub fn publication(tables: &[&str]) -> Publication {
    Publication {
        tables: tables
            .iter()
            .map(|t| (q(t), PublishedTable::default()))
            .collect(),
        ..Publication::default()
    }
}

/// `AFTER <events> FOR EACH ROW EXECUTE FUNCTION app.<function>()`.
pub fn trigger(function: &str, events: &[&str]) -> Trigger {
    Trigger {
        timing: TriggerTiming::After,
        events: strings(events),
        update_of: Vec::new(),
        for_each_row: true,
        when: None,
        function: q(function),
        arguments: Vec::new(),
        old_table: None,
        new_table: None,
        constraint: false,
        deferrable: false,
        initially_deferred: false,
        enabled: TriggerEnabled::Origin,
        comment: None,
    }
}

pub fn policy(using: &str, roles: &[&str]) -> Policy {
    Policy {
        permissive: true,
        command: PolicyCommand::All,
        roles: roles.iter().map(|r| r.to_string()).collect(),
        using: Some(Expr::new(using)),
        with_check: None,
        comment: None,
    }
}

fn view_columns(columns: &[&str]) -> Vec<ViewColumn> {
    columns
        .iter()
        .map(|c| ViewColumn {
            name: c.to_string(),
            data_type: "bigint".into(),
            collation: None,
        })
        .collect()
}

pub fn view(definition: &str, columns: &[&str]) -> View {
    View {
        definition: Expr::new(definition),
        columns: view_columns(columns),
        options: StorageOptions::new(),
        comment: None,
        column_comments: BTreeMap::new(),
        owner: None,
        grants: Grants::new(),
        triggers: Default::default(),
    }
}

pub fn materialized_view(definition: &str, columns: &[&str], index_on: &str) -> MaterializedView {
    MaterializedView {
        definition: Expr::new(definition),
        columns: view_columns(columns),
        with_data: true,
        options: StorageOptions::new(),
        comment: None,
        column_comments: BTreeMap::new(),
        indexes: [(format!("{index_on}_idx"), index(&[columns[0]]))].into(),
    }
}

pub fn domain(data_type: &str, checks: &[(&str, &str)]) -> Domain {
    Domain {
        data_type: data_type.into(),
        not_null: false,
        default: None,
        collation: None,
        constraints: checks
            .iter()
            .map(|(name, expression)| (name.to_string(), domain_check(expression, true)))
            .collect(),
        comment: None,
    }
}

pub fn domain_check(expression: &str, validated: bool) -> DomainConstraint {
    DomainConstraint {
        expression: Expr::new(expression),
        validated,
        comment: None,
    }
}

pub fn attribute(name: &str, data_type: &str) -> Attribute {
    Attribute {
        name: name.into(),
        data_type: data_type.into(),
        collation: None,
        comment: None,
    }
}

pub fn partition_of(parent: &str, bounds: &str) -> PartitionOf {
    PartitionOf {
        parent: q(parent),
        bounds: bounds.into(),
        constraint: None,
        inherited_constraints: BTreeMap::new(),
        inherited_indexes: BTreeMap::new(),
        index_names: BTreeMap::new(),
        not_null: Default::default(),
    }
}

pub fn privileges(list: &[Privilege]) -> Privileges {
    list.iter().map(|p| (*p, false)).collect()
}

/// A data hook on `app.users`, in the backfill phase.
pub fn hook(name: &str, down: Option<&str>) -> Hook {
    let up = "UPDATE app.users SET nickname = 'anon' WHERE nickname IS NULL";
    Hook {
        name: name.into(),
        phase: HookPhase::Backfill,
        depends_on: vec![Dependency::Object(q("users"))],
        up: up.into(),
        down: down.map(String::from),
        batch: None,
        verify: Vec::new(),
        comment: None,
        hash: Hook::hash_of(up),
    }
}

// ---- The objects of the world ----

pub fn users() -> Table {
    Table {
        columns: vec![
            identity("id", "bigint"),
            not_null("email", "text"),
            col("mood", "app.mood"),
            col("zip", "app.zip"),
        ],
        constraints: [("users_pkey".to_string(), primary_key(&["id"]))].into(),
        indexes: [("users_email_idx".to_string(), index(&["email"]))].into(),
        triggers: [("users_audit".to_string(), trigger("audit", &["insert"]))].into(),
        owner: Some("owner_a".into()),
        grants: [("reader".to_string(), privileges(&[Privilege::Select]))].into(),
        row_security: RowSecurity {
            enabled: true,
            forced: false,
        },
        policies: [(
            "users_own".to_string(),
            policy("EXISTS (SELECT 1 FROM app.orders)", &["reader"]),
        )]
        .into(),
        ..Table::default()
    }
}

pub fn orders() -> Table {
    Table {
        columns: vec![
            not_null("id", "bigint"),
            col("user_id", "bigint"),
            col("total", "numeric(10,2)"),
        ],
        constraints: [
            ("orders_pkey".to_string(), primary_key(&["id"])),
            (
                "orders_user_fk".to_string(),
                foreign_key(&["user_id"], "users", &["id"]),
            ),
            (
                "orders_total_check".to_string(),
                check_constraint("total >= 0"),
            ),
        ]
        .into(),
        owner: Some("owner_a".into()),
        ..Table::default()
    }
}

pub fn items() -> Table {
    Table {
        columns: vec![
            Column {
                default: Some(Expr::new("nextval('app.items_id_seq'::regclass)")),
                ..not_null("id", "integer")
            },
            col("name", "text"),
        ],
        constraints: [("items_pkey".to_string(), primary_key(&["id"]))].into(),
        ..Table::default()
    }
}

pub fn events() -> Table {
    Table {
        columns: vec![col("id", "bigint"), col("created", "date")],
        partition_by: Some("RANGE (created)".into()),
        indexes: [("events_created_idx".to_string(), index(&["created"]))].into(),
        ..Table::default()
    }
}

pub fn events_partition(bounds: &str) -> Table {
    Table {
        columns: events().columns,
        partition_of: Some(partition_of("events", bounds)),
        ..Table::default()
    }
}

pub const BOUNDS_2024: &str = "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')";
pub const BOUNDS_2025: &str = "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')";

pub fn accounts() -> Table {
    Table {
        columns: vec![not_null("id", "bigint"), col("user_id", "bigint")],
        constraints: [("accounts_pkey".to_string(), primary_key(&["id"]))].into(),
        ..Table::default()
    }
}

pub fn active_users() -> View {
    view("SELECT id, email FROM app.users", &["id", "email"])
}

pub fn recent_orders() -> View {
    view("SELECT id, total FROM app.orders", &["id", "total"])
}

pub fn user_stats() -> MaterializedView {
    materialized_view(
        "SELECT mood, count(*) AS n FROM app.users GROUP BY mood",
        &["mood", "n"],
        "user_stats_mood",
    )
}

pub fn order_totals() -> MaterializedView {
    materialized_view(
        "SELECT sum(total) AS total FROM app.recent_orders",
        &["total"],
        "order_totals_total",
    )
}

pub fn audit() -> Function {
    function("trigger", "plpgsql", "BEGIN RETURN NEW; END")
}

pub fn user_count() -> Function {
    function("bigint", "sql", "SELECT count(*) FROM app.users")
}

pub fn order_count() -> Function {
    function("bigint", "sql", "SELECT count(*) FROM orders")
}

pub fn mood() -> EnumType {
    EnumType {
        values: strings(&["happy", "sad"]),
        comment: None,
    }
}

pub fn zip() -> Domain {
    domain("text", &[("zip_format", "VALUE ~ '^[0-9]{5}$'")])
}

pub fn address() -> CompositeType {
    CompositeType {
        attributes: vec![attribute("street", "text"), attribute("city", "text")],
        comment: None,
    }
}

/// A collation, ICU or libc.
pub fn collation(icu: bool) -> Collation {
    Collation {
        provider: if icu { "icu" } else { "libc" }.into(),
        locale: icu.then(|| "und-u-ks-level2".into()),
        lc_collate: (!icu).then(|| "C".into()),
        lc_ctype: (!icu).then(|| "C".into()),
        deterministic: !icu,
        from: None,
    }
}

/// A range type of `subtype`, with a collation of this schema when given.
pub fn range_type(subtype: &str, collation: Option<&str>) -> RangeType {
    RangeType {
        subtype: subtype.into(),
        subtype_opclass: None,
        collation: collation.map(|c| ObjRef {
            schema: Some("app".into()),
            name: c.into(),
        }),
        canonical: None,
        subtype_diff: None,
        multirange_type_name: None,
    }
}

pub fn default_privileges_key() -> DefaultPrivilegeKey {
    DefaultPrivilegeKey {
        role: "owner_a".into(),
        schema: Some("app".into()),
        on: DefaultObjects::Tables,
    }
}

fn relation(name: &str) -> ObjKey {
    ObjKey::Relation(q(name))
}

fn column_key(table: &str, column: &str) -> ObjKey {
    ObjKey::Column(q(table), column.into())
}

/// What PostgreSQL records of the current objects in `pg_depend`.
fn current_deps() -> BTreeSet<(ObjKey, ObjKey)> {
    [
        (relation("active_users"), relation("users")),
        (relation("active_users"), column_key("users", "id")),
        (relation("active_users"), column_key("users", "email")),
        (relation("user_stats"), relation("users")),
        (relation("user_stats"), column_key("users", "mood")),
        (
            ObjKey::Policy(q("users"), "users_own".into()),
            relation("orders"),
        ),
        (
            ObjKey::Function(fid("user_count")),
            ObjKey::Schema("app".into()),
        ),
        (
            ObjKey::Function(aid("total")),
            ObjKey::Function(fid("add_to_total")),
        ),
        (
            ObjKey::TsConfiguration(q("search")),
            ObjKey::TsDictionary(q("stem_dict")),
        ),
    ]
    .into()
}

pub fn current() -> Catalog {
    let mut c = Catalog::default();
    c.schemas.insert(
        "app".into(),
        Schema {
            owner: Some("owner_a".into()),
            ..Schema::default()
        },
    );
    c.extensions.insert(
        "pgcrypto".into(),
        Extension {
            schema: Some("public".into()),
            version: Some("1.3".into()),
        },
    );
    c.enums.insert(q("mood"), mood());
    c.sequences.insert(q("counter"), Sequence::default());
    c.sequences.insert(
        q("items_id_seq"),
        Sequence {
            owned_by: Some(ColumnRef {
                table: q("items"),
                column: "id".into(),
            }),
            ..Sequence::default()
        },
    );
    c.tables.insert(q("users"), users());
    c.tables.insert(q("orders"), orders());
    c.tables.insert(q("items"), items());
    c.tables.insert(q("events"), events());
    c.tables
        .insert(q("events_2024"), events_partition(BOUNDS_2024));
    c.tables
        .insert(q("events_default"), events_partition("DEFAULT"));
    c.views.insert(q("active_users"), active_users());
    c.materialized_views.insert(q("user_stats"), user_stats());
    c.functions.insert(fid("audit"), audit());
    c.functions.insert(fid("user_count"), user_count());
    c.functions.insert(
        fid("add_to_total"),
        function("bigint", "sql", "SELECT 0::bigint"),
    );
    c.aggregates
        .insert(aid("total"), aggregate("app.add_to_total"));
    c.domains.insert(q("zip"), zip());
    c.composite_types.insert(q("address"), address());
    c.collations.insert(q("nocase"), collation(false));
    c.range_types
        .insert(q("span"), range_type("text", Some("nocase")));
    c.text_search_dictionaries
        .insert(q("stem_dict"), stem_dict());
    c.text_search_configurations
        .insert(q("search"), search_config());
    c.publications
        .insert("orders_pub".into(), publication(&["orders"]));
    c.deps = current_deps();
    c.roles = ["reader".to_string(), "writer".to_string()].into();
    c.default_privileges.insert(
        default_privileges_key(),
        [("reader".to_string(), privileges(&[Privilege::Select]))].into(),
    );
    c
}

pub fn desired() -> Catalog {
    let mut c = current();
    c.tables.insert(q("accounts"), accounts());
    c.tables
        .insert(q("events_2025"), events_partition(BOUNDS_2025));
    c.views.insert(q("recent_orders"), recent_orders());
    c.materialized_views
        .insert(q("order_totals"), order_totals());
    c.functions.insert(fid("order_count"), order_count());
    // A new support function and an aggregate naming it as YAML would (no `pg_depend`).
    c.functions
        .insert(fid("u_step"), function("bigint", "sql", "SELECT 0::bigint"));
    c.aggregates.insert(aid("counted"), aggregate("u_step"));
    c.text_search_dictionaries
        .insert(q("plain_dict"), plain_dict());
    c.text_search_configurations
        .insert(q("titles"), titles_config());
    c.publications
        .insert("accounts_pub".into(), publication(&["accounts"]));
    c.enums.insert(
        q("color"),
        EnumType {
            values: strings(&["red", "green"]),
            comment: None,
        },
    );
    c.domains.insert(q("code"), domain("text", &[]));
    c.composite_types.insert(
        q("point2"),
        CompositeType {
            attributes: vec![
                attribute("x", "double precision"),
                attribute("y", "double precision"),
            ],
            comment: None,
        },
    );
    c.sequences.insert(q("ticket"), Sequence::default());
    c.collations.insert(q("ci"), collation(true));
    c.range_types
        .insert(q("period"), range_type("integer", None));
    c.deps.extend([
        (relation("recent_orders"), relation("orders")),
        (relation("recent_orders"), column_key("orders", "total")),
        (relation("order_totals"), relation("recent_orders")),
    ]);
    c
}
