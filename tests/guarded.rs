//! Guarded apply through the binary: the apply lock, the history, saved plans and their drift
//! check, continuing after `kill -9`, and rollback with the data put back.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{TestDb, schemaplan_command, server};

fn command(db: &TestDb, args: &[&str]) -> Command {
    let mut cmd = schemaplan_command(args);
    cmd.args(["--database-url", &db.conninfo()]);
    cmd
}

/// `plan`/`apply` need a shadow server too; `rollback` and `status` do not.
fn with_shadow(args: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    all.push("--dev-url".into());
    all.push(server().maintenance_conninfo());
    all
}

pub(crate) fn run(db: &TestDb, args: &[&str]) -> Output {
    let needs_shadow = matches!(args.first(), Some(&"plan") | Some(&"apply"))
        && !args.get(1).is_some_and(|a| a.ends_with(".json"));
    let all = if needs_shadow {
        with_shadow(args)
    } else {
        args.iter().map(|s| s.to_string()).collect()
    };
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    command(db, &refs).output().expect("run schemaplan")
}

pub(crate) fn spawn(db: &TestDb, args: &[&str]) -> Child {
    let all = with_shadow(args);
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    command(db, &refs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start schemaplan")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub(crate) fn describe(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout:\n{}\n--- stderr:\n{}",
        out.status.code(),
        text(&out.stdout),
        text(&out.stderr)
    )
}

pub(crate) fn write(dir: &Path, name: &str, yaml: &str) -> String {
    let file = dir.join(name);
    std::fs::write(&file, yaml).unwrap();
    file.display().to_string()
}

/// Waits until `sql` (a count over pg_stat_activity or pg_locks) is positive.
pub(crate) fn wait_for(db: &mut TestDb, what: &str, sql: &str) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let n: i64 = db.client().query_one(sql, &[]).unwrap().get(0);
        if n > 0 {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub(crate) fn history(db: &mut TestDb) -> Vec<(i64, String, i32, i64)> {
    let exists: bool = db
        .client()
        .query_one(
            "SELECT to_regclass('schemaplan.migrations') IS NOT NULL",
            &[],
        )
        .unwrap()
        .get(0);
    if !exists {
        return Vec::new();
    }
    db.client()
        .query(
            "SELECT m.id, m.status, m.steps_total,
                    (SELECT count(*) FROM schemaplan.migration_steps s
                      WHERE s.migration_id = m.id AND s.status = 'completed')
               FROM schemaplan.migrations m ORDER BY m.id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect()
}

pub(crate) const START: &str = "
CREATE TABLE accounts (id bigint PRIMARY KEY, legacy text);
INSERT INTO accounts SELECT g, 'legacy ' || g FROM generate_series(1, 1000) g;
UPDATE accounts SET legacy = NULL WHERE id % 10 = 0;
CREATE TABLE other (id bigint PRIMARY KEY, obsolete integer);
INSERT INTO other SELECT g, g * 2 FROM generate_series(1, 500) g;
";

/// accounts gains `note` and loses `legacy`; other loses `obsolete`.
pub(crate) const DESIRED: &str = "
schemas:
  public:
    tables:
      accounts:
        columns:
          id: bigint
          note: text
        primary_key: [id]
      other:
        columns:
          id: bigint
        primary_key: [id]
";

const APPLY: &[&str] = &["--yes", "--allow-hazards", "DeletesData"];

pub(crate) fn apply_args<'a>(desired: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["apply", "--desired", desired];
    args.extend_from_slice(APPLY);
    args.extend_from_slice(extra);
    args
}

/// Another session holds `other` so that the step dropping `other.obsolete` waits.
pub(crate) fn hold_other(db: &TestDb) -> postgres::Client {
    let mut blocker = postgres::Client::connect(&db.conninfo(), postgres::NoTls).unwrap();
    blocker
        .batch_execute("BEGIN; LOCK TABLE other IN ACCESS SHARE MODE")
        .unwrap();
    blocker
}

/// Sessions of this test's database (tests run in parallel on one server) waiting to drop
/// `other.obsolete`.
const WAITING_ON_OTHER: &str = "SELECT count(*) FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock'
       AND query LIKE '%DROP COLUMN obsolete%'";

#[test]
fn concurrent_applies_are_serialised() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let mut blocker = hold_other(&db);
    let first = spawn(&db, &apply_args(&desired, &["--lock-timeout", "60s"]));
    wait_for(
        &mut db,
        "the first apply to wait for its lock",
        WAITING_ON_OTHER,
    );

    // While the first apply runs, a second one with --no-wait fails at once, naming it.
    let refused = run(&db, &apply_args(&desired, &["--no-wait"]));
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("another schemaplan session holds the apply lock")
            && stderr.contains("schemaplan, connected since"),
        "{stderr}"
    );

    // A third one waits for it, then plans from what the first left: nothing to do.
    let third = spawn(&db, &apply_args(&desired, &[]));
    wait_for(
        &mut db,
        "the third apply to wait for the apply lock",
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '%(waiting for the apply lock)'",
    );
    blocker.batch_execute("COMMIT").unwrap();
    let first = first.wait_with_output().unwrap();
    assert_eq!(first.status.code(), Some(0), "{}", describe(&first));
    let third = third.wait_with_output().unwrap();
    assert_eq!(third.status.code(), Some(0), "{}", describe(&third));
    assert!(
        text(&third.stderr).contains("waiting for another schemaplan session"),
        "{}",
        describe(&third)
    );
    assert!(
        text(&third.stdout).contains("No changes"),
        "{}",
        describe(&third)
    );
    assert_eq!(history(&mut db), vec![(1, "completed".into(), 3, 3)]);
}

#[test]
fn a_killed_apply_is_continued_by_the_next_one_with_nothing_lost_or_repeated() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let start = db.data_checksums();
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let blocker = hold_other(&db);
    let mut first = spawn(&db, &apply_args(&desired, &["--lock-timeout", "60s"]));
    wait_for(
        &mut db,
        "the apply to reach the blocked step",
        WAITING_ON_OTHER,
    );
    // kill -9 between steps: two steps committed, the third waits for its lock.
    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(history(&mut db), vec![(1, "started".into(), 3, 2)]);
    drop(blocker);

    let second = run(&db, &apply_args(&desired, &[]));
    assert_eq!(second.status.code(), Some(0), "{}", describe(&second));
    assert!(
        text(&second.stdout).contains("Continuing run #1"),
        "{}",
        describe(&second)
    );
    assert_eq!(history(&mut db), vec![(1, "completed".into(), 3, 3)]);
    // Each dropped column was kept once: the copies hold exactly the values there were.
    let kept: Vec<String> = db
        .client()
        .query(
            "SELECT c.relname::text FROM pg_class c
              WHERE c.relnamespace = 'schemaplan_backup'::regnamespace AND c.relkind = 'r'
              ORDER BY 1",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(kept.len(), 2, "{kept:?}");
    for (column, values) in [
        ("_public_accounts_legacy", 900),
        ("_public_other_obsolete", 500),
    ] {
        let name = kept
            .iter()
            .find(|k| k.ends_with(column))
            .unwrap_or_else(|| panic!("no copy of {column}: {kept:?}"));
        let count: i64 = db
            .client()
            .query_one(
                &format!("SELECT count(*) FROM schemaplan_backup.\"{name}\""),
                &[],
            )
            .unwrap()
            .get(0);
        assert_eq!(count, values, "{name}");
    }
    let again = run(&db, &["plan", "--desired", &desired, "--exit-code"]);
    assert_eq!(again.status.code(), Some(0), "{}", describe(&again));

    // And the whole run rolls back to the starting data.
    let back = run(
        &db,
        &["rollback", "--yes", "--allow-hazards", "DeletesData"],
    );
    assert_eq!(back.status.code(), Some(0), "{}", describe(&back));
    assert_eq!(db.data_checksums(), start);
}

#[test]
fn rollback_puts_dropped_data_back_and_refuses_after_a_schema_change() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let start = db.data_checksums();
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);

    let nothing = run(&db, &["rollback", "--yes"]);
    assert_eq!(nothing.status.code(), Some(0), "{}", describe(&nothing));
    assert!(text(&nothing.stdout).contains("Nothing to roll back"));

    let applied = run(&db, &apply_args(&desired, &[]));
    assert_eq!(applied.status.code(), Some(0), "{}", describe(&applied));
    assert_ne!(db.data_checksums(), start);
    let status = run(&db, &["status"]);
    let listing = text(&status.stdout);
    assert!(
        listing.contains("completed") && listing.contains("3/3"),
        "{listing}"
    );
    assert!(
        listing.contains("The schema is as run #1 left it."),
        "{listing}"
    );

    // Undoing the added column would drop what was written to it since: gated like apply.
    let gated = run(&db, &["rollback", "--yes"]);
    assert_eq!(gated.status.code(), Some(1), "{}", describe(&gated));
    assert!(
        text(&gated.stderr)
            .contains("DeletesData in 1 step(s): undo add column public.accounts.note"),
        "{}",
        describe(&gated)
    );
    let back = run(
        &db,
        &["rollback", "--yes", "--allow-hazards", "DeletesData"],
    );
    assert_eq!(back.status.code(), Some(0), "{}", describe(&back));
    // Same rows, same keys, same values (checksummed), and no backup left behind.
    assert_eq!(db.data_checksums(), start);
    let leftover: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_namespace WHERE nspname = 'schemaplan_backup'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(leftover, 0);
    assert_eq!(history(&mut db)[0].1, "rolled_back");

    // Applied again, then changed behind schemaplan's back: rollback refuses and names it.
    let applied = run(&db, &apply_args(&desired, &[]));
    assert_eq!(applied.status.code(), Some(0), "{}", describe(&applied));
    db.execute("ALTER TABLE accounts ADD COLUMN sneaked_in integer;");
    let refused = run(&db, &["rollback", "--yes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("the schema changed since run #2")
            && stderr.contains("added column public.accounts.sneaked_in")
            && stderr.contains("nothing was rolled back"),
        "{stderr}"
    );
}

#[test]
fn a_saved_plan_runs_only_on_the_schema_it_was_made_from() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let saved = dir.path().join("plan.json").display().to_string();

    let planned = run(&db, &["plan", "--desired", &desired, "--out", &saved]);
    assert_eq!(planned.status.code(), Some(0), "{}", describe(&planned));
    // The fingerprints of what the steps touch are kept by name, the others packed.
    let first: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    let kept = &first["objects"];
    assert!(
        kept["touched"]["column public.other.obsolete"].is_string()
            && kept["touched"]["schema public"].is_null()
            && kept["others"].as_u64() >= Some(1)
            && kept["digest"].is_string(),
        "{kept}"
    );
    // A concurrent change after planning: the saved plan refuses, naming it, also where the
    // steps do not reach.
    db.execute(
        "ALTER TABLE other ADD COLUMN added_meanwhile text; CREATE TABLE added_elsewhere ();",
    );
    let refused = run(&db, &["apply", &saved, "--yes", "--allow-hazards", "all"]);
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    let stderr = text(&refused.stderr);
    assert!(
        stderr.contains("the database changed since plan")
            && stderr.contains("added column public.other.added_meanwhile")
            && stderr.contains("added table public.added_elsewhere")
            && stderr.contains("nothing was applied"),
        "{stderr}"
    );
    assert!(history(&mut db).is_empty());

    db.execute("DROP TABLE added_elsewhere;");
    // Planned again, it applies exactly as saved, and a second time finds it applied.
    let planned = run(&db, &["plan", "--desired", &desired, "--out", &saved]);
    assert_eq!(planned.status.code(), Some(0), "{}", describe(&planned));
    let saved_json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    let plan_id = saved_json["plan"]["id"].as_str().unwrap().to_string();
    let applied = run(&db, &["apply", &saved, "--yes", "--allow-hazards", "all"]);
    assert_eq!(applied.status.code(), Some(0), "{}", describe(&applied));
    assert!(text(&applied.stdout).contains(&format!("plan {plan_id}")));
    let recorded: String = db
        .client()
        .query_one("SELECT plan_id FROM schemaplan.migrations", &[])
        .unwrap()
        .get(0);
    assert_eq!(recorded, plan_id);
    let again = run(&db, &["apply", &saved, "--yes", "--allow-hazards", "all"]);
    assert_eq!(again.status.code(), Some(0), "{}", describe(&again));
    assert!(
        text(&again.stdout).contains("was applied already"),
        "{}",
        describe(&again)
    );
    let replan = run(&db, &["plan", "--desired", &desired, "--exit-code"]);
    assert_eq!(replan.status.code(), Some(0), "{}", describe(&replan));
}

#[test]
fn a_rehearsal_on_sample_rows_catches_what_the_schema_alone_cannot() {
    let mut db = TestDb::fresh();
    db.execute(
        "CREATE TABLE accounts (id bigint PRIMARY KEY, balance integer);
         INSERT INTO accounts VALUES (1, 10), (2, NULL), (3, 7);",
    );
    let dir = tempfile::tempdir().unwrap();
    let desired = write(
        dir.path(),
        "desired.yaml",
        "
schemas:
  public:
    tables:
      accounts:
        columns:
          id: bigint
          balance: { type: integer, not_null: true }
        primary_key: [id]
",
    );
    let schema_only = run(&db, &["plan", "--desired", &desired]);
    assert!(
        text(&schema_only.stdout).contains("rehearsed: up converges, down restores"),
        "{}",
        describe(&schema_only)
    );
    let sampled = run(
        &db,
        &["plan", "--desired", &desired, "--rehearse-data", "10"],
    );
    let stdout = text(&sampled.stdout);
    // A plan that would not converge fails CI: exit 3, said on standard error.
    assert_eq!(sampled.status.code(), Some(3), "{}", describe(&sampled));
    assert!(text(&sampled.stderr).contains("the rehearsal failed"));
    assert!(
        stdout.contains("rehearsed on 3 sample rows (up to 10 per table): up step")
            && stdout.contains("is violated by some row"),
        "{}",
        describe(&sampled)
    );
    let refused = run(
        &db,
        &[
            "apply",
            "--desired",
            &desired,
            "--rehearse-data",
            "10",
            "--yes",
        ],
    );
    assert_eq!(refused.status.code(), Some(1), "{}", describe(&refused));
    assert!(text(&refused.stderr).contains("the rehearsal failed; nothing was applied"));
    let nulls: i64 = db
        .client()
        .query_one("SELECT count(*) FROM accounts WHERE balance IS NULL", &[])
        .unwrap()
        .get(0);
    assert_eq!(nulls, 1, "nothing was changed");
}

#[test]
fn a_run_killed_after_its_last_step_is_recorded_as_completed_by_the_next_apply() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let applied = run(&db, &apply_args(&desired, &[]));
    assert_eq!(applied.status.code(), Some(0), "{}", describe(&applied));
    // As if the apply had died between its last step and marking the run completed.
    db.execute(
        "UPDATE schemaplan.migrations SET status = 'started', finished_at = NULL,
                fingerprint_after = NULL, objects_after = NULL",
    );
    let again = run(&db, &apply_args(&desired, &[]));
    assert_eq!(again.status.code(), Some(0), "{}", describe(&again));
    assert!(
        text(&again.stdout).contains("Run #1 had applied all its steps"),
        "{}",
        describe(&again)
    );
    assert_eq!(history(&mut db), vec![(1, "completed".into(), 3, 3)]);
    let status = run(&db, &["status"]);
    assert!(text(&status.stdout).contains("The schema is as run #1 left it."));
}

/// Desired states for the tests below: `ONLY_ID` drops `accounts.legacy` and `other.obsolete`.
const ONLY_ID: &str = "
schemas:
  public:
    tables:
      accounts:
        columns:
          id: bigint
        primary_key: [id]
      other:
        columns:
          id: bigint
        primary_key: [id]
";

const WITH_LEGACY: &str = "
schemas:
  public:
    tables:
      accounts:
        columns:
          id: bigint
          legacy: text
        primary_key: [id]
      other:
        columns:
          id: bigint
        primary_key: [id]
";

#[test]
fn a_write_made_while_a_column_is_dropped_is_in_its_copy() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", ONLY_ID);
    // A transaction that changes a value of the column is open when the apply starts.
    let mut writer = postgres::Client::connect(&db.conninfo(), postgres::NoTls).unwrap();
    writer
        .batch_execute(
            "BEGIN; UPDATE accounts SET legacy = 'written during the drop' WHERE id = 1;
             INSERT INTO accounts VALUES (5000, 'inserted during the drop');",
        )
        .unwrap();
    let apply = spawn(&db, &apply_args(&desired, &["--lock-timeout", "60s"]));
    wait_for(
        &mut db,
        "the drop to wait for the writer",
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'LOCK TABLE%'",
    );
    writer.batch_execute("COMMIT").unwrap();
    let out = apply.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let back = run(&db, &["rollback", "--yes"]);
    assert_eq!(back.status.code(), Some(0), "{}", describe(&back));
    let values: Vec<(i64, Option<String>)> = db
        .client()
        .query(
            "SELECT id, legacy FROM accounts WHERE id IN (1, 5000) ORDER BY id",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        values,
        vec![
            (1, Some("written during the drop".into())),
            (5000, Some("inserted during the drop".into()))
        ]
    );
}

#[test]
fn dropping_the_same_column_again_keeps_a_second_copy() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let only_id = write(dir.path(), "only_id.yaml", ONLY_ID);
    let with_legacy = write(dir.path(), "with_legacy.yaml", WITH_LEGACY);
    // Dropped, added back, filled, dropped again from the very same schema: the same plan id.
    for (yaml, fill) in [(&only_id, false), (&with_legacy, true), (&only_id, false)] {
        let out = run(&db, &apply_args(yaml, &[]));
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
        if fill {
            db.execute("UPDATE accounts SET legacy = 'second life ' || id;");
        }
    }
    let copies: i64 = db
        .client()
        .query_one(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'schemaplan_backup'::regnamespace
               AND relname LIKE '%_public_accounts_legacy%'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(copies, 2);
}

#[test]
fn a_saved_plan_runs_phase_by_phase() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let saved = dir.path().join("plan.json").display().to_string();
    let planned = run(&db, &["plan", "--desired", &desired, "--out", &saved]);
    assert_eq!(planned.status.code(), Some(0), "{}", describe(&planned));
    let phase = |db: &TestDb, phase: &str| {
        run(
            db,
            &[
                "apply",
                &saved,
                "--yes",
                "--allow-hazards",
                "all",
                "--phase",
                phase,
            ],
        )
    };
    let contract_first = phase(&db, "contract");
    assert_eq!(
        contract_first.status.code(),
        Some(1),
        "{}",
        describe(&contract_first)
    );
    let expand = phase(&db, "expand");
    assert_eq!(expand.status.code(), Some(0), "{}", describe(&expand));
    // The whole plan is listed; the output says which of its steps this run applies.
    assert!(
        text(&expand.stdout).contains("--phase expand runs 1 of the plan's 3 steps: [1/3];"),
        "{}",
        describe(&expand)
    );
    let contract = phase(&db, "contract");
    assert_eq!(contract.status.code(), Some(0), "{}", describe(&contract));
    assert!(
        text(&contract.stdout).contains("1 of the plan's 3 steps were applied by earlier runs"),
        "{}",
        describe(&contract)
    );
    assert_eq!(
        history(&mut db),
        vec![(1, "completed".into(), 1, 1), (2, "completed".into(), 2, 2)]
    );
    let again = run(&db, &["apply", &saved, "--yes"]);
    assert!(
        text(&again.stdout).contains("was applied already"),
        "{}",
        describe(&again)
    );
    let replan = run(&db, &["plan", "--desired", &desired, "--exit-code"]);
    assert_eq!(replan.status.code(), Some(0), "{}", describe(&replan));
}

#[test]
fn a_rollback_that_stops_is_finished_by_the_next_one() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let start = db.data_checksums();
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let applied = run(&db, &apply_args(&desired, &[]));
    assert_eq!(applied.status.code(), Some(0), "{}", describe(&applied));
    // `other` is held: undoing the drop of other.obsolete (undone first) times out.
    let blocker = hold_other(&db);
    let stopped = run(
        &db,
        &[
            "rollback",
            "--yes",
            "--allow-hazards",
            "all",
            "--lock-timeout",
            "200ms",
            "--retries",
            "0",
        ],
    );
    assert_eq!(stopped.status.code(), Some(1), "{}", describe(&stopped));
    drop(blocker);
    let status = run(&db, &["status"]);
    assert!(
        text(&status.stdout).contains("rollback stopped"),
        "{}",
        describe(&status)
    );
    let finished = run(&db, &["rollback", "--yes", "--allow-hazards", "all"]);
    assert_eq!(finished.status.code(), Some(0), "{}", describe(&finished));
    assert_eq!(db.data_checksums(), start);
    assert_eq!(history(&mut db)[0].1, "rolled_back");
}

#[test]
fn a_killed_saved_plan_with_a_rename_is_continued() {
    let mut db = TestDb::fresh();
    db.execute(START);
    let dir = tempfile::tempdir().unwrap();
    let desired = write(
        dir.path(),
        "desired.yaml",
        &DESIRED.replace(
            "      accounts:\n        columns:\n          id: bigint\n",
            "      clients:\n        renamed_from: accounts\n        columns:\n          id: bigint\n",
        ),
    );
    let saved = dir.path().join("plan.json").display().to_string();
    let planned = run(&db, &["plan", "--desired", &desired, "--out", &saved]);
    assert_eq!(planned.status.code(), Some(0), "{}", describe(&planned));
    let blocker = hold_other(&db);
    let mut first = spawn_saved(&db, &saved);
    wait_for(
        &mut db,
        "the saved plan to reach the blocked step",
        WAITING_ON_OTHER,
    );
    first.kill().unwrap();
    first.wait().unwrap();
    drop(blocker);
    let second = run(&db, &["apply", &saved, "--yes", "--allow-hazards", "all"]);
    assert_eq!(second.status.code(), Some(0), "{}", describe(&second));
    assert!(
        text(&second.stdout).contains("Continuing run #1"),
        "{}",
        describe(&second)
    );
    let replan = run(&db, &["plan", "--desired", &desired, "--exit-code"]);
    assert_eq!(replan.status.code(), Some(0), "{}", describe(&replan));
}

fn spawn_saved(db: &TestDb, saved: &str) -> Child {
    command(
        db,
        &[
            "apply",
            saved,
            "--yes",
            "--allow-hazards",
            "all",
            "--lock-timeout",
            "60s",
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .expect("start schemaplan")
}

#[test]
fn an_identity_added_to_a_column_holding_1_continues_after_it() {
    let mut db = TestDb::fresh();
    db.execute(
        "CREATE TABLE t (id integer PRIMARY KEY, note text); INSERT INTO t VALUES (1, 'one');",
    );
    let dir = tempfile::tempdir().unwrap();
    let desired = write(
        dir.path(),
        "desired.yaml",
        "
schemas:
  public:
    tables:
      t:
        columns:
          id: { type: integer, identity: by default }
          note: text
        primary_key: [id]
",
    );
    let applied = run(&db, &apply_args(&desired, &[]));
    assert_eq!(applied.status.code(), Some(0), "{}", describe(&applied));
    db.execute("INSERT INTO t (note) VALUES ('two');");
    let ids: Vec<i32> = db
        .client()
        .query("SELECT id FROM t ORDER BY id", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(ids, vec![1, 2]);
}

#[test]
fn a_sample_along_a_chain_of_foreign_keys_keeps_only_whole_chains() {
    let mut db = TestDb::fresh();
    // The first rows of b point at rows of a beyond the sample, and c at those rows of b.
    db.execute(
        "CREATE TABLE a (id integer PRIMARY KEY);
         CREATE TABLE b (id integer PRIMARY KEY, a_id integer REFERENCES a);
         CREATE TABLE c (id integer PRIMARY KEY, b_id integer REFERENCES b);
         INSERT INTO a SELECT g FROM generate_series(1, 20) g;
         INSERT INTO b SELECT g, CASE WHEN g <= 10 THEN g + 10 ELSE g - 10 END FROM generate_series(1, 20) g;
         INSERT INTO c SELECT g, g FROM generate_series(1, 20) g;",
    );
    let dir = tempfile::tempdir().unwrap();
    let desired = write(
        dir.path(),
        "desired.yaml",
        "
schemas:
  public:
    tables:
      a: { columns: { id: integer, note: text }, primary_key: [id] }
      b:
        columns: { id: integer, a_id: integer }
        primary_key: [id]
        foreign_keys: { b_a_id_fkey: { columns: [a_id], references: { table: a } } }
      c:
        columns: { id: integer, b_id: integer }
        primary_key: [id]
        foreign_keys: { c_b_id_fkey: { columns: [b_id], references: { table: b } } }
",
    );
    let out = run(
        &db,
        &["plan", "--desired", &desired, "--rehearse-data", "10"],
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(
        stdout.contains("(up to 10 per table): up converges, down restores (schema and data)"),
        "{}",
        describe(&out)
    );
}

#[test]
fn schemaplan_schemas_cannot_be_managed() {
    let db = TestDb::fresh();
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", DESIRED);
    let out = run(
        &db,
        &[
            "plan",
            "--desired",
            &desired,
            "--schema",
            "public",
            "--schema",
            "schemaplan",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(text(&out.stderr).contains("--schema schemaplan: schemaplan keeps its history"));
}

#[test]
fn a_copy_does_not_hold_up_dropping_a_type_later() {
    let mut db = TestDb::fresh();
    db.execute(
        "CREATE TYPE mood AS ENUM ('sad', 'happy');
         CREATE TABLE diary (note text, feeling mood);
         INSERT INTO diary VALUES ('first', 'happy'), ('second', 'sad');",
    );
    let dir = tempfile::tempdir().unwrap();
    let without_note = write(
        dir.path(),
        "a.yaml",
        "
schemas:
  public:
    enums: { mood: [sad, happy] }
    tables:
      diary: { columns: { feeling: mood } }
",
    );
    let without_mood = write(
        dir.path(),
        "b.yaml",
        "
schemas:
  public:
    tables:
      diary: { columns: { feeling: text } }
",
    );
    for yaml in [&without_note, &without_mood] {
        let out = run(&db, &apply_args(yaml, &["--allow-hazards", "all"]));
        assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    }
}
