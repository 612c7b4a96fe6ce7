//! Data-driven schema-change cases: `tests/cases/<name>/before.sql` is the starting database,
//! `desired.yaml` (or a `desired/` directory) the desired state. Each case checks that
//! - `inspect` of the starting database plans to nothing;
//! - the plan applies, and a second plan is empty;
//! - `pg_dump --schema-only` of the result equals that of the desired state created from
//!   scratch (column order aside) — an oracle independent of our own introspector;
//! - `inspect` of the result plans to nothing;
//! - when every step is reversible, the down SQL (in reverse order) restores the starting schema.
//!
//! The plan's SQL is an insta snapshot under `snapshots/`.

use std::fs;
use std::path::Path;

use schemaplan::load::{self, Desired};
use schemaplan::plan::Plan;
use schemaplan::{apply, emit, pipeline, shadow};

use crate::harness::{TestDb, normalize_dump, plan, repo_path, text_diff};

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                run(stringify!($name));
            }
        )*
        const CASES: &[&str] = &[$(stringify!($name)),*];
    };
}

cases! {
    create_from_empty,
    add_and_drop_columns,
}

#[test]
fn every_case_directory_is_listed() {
    let mut dirs: Vec<String> = fs::read_dir(repo_path("tests/cases"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut listed: Vec<String> = CASES.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(dirs, listed, "tests/cases and the cases! list must agree");
}

fn load_desired(dir: &Path) -> Desired {
    let file = dir.join("desired.yaml");
    let path = if file.exists() {
        file
    } else {
        dir.join("desired")
    };
    match load::load_path(&path) {
        Ok(d) => d,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// The plan as reviewers read it in the snapshot.
pub fn describe(plan: &Plan) -> String {
    let mut out = String::new();
    for w in &plan.warnings {
        out.push_str(&format!("-- warning: {}: {}\n", w.object, w.message));
    }
    let total = plan.steps.len();
    for (i, step) in plan.steps.iter().enumerate() {
        out.push_str(&format!(
            "\n-- [{}/{total}] {} {}{}\n",
            i + 1,
            step.kind,
            step.object,
            if step.transactional {
                ""
            } else {
                " (outside a transaction)"
            }
        ));
        for stmt in &step.up {
            out.push_str(&format!("{stmt};\n"));
        }
        match (&step.down, &step.irreversible) {
            (Some(down), _) if down.is_empty() => out.push_str("-- down: nothing to undo\n"),
            (Some(down), _) => {
                out.push_str("-- down:\n");
                for stmt in down {
                    out.push_str(&format!("--   {};\n", stmt.replace('\n', "\n--   ")));
                }
            }
            (None, Some(reason)) => out.push_str(&format!("-- irreversible: {reason}\n")),
            (None, None) => {}
        }
    }
    out
}

fn inspect_yaml(db: &mut TestDb) -> String {
    let catalog = pipeline::inspect(db.client(), &[]).expect("inspect");
    emit::to_yaml(&catalog)
}

/// `inspect` → YAML → `plan` against the same database must be empty.
fn assert_inspect_converges(db: &mut TestDb, when: &str) -> String {
    let yaml = inspect_yaml(db);
    let desired = load::load_sources(&[("inspected.yaml".into(), yaml.clone())])
        .unwrap_or_else(|e| panic!("inspected YAML ({when}) does not load: {e}\n{yaml}"));
    let planned = plan(db, &desired);
    assert!(
        planned.plan.is_empty(),
        "plan after inspect ({when}) is not empty:\n{}\n--- inspected YAML:\n{yaml}",
        planned.plan.to_sql()
    );
    yaml
}

fn apply_plan(db: &mut TestDb, plan: &Plan) {
    if let Err(e) = apply::apply(db.client(), plan, &mut |_| {}) {
        panic!("apply failed: {e}\n--- plan:\n{}", plan.to_sql());
    }
}

fn run(name: &str) {
    let dir = repo_path("tests/cases").join(name);
    let before_sql = fs::read_to_string(dir.join("before.sql")).unwrap_or_default();
    let desired = load_desired(&dir);

    let mut target = TestDb::fresh();
    target.execute(&before_sql);
    let before_dump = target.schema_dump();
    let before_yaml = assert_inspect_converges(&mut target, "before");

    let planned = plan(&mut target, &desired);
    insta::with_settings!({
        snapshot_path => "../snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, describe(&planned.plan));
    });
    apply_plan(&mut target, &planned.plan);

    let again = plan(&mut target, &desired);
    assert!(
        again.plan.is_empty(),
        "second plan is not empty:\n{}\n--- first plan:\n{}",
        again.plan.to_sql(),
        planned.plan.to_sql()
    );

    // The oracle: the desired state created from scratch, dumped by pg_dump.
    let mut scratch = TestDb::fresh();
    let schemas = pipeline::managed_schemas(&desired.catalog, &[]);
    if let Err(e) = shadow::materialize(
        scratch.client(),
        &desired.catalog,
        &desired.sources,
        &schemas,
    ) {
        panic!("creating the desired state from scratch failed: {e}");
    }
    let expected = scratch.schema_dump();
    let actual = target.schema_dump();
    assert!(
        expected == actual,
        "pg_dump of the result differs from the desired state created from scratch:\n{}",
        text_diff(&expected, &actual)
    );
    assert_inspect_converges(&mut target, "after");

    // Down: every step reversed, last first, gives back the starting schema.
    if planned.plan.steps.iter().all(|s| s.down.is_some()) {
        let mut tx = target.client().transaction().unwrap();
        for step in planned.plan.steps.iter().rev() {
            for stmt in step.down.as_ref().unwrap() {
                if let Err(e) = tx.batch_execute(stmt) {
                    panic!(
                        "down SQL of {} {} failed: {e}\n{stmt}",
                        step.kind, step.object
                    );
                }
            }
        }
        tx.commit().unwrap();
        let back = load::load_sources(&[("before.yaml".into(), before_yaml)]).unwrap();
        let replan = plan(&mut target, &back);
        assert!(
            replan.plan.is_empty(),
            "after the down steps the database differs from the start:\n{}",
            replan.plan.to_sql()
        );
        let after_down = target.schema_dump();
        assert!(
            normalize_dump(&before_dump) == normalize_dump(&after_down),
            "pg_dump after the down steps differs from the start:\n{}",
            text_diff(&before_dump, &after_down)
        );
    }
}
