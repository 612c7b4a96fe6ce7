use std::collections::BTreeMap;

use crate::model::*;
use crate::plan::change::Change;

use super::columns::needs_using;
use super::compare::is_extension_of;
use super::diff;
use super::fixtures::*;
use super::settle::{relocate, settle_extensions};

#[test]
fn using_is_needed_only_without_an_assignment_cast() {
    let c = casts();
    assert!(!needs_using(
        "character varying(10)",
        "character varying(5)",
        &c
    ));
    assert!(!needs_using("integer", "bigint", &c));
    assert!(!needs_using("integer", "text", &c));
    assert!(needs_using("text", "integer", &c));
    assert!(needs_using("text", "text[]", &c));
    assert!(needs_using("text", "public.mood", &c));
}

#[test]
fn an_unspecified_extension_schema_follows_the_installed_one() {
    let ext = |schema: &str| Extension {
        schema: Some(schema.into()),
        version: Some("1.6".into()),
    };
    let users = |data_type: &str| Table {
        columns: vec![Column::new("email", data_type)],
        ..Table::default()
    };
    let mut normalized = Catalog::default();
    normalized.extensions.insert("citext".into(), ext("public"));
    normalized
        .extension_members
        .insert("citext".into(), ["citext".to_string()].into());
    normalized
        .tables
        .insert(QualName::new("public", "users"), users("public.citext"));
    let mut raw = Catalog::default();
    raw.extensions.insert("citext".into(), Extension::default());
    let mut current = Catalog::default();
    current.extensions.insert("citext".into(), ext("ext"));
    settle_extensions(&mut normalized, &raw, &current);
    assert_eq!(
        normalized.extensions["citext"].schema.as_deref(),
        Some("ext")
    );
    assert_eq!(
        normalized.tables[&QualName::new("public", "users")].columns[0].data_type,
        "ext.citext"
    );
}

#[test]
fn moved_extension_names_are_relocated_as_whole_names() {
    let mut t = "(a OPERATOR(public.->) 'x'::public.citext) AND mypublic.citext_x(b)".to_string();
    relocate(&mut t, "public", "extensions", "citext");
    relocate(&mut t, "public", "extensions", "->");
    assert_eq!(
        t,
        "(a OPERATOR(extensions.->) 'x'::extensions.citext) AND mypublic.citext_x(b)"
    );
}

#[test]
fn enum_extension_keeps_order() {
    let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(is_extension_of(&v(&["a", "b"]), &v(&["a", "x", "b"])));
    assert!(!is_extension_of(&v(&["a", "b"]), &v(&["b", "a"])));
    assert!(!is_extension_of(&v(&["a", "b"]), &v(&["a"])));
}

fn with_extension(version: &str, reachable: &[&str]) -> Catalog {
    let mut c = Catalog::default();
    c.extensions.insert(
        "pg_trgm".into(),
        Extension {
            schema: Some("public".into()),
            version: Some(version.into()),
        },
    );
    c.extension_updates.insert(
        "pg_trgm".into(),
        reachable.iter().map(|v| v.to_string()).collect(),
    );
    c
}

#[test]
fn extension_versions_change_only_along_update_paths() {
    let current = with_extension("1.4", &["1.5", "1.6"]);
    let up = diff(&current, &with_extension("1.6", &[]), &casts());
    assert!(matches!(
        up.changes.as_slice(),
        [Change::AlterExtension { to, .. }] if to.version.as_deref() == Some("1.6")
    ));
    assert!(up.warnings.is_empty());
    // No downgrade script: nothing to run, and the plan says why.
    let newer = with_extension("1.6", &[]);
    let down = diff(&newer, &with_extension("1.4", &[]), &casts());
    assert!(down.changes.is_empty(), "{:?}", down.changes);
    assert_eq!(down.warnings.len(), 1);
    assert!(
        down.warnings[0]
            .message
            .contains("no update path from version 1.6 to 1.4")
    );
}

fn domain(data_type: &str) -> Domain {
    Domain {
        data_type: data_type.into(),
        not_null: false,
        default: None,
        collation: None,
        constraints: BTreeMap::new(),
        comment: None,
    }
}

#[test]
fn a_rebuilt_domain_takes_the_domains_over_it_along() {
    let q = |n: &str| QualName::new("public", n);
    let mut current = Catalog::default();
    current.domains.insert(q("amount"), domain("integer"));
    current.domains.insert(q("price"), domain("public.amount"));
    current.domains.insert(q("label"), domain("text"));
    current.tables.insert(
        q("items"),
        Table {
            columns: vec![Column::new("price", "public.price")],
            ..Table::default()
        },
    );
    let mut desired = current.clone();
    desired.domains.insert(q("amount"), domain("bigint"));
    // The domain over it changes base too: it is rebuilt in the same step, not twice.
    desired.domains.insert(q("price"), domain("numeric"));
    let out = diff(&current, &desired, &casts());
    let rebuilds: Vec<_> = out
        .changes
        .iter()
        .filter_map(|c| {
            if let Change::RebuildDomain { name, domains } = c {
                Some((name, domains))
            } else {
                None
            }
        })
        .collect();
    assert_eq!(rebuilds.len(), 1, "{:?}", out.changes);
    let (root, domains) = rebuilds[0];
    assert_eq!(*root, q("amount"));
    let names: Vec<&QualName> = domains.iter().map(|d| &d.name).collect();
    assert_eq!(names, [&q("amount"), &q("price")]);
    assert_eq!(domains[1].columns.len(), 1);
    assert_eq!(domains[1].to.data_type, "numeric");
    assert_eq!(out.changes.len(), 1, "{:?}", out.changes);
}

#[test]
fn a_composite_type_keeps_its_order_while_in_use() {
    let q = QualName::new("public", "pair");
    let attr = |n: &str| Attribute {
        name: n.into(),
        data_type: "integer".into(),
        collation: None,
        comment: None,
    };
    let old = CompositeType {
        attributes: vec![attr("a"), attr("b")],
        comment: None,
    };
    let swapped = CompositeType {
        attributes: vec![attr("b"), attr("a")],
        comment: None,
    };
    let mut current = Catalog::default();
    current.composite_types.insert(q.clone(), old);
    let mut desired = current.clone();
    desired.composite_types.insert(q.clone(), swapped);
    // Unused: dropped and created again.
    let out = diff(&current, &desired, &casts());
    assert!(matches!(
        out.changes.as_slice(),
        [
            Change::DropCompositeType { .. },
            Change::CreateCompositeType { .. }
        ]
    ));
    // Stored in a column: left as it is, with a warning.
    let table = Table {
        columns: vec![Column::new("p", "public.pair")],
        ..Table::default()
    };
    current
        .tables
        .insert(QualName::new("public", "t"), table.clone());
    desired.tables.insert(QualName::new("public", "t"), table);
    let out = diff(&current, &desired, &casts());
    assert!(out.changes.is_empty(), "{:?}", out.changes);
    assert_eq!(out.warnings.len(), 1);
}

// Situations as tables: a current and a desired model built by hand (see `fixtures`), and the
// changes `diff` must find, as `kind object`, with `warning object` for each warning.

#[test]
fn tables_and_columns() {
    let generated = |expression: &str| {
        base()
            .edit_table("t", |t| t.columns.push(Column::new("c", "integer")))
            .edit_column("t", "c", |c| c.generated = Some(Expr::new(expression)))
    };
    let virtual_ = |expression: &str| {
        generated(expression).edit_column("t", "c", |c| c.generated_kind = GeneratedKind::Virtual)
    };
    let two_tables_referencing_each_other = Model::default()
        .table("t1", &[("id", "integer"), ("t2_id", "integer")])
        .table("t2", &[("id", "integer"), ("t1_id", "integer")])
        .constraint("t1", "t1_t2_fk", foreign_key(&["t2_id"], "t2", &["id"]))
        .constraint("t2", "t2_t1_fk", foreign_key(&["t1_id"], "t1", &["id"]));
    check_all(vec![
        ("nothing changes", base(), base(), &[]),
        (
            "a table is added",
            Model::default(),
            base(),
            &["create_table public.t"],
        ),
        (
            "a table in a new schema",
            Model::default(),
            Model::default()
                .schema("app")
                .table("app.t", &[("a", "integer")]),
            &["create_schema app", "create_table app.t"],
        ),
        (
            "a table is dropped",
            base(),
            Model::default(),
            &["drop_table public.t"],
        ),
        (
            "tables dropped together lose their foreign keys between them first",
            two_tables_referencing_each_other,
            Model::default(),
            &[
                "drop_constraint public.t1.t1_t2_fk",
                "drop_constraint public.t2.t2_t1_fk",
                "drop_table public.t1",
                "drop_table public.t2",
            ],
        ),
        (
            "a column is added",
            base(),
            base().edit_table("t", |t| t.columns.push(Column::new("c", "text"))),
            &["add_column public.t.c"],
        ),
        (
            "a NOT NULL column without a default is added, with a warning",
            base(),
            base()
                .edit_table("t", |t| t.columns.push(Column::new("c", "text")))
                .edit_column("t", "c", |c| c.not_null = true),
            &["add_column public.t.c", "warning public.t.c"],
        ),
        (
            "a column is dropped",
            base(),
            Model::default().table("t", &[("a", "integer")]),
            &["drop_column public.t.b"],
        ),
        (
            "a column is retyped along an assignment cast",
            base(),
            base().retype("t", "b", "bigint"),
            &["alter_column public.t.b"],
        ),
        (
            "a column is retyped with an explicit conversion, with a warning",
            base().retype("t", "b", "text"),
            base(),
            &["alter_column public.t.b", "warning public.t.b"],
        ),
        (
            "a column becomes NOT NULL, with a warning",
            base(),
            base().edit_column("t", "b", |c| c.not_null = true),
            &["alter_column public.t.b", "warning public.t.b"],
        ),
        (
            "a generated column's expression changes: dropped and added again",
            generated("a * 2"),
            generated("a * 3"),
            &[
                "drop_column public.t.c",
                "add_column public.t.c",
                "warning public.t.c",
            ],
        ),
        (
            "a virtual column's expression changes: altered in place (SET EXPRESSION)",
            virtual_("a * 2"),
            virtual_("a * 3"),
            &["alter_column public.t.c"],
        ),
        (
            "a stored column becomes virtual: dropped and added again",
            generated("a * 2"),
            virtual_("a * 2"),
            &[
                "drop_column public.t.c",
                "add_column public.t.c",
                "warning public.t.c",
            ],
        ),
        (
            "a virtual column becomes plain (no DROP EXPRESSION for it): dropped and added again",
            virtual_("a * 2"),
            base().edit_table("t", |t| t.columns.push(Column::new("c", "integer"))),
            &[
                "drop_column public.t.c",
                "add_column public.t.c",
                "warning public.t.c",
            ],
        ),
        (
            "a table's comment changes",
            base(),
            base().edit_table("t", |t| t.comment = Some("rows".into())),
            &["set_comment public.t"],
        ),
    ]);
}

#[test]
fn constraints_and_indexes() {
    let deferrable = {
        let mut fk = foreign_key(&["a"], "t", &["b"]);
        fk.deferrable = true;
        fk
    };
    let users_and_orders = |key_type: &str| {
        Model::default()
            .table("users", &[("id", key_type)])
            .table("orders", &[("id", "integer"), ("user_id", key_type)])
            .constraint(
                "users",
                "users_pkey",
                constraint(ConstraintKind::PrimaryKey {
                    columns: vec!["id".into()],
                    include: Vec::new(),
                    without_overlaps: false,
                }),
            )
            .constraint(
                "orders",
                "orders_user_id_fkey",
                foreign_key(&["user_id"], "users", &["id"]),
            )
            .reads(
                ObjKey::Constraint(q("orders"), "orders_user_id_fkey".into()),
                column_key("users", "id"),
            )
    };
    let fk_not_valid = Constraint {
        validated: false,
        ..foreign_key(&["a"], "t", &["b"])
    };
    let fk_not_enforced = Constraint {
        enforced: false,
        only: false,
        ..foreign_key(&["a"], "t", &["b"])
    };
    let check_not_enforced = Constraint {
        enforced: false,
        only: false,
        ..check_constraint("b > 0")
    };
    let indexed = || base().index("t", "t_b_idx", index_on(&["b"]));
    let invalid = index_on(&["b"]);
    let invalid = Index {
        valid: false,
        ..invalid
    };
    check_all(vec![
        (
            "a check constraint is added",
            base(),
            base().constraint("t", "t_b_check", check_constraint("b > 0")),
            &["add_constraint public.t.t_b_check"],
        ),
        (
            "a check constraint's expression changes: dropped and added again",
            base().constraint("t", "t_b_check", check_constraint("b > 0")),
            base().constraint("t", "t_b_check", check_constraint("b >= 0")),
            &[
                "drop_constraint public.t.t_b_check",
                "add_constraint public.t.t_b_check",
            ],
        ),
        (
            "a check constraint is dropped",
            base().constraint("t", "t_b_check", check_constraint("b > 0")),
            base(),
            &["drop_constraint public.t.t_b_check"],
        ),
        (
            "a foreign key becomes deferrable: altered in place",
            base().constraint("t", "t_a_fkey", foreign_key(&["a"], "t", &["b"])),
            base().constraint("t", "t_a_fkey", deferrable),
            &["alter_constraint public.t.t_a_fkey"],
        ),
        (
            "a foreign key no longer enforced (even one not yet valid): altered, nothing validated",
            base().constraint("t", "t_a_fkey", fk_not_valid.clone()),
            base().constraint("t", "t_a_fkey", fk_not_enforced.clone()),
            &["alter_constraint public.t.t_a_fkey"],
        ),
        (
            "a foreign key enforced again: dropped and added (ALTER … ENFORCED would scan under ACCESS EXCLUSIVE)",
            base().constraint("t", "t_a_fkey", fk_not_enforced),
            base().constraint("t", "t_a_fkey", foreign_key(&["a"], "t", &["b"])),
            &[
                "drop_constraint public.t.t_a_fkey",
                "add_constraint public.t.t_a_fkey",
            ],
        ),
        (
            "a check no longer enforced: dropped and added (a check's enforcement is not altered)",
            base().constraint("t", "t_b_check", check_constraint("b > 0")),
            base().constraint("t", "t_b_check", check_not_enforced),
            &[
                "drop_constraint public.t.t_b_check",
                "add_constraint public.t.t_b_check",
            ],
        ),
        (
            "a foreign key is added again around a retype of the key it references",
            users_and_orders("integer"),
            users_and_orders("bigint"),
            &[
                "alter_column public.users.id",
                "alter_column public.orders.user_id",
                "drop_constraint public.orders.orders_user_id_fkey",
                "add_constraint public.orders.orders_user_id_fkey",
            ],
        ),
        (
            "an index is added",
            base(),
            indexed(),
            &["create_index public.t_b_idx"],
        ),
        (
            "an index changes its columns: dropped and built again",
            indexed(),
            base().index("t", "t_b_idx", index_on(&["a", "b"])),
            &["drop_index public.t_b_idx", "create_index public.t_b_idx"],
        ),
        (
            "an index's comment changes",
            indexed(),
            indexed().edit_table("t", |t| {
                t.indexes.get_mut("t_b_idx").unwrap().comment = Some("by b".into())
            }),
            &["set_comment public.t_b_idx"],
        ),
        (
            "an index over a retyped column is left for PostgreSQL to rebuild",
            indexed().reads(relation_key("t_b_idx"), column_key("t", "b")),
            indexed()
                .retype("t", "b", "bigint")
                .reads(relation_key("t_b_idx"), column_key("t", "b")),
            &["alter_column public.t.b"],
        ),
        (
            "an index over a dropped column is dropped",
            indexed().reads(relation_key("t_b_idx"), column_key("t", "b")),
            Model::default().table("t", &[("a", "integer")]),
            &["drop_column public.t.b", "drop_index public.t_b_idx"],
        ),
        (
            "an invalid index is built again, with a warning",
            base().index("t", "t_b_idx", invalid),
            indexed(),
            &[
                "drop_index public.t_b_idx",
                "create_index public.t_b_idx",
                "warning public.t_b_idx",
            ],
        ),
    ]);
}

#[test]
fn views_and_materialized_views() {
    let with_view =
        |definition: &str, columns: &[(&str, &str)]| base().view("v", definition, columns);
    let reading_b = |model: Model| {
        model
            .view(
                "v",
                "SELECT (t.b)::text AS b FROM public.t",
                &[("b", "text")],
            )
            .reads(relation_key("v"), relation_key("t"))
            .reads(relation_key("v"), column_key("t", "b"))
    };
    let view_over_view = |model: Model| {
        reading_b(model)
            .view("v2", "SELECT v.b FROM public.v", &[("b", "text")])
            .reads(relation_key("v2"), relation_key("v"))
            .reads(relation_key("v2"), column_key("v", "b"))
    };
    let matview = |model: Model| {
        model
            .materialized_view("mv", "SELECT t.b FROM public.t", &[("b", "integer")])
            .reads(relation_key("mv"), column_key("t", "b"))
    };
    check_all(vec![
        (
            "a view is added",
            base(),
            with_view("SELECT t.a FROM public.t", &[("a", "integer")]),
            &["create_view public.v"],
        ),
        (
            "a view's query changes and its columns stay: replaced in place",
            with_view("SELECT t.a FROM public.t", &[("a", "integer")]),
            with_view("SELECT t.b AS a FROM public.t", &[("a", "integer")]),
            &["replace_view public.v"],
        ),
        (
            "a view loses a column: dropped and created again",
            with_view(
                "SELECT t.a, t.b FROM public.t",
                &[("a", "integer"), ("b", "integer")],
            ),
            with_view("SELECT t.a FROM public.t", &[("a", "integer")]),
            &["drop_view public.v", "create_view public.v"],
        ),
        (
            "a view over a retyped column is rebuilt around it",
            reading_b(base()),
            reading_b(base().retype("t", "b", "bigint")),
            &[
                "drop_view public.v",
                "alter_column public.t.b",
                "create_view public.v",
            ],
        ),
        (
            "a view over another column is left alone",
            reading_b(base()),
            reading_b(base().retype("t", "a", "bigint")),
            &["alter_column public.t.a"],
        ),
        (
            "a view over a rebuilt view is rebuilt too",
            view_over_view(base()),
            view_over_view(base().retype("t", "b", "bigint")),
            &[
                "drop_view public.v",
                "drop_view public.v2",
                "alter_column public.t.b",
                "create_view public.v",
                "create_view public.v2",
            ],
        ),
        (
            "a materialized view over a retyped column is rebuilt, with a warning",
            matview(base()),
            matview(base().retype("t", "b", "bigint")),
            &[
                "drop_materialized_view public.mv",
                "alter_column public.t.b",
                "create_materialized_view public.mv",
                "warning public.mv",
            ],
        ),
        (
            "a materialized view's comment changes",
            matview(base()),
            matview(base()).comment_materialized_view("mv", "cached"),
            &["set_comment public.mv"],
        ),
    ]);
}

#[test]
fn types_and_sequences() {
    let moods = |values: &[&str]| {
        base()
            .enum_type("mood", values)
            .edit_table("t", |t| t.columns.push(Column::new("m", "public.mood")))
    };
    check_all(vec![
        (
            "an enum gains a value at the end",
            moods(&["sad", "ok"]),
            moods(&["sad", "ok", "happy"]),
            &["add_enum_values public.mood"],
        ),
        (
            "an enum gains a value in between",
            moods(&["sad", "happy"]),
            moods(&["sad", "ok", "happy"]),
            &["add_enum_values public.mood"],
        ),
        (
            "an enum loses a value: rebuilt, with a warning",
            moods(&["sad", "ok", "happy"]),
            moods(&["sad", "happy"]),
            &["rebuild_enum public.mood", "warning public.mood"],
        ),
        (
            "an enum's values change order: rebuilt",
            moods(&["sad", "happy"]),
            moods(&["happy", "sad"]),
            &["rebuild_enum public.mood"],
        ),
        (
            "an enum is dropped",
            base().enum_type("mood", &["sad"]),
            base(),
            &["drop_enum public.mood"],
        ),
        (
            "a domain changes its base type: rebuilt, with a warning",
            base().domain("amount", domain("integer")),
            base().domain("amount", domain("bigint")),
            &["rebuild_domain public.amount", "warning public.amount"],
        ),
        (
            "a domain gets a default: altered in place",
            base().domain("amount", domain("integer")),
            base().domain(
                "amount",
                Domain {
                    default: Some(Expr::new("0")),
                    ..domain("integer")
                },
            ),
            &["set_domain_default public.amount"],
        ),
        (
            "a sequence is added",
            base(),
            base().sequence("s"),
            &["create_sequence public.s"],
        ),
        (
            "a sequence is dropped",
            base().sequence("s"),
            base(),
            &["drop_sequence public.s"],
        ),
    ]);
}

#[test]
fn functions_and_triggers() {
    let f = |arguments: &str, returns: &str, body: &str| {
        base().function("f", "integer", function(arguments, returns, body))
    };
    let f_id = || ObjKey::Function(function_id("f", "integer"));
    let with_view = |model: Model| {
        model
            .view(
                "v",
                "SELECT public.f(t.a) AS x FROM public.t",
                &[("x", "integer")],
            )
            .reads(relation_key("v"), f_id())
    };
    let audited = |events: &[&str]| {
        base()
            .function(
                "audit",
                "",
                function("", "trigger", "BEGIN RETURN NULL; END"),
            )
            .trigger("t", "t_audit", trigger("audit", events))
    };
    let watching_b = |model: Model| {
        model
            .edit_table("t", |t| {
                t.triggers.get_mut("t_audit").unwrap().update_of = vec!["b".into()]
            })
            .reads(
                ObjKey::Trigger(q("t"), "t_audit".into()),
                column_key("t", "b"),
            )
    };
    let total = |sfunc: &str, returns: &str, initcond: &str| Aggregate {
        arguments: "integer".into(),
        sfunc: sfunc.into(),
        stype: returns.into(),
        initcond: Some(initcond.into()),
        returns: Some(returns.into()),
        ..Aggregate::default()
    };
    let total_id = || ObjKey::Function(function_id("total", "integer"));
    let with_total =
        |a: Aggregate| f("x integer", "integer", "SELECT x").aggregate("total", "integer", a);
    let with_total_view = |model: Model| {
        model
            .view(
                "w",
                "SELECT public.total(t.a) AS x FROM public.t",
                &[("x", "integer")],
            )
            .reads(relation_key("w"), total_id())
    };
    let disabled = audited(&["INSERT"]).edit_table("t", |t| {
        t.triggers.get_mut("t_audit").unwrap().enabled = TriggerEnabled::Disabled
    });
    check_all(vec![
        (
            "a function's body changes: replaced in place",
            f("x integer", "integer", "SELECT x"),
            f("x integer", "integer", "SELECT x + 1"),
            &["replace_function public.f(integer)"],
        ),
        (
            "white space around a body is not a change",
            f("x integer", "integer", "SELECT x"),
            f("x integer", "integer", "\nSELECT x\n"),
            &[],
        ),
        (
            "a function's argument is renamed: dropped and created again",
            f("x integer", "integer", "SELECT 1"),
            f("y integer", "integer", "SELECT 1"),
            &[
                "drop_function public.f(integer)",
                "create_function public.f(integer)",
            ],
        ),
        (
            "a function's result type changes: the view over it is rebuilt around it",
            with_view(f("x integer", "integer", "SELECT x")),
            with_view(f("x integer", "bigint", "SELECT x")),
            &[
                "drop_view public.v",
                "drop_function public.f(integer)",
                "create_function public.f(integer)",
                "create_view public.v",
            ],
        ),
        (
            "a function is dropped",
            f("x integer", "integer", "SELECT x"),
            base(),
            &["drop_function public.f(integer)"],
        ),
        (
            "an aggregate's initial state changes: replaced in place",
            with_total(total("public.f", "integer", "0")),
            with_total(total("public.f", "integer", "1")),
            &["replace_aggregate public.total(integer)"],
        ),
        (
            "an aggregate's result type changes: dropped and created again, the view too",
            with_total_view(with_total(total("public.f", "integer", "0"))),
            with_total_view(with_total(total("public.f", "bigint", "0"))),
            &[
                "drop_view public.w",
                "drop_aggregate public.total(integer)",
                "create_aggregate public.total(integer)",
                "create_view public.w",
            ],
        ),
        (
            "an aggregate's state function is dropped and created again: so is the aggregate",
            with_total(total("public.f", "integer", "0")).reads(total_id(), f_id()),
            base()
                .function("f", "integer", function("y integer", "integer", "SELECT y"))
                .aggregate("total", "integer", total("public.f", "integer", "0")),
            &[
                "drop_aggregate public.total(integer)",
                "drop_function public.f(integer)",
                "create_function public.f(integer)",
                "create_aggregate public.total(integer)",
            ],
        ),
        (
            "an aggregate is dropped",
            with_total(total("public.f", "integer", "0")),
            f("x integer", "integer", "SELECT x"),
            &["drop_aggregate public.total(integer)"],
        ),
        (
            "a trigger is added",
            base().function(
                "audit",
                "",
                function("", "trigger", "BEGIN RETURN NULL; END"),
            ),
            audited(&["INSERT"]),
            &["create_trigger public.t.t_audit"],
        ),
        (
            "a trigger's events change: replaced",
            audited(&["INSERT"]),
            audited(&["INSERT", "UPDATE"]),
            &["replace_trigger public.t.t_audit"],
        ),
        (
            "a trigger is disabled",
            audited(&["INSERT"]),
            disabled,
            &["set_trigger_enabled public.t.t_audit"],
        ),
        (
            "a trigger naming a retyped column is rebuilt around it",
            watching_b(audited(&["UPDATE"])),
            watching_b(audited(&["UPDATE"]).retype("t", "b", "bigint")),
            &[
                "drop_trigger public.t.t_audit",
                "alter_column public.t.b",
                "create_trigger public.t.t_audit",
            ],
        ),
    ]);
}

#[test]
fn collations_and_range_types() {
    let ci = |deterministic: bool| base().collation("ci", "und-u-ks-level2", deterministic);
    let column_under = |m: Model| {
        m.edit_column("t", "b", |c| {
            c.data_type = "text".into();
            c.collation = Some(ObjRef {
                schema: Some("public".into()),
                name: "ci".into(),
            });
        })
    };
    let range = |subtype: &str| base().range_type("r", subtype);
    let rows: Vec<Row> = vec![
        (
            "a collation is created",
            base(),
            ci(false),
            &["create_collation public.ci"],
        ),
        (
            "a collation is dropped",
            ci(false),
            base(),
            &["drop_collation public.ci"],
        ),
        (
            "an unused collation changes: dropped and created again",
            ci(true),
            ci(false),
            &["drop_collation public.ci", "create_collation public.ci"],
        ),
        (
            "a collation a column uses changes: refused with a warning",
            column_under(ci(true)),
            column_under(ci(false)),
            &["warning public.ci"],
        ),
        (
            "a collation pg_depend says is used changes: refused with a warning",
            ci(true).reads(column_key("t", "a"), ObjKey::Collation(q("ci"))),
            ci(false),
            &["warning public.ci"],
        ),
        (
            "a range type is created",
            base(),
            range("integer"),
            &["create_range_type public.r"],
        ),
        (
            "a range type is dropped",
            range("integer"),
            base(),
            &["drop_range_type public.r"],
        ),
        (
            "an unused range type changes: dropped and created again",
            range("integer"),
            range("bigint"),
            &["drop_range_type public.r", "create_range_type public.r"],
        ),
        (
            "a range type whose multirange a column stores changes: refused with a warning",
            range("integer").retype("t", "b", "public.r_multirange"),
            range("bigint").retype("t", "b", "public.r_multirange"),
            &["warning public.r"],
        ),
    ];
    check_all(rows);
}

#[test]
fn text_search_objects_and_publications() {
    let stem = |options: &[(&str, &str)]| base().dictionary("stem", "snowball", options);
    let config_key = || ObjKey::TsConfiguration(q("cfg"));
    let with_config = |model: Model, dictionaries: &[&str]| {
        model
            .configuration("cfg", "\"default\"", &[("asciiword", dictionaries)])
            .reads(config_key(), ObjKey::TsDictionary(q("stem")))
    };
    let with_view = |model: Model| {
        model
            .view(
                "v",
                "SELECT to_tsvector('public.cfg'::regconfig, 'x'::text) AS x",
                &[("x", "tsvector")],
            )
            .reads(relation_key("v"), config_key())
    };
    let all = ["insert", "update", "delete", "truncate"];
    check_all(vec![
        (
            "a dictionary's options change: altered in place",
            stem(&[("language", "english")]),
            stem(&[("language", "english"), ("stopwords", "english")]),
            &["alter_text_search_dictionary public.stem"],
        ),
        (
            "a configuration's mapping changes: altered in place, the view stays",
            with_view(with_config(stem(&[]), &["public.stem"])),
            with_view(with_config(stem(&[]), &["public.stem", "simple"])),
            &["alter_text_search_configuration public.cfg"],
        ),
        (
            "a dictionary's template changes: it, the configuration and the view are rebuilt",
            with_view(with_config(stem(&[]), &["public.stem"])),
            with_view(with_config(
                base().dictionary("stem", "simple", &[]),
                &["public.stem"],
            )),
            &[
                "drop_view public.v",
                "drop_text_search_configuration public.cfg",
                "drop_text_search_dictionary public.stem",
                "create_text_search_dictionary public.stem",
                "create_text_search_configuration public.cfg",
                "create_view public.v",
            ],
        ),
        (
            "a dictionary only leaves a mapping and goes: the configuration is altered",
            with_config(stem(&[]), &["public.stem"]),
            base().configuration("cfg", "\"default\"", &[("asciiword", &["simple"])]),
            &[
                "alter_text_search_configuration public.cfg",
                "drop_text_search_dictionary public.stem",
            ],
        ),
        (
            "a publication's actions change: altered",
            base().publication("p", &["t"], &all),
            base().publication("p", &["t"], &["insert"]),
            &["alter_publication p"],
        ),
        (
            "a publication goes",
            base().publication("p", &["t"], &all),
            base(),
            &["drop_publication p"],
        ),
    ]);
}
