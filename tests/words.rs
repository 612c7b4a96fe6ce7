//! What schemaplan says matches what it does: the README's commands run as written, a message
//! that promises a rerun continues is kept, and a desired state written for one schema does not
//! quietly empty the others.

use crate::guarded::{DESIRED, START, apply_args, describe, history, hold_other, run, text, write};
use crate::harness::{TestDb, repo_path};

/// The README's "Using it" command for `rollback`, split into its arguments.
fn readme_rollback_command() -> Vec<String> {
    let readme = std::fs::read_to_string(repo_path("README.md")).unwrap();
    let line = readme
        .lines()
        .find(|l| l.starts_with("schemaplan rollback --yes"))
        .expect("the README shows `schemaplan rollback --yes …`");
    let command = line.split('#').next().unwrap();
    command
        .split_whitespace()
        .skip(1)
        .map(str::to_string)
        .collect()
}

#[test]
fn the_readme_rollback_command_undoes_a_run_that_added_a_column() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let start = db.data_checksums();
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let applied = run(&db, &apply_args(&desired, &[]));
    assert_eq!(applied.status.code(), Some(0), "{}", describe(&applied));
    // The run added accounts.note: undoing it drops the column (DeletesData).
    let args = readme_rollback_command();
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let back = run(&db, &refs);
    assert_eq!(back.status.code(), Some(0), "{refs:?}: {}", describe(&back));
    assert_eq!(db.data_checksums(), start);
}

/// Another session reads `other`: the step that drops `other.obsolete` cannot take its lock.
const WAITING: &[&str] = &["--lock-timeout", "200ms", "--retries", "0"];

#[test]
fn a_rerun_after_a_lock_timeout_continues_the_same_run() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let blocker = hold_other(&db);
    let failed = run(&db, &apply_args(&desired, WAITING));
    assert_eq!(failed.status.code(), Some(1), "{}", describe(&failed));
    let said = text(&failed.stderr);
    assert!(
        said.contains("lock timeout") && said.contains("running the command again continues"),
        "{}",
        describe(&failed)
    );
    // Two steps committed before the one that waited for its lock.
    let [(id, _, total, done)] = history(&mut db)[..] else {
        panic!("one run expected: {:?}", history(&mut db));
    };
    assert_eq!((id, total, done), (1, 3, 2));
    drop(blocker);

    let again = run(&db, &apply_args(&desired, WAITING));
    assert_eq!(again.status.code(), Some(0), "{}", describe(&again));
    assert!(
        text(&again.stdout).contains("Continuing run #1"),
        "{}",
        describe(&again)
    );
    assert_eq!(history(&mut db), vec![(1, "completed".into(), 3, 3)]);
    let status = run(&db, &["status"]);
    let listing = text(&status.stdout);
    assert!(!listing.contains("failed"), "{listing}");
    assert!(
        listing.contains("The schema is as run #1 left it."),
        "{listing}"
    );
}

const PUBLIC_TABLES: &str = "
CREATE TABLE accounts (id bigint PRIMARY KEY);
INSERT INTO accounts SELECT generate_series(1, 10);
CREATE TABLE orders (id bigint PRIMARY KEY, account bigint REFERENCES accounts);
";

const UTILS_ONLY: &str = "
schemas:
  utils:
    tables:
      settings:
        columns:
          key: text
          value: text
        primary_key: [key]
";

fn public_tables(db: &mut TestDb) -> i64 {
    db.client()
        .query_one(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .unwrap()
        .get(0)
}

#[test]
fn a_desired_state_for_another_schema_does_not_empty_public_unasked() {
    for (label, yaml) in [("utils only", UTILS_ONLY), ("an empty file", "")] {
        let mut db = TestDb::fresh();
        db.execute(PUBLIC_TABLES);
        let dir = tempfile::tempdir().unwrap();
        let desired = write(dir.path(), "desired.yaml", yaml);

        // The plan says so before anything else, and marks the drops.
        let planned = run(&db, &["plan", "--desired", &desired]);
        let shown = text(&planned.stdout);
        let warning = "this schema is not in the desired state, so its 2 tables are dropped";
        let first = shown.lines().find(|l| l.starts_with("  ! ")).unwrap_or("");
        assert!(first.contains(warning), "{label}: {}", describe(&planned));
        assert!(shown.contains("UnnamedSchema"), "{label}: {shown}");

        // Apply refuses, even with the drops' own hazard allowed, and says how to go on.
        let refused = run(
            &db,
            &[
                "apply",
                "--desired",
                &desired,
                "--yes",
                "--allow-hazards",
                "DeletesData",
            ],
        );
        assert_eq!(
            refused.status.code(),
            Some(1),
            "{label}: {}",
            describe(&refused)
        );
        let said = text(&refused.stderr);
        assert!(
            said.contains("UnnamedSchema in 2 step(s)")
                && said.contains("the desired state never names public")
                && said.contains("pass --schema for each schema it manages")
                && said.contains("(`schemas: {public: {}}`)")
                && said.contains("nothing was applied"),
            "{label}: {}",
            describe(&refused)
        );
        assert_eq!(public_tables(&mut db), 2, "{label}");

        // Managing only the schemas it names leaves public alone.
        if !yaml.is_empty() {
            let scoped = run(
                &db,
                &["apply", "--desired", &desired, "--yes", "--schema", "utils"],
            );
            assert_eq!(
                scoped.status.code(),
                Some(0),
                "{label}: {}",
                describe(&scoped)
            );
            assert_eq!(public_tables(&mut db), 2, "{label}");
        }
        // Naming the schema says it is meant to be emptied: the drops are only DeletesData.
        let emptied = write(
            dir.path(),
            "emptied.yaml",
            &format!(
                "{yaml}\n{}",
                if yaml.is_empty() {
                    "schemas:\n  public: {}\n"
                } else {
                    "  public: {}\n"
                }
            ),
        );
        let dropped = run(
            &db,
            &[
                "apply",
                "--desired",
                &emptied,
                "--yes",
                "--allow-hazards",
                "DeletesData",
            ],
        );
        assert_eq!(
            dropped.status.code(),
            Some(0),
            "{label}: {}",
            describe(&dropped)
        );
        assert_eq!(public_tables(&mut db), 0, "{label}");
    }
}
