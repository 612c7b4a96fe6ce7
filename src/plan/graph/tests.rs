//! The order on tiny catalogs, without a database: ties broken by rank then object name, a
//! technique's sequence winning over the rank, new columns kept in YAML order, cycles named.

use super::order::{order, order_in_phases};
use crate::model::*;
use crate::plan::change::Change;
use crate::plan::classify::Phase;

fn create_schema(name: &str) -> Change {
    Change::CreateSchema {
        name: name.to_string(),
        schema: Schema::default(),
    }
}

fn create_table(schema: &str, name: &str) -> Change {
    Change::CreateTable {
        name: QualName::new(schema, name),
        table: Table::default(),
    }
}

fn add_column(table: &str, column: &str) -> Change {
    Change::AddColumn {
        table: QualName::new("public", table),
        column: Column::new(column, "integer"),
        not_null_name: None,
    }
}

fn objects(changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .map(|c| format!("{} {}", c.kind(), c.object()))
        .collect()
}

#[test]
fn independent_changes_go_by_rank_then_by_name() {
    let empty = Catalog::default();
    // Tables in `public`, which no change creates: nothing ties them to the schemas.
    let changes = vec![
        create_table("public", "b"),
        create_schema("y"),
        create_table("public", "a"),
        create_schema("x"),
    ];
    let expected = objects(&[
        create_schema("x"),
        create_schema("y"),
        create_table("public", "a"),
        create_table("public", "b"),
    ]);
    let ordered = order(changes, &empty, &empty).unwrap();
    assert_eq!(objects(&ordered), expected);
}

#[test]
fn a_dependency_comes_before_the_rank() {
    let empty = Catalog::default();
    // The table needs its schema, which sorts after it by name but must come first anyway;
    // the other schema keeps its place by rank.
    let changes = vec![
        create_table("s", "t"),
        create_schema("s"),
        create_schema("a"),
    ];
    let ordered = order(changes, &empty, &empty).unwrap();
    assert_eq!(
        objects(&ordered),
        objects(&[
            create_schema("a"),
            create_schema("s"),
            create_table("s", "t")
        ])
    );
}

#[test]
fn a_technique_sequence_wins_over_rank_and_name() {
    let empty = Catalog::default();
    let changes = vec![create_schema("a"), create_schema("b")];
    // Change 1 runs before change 0.
    let ordered = order_in_phases(changes, &[(1, 0)], &empty, &empty).unwrap();
    let names: Vec<String> = ordered.iter().map(|(c, _)| c.object()).collect();
    assert_eq!(names, ["b", "a"]);
    assert!(ordered.iter().all(|(_, phase)| *phase == Phase::Expand));
}

#[test]
fn new_columns_of_a_table_keep_their_order() {
    let empty = Catalog::default();
    let changes = vec![
        add_column("t", "z"),
        add_column("t", "a"),
        add_column("t", "m"),
    ];
    let expected = objects(&changes);
    assert_eq!(objects(&order(changes, &empty, &empty).unwrap()), expected);
}

#[test]
fn a_cycle_names_its_changes() {
    let empty = Catalog::default();
    let changes = vec![create_schema("a"), create_schema("b"), create_schema("c")];
    let error = order_in_phases(changes, &[(0, 1), (1, 0)], &empty, &empty).unwrap_err();
    assert_eq!(error.objects, ["create_schema a", "create_schema b"]);
}

#[test]
fn a_view_calling_an_aggregate_waits_for_it_in_a_model_from_yaml() {
    // A model from YAML has no `pg_depend`: the state function reads a view (so it comes
    // after that view), the aggregate names the function, and `a_view` calls the aggregate.
    // By rank and name `a_view` would come first of all.
    let view = |definition: &str| View {
        definition: Expr::new(definition),
        columns: Vec::new(),
        options: Default::default(),
        comment: None,
        column_comments: Default::default(),
        owner: None,
        grants: Grants::new(),
        triggers: Default::default(),
    };
    let step = Function {
        kind: RoutineKind::Function,
        arguments: "s text, v text".into(),
        returns: Some("text".into()),
        language: "sql".into(),
        volatility: Volatility::Immutable,
        strict: false,
        security_definer: false,
        leakproof: false,
        parallel: Parallel::Unsafe,
        cost: None,
        rows: None,
        settings: Default::default(),
        body: "SELECT coalesce(s, (SELECT max(x) FROM other_view)) || v".into(),
        sql_body: false,
        comment: None,
        grants: Grants::new(),
    };
    let longest = Aggregate {
        arguments: "text".into(),
        sfunc: "step".into(),
        stype: "text".into(),
        ..Aggregate::default()
    };
    let step_id = FunctionId {
        name: QualName::new("public", "step"),
        args: "s text, v text".into(),
    };
    let longest_id = FunctionId {
        name: QualName::new("public", "longest"),
        args: "text".into(),
    };
    let mut desired = Catalog::default();
    let a_view = view("SELECT longest(x) AS l FROM t");
    let other_view = view("SELECT 'a'::text AS x");
    desired
        .views
        .insert(QualName::new("public", "a_view"), a_view.clone());
    desired
        .views
        .insert(QualName::new("public", "other_view"), other_view.clone());
    desired.functions.insert(step_id.clone(), step.clone());
    desired
        .aggregates
        .insert(longest_id.clone(), longest.clone());
    let changes = vec![
        Change::CreateView {
            name: QualName::new("public", "a_view"),
            view: a_view,
        },
        Change::CreateAggregate {
            id: longest_id,
            def: longest,
        },
        Change::CreateFunction {
            id: step_id,
            def: step,
        },
        Change::CreateView {
            name: QualName::new("public", "other_view"),
            view: other_view,
        },
    ];
    let ordered = order(changes, &Catalog::default(), &desired).unwrap();
    assert_eq!(
        objects(&ordered),
        [
            "create_view public.other_view",
            "create_function public.step(s text, v text)",
            "create_aggregate public.longest(text)",
            "create_view public.a_view",
        ]
    );
}

/// `BEFORE UPDATE FOR EACH ROW EXECUTE FUNCTION public.stamp()`.
fn row_trigger() -> Trigger {
    Trigger {
        timing: TriggerTiming::Before,
        events: vec!["update".into()],
        update_of: Vec::new(),
        for_each_row: true,
        when: None,
        function: QualName::new("public", "stamp"),
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

/// A catalog with `public.parent` (partitioned, with the row trigger `stamp`) and
/// `public.child`, its partition when `attached`, a table of its own otherwise.
fn parent_and_child(attached: bool) -> (Catalog, PartitionOf) {
    let place = PartitionOf {
        parent: QualName::new("public", "parent"),
        bounds: "FOR VALUES IN (1)".into(),
        constraint: None,
        inherited_constraints: Default::default(),
        inherited_indexes: Default::default(),
        index_names: Default::default(),
        not_null: Default::default(),
    };
    let mut catalog = Catalog::default();
    let mut parent = Table {
        partition_by: Some("LIST (id)".into()),
        ..Table::default()
    };
    parent.triggers.insert("stamp".into(), row_trigger());
    catalog
        .tables
        .insert(QualName::new("public", "parent"), parent);
    let child = Table {
        partition_of: attached.then(|| place.clone()),
        ..Table::default()
    };
    catalog
        .tables
        .insert(QualName::new("public", "child"), child);
    (catalog, place)
}

#[test]
fn a_detached_partition_gets_its_own_columns_and_trigger_after_the_detach() {
    // Until the detach, the partition's columns are its parent's and it has a clone of the
    // parent's trigger under the same name. By rank, both would come before the detach.
    let (current, place) = parent_and_child(true);
    let (mut desired, _) = parent_and_child(false);
    let child = QualName::new("public", "child");
    (desired.tables.get_mut(&child).unwrap().triggers).insert("stamp".into(), row_trigger());
    let changes = vec![
        Change::CreateTrigger {
            table: child.clone(),
            name: "stamp".into(),
            trigger: row_trigger(),
        },
        Change::AddColumn {
            table: child.clone(),
            column: Column::new("note", "text"),
            not_null_name: None,
        },
        Change::DetachPartition {
            table: child,
            partition: place,
            concurrently: true,
            leaves_check: None,
        },
    ];
    let ordered = order(changes, &current, &desired).unwrap();
    assert_eq!(
        objects(&ordered),
        [
            "detach_partition public.child",
            "add_column public.child.note",
            "create_trigger public.child.stamp",
        ]
    );
}

#[test]
fn an_attached_table_drops_its_clashing_trigger_and_extra_columns_before_the_attach() {
    // Attaching refuses a table with a column its parent lacks, or a trigger named like one
    // of the parent's row triggers. By rank, both drops would come after the attach.
    let (mut current, place) = parent_and_child(false);
    let (desired, _) = parent_and_child(true);
    let child = QualName::new("public", "child");
    (current.tables.get_mut(&child).unwrap().triggers).insert("stamp".into(), row_trigger());
    let changes = vec![
        Change::AttachPartition {
            table: child.clone(),
            partition: place,
        },
        Change::DropTrigger {
            table: child.clone(),
            name: "stamp".into(),
            trigger: row_trigger(),
        },
        Change::DropColumn {
            table: child,
            column: Column::new("note", "text"),
            backup: None,
            only: false,
        },
    ];
    let ordered = order(changes, &current, &desired).unwrap();
    assert_eq!(
        objects(&ordered),
        [
            "drop_trigger public.child.stamp",
            "drop_column public.child.note",
            "attach_partition public.child",
        ]
    );
}
