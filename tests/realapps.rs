//! Real applications' schemas, release after release (issue 14): the small MIT/Apache-2.0 apps
//! committed under `tests/realapps/<app>/` (one SQL file per release, generated from the app's
//! repository by `scripts/realapps/build_corpus.py`; `releases` lists them oldest first). For every
//! consecutive pair and for empty → newest, the newer release is loaded into one database and
//! inspected, and the YAML is planned (rehearsed, up and down) and applied against the older one;
//! the rehearsal must pass, a second plan must be empty, and `pg_dump --schema-only` of both
//! databases must be equal, column order aside. The whole corpus, with the apps too large to
//! commit, is run by `scripts/realapps.sh`.

use std::fs;

use schemaplan::{pipeline, yaml, yaml::emit};

use crate::harness::{TestDb, apply_plan, plan, plan_with, repo_path, text_diff};

/// The apps committed under tests/realapps, each with its own test below.
const APPS: [&str; 3] = ["keto", "supabase-auth", "temporal"];

fn release_sql(app: &str, release: &str) -> String {
    let path = repo_path("tests/realapps")
        .join(app)
        .join(format!("{release}.sql"));
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn releases(app: &str) -> Vec<String> {
    let path = repo_path("tests/realapps").join(app).join("releases");
    let list: Vec<String> = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(String::from)
        .collect();
    assert!(list.len() >= 3, "{app}: fewer than 3 releases");
    list
}

/// One upgrade: `older` (None: the empty database) to `newer`.
fn converges(app: &str, older: Option<&str>, newer: &str) {
    let what = format!("{app} {} → {newer}", older.unwrap_or("empty"));
    let mut new = TestDb::fresh();
    new.execute(&release_sql(app, newer));
    let catalog = pipeline::inspect(new.client(), &[]).expect("inspect");
    let desired = yaml::load_sources(&[(format!("{app}.yaml"), emit::to_yaml(&catalog))])
        .unwrap_or_else(|e| panic!("{what}: the inspected YAML does not load: {e}"));

    let mut old = TestDb::fresh();
    if let Some(older) = older {
        old.execute(&release_sql(app, older));
    }
    let planned = plan(&mut old, &desired);
    assert!(!planned.plan.is_empty(), "{what}: the plan is empty");
    let rehearsal = planned.rehearsal.as_ref().expect("a rehearsal");
    assert!(
        rehearsal.passed(),
        "{what}: {}\n--- plan:\n{}",
        rehearsal.summary(&planned.plan),
        planned.plan.to_sql()
    );
    apply_plan(&mut old, &planned.plan);

    let unrehearsed = pipeline::PlanOptions {
        rehearse: false,
        ..Default::default()
    };
    let again = plan_with(&mut old, &desired, &unrehearsed);
    assert!(
        again.plan.is_empty(),
        "{what}: the second plan is not empty:\n{}\n--- first plan:\n{}",
        again.plan.to_sql(),
        planned.plan.to_sql()
    );
    let (expected, actual) = (new.schema_dump(), old.schema_dump());
    assert!(
        expected == actual,
        "{what}: pg_dump after the upgrade differs from the release's:\n{}",
        text_diff(&expected, &actual)
    );
}

fn every_pair_converges(app: &str) {
    let list = releases(app);
    converges(app, None, list.last().unwrap());
    for pair in list.windows(2) {
        converges(app, Some(&pair[0]), &pair[1]);
    }
}

#[test]
fn every_committed_app_has_its_test() {
    let mut dirs: Vec<String> = fs::read_dir(repo_path("tests/realapps"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert_eq!(dirs, APPS);
    for app in APPS {
        let dir = repo_path("tests/realapps").join(app);
        for file in ["LICENSE", "SOURCE.md"] {
            assert!(dir.join(file).is_file(), "{app}: no {file}");
        }
        for release in releases(app) {
            assert!(
                dir.join(format!("{release}.sql")).is_file(),
                "{app}: no {release}.sql"
            );
        }
    }
}

#[test]
fn keto_upgrades_converge() {
    every_pair_converges("keto");
}

#[test]
fn supabase_auth_upgrades_converge() {
    every_pair_converges("supabase-auth");
}

#[test]
fn temporal_upgrades_converge() {
    every_pair_converges("temporal");
}
