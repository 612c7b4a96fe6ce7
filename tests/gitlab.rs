//! GitLab's real schema (`../shared/corpus/gitlab`, MIT, schema only): about 1,400 tables with
//! hundreds of functions and triggers and partitioned tables. Two checks that a declarative tool
//! must pass on a schema of that size and variety:
//! - `inspect` of `structure.sql` → YAML → `plan` against the same database is empty;
//! - the real upgrade pair: that YAML applied to a database holding `init_structure.sql` leaves
//!   a schema whose second plan is empty and whose `pg_dump --schema-only` equals the one of
//!   `structure.sql` (column order aside).
//!
//! The plans are not rehearsed here (that is measured by `scripts/gitlabbench.sh`): the
//! rehearsal of a 2,000-step plan would be most of the suite's time.

use std::fs;

use schemaplan::pg::introspect::{self, Sessions};
use schemaplan::{pipeline, yaml, yaml::emit};

use crate::harness::{TestDb, apply_plan, plan_with, repo_path, text_diff};

/// The corpus lives beside the repository, in `../shared`, which CI provides. A clone without
/// it skips this test, saying so; with `../shared` present, a missing corpus file is a failure.
fn corpus_present() -> bool {
    let shared = repo_path("../shared");
    if !shared.is_dir() {
        eprintln!(
            "skipped gitlab_round_trips_and_its_real_upgrade_converges: {} is absent (GitLab's schema is kept there, not in this repository)",
            shared.display()
        );
        return false;
    }
    true
}

fn corpus(file: &str) -> String {
    let path = repo_path("../shared/corpus/gitlab").join(file);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn unrehearsed() -> pipeline::PlanOptions {
    pipeline::PlanOptions {
        rehearse: false,
        ..Default::default()
    }
}

fn whole_shadow() -> pipeline::PlanOptions {
    pipeline::PlanOptions {
        full_shadow: true,
        ..unrehearsed()
    }
}

#[test]
fn gitlab_round_trips_and_its_real_upgrade_converges() {
    if !corpus_present() {
        return;
    }
    let mut new = TestDb::fresh();
    new.execute(&corpus("structure.sql"));
    let catalog = pipeline::inspect(new.client(), &[]).expect("inspect");
    assert!(
        catalog.tables.len() > 1000 && catalog.functions.len() > 200,
        "GitLab's schema did not load whole: {} tables, {} functions",
        catalog.tables.len(),
        catalog.functions.len()
    );
    read_with_a_helper_alike(&mut new);
    let yaml = emit::to_yaml(&catalog);
    let desired = yaml::load_sources(&[("gitlab.yaml".into(), yaml)])
        .unwrap_or_else(|e| panic!("inspected YAML does not load: {e}"));

    // Through the whole shadow (every object created and read back), and through the shortcut,
    // which finds nothing changed and asks for no shadow at all.
    for options in [whole_shadow(), unrehearsed()] {
        let round_trip = plan_with(&mut new, &desired, &options);
        assert!(
            round_trip.plan.is_empty(),
            "plan after inspect (full shadow: {}) is not empty ({} steps):\n{}",
            options.full_shadow,
            round_trip.plan.steps.len(),
            round_trip.plan.to_sql()
        );
    }

    let mut old = TestDb::fresh();
    old.execute(&corpus("init_structure.sql"));
    let upgrade = plan_with(&mut old, &desired, &unrehearsed());
    assert!(
        upgrade.plan.steps.len() > 1000,
        "the upgrade is a large plan: {} steps",
        upgrade.plan.steps.len()
    );
    let whole = plan_with(&mut old, &desired, &whole_shadow());
    if whole.plan.to_sql() != upgrade.plan.to_sql() {
        panic!(
            "the shortcut's upgrade plan (+) differs from the whole shadow's (-):\n{}",
            text_diff(&whole.plan.to_sql(), &upgrade.plan.to_sql())
        );
    }
    apply_plan(&mut old, &upgrade.plan);
    let again = plan_with(&mut old, &desired, &unrehearsed());
    assert!(
        again.plan.is_empty(),
        "second plan after the upgrade is not empty:\n{}",
        again.plan.to_sql()
    );
    let (expected, actual) = (new.schema_dump(), old.schema_dump());
    assert!(
        expected == actual,
        "pg_dump after the upgrade differs from structure.sql's:\n{}",
        text_diff(&expected, &actual)
    );
}

/// GitLab's catalog read on a helper session besides the reading one (as `plan` and `inspect`
/// read a schema of this size) is the one-session read's, to the YAML.
fn read_with_a_helper_alike(db: &mut TestDb) {
    let schemas = pipeline::target_schemas(db.client(), &[]).expect("schemas");
    let alone = introspect::introspect(db.client(), &schemas).expect("read alone");
    let more = Sessions::to(&db.db.target());
    let shared = introspect::introspect_with(db.client(), Some(&more), &schemas)
        .expect("read with a helper");
    assert_eq!(
        shared.sessions, 2,
        "GitLab's schema is large enough for a helper"
    );
    assert!(
        alone.catalog == shared.catalog,
        "GitLab read with a helper (+) differs from the one-session read (-):\n{}",
        text_diff(
            &emit::to_yaml(&alone.catalog),
            &emit::to_yaml(&shared.catalog)
        )
    );
    assert_eq!(
        (alone.queries, &alone.unsupported),
        (shared.queries, &shared.unsupported)
    );
}
