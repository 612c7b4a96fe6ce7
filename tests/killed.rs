//! `kill -9` at chosen moments of an apply — the client process, or the server process serving
//! it (`pg_terminate_backend`: the shared test server must keep running for the other tests;
//! `scripts/killtrials.sh` kills server processes with SIGKILL on a cluster of its own) — while
//! a transactional step waits for its lock, while `CREATE INDEX CONCURRENTLY` waits for old
//! snapshots (its index in the catalog, INVALID), and in the middle of a backfill's batches.
//! Each moment is reached by holding what the apply needs (a table lock, a snapshot, an
//! advisory lock the backfill expression asks for at one row), so the kill lands there every
//! time. After it: the next apply carries the run on and converges, no backfilled value is
//! missing, the history holds exactly the planned steps, all completed, and a rollback gives
//! back the starting schema and rows.

use std::process::Output;

use crate::guarded::{apply_args, describe, run, spawn, write};
use crate::harness::TestDb;

const ROWS: i64 = 20_000;

/// The advisory lock the backfill of `label` asks for at the middle row.
const BARRIER: i64 = 4242;

fn start_sql() -> String {
    format!(
        "CREATE TABLE orders (
             id bigint PRIMARY KEY,
             customer integer NOT NULL,
             amount integer NOT NULL,
             legacy_note text
         );
         INSERT INTO orders
         SELECT g, g % 1000, (g * 7) % 10000, CASE WHEN g % 3 = 0 THEN NULL ELSE 'note ' || g END
           FROM generate_series(1, {ROWS}) g;"
    )
}

/// A backed-up drop (`legacy_note`), two backfilled columns (`region` then made NOT NULL), a
/// concurrent index build and a type change (`amount`, a rewrite).
fn desired_yaml() -> String {
    format!(
        "
schemas:
  public:
    functions:
      label_for:
        arguments: id bigint
        returns: text
        language: plpgsql
        body: |
          BEGIN
            IF id = {middle} THEN
              PERFORM pg_catalog.pg_advisory_xact_lock_shared({BARRIER});
            END IF;
            RETURN 'order ' || id;
          END
    tables:
      orders:
        columns:
          id: bigint
          customer: {{ type: integer, not_null: true }}
          amount: {{ type: bigint, not_null: true }}
          label: {{ type: text, backfill: \"public.label_for(id)\" }}
          region: {{ type: integer, not_null: true, backfill: \"customer % 7\" }}
        primary_key: [id]
        indexes:
          orders_customer_idx: {{ columns: [customer] }}
",
        middle = ROWS / 2
    )
}

/// Where a kill lands.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Moment {
    /// A transactional step waits for its table lock.
    LockWait,
    /// `CREATE INDEX CONCURRENTLY` waits for an older snapshot, its index INVALID meanwhile.
    IndexBuild,
    /// The backfill of `label` waits at the middle row, its earlier batches committed.
    Backfill,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Victim {
    Client,
    Server,
}

struct Scenario {
    db: TestDb,
    _dir: tempfile::TempDir,
    desired: String,
    /// Each planned step: kind, object, up SQL.
    planned: Vec<(String, String, Vec<String>)>,
    schema: String,
    data: std::collections::BTreeMap<String, String>,
}

fn scenario() -> Scenario {
    let mut db = TestDb::fresh();
    db.execute(&start_sql());
    let dir = tempfile::tempdir().unwrap();
    let desired = write(dir.path(), "desired.yaml", &desired_yaml());
    let saved = dir.path().join("plan.json").display().to_string();
    let out = run(&db, &["plan", "--desired", &desired, "--out", &saved]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&saved).unwrap()).unwrap();
    let planned = json["plan"]["steps"]
        .as_array()
        .expect("the saved plan's steps")
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_string(),
                s["object"].as_str().unwrap().to_string(),
                s["up"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|u| u.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect::<Vec<_>>();
    let kinds: Vec<&str> = planned.iter().map(|p| p.0.as_str()).collect();
    for kind in ["create_index", "backfill", "alter_column", "drop_column"] {
        assert!(kinds.contains(&kind), "no {kind} step in {kinds:?}");
    }
    let schema = db.schema_dump();
    let data = db.data_checksums();
    Scenario {
        db,
        _dir: dir,
        desired,
        planned,
        schema,
        data,
    }
}

/// Sessions of this test's database that are schemaplan's backend at `moment`.
fn at_moment(moment: Moment) -> String {
    let (wait, query) = match moment {
        Moment::LockWait => (
            "wait_event_type = 'Lock' AND wait_event = 'relation'",
            "ALTER TABLE%",
        ),
        Moment::IndexBuild => ("wait_event = 'virtualxid'", "CREATE INDEX CONCURRENTLY%"),
        Moment::Backfill => ("wait_event = 'advisory'", "DO $schemaplan$%"),
    };
    format!(
        "SELECT count(*) FROM pg_stat_activity
          WHERE datname = current_database() AND {wait} AND query LIKE '{query}'"
    )
}

/// Waits until `sql` counts a session; on a timeout, shows the database's sessions.
fn wait_until(db: &mut TestDb, what: &str, sql: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(90);
    while count(db, sql) == 0 {
        if std::time::Instant::now() > deadline {
            let sessions: Vec<String> = db
                .client()
                .query(
                    "SELECT format('%s %s %s/%s %s', pid, application_name, wait_event_type,
                                   wait_event, left(query, 60))
                       FROM pg_stat_activity WHERE datname = current_database()",
                    &[],
                )
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            panic!(
                "timed out waiting for {what}; sessions:\n{}",
                sessions.join("\n")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

fn kill_at(moment: Moment, victim: Victim) {
    let mut s = killed(moment, victim);
    let again = run(&s.db, &apply_args(&s.desired, &["--allow-hazards", "all"]));
    assert_eq!(again.status.code(), Some(0), "{}", describe(&again));
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("Continuing run #1"), "{}", describe(&again));
    if victim == Victim::Client && matches!(moment, Moment::IndexBuild | Moment::Backfill) {
        // The orphaned backend finished the step: found in place, not run again.
        assert!(stdout.contains("in place already"), "{}", describe(&again));
    }
    converged_and_exact(&mut s, &again);
}

/// The scenario, killed at `moment`, with whatever held the apply let go.
fn killed(moment: Moment, victim: Victim) -> Scenario {
    let mut s = scenario();
    // What holds the apply at the moment chosen.
    let mut holder = postgres::Client::connect(&s.db.conninfo(), postgres::NoTls).unwrap();
    match moment {
        Moment::LockWait => holder
            .batch_execute("BEGIN; LOCK TABLE orders IN ACCESS SHARE MODE")
            .unwrap(),
        Moment::IndexBuild => holder
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT 1")
            .unwrap(),
        Moment::Backfill => holder
            .batch_execute(&format!("SELECT pg_advisory_lock({BARRIER})"))
            .unwrap(),
    }
    let args = apply_args(
        &s.desired,
        &["--allow-hazards", "all", "--lock-timeout", "120s"],
    );
    let mut first = spawn(&s.db, &args);
    wait_until(
        &mut s.db,
        &format!("the apply to reach {moment:?}"),
        &at_moment(moment),
    );
    if moment == Moment::Backfill {
        // Batches before the middle row committed; the rest did not.
        let nulls = count(&mut s.db, "SELECT count(*) FROM orders WHERE label IS NULL");
        assert!(0 < nulls && nulls < ROWS, "{nulls} NULLs left at the kill");
    }
    match victim {
        Victim::Client => {
            first.kill().unwrap(); // SIGKILL
            first.wait().unwrap();
        }
        Victim::Server => {
            let ended: bool =
                s.db.client()
                    .query_one(
                        &at_moment(moment).replace("count(*)", "pg_terminate_backend(pid)"),
                        &[],
                    )
                    .unwrap()
                    .get(0);
            assert!(ended);
            let out = first.wait_with_output().unwrap();
            assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
            // The failure names the step, its statement and the server's own words, or that the
            // connection closed: the backend's FATAL message and the end of its socket race to the
            // client, which sometimes sees the socket end first.
            let stderr = String::from_utf8_lossy(&out.stderr);
            let server_words = "failed: FATAL:  terminating connection due to administrator command (SQLSTATE 57P01)";
            assert!(
                (stderr.contains(server_words) || stderr.contains("failed: connection closed"))
                    && stderr.contains("statement:")
                    && !stderr.contains("db error"),
                "{}",
                describe(&out)
            );
        }
    }
    // The run stopped with part of it done.
    let (status, completed): (String, i64) = {
        let r =
            s.db.client()
                .query_one(
                    "SELECT m.status, (SELECT count(*) FROM schemaplan.migration_steps s
                                    WHERE s.migration_id = m.id AND s.status = 'completed')
                   FROM schemaplan.migrations m",
                    &[],
                )
                .unwrap();
        (r.get(0), r.get(1))
    };
    assert!(
        status != "completed" && (completed as usize) < s.planned.len(),
        "{status} {completed}"
    );
    if moment == Moment::IndexBuild && victim == Victim::Server {
        assert_eq!(
            invalid_indexes(&mut s.db),
            1,
            "the build cut short left its index"
        );
    }
    drop(holder); // An orphaned backend (client killed) now finishes its statement and leaves.
    s
}

fn count(db: &mut TestDb, sql: &str) -> i64 {
    db.client().query_one(sql, &[]).unwrap().get(0)
}

fn invalid_indexes(db: &mut TestDb) -> i64 {
    count(
        db,
        "SELECT count(*) FROM pg_index WHERE indrelid = 'orders'::regclass AND NOT indisvalid",
    )
}

fn converged_and_exact(s: &mut Scenario, again: &Output) {
    let replan = run(&s.db, &["plan", "--desired", &s.desired, "--exit-code"]);
    assert_eq!(replan.status.code(), Some(0), "{}", describe(&replan));
    assert_eq!(
        count(
            &mut s.db,
            "SELECT count(*) FROM orders WHERE label IS NULL OR region IS NULL"
        ),
        0,
        "{}",
        describe(again)
    );
    assert_eq!(
        count(
            &mut s.db,
            "SELECT count(*) FROM orders WHERE label <> 'order ' || id OR region <> customer % 7"
        ),
        0
    );
    assert_eq!(invalid_indexes(&mut s.db), 0);
    // The history is the plan, step for step, all completed, in one run.
    let recorded: Vec<(String, String, Vec<String>)> =
        s.db.client()
            .query(
                "SELECT kind, object, up FROM schemaplan.migration_steps
              WHERE status = 'completed' ORDER BY migration_id, position",
                &[],
            )
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
    assert_eq!(recorded, s.planned);
    let runs: Vec<(String, i32)> =
        s.db.client()
            .query("SELECT status, steps_total FROM schemaplan.migrations", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    assert_eq!(
        runs,
        vec![("completed".to_string(), s.planned.len() as i32)]
    );

    rolled_back_exactly(s);
}

fn rolled_back_exactly(s: &mut Scenario) {
    let back = run(&s.db, &["rollback", "--yes", "--allow-hazards", "all"]);
    assert_eq!(back.status.code(), Some(0), "{}", describe(&back));
    assert_eq!(s.db.schema_dump(), s.schema);
    assert_eq!(s.db.data_checksums(), s.data);
    assert_eq!(invalid_indexes(&mut s.db), 0);
}

#[test]
fn client_killed_while_a_step_waits_for_its_lock() {
    kill_at(Moment::LockWait, Victim::Client);
}

#[test]
fn server_process_ended_while_a_step_waits_for_its_lock() {
    kill_at(Moment::LockWait, Victim::Server);
}

#[test]
fn client_killed_during_a_concurrent_index_build() {
    kill_at(Moment::IndexBuild, Victim::Client);
}

#[test]
fn server_process_ended_during_a_concurrent_index_build_leaves_an_invalid_index_rebuilt() {
    kill_at(Moment::IndexBuild, Victim::Server);
}

#[test]
fn client_killed_between_backfill_batches() {
    kill_at(Moment::Backfill, Victim::Client);
}

#[test]
fn server_process_ended_between_backfill_batches() {
    kill_at(Moment::Backfill, Victim::Server);
}

#[test]
fn a_run_killed_during_an_index_build_rolls_back_exactly_without_being_finished() {
    let mut s = killed(Moment::IndexBuild, Victim::Server);
    // The INVALID index the build left is the begun step's to undo.
    rolled_back_exactly(&mut s);
    let status: String =
        s.db.client()
            .query_one("SELECT status FROM schemaplan.migrations", &[])
            .unwrap()
            .get(0);
    assert_eq!(status, "rolled_back");
}
